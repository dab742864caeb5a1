#pragma once
// The storage index as a file (layout::storageIndex): every blob's size and what each
// repository reaches, in a line format that reads fast at 10,000 repositories.
//
//   berth-storage-index 1
//   blob <digest> <size>                                    every blob in the store
//   missing <digest>                                        reached, but not in the store
//   repository <name> <tags> <manifests> <last push> <n>... last push in ms since the epoch;
//                                                           each n numbers a blob or missing
//                                                           line, from 0 in file order
//   end
// A file of another version, or cut short, does not decode.

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
