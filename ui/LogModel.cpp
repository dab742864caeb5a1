#include "ui/LogModel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <iterator>
#include <vector>

namespace berth::ui {

LogModel::LogModel(qsizetype capacity, QObject* parent)
    : QAbstractTableModel(parent), m_capacity(std::max<qsizetype>(capacity, 1))
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(defaultBatchInterval);
    connect(&m_batchTimer, &QTimer::timeout, this, &LogModel::flush);
}

qsizetype LogModel::capacity() const
{
    return m_capacity;
}

void LogModel::setBatchInterval(std::chrono::milliseconds interval)
{
    m_batchTimer.setInterval(interval);
}

const LogLine& LogModel::line(int row) const
{
    return m_lines.at(static_cast<std::size_t>(row));
}

void LogModel::appendLine(const QByteArray& line)
{
    // Lines beyond what the model keeps are dropped here already, so a stalled UI cannot
    // make the queue grow without bound; only the survivors get parsed.
    m_pending.push_back({line, QDateTime::currentDateTimeUtc()});
    if (static_cast<qsizetype>(m_pending.size()) > m_capacity)
        m_pending.pop_front();
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void LogModel::flush()
{
    m_batchTimer.stop();
    if (m_pending.empty())
        return;
    std::vector<LogLine> batch;
    batch.reserve(m_pending.size());
    for (const auto& pending : m_pending)
        batch.push_back(shareRepeatedText(parseLogLine(pending.text, pending.receivedAt)));
    m_pending.clear();

    const auto incoming = static_cast<qsizetype>(batch.size());
    const qsizetype overflow = static_cast<qsizetype>(m_lines.size()) + incoming - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, static_cast<int>(overflow - 1));
        m_lines.erase(m_lines.begin(), m_lines.begin() + overflow);
        endRemoveRows();
    }
    const auto first = static_cast<int>(m_lines.size());
    beginInsertRows({}, first, first + static_cast<int>(incoming) - 1);
    std::move(batch.begin(), batch.end(), std::back_inserter(m_lines));
    endInsertRows();
}

// Most lines repeat their message ("request"), method and repository: one shared copy of
// each keeps a full ring a good deal smaller.
LogLine LogModel::shareRepeatedText(LogLine line)
{
    static constexpr qsizetype maxShared = 4096; // distinct values remembered
    if (m_sharedText.size() > maxShared)
        m_sharedText.clear();
    // The text of a line that is not JSON is its whole message: rarely repeated.
    QString* message = line.level == LogLevel::Unknown ? nullptr : &line.message;
    for (QString* text : {message, &line.method, &line.repository}) {
        if (!text || text->isEmpty())
            continue;
        if (const auto known = m_sharedText.constFind(*text); known != m_sharedText.cend())
            *text = *known;
        else
            m_sharedText.insert(*text);
    }
    return line;
}

void LogModel::clear()
{
    m_batchTimer.stop();
    m_pending.clear();
    if (m_lines.empty())
        return;
    beginResetModel();
    m_lines.clear();
    endResetModel();
}

int LogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int LogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogLine& entry = line(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(entry, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QLocale().toString(entry.time.toLocalTime(), QLocale::LongFormat);
        if (index.column() == Message || index.column() == Details)
            return entry.details.isEmpty() ? entry.message : entry.message + u'\n' + entry.details;
        return {};
    case Qt::ForegroundRole:
        if (entry.level == LogLevel::Error)
            return QBrush(QColor(0xc0, 0x1c, 0x28));
        if (entry.level == LogLevel::Warn)
            return QBrush(QColor(0x9c, 0x6a, 0x00));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == Duration)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case LevelRole:
        return static_cast<int>(entry.level);
    case RawLineRole:
        return entry.raw;
    default:
        return {};
    }
}

QVariant LogModel::displayData(const LogLine& entry, int column) const
{
    switch (column) {
    case Time:
        return entry.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case Level:
        return logLevelName(entry.level);
    case Message:
        return entry.message;
    case Method:
        return entry.method;
    case Path:
        return entry.path;
    case Status:
        return entry.status != 0 ? QVariant(entry.status) : QVariant();
    case Duration:
        return entry.durationMs >= 0 ? tr("%1 ms").arg(entry.durationMs, 0, 'f', 3) : QVariant();
    case Repository:
        return entry.repository;
    case Details:
        return entry.details;
    default:
        return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Level:
        return tr("Level");
    case Message:
        return tr("Message");
    case Method:
        return tr("Method");
    case Path:
        return tr("Path");
    case Status:
        return tr("Status");
    case Duration:
        return tr("Duration");
    case Repository:
        return tr("Repository");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

} // namespace berth::ui
