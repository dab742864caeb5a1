#pragma once
// Applies retention rules to the store. A preview reads every repository the rules apply
// to (its tags, each with the time its current link was written, and, where untagged
// manifests are judged, its manifest revisions) and returns RetentionPolicy's plan. A run
// does the same inside a collection (see CollectionGuard), then carries the plan out while
// pushes go on: a tag is removed under the commit lock only if it still points where it
// did and was not pushed again since it was read, and an untagged manifest only if no
// push touched it meanwhile and no tag of its repository changed under the run.

#include "registry/Registry.h"
#include "registry/RetentionPolicy.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace berth::registry {

struct RetentionProgress
{
    enum class Phase
    {
        Reading,
        Removing,
        Done
    };
    Phase phase = Phase::Reading;
    std::uint64_t done = 0; // repositories while reading, tags and manifests while removing
    std::uint64_t total = 0;
};

struct RetentionPreview
{
    RetentionPlan plan;
    std::chrono::system_clock::time_point time; // the "now" push ages were counted back from
    bool cancelled = false;                     // then the plan is incomplete
};

struct RetentionReport
{
    RetentionPlan plan;                     // what the run set out to do
    std::vector<RetentionDecision> removed; // what it did
    std::vector<RetentionDecision> skipped; // planned, but changed meanwhile; the reason says how
    bool cancelled = false;
};

// Why retention may not remove anything from this registry (deletes disabled, read-only
// mode); std::nullopt when it may.
std::optional<oci::Error> retentionRefusal(const RegistryOptions& options);

class RetentionRunner
{
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    using ProgressCallback = std::function<void(const RetentionProgress&)>;
    using RemovalCallback = std::function<void(const RetentionDecision&)>;

    // `clock` says what "now" is for push ages; the system clock when empty.
    explicit RetentionRunner(Registry& registry, Clock clock = {});

    // What the rules would do now; changes nothing. `cancel` is polled between repositories.
    // A tag expression that cannot be matched within its bound fails it with SIZE_INVALID
    // naming the rule, as invalid rules do.
    oci::Result<RetentionPreview> preview(const RetentionRules& rules, const ProgressCallback& progress = {},
                                          const std::atomic<bool>* cancel = nullptr);

    // Carries the rules out. `removed` hears of every tag and manifest as it goes;
    // `cancel` is polled between items.
    oci::Result<RetentionReport> run(const RetentionRules& rules, const ProgressCallback& progress = {},
                                     const std::atomic<bool>* cancel = nullptr,
                                     const RemovalCallback& removed = {});

private:
    enum class Outcome
    {
        Removed,
        Skipped
    };

    // The plan as of `now`, or std::nullopt when cancelled.
    oci::Result<std::optional<RetentionPlan>> plan(const RetentionPolicy& policy,
                                                   std::chrono::system_clock::time_point now,
                                                   const ProgressCallback& progress,
                                                   const std::atomic<bool>* cancel);
    // The repository's state; std::nullopt when it is gone.
    oci::Result<std::optional<RepositoryState>> read(const RetentionPolicy& policy,
                                                     const std::string& repository);
    oci::Result<Outcome> removeTag(RetentionDecision& decision);
    oci::Result<Outcome> removeManifest(RetentionDecision& decision);

    Registry& m_registry;
    Clock m_clock;
};

} // namespace berth::registry
