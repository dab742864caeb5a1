// The main window offscreen, with a real berthd started through the real ServerSupervisor:
// the server's state and address, the sidebar (local registry, registries added by URL and
// kept in the settings file, credentials in the keychain only), pages switched from the
// keyboard, accessible names on every control, berthd's log lines reaching the log page, a
// taken port answered with a free one, settings applied with a restart, and the shipped
// Chinese translation.

#include "HttpClient.h"
#include "RegistryProcess.h"
#include "TlsRegistry.h"
#include "WidgetLookup.h"
#include "app/ConsoleSettings.h"
#include "app/CredentialStore.h"
#include "app/RegistryClient.h"
#include "app/RegistryDirectory.h"
#include "app/ServerSupervisor.h"
#include "ui/AddRegistryDialog.h"
#include "ui/BrowserPage.h"
#include "ui/CertificateDialog.h"
#include "ui/LogModel.h"
#include "ui/LogPage.h"
#include "ui/MainWindow.h"
#include "ui/Mnemonic.h"
#include "ui/RegistryListModel.h"
#include "ui/RegistrySidebar.h"
#include "ui/RetentionPage.h"
#include "ui/ServerStatusWidget.h"
#include "ui/SettingsDialog.h"
#include "ui/StoragePage.h"
#include "ui/Translations.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QUuid>
#include <QXmlStreamReader>
#include <csignal>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using berth::app::ServerSupervisor;
using berth::ui::MainWindow;
using berth::ui::RegistryListModel;
using State = berth::app::ServerSupervisor::State;

namespace berth::test {

namespace {

constexpr int serverTimeoutMs = 30000;
constexpr int uiTimeoutMs = 10000;
constexpr int keychainTimeoutMs = 30000;

// The console as main() wires it, in a temporary folder: its own settings file, berthd's
// config and storage, and a keychain service of its own.
struct Console
{
    explicit Console(quint16 port = 0)
        : settings(folder.filePath(u"berth.conf"_s), QSettings::IniFormat), consoleSettings(&settings),
          supervisor(serverSettings(port), RegistryProcess::berthdPath()), directory(&settings),
          credentials(keychainService())
    {
        consoleSettings.setLocalServer(supervisor.settings());
        window = std::make_unique<MainWindow>(
            ui::ConsoleServices{&supervisor, &directory, &credentials, &consoleSettings, &network});
        window->show();
    }

    app::LocalServerSettings serverSettings(quint16 port) const
    {
        app::LocalServerSettings server;
        server.listenAddress = u"127.0.0.1"_s;
        server.port = port;
        server.adminPort = 0;
        server.storageFolder = folder.filePath(u"storage"_s);
        server.dataFolder = folder.filePath(u"data"_s);
        return server;
    }

    static QString keychainService()
    {
        static const QString service = u"berth-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
        return service;
    }

    bool startAndWait()
    {
        supervisor.start();
        return QTest::qWaitFor([this] { return supervisor.state() == State::Running; }, serverTimeoutMs);
    }

    QTemporaryDir folder;
    QSettings settings;
    app::ConsoleSettings consoleSettings;
    ServerSupervisor supervisor;
    app::RegistryDirectory directory;
    app::CredentialStore credentials;
    QNetworkAccessManager network;
    std::unique_ptr<MainWindow> window;
};

// The dialog of type `Dialog` the window opened, once it is visible.
template <class Dialog> Dialog* waitForDialog(QWidget* window)
{
    Dialog* dialog = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] {
            dialog = window->findChild<Dialog*>();
            return dialog && dialog->isVisible();
        },
        uiTimeoutMs);
    return shown ? dialog : nullptr;
}

bool isInteractive(const QWidget* widget)
{
    return qobject_cast<const QAbstractButton*>(widget) || qobject_cast<const QAbstractItemView*>(widget) ||
           qobject_cast<const QLineEdit*>(widget) || qobject_cast<const QComboBox*>(widget) ||
           qobject_cast<const QAbstractSpinBox*>(widget) || qobject_cast<const QTabBar*>(widget) ||
           widget->focusPolicy() != Qt::NoFocus;
}

// Parts of a control that assistive technology reaches through the control itself: a
// view's header and scroll bars, a spin box's or combo box's editor and popup, a tab bar's
// scroll buttons, and Qt's internal helpers (object names starting with qt_).
bool isPartOfAControl(const QWidget* widget)
{
    const QWidget* parent = widget->parentWidget();
    return widget->objectName().startsWith(u"qt_"_s) || widget->inherits("QLineEditIconButton") ||
           widget->inherits("QMenu") || widget->inherits("QComboBoxPrivateContainer") ||
           (parent && (parent->inherits("QAbstractScrollArea") || parent->inherits("QAbstractSpinBox") ||
                       parent->inherits("QComboBox") || parent->inherits("QComboBoxPrivateContainer") ||
                       parent->inherits("QTabBar")));
}

