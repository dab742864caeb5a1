#include "ui/LogFilterModel.h"

#include "ui/LogModel.h"

namespace berth::ui {

LogFilterModel::LogFilterModel(LogModel* source, QObject* parent)
    : QSortFilterProxyModel(parent), m_source(source)
{
    setSourceModel(source);
}

LogLevel LogFilterModel::minimumLevel() const
{
    return m_minimumLevel;
}

void LogFilterModel::setMinimumLevel(LogLevel level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateRowsFilter();
}

QString LogFilterModel::text() const
{
    return m_text;
}

void LogFilterModel::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const LogLine& line = m_source->line(sourceRow);
    if (line.level != LogLevel::Unknown && line.level < m_minimumLevel)
        return false;
    return m_text.isEmpty() || line.contains(m_text);
}

} // namespace berth::ui
