#include "ui/StorageHistoryModel.h"

#include "ui/DisplayText.h"
#include "ui/ItemRoles.h"

#include <QLocale>
#include <algorithm>

namespace berth::ui {

namespace {

qreal msecs(const QDateTime& time)
{
    return static_cast<qreal>(time.toMSecsSinceEpoch());
}

} // namespace

StorageHistoryModel::StorageHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void StorageHistoryModel::setHistory(const app::StorageHistory& history)
{
    beginResetModel();
    m_interval = history.interval;
    m_samples = history.samples;
    endResetModel();
}

void StorageHistoryModel::addSamples(const app::StorageHistory& newer)
{
    m_interval = newer.interval;
    QList<app::StorageSample> added;
    for (const app::StorageSample& sample : newer.samples)
        if (m_samples.isEmpty() || sample.time > m_samples.last().time)
            added.append(sample);
    if (added.isEmpty())
        return;
    const int first = static_cast<int>(m_samples.size());
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    m_samples += added;
    endInsertRows();
}

QDateTime StorageHistoryModel::latestTime() const
{
    return m_samples.isEmpty() ? QDateTime() : m_samples.last().time;
}

QStringList StorageHistoryModel::largestRepositories(int count) const
{
    if (m_samples.isEmpty())
        return {};
    QList<app::RepositoryStorage> latest = m_samples.last().repositories;
    std::sort(latest.begin(), latest.end(), [](const auto& a, const auto& b) {
        return a.logicalBytes != b.logicalBytes ? a.logicalBytes > b.logicalBytes : a.name < b.name;
    });
    QStringList names;
    for (qsizetype i = 0; i < std::min<qsizetype>(count, latest.size()); ++i)
        names.append(latest.at(i).name);
    return names;
}

QList<QPointF> StorageHistoryModel::logicalBytesOf(const QString& repository) const
{
    QList<QPointF> points;
    for (const app::StorageSample& sample : m_samples) {
        const auto found = std::find_if(sample.repositories.cbegin(), sample.repositories.cend(),
                                        [&repository](const auto& item) { return item.name == repository; });
        const qint64 bytes = found == sample.repositories.cend() ? 0 : found->logicalBytes;
        points.append({msecs(sample.time), static_cast<qreal>(bytes)});
    }
    return points;
}

QList<QPointF> StorageHistoryModel::bytesOnDisk() const
{
    QList<QPointF> points;
    for (const app::StorageSample& sample : m_samples)
        points.append({msecs(sample.time), static_cast<qreal>(sample.totals.bytesOnDisk)});
    return points;
}

int StorageHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_samples.size());
}

int StorageHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StorageHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const app::StorageSample& sample = m_samples.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return DisplayText::time(sample.time);
        case BytesOnDisk:
        case UnreferencedBytes:
            return DisplayText::size(rawData(sample, index.column()).toLongLong());
        default:
            return QLocale().toString(rawData(sample, index.column()).toLongLong());
        }
    case Qt::TextAlignmentRole:
        if (index.column() != Time)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RawValueRole:
        return rawData(sample, index.column());
    default:
        return {};
    }
}

QVariant StorageHistoryModel::rawData(const app::StorageSample& sample, int column) const
{
    switch (column) {
    case Time:
        return sample.time;
    case BytesOnDisk:
        return sample.totals.bytesOnDisk;
    case UnreferencedBytes:
        return sample.totals.unreferencedBytes;
    case Repositories:
        return sample.totals.repositories;
    case Tags:
        return sample.totals.tags;
    default:
        return {};
    }
}

QVariant StorageHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case BytesOnDisk:
        return tr("On disk");
    case UnreferencedBytes:
        return tr("Unreferenced");
    case Repositories:
        return tr("Repositories");
    case Tags:
        return tr("Tags");
    default:
        return {};
    }
}

} // namespace berth::ui
