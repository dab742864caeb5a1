#include "registry/GarbageCollector.h"

#include "registry/DigestDirectories.h"
#include "registry/Layout.h"
#include "registry/ManifestGraph.h"
#include "registry/OrderedWork.h"
#include "registry/StorageAccess.h"

#include <algorithm>
#include <set>
#include <thread>

namespace berth::registry {

namespace {

// What marking reads of one repository: its revisions and, with deleteUntagged, what its
// tags point to.
struct RepositoryContent
{
    Revisions revisions;
    std::vector<oci::Digest> tagged;
};

oci::Result<RepositoryContent> readRepository(Registry& registry, const std::string& repository,
                                              bool deleteUntagged)
{
    auto revisions = readRevisions(registry.driver(), registry.blobs(), repository);
    if (!revisions)
        return unexpected(std::move(revisions).error());
    RepositoryContent content{std::move(revisions).value(), {}};
    // Without deleteUntagged every revision lives, so the tags need not be read. Tags that
    // cannot be read must stop the run: taking them for "no tags" would collect tagged
    // images. A repository deleted meanwhile has none.
    if (deleteUntagged) {
        auto targets = registry.tags().targets(repository);
        if (!targets && targets.error().code != oci::ErrorCode::NameUnknown)
            return unexpected(std::move(targets).error());
        for (auto& target : targets ? *targets : std::vector<TagStore::Target>{})
            content.tagged.push_back(std::move(target.digest));
    }
    return content;
}

// Storage calls block: a few threads read repositories while the collector marks.
unsigned readerThreads()
{
    return std::clamp(std::thread::hardware_concurrency(), 2u, 4u);
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

    // Mark.
    auto repositories = m_registry.catalog().repositories();
    if (!repositories)
        return unexpected(std::move(repositories).error());
    state.total = repositories->size();
    report(state);
    std::set<oci::Digest> marked;
    { // the readers stop when marking ends, however it ends
        OrderedWork<oci::Result<RepositoryContent>> reading(
            repositories->size(), readerThreads(), [&](std::size_t index) {
                return readRepository(m_registry, (*repositories)[index], options.deleteUntagged);
            });
        for (const auto& repository : *repositories) {
            if (cancelled()) {
                result.manifestsDeleted.clear(); // found, but none deleted yet
                result.cancelled = true;
                return result;
            }
            auto content = reading.next();
            if (!content)
                return unexpected(std::move(content).error());
            const auto& [revisions, tagged] = *content;
            const auto live = liveRevisions(revisions, tagged, options.deleteUntagged, youngest);
            for (const auto& [digest, revision] : revisions) {
                if (!live.contains(digest)) {
                    result.manifestsDeleted.push_back({repository, digest});
                    continue;
                }
                marked.insert(digest);
                if (revision.manifest) {
                    for (const auto& blob : revision.manifest->referencedBlobs())
                        marked.insert(blob);
                }
            }
            ++state.done;
            report(state);
        }
    }

    // Untagged manifests go before the sweep, so the blobs only they used go in this run.
    if (!options.dryRun) {
        std::vector<DeletedManifest> deleted;
        for (auto& candidate : result.manifestsDeleted) {
            const auto lock = guard.lockForDelete();
            if (guard.touchedDuringCollection(candidate.digest)) { // pushed again meanwhile
                marked.insert(candidate.digest);
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
        if (marked.contains(digest)) {
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
    auto purged =
        m_registry.uploads().purgeIdle(std::chrono::system_clock::now() - options.uploadAge, options.dryRun);
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
