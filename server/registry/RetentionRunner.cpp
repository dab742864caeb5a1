#include "registry/RetentionRunner.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

#include <set>

namespace berth::registry {

std::optional<oci::Error> retentionRefusal(const RegistryOptions& options)
{
    if (options.readOnly)
        return oci::Error{oci::ErrorCode::Unsupported, "the registry is in read-only mode",
                          "retention runs remove tags; previews work"};
    if (!options.deleteEnabled)
        return oci::Error{oci::ErrorCode::Unsupported, "deletes are disabled on this registry",
                          "set storage.delete.enabled: true to run retention; previews work"};
    return std::nullopt;
}

RetentionRunner::RetentionRunner(Registry& registry, Clock clock)
    : m_registry(registry), m_clock(std::move(clock))
{
    if (!m_clock)
        m_clock = [] { return std::chrono::system_clock::now(); };
}

oci::Result<RetentionPreview> RetentionRunner::preview(const RetentionRules& rules,
                                                       const ProgressCallback& progress,
                                                       const std::atomic<bool>* cancel)
{
    const RetentionPolicy policy(rules);
    RetentionProgress state;
    const ProgressCallback report = [&state, &progress](const RetentionProgress& reached) {
        state = reached;
        if (progress)
            progress(state);
    };
    RetentionPreview result;
    result.time = m_clock();
    auto planned = plan(policy, result.time, report, cancel);
    if (!planned)
        return unexpected(std::move(planned).error());
    if (!*planned) {
        result.cancelled = true;
        return result;
    }
    result.plan = std::move(**planned);
    state.phase = RetentionProgress::Phase::Done;
    report(state);
    return result;
}

oci::Result<RetentionReport> RetentionRunner::run(const RetentionRules& rules,
                                                  const ProgressCallback& progress,
                                                  const std::atomic<bool>* cancel,
                                                  const RemovalCallback& removed)
{
    if (auto refusal = retentionRefusal(m_registry.options()))
        return unexpected(std::move(*refusal));
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    const auto report = [&progress](const RetentionProgress& state) {
        if (progress)
            progress(state);
    };
    // From here on every push records what it touches, so the checks below see it.
    const CollectionScope scope(m_registry.collectionGuard());
    const RetentionPolicy policy(rules);
    auto planned = plan(policy, m_clock(), report, cancel);
    if (!planned)
        return unexpected(std::move(planned).error());
    RetentionReport result;
    if (!*planned) {
        result.cancelled = true;
        return result;
    }
    result.plan = std::move(**planned);

    RetentionProgress state{RetentionProgress::Phase::Removing, 0, result.plan.deletions.size()};
    report(state);
    std::set<std::string> changedRepositories; // a tag changed under the run
    for (auto decision : result.plan.deletions) {
        if (cancelled()) {
            result.cancelled = true;
            return result;
        }
        auto outcome = Outcome::Skipped;
        if (!decision.tag.empty()) {
            auto removedTag = removeTag(decision);
            if (!removedTag)
                return unexpected(std::move(removedTag).error());
            outcome = *removedTag;
            if (outcome == Outcome::Skipped)
                changedRepositories.insert(decision.repository);
        } else if (changedRepositories.contains(decision.repository)) {
            decision.reason = "kept: a tag of the repository changed during the run";
        } else {
            auto removedManifest = removeManifest(decision);
            if (!removedManifest)
                return unexpected(std::move(removedManifest).error());
            outcome = *removedManifest;
        }
        if (outcome == Outcome::Removed) {
            if (removed)
                removed(decision);
            result.removed.push_back(std::move(decision));
        } else {
            result.skipped.push_back(std::move(decision));
        }
        ++state.done;
        report(state);
    }
    state.phase = RetentionProgress::Phase::Done;
    report(state);
    return result;
}

oci::Result<std::optional<RetentionPlan>> RetentionRunner::plan(const RetentionPolicy& policy,
                                                                std::chrono::system_clock::time_point now,
                                                                const ProgressCallback& progress,
                                                                const std::atomic<bool>* cancel)
{
    auto repositories = m_registry.catalog().repositories();
    if (!repositories)
        return unexpected(std::move(repositories).error());
    RetentionProgress state{RetentionProgress::Phase::Reading, 0, repositories->size()};
    if (progress)
        progress(state);
    RetentionPlan result;
    for (const auto& repository : *repositories) {
        if (cancel && cancel->load())
            return std::optional<RetentionPlan>();
        if (policy.applies(repository)) {
            auto read = this->read(policy, repository);
            if (!read)
                return unexpected(std::move(read).error());
            if (*read) {
                if (auto planned = policy.plan(**read, now, result); !planned)
                    return oci::fail(oci::ErrorCode::SizeInvalid, "invalid retention rules",
                                     planned.error().describe());
            }
        }
        ++state.done;
        if (progress)
            progress(state);
    }
    return std::optional<RetentionPlan>(std::move(result));
}

oci::Result<std::optional<RepositoryState>> RetentionRunner::read(const RetentionPolicy& policy,
                                                                  const std::string& repository)
{
    // Tags that cannot be read stop the run: taking them for "no tags" would misjudge
    // every manifest. A repository deleted meanwhile has none.
    auto targets = m_registry.tags().targets(repository);
    if (!targets) {
        if (targets.error().code == oci::ErrorCode::NameUnknown)
            return std::optional<RepositoryState>();
        return unexpected(std::move(targets).error());
    }
    RepositoryState state{repository, {}, {}};
    for (auto& target : *targets) {
        auto link = m_registry.driver().stat(layout::tagCurrentLink(repository, target.tag));
        if (!link) {
            if (link.error().kind == storage::ErrorKind::NotFound) // untagged meanwhile
                continue;
            return unexpected(storageFailure(link.error()));
        }
        state.tags.push_back({std::move(target.tag), std::move(target.digest), link->modified});
    }
    if (policy.judgesUntagged(repository)) {
        auto revisions = readRevisions(m_registry.driver(), m_registry.blobs(), repository);
        if (!revisions)
            return unexpected(std::move(revisions).error());
        state.revisions = std::move(revisions).value();
    }
    return std::optional<RepositoryState>(std::move(state));
}

oci::Result<RetentionRunner::Outcome> RetentionRunner::removeTag(RetentionDecision& decision)
{
    auto& guard = m_registry.collectionGuard();
    const auto lock = guard.lockForDelete();
    auto current = m_registry.tags().resolve(decision.repository, decision.tag);
    if (!current)
        return unexpected(std::move(current).error());
    auto link = m_registry.driver().stat(layout::tagCurrentLink(decision.repository, decision.tag));
    if (!*current || (!link && link.error().kind == storage::ErrorKind::NotFound)) {
        decision.reason = "already removed";
        return Outcome::Skipped;
    }
    if (!link)
        return unexpected(storageFailure(link.error()));
    if (**current != decision.digest) {
        decision.reason = "kept: moved to " + (*current)->toString() + " during the run";
        return Outcome::Skipped;
    }
    if (link->modified != decision.pushed) {
        decision.reason = "kept: pushed again during the run";
        return Outcome::Skipped;
    }
    auto untagged = m_registry.tags().untag(decision.repository, decision.tag);
    if (!untagged && untagged.error().code != oci::ErrorCode::ManifestUnknown)
        return unexpected(std::move(untagged).error());
    return Outcome::Removed;
}

oci::Result<RetentionRunner::Outcome> RetentionRunner::removeManifest(RetentionDecision& decision)
{
    auto& guard = m_registry.collectionGuard();
    const auto lock = guard.lockForDelete();
    if (guard.touchedDuringCollection(decision.digest)) {
        decision.reason = "kept: pushed again during the run";
        return Outcome::Skipped;
    }
    auto removed = m_registry.manifests().remove(decision.repository, decision.digest);
    if (!removed) {
        if (removed.error().code != oci::ErrorCode::ManifestUnknown)
            return unexpected(std::move(removed).error());
        decision.reason = "already removed";
        return Outcome::Skipped;
    }
    return Outcome::Removed;
}

} // namespace berth::registry
