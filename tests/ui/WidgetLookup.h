#pragma once
// Finding widgets the way an AT-SPI client (a screen reader, an accessibility test tool)
// does: by class and accessible name, never by objectName or position.

#include <QList>
#include <QString>
#include <QWidget>

namespace berth::test {

// The first widget of that class under `root` with that accessible name, or nullptr.
template <class Widget> Widget* findByName(const QWidget* root, const QString& name)
{
    const QList<Widget*> found = root->findChildren<Widget*>();
    for (Widget* widget : found) {
        if (widget->accessibleName() == name)
            return widget;
    }
    return nullptr;
}

} // namespace berth::test
