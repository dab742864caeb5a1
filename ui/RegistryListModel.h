#pragma once
// The sidebar's registries: the local one the supervisor runs, first, then those the user
// added (from RegistryDirectory, in the order they were added). Follows the directory's
// changes and the local server's state.

#include "app/RegistryDirectory.h"
#include "app/ServerSupervisor.h"

#include <QAbstractListModel>
#include <QList>
#include <QUrl>
#include <optional>

namespace berth::ui {

class RegistryListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        UrlRole = Qt::UserRole + 1, // QUrl; empty for the local registry while it is not running
        IsLocalRole,                // bool
    };
    static constexpr int localRow = 0;

    // directory: not owned; must outlive the model.
    explicit RegistryListModel(app::RegistryDirectory* directory, QObject* parent = nullptr);

    // What the local row shows: where the registry is and the server's state.
    void setLocalRegistry(const QUrl& url, app::ServerSupervisor::State state);

    // The user's entry at `row`; nothing for the local row and rows out of range.
    std::optional<app::RegistryEntry> entryAt(int row) const;
    // The row of the registry at `url` (the local one included), or -1.
    int rowOf(const QUrl& url) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    QVariant localData(int role) const;
    QVariant entryData(const app::RegistryEntry& entry, int role) const;
    void reload();

    app::RegistryDirectory* m_directory;
    QList<app::RegistryEntry> m_entries;
    QUrl m_localUrl;
    app::ServerSupervisor::State m_localState = app::ServerSupervisor::State::Stopped;
};

} // namespace berth::ui
