#include "ui/RequestQueue.h"

#include <QPointer>

namespace berth::ui {

RequestQueue::RequestQueue(int limit, QObject* parent)
    : QObject(parent), m_limit(qMax(1, limit)), m_context(std::make_unique<QObject>())
{
}

RequestQueue::~RequestQueue() = default;

void RequestQueue::push(Task task)
{
    m_tasks.append(std::move(task));
    startTasks();
}

void RequestQueue::clear()
{
    m_tasks.clear();
    m_inFlight = 0;
    // Deleting the context drops every answer still to come.
    m_context = std::make_unique<QObject>();
}

void RequestQueue::startTasks()
{
    while (m_inFlight < m_limit && !m_tasks.isEmpty()) {
        const Task task = m_tasks.takeLast();
        ++m_inFlight;
        QPointer<QObject> context = m_context.get();
        task(m_context.get(), [this, context] {
            // A task cleared away while it ran does not count any more.
            if (!context)
                return;
            --m_inFlight;
            startTasks();
            if (isIdle())
                Q_EMIT idle();
        });
    }
}

} // namespace berth::ui
