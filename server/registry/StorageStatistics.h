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
//
// An image is a manifest stored in a repository that is tagged there, or that no index
// stored there lists as a child; a referrer (signature, SBOM) is an image of its own, apart
// from its subject. An image reaches its manifest, config and layers and, for an index, its
// children stored in the repository and what they reach. Its bytes are those distinct
// blobs; its unique bytes those of them no other image, in any repository, reaches (what
// deleting it would free once garbage is collected). The same manifest stored in two
// repositories is two images. A layer is a blob some manifest lists among its layers.

#include "oci/Digest.h"
#include "registry/StorageIndexBlobTable.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

// One image of a repository and what it reaches; digests and media types by their number
// in the index's BlobTable.
struct ImageUsage
{
    BlobNumber digest = 0;
    TypeNumber mediaType = 0;                     // of "" when its manifest cannot be read
    std::vector<std::string> tags;                // sorted
    std::chrono::system_clock::time_point pushed; // its revision link
    std::vector<BlobNumber> blobs;                // itself, children, configs and layers; distinct, by number

    bool operator==(const ImageUsage&) const = default;
};

struct LayerUsage
{
    BlobNumber digest = 0;
    TypeNumber mediaType = 0; // the least of those the manifests give it, so that it does not depend on order

    bool operator==(const LayerUsage&) const = default;
};

// What one repository reaches, as read from storage.
struct RepositoryUsage
{
    std::uint64_t tags = 0;
    std::uint64_t manifests = 0;
    std::chrono::system_clock::time_point lastPush; // the newest manifest or tag link
    std::vector<BlobNumber> blobs;                  // manifests, configs and layers; distinct, by number
    std::vector<ImageUsage> images;                 // by digest
    std::vector<LayerUsage> layers;                 // the blobs its manifests use as layers, by digest

    bool operator==(const RepositoryUsage&) const = default;
};

using RepositoryUsages = std::map<std::string, RepositoryUsage, std::less<>>;

// What the statistics are computed from: every blob, and what each repository reaches.
struct StorageUsage
{
    BlobTable blobs;
    RepositoryUsages repositories;

    bool operator==(const StorageUsage&) const = default;
};

// The same usage numbered afresh: only the digests a repository reaches or the store holds,
// and the media types in use, keep a number.
StorageUsage compacted(const StorageUsage& usage);

struct UploadTotals
{
    std::uint64_t sessions = 0;
    std::uint64_t bytes = 0;

    bool operator==(const UploadTotals&) const = default;
};

struct ImageStatistics
{
    std::string repository;
    oci::Digest digest;
    std::string mediaType;
    std::vector<std::string> tags;
    std::uint64_t bytes = 0;
    std::uint64_t uniqueBytes = 0;
    std::chrono::system_clock::time_point pushed;

    bool operator==(const ImageStatistics&) const = default;
};

struct LayerStatistics
{
    oci::Digest digest;
    std::string mediaType;
    std::uint64_t bytes = 0;
    std::uint64_t images = 0;       // images that reach it
    std::uint64_t repositories = 0; // repositories that reach it

    bool operator==(const LayerStatistics&) const = default;
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
    std::vector<ImageStatistics> images; // largest first

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
    std::vector<ImageStatistics> largestImages;     // of every repository, largest first
    std::vector<LayerStatistics> largestLayers;     // of the store, largest first

    bool operator==(const StorageStatistics&) const = default;

    // The repository named `name`, or null.
    const RepositoryStatistics* repository(std::string_view name) const;
};

// How many images and layers largestImages and largestLayers hold at most.
inline constexpr std::size_t largestListed = 50;

StorageStatistics computeStatistics(const StorageUsage& usage, UploadTotals uploads);

} // namespace berth::registry
