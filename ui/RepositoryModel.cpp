#include "ui/RepositoryModel.h"

#include "app/RegistryClient.h"
#include "ui/ItemRoles.h"

namespace berth::ui {

RepositoryModel::RepositoryModel(QObject* parent) : QAbstractListModel(parent)
{
    connect(&m_listing, &PagedListing::pageReceived, this, &RepositoryModel::appendPage);
    connect(&m_listing, &PagedListing::loadingChanged, this, &RepositoryModel::loadingChanged);
    connect(&m_listing, &PagedListing::failed, this, [this](const app::RegistryError& error) {
        Q_EMIT errorOccurred(tr("Cannot list the repositories: %1").arg(error.message));
    });
}

void RepositoryModel::setRegistry(app::RegistryClient* client)
{
    m_client = client;
    reload();
}

void RepositoryModel::reload()
{
    beginResetModel();
    m_names.clear();
    if (m_client) {
        m_listing.restart([client = m_client](const QString& last, int pageSize, QObject* context,
                                              app::RegistryClient::Callback<app::ListingPage> done) {
            if (client)
                client->listRepositories(last, pageSize, context, std::move(done));
        });
    } else {
        m_listing.restart({});
    }
    endResetModel();
    m_listing.fetchMore();
}

void RepositoryModel::fetchAll()
{
    m_listing.fetchAll();
}

void RepositoryModel::retry()
{
    m_listing.retry();
}

void RepositoryModel::appendPage(const QStringList& names)
{
    if (names.isEmpty())
        return;
    const int first = static_cast<int>(m_names.size());
    beginInsertRows({}, first, first + static_cast<int>(names.size()) - 1);
    m_names.append(names);
    endInsertRows();
}

int RepositoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_names.size());
}

QVariant RepositoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case RawValueRole:
        return m_names.at(index.row());
    default:
        return {};
    }
}

QVariant RepositoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section == Name)
        return tr("Repository");
    return QAbstractListModel::headerData(section, orientation, role);
}

bool RepositoryModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_listing.canFetchMore();
}

void RepositoryModel::fetchMore(const QModelIndex& parent)
{
    if (!parent.isValid())
        m_listing.fetchMore();
}

} // namespace berth::ui