// Controls under `root` (shown or not) whose accessible name or description, as AT-SPI
// clients read them, is empty. A selectable label needs no description: its text is what
// it says.
QStringList unnamedWidgets(QWidget* root)
{
    QStringList unnamed;
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* widget : widgets) {
        if (!isInteractive(widget) || isPartOfAControl(widget))
            continue;
        const QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(widget);
        const QString name = accessible ? accessible->text(QAccessible::Name) : QString();
        const QString description = accessible ? accessible->text(QAccessible::Description) : QString();
        if (name.isEmpty() || (description.isEmpty() && !widget->inherits("QLabel")))
            unnamed.append(QString::fromLatin1(widget->metaObject()->className()) + u" \"" + name +
                           u"\" in " +
                           (widget->parentWidget() ? widget->parentWidget()->accessibleName() : QString()) +
                           (name.isEmpty() ? u": no name"_s : u": no description"_s));
    }
    return unnamed;
}

bool processRuns(qint64 pid)
{
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void showsRunningServerWithItsAddress();
    void localRegistryIsInTheSidebar();
    void startStopRestartFromTheServerPane();
    void addRegistryByUrl_data();
    void addRegistryByUrl();
    void invalidUrlsCannotBeAdded_data();
    void invalidUrlsCannotBeAdded();
    void credentialsGoToTheKeychainOnly();
    void selfSignedCertificate_data();
    void selfSignedCertificate();
    void removeRegistry();
    void editRegistryFromTheKeyboard();
    void shortcutsOpenDialogs_data();
    void shortcutsOpenDialogs();
    void pagesSwitchFromTheKeyboard_data();
    void pagesSwitchFromTheKeyboard();
    void storageOpensImagesInTheBrowser_data();
    void storageOpensImagesInTheBrowser();
    void textWithoutMnemonic_data();
    void textWithoutMnemonic();
    void mnemonicsDoNotCollide();
    void everyControlHasAnAccessibleName();
    void dialogControlsHaveAccessibleNames();
    void logPageReceivesBerthdLines();
    void logPageFollowsCopiesAndSaves();
    void takenPortIsReplacedByAFreeOne();
    void settingsApplyWithARestart();
    void quittingStopsBerthd();
    void chineseTranslationIsComplete();
    void chineseTranslationIsEmbedded();
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(QFileInfo(RegistryProcess::berthdPath()).isExecutable(),
             "BERTHD must point to the built berthd");
}

void TestMainWindow::showsRunningServerWithItsAddress()
{
    Console console;
    QVERIFY(console.startAndWait());
    const QString address = console.supervisor.address();
    QVERIFY2(address.startsWith(u"127.0.0.1:"_s), qPrintable(address));
    QCOMPARE(console.window->serverStatus()->stateText(), u"Running at "_s + address);
    const auto* state = findByName<QWidget>(console.window.get(), u"Server state"_s);
    QVERIFY(state);
    QCOMPARE(state->accessibleDescription(), u"Running at "_s + address);
}

void TestMainWindow::localRegistryIsInTheSidebar()
{
    Console console;
    const RegistryListModel* list = console.window->registryList();
    QCOMPARE(list->rowCount(), 1);
    const QModelIndex local = list->index(RegistryListModel::localRow);
    QCOMPARE(local.data().toString(), u"Local registry"_s);
    QVERIFY(local.data(RegistryListModel::IsLocalRole).toBool());
    QCOMPARE(console.window->sidebar()->currentRow(), RegistryListModel::localRow);

    QVERIFY(console.startAndWait());
    QTRY_COMPARE_WITH_TIMEOUT(local.data(RegistryListModel::UrlRole).toUrl(),
                              console.supervisor.registryUrl(), uiTimeoutMs);
    QVERIFY(local.data(Qt::AccessibleTextRole).toString().contains(u"Running"_s));
    // Selected, so the browser gets a client for it.
    QTRY_VERIFY_WITH_TIMEOUT(console.window->browserPage()->registry(), uiTimeoutMs);
    QCOMPARE(console.window->browserPage()->registry()->baseUrl(), console.supervisor.registryUrl());
    // And the storage and retention pages get its admin API.
    QTRY_VERIFY_WITH_TIMEOUT(console.window->storagePage()->adminClient(), uiTimeoutMs);
    QCOMPARE(console.window->storagePage()->adminClient()->adminUrl(), console.supervisor.adminUrl());
    QCOMPARE(console.window->retentionPage()->adminClient(), console.window->storagePage()->adminClient());
}

