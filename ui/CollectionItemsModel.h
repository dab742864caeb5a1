#pragma once
// What a garbage collection deletes (or, in a dry run, would delete), one row per item:
// the manifests no tag reaches, then the unreferenced blobs.

#include "app/AdminTypes.h"

#include <QAbstractTableModel>

namespace berth::ui {

class CollectionItemsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Kind,
        Repository,
        Digest,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit CollectionItemsModel(QObject* parent = nullptr);

    void setResult(const app::CollectionResult& result);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Item
    {
        bool isManifest = false;
        QString repository; // manifests only
        QString digest;
    };
    QList<Item> m_items;
};

} // namespace berth::ui
