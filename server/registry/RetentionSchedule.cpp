#include "registry/RetentionSchedule.h"

namespace berth::registry {

void RetentionSchedule::tick()
{
    const std::scoped_lock lock(m_mutex);
    if (const auto previous = m_jobs.find(m_lastJob); previous && previous->state == JobState::Running) {
        m_logger.warn("scheduled retention run skipped: the previous one still runs", {{"job", m_lastJob}});
        return;
    }
    auto current = m_store.current();
    if (!current) {
        m_logger.error("scheduled retention run failed",
                       {{"error", current.error().message + ": " + current.error().detail}});
        return;
    }
    if (current->rules.rules.empty())
        return;
    m_lastJob = m_jobs.start({std::move(current->rules), "schedule"});
}

} // namespace berth::registry
