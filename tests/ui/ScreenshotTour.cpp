// Takes the screenshots scripts/screenshots.sh saves: the real main window, its local
// berthd serving the storage the script filled, driven as a user would (a repository, a
// tag, an index's platforms, the logs, the dialogs) and grabbed into PNG files. Not a test:
// built with the tests so that it always builds against the real window.
//
//   ScreenshotTour --storage DIR --out DIR [--language zh_CN] [--repository NAME]
//                  [--tag TAG] [--index-tag TAG] [--registry URL]...

#include "RegistryProcess.h"
#include "WidgetLookup.h"
#include "app/ConsoleSettings.h"
#include "app/CredentialStore.h"
#include "app/RegistryDirectory.h"
#include "app/ServerSupervisor.h"
#include "ui/MainWindow.h"
#include "ui/RepositoryTreemap.h"
#include "ui/StoragePage.h"
#include "ui/Translations.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCommandLineParser>
#include <QDialog>
#include <QDir>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace berth;
using berth::test::findByName;

namespace {

constexpr int waitMs = 30000;

struct Options
{
    QString storage;
    QString out;
    QString language;
    QString repository;
    QString tag;
    QString indexTag;
    QStringList registries;
};

Options parseOptions(const QApplication& application)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption storage(u"storage"_s, u"The local registry's storage folder."_s, u"dir"_s);
    const QCommandLineOption out(u"out"_s, u"Where the PNG files go."_s, u"dir"_s);
    const QCommandLineOption language(u"language"_s, u"The console's language (en, zh_CN)."_s, u"code"_s,
                                      u"en"_s);
    const QCommandLineOption repository(u"repository"_s, u"The repository to show."_s, u"name"_s);
    const QCommandLineOption tag(u"tag"_s, u"An image tag to show."_s, u"tag"_s);
    const QCommandLineOption indexTag(u"index-tag"_s, u"A multi-platform tag to show."_s, u"tag"_s);
    const QCommandLineOption registry(u"registry"_s, u"Another registry for the sidebar."_s, u"url"_s);
    parser.addOptions({storage, out, language, repository, tag, indexTag, registry});
    parser.process(application);
    if (!parser.isSet(storage) || !parser.isSet(out) || !parser.isSet(repository))
        parser.showHelp(2);
    return {parser.value(storage), parser.value(out),      parser.value(language), parser.value(repository),
            parser.value(tag),     parser.value(indexTag), parser.values(registry)};
}

bool fail(const char* what)
{
    std::fprintf(stderr, "ScreenshotTour: %s\n", what);
    return false;
}

// Selects the row of `view` showing `text`, once the view has it.
bool selectRow(QAbstractItemView* view, const QString& text)
{
    QModelIndex found;
    const bool listed = QTest::qWaitFor(
        [&] {
            const auto matches =
                view->model()->match(view->model()->index(0, 0), Qt::DisplayRole, text, 1, Qt::MatchExactly);
            found = matches.value(0);
            return found.isValid();
        },
        waitMs);
    if (!listed)
        return false;
    view->setFocus();
    view->setCurrentIndex(found);
    view->scrollTo(found);
    return true;
}

// The details pane has filled in when its digest is shown.
bool waitForDetails(QWidget* window)
{
    return QTest::qWaitFor(
        [window] {
            const auto* digest = findByName<QLabel>(
                window, QCoreApplication::translate("berth::ui::TagDetailsView", "Digest"));
            return digest && digest->text().startsWith(u"sha256:"_s);
        },
        waitMs);
}

bool save(QWidget* widget, const QString& folder, const QString& name)
{
    QTest::qWait(300); // let the last layouts and repaints settle
    const QString path = QDir(folder).filePath(name);
    if (!widget->grab().save(path))
        return fail("cannot write a PNG");
    std::printf("%s\n", qPrintable(path));
    return true;
}

// Opens a dialog with `open`, grabs it, closes it.
bool saveDialog(ui::MainWindow* window, const std::function<void()>& open, const QString& folder,
                const QString& name, const std::function<void(QDialog*)>& fill = {})
{
    open();
    QDialog* dialog = nullptr;
    if (!QTest::qWaitFor(
            [&] {
                dialog = window->findChild<QDialog*>();
                return dialog && dialog->isVisible();
            },
            waitMs))
        return fail("a dialog did not open");
    if (fill)
        fill(dialog);
    const bool saved = save(dialog, folder, name);
    dialog->reject();
    QTest::qWait(100);
    return saved;
}

