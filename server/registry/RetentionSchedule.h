#pragma once
// Runs the retention rules in force now and then (berth.retention.schedule), as a
// background job so the server's threads never carry a run. A tick while the previous
// scheduled run still goes starts nothing.

#include "registry/RetentionJobs.h"
#include "registry/RetentionRuleStore.h"
#include "support/Logger.h"

#include <mutex>
#include <string>

namespace berth::registry {

class RetentionSchedule
{
public:
    RetentionSchedule(RetentionRuleStore& store, RetentionJobs& jobs, Logger& logger)
        : m_store(store), m_jobs(jobs), m_logger(logger)
    {
    }

    // Called by the server's timer, at start and then at every interval.
    void tick();

private:
    RetentionRuleStore& m_store;
    RetentionJobs& m_jobs;
    Logger& m_logger;
    std::mutex m_mutex;
    std::string m_lastJob;
};

} // namespace berth::registry
