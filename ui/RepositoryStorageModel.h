#pragma once
// Where the storage goes, one row per repository: logical, unique and shared bytes, tags,
// manifests and the last push, as berthd's admin API counts them. A new report updates
// the rows in place (rows removed, inserted and changed, never a reset), so selections and
// sorted views survive the page's refreshes.

#include "app/AdminTypes.h"

#include <QAbstractTableModel>
#include <QList>

namespace berth::ui {

class RepositoryStorageModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Repository,
        LogicalBytes,
        UniqueBytes,
        SharedBytes,
        Tags,
        Manifests,
        LastPush,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit RepositoryStorageModel(QObject* parent = nullptr);

    // Rows become `repositories`, kept in order of their names.
    void setRepositories(QList<app::RepositoryStorage> repositories);
    const QList<app::RepositoryStorage>& repositories() const { return m_rows; }
    // -1 when there is no such repository.
    int rowOf(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    // Takes the new figures of the rows from `row` on that stay, up to the next new one.
    void updateRun(const QList<app::RepositoryStorage>& repositories, int& row);
    QVariant displayData(const app::RepositoryStorage& repository, int column) const;
    QVariant rawData(const app::RepositoryStorage& repository, int column) const;

    QList<app::RepositoryStorage> m_rows; // by name
};

} // namespace berth::ui
