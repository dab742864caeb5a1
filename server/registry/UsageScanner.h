#pragma once
// Reads from storage what the storage index derives its figures from: what a repository
// and each of its images reach (see StorageStatistics.h), every blob with its size, the
// upload sessions, and stamps that tell what changed since they were read.

#include "registry/Registry.h"
#include "registry/StorageIndexFile.h"
#include "registry/StorageStatistics.h"

#include <optional>
#include <string_view>
#include <vector>

namespace berth::registry {

class UsageScanner
{
public:
    explicit UsageScanner(Registry& registry) : m_registry(registry) {}

    // std::nullopt when the repository does not exist (any more). Digests and media types
    // are numbered in `table`.
    oci::Result<std::optional<RepositoryUsage>> repository(std::string_view name, BlobTable& table);
    // Sets in `table` the size of every blob in the store.
    oci::Result<void> blobs(BlobTable& table);
    oci::Result<UploadTotals> uploads();
    // What changes when anything changes the repository's manifests or tags; an absent
    // repository has an empty stamp.
    oci::Result<StorageStamp> stamp(std::string_view repository);
    struct BlobDirectories
    {
        std::vector<oci::Digest> digests; // sorted
        StorageStamp stamp;               // what changes when blobs are stored or deleted
    };
    // The blobs in the store, as their directories name them: no file is read or stat'ed.
    oci::Result<BlobDirectories> blobDirectories();

private:
    Registry& m_registry;
};

} // namespace berth::registry
