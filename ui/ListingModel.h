#pragma once
// The base of the browser's models whose rows are a registry listing (the catalog, the tags
// of one repository) fetched page by page: the registry, paging for views (canFetchMore/
// fetchMore) and for filters (fetchAll), reloading, and the loading and error signals.

#include "ui/PagedListing.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QStringList>

namespace berth::app {
class RegistryClient;
struct RegistryError;
} // namespace berth::app

namespace berth::ui {

class ListingModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // The registry to list (nullptr empties the model); reloads.
    void setRegistry(app::RegistryClient* client);
    app::RegistryClient* registry() const { return m_client; }
    void setPageSize(int pageSize) { m_listing.setPageSize(pageSize); }

    // Empties the model and fetches the first page again.
    void reload();
    // Fetches every remaining page in the background.
    void fetchAll() { m_listing.fetchAll(); }
    // After an error: carries on from the last page received.
    void retry() { m_listing.retry(); }

    bool isLoading() const { return m_listing.isLoading(); }
    bool isComplete() const { return m_listing.isComplete(); }

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    // The listing failed; `message` is for the user.
    void errorOccurred(const QString& message);

protected:
    explicit ListingModel(QObject* parent = nullptr);

    // How to ask for a page of this model's listing; none when there is nothing to list.
    virtual PagedListing::PageRequest pageRequest() const = 0;
    // Forgets every row, within the reset reload() makes.
    virtual void clearRows() = 0;
    // Appends a page's names as rows.
    virtual void appendPage(const QStringList& names) = 0;
    virtual QString failureMessage(const app::RegistryError& error) const = 0;

    PagedListing& listing() { return m_listing; }

private:
    QPointer<app::RegistryClient> m_client;
    PagedListing m_listing;
};

} // namespace berth::ui
