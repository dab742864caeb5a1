#pragma once
// Runs the retention rules in force now and then, as background jobs so the server's
// threads never carry a run. The interval is the store's (set through the admin API, or
// config.yml's berth.retention.schedule) and follows it as it changes: a new interval
// counts from the change, with no restart. At start the first run is due at once. A run
// that falls due while the previous scheduled one still goes is skipped.

#include "oci/Error.h"
#include "registry/RetentionJobs.h"
#include "registry/RetentionRuleStore.h"
#include "support/Logger.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace berth::registry {

class RetentionSchedule
{
public:
    // `refusal`: why runs may not remove anything on this registry (retentionRefusal());
    // the schedule then stays off.
    RetentionSchedule(RetentionRuleStore& store, RetentionJobs& jobs, Logger& logger,
                      std::optional<oci::Error> refusal);
    ~RetentionSchedule();
    RetentionSchedule(const RetentionSchedule&) = delete;
    RetentionSchedule& operator=(const RetentionSchedule&) = delete;

    // Called by the server's timer every second: starts a run when one is due.
    void tick();

    // How often the rules run; 0: never.
    std::chrono::seconds interval() const;
    // When the next scheduled run is due; std::nullopt when none is.
    std::optional<std::chrono::system_clock::time_point> nextRun() const;

private:
    using Clock = std::chrono::steady_clock;

    void follow(std::chrono::seconds interval, Clock::time_point due);

    RetentionRuleStore& m_store;
    RetentionJobs& m_jobs;
    Logger& m_logger;
    std::optional<oci::Error> m_refusal;
    mutable std::mutex m_mutex;
    std::chrono::seconds m_interval{0};
    std::optional<Clock::time_point> m_due;
    std::string m_lastJob;
};

} // namespace berth::registry
