#pragma once
// What retention rules decide for one repository: which tags and untagged manifests go,
// which stay, and why, in the words a preview shows and the logs keep. It reads nothing:
// the same state and time always give the same plan.
//
// - A tag matching a protected pattern stays; rules neither count nor remove it.
// - A rule applies to the repositories its glob matches and there selects the tags its
//   include expression matches and its exclude expression does not. Each keep clause
//   keeps some of those (the N most recently pushed, the N highest semantic versions,
//   those pushed within D days); a tag any clause keeps stays.
// - A tag goes when a rule selects it and no rule that selects it keeps it. Tags no rule
//   selects are untouched.
// - Removing a tag removes the tag only: its manifest stays while another tag points to it.
// - Then, with the tags that stay, manifests no tag reaches go once they were pushed at
//   least untagged_older_than_days ago (the largest of the rules applying to the
//   repository), unless an index or subject that stays still needs them.

#include "registry/ManifestGraph.h"
#include "registry/RetentionRules.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace berth::registry {

struct TagState
{
    std::string name;
    oci::Digest digest;
    std::chrono::system_clock::time_point pushed; // when the tag was last set
};

struct RepositoryState
{
    std::string name;
    std::vector<TagState> tags;
    Revisions revisions; // read only when untagged manifests are to be judged
};

struct RetentionDecision
{
    std::string repository;
    std::string tag; // empty for a manifest
    oci::Digest digest;
    std::optional<std::chrono::system_clock::time_point> pushed;
    std::optional<std::size_t> rule; // index of the deciding rule; none for protection and shared digests
    std::string reason;              // "not among the 5 most recently pushed", ...
};

struct RetentionPlan
{
    // Repository by repository, tags (by name) before manifests (by digest): a run carries
    // them out in this order, so a manifest goes only after the tags it loses.
    std::vector<RetentionDecision> deletions;
    std::vector<RetentionDecision> kept;
};

class RetentionPolicy
{
public:
    explicit RetentionPolicy(RetentionRules rules) : m_rules(std::move(rules)) {}

    const RetentionRules& rules() const { return m_rules; }
    // Whether any rule applies to `repository`; the plan of any other is empty.
    bool applies(std::string_view repository) const;
    // Whether untagged manifests of `repository` are judged, so its revisions must be read.
    bool judgesUntagged(std::string_view repository) const;

    // Adds the decisions for `repository` as of `now` to `plan`. Fails, naming the rule and
    // its expression ("rules[2].tags.include: matching ..."), when a tag expression cannot
    // be matched within Boost.Regex's bound; `plan` is then incomplete.
    Expected<void, RetentionRulesError> plan(const RepositoryState& repository,
                                             std::chrono::system_clock::time_point now,
                                             RetentionPlan& plan) const;

private:
    struct TagVerdict;

    Expected<void, RetentionRulesError> judgeTags(const RepositoryState& repository,
                                                  std::chrono::system_clock::time_point now,
                                                  std::vector<TagVerdict>& verdicts) const;
    void judgeUntagged(const RepositoryState& repository, const std::vector<TagVerdict>& verdicts,
                       std::chrono::system_clock::time_point now, RetentionPlan& plan) const;

    RetentionRules m_rules;
};

} // namespace berth::registry
