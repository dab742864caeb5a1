#include "registry/RetentionPolicy.h"

#include "registry/SemanticVersion.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace berth::registry {

namespace {

using Clock = std::chrono::system_clock;
constexpr auto day = std::chrono::hours(24);

// One keep clause's verdict on a tag it was asked about.
struct ClauseVerdict
{
    bool kept = false;
    std::string reason;
};
// Indexed like RepositoryState::tags; only the selected entries are filled in.
using ClauseVerdicts = std::vector<ClauseVerdict>;

std::string pushedAgo(Clock::time_point now, Clock::time_point pushed)
{
    const auto days = std::max<std::int64_t>(0, std::chrono::floor<std::chrono::days>(now - pushed).count());
    if (days == 0)
        return "pushed less than a day ago";
    return "pushed " + std::to_string(days) + (days == 1 ? " day ago" : " days ago");
}

std::string daysText(std::uint64_t days)
{
    return std::to_string(days) + (days == 1 ? " day" : " days");
}

// "the most recently pushed" or "among the 5 most recently pushed".
std::string among(std::uint64_t count, std::string_view one, std::string_view many)
{
    return count == 1 ? "the " + std::string(one)
                      : "among the " + std::to_string(count) + ' ' + std::string(many);
}

// Gives the first `count` of `ranked` (tag indexes, best first) the kept verdict.
void keepFirst(const std::vector<std::size_t>& ranked, std::uint64_t count, const std::string& phrase,
               ClauseVerdicts& verdicts)
{
    for (std::size_t rank = 0; rank < ranked.size(); ++rank) {
        const bool kept = rank < count;
        verdicts[ranked[rank]] = {kept, kept ? phrase : "not " + phrase};
    }
}

// Ties (the same push time, or equal versions such as "1.0" and "v1.0") go to the later name.
ClauseVerdicts mostRecent(const std::vector<TagState>& tags, std::vector<std::size_t> selected,
                          std::uint64_t count)
{
    std::sort(selected.begin(), selected.end(), [&tags](std::size_t a, std::size_t b) {
        return std::tie(tags[a].pushed, tags[a].name) > std::tie(tags[b].pushed, tags[b].name);
    });
    ClauseVerdicts verdicts(tags.size());
    keepFirst(selected, count, among(count, "most recently pushed", "most recently pushed"), verdicts);
    return verdicts;
}

ClauseVerdicts highestVersions(const std::vector<TagState>& tags, const std::vector<std::size_t>& selected,
                               std::uint64_t count)
{
    ClauseVerdicts verdicts(tags.size());
    std::vector<std::pair<SemanticVersion, std::size_t>> versions;
    for (const auto index : selected) {
        if (auto version = SemanticVersion::parse(tags[index].name))
            versions.emplace_back(std::move(*version), index);
        else
            verdicts[index] = {false, "not a semantic version"};
    }
    std::sort(versions.begin(), versions.end(), [&tags](const auto& a, const auto& b) {
        if (const auto order = a.first <=> b.first; std::is_neq(order))
            return std::is_gt(order);
        return tags[a.second].name > tags[b.second].name;
    });
    std::vector<std::size_t> ranked;
    ranked.reserve(versions.size());
    for (const auto& [version, index] : versions)
        ranked.push_back(index);
    keepFirst(ranked, count, among(count, "highest version", "highest versions"), verdicts);
    return verdicts;
}

ClauseVerdicts pushedWithin(const std::vector<TagState>& tags, const std::vector<std::size_t>& selected,
                            std::uint64_t days, Clock::time_point now)
{
    ClauseVerdicts verdicts(tags.size());
    const auto cutoff = now - days * day;
    for (const auto index : selected) {
        const bool kept = tags[index].pushed > cutoff;
        verdicts[index] = {kept, pushedAgo(now, tags[index].pushed) + (kept ? " (within " : " (not within ") +
                                     daysText(days) + ')'};
    }
    return verdicts;
}

} // namespace

struct RetentionPolicy::TagVerdict
{
    bool selected = false; // by some rule applying to the repository, protected or not
    const Glob* protection = nullptr;
    std::optional<std::size_t> keptBy;
    std::string keptBecause;
    std::optional<std::size_t> removedBy;
    std::string removedBecause;

    bool stays() const { return protection || keptBy || !removedBy; }
};

bool RetentionPolicy::applies(std::string_view repository) const
{
    return std::any_of(m_rules.rules.begin(), m_rules.rules.end(), [repository](const RetentionRule& rule) {
        return rule.repositories.matches(repository);
    });
}

bool RetentionPolicy::judgesUntagged(std::string_view repository) const
{
    return std::any_of(m_rules.rules.begin(), m_rules.rules.end(), [repository](const RetentionRule& rule) {
        return rule.untaggedOlderThanDays && rule.repositories.matches(repository);
    });
}

