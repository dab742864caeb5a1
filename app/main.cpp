// berth: wires the console's parts together; the parts live in berth_app and berth_ui.
#include "app/ConsoleSettings.h"
#include "app/CredentialStore.h"
#include "app/RegistryDirectory.h"
#include "app/ServerSupervisor.h"
#include "ui/MainWindow.h"
#include "ui/Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QNetworkAccessManager>
#include <QSettings>

using namespace berth;

int main(int argc, char* argv[])
{
    QApplication application(argc, argv);
    // No organization name: the data folder is ~/.local/share/berth, where `berthd serve`
    // keeps its storage by default too, so both serve the same images.
    QApplication::setApplicationName(QStringLiteral("berth"));
    QApplication::setApplicationVersion(QStringLiteral(BERTH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("berth"));

    QSettings settings(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("berth"),
                       QStringLiteral("berth")); // ~/.config/berth/berth.conf
    app::ConsoleSettings consoleSettings(&settings);
    ui::installTranslations(&application, ui::localeFor(consoleSettings.language()));
    QApplication::setApplicationDisplayName(ui::MainWindow::tr("Berth"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "The Berth console: browse container image registries and run a "
                                            "local berthd."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(application);

    // Declared before the window so that they outlive it; the supervisor's destructor stops
    // berthd when the console quits.
    app::ServerSupervisor supervisor(consoleSettings.localServer());
    app::RegistryDirectory directory(&settings);
    app::CredentialStore credentials;
    QNetworkAccessManager network;

    ui::MainWindow window({&supervisor, &directory, &credentials, &consoleSettings, &network});
    window.show();
    supervisor.start();
    return QApplication::exec();
}
