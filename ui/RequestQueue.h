#pragma once
// Runs asynchronous registry requests with a bounded number in flight, so that loading the
// details of thousands of rows never floods the registry or the event loop. The task
// queued last runs first: rows a view has just shown load before rows it showed long ago.

#include <QList>
#include <QObject>
#include <functional>
#include <memory>

namespace berth::ui {

class RequestQueue : public QObject
{
    Q_OBJECT

public:
    // Called once to finish a task.
    using Finished = std::function<void()>;
    // Starts a request whose answer goes to `context` and calls `finished` once it is
    // answered. Answers to a cleared queue's context never arrive.
    using Task = std::function<void(QObject* context, const Finished& finished)>;

    static constexpr int defaultLimit = 4;

    explicit RequestQueue(int limit = defaultLimit, QObject* parent = nullptr);
    ~RequestQueue() override;

    void push(Task task);
    // Drops the queued tasks and the answers to those in flight.
    void clear();

    int limit() const { return m_limit; }
    int inFlight() const { return m_inFlight; }
    qsizetype queued() const { return m_tasks.size(); }
    bool isIdle() const { return m_inFlight == 0 && m_tasks.isEmpty(); }

Q_SIGNALS:
    // The last task has finished and nothing is queued.
    void idle();

private:
    void startTasks();

    int m_limit;
    int m_inFlight = 0;
    QList<Task> m_tasks;
    // The context of every request started since the last clear().
    std::unique_ptr<QObject> m_context;
};

} // namespace berth::ui
