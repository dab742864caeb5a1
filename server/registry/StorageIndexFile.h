#pragma once
// The storage index as a file (layout::storageIndex): every blob's size and what each
// repository and each of its images reach, in a line format that reads fast at 10,000
// repositories.
//
//   berth-storage-index 2
//   blob <digest> <size>                                    every blob in the store
//   missing <digest>                                        reached, but not in the store
//   type <media type>                                       the media types of images and
//                                                           layers, numbered from 0 in file order
//   repository <name> <tags> <manifests> <last push> <n>... last push in ms since the epoch;
//                                                           each n numbers a blob or missing
//                                                           line, from 0 in file order
//   image <n> <type> <pushed> <count> <tag>... <n>...       an image of the repository above:
//                                                           its manifest, when it was pushed,
//                                                           its tags, what it reaches
//   layer <n> <type>                                        a layer of the repository above
//   end
// Media types and tags are written with '%', ' ' and newlines percent-encoded. A file of
// another version, or cut short, does not decode.

#include "registry/StorageStatistics.h"

#include <optional>
#include <string>
#include <string_view>

namespace berth::registry {

struct StorageIndexContent
{
    RepositoryUsages usages;
    BlobSizes blobs;
};

std::string encodeStorageIndex(const RepositoryUsages& usages, const BlobSizes& blobs);
std::optional<StorageIndexContent> decodeStorageIndex(std::string_view text);

} // namespace berth::registry
