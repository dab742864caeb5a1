#pragma once
// Follows one background job of the admin API (a garbage collection, a retention run): asks
// for its status, waits an interval after each answer, and asks again until the job is
// finished or a request fails, reporting every answer. One request at a time, so a slow
// server is never flooded; following another job forgets the previous one.

#include "app/AdminClient.h"

#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>

namespace berth::app {

// Job: CollectionJob or RetentionJob (anything with a JobProgress `progress`).
template <class Job> class JobPoller
{
public:
    // Asks the server for the job's status, e.g. AdminClient::collection.
    using Fetch = std::function<void(const QString& id, QObject* context, AdminClient::Callback<Job> done)>;
    using Report = std::function<void(const RegistryResult<Job>& status)>;

    // `owner` carries the timer and the answers: reports stop when it is destroyed.
    JobPoller(QObject* owner, Report report,
              std::chrono::milliseconds interval = std::chrono::milliseconds(250))
        : m_owner(owner), m_report(std::move(report)), m_timer(new QTimer(owner))
    {
        m_timer->setSingleShot(true);
        m_timer->setInterval(interval);
        QObject::connect(m_timer, &QTimer::timeout, owner, [this] { poll(); });
    }

    // Starts following job `id` at once.
    void follow(const QString& id, Fetch fetch)
    {
        ++m_generation;
        m_id = id;
        m_fetch = std::move(fetch);
        m_following = true;
        poll();
    }
    // Reports nothing more, whatever is in flight.
    void stop()
    {
        ++m_generation;
        m_following = false;
        m_timer->stop();
    }
    bool isFollowing() const { return m_following; }
    QString id() const { return m_id; }

private:
    void poll()
    {
        m_fetch(m_id, m_owner, [this, generation = m_generation](RegistryResult<Job> status) {
            if (generation != m_generation)
                return; // an answer about a job no longer followed
            m_following = status && !status->progress.isFinished();
            if (m_following)
                m_timer->start();
            m_report(status);
        });
    }

    QObject* m_owner;
    Report m_report;
    QTimer* m_timer;
    Fetch m_fetch;
    QString m_id;
    quint64 m_generation = 0;
    bool m_following = false;
};

} // namespace berth::app
