// berth: wires the console's parts together; the parts live in berth_app and berth_ui.
#include "ui/MainWindow.h"

#include <QApplication>

int main(int argc, char* argv[])
{
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("berth"));
    QApplication::setOrganizationName(QStringLiteral("berth"));
    berth::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
