#include "ui/ShortcutsDialog.h"

#include "ui/Accessibility.h"
#include "ui/Mnemonic.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace berth::ui {

ShortcutsDialog::ShortcutsDialog(const QMenuBar* menus, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    setAccessible(this, windowTitle(), tr("Every keyboard shortcut of the console"));

    auto* list = new QTreeWidget(this);
    list->setColumnCount(2);
    list->setHeaderLabels({tr("Command"), tr("Shortcut")});
    list->setRootIsDecorated(false);
    list->setAlternatingRowColors(true);
    setAccessible(list, tr("Shortcuts"), tr("Commands and their keys, menu by menu"));
    for (const QAction* menuAction : menus->actions()) {
        const QMenu* menu = menuAction->menu();
        if (!menu)
            continue;
        for (const QAction* action : menu->actions()) {
            if (action->shortcut().isEmpty())
                continue;
            auto* item = new QTreeWidgetItem(list);
            item->setText(0, withoutMnemonic(menuAction->text()) + u" › " + withoutMnemonic(action->text()));
            item->setText(1, action->shortcut().toString(QKeySequence::NativeText));
        }
    }
    list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    setAccessible(buttons, tr("Dialog buttons"), tr("Close the list"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(list);
    layout->addWidget(buttons);
    resize(520, 560);
}

} // namespace berth::ui
