#pragma once
// Digests that the storage layout keeps as directory names ("<algorithm>/<hex>"), found
// by listing directories only: no file read or stat per digest, which is what makes a
// collection over many repositories and blobs fast.

#include "oci/Digest.h"
#include "storage/StorageDriver.h"

#include <string_view>
#include <vector>

namespace berth::registry {

// The digests named by "<directory>/<algorithm>/<hex>" directories, sorted; none when
// `directory` is absent. Names that are not digests are skipped.
oci::Result<std::vector<oci::Digest>> digestDirectories(storage::StorageDriver& driver,
                                                        std::string_view directory);

// The digests of the blob store's directories ("<algorithm>/<hex[0:2]>/<hex>", see
// layout::blobDirectory), sorted. A directory whose data file is gone still counts.
oci::Result<std::vector<oci::Digest>> blobDirectories(storage::StorageDriver& driver);

} // namespace berth::registry
