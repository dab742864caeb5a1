#pragma once
// What retention rules decide, one row per tag or untagged manifest: whether it goes or
// stays, which rule decided and why. Shows a preview (deletions first, then what is kept)
// or what a run removed and skipped. The Action column's RawValueRole is "delete" or
// "keep", for a proxy that hides what is kept.

#include "app/AdminTypes.h"

#include <QAbstractTableModel>

namespace berth::ui {

class RetentionPreviewModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Action,
        Repository,
        Tag,
        Digest,
        Pushed,
        Rule,
        Reason,
        ColumnCount
    };
    Q_ENUM(Column)

    static constexpr QLatin1StringView deleteAction{"delete"};
    static constexpr QLatin1StringView keepAction{"keep"};

    explicit RetentionPreviewModel(QObject* parent = nullptr);

    void setDecisions(const QList<app::RetentionDecision>& deletions,
                      const QList<app::RetentionDecision>& kept);
    void clear();
    int deletionCount() const { return m_deletions; }
    int keptCount() const { return static_cast<int>(m_rows.size()) - m_deletions; }
    const app::RetentionDecision& decision(int row) const { return m_rows.at(row); }
    bool isDeletion(int row) const { return row < m_deletions; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(int row, int column) const;
    QVariant rawData(int row, int column) const;

    QList<app::RetentionDecision> m_rows; // deletions, then what is kept
    int m_deletions = 0;
};

} // namespace berth::ui
