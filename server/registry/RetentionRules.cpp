#include "registry/RetentionRules.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/regex.hpp>
#include <initializer_list>

namespace berth::registry {

namespace json = boost::json;

struct TagRegex::Compiled
{
    boost::regex regex;
};

namespace {

constexpr std::size_t maxPatternLength = 1000;
// Every character a tag may hold, and the most it may hold (the distribution spec's grammar).
constexpr std::string_view tagCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
constexpr std::size_t maxTagLength = 128;

// A tag as a message quotes it, shortened.
std::string quotedTag(std::string_view tag)
{
    return '"' + std::string(tag.substr(0, 40)) + (tag.size() > 40 ? "...\"" : "\"");
}

std::string tooComplex(std::string_view tag)
{
    return "matching " + quotedTag(tag) + " (" + std::to_string(tag.size()) +
           " characters) exceeded the complexity bound: the expression backtracks catastrophically; "
           "make its repetitions unambiguous (\"(a+)+\" matches what \"a+\" does)";
}

using Failure = Unexpected<RetentionRulesError>;

Failure failure(std::string field, std::string message)
{
    return unexpected(RetentionRulesError{std::move(field), std::move(message)});
}

// A value as the message quotes it, shortened.
std::string shown(const json::value& value)
{
    auto text = json::serialize(value);
    if (text.size() > 60)
        text = text.substr(0, 57) + "...";
    return text;
}

std::string member(const std::string& object, std::string_view key)
{
    return object.empty() ? std::string(key) : object + '.' + std::string(key);
}

std::string element(const std::string& array, std::size_t index)
{
    return array + '[' + std::to_string(index) + ']';
}

Expected<const json::object*, RetentionRulesError> objectAt(const json::value& value,
                                                            const std::string& field)
{
    if (!value.is_object())
        return failure(field, "expected an object, got " + shown(value));
    return &value.as_object();
}

// Fails on the first key of `object` not in `known`.
std::optional<RetentionRulesError> unknownField(const json::object& object, const std::string& field,
                                                std::initializer_list<std::string_view> known)
{
    for (const auto& entry : object) {
        if (std::find(known.begin(), known.end(), std::string_view(entry.key())) == known.end()) {
            std::string expected;
            for (const auto name : known)
                expected += (expected.empty() ? "" : ", ") + std::string(name);
            return RetentionRulesError{member(field, entry.key()), "unknown field; expected " + expected};
        }
    }
    return std::nullopt;
}

Expected<std::string_view, RetentionRulesError> text(const json::value& value, const std::string& field)
{
    if (!value.is_string())
        return failure(field, "expected a string, got " + shown(value));
    const std::string_view result = value.as_string();
    if (result.size() > maxPatternLength)
        return failure(field, "longer than " + std::to_string(maxPatternLength) + " characters");
    return result;
}

Expected<std::uint64_t, RetentionRulesError> count(const json::value& value, const std::string& field,
                                                   std::uint64_t maximum)
{
    const bool whole = value.is_uint64() || (value.is_int64() && value.as_int64() >= 0);
    if (!whole)
        return failure(field, "must be a whole number of at least 0, got " + shown(value));
    const auto number = value.is_uint64() ? value.as_uint64() : static_cast<std::uint64_t>(value.as_int64());
    if (number > maximum)
        return failure(field, "must be at most " + std::to_string(maximum) + ", got " + shown(value));
    return number;
}

// A Glob or TagRegex from a string; `kind` names it in the error.
template <class Pattern>
Expected<Pattern, RetentionRulesError> pattern(const json::value& value, const std::string& field,
                                               std::string_view kind)
{
    auto source = text(value, field);
    if (!source)
        return unexpected(std::move(source).error());
    auto parsed = Pattern::parse(*source);
    if (!parsed)
        return failure(field, "bad " + std::string(kind) + ' ' + shown(value) + ": " + parsed.error());
    return std::move(parsed).value();
}

Expected<Glob, RetentionRulesError> glob(const json::value& value, const std::string& field)
{
    return pattern<Glob>(value, field, "glob");
}

Expected<TagRegex, RetentionRulesError> regex(const json::value& value, const std::string& field)
{
    return pattern<TagRegex>(value, field, "regular expression");
}

// Reads an optional field with `read`, storing what it yields in `out`.
template <class T, class Read>
std::optional<RetentionRulesError> optionalField(const json::object& object, const std::string& field,
                                                 std::string_view key, std::optional<T>& out, Read read)
{
    const auto* value = object.if_contains(key);
    if (!value)
        return std::nullopt;
    auto parsed = read(*value, member(field, key));
    if (!parsed)
        return std::move(parsed).error();
    out = std::move(parsed).value();
    return std::nullopt;
}

Expected<KeepClause, RetentionRulesError> keepClause(const json::value& value, const std::string& field)
{
    auto object = objectAt(value, field);
    if (!object)
        return unexpected(std::move(object).error());
    if (auto unknown =
            unknownField(**object, field, {"most_recent", "highest_versions", "pushed_within_days"}))
        return unexpected(std::move(*unknown));
    const auto anyCount = [](const json::value& item, const std::string& name) {
        return count(item, name, std::numeric_limits<std::uint64_t>::max());
    };
    const auto days = [](const json::value& item, const std::string& name) {
        return count(item, name, maxRetentionDays);
    };
    KeepClause keep;
    if (auto error = optionalField(**object, field, "most_recent", keep.mostRecent, anyCount))
        return unexpected(std::move(*error));
    if (auto error = optionalField(**object, field, "highest_versions", keep.highestVersions, anyCount))
        return unexpected(std::move(*error));
    if (auto error = optionalField(**object, field, "pushed_within_days", keep.pushedWithinDays, days))
        return unexpected(std::move(*error));
    if (!keep.mostRecent && !keep.highestVersions && !keep.pushedWithinDays)
        return failure(field, "needs most_recent, highest_versions or pushed_within_days");
    return keep;
}

Expected<RetentionRule, RetentionRulesError> rule(const json::value& value, const std::string& field)
{
    auto object = objectAt(value, field);
    if (!object)
        return unexpected(std::move(object).error());
    const auto& fields = **object;
    if (auto unknown =
            unknownField(fields, field, {"repositories", "tags", "keep", "untagged_older_than_days"}))
        return unexpected(std::move(*unknown));
    const auto* repositories = fields.if_contains("repositories");
    if (!repositories)
        return failure(member(field, "repositories"), "missing; \"**\" selects every repository");
    auto repositoryGlob = glob(*repositories, member(field, "repositories"));
    if (!repositoryGlob)
        return unexpected(std::move(repositoryGlob).error());

    RetentionRule result{std::move(repositoryGlob).value(), {}, {}, {}, {}};
    if (const auto* tags = fields.if_contains("tags")) {
        const auto tagsField = member(field, "tags");
        auto tagsObject = objectAt(*tags, tagsField);
        if (!tagsObject)
            return unexpected(std::move(tagsObject).error());
        if (auto unknown = unknownField(**tagsObject, tagsField, {"include", "exclude"}))
            return unexpected(std::move(*unknown));
        if (auto error = optionalField(**tagsObject, tagsField, "include", result.include, regex))
            return unexpected(std::move(*error));
        if (auto error = optionalField(**tagsObject, tagsField, "exclude", result.exclude, regex))
            return unexpected(std::move(*error));
    }
    if (auto error = optionalField(fields, field, "keep", result.keep, keepClause))
        return unexpected(std::move(*error));
    const auto days = [](const json::value& item, const std::string& name) {
        return count(item, name, maxRetentionDays);
    };
    if (auto error =
            optionalField(fields, field, "untagged_older_than_days", result.untaggedOlderThanDays, days))
        return unexpected(std::move(*error));
    if (!result.keep && !result.untaggedOlderThanDays)
        return failure(field, "does nothing: give it keep, untagged_older_than_days or both");
    if (!result.keep && fields.contains("tags"))
        return failure(member(field, "tags"), "selects tags for keep, which this rule does not have");
    return result;
}

} // namespace

Expected<TagRegex, std::string> TagRegex::parse(std::string_view pattern)
{
    TagRegex result;
    result.m_pattern = pattern;
    try {
        result.m_compiled = std::make_shared<const Compiled>(
            Compiled{boost::regex(result.m_pattern, boost::regex::ECMAScript)});
    } catch (const boost::regex_error& error) {
        return unexpected(std::string(error.what()));
    }
    // The longest tag of one repeated character and then one no tag has makes the usual
    // catastrophic patterns ("(a+)+$", "(a|aa)+b", "(\w+\d+)+x") try every split; such a
    // pattern is refused here rather than failing a run later.
    std::string probe(maxTagLength, '!');
    for (const char c : tagCharacters) {
        std::fill_n(probe.begin(), maxTagLength - 1, c);
        if (auto matched = result.matches(probe); !matched)
            return unexpected(tooComplex(probe));
    }
    return result;
}

Expected<bool, std::string> TagRegex::matches(std::string_view tag) const
{
    try {
        return boost::regex_search(tag.begin(), tag.end(), m_compiled->regex);
    } catch (const std::runtime_error&) { // Boost.Regex's bound on backtracking, or its stack
        return unexpected(tooComplex(tag));
    }
}

Expected<bool, RetentionRulesError> RetentionRule::selectsTag(std::string_view tag) const
{
    const auto matches = [tag](const std::optional<TagRegex>& regex,
                               std::string_view field) -> Expected<bool, RetentionRulesError> {
        auto matched = regex->matches(tag);
        if (!matched)
            return unexpected(RetentionRulesError{std::string(field), std::move(matched).error()});
        return *matched;
    };
    if (include) {
        auto included = matches(include, "tags.include");
        if (!included || !*included)
            return included;
    }
    if (!exclude)
        return true;
    auto excluded = matches(exclude, "tags.exclude");
    if (!excluded)
        return excluded;
    return !*excluded;
}

const Glob* RetentionRules::protection(std::string_view tag) const
{
    const auto found =
        std::find_if(protect.begin(), protect.end(), [tag](const Glob& glob) { return glob.matches(tag); });
    return found == protect.end() ? nullptr : &*found;
}

std::string RetentionRulesError::describe() const
{
    return field.empty() ? message : field + ": " + message;
}

RetentionRulesResult parseRetentionRules(const json::value& document)
{
    auto object = objectAt(document, {});
    if (!object)
        return unexpected(std::move(object).error());
    if (auto unknown = unknownField(**object, {}, {"protect", "rules"}))
        return unexpected(std::move(*unknown));
    RetentionRules result;
    if (const auto* protect = (*object)->if_contains("protect")) {
        if (!protect->is_array())
            return failure("protect", "expected a list of tag patterns, got " + shown(*protect));
        for (std::size_t i = 0; i < protect->as_array().size(); ++i) {
            auto pattern = glob(protect->as_array()[i], element("protect", i));
            if (!pattern)
                return unexpected(std::move(pattern).error());
            result.protect.push_back(std::move(pattern).value());
        }
    }
    if (const auto* rules = (*object)->if_contains("rules")) {
        if (!rules->is_array())
            return failure("rules", "expected a list of rules, got " + shown(*rules));
        if (rules->as_array().size() > maxRetentionRules)
            return failure("rules", "more than " + std::to_string(maxRetentionRules) + " rules");
        for (std::size_t i = 0; i < rules->as_array().size(); ++i) {
            auto parsed = rule(rules->as_array()[i], element("rules", i));
            if (!parsed)
                return unexpected(std::move(parsed).error());
            result.rules.push_back(std::move(parsed).value());
        }
    }
    return result;
}

namespace {

// The document of `text`, or why it is not JSON.
Expected<json::value, RetentionRulesError> document(std::string_view text)
{
    boost::system::error_code error;
    auto parsed = json::parse(text, error);
    if (error)
        return failure({}, "not valid JSON: " + error.message());
    return parsed;
}

} // namespace

RetentionRulesResult parseRetentionRules(std::string_view text)
{
    auto parsed = document(text);
    if (!parsed)
        return unexpected(std::move(parsed).error());
    return parseRetentionRules(*parsed);
}

RetentionSettingsResult parseRetentionSettings(const json::value& document)
{
    auto object = objectAt(document, {});
    if (!object)
        return unexpected(std::move(object).error());
    RetentionSettings result;
    json::object rules = **object;
    if (const auto* schedule = rules.if_contains("schedule_seconds")) {
        auto seconds = count(*schedule, "schedule_seconds", maxRetentionScheduleSeconds);
        if (!seconds)
            return unexpected(std::move(seconds).error());
        result.schedule = std::chrono::seconds(*seconds);
        rules.erase("schedule_seconds");
    }
    auto parsed = parseRetentionRules(rules);
    if (!parsed)
        return unexpected(std::move(parsed).error());
    result.rules = std::move(parsed).value();
    return result;
}

RetentionSettingsResult parseRetentionSettings(std::string_view text)
{
    auto parsed = document(text);
    if (!parsed)
        return unexpected(std::move(parsed).error());
    return parseRetentionSettings(*parsed);
}

json::value toJson(const RetentionRules& rules)
{
    json::array protect;
    for (const auto& pattern : rules.protect)
        protect.emplace_back(pattern.pattern());
    json::array list;
    for (const auto& rule : rules.rules) {
        json::object out{{"repositories", rule.repositories.pattern()}};
        if (rule.include || rule.exclude) {
            json::object tags;
            if (rule.include)
                tags["include"] = rule.include->pattern();
            if (rule.exclude)
                tags["exclude"] = rule.exclude->pattern();
            out["tags"] = std::move(tags);
        }
        if (rule.keep) {
            json::object keep;
            if (rule.keep->mostRecent)
                keep["most_recent"] = *rule.keep->mostRecent;
            if (rule.keep->highestVersions)
                keep["highest_versions"] = *rule.keep->highestVersions;
            if (rule.keep->pushedWithinDays)
                keep["pushed_within_days"] = *rule.keep->pushedWithinDays;
            out["keep"] = std::move(keep);
        }
        if (rule.untaggedOlderThanDays)
            out["untagged_older_than_days"] = *rule.untaggedOlderThanDays;
        list.push_back(std::move(out));
    }
    return json::object{{"protect", std::move(protect)}, {"rules", std::move(list)}};
}

json::value toJson(const RetentionSettings& settings)
{
    auto out = toJson(settings.rules);
    if (settings.schedule)
        out.as_object()["schedule_seconds"] = settings.schedule->count();
    return out;
}

} // namespace berth::registry
