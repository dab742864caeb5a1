#include "ui/CollectionItemsModel.h"

#include "ui/DisplayText.h"
#include "ui/ItemRoles.h"

namespace berth::ui {

CollectionItemsModel::CollectionItemsModel(QObject* parent) : QAbstractTableModel(parent) {}

void CollectionItemsModel::setResult(const app::CollectionResult& result)
{
    beginResetModel();
    m_items.clear();
    for (const app::ManifestReference& manifest : result.manifestsDeleted)
        m_items.append({true, manifest.repository, manifest.digest});
    for (const QString& blob : result.blobsDeleted)
        m_items.append({false, {}, blob});
    endResetModel();
}

void CollectionItemsModel::clear()
{
    beginResetModel();
    m_items.clear();
    endResetModel();
}

int CollectionItemsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

int CollectionItemsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CollectionItemsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item& item = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Kind:
            return item.isManifest ? tr("Untagged manifest") : tr("Unreferenced blob");
        case Repository:
            return item.repository;
        case Digest:
            return DisplayText::shortDigest(item.digest);
        default:
            return {};
        }
    case Qt::ToolTipRole:
    case RawValueRole:
        if (index.column() == Digest)
            return item.digest;
        return role == RawValueRole ? data(index, Qt::DisplayRole) : QVariant();
    case DigestRole:
        return item.digest;
    default:
        return {};
    }
}

QVariant CollectionItemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Kind:
        return tr("What");
    case Repository:
        return tr("Repository");
    case Digest:
        return tr("Digest");
    default:
        return {};
    }
}

} // namespace berth::ui
