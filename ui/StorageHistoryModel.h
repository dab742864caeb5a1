#pragma once
// How the storage grew: one row per sample of berthd's storage history (time, bytes on
// disk, unreferenced bytes, repositories, tags), oldest first, and each repository's size
// over time for the growth chart. Loaded whole once, then only newer samples are added, so
// a refresh does not fetch months of samples again.

#include "app/AdminTypes.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointF>
#include <QStringList>

namespace berth::ui {

class StorageHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Time,
        BytesOnDisk,
        UnreferencedBytes,
        Repositories,
        Tags,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit StorageHistoryModel(QObject* parent = nullptr);

    void setHistory(const app::StorageHistory& history);
    // Appends the samples of `newer` taken after the latest one.
    void addSamples(const app::StorageHistory& newer);
    // When the latest sample was taken; invalid when there is none.
    QDateTime latestTime() const;
    const QList<app::StorageSample>& samples() const { return m_samples; }
    std::chrono::seconds interval() const { return m_interval; }

    // The `count` repositories with the most logical bytes in the latest sample.
    QStringList largestRepositories(int count) const;
    // (time in ms since the epoch, logical bytes) of `repository` in every sample; 0 where
    // the sample does not have it.
    QList<QPointF> logicalBytesOf(const QString& repository) const;
    // (time in ms since the epoch, bytes on disk) of every sample.
    QList<QPointF> bytesOnDisk() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant rawData(const app::StorageSample& sample, int column) const;

    QList<app::StorageSample> m_samples;
    std::chrono::seconds m_interval{0};
};

} // namespace berth::ui
