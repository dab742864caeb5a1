#include "ui/MainWindow.h"

namespace berth::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Berth"));
}

} // namespace berth::ui
