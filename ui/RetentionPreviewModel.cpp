#include "ui/RetentionPreviewModel.h"

#include "ui/DisplayText.h"
#include "ui/ItemRoles.h"

#include <QBrush>
#include <QPalette>

namespace berth::ui {

RetentionPreviewModel::RetentionPreviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void RetentionPreviewModel::setDecisions(const QList<app::RetentionDecision>& deletions,
                                         const QList<app::RetentionDecision>& kept)
{
    beginResetModel();
    m_rows = deletions + kept;
    m_deletions = static_cast<int>(deletions.size());
    endResetModel();
}

void RetentionPreviewModel::clear()
{
    setDecisions({}, {});
}

int RetentionPreviewModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RetentionPreviewModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RetentionPreviewModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return displayData(index.row(), index.column());
    case Qt::ToolTipRole:
        if (index.column() == Digest || index.column() == Reason)
            return rawData(index.row(), index.column());
        return {};
    case Qt::ForegroundRole:
        // What stays is shown quieter than what goes.
        if (!isDeletion(index.row()))
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case RawValueRole:
        return rawData(index.row(), index.column());
    case DigestRole:
        return m_rows.at(index.row()).digest;
    default:
        return {};
    }
}

QVariant RetentionPreviewModel::displayData(int row, int column) const
{
    const app::RetentionDecision& decision = m_rows.at(row);
    switch (column) {
    case Action:
        return isDeletion(row) ? tr("Delete") : tr("Keep");
    case Repository:
        return decision.repository;
    case Tag:
        return decision.tag.isEmpty() ? tr("(untagged manifest)") : decision.tag;
    case Digest:
        return DisplayText::shortDigest(decision.digest);
    case Pushed:
        return DisplayText::time(decision.pushed);
    case Rule:
        return decision.rule ? tr("Rule %1").arg(*decision.rule + 1) : QString();
    case Reason:
        return decision.reason;
    default:
        return {};
    }
}

QVariant RetentionPreviewModel::rawData(int row, int column) const
{
    const app::RetentionDecision& decision = m_rows.at(row);
    switch (column) {
    case Action:
        return isDeletion(row) ? deleteAction : keepAction;
    case Repository:
        return decision.repository;
    case Tag:
        return decision.tag;
    case Digest:
        return decision.digest;
    case Pushed:
        return decision.pushed;
    case Rule:
        return decision.rule ? QVariant(*decision.rule + 1) : QVariant();
    case Reason:
        return decision.reason;
    default:
        return {};
    }
}

QVariant RetentionPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Action:
        return tr("Action");
    case Repository:
        return tr("Repository");
    case Tag:
        return tr("Tag");
    case Digest:
        return tr("Digest");
    case Pushed:
        return tr("Pushed");
    case Rule:
        return tr("Rule");
    case Reason:
        return tr("Why");
    default:
        return {};
    }
}

} // namespace berth::ui
