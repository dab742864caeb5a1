#include "ui/HistoryModel.h"

#include "ui/DisplayText.h"
#include "ui/ItemRoles.h"

namespace berth::ui {

HistoryModel::HistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void HistoryModel::setHistory(const QList<app::HistoryEntry>& history, const QList<app::Descriptor>& layers)
{
    beginResetModel();
    m_steps.clear();
    m_steps.reserve(history.size());
    qsizetype nextLayer = 0;
    for (const app::HistoryEntry& entry : history) {
        Step step{entry, {}, -1};
        if (!entry.emptyLayer && nextLayer < layers.size()) {
            step.layerDigest = layers.at(nextLayer).digest;
            step.layerSize = layers.at(nextLayer).size;
            ++nextLayer;
        }
        m_steps.append(step);
    }
    endResetModel();
}

void HistoryModel::clear()
{
    setHistory({}, {});
}

int HistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_steps.size());
}

int HistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Step& step = m_steps.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Created:
            return DisplayText::time(step.entry.created);
        case Size:
            return step.layerDigest.isEmpty() ? tr("no layer") : DisplayText::size(step.layerSize);
        default:
            // One line per command in a table; the tooltip has it whole.
            return rawData(step, index.column()).toString().simplified();
        }
    case Qt::ToolTipRole:
        if (index.column() == Command || index.column() == Comment)
            return rawData(step, index.column());
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Size)
            return numberAlignment();
        return {};
    case RawValueRole:
        return rawData(step, index.column());
    case DigestRole:
        return step.layerDigest;
    case SizeRole:
        return step.layerSize;
    default:
        return {};
    }
}

QVariant HistoryModel::rawData(const Step& step, int column) const
{
    switch (column) {
    case Created:
        return step.entry.created;
    case Command:
        return step.entry.createdBy;
    case Size:
        return step.layerSize;
    case Comment:
        return step.entry.comment;
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Created:
        return tr("Created");
    case Command:
        return tr("Command");
    case Size:
        return tr("Size");
    case Comment:
        return tr("Comment");
    default:
        return {};
    }
}

} // namespace berth::ui
