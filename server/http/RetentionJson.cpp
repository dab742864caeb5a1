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

// {"id", "state", "phase", "done", "total", "error"?} of a run or a preview.
template <class Job> json::object describeProgress(const Job& job)
{
    json::object out{{"id", job.id},
                     {"state", toString(job.state)},
                     {"phase", phaseName(job.progress.phase)},
                     {"done", job.progress.done},
                     {"total", job.progress.total}};
    if (!job.error.empty())
        out["error"] = job.error;
    return out;
}

} // namespace

json::object describeRules(const registry::RetentionRuleStore::Current& current,
                           const registry::RetentionSchedule& schedule)
{
    const auto nextRun = schedule.nextRun();
    json::object out{{"source", toString(current.source)},
                     {"schedule_seconds", schedule.interval().count()},
                     {"schedule_source", toString(current.scheduleSource)},
                     {"next_run", nextRun ? json::value(formatRfc3339(*nextRun)) : json::value(nullptr)}};
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
    auto out = describeProgress(job);
    out["trigger"] = job.options.trigger;
    if (job.report) {
        out["result"] = json::object{{"planned", job.report->plan.deletions.size()},
                                     {"removed", describe(job.report->removed)},
                                     {"skipped", describe(job.report->skipped)}};
    }
    return out;
}

json::object describeJob(const registry::RetentionPreviewJob& job)
{
    auto out = describeProgress(job);
    if (job.report && !job.report->cancelled)
        out["result"] = describePreview(job.report->plan, job.options.source, job.report->time);
    return out;
}

} // namespace berth::http
