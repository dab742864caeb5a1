#pragma once
// The repositories of a registry, as a flat list fetched page by page from the catalog
// (n/last): the first page arrives at once, further pages as the view scrolls to the end
// (canFetchMore/fetchMore), or all of them in the background with fetchAll() when the
// user filters. One beginInsertRows per page.

#include "ui/PagedListing.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QStringList>

namespace berth::app {
class RegistryClient;
}

namespace berth::ui {

class RepositoryModel : public QAbstractListModel
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

    // The registry to list (nullptr empties the model); fetches its first page.
    void setRegistry(app::RegistryClient* client);
    void setPageSize(int pageSize) { m_listing.setPageSize(pageSize); }

    // Empties the model and fetches the first page again.
    void reload();
    // Fetches every remaining page in the background.
    void fetchAll();
    // After an error: carries on from the last page received.
    void retry();

    bool isLoading() const { return m_listing.isLoading(); }
    bool isComplete() const { return m_listing.isComplete(); }
    QString repository(int row) const { return m_names.value(row); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    // The catalog could not be listed; `message` is for the user.
    void errorOccurred(const QString& message);

private:
    void appendPage(const QStringList& names);

    QPointer<app::RegistryClient> m_client;
    PagedListing m_listing;
    QStringList m_names;
};

} // namespace berth::ui