void TestMainWindow::startStopRestartFromTheServerPane()
{
    Console console;
    QVERIFY(console.startAndWait());
    auto* stop = findByName<QAbstractButton>(console.window.get(), u"Stop server"_s);
    auto* start = findByName<QAbstractButton>(console.window.get(), u"Start server"_s);
    auto* restart = findByName<QAbstractButton>(console.window.get(), u"Restart server"_s);
    QVERIFY(stop && start && restart);
    QVERIFY(!start->isEnabled());

    stop->click();
    QTRY_COMPARE_WITH_TIMEOUT(console.supervisor.state(), State::Stopped, serverTimeoutMs);
    QCOMPARE(console.window->serverStatus()->stateText(), u"Stopped"_s);
    QVERIFY(start->isEnabled());
    QVERIFY(!stop->isEnabled());
    QVERIFY(!console.window->browserPage()->registry());

    start->click();
    QTRY_COMPARE_WITH_TIMEOUT(console.supervisor.state(), State::Running, serverTimeoutMs);
    const qint64 firstPid = console.supervisor.processId();
    restart->click();
    QTRY_VERIFY_WITH_TIMEOUT(console.supervisor.state() == State::Running &&
                                 console.supervisor.processId() != firstPid,
                             serverTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(console.window->browserPage()->registry(), uiTimeoutMs);
}

void TestMainWindow::addRegistryByUrl_data()
{
    QTest::addColumn<QString>("typed"); // %1: the port of a running registry
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expectedUrl");
    QTest::addColumn<QString>("expectedName");

    QTest::newRow("full URL") << u"http://127.0.0.1:%1"_s << QString() << u"http://127.0.0.1:%1"_s
                              << u"127.0.0.1:%1"_s;
    QTest::newRow("trailing slash and a name")
        << u"http://127.0.0.1:%1/"_s << u"Team registry"_s << u"http://127.0.0.1:%1"_s << u"Team registry"_s;
    QTest::newRow("no scheme: https") << u"registry.example:%1"_s << QString()
                                      << u"https://registry.example:%1"_s << u"registry.example:%1"_s;
}

void TestMainWindow::addRegistryByUrl()
{
    QFETCH(QString, typed);
    QFETCH(QString, name);
    QFETCH(QString, expectedUrl);
    QFETCH(QString, expectedName);

    RegistryProcess other;
    QVERIFY2(other.start(), qPrintable(other.errorString()));
    const auto withPort = [port = QString::number(other.port())](QString text) {
        return text.replace(u"%1"_s, port);
    };
    Console console;

    console.window->addRegistry();
    auto* dialog = waitForDialog<ui::AddRegistryDialog>(console.window.get());
    QVERIFY(dialog);
    auto* url = findByName<QLineEdit>(dialog, u"Registry URL"_s);
    auto* nameEdit = findByName<QLineEdit>(dialog, u"Registry name"_s);
    auto* add = findByName<QPushButton>(dialog, u"Add"_s);
    QVERIFY(url && nameEdit && add);
    QVERIFY(!add->isEnabled());
    QTest::keyClicks(url, withPort(typed));
    QTest::keyClicks(nameEdit, name);
    QVERIFY(add->isEnabled());
    add->click();

    const RegistryListModel* list = console.window->registryList();
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 2, uiTimeoutMs);
    const QModelIndex added = list->index(1);
    QCOMPARE(added.data(RegistryListModel::UrlRole).toUrl(), QUrl(withPort(expectedUrl)));
    QCOMPARE(added.data().toString(), withPort(expectedName));
    QCOMPARE(console.window->sidebar()->currentRow(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(console.window->browserPage()->registry(), uiTimeoutMs);
    QCOMPARE(console.window->browserPage()->registry()->baseUrl(), QUrl(withPort(expectedUrl)));
    QVERIFY(!console.window->storagePage()->adminClient()); // no admin token for another registry

    // In the settings file, for the next start.
    QSettings reread(console.settings.fileName(), QSettings::IniFormat);
    app::RegistryDirectory stored(&reread);
    QCOMPARE(stored.entries().size(), 1);
    QCOMPARE(stored.entries().first().url, QUrl(withPort(expectedUrl)));
    QCOMPARE(stored.entries().first().name, withPort(expectedName));
}

void TestMainWindow::invalidUrlsCannotBeAdded_data()
{
    QTest::addColumn<QString>("typed");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << u"   "_s;
    QTest::newRow("ftp") << u"ftp://registry.example"_s;
    QTest::newRow("no host") << u"http://"_s;
    QTest::newRow("bad port") << u"http://registry.example:99999"_s;
}

void TestMainWindow::invalidUrlsCannotBeAdded()
{
    QFETCH(QString, typed);
    QVERIFY(!ui::AddRegistryDialog::urlProblem(typed).isEmpty());
    ui::AddRegistryDialog dialog;
    auto* url = findByName<QLineEdit>(&dialog, u"Registry URL"_s);
    auto* add = findByName<QPushButton>(&dialog, u"Add"_s);
    QVERIFY(url && add);
    url->setText(typed);
    QVERIFY(!add->isEnabled());
}

// The password goes to the keychain and nowhere near the settings file.
void TestMainWindow::credentialsGoToTheKeychainOnly()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("no D-Bus session with a keychain: CTest runs this test with one");
    RegistryProcess other;
    QVERIFY2(other.start(), qPrintable(other.errorString()));
    Console console;
    const QString secret = u"s3cret-"_s + QUuid::createUuid().toString(QUuid::Id128);

    console.window->addRegistry();
    auto* dialog = waitForDialog<ui::AddRegistryDialog>(console.window.get());
    QVERIFY(dialog);
    findByName<QLineEdit>(dialog, u"Registry URL"_s)->setText(other.baseUrl().toString());
    findByName<QLineEdit>(dialog, u"Username"_s)->setText(u"alice"_s);
    findByName<QLineEdit>(dialog, u"Password or token"_s)->setText(secret);
    findByName<QPushButton>(dialog, u"Add"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(console.window->registryList()->rowCount(), 2, uiTimeoutMs);

    // The write is asynchronous: read with a store of our own until it has landed.
    app::Credentials stored;
    QVERIFY(QTest::qWaitFor(
        [&] {
            std::optional<app::Credentials> answer;
            app::CredentialStore reader(Console::keychainService());
            reader.read(
                other.baseUrl(), this,
                [&answer](const app::Credentials& credentials, const QString&) { answer = credentials; });
            if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, keychainTimeoutMs))
                return false;
            stored = *answer;
            return stored.secret == secret;
        },
        keychainTimeoutMs));
    QCOMPARE(stored.username, u"alice"_s);
    console.settings.sync();
    QFile file(console.settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QVERIFY(written.contains("alice"));
    QVERIFY(!written.contains(secret.toUtf8()));
}

void TestMainWindow::selfSignedCertificate_data()
{
    QTest::addColumn<bool>("trust");
    QTest::newRow("trusted") << true;
    QTest::newRow("declined") << false;
}

// A registry with a self-signed certificate: the window shows the certificate and trusts it
// only when asked to, for good (its PEM is kept with the registry).
void TestMainWindow::selfSignedCertificate()
{
    QFETCH(bool, trust);
    TlsRegistry tls;
    const QString started = tls.start({u"127.0.0.1"_s, u"IP:127.0.0.1"_s});
    QVERIFY2(started.isEmpty(), qPrintable(started));
    Console console;

    console.window->addRegistry();
    auto* add = waitForDialog<ui::AddRegistryDialog>(console.window.get());
    QVERIFY(add);
    findByName<QLineEdit>(add, u"Registry URL"_s)->setText(tls.baseUrl().toString());
    findByName<QPushButton>(add, u"Add"_s)->click();

    auto* dialog = waitForDialog<ui::CertificateDialog>(console.window.get());
    QVERIFY2(dialog, "no question about the certificate");
    const auto shown = [dialog](const QString& name) {
        const auto* label = findByName<QLabel>(dialog, name);
        return label ? label->text() : QString();
    };
    QCOMPARE(shown(u"SHA-256 fingerprint"_s), ui::CertificateDialog::fingerprint(tls.certificate()));
    QVERIFY2(shown(u"Subject"_s).contains(u"127.0.0.1"_s), qPrintable(shown(u"Subject"_s)));
    QVERIFY(!shown(u"Issuer"_s).isEmpty());
    QVERIFY(!shown(u"Validity"_s).isEmpty());
    auto* answer = findByName<QAbstractButton>(dialog, trust ? u"Trust this certificate"_s
                                                                       : u"Do not trust"_s);
    QVERIFY(answer);
    answer->click();

    const auto pem = [&console] {
        const QList<app::RegistryEntry> entries = console.directory.entries();
        return entries.isEmpty() ? QByteArray() : entries.first().trustedCertificatePem;
    };
    app::RegistryClient* client = console.window->browserPage()->registry();
    QVERIFY(client);
    std::optional<bool> reached;
    client->ping(this, [&reached](const app::RegistryResult<void>& result) { reached = result.hasValue(); });
    QTRY_VERIFY_WITH_TIMEOUT(reached.has_value(), uiTimeoutMs);
    QCOMPARE(*reached, trust);
    QCOMPARE(pem(), trust ? tls.certificate().toPem() : QByteArray());
}

void TestMainWindow::removeRegistry()
{
    Console console;
    app::RegistryEntry entry;
    entry.url = QUrl(u"http://127.0.0.1:9"_s);
    entry.name = u"Doomed"_s;
    console.directory.save(entry);
    QCOMPARE(console.window->registryList()->rowCount(), 2);
    console.window->sidebar()->setCurrentRow(1);

    auto* remove = findByName<QAbstractButton>(console.window.get(), u"Remove registry"_s);
    QVERIFY(remove && remove->isEnabled());
    remove->click();
    auto* question = waitForDialog<QMessageBox>(console.window.get());
    QVERIFY(question);
    QVERIFY(question->text().contains(u"Doomed"_s));
    auto* confirm = findByName<QAbstractButton>(question, u"Remove"_s);
    if (!confirm) {
        for (auto* button : question->buttons())
            if (button->text() == u"&Remove")
                confirm = button;
    }
    QVERIFY(confirm);
    confirm->click();
    QTRY_COMPARE_WITH_TIMEOUT(console.window->registryList()->rowCount(), 1, uiTimeoutMs);
    QCOMPARE(console.directory.entries().size(), 0);
    QCOMPARE(console.window->sidebar()->currentRow(), RegistryListModel::localRow);

    // The local registry cannot be removed.
    QVERIFY(!remove->isEnabled());
}

// F2 in the list edits the selected registry; the dialog shows what is stored.
void TestMainWindow::editRegistryFromTheKeyboard()
{
    Console console;
    MainWindow* window = console.window.get();
    app::RegistryEntry entry;
    entry.url = QUrl(u"http://127.0.0.1:9"_s);
    entry.name = u"Before"_s;
    console.directory.save(entry);
    QVERIFY(QTest::qWaitForWindowActive(window));
    window->sidebar()->setCurrentRow(1);
    window->sidebar()->focusList();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_F2);

    auto* dialog = waitForDialog<ui::AddRegistryDialog>(window); // after the keychain answers
    QVERIFY(dialog);
    auto* url = findByName<QLineEdit>(dialog, u"Registry URL"_s);
    auto* name = findByName<QLineEdit>(dialog, u"Registry name"_s);
    auto* save = findByName<QPushButton>(dialog, u"Save"_s);
    QVERIFY(url && name && save);
    QCOMPARE(url->text(), entry.url.toString());
    QCOMPARE(name->text(), u"Before"_s);
    name->setText(u"After"_s);
    save->click();

    QTRY_COMPARE_WITH_TIMEOUT(window->registryList()->index(1).data().toString(), u"After"_s, uiTimeoutMs);
    QCOMPARE(console.directory.entries().size(), 1);
    QCOMPARE(console.directory.entries().first().url, entry.url);
    QCOMPARE(window->sidebar()->currentRow(), 1);
}

