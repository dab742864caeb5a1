#include "http/RetentionJson.h"

#include "support/Time.h"

#include <boost/json.hpp>

namespace berth::http {

namespace json = boost::json;

namespace {

// {"repository", "tag" (tags only), "digest", "pushed"?, "rule"?, "reason"}
json::object describe(const registry::RetentionDecision& decision)
{
    json::object out{{"repository", decision.repository}};
    if (!decision.tag.empty())
        out["tag"] = decision.tag;
    out["digest"] = decision.digest.toString();
    if (decision.pushed)
        out["pushed"] = formatRfc3339(*decision.pushed);
    if (decision.rule)
        out["rule"] = *decision.rule;
    out["reason"] = decision.reason;
    return out;
}

json::array describe(const std::vector<registry::RetentionDecision>& decisions)
{
    json::array out;
    out.reserve(decisions.size());
    for (const auto& decision : decisions)
        out.push_back(describe(decision));
    return out;
}

std::string_view phaseName(registry::RetentionProgress::Phase phase)
{
    switch (phase) {
    case registry::RetentionProgress::Phase::Reading:
        return "reading";
    case registry::RetentionProgress::Phase::Removing:
        return "removing";
    case registry::RetentionProgress::Phase::Done:
        return "done";
    }
    return "done";
}

} // namespace

json::object describeRules(const registry::RetentionRuleStore::Current& current,
                           std::chrono::seconds schedule)
{
    json::object out{{"source", toString(current.source)}, {"schedule_seconds", schedule.count()}};
    auto rules = registry::toJson(current.rules);
    for (auto& [key, value] : rules.as_object())
        out[key] = std::move(value);
    return out;
}

json::object describePreview(const registry::RetentionPlan& plan, registry::RetentionRuleStore::Source source,
                             std::chrono::system_clock::time_point time)
{
    return json::object{{"source", toString(source)},
                        {"time", formatRfc3339(time)},
                        {"delete", describe(plan.deletions)},
                        {"keep", describe(plan.kept)}};
}

json::object describeJob(const registry::RetentionJob& job)
{
    json::object out{{"id", job.id},
                     {"state", toString(job.state)},
                     {"trigger", job.options.trigger},
                     {"phase", phaseName(job.progress.phase)},
                     {"done", job.progress.done},
                     {"total", job.progress.total}};
    if (!job.error.empty())
        out["error"] = job.error;
    if (job.report) {
        out["result"] = json::object{{"planned", job.report->plan.deletions.size()},
                                     {"removed", describe(job.report->removed)},
                                     {"skipped", describe(job.report->skipped)}};
    }
    return out;
}

} // namespace berth::http
