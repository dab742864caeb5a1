#include "registry/GarbageCollector.h"

#include "registry/DigestDirectories.h"
#include "registry/Layout.h"
#include "registry/ManifestGraph.h"
#include "registry/OrderedChunks.h"
#include "registry/RepositoryTree.h"
#include "registry/StorageAccess.h"
#include "registry/StorageIndexBlobTable.h"

#include <algorithm>

namespace berth::registry {

namespace {

// What marking found in one repository: the digests its live manifests keep (themselves,
// their configs and layers), and its manifests that nothing keeps.
struct MarkedRepository
{
    std::vector<oci::Digest> marked;
    std::vector<oci::Digest> unreferenced;
};

// Runs on the reader threads, so that the marking thread only gathers.
oci::Result<MarkedRepository> markRepository(Registry& registry, const std::string& repository,
                                             const CollectionOptions& options,
                                             std::chrono::system_clock::time_point youngest)
{
    auto revisions = readRevisions(registry.driver(), registry.blobs(), repository);
    if (!revisions)
        return unexpected(std::move(revisions).error());
    // Without deleteUntagged every revision lives, so the tags need not be read. Tags that
    // cannot be read must stop the run: taking them for "no tags" would collect tagged
    // images. A repository deleted meanwhile has none.
    std::vector<oci::Digest> tagged;
    if (options.deleteUntagged) {
        auto targets = registry.tags().targets(repository);
        if (!targets && targets.error().code != oci::ErrorCode::NameUnknown)
            return unexpected(std::move(targets).error());
        for (auto& target : targets ? *targets : std::vector<TagStore::Target>{})
            tagged.push_back(std::move(target.digest));
    }
    const auto live = liveRevisions(*revisions, tagged, options.deleteUntagged, youngest);
    MarkedRepository result;
    for (const auto& [digest, revision] : *revisions) {
        if (!live.contains(digest)) {
            result.unreferenced.push_back(digest);
            continue;
        }
        result.marked.push_back(digest);
        if (revision.manifest) {
            for (const auto& blob : revision.manifest->referencedBlobs())
                result.marked.push_back(blob);
        }
    }
    return result;
}

// The repositories among the tree's reserved directories: those holding manifests, in the
// catalog's order.
std::vector<std::string> repositoriesIn(const std::vector<ReservedDirectory>& reserved)
{
    std::vector<std::string> repositories;
    for (const auto& directory : reserved) {
        if (directory.name == layout::manifestsDirName)
            repositories.push_back(directory.repository);
    }
    return repositories;
}

} // namespace

oci::Result<CollectionReport> GarbageCollector::run(const CollectionOptions& options,
                                                    const ProgressCallback& progress,
                                                    const std::atomic<bool>* cancel)
{
    auto& driver = m_registry.driver();
    auto& guard = m_registry.collectionGuard();
    const CollectionScope scope(guard);
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    const auto report = [&](const CollectionProgress& state) {
        if (progress)
            progress(state);
    };
    CollectionReport result;
    CollectionProgress state;
    const auto youngest = std::chrono::system_clock::now() - options.gracePeriod;

    // Mark. One walk of the repository tree finds the repositories and the upload
    // directories both.
    auto tree = reservedDirectories(driver, {layout::manifestsDirName, layout::uploadsDirName});
    if (!tree)
        return unexpected(std::move(tree).error());
    const auto repositories = repositoriesIn(*tree);
    // Only the upload directories are needed past this point (several MiB at 10,000 repositories).
    std::erase_if(
        *tree, [](const ReservedDirectory& directory) { return directory.name != layout::uploadsDirName; });
    tree->shrink_to_fit();
    state.total = repositories.size();
    report(state);
    BlobTable marked; // a set of digests, each kept once as its raw bytes
    {                 // the readers stop when marking ends, however it ends
        OrderedChunks<oci::Result<MarkedRepository>> reading(
            repositories.size(), storageThreads(), [&](std::size_t index) {
                return markRepository(m_registry, repositories[index], options, youngest);
            });
        for (const auto& repository : repositories) {
            if (cancelled()) {
                result.manifestsDeleted.clear(); // found, but none deleted yet
                result.cancelled = true;
                return result;
            }
            auto found = reading.next();
            if (!found)
                return unexpected(std::move(found).error());
            for (const auto& digest : found->marked)
                marked.number(digest);
            for (auto& digest : found->unreferenced)
                result.manifestsDeleted.push_back({repository, std::move(digest)});
            ++state.done;
            report(state);
        }
    }
    const auto isMarked = [&marked](const oci::Digest& digest) { return marked.find(digest).has_value(); };

    // Untagged manifests go before the sweep, so the blobs only they used go in this run.
    if (!options.dryRun) {
        std::vector<DeletedManifest> deleted;
        for (auto& candidate : result.manifestsDeleted) {
            const auto lock = guard.lockForDelete();
            if (guard.touchedDuringCollection(candidate.digest)) { // pushed again meanwhile
                marked.number(candidate.digest);
                continue;
            }
            auto removed = m_registry.manifests().remove(candidate.repository, candidate.digest);
            if (!removed && removed.error().code != oci::ErrorCode::ManifestUnknown)
                return unexpected(std::move(removed).error());
            deleted.push_back(std::move(candidate));
        }
        result.manifestsDeleted = std::move(deleted);
    }

    // Sweep. The store's directories name its blobs; only the unmarked ones are looked at.
    auto blobs = blobDirectories(driver);
    if (!blobs)
        return unexpected(std::move(blobs).error());

    state = {CollectionProgress::Phase::Sweeping, 0, blobs->size(), 0};
    report(state);
    for (const auto& digest : *blobs) {
        if (cancelled()) {
            result.cancelled = true;
            return result;
        }
        if (++state.done % 256 == 0)
            report(state);
        if (isMarked(digest)) {
            ++result.blobsKept;
            continue;
        }
        auto data = driver.stat(layout::blobData(digest));
        if (!data) {
            if (data.error().kind == storage::ErrorKind::NotFound)
                continue; // no blob: its data was never moved in, or is gone already
            return unexpected(storageFailure(data.error()));
        }
        if (data->modified > youngest) {
            ++result.blobsInGracePeriod;
            continue;
        }
        if (!options.dryRun) {
            const auto lock = guard.lockForDelete();
            if (guard.touchedDuringCollection(digest)) {
                ++result.blobsKept;
                continue;
            }
            auto removed = removeIfPresent(driver, layout::blobDirectory(digest));
            if (!removed)
                return unexpected(std::move(removed).error());
            m_registry.changes().blobDeleted(digest);
        }
        result.blobsDeleted.push_back(digest);
        result.bytesReclaimed += data->size;
        state.bytesReclaimed = result.bytesReclaimed;
        report(state);
    }

    // Upload sessions abandoned by their clients.
    if (cancelled()) {
        result.cancelled = true;
        return result;
    }
    state.phase = CollectionProgress::Phase::PurgingUploads;
    state.done = state.total = 0;
    report(state);
    auto purged = m_registry.uploads().purgeIdle(*tree, std::chrono::system_clock::now() - options.uploadAge,
                                                 options.dryRun);
    if (!purged)
        return unexpected(std::move(purged).error());
    result.uploadsDeleted = purged->purged;
    result.uploadBytesReclaimed = purged->bytes;
    result.uploadsInUse = purged->inUse;
    state.uploadsDeleted = result.uploadsDeleted;
    state.uploadBytesReclaimed = result.uploadBytesReclaimed;
    state.phase = CollectionProgress::Phase::Done;
    report(state);
    return result;
}

} // namespace berth::registry