void TestMainWindow::shortcutsOpenDialogs_data()
{
    QTest::addColumn<QKeySequence>("keys");
    QTest::addColumn<QString>("dialog");
    QTest::newRow("Ctrl+N: add a registry") << QKeySequence(Qt::CTRL | Qt::Key_N) << u"Add Registry"_s;
    QTest::newRow("Ctrl+,: settings") << QKeySequence(Qt::CTRL | Qt::Key_Comma) << u"Settings"_s;
    QTest::newRow("F1: keyboard shortcuts") << QKeySequence(Qt::Key_F1) << u"Keyboard Shortcuts"_s;
}

void TestMainWindow::shortcutsOpenDialogs()
{
    QFETCH(QKeySequence, keys);
    QFETCH(QString, dialog);
    Console console;
    MainWindow* window = console.window.get();
    QVERIFY(QTest::qWaitForWindowActive(window));
    window->sidebar()->focusList();
    QTest::keySequence(window, keys);
    auto* opened = waitForDialog<QDialog>(window);
    QVERIFY(opened);
    QCOMPARE(opened->accessibleName(), dialog);
    opened->reject();
}

void TestMainWindow::pagesSwitchFromTheKeyboard_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<QString>("page");
    QTest::newRow("Ctrl+1: browse") << int(Qt::Key_1) << u"browse"_s;
    QTest::newRow("Ctrl+2: storage") << int(Qt::Key_2) << u"storage"_s;
    QTest::newRow("Ctrl+3: retention") << int(Qt::Key_3) << u"retention"_s;
    QTest::newRow("Ctrl+4: logs") << int(Qt::Key_4) << u"logs"_s;
}