Expected<void, RetentionRulesError> RetentionPolicy::judgeTags(const RepositoryState& repository,
                                                               Clock::time_point now,
                                                               std::vector<TagVerdict>& verdicts) const
{
    const auto& tags = repository.tags;
    for (std::size_t index = 0; index < tags.size(); ++index)
        verdicts[index].protection = m_rules.protection(tags[index].name);
    for (std::size_t ruleIndex = 0; ruleIndex < m_rules.rules.size(); ++ruleIndex) {
        const auto& rule = m_rules.rules[ruleIndex];
        if (!rule.keep || !rule.repositories.matches(repository.name))
            continue;
        std::vector<std::size_t> selected;
        for (std::size_t index = 0; index < tags.size(); ++index) {
            auto selects = rule.selectsTag(tags[index].name);
            if (!selects) {
                auto error = std::move(selects).error();
                error.field = "rules[" + std::to_string(ruleIndex) + "]." + error.field;
                return unexpected(std::move(error));
            }
            if (!*selects)
                continue;
            verdicts[index].selected = true;
            if (!verdicts[index].protection)
                selected.push_back(index);
        }
        std::vector<ClauseVerdicts> clauses;
        if (rule.keep->mostRecent)
            clauses.push_back(mostRecent(tags, selected, *rule.keep->mostRecent));
        if (rule.keep->highestVersions)
            clauses.push_back(highestVersions(tags, selected, *rule.keep->highestVersions));
        if (rule.keep->pushedWithinDays)
            clauses.push_back(pushedWithin(tags, selected, *rule.keep->pushedWithinDays, now));
        for (const auto index : selected) {
            auto& verdict = verdicts[index];
            const auto keeping =
                std::find_if(clauses.begin(), clauses.end(),
                             [index](const ClauseVerdicts& clause) { return clause[index].kept; });
            if (keeping != clauses.end()) {
                if (!verdict.keptBy) {
                    verdict.keptBy = ruleIndex;
                    verdict.keptBecause = (*keeping)[index].reason;
                }
            } else if (!verdict.removedBy) {
                verdict.removedBy = ruleIndex;
                for (const auto& clause : clauses)
                    verdict.removedBecause +=
                        (verdict.removedBecause.empty() ? "" : "; ") + clause[index].reason;
            }
        }
    }
    return {};
}

Expected<void, RetentionRulesError> RetentionPolicy::plan(const RepositoryState& repository,
                                                          Clock::time_point now, RetentionPlan& plan) const
{
    std::vector<TagVerdict> verdicts(repository.tags.size());
    if (auto judged = judgeTags(repository, now, verdicts); !judged)
        return judged;

    std::map<oci::Digest, std::string> stayingTagOf; // the first staying tag of each digest
    for (std::size_t index = 0; index < repository.tags.size(); ++index) {
        if (verdicts[index].stays())
            stayingTagOf.emplace(repository.tags[index].digest, repository.tags[index].name);
    }
    std::set<oci::Digest> sharedReported;
    std::vector<RetentionDecision> shared;
    for (std::size_t index = 0; index < repository.tags.size(); ++index) {
        const auto& tag = repository.tags[index];
        const auto& verdict = verdicts[index];
        if (!verdict.selected)
            continue;
        RetentionDecision decision{repository.name, tag.name, tag.digest, tag.pushed, {}, {}};
        if (verdict.protection) {
            decision.reason = "protected by pattern " + verdict.protection->pattern();
            plan.kept.push_back(std::move(decision));
        } else if (verdict.keptBy) {
            decision.rule = verdict.keptBy;
            decision.reason = verdict.keptBecause;
            plan.kept.push_back(std::move(decision));
        } else {
            decision.rule = verdict.removedBy;
            decision.reason = verdict.removedBecause;
            plan.deletions.push_back(std::move(decision));
            const auto staying = stayingTagOf.find(tag.digest);
            if (staying != stayingTagOf.end() && sharedReported.insert(tag.digest).second)
                shared.push_back({repository.name,
                                  {},
                                  tag.digest,
                                  {},
                                  {},
                                  "digest shared with kept tag " + staying->second});
        }
    }
    plan.kept.insert(plan.kept.end(), shared.begin(), shared.end());
    judgeUntagged(repository, verdicts, now, plan);
    return {};
}

void RetentionPolicy::judgeUntagged(const RepositoryState& repository,
                                    const std::vector<TagVerdict>& verdicts, Clock::time_point now,
                                    RetentionPlan& plan) const
{
    // The most lenient rule decides, as a tag any rule keeps stays.
    std::optional<std::size_t> deciding;
    for (std::size_t ruleIndex = 0; ruleIndex < m_rules.rules.size(); ++ruleIndex) {
        const auto& rule = m_rules.rules[ruleIndex];
        if (rule.untaggedOlderThanDays && rule.repositories.matches(repository.name) &&
            (!deciding || *rule.untaggedOlderThanDays > *m_rules.rules[*deciding].untaggedOlderThanDays))
            deciding = ruleIndex;
    }
    if (!deciding)
        return;
    const auto days = *m_rules.rules[*deciding].untaggedOlderThanDays;
    const auto youngest = now - days * day;

    std::vector<oci::Digest> staying;
    std::set<oci::Digest> losingTags;
    for (std::size_t index = 0; index < repository.tags.size(); ++index) {
        if (verdicts[index].stays())
            staying.push_back(repository.tags[index].digest);
        else
            losingTags.insert(repository.tags[index].digest);
    }
    // Children of tagged indexes and referrers of tagged subjects count as tagged.
    const auto reachedByTags = liveRevisions(repository.revisions, staying, true, Clock::time_point::max());
    const auto live = liveRevisions(repository.revisions, staying, true, youngest);
    for (const auto& [digest, revision] : repository.revisions) {
        if (reachedByTags.contains(digest))
            continue;
        RetentionDecision decision{repository.name, {}, digest, revision.linked, deciding, {}};
        const auto age = pushedAgo(now, revision.linked);
        if (revision.linked > youngest) {
            decision.reason = "untagged, " + age + " (within " + daysText(days) + ')';
            plan.kept.push_back(std::move(decision));
        } else if (live.contains(digest)) {
            decision.reason = "untagged, but needed by an index or subject that stays";
            plan.kept.push_back(std::move(decision));
        } else {
            decision.reason = (losingTags.contains(digest) ? "no tag left after this run, " : "untagged, ") +
                              age + " (older than " + daysText(days) + ')';
            plan.deletions.push_back(std::move(decision));
        }
    }
}

} // namespace berth::registry
