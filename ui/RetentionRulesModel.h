#pragma once
// The retention rules being edited, one row per rule: the repositories it applies to (a
// glob), which tags it selects (include and exclude regular expressions), what it keeps
// (the N most recently pushed, the N highest versions, those pushed within D days) and
// after how many days untagged manifests go. Cells are edited in place as text (an empty
// number is "not set"); rules are added, removed and moved. It knows the rules last loaded
// or saved, so the page can tell whether there is something to save. The server checks
// globs and expressions when it previews or stores the rules.

#include "app/AdminTypes.h"

#include <QAbstractTableModel>

namespace berth::ui {

class RetentionRulesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Repositories,
        Include,
        Exclude,
        KeepMostRecent,
        KeepHighestVersions,
        KeepPushedWithinDays,
        UntaggedOlderThanDays,
        ColumnCount
    };
    Q_ENUM(Column)

    // The rule a new row starts as: every repository, keep the 10 most recent tags.
    static app::RetentionRule defaultRule();
    static bool isNumberColumn(int column) { return column >= KeepMostRecent && column < ColumnCount; }

    explicit RetentionRulesModel(QObject* parent = nullptr);

    // Loaded from or saved to the server: the rows, and what isModified() compares with.
    void setRules(const QList<app::RetentionRule>& rules);
    const QList<app::RetentionRule>& rules() const { return m_rules; }
    bool isModified() const { return m_rules != m_saved; }

    // Inserts `rule` before `row` (at the end when out of range); returns its row.
    int insertRule(int row, const app::RetentionRule& rule = defaultRule());
    // Moves a rule one place up (-1) or down (+1); false at either end.
    bool moveRule(int row, int offset);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    // Text: a pattern, or a whole number (empty for none). Refuses an empty repository
    // glob and anything in a number column that is not a whole number of 0 or more.
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool insertRows(int row, int count, const QModelIndex& parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

Q_SIGNALS:
    void modifiedChanged(bool modified);

private:
    QString text(const app::RetentionRule& rule, int column) const;
    QString columnDescription(int column) const;
    void change(const std::function<void()>& edit);

    QList<app::RetentionRule> m_rules;
    QList<app::RetentionRule> m_saved;
};

} // namespace berth::ui