void TestMainWindow::pagesSwitchFromTheKeyboard()
{
    QFETCH(int, key);
    QFETCH(QString, page);

    Console console;
    MainWindow* window = console.window.get();
    const QHash<QString, QWidget*> pages{{u"browse"_s, static_cast<QWidget*>(window->browserPage())},
                                         {u"storage"_s, static_cast<QWidget*>(window->storagePage())},
                                         {u"retention"_s, static_cast<QWidget*>(window->retentionPage())},
                                         {u"logs"_s, static_cast<QWidget*>(window->logPage())}};
    QCOMPARE(window->pageCount(), pages.size());
    QVERIFY(QTest::qWaitForWindowActive(window));
    // Start from another page, with the focus in the sidebar.
    window->showPage(key == Qt::Key_1 ? 1 : 0);
    window->sidebar()->focusList();
    QTest::keyClick(window, static_cast<Qt::Key>(key), Qt::ControlModifier);
    QCOMPARE(window->currentPage(), pages.value(page));
    QVERIFY(window->currentPage()->isAncestorOf(QApplication::focusWidget()) ||
            window->currentPage() == QApplication::focusWidget());
}

void TestMainWindow::storageOpensImagesInTheBrowser_data()
{
    QTest::addColumn<QString>("reference");
    QTest::newRow("by tag") << u"v1"_s;
    QTest::newRow("untagged, by digest") << u"sha256:"_s + QString(64, u'0');
}

