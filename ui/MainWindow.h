#pragma once
// The console's main window: the sidebar of registries and the pages.

#include <QMainWindow>

namespace berth::ui {

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace berth::ui