// The Storage page's treemap inside `repository` (else the largest one): its images.
bool storageImages(ui::MainWindow& window, const QString& repository, const QString& folder)
{
    for (int page = 0; page < window.pageCount() && window.currentPage() != window.storagePage(); ++page)
        window.showPage(page);
    auto* treemap = window.storagePage()->findChild<ui::RepositoryTreemap*>();
    if (!treemap ||
        !QTest::qWaitFor([treemap] { return treemap->drillDown() && !treemap->tiles().isEmpty(); }, waitMs))
        return fail("the storage treemap has no repository to open");
    QPoint tile = treemap->tiles().first().rect.center().toPoint();
    for (const auto& shown : treemap->tiles())
        if (shown.name == repository)
            tile = shown.rect.center().toPoint();
    QTest::mouseClick(treemap, Qt::LeftButton, {}, tile);
    if (!QTest::qWaitFor(
            [treemap] { return !treemap->shownRepository().isEmpty() && !treemap->tiles().isEmpty(); },
            waitMs))
        return fail("the treemap did not show a repository's images");
    return save(&window, folder, u"storage-images.png"_s);
}

// The local server moved to a port another program holds: the window shows it failed and
// offers a free port.
bool portInUse(ui::MainWindow& window, app::ServerSupervisor& supervisor, const QString& folder)
{
    QTcpServer squatter;
    if (!squatter.listen(QHostAddress::LocalHost, 0))
        return fail("cannot take a port");
    app::LocalServerSettings server = supervisor.settings();
    server.port = squatter.serverPort();
    supervisor.applySettings(server);
    QMessageBox* question = nullptr;
    if (!QTest::qWaitFor(
            [&] {
                question = window.findChild<QMessageBox*>();
                return question && question->isVisible();
            },
            waitMs))
        return fail("the port in use was not reported");
    const bool saved =
        save(question, folder, u"port-in-use.png"_s) && save(&window, folder, u"server-failed.png"_s);
    question->reject();
    return saved;
}

bool tour(const Options& options)
{
    QTemporaryDir home;
    QSettings settings(home.filePath(u"berth.conf"_s), QSettings::IniFormat);
    app::ConsoleSettings consoleSettings(&settings);
    app::LocalServerSettings server;
    server.port = 0;
    server.adminPort = 0;
    server.storageFolder = options.storage;
    server.dataFolder = home.filePath(u"data"_s);
    consoleSettings.setLocalServer(server);
    consoleSettings.setLanguage(options.language);
    app::ServerSupervisor supervisor(server, test::RegistryProcess::berthdPath());
    app::RegistryDirectory directory(&settings);
    for (const QString& url : options.registries) {
        app::RegistryEntry entry;
        entry.url = QUrl(url);
        directory.save(entry);
    }
    app::CredentialStore credentials(u"berth-screenshots"_s);
    QNetworkAccessManager network;

    ui::MainWindow window({&supervisor, &directory, &credentials, &consoleSettings, &network});
    window.resize(1440, 900);
    window.show();
    supervisor.start();
    if (!QTest::qWaitFor([&] { return supervisor.state() == app::ServerSupervisor::State::Running; }, waitMs))
        return fail("the local berthd did not start");

    auto* repositories = findByName<QAbstractItemView>(
        &window, QCoreApplication::translate("berth::ui::BrowserPage", "Repositories"));
    auto* tags =
        findByName<QAbstractItemView>(&window, QCoreApplication::translate("berth::ui::BrowserPage", "Tags"));
    if (!repositories || !tags)
        return fail("the browser's views were not found by name");
    if (!selectRow(repositories, options.repository))
        return fail("the repository was not listed");
    if (!options.tag.isEmpty()) {
        if (!selectRow(tags, options.tag) || !waitForDetails(&window))
            return fail("the tag's details did not show");
        if (!save(&window, options.out, u"main-window.png"_s))
            return false;
    }
    if (!options.indexTag.isEmpty()) {
        if (!selectRow(tags, options.indexTag) || !waitForDetails(&window))
            return fail("the index's details did not show");
        if (!save(&window, options.out, u"tag-details.png"_s))
            return false;
    }

    // The other pages as they first appear: storage, retention, logs.
    const QStringList pageShots{u"storage.png"_s, u"retention.png"_s, u"logs.png"_s};
    for (int page = 1; page < window.pageCount(); ++page) {
        window.showPage(page);
        QTest::qWait(1500); // their first answers from the admin API
        if (!save(&window, options.out, pageShots.value(page - 1, u"page-%1.png"_s.arg(page))))
            return false;
    }
    if (!storageImages(window, options.repository, options.out))
        return false;
    window.showPage(0);

    const bool dialogs = saveDialog(
                             &window, [&] { window.addRegistry(); }, options.out, u"add-registry.png"_s,
                             [](QDialog* dialog) {
                                 if (auto* url = dialog->findChild<QLineEdit*>())
                                     url->setText(u"https://registry.example.com"_s);
                             }) &&
                         saveDialog(
                             &window, [&] { window.openSettings(); }, options.out, u"settings.png"_s);
    return dialogs && portInUse(window, supervisor, options.out);
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication application(argc, argv);
    QApplication::setApplicationName(u"berth-screenshots"_s);
    const Options options = parseOptions(application);
    const QLocale locale = ui::localeFor(options.language);
    QLocale::setDefault(locale);
    ui::installTranslations(&application, locale);
    QDir().mkpath(options.out);
    return tour(options) ? 0 : 1;
}
