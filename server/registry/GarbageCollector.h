#pragma once
// Mark and sweep over the whole store, safe to run while the registry serves.
//
// Mark: every manifest revision of every repository is alive (with deleteUntagged, only
// manifests a tag reaches, directly or as a child of a live index, referrers whose
// subject is alive, and manifests younger than the grace period); a live manifest keeps
// its own blob, its config and its layers.
// Sweep: a blob nothing marked is deleted unless it is younger than the grace period
// (a push in flight uploads layers before its manifest) or a push touched it while the
// collection ran (see CollectionGuard). Untagged manifests go first, so their blobs are
// swept in the same run.
// Then upload sessions nothing was written to for longer than uploadAge go with their data
// (a client gave up on them), except those a request is using right now.

#include "registry/Registry.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace berth::registry {

struct CollectionOptions
{
    bool dryRun = false;
    bool deleteUntagged = false;
    // Blobs modified, and untagged manifests pushed, more recently than this are kept.
    std::chrono::seconds gracePeriod{std::chrono::hours(1)};
    // Upload sessions idle for longer than this are deleted; storage.maintenance.uploadpurging.age.
    std::chrono::seconds uploadAge{std::chrono::hours(168)};
};

struct CollectionProgress
{
    enum class Phase { Marking, Sweeping, PurgingUploads, Done };
    Phase phase = Phase::Marking;
    std::uint64_t done = 0;  // repositories while marking, blobs while sweeping
    std::uint64_t total = 0;
    std::uint64_t bytesReclaimed = 0; // blobs
    std::uint64_t uploadsDeleted = 0; // from PurgingUploads on
    std::uint64_t uploadBytesReclaimed = 0;
};

struct DeletedManifest
{
    std::string repository;
    oci::Digest digest;
};

struct CollectionReport
{
    std::vector<DeletedManifest> manifestsDeleted; // or that would be, in a dry run
    std::vector<oci::Digest> blobsDeleted;
    std::uint64_t bytesReclaimed = 0;
    std::uint64_t blobsKept = 0;
    std::uint64_t blobsInGracePeriod = 0; // unreferenced but too young to delete
    std::uint64_t uploadsDeleted = 0;     // idle upload sessions, or that would be in a dry run
    std::uint64_t uploadBytesReclaimed = 0;
    std::uint64_t uploadsInUse = 0;       // idle for long, but a request is writing to them now
    bool cancelled = false;
};

class GarbageCollector
{
public:
    using ProgressCallback = std::function<void(const CollectionProgress&)>;

    explicit GarbageCollector(Registry& registry) : m_registry(registry) {}

    // Runs one collection. `cancel` is polled between items; a cancelled run stops where
    // it is, everything deleted so far having been garbage.
    oci::Result<CollectionReport> run(const CollectionOptions& options, const ProgressCallback& progress = {},
                                      const std::atomic<bool>* cancel = nullptr);

private:
    Registry& m_registry;
};

} // namespace berth::registry
