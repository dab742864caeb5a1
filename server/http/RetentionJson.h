#pragma once
// The admin API's JSON for retention: the rules in force and where they come from, what a
// preview plans, and how a run job goes (shapes in README.md, "Retention").

#include "registry/RetentionJobs.h"
#include "registry/RetentionRuleStore.h"

#include <boost/json/fwd.hpp>
#include <chrono>

namespace berth::http {

// {"source", "schedule_seconds", "protect", "rules"}
boost::json::object describeRules(const registry::RetentionRuleStore::Current& current,
                                  std::chrono::seconds schedule);
// {"source", "time", "delete": [decision], "keep": [decision]}
boost::json::object describePreview(const registry::RetentionPlan& plan,
                                    registry::RetentionRuleStore::Source source,
                                    std::chrono::system_clock::time_point time);
// {"id", "state", "trigger", "phase", "done", "total", "error"?, "result"?}
boost::json::object describeJob(const registry::RetentionJob& job);

} // namespace berth::http
