#include "registry/UsageScanner.h"

#include "registry/DigestDirectories.h"
#include "registry/Layout.h"
#include "registry/ManifestGraph.h"
#include "registry/StorageAccess.h"

#include <algorithm>
#include <map>
#include <set>

namespace berth::registry {

namespace {

// Times are kept to the millisecond, as the index file keeps them, so that a saved index
// reads back equal to a fresh reading of the same storage.
std::chrono::system_clock::time_point toMilliseconds(std::chrono::system_clock::time_point time)
{
    return std::chrono::floor<std::chrono::milliseconds>(time);
}

// The current tags of a repository, as the tag list counts them: those whose current link exists.
struct CurrentTags
{
    std::uint64_t count = 0;
    std::chrono::system_clock::time_point newest;
    std::map<oci::Digest, std::vector<std::string>> byDigest; // sorted names
};

oci::Result<CurrentTags> readCurrentTags(storage::StorageDriver& driver, std::string_view repository)
{
    CurrentTags tags;
    auto directories = driver.list(layout::tagsDirectory(repository));
    if (!directories && directories.error().kind != storage::ErrorKind::NotFound)
        return unexpected(storageFailure(directories.error()));
    for (const auto& directory : directories ? *directories : std::vector<std::string>{}) {
        const auto link = directory + "/current/link";
        const auto current = driver.stat(link);
        if (!current) {
            if (current.error().kind == storage::ErrorKind::NotFound)
                continue;
            return unexpected(storageFailure(current.error()));
        }
        ++tags.count;
        tags.newest = std::max(tags.newest, toMilliseconds(current->modified));
        auto digest = readLink(driver, link);
        if (!digest)
            return unexpected(std::move(digest).error());
        if (*digest) // a link that is not a digest names no image
            tags.byDigest[**digest].push_back(directory.substr(directory.rfind('/') + 1));
    }
    for (auto& [digest, names] : tags.byDigest)
        std::sort(names.begin(), names.end());
    return tags;
}

// FNV-1a, added up over names so that their order does not matter: stable across builds,
// unlike std::hash, since the stamps are saved.
std::uint64_t hashOf(std::string_view name)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return hash;
}

void addDigests(StorageStamp& stamp, const std::vector<oci::Digest>& digests)
{
    stamp.entries += digests.size();
    for (const auto& digest : digests)
        stamp.hash += hashOf(digest.hex());
}

// What the image `digest` reaches: itself, its config and layers, and for an index its
// children stored in the repository and theirs.
std::set<oci::Digest> reachOf(const Revisions& revisions, const oci::Digest& digest)
{
    std::set<oci::Digest> blobs;
    std::set<oci::Digest> visited;
    std::vector<oci::Digest> pending{digest};
    while (!pending.empty()) {
        auto next = std::move(pending.back());
        pending.pop_back();
        if (!visited.insert(next).second)
            continue;
        blobs.insert(next);
        const auto found = revisions.find(next);
        if (found == revisions.end() || !found->second.manifest)
            continue; // its content is gone: it reaches nothing more
        const auto& manifest = *found->second.manifest;
        for (auto& blob : manifest.referencedBlobs())
            blobs.insert(std::move(blob));
        for (const auto& child : manifest.manifests) {
            if (revisions.contains(child.digest))
                pending.push_back(child.digest);
        }
    }
    return blobs;
}

// The numbers of `digests` in `table`, sorted.
std::vector<BlobNumber> numbersOf(BlobTable& table, const std::set<oci::Digest>& digests)
{
    std::vector<BlobNumber> numbers;
    numbers.reserve(digests.size());
    for (const auto& digest : digests)
        numbers.push_back(table.number(digest));
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

} // namespace

oci::Result<std::optional<RepositoryUsage>> UsageScanner::repository(std::string_view name, BlobTable& table)
{
    auto& driver = m_registry.driver();
    auto present = exists(driver, layout::manifestsDirectory(name));
    if (!present)
        return unexpected(std::move(present).error());
    if (!*present)
        return std::optional<RepositoryUsage>{};
    auto revisions = readRevisions(driver, m_registry.blobs(), name);
    if (!revisions)
        return unexpected(std::move(revisions).error());
    auto tags = readCurrentTags(driver, name);
    if (!tags)
        return unexpected(std::move(tags).error());

    RepositoryUsage usage;
    usage.tags = tags->count;
    usage.lastPush = tags->newest;
    usage.manifests = revisions->size();
    std::set<oci::Digest> reached;
    std::set<oci::Digest> children;
    std::map<oci::Digest, std::string_view> layerTypes;
    for (const auto& [digest, revision] : *revisions) {
        usage.lastPush = std::max(usage.lastPush, toMilliseconds(revision.linked));
        reached.insert(digest);
        if (!revision.manifest)
            continue; // its bytes are gone; it reaches nothing more
        for (auto& blob : revision.manifest->referencedBlobs())
            reached.insert(std::move(blob));
        for (const auto& child : revision.manifest->manifests)
            children.insert(child.digest);
        for (const auto& layer : revision.manifest->layers) {
            const std::string_view given = layer.mediaType;
            auto [type, added] = layerTypes.try_emplace(layer.digest, given);
            if (!added)
                type->second = std::min(type->second, given);
        }
    }
    usage.blobs = numbersOf(table, reached);
    usage.layers.reserve(layerTypes.size());
    for (const auto& [digest, mediaType] : layerTypes)
        usage.layers.push_back({table.number(digest), table.type(mediaType)});

    // A child of an index is an image of its own only when tagged.
    for (const auto& [digest, revision] : *revisions) {
        auto tagged = tags->byDigest.find(digest);
        if (tagged == tags->byDigest.end() && children.contains(digest))
            continue;
        usage.images.push_back(
            {table.number(digest),
             table.type(revision.manifest ? revision.manifest->mediaType : std::string_view()),
             tagged != tags->byDigest.end() ? std::move(tagged->second) : std::vector<std::string>{},
             toMilliseconds(revision.linked), numbersOf(table, reachOf(*revisions, digest))});
    }
    return std::optional<RepositoryUsage>{std::move(usage)};
}

oci::Result<StorageStamp> UsageScanner::stamp(std::string_view repository)
{
    auto& driver = m_registry.driver();
    StorageStamp stamp;
    auto revisions = digestDirectories(driver, layout::manifestRevisionsDirectory(repository));
    if (!revisions)
        return unexpected(std::move(revisions).error());
    addDigests(stamp, *revisions);
    // A tag moved to another manifest keeps its name: the time of its link tells.
    auto tags = readCurrentTags(driver, repository);
    if (!tags)
        return unexpected(std::move(tags).error());
    for (const auto& [digest, names] : tags->byDigest) {
        stamp.entries += names.size();
        for (const auto& name : names)
            stamp.hash += hashOf(name) ^ hashOf(digest.hex());
    }
    stamp.newest = tags->newest;
    return stamp;
}

oci::Result<UsageScanner::BlobDirectories> UsageScanner::blobDirectories()
{
    auto digests = registry::blobDirectories(m_registry.driver());
    if (!digests)
        return unexpected(std::move(digests).error());
    BlobDirectories directories{std::move(digests).value(), {}};
    addDigests(directories.stamp, directories.digests);
    return directories;
}

oci::Result<void> UsageScanner::blobs(BlobTable& table)
{
    auto walked = m_registry.driver().walk(layout::blobsRoot(), [&](const storage::FileInfo& entry) {
        if (!entry.isDirectory) {
            if (const auto digest = layout::digestOfBlobData(entry.path))
                table.setSize(table.number(*digest), entry.size);
        }
        return storage::WalkAction::Continue;
    });
    if (!walked && walked.error().kind != storage::ErrorKind::NotFound)
        return unexpected(storageFailure(walked.error()));
    return {};
}

oci::Result<UploadTotals> UsageScanner::uploads()
{
    auto stored = m_registry.uploads().stored();
    if (!stored)
        return unexpected(std::move(stored).error());
    UploadTotals totals;
    for (const auto& upload : *stored) {
        ++totals.sessions;
        totals.bytes += upload.size;
    }
    return totals;
}

} // namespace berth::registry
