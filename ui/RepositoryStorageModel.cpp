#include "ui/RepositoryStorageModel.h"

#include "ui/DisplayText.h"
#include "ui/ItemRoles.h"

#include <QLocale>
#include <algorithm>

namespace berth::ui {

namespace {

bool byName(const app::RepositoryStorage& a, const app::RepositoryStorage& b)
{
    return a.name < b.name;
}

bool isNumber(int column)
{
    return column != RepositoryStorageModel::Repository && column != RepositoryStorageModel::LastPush;
}

} // namespace

RepositoryStorageModel::RepositoryStorageModel(QObject* parent) : QAbstractTableModel(parent) {}

void RepositoryStorageModel::setRepositories(QList<app::RepositoryStorage> repositories)
{
    std::sort(repositories.begin(), repositories.end(), byName);
    const auto gone = [&repositories](const app::RepositoryStorage& old) {
        return !std::binary_search(repositories.cbegin(), repositories.cend(), old, byName);
    };
    // Rows that went, bottom up, a run of neighbours at a time.
    for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0;) {
        if (!gone(m_rows.at(row))) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && gone(m_rows.at(first - 1)))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }
    // What stays is in the same order as `repositories`: update it, and insert the new
    // between, a run of neighbours at a time, so a first report of thousands is one insert.
    int row = 0;
    while (row < repositories.size()) {
        if (row < m_rows.size() && m_rows.at(row).name == repositories.at(row).name) {
            updateRun(repositories, row);
            continue;
        }
        int end = row;
        while (end < repositories.size() &&
               (row >= m_rows.size() || repositories.at(end).name != m_rows.at(row).name))
            ++end;
        beginInsertRows({}, row, end - 1);
        m_rows.insert(row, end - row, {});
        std::copy(repositories.cbegin() + row, repositories.cbegin() + end, m_rows.begin() + row);
        endInsertRows();
        row = end;
    }
}

void RepositoryStorageModel::updateRun(const QList<app::RepositoryStorage>& repositories, int& row)
{
    int firstChanged = -1;
    const auto flush = [this, &firstChanged](int end) {
        if (firstChanged >= 0)
            Q_EMIT dataChanged(index(firstChanged, 0), index(end - 1, ColumnCount - 1));
        firstChanged = -1;
    };
    for (;
         row < repositories.size() && row < m_rows.size() && m_rows.at(row).name == repositories.at(row).name;
         ++row) {
        if (m_rows.at(row) == repositories.at(row)) {
            flush(row);
            continue;
        }
        m_rows[row] = repositories.at(row);
        if (firstChanged < 0)
            firstChanged = row;
    }
    flush(row);
}

int RepositoryStorageModel::rowOf(const QString& name) const
{
    const auto found = std::find_if(m_rows.cbegin(), m_rows.cend(),
                                    [&name](const app::RepositoryStorage& row) { return row.name == name; });
    return found == m_rows.cend() ? -1 : static_cast<int>(found - m_rows.cbegin());
}

int RepositoryStorageModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RepositoryStorageModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RepositoryStorageModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const app::RepositoryStorage& repository = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(repository, index.column());
    case Qt::ToolTipRole:
        if (index.column() == UniqueBytes)
            return tr("%1 only in %2: deleting the repository would free it")
                .arg(DisplayText::size(repository.uniqueBytes), repository.name);
        if (index.column() == SharedBytes)
            return tr("%1 of layers %2 shares with other repositories")
                .arg(DisplayText::size(repository.sharedBytes), repository.name);
        return {};
    case Qt::TextAlignmentRole:
        if (isNumber(index.column()))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RawValueRole:
        return rawData(repository, index.column());
    case SizeRole:
        return repository.logicalBytes;
    default:
        return {};
    }
}

QVariant RepositoryStorageModel::displayData(const app::RepositoryStorage& repository, int column) const
{
    switch (column) {
    case Repository:
        return repository.name;
    case LogicalBytes:
    case UniqueBytes:
    case SharedBytes:
        return DisplayText::size(rawData(repository, column).toLongLong());
    case Tags:
    case Manifests:
        return QLocale().toString(rawData(repository, column).toLongLong());
    case LastPush:
        return DisplayText::time(repository.lastPush);
    default:
        return {};
    }
}

QVariant RepositoryStorageModel::rawData(const app::RepositoryStorage& repository, int column) const
{
    switch (column) {
    case Repository:
        return repository.name;
    case LogicalBytes:
        return repository.logicalBytes;
    case UniqueBytes:
        return repository.uniqueBytes;
    case SharedBytes:
        return repository.sharedBytes;
    case Tags:
        return repository.tags;
    case Manifests:
        return repository.manifests;
    case LastPush:
        return repository.lastPush;
    default:
        return {};
    }
}

QVariant RepositoryStorageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Repository:
        return tr("Repository");
    case LogicalBytes:
        return tr("Size");
    case UniqueBytes:
        return tr("Unique");
    case SharedBytes:
        return tr("Shared");
    case Tags:
        return tr("Tags");
    case Manifests:
        return tr("Manifests");
    case LastPush:
        return tr("Last push");
    default:
        return {};
    }
}

} // namespace berth::ui
