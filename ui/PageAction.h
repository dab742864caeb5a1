#pragma once
// An action a page offers the main window's menus: its shortcut works while the focus is in
// a widget the action is added to (the page, by default), and its tool tip names the
// shortcut.

#include <QCoreApplication>
#include <QKeySequence>

class QAction;
class QObject;

namespace berth::ui {

class PageAction
{
    Q_DECLARE_TR_FUNCTIONS(berth::ui::PageAction)

public:
    static QAction* create(QObject* owner, const QString& text, const QString& toolTip,
                           const QKeySequence& shortcut);
};

} // namespace berth::ui