void TestMainWindow::storageOpensImagesInTheBrowser()
{
    QFETCH(QString, reference);
    Console console;
    MainWindow* window = console.window.get();
    window->showPage(1); // Storage
    QCOMPARE(window->currentPage(), window->storagePage());

    Q_EMIT window->storagePage()->openImage(u"team/app"_s, reference);
    QCOMPARE(window->currentPage(), static_cast<QWidget*>(window->browserPage()));
}

void TestMainWindow::textWithoutMnemonic_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("first letter") << u"&Browse"_s << u"Browse"_s;
    QTest::newRow("inside") << u"Re&tention"_s << u"Retention"_s;
    QTest::newRow("ellipsis kept") << u"&Save Logs…"_s << u"Save Logs…"_s;
    QTest::newRow("literal ampersand") << u"Tom && Jerry"_s << u"Tom & Jerry"_s;
    QTest::newRow("CJK form") << u"浏览(&B)"_s << u"浏览"_s;
    QTest::newRow("CJK form with ellipsis") << u"设置(&S)…"_s << u"设置…"_s;
    QTest::newRow("none") << u"Logs"_s << u"Logs"_s;
}

void TestMainWindow::textWithoutMnemonic()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(ui::withoutMnemonic(text), expected);
}

// Alt+<letter> opens one menu or focuses one field, never two things at once.
void TestMainWindow::mnemonicsDoNotCollide()
{
    Console console;
    MainWindow* window = console.window.get();
    const auto mnemonic = [](const QString& text) {
        const qsizetype at = text.indexOf(QRegularExpression(u"&(?!&)"_s));
        return at >= 0 && at + 1 < text.size() ? text.at(at + 1).toLower() : QChar();
    };
    QHash<QChar, QString> menus;
    for (const QAction* menu : window->menuBar()->actions()) {
        const QChar letter = mnemonic(menu->text());
        QVERIFY2(!letter.isNull(), qPrintable(menu->text()));
        QVERIFY2(!menus.contains(letter), qPrintable(menus.value(letter) + u" and "_s + menu->text()));
        menus.insert(letter, menu->text());
    }
    for (int page = 0; page < window->pageCount(); ++page) {
        window->showPage(page);
        const auto* tabs = findByName<QTabBar>(window, u"Page tabs"_s);
        QVERIFY(tabs);
        QVERIFY2(mnemonic(tabs->tabText(page)).isNull(), qPrintable(tabs->tabText(page)));
        QHash<QChar, QString> shown = menus;
        for (const QLabel* label : window->findChildren<QLabel*>()) {
            const QChar letter = mnemonic(label->text());
            if (!label->buddy() || !label->isVisibleTo(window) || letter.isNull())
                continue;
            QVERIFY2(!shown.contains(letter), qPrintable(shown.value(letter) + u" and "_s + label->text()));
            shown.insert(letter, label->text());
        }
    }
}

void TestMainWindow::everyControlHasAnAccessibleName()
{
    Console console;
    QVERIFY(console.startAndWait());
    for (int page = 0; page < console.window->pageCount(); ++page) {
        console.window->showPage(page);
        QCoreApplication::processEvents();
    }
    const QStringList unnamed = unnamedWidgets(console.window.get());
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u"\n"_s)));
    // The panes and views too, so they can be found by name.
    for (const QString& name : {u"Registries pane"_s, u"Registries"_s, u"Local server pane"_s, u"Pages"_s,
                                u"Page tabs"_s, u"Logs"_s, u"Log lines"_s, u"Log filter"_s, u"Log level"_s})
        QVERIFY2(findByName<QWidget>(console.window.get(), name), qPrintable(name));
}

void TestMainWindow::dialogControlsHaveAccessibleNames()
{
    Console console;
    console.window->addRegistry();
    auto* add = waitForDialog<ui::AddRegistryDialog>(console.window.get());
    QVERIFY(add);
    QStringList unnamed = unnamedWidgets(add);
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u"\n"_s)));
    add->reject();

    console.window->openSettings();
    auto* settings = waitForDialog<ui::SettingsDialog>(console.window.get());
    QVERIFY(settings);
    unnamed = unnamedWidgets(settings);
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u"\n"_s)));
    settings->reject();
}

