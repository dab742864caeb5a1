#pragma once
// A list of OCI descriptors as a table: the layers of an image, the platforms of an index
// or the referrers of a manifest. Views hide the columns that do not apply (an image's
// layers have no platform).

#include "app/RegistryTypes.h"

#include <QAbstractTableModel>
#include <QList>

namespace berth::ui {

class DescriptorModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Platform,
        ArtifactType,
        Digest,
        MediaType,
        Size,
        Created,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit DescriptorModel(QObject* parent = nullptr);

    void setDescriptors(QList<app::Descriptor> descriptors);
    void clear();
    const app::Descriptor& descriptor(int row) const { return m_descriptors.at(row); }
    const QList<app::Descriptor>& descriptors() const { return m_descriptors; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const app::Descriptor& descriptor, int column) const;
    QVariant rawData(const app::Descriptor& descriptor, int column) const;

    QList<app::Descriptor> m_descriptors;
};

} // namespace berth::ui
