#pragma once
// Sorts the tag list by any column. It compares through TagModel::lessThan rather than
// QVariants: a registry such as docker-registry sends 10,000 tags in one page, and
// sorting them must not hold up the window.

#include <QSortFilterProxyModel>

namespace berth::ui {

class TagModel;

class TagSortModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TagSortModel(TagModel* tags, QObject* parent = nullptr);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    TagModel* m_tags;
};

} // namespace berth::ui
