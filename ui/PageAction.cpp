#include "ui/PageAction.h"

#include <QAction>

namespace berth::ui {

QAction* PageAction::create(QObject* owner, const QString& text, const QString& toolTip,
                            const QKeySequence& shortcut)
{
    auto* action = new QAction(text, owner);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(tr("%1 (%2)").arg(toolTip, shortcut.toString(QKeySequence::NativeText)));
    return action;
}

} // namespace berth::ui