// berthd's access-log line for a request reaches the log page.
void TestMainWindow::logPageReceivesBerthdLines()
{
    Console console;
    QVERIFY(console.startAndWait());
    const QString marker =
        u"/v2/log-marker-"_s + QUuid::createUuid().toString(QUuid::Id128) + u"/tags/list"_s;
    HttpClient client(console.supervisor.registryUrl());
    QCOMPARE(client.get(u"/v2/"_s).status, 200);
    QCOMPARE(client.get(marker).status, 404);

    const ui::LogModel* model = console.window->logModel();
    const auto rowWithPath = [model](const QString& path) {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->line(row).path == path)
                return row;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowWithPath(marker) >= 0, uiTimeoutMs);
    const int v2 = rowWithPath(u"/v2/"_s);
    QVERIFY(v2 >= 0);
    QCOMPARE(model->line(v2).method, u"GET"_s);
    QCOMPARE(model->line(v2).status, 200);
    QCOMPARE(model->line(rowWithPath(marker)).status, 404);
    QCOMPARE(model->line(rowWithPath(marker)).level, ui::LogLevel::Info);

    // The page's filter finds it by text.
    auto* filter = findByName<QLineEdit>(console.window.get(), u"Log filter"_s);
    auto* view = findByName<QAbstractItemView>(console.window.get(), u"Log lines"_s);
    QVERIFY(filter && view);
    filter->setText(marker.mid(5, 30));
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, uiTimeoutMs);
    QCOMPARE(console.window->logPage()->shownLines().size(), 1);
    QVERIFY(console.window->logPage()->shownLines().first().contains(marker.toUtf8()));
}

// Follows new lines until scrolled up; copies the selected lines and saves the shown ones
// as berthd wrote them.
void TestMainWindow::logPageFollowsCopiesAndSaves()
{
    Console console;
    MainWindow* window = console.window.get();
    window->showPage(window->pageCount() - 1);
    ui::LogModel* model = window->logModel();
    ui::LogPage* page = window->logPage();
    auto* view = findByName<QAbstractItemView>(window, u"Log lines"_s);
    QVERIFY(view);
    const auto line = [](int number, const char* level) -> QByteArray {
        return R"({"time":"2026-11-27T22:01:13.135Z","level":")" + QByteArray(level) + R"(","msg":"line )" +
               QByteArray::number(number) + R"("})";
    };
    const auto lastRowShown = [view] {
        const QModelIndex last = view->model()->index(view->model()->rowCount() - 1, 0);
        return view->viewport()->rect().intersects(view->visualRect(last));
    };
    for (int number = 0; number < 300; ++number)
        model->appendLine(line(number, number % 10 == 0 ? "error" : "info"));
    model->flush();
    QVERIFY(page->isFollowing());
    QTRY_VERIFY_WITH_TIMEOUT(lastRowShown(), uiTimeoutMs);

    // Scrolling up pauses; new lines then leave the view where it is.
    view->verticalScrollBar()->triggerAction(QAbstractSlider::SliderToMinimum);
    QVERIFY(!page->isFollowing());
    model->appendLine(line(300, "info"));
    model->flush();
    QCoreApplication::processEvents();
    QVERIFY(!lastRowShown());
    page->setFollowing(true);
    QTRY_VERIFY_WITH_TIMEOUT(lastRowShown(), uiTimeoutMs);

    view->selectionModel()->select(view->model()->index(1, 0),
                                   QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view->selectionModel()->select(view->model()->index(3, 0),
                                   QItemSelectionModel::Select | QItemSelectionModel::Rows);
    page->copySelection();
    QCOMPARE(QGuiApplication::clipboard()->text().toUtf8(), line(1, "info") + '\n' + line(3, "info") + '\n');

    auto* level = findByName<QComboBox>(window, u"Log level"_s);
    QVERIFY(level);
    level->setCurrentIndex(level->findData(static_cast<int>(ui::LogLevel::Error)));
    QCOMPARE(page->shownLines().size(), 30);
    QTemporaryDir folder;
    const QString path = folder.filePath(u"berthd.log"_s);
    QCOMPARE(page->saveTo(path), QString());
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QByteArray expected;
    for (int number = 0; number < 300; number += 10)
        expected += line(number, "error") + '\n';
    QCOMPARE(saved.readAll(), expected);
    QVERIFY(!page->saveTo(folder.filePath(u"no/such/folder/berthd.log"_s)).isEmpty());
}

// berthd cannot listen on a taken port; the window offers a free one and restarts there.
void TestMainWindow::takenPortIsReplacedByAFreeOne()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 taken = squatter.serverPort();
    Console console(taken);
    console.supervisor.start();

    auto* box = waitForDialog<QMessageBox>(console.window.get());
    QVERIFY2(box, "no question about the taken port");
    QVERIFY2(box->text().contains(QString::number(taken)), qPrintable(box->text()));
    // The server pane says why, with berthd's last lines.
    QCOMPARE(console.supervisor.state(), State::Failed);
    QCOMPARE(console.window->serverStatus()->stateText(), u"Failed"_s);
    const auto* reason = findByName<QLabel>(console.window.get(), u"Failure reason"_s);
    const auto* lastLines = findByName<QWidget>(console.window.get(), u"Last server lines"_s);
    QVERIFY(reason && lastLines);
    QVERIFY2(reason->text().contains(QString::number(taken)), qPrintable(reason->text()));
    QVERIFY(reason->isVisibleTo(console.window.get()) && lastLines->isVisibleTo(console.window.get()));
    QAbstractButton* useOther = nullptr;
    for (auto* button : box->buttons()) {
        if (button->text().startsWith(u"&Use Port "_s))
            useOther = button;
    }
    QVERIFY(useOther);
    const quint16 offered = useOther->text().mid(10).toUShort();
    QVERIFY(offered != 0 && offered != taken);
    useOther->click();

    QTRY_COMPARE_WITH_TIMEOUT(console.supervisor.state(), State::Running, serverTimeoutMs);
    QCOMPARE(console.supervisor.address(), u"127.0.0.1:"_s + QString::number(offered));
    QCOMPARE(console.consoleSettings.localServer().port, offered);
}

