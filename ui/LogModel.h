#pragma once
// The latest lines berthd wrote, as a table for the log view: time, level, message, the
// request's method, path, status, duration and repository, and the other fields. Lines arrive one by one but
// are added in batches (one insertion per timer tick), so a burst of thousands of lines
// costs the view one update instead of thousands. Memory stays bounded: the model keeps
// the newest `capacity` lines and drops the oldest.

#include "ui/LogLine.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QSet>
#include <QString>
#include <QTimer>
#include <chrono>
#include <deque>

namespace berth::ui {

class LogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Time,
        Level,
        Message,
        Method,
        Path,
        Status,
        Duration,
        Repository,
        Details,
        ColumnCount
    };
    enum Role
    {
        LevelRole = Qt::UserRole + 1, // LogLevel as int
        RawLineRole,                  // QByteArray: the line as berthd wrote it
    };

    static constexpr qsizetype defaultCapacity = 100'000;
    static constexpr std::chrono::milliseconds defaultBatchInterval{100};

    explicit LogModel(qsizetype capacity = defaultCapacity, QObject* parent = nullptr);

    qsizetype capacity() const;
    void setBatchInterval(std::chrono::milliseconds interval);

    const LogLine& line(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public Q_SLOTS:
    // Queues a line; it appears with the next batch.
    void appendLine(const QByteArray& line);
    // Adds every queued line now.
    void flush();
    void clear();

private:
    QVariant displayData(const LogLine& line, int column) const;
    LogLine shareRepeatedText(LogLine line);

    struct PendingLine
    {
        QByteArray text;
        QDateTime receivedAt;
    };

    qsizetype m_capacity;
    std::deque<LogLine> m_lines;
    std::deque<PendingLine> m_pending;
    QTimer m_batchTimer;
    QSet<QString> m_sharedText;
};

} // namespace berth::ui
