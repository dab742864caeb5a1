#pragma once
// Where the storage goes: the figures the admin API reports, and how they follow from what
// each repository reaches.
//
// A blob's size is the size of its data file. A repository reaches every manifest stored in
// it (tagged or not, index children and referrers included) and the config and layers of
// each. Its logical size is the sum of the distinct blobs it reaches, each counted once; its
// unique bytes are those of them no other repository reaches (what deleting the repository
// would free once garbage is collected); its shared bytes the rest. Bytes on disk are every
// blob data file; unreferenced bytes are those no repository reaches (garbage, or layers of
// a push in flight). Upload sessions are counted apart.

#include "oci/Digest.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace berth::registry {

struct DigestHash
{
    std::size_t operator()(const oci::Digest& digest) const { return std::hash<std::string>{}(digest.hex()); }
};

// Every blob in the store with its data file's size.
using BlobSizes = std::unordered_map<oci::Digest, std::uint64_t, DigestHash>;

// What one repository reaches, as read from storage.
struct RepositoryUsage
{
    std::uint64_t tags = 0;
    std::uint64_t manifests = 0;
    std::chrono::system_clock::time_point lastPush; // the newest manifest or tag link
    std::vector<oci::Digest> blobs;                 // manifests, configs and layers; distinct, sorted

    bool operator==(const RepositoryUsage&) const = default;
};

using RepositoryUsages = std::map<std::string, RepositoryUsage, std::less<>>;

struct UploadTotals
{
    std::uint64_t sessions = 0;
    std::uint64_t bytes = 0;

    bool operator==(const UploadTotals&) const = default;
};

struct RepositoryStatistics
{
    std::string name;
    std::uint64_t logicalBytes = 0;
    std::uint64_t uniqueBytes = 0;
    std::uint64_t sharedBytes = 0;
    std::uint64_t tags = 0;
    std::uint64_t manifests = 0;
    std::uint64_t blobs = 0;
    std::chrono::system_clock::time_point lastPush;

    bool operator==(const RepositoryStatistics&) const = default;
};

struct StorageTotals
{
    std::uint64_t bytesOnDisk = 0;
    std::uint64_t blobs = 0;
    std::uint64_t unreferencedBytes = 0;
    std::uint64_t manifests = 0; // revisions: a manifest stored in two repositories counts twice
    std::uint64_t tags = 0;
    std::uint64_t repositories = 0;
    std::uint64_t uploadSessions = 0;
    std::uint64_t uploadBytes = 0;

    bool operator==(const StorageTotals&) const = default;
};

struct StorageStatistics
{
    StorageTotals totals;
    std::vector<RepositoryStatistics> repositories; // in lexical order of their names

    bool operator==(const StorageStatistics&) const = default;
};

StorageStatistics computeStatistics(const RepositoryUsages& usages, const BlobSizes& blobs,
                                    UploadTotals uploads);

} // namespace berth::registry