void TestMainWindow::settingsApplyWithARestart()
{
    Console console;
    QVERIFY(console.startAndWait());
    const quint16 port = RegistryProcess::freePort();

    console.window->openSettings();
    auto* dialog = waitForDialog<ui::SettingsDialog>(console.window.get());
    QVERIFY(dialog);
    auto* portBox = findByName<QSpinBox>(dialog, u"Registry port"_s);
    auto* language = findByName<QComboBox>(dialog, u"Language"_s);
    QVERIFY(portBox && language);
    portBox->setValue(port);
    language->setCurrentIndex(language->findData(u"zh_CN"_s));
    dialog->accept();

    QTRY_COMPARE_WITH_TIMEOUT(console.supervisor.address(), u"127.0.0.1:"_s + QString::number(port),
                              serverTimeoutMs);
    QCOMPARE(console.supervisor.state(), State::Running);
    QCOMPARE(console.consoleSettings.localServer().port, port);
    QCOMPARE(console.consoleSettings.language(), u"zh_CN"_s);
    QTRY_COMPARE_WITH_TIMEOUT(console.window->browserPage()->registry()
                                  ? console.window->browserPage()->registry()->baseUrl()
                                  : QUrl(),
                              console.supervisor.registryUrl(), uiTimeoutMs);
}

void TestMainWindow::quittingStopsBerthd()
{
    qint64 pid = 0;
    {
        Console console;
        QVERIFY(console.startAndWait());
        pid = console.supervisor.processId();
        QVERIFY(processRuns(pid));
        console.window->close();
    }
    QVERIFY(!processRuns(pid));
}

// Every string of the shipped .ts has a Chinese translation.
void TestMainWindow::chineseTranslationIsComplete()
{
    QFile file(QStringLiteral(BERTH_TRANSLATIONS_DIR "/berth_zh_CN.ts"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QXmlStreamReader ts(&file);
    int messages = 0;
    QString source;
    QStringList untranslated;
    while (!ts.atEnd()) {
        if (ts.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (ts.name() == u"message") {
            ++messages;
        } else if (ts.name() == u"source") {
            source = ts.readElementText();
        } else if (ts.name() == u"translation") {
            const bool unfinished = ts.attributes().value(QStringLiteral("type")) == u"unfinished";
            const QString text = ts.readElementText(QXmlStreamReader::IncludeChildElements);
            if (unfinished || text.trimmed().isEmpty())
                untranslated.append(source);
        }
    }
    QVERIFY2(!ts.hasError(), qPrintable(ts.errorString()));
    QVERIFY(messages > 100);
    QVERIFY2(untranslated.isEmpty(), qPrintable(u"Untranslated: "_s + untranslated.join(u" | "_s)));
}

// The .qm is built and embedded, and the window speaks Chinese with it.
void TestMainWindow::chineseTranslationIsEmbedded()
{
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::Chinese, QLocale::China), u"berth"_s, u"_"_s, u":/i18n"_s));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    {
        Console console;
        const QList<QAction*> menus = console.window->menuBar()->actions();
        QVERIFY(!menus.isEmpty());
        QVERIFY2(menus.first()->text() != u"&File", qPrintable(menus.first()->text()));
        QCOMPARE(console.window->registryList()->index(0).data().toString(),
                 translator.translate("berth::ui::RegistryListModel", "Local registry"));
        // Tabs show the translated titles without the "(&X)" mnemonics of the menus.
        const auto* tabs = findByName<QTabBar>(
            console.window.get(), translator.translate("berth::ui::MainWindow", "Page tabs"));
        QVERIFY(tabs);
        for (int tab = 0; tab < tabs->count(); ++tab)
            QVERIFY2(!tabs->tabText(tab).contains(u'(') && !tabs->tabText(tab).contains(u'&'),
                     qPrintable(tabs->tabText(tab)));
    }
    QCoreApplication::removeTranslator(&translator);
    QCOMPARE(ui::availableLanguages().size(), 2);
}

} // namespace berth::test

QTEST_MAIN(berth::test::TestMainWindow)
#include "TestMainWindow.moc"
