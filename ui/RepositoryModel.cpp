#include "ui/RepositoryModel.h"

#include "app/RegistryClient.h"
#include "ui/ItemRoles.h"

namespace berth::ui {

RepositoryModel::RepositoryModel(QObject* parent) : ListingModel(parent) {}

PagedListing::PageRequest RepositoryModel::pageRequest() const
{
    return [client = QPointer(registry())](const QString& last, int pageSize, QObject* context,
                                           app::RegistryClient::Callback<app::ListingPage> done) {
        if (client)
            client->listRepositories(last, pageSize, context, std::move(done));
    };
}

QString RepositoryModel::failureMessage(const app::RegistryError& error) const
{
    return tr("Cannot list the repositories: %1").arg(error.message);
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

int RepositoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
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
    return ListingModel::headerData(section, orientation, role);
}

} // namespace berth::ui
