#include "registry/GarbageCollector.h"

#include "registry/Layout.h"
#include "registry/ManifestGraph.h"
#include "registry/StorageAccess.h"

#include <map>
#include <set>

namespace berth::registry {

namespace {

// A blob found in the store while sweeping.
struct StoredBlob
{
    oci::Digest digest;
    std::uint64_t size = 0;
    std::chrono::system_clock::time_point modified;
};

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
    for (const auto& repository : *repositories) {
        if (cancelled()) {
            result.manifestsDeleted.clear(); // found, but none deleted yet
            result.cancelled = true;
            return result;
        }
        auto revisions = readRevisions(driver, m_registry.blobs(), repository);
        if (!revisions)
            return unexpected(std::move(revisions).error());

        // Tags that cannot be read must stop the run: taking them for "no tags" would
        // collect tagged images. A repository deleted meanwhile has none.
        std::vector<oci::Digest> tagged;
        auto targets = m_registry.tags().targets(repository);
        if (!targets && targets.error().code != oci::ErrorCode::NameUnknown)
            return unexpected(std::move(targets).error());
        for (auto& target : targets ? *targets : std::vector<TagStore::Target>{})
            tagged.push_back(std::move(target.digest));

        const auto live = liveRevisions(*revisions, tagged, options.deleteUntagged, youngest);
        for (const auto& [digest, revision] : *revisions) {
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

    // Sweep.
    std::vector<StoredBlob> blobs;
    auto walked = driver.walk(layout::blobsRoot(), [&](const storage::FileInfo& entry) {
        if (!entry.isDirectory) {
            if (auto digest = layout::digestOfBlobData(entry.path))
                blobs.push_back({std::move(*digest), entry.size, entry.modified});
        }
        return storage::WalkAction::Continue;
    });
    if (!walked && walked.error().kind != storage::ErrorKind::NotFound)
        return unexpected(storageFailure(walked.error()));

    state = {CollectionProgress::Phase::Sweeping, 0, blobs.size(), 0};
    report(state);
    for (const auto& blob : blobs) {
        if (cancelled()) {
            result.cancelled = true;
            return result;
        }
        if (++state.done % 256 == 0)
            report(state);
        if (marked.contains(blob.digest)) {
            ++result.blobsKept;
            continue;
        }
        if (blob.modified > youngest) {
            ++result.blobsInGracePeriod;
            continue;
        }
        if (!options.dryRun) {
            const auto lock = guard.lockForDelete();
            if (guard.touchedDuringCollection(blob.digest)) {
                ++result.blobsKept;
                continue;
            }
            auto removed = removeIfPresent(driver, layout::blobDirectory(blob.digest));
            if (!removed)
                return unexpected(std::move(removed).error());
            m_registry.changes().blobDeleted(blob.digest);
        }
        result.blobsDeleted.push_back(blob.digest);
        result.bytesReclaimed += blob.size;
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
