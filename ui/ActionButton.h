#pragma once
// A flat tool button that triggers an action and follows its state (enabled, checked),
// named for assistive technology; its description is the action's tooltip.

#include "ui/Accessibility.h"

#include <QAction>
#include <QToolButton>

namespace berth::ui {

inline QToolButton* actionButton(QAction* action, const QString& accessibleName, Qt::ToolButtonStyle style,
                                 QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(style);
    button->setAutoRaise(true);
    setAccessible(button, accessibleName, action->toolTip());
    return button;
}

} // namespace berth::ui
