#pragma once
// The history of an image, from its config: one row per build step with the command that
// ran, when, and the size of the layer it produced (none for steps that only changed
// metadata).

#include "app/RegistryTypes.h"

#include <QAbstractTableModel>
#include <QList>

namespace berth::ui {

class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Created,
        Command,
        Size,
        Comment,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit HistoryModel(QObject* parent = nullptr);

    // `layers` are the image's layers in order; each step that is not an empty layer
    // produced the next one.
    void setHistory(const QList<app::HistoryEntry>& history, const QList<app::Descriptor>& layers);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Step
    {
        app::HistoryEntry entry;
        QString layerDigest; // empty for an empty layer
        qint64 layerSize = -1;
    };

    QVariant rawData(const Step& step, int column) const;

    QList<Step> m_steps;
};

} // namespace berth::ui
