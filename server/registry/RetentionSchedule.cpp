#include "registry/RetentionSchedule.h"

namespace berth::registry {

RetentionSchedule::RetentionSchedule(RetentionRuleStore& store, RetentionJobs& jobs, Logger& logger,
                                     std::optional<oci::Error> refusal)
    : m_store(store), m_jobs(jobs), m_logger(logger), m_refusal(std::move(refusal))
{
    // When the stored rules cannot be read, berthd has said so: no runs until a PUT mends them.
    const auto stored = m_store.current();
    const auto interval = stored ? stored->schedule : std::chrono::seconds(0);
    if (m_refusal && interval.count() > 0)
        m_logger.warn("scheduled retention runs off", {{"reason", m_refusal->message}});
    follow(interval, Clock::now());
    m_store.setListener([this](const RetentionRuleStore::Current& current) {
        const std::scoped_lock lock(m_mutex);
        if (current.schedule != m_interval) // the rules alone changed: the next run stays due
            follow(current.schedule, Clock::now() + current.schedule);
    });
}

RetentionSchedule::~RetentionSchedule()
{
    m_store.setListener({});
}

void RetentionSchedule::follow(std::chrono::seconds interval, Clock::time_point due)
{
    m_interval = m_refusal ? std::chrono::seconds(0) : interval;
    m_due = m_interval.count() > 0 ? std::optional(due) : std::nullopt;
}

void RetentionSchedule::tick()
{
    const std::scoped_lock lock(m_mutex);
    const auto now = Clock::now();
    if (!m_due || now < *m_due)
        return;
    m_due = now + m_interval;
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

std::chrono::seconds RetentionSchedule::interval() const
{
    const std::scoped_lock lock(m_mutex);
    return m_interval;
}

std::optional<std::chrono::system_clock::time_point> RetentionSchedule::nextRun() const
{
    const std::scoped_lock lock(m_mutex);
    if (!m_due)
        return std::nullopt;
    const auto wait = std::max(Clock::duration::zero(), *m_due - Clock::now());
    return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
        std::chrono::system_clock::now() + wait);
}

} // namespace berth::registry
