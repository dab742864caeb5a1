#pragma once
// The repositories of a registry, as a flat list fetched page by page from the catalog
// (n/last): the first page arrives at once, further pages as the view scrolls to the end,
// or all of them in the background with fetchAll() when the user filters. One
// beginInsertRows per page.

#include "ui/ListingModel.h"

#include <QStringList>

namespace berth::ui {

class RepositoryModel : public ListingModel
{
    Q_OBJECT

public:
    enum Column
    {
        Name,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit RepositoryModel(QObject* parent = nullptr);

    QString repository(int row) const { return m_names.value(row); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    PagedListing::PageRequest pageRequest() const override;
    void clearRows() override { m_names.clear(); }
    void appendPage(const QStringList& names) override;
    QString failureMessage(const app::RegistryError& error) const override;

private:
    QStringList m_names;
};

} // namespace berth::ui
