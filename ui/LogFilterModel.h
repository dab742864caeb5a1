#pragma once
// Filters a LogModel for the log view: a minimum level and a text that some shown field
// must contain. Lines with no level (text berthd wrote on stderr) pass every level filter,
// since they are often the reason it failed.

#include "ui/LogLine.h"

#include <QSortFilterProxyModel>

namespace berth::ui {

class LogModel;

class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LogFilterModel(LogModel* source, QObject* parent = nullptr);

    LogLevel minimumLevel() const;
    void setMinimumLevel(LogLevel level);
    QString text() const;
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    LogModel* m_source;
    LogLevel m_minimumLevel = LogLevel::Debug;
    QString m_text;
};

} // namespace berth::ui
