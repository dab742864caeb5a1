#include "ui/TagSortModel.h"

#include "ui/TagModel.h"

namespace berth::ui {

TagSortModel::TagSortModel(TagModel* tags, QObject* parent) : QSortFilterProxyModel(parent), m_tags(tags)
{
    setSourceModel(tags);
}

bool TagSortModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    return m_tags->lessThan(left.row(), right.row(), left.column());
}

} // namespace berth::ui
