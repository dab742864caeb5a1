#include "ui/RegistryListModel.h"

#include "app/RegistryUrl.h"
#include "ui/ServerStateDisplay.h"

#include <QApplication>
#include <QStyle>

namespace berth::ui {

RegistryListModel::RegistryListModel(app::RegistryDirectory* directory, QObject* parent)
    : QAbstractListModel(parent), m_directory(directory), m_entries(directory->entries())
{
    connect(directory, &app::RegistryDirectory::changed, this, &RegistryListModel::reload);
}

void RegistryListModel::setLocalRegistry(const QUrl& url, app::ServerSupervisor::State state)
{
    if (url == m_localUrl && state == m_localState)
        return;
    m_localUrl = url;
    m_localState = state;
    const QModelIndex local = index(localRow);
    Q_EMIT dataChanged(local, local);
}

std::optional<app::RegistryEntry> RegistryListModel::entryAt(int row) const
{
    if (row <= localRow || row > m_entries.size())
        return std::nullopt;
    return m_entries.at(row - 1);
}

int RegistryListModel::rowOf(const QUrl& url) const
{
    if (url.isEmpty())
        return -1;
    const QUrl normalized = app::normalizedRegistryUrl(url);
    if (!m_localUrl.isEmpty() && normalized == app::normalizedRegistryUrl(m_localUrl))
        return localRow;
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).url == normalized)
            return i + 1;
    }
    return -1;
}

int RegistryListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size()) + 1;
}

QVariant RegistryListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (index.row() == localRow)
        return localData(role);
    return entryData(m_entries.at(index.row() - 1), role);
}

QVariant RegistryListModel::localData(int role) const
{
    const QString state = ServerStateDisplay::name(m_localState);
    switch (role) {
    case Qt::DisplayRole:
        return tr("Local registry");
    case Qt::ToolTipRole:
        if (m_localState == app::ServerSupervisor::State::Running)
            return tr("The berthd on this computer: %1 at %2").arg(state, m_localUrl.toDisplayString());
        return tr("The berthd on this computer: %1").arg(state);
    case Qt::AccessibleTextRole:
        return tr("Local registry, %1").arg(state);
    case Qt::DecorationRole:
        return ServerStateDisplay::icon(m_localState);
    case UrlRole:
        return m_localUrl;
    case IsLocalRole:
        return true;
    default:
        return {};
    }
}

QVariant RegistryListModel::entryData(const app::RegistryEntry& entry, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return entry.name;
    case Qt::ToolTipRole:
        return entry.username.isEmpty() ? entry.url.toDisplayString()
                                        : tr("%1 (user %2)").arg(entry.url.toDisplayString(), entry.username);
    case Qt::AccessibleTextRole:
        return tr("%1 registry at %2").arg(entry.name, entry.url.toDisplayString());
    case Qt::DecorationRole:
        return QApplication::style()->standardIcon(QStyle::SP_DriveNetIcon);
    case UrlRole:
        return entry.url;
    case IsLocalRole:
        return false;
    default:
        return {};
    }
}

void RegistryListModel::reload()
{
    beginResetModel();
    m_entries = m_directory->entries();
    endResetModel();
}

} // namespace berth::ui
