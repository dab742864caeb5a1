#pragma once
// The admin API's JSON for retention: the rules in force and where they come from, what a
// preview plans, and how a run or preview job goes (shapes in README.md, "Retention").

#include "registry/RetentionJobs.h"
#include "registry/RetentionRuleStore.h"
#include "registry/RetentionSchedule.h"

#include <boost/json/fwd.hpp>
#include <chrono>

namespace berth::http {

// {"source", "schedule_seconds", "schedule_source", "next_run", "protect", "rules"}
boost::json::object describeRules(const registry::RetentionRuleStore::Current& current,
                                  const registry::RetentionSchedule& schedule);
// {"source", "time", "delete": [decision], "keep": [decision]}
boost::json::object describePreview(const registry::RetentionPlan& plan,
                                    registry::RetentionRuleStore::Source source,
                                    std::chrono::system_clock::time_point time);
// {"id", "state", "trigger", "phase", "done", "total", "error"?, "result"?}
boost::json::object describeJob(const registry::RetentionJob& job);
// {"id", "state", "phase", "done", "total", "error"?, "result"?}; the result is the preview
// document describePreview makes.
boost::json::object describeJob(const registry::RetentionPreviewJob& job);

} // namespace berth::http
