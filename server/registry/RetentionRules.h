#pragma once
// Retention rules: which tags, and which untagged manifests, of which repositories a
// retention run removes. One JSON document shape serves the admin API, the rules file
// berthd stores and config.yml's berth.retention (read as the same tree):
//
//   {"protect": ["latest", "release-*"],
//    "rules": [{"repositories": "team/**",
//               "tags": {"include": "^v", "exclude": "-rc"},
//               "keep": {"most_recent": 5, "highest_versions": 3, "pushed_within_days": 30},
//               "untagged_older_than_days": 7}]}
//
// Parsing validates everything (globs, regular expressions, numbers, unknown fields), so
// a RetentionRules value is always usable; what the rules mean is RetentionPolicy's.

#include "registry/Glob.h"

#include <boost/json/fwd.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

struct RetentionRulesError
{
    std::string field; // "rules[1].keep.most_recent"; empty for the document itself
    std::string message;

    // "rules[1].keep.most_recent: must be a whole number of at least 0, got -3"
    std::string describe() const;
};

// A regular expression (ECMAScript, Boost.Regex) that selects a tag when it matches part of
// its name; anchor it with ^ and $ to match the whole name. Matching is bounded: Boost.Regex
// gives up when an expression backtracks catastrophically (such as "(a+)+$" on a long tag),
// so an admin's pattern can never stall a run.
class TagRegex
{
public:
    // Why `pattern` is not a regular expression, or backtracks catastrophically on tags of
    // one repeated character (the probes that catch "(a+)+$" and its kin before they run).
    static Expected<TagRegex, std::string> parse(std::string_view pattern);

    // Whether the expression matches part of `tag`; why not known when matching exceeded
    // the bound.
    Expected<bool, std::string> matches(std::string_view tag) const;
    const std::string& pattern() const { return m_pattern; }

    friend bool operator==(const TagRegex& a, const TagRegex& b) { return a.m_pattern == b.m_pattern; }

private:
    struct Compiled;
    std::string m_pattern;
    std::shared_ptr<const Compiled> m_compiled; // shared by copies; matching does not change it
};

// Which of the tags a rule selects it keeps; a tag any clause keeps stays.
struct KeepClause
{
    std::optional<std::uint64_t> mostRecent;      // the N most recently pushed
    std::optional<std::uint64_t> highestVersions; // the N highest semantic versions
    std::optional<std::uint64_t> pushedWithinDays;

    bool operator==(const KeepClause&) const = default;
};

struct RetentionRule
{
    Glob repositories;
    std::optional<TagRegex> include; // none: every tag
    std::optional<TagRegex> exclude; // none: no tag
    std::optional<KeepClause> keep;  // none: the rule leaves tags alone
    std::optional<std::uint64_t> untaggedOlderThanDays;

    // Whether include and exclude select `tag`; the error names the expression that could
    // not be matched ("tags.include") relative to the rule.
    Expected<bool, RetentionRulesError> selectsTag(std::string_view tag) const;
    bool operator==(const RetentionRule&) const = default;
};

struct RetentionRules
{
    std::vector<Glob> protect; // tags never removed, in any repository
    std::vector<RetentionRule> rules;

    // The first protecting pattern that matches `tag`, or nullptr.
    const Glob* protection(std::string_view tag) const;
    bool operator==(const RetentionRules&) const = default;
};

using RetentionRulesResult = Expected<RetentionRules, RetentionRulesError>;

// Limits that keep a document's evaluation cheap.
inline constexpr std::size_t maxRetentionRules = 1000;
inline constexpr std::uint64_t maxRetentionDays = 36500;

RetentionRulesResult parseRetentionRules(const boost::json::value& document);
// The same from JSON text; a syntax error is an error of the document.
RetentionRulesResult parseRetentionRules(std::string_view json);
// The document parseRetentionRules reads back as `rules`; absent fields are left out.
boost::json::value toJson(const RetentionRules& rules);

// The rules and how often they run by themselves, as a PUT to the admin API sends them and
// berthd stores them: the rules document and "schedule_seconds" (0: never).
struct RetentionSettings
{
    RetentionRules rules;
    std::optional<std::chrono::seconds> schedule; // none: not said

    bool operator==(const RetentionSettings&) const = default;
};

inline constexpr std::uint64_t maxRetentionScheduleSeconds = maxRetentionDays * 24 * 3600;

using RetentionSettingsResult = Expected<RetentionSettings, RetentionRulesError>;

RetentionSettingsResult parseRetentionSettings(const boost::json::value& document);
RetentionSettingsResult parseRetentionSettings(std::string_view json);
// The rules document, with "schedule_seconds" when the schedule is said.
boost::json::value toJson(const RetentionSettings& settings);

} // namespace berth::registry
