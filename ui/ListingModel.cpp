#include "ui/ListingModel.h"

#include "app/RegistryClient.h"

namespace berth::ui {

ListingModel::ListingModel(QObject* parent) : QAbstractTableModel(parent)
{
    connect(&m_listing, &PagedListing::pageReceived, this,
            [this](const QStringList& names) { appendPage(names); });
    connect(&m_listing, &PagedListing::loadingChanged, this, &ListingModel::loadingChanged);
    connect(&m_listing, &PagedListing::failed, this,
            [this](const app::RegistryError& error) { Q_EMIT errorOccurred(failureMessage(error)); });
}

void ListingModel::setRegistry(app::RegistryClient* client)
{
    m_client = client;
    reload();
}

void ListingModel::reload()
{
    beginResetModel();
    clearRows();
    m_listing.restart(m_client ? pageRequest() : PagedListing::PageRequest());
    endResetModel();
    m_listing.fetchMore();
}

bool ListingModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_listing.canFetchMore();
}

void ListingModel::fetchMore(const QModelIndex& parent)
{
    if (!parent.isValid())
        m_listing.fetchMore();
}

} // namespace berth::ui
