#pragma once
// Every control, view and pane of the console carries an accessible name and description,
// so screen readers and UI tests driving the console through AT-SPI find each by name.
// Setting both in one call keeps either from being forgotten.

#include <QString>
#include <QWidget>

namespace berth::ui {

inline void setAccessible(QWidget* widget, const QString& name, const QString& description)
{
    widget->setAccessibleName(name);
    widget->setAccessibleDescription(description);
}

} // namespace berth::ui
