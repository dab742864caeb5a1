#pragma once
// The storage index as a file (layout::storageIndex): every blob's size and what each
// repository and each of its images reach, in a line format that reads fast at 10,000
// repositories.
//
//   berth-storage-index 4
//   stamp <entries> <hash> <newest>                         the blob store's stamp when saved
//   blob <digest> <size>                                    a blob in the store
//   missing <digest>                                        a digest the store does not hold;
//                                                           blob and missing lines together
//                                                           list the BlobTable in number order
//   type <media type>                                       the media types of images and
//                                                           layers, in number order
//   repository <name> <tags> <manifests> <last push> <n>... last push in ms since the epoch;
//                                                           each n numbers a blob or missing
//                                                           line, from 0 in file order
//   image <n> <type> <pushed> <count> <tag>... <n>...       an image of the repository above:
//                                                           its manifest, when it was pushed,
//                                                           its tags, what it reaches
//   layer <n> <type>                                        a layer of the repository above
//   stamp <entries> <hash> <newest>                         the repository above's stamp when saved
//   end
// Media types and tags are written with '%', ' ' and newlines percent-encoded. A file of
// another version, or cut short, does not decode.

#include "registry/StorageStatistics.h"

#include <optional>
#include <string>
#include <string_view>

namespace berth::registry {

// What changes when a program changes a repository's manifests and tags, or the blob
// store: how many entries there are, a hash of their names, the newest link's time. Cheap
// to take (listings and a stat per tag), so that at start a saved index can tell what
// changed while berthd was stopped.
struct StorageStamp
{
    std::uint64_t entries = 0;
    std::uint64_t hash = 0;
    std::chrono::system_clock::time_point newest; // to the millisecond

    bool operator==(const StorageStamp&) const = default;
};

struct StorageStamps
{
    StorageStamp blobs;
    std::map<std::string, StorageStamp, std::less<>> repositories;
};

struct StorageIndexContent
{
    StorageUsage usage;   // numbered as when saved
    StorageStamps stamps; // as storage was when the index was saved
};

std::string encodeStorageIndex(const StorageUsage& usage, const StorageStamps& stamps);
std::optional<StorageIndexContent> decodeStorageIndex(std::string_view text);

} // namespace berth::registry
