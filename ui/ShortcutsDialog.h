#pragma once
// Lists every keyboard shortcut of the main window's menus (Help > Keyboard Shortcuts),
// read from the menus themselves so the list cannot fall out of date.

#include <QDialog>

class QMenuBar;

namespace berth::ui {

class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(const QMenuBar* menus, QWidget* parent = nullptr);
};

} // namespace berth::ui
