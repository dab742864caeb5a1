#include "ui/MainWindow.h"

#include "app/AdminClient.h"
#include "app/ConsoleSettings.h"
#include "app/CredentialStore.h"
#include "app/LocalServerConfig.h"
#include "app/RegistryClient.h"
#include "ui/Accessibility.h"
#include "ui/AddRegistryDialog.h"
#include "ui/BrowserPage.h"
#include "ui/CertificateDialog.h"
#include "ui/LogModel.h"
#include "ui/LogPage.h"
#include "ui/Mnemonic.h"
#include "ui/RegistryClientPool.h"
#include "ui/RegistryListModel.h"
#include "ui/RegistrySidebar.h"
#include "ui/RetentionPage.h"
#include "ui/ServerStatusWidget.h"
#include "ui/SettingsDialog.h"
#include "ui/ShortcutsDialog.h"
#include "ui/StoragePage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFrame>
#include <QHostAddress>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QVBoxLayout>

namespace berth::ui {

namespace {

using State = app::ServerSupervisor::State;

constexpr int statusTimeoutMs = 15000;

// A port nothing listens on at `address` right now, other than `avoid`; 0 if none is found.
quint16 findFreePort(const QString& address, quint16 avoid)
{
    const QHostAddress host = address.isEmpty() ? QHostAddress(QHostAddress::Any) : QHostAddress(address);
    for (int attempt = 0; attempt < 8; ++attempt) {
        QTcpServer probe;
        if (probe.listen(host, 0) && probe.serverPort() != avoid)
            return probe.serverPort();
    }
    return 0;
}

} // namespace

MainWindow::MainWindow(const ConsoleServices& services, QWidget* parent)
    : QMainWindow(parent), m_services(services), m_logModel(new LogModel(LogModel::defaultCapacity, this)),
      m_registries(new RegistryListModel(services.directory, this)),
      m_clients(new RegistryClientPool(services.network, services.credentials, this))
{
    setWindowTitle(tr("Berth"));
    setAccessible(this, tr("Berth"), tr("The Berth registry console"));
    buildLayout();
    buildMenus();
    restoreLayout();

    connect(m_services.supervisor, &app::ServerSupervisor::logLine, m_logModel, &LogModel::appendLine);
    connect(m_services.supervisor, &app::ServerSupervisor::stateChanged, this,
            &MainWindow::serverStateChanged);
    connect(m_services.supervisor, &app::ServerSupervisor::portInUse, this, &MainWindow::offerAnotherPort);
    connect(m_sidebar, &RegistrySidebar::currentRegistryChanged, this, &MainWindow::showRegistry);
    connect(m_sidebar, &RegistrySidebar::addRequested, this, &MainWindow::addRegistry);
    connect(m_sidebar, &RegistrySidebar::editRequested, this, &MainWindow::editRegistry);
    connect(m_sidebar, &RegistrySidebar::removeRequested, this, &MainWindow::removeRegistry);
    connect(m_browser, &BrowserPage::statusMessage, this, &MainWindow::showStatus);
    connect(m_storagePage, &StoragePage::statusMessage, this, &MainWindow::showStatus);
    connect(m_retentionPage, &RetentionPage::statusMessage, this, &MainWindow::showStatus);
    connect(m_logPage, &LogPage::statusMessage, this, &MainWindow::showStatus);
    connect(m_storagePage, &StoragePage::openRepository, this, &MainWindow::openRepository);
    connect(m_storagePage, &StoragePage::openImage, this, &MainWindow::openImage);
    connect(m_retentionPage, &RetentionPage::openRepository, this, &MainWindow::openRepository);

    serverStateChanged(m_services.supervisor->state());
    showRegistry(m_sidebar->currentRow());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildLayout()
{
    auto* left = new QWidget(this);
    setAccessible(left, tr("Sidebar"), tr("The registries and the local server"));
    m_sidebar = new RegistrySidebar(m_registries, left);
    m_serverStatus = new ServerStatusWidget(m_services.supervisor, left);
    auto* line = new QFrame(left);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(m_sidebar, 1);
    leftLayout->addWidget(line);
    leftLayout->addWidget(m_serverStatus);

    m_pages = new QTabWidget(this);
    m_pages->setDocumentMode(true);
    setAccessible(m_pages, tr("Pages"),
                  tr("Browse the selected registry, see its storage and retention rules, or read the local "
                     "server's logs"));
    setAccessible(m_pages->tabBar(), tr("Page tabs"), tr("Switch pages with Ctrl+1, Ctrl+2 and so on"));

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    setAccessible(splitter, tr("Main area"), tr("The sidebar beside the pages"));
    splitter->addWidget(left);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 1000});
    setCentralWidget(splitter);

    m_browser = new BrowserPage(this);
    m_storagePage = new StoragePage(this);
    m_retentionPage = new RetentionPage(this);
    m_logPage = new LogPage(m_logModel, this);
    setAccessible(statusBar(), tr("Status bar"), tr("Messages about what the console just did"));
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addActions(m_sidebar->sidebarActions());
    file->addSeparator();
    auto* settings = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &MainWindow::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    // Pages get their entries (and Ctrl+<number>) as they are added.
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    addPage(m_browser, tr("&Browse"));
    addPage(m_storagePage, tr("&Storage"));
    addPage(m_retentionPage, tr("&Retention"));
    addPage(m_logPage, tr("&Logs"));

    // Each page's own actions; their shortcuts work while the focus is in the page.
    const struct
    {
        QString title;
        QList<QAction*> actions;
    } pageMenus[] = {{tr("&Registry"), m_browser->pageActions()},
                     {tr("St&orage"), m_storagePage->pageActions()},
                     {tr("Re&tention"), m_retentionPage->pageActions()},
                     {tr("Lo&gs"), m_logPage->pageActions()}};
    for (const auto& [title, actions] : pageMenus)
        menuBar()->addMenu(title)->addActions(actions);
    auto* server = menuBar()->addMenu(tr("&Server"));
    server->addActions(m_serverStatus->serverActions());

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* shortcuts = help->addAction(tr("&Keyboard Shortcuts"), this, [this] {
        auto* dialog = new ShortcutsDialog(menuBar(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    shortcuts->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Berth"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
}

void MainWindow::addPage(QWidget* page, const QString& title)
{
    auto* action = m_viewMenu->addAction(title);
    // The tab has no mnemonic: Alt+<letter> belongs to the menus.
    const int index = m_pages->addTab(page, withoutMnemonic(title));
    if (index < 9)
        action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + index)));
    connect(action, &QAction::triggered, this, [this, page] { showPage(m_pages->indexOf(page)); });
}

int MainWindow::pageCount() const
{
    return m_pages->count();
}

QWidget* MainWindow::currentPage() const
{
    return m_pages->currentWidget();
}

void MainWindow::showPage(int index)
{
    m_pages->setCurrentIndex(index);
    if (QWidget* page = m_pages->currentWidget())
        page->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::restoreLayout()
{
    resize(1280, 800);
    restoreGeometry(m_services.settings->windowGeometry());
    if (auto* splitter = qobject_cast<QSplitter*>(centralWidget()))
        splitter->restoreState(m_services.settings->windowState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    const auto* splitter = qobject_cast<QSplitter*>(centralWidget());
    m_services.settings->setWindowLayout(saveGeometry(), splitter ? splitter->saveState() : QByteArray());
    QMainWindow::closeEvent(event);
}

void MainWindow::showRegistry(int row)
{
    if (row == RegistryListModel::localRow) {
        showLocalRegistry();
        return;
    }
    const auto entry = m_registries->entryAt(row);
    if (!entry) {
        m_shownUrl.clear();
        m_browser->setRegistry(nullptr);
        return;
    }
    const QUrl url = entry->url;
    m_shownUrl = url;
    useAdminClient(nullptr); // its admin API, if any, needs a token only its own console has
    m_clients->acquire(*entry, true, this,
                       [this, url](app::RegistryClient* client, const QString& keychainError) {
                           useClient(url, client, keychainError);
                           checkConnection(url, client);
                       });
}

void MainWindow::showLocalRegistry()
{
    useAdminClient(m_localAdmin);
    // The server pane beside the list says why there is nothing to browse.
    if (m_services.supervisor->state() != State::Running) {
        m_shownUrl.clear();
        m_browser->setRegistry(nullptr);
        return;
    }
    app::RegistryEntry local;
    local.url = m_services.supervisor->registryUrl();
    m_shownUrl = local.url;
    m_clients->acquire(
        local, false, this,
        [this, url = local.url](app::RegistryClient* client, const QString&) { useClient(url, client, {}); });
}

bool MainWindow::isShowing(const QUrl& url) const
{
    return !url.isEmpty() && url == m_shownUrl;
}

void MainWindow::useClient(const QUrl& url, app::RegistryClient* client, const QString& keychainError)
{
    if (!isShowing(url))
        return; // another registry was selected meanwhile
    if (!keychainError.isEmpty())
        showStatus(
            tr("Signing in to %1 without saved credentials: %2").arg(client->hostAndPort(), keychainError));
    m_browser->setRegistry(client);
}

void MainWindow::useAdminClient(app::AdminClient* client)
{
    if (m_storagePage->adminClient() != client)
        m_storagePage->setAdminClient(client);
    if (m_retentionPage->adminClient() != client)
        m_retentionPage->setAdminClient(client);
}

// One AdminClient per address of the local berthd's admin API, which a restart may change.
void MainWindow::updateLocalAdminClient()
{
    const bool running = m_services.supervisor->state() == State::Running;
    const QUrl adminUrl = running ? m_services.supervisor->adminUrl() : QUrl();
    if (m_localAdmin && m_localAdmin->adminUrl() == adminUrl)
        return;
    if (m_localAdmin) {
        if (m_storagePage->adminClient() == m_localAdmin)
            useAdminClient(nullptr);
        m_localAdmin->deleteLater();
        m_localAdmin = nullptr;
    }
    if (!adminUrl.isEmpty())
        m_localAdmin =
            new app::AdminClient(adminUrl, m_services.supervisor->adminToken(), m_services.network, this);
}

void MainWindow::openRepository(const QString& repository)
{
    openImage(repository, {});
}

void MainWindow::openImage(const QString& repository, const QString& reference)
{
    showPage(m_pages->indexOf(m_browser));
    // A tag never holds a colon; a digest always does.
    const bool isTag = !reference.contains(u':');
    m_browser->openRepository(repository, isTag ? reference : QString());
}

void MainWindow::checkConnection(const QUrl& url, app::RegistryClient* client)
{
    client->ping(this, [this, url, client = QPointer(client)](const app::RegistryResult<void>& result) {
        if (result || !client || !isShowing(url))
            return;
        const app::RegistryError& error = result.error();
        if (error.kind == app::RegistryError::Kind::Tls && !client->untrustedCertificate().isNull())
            offerToTrust(url, client, error.message);
        else
            showStatus(tr("%1: %2").arg(client->hostAndPort(), error.message));
    });
}

void MainWindow::offerToTrust(const QUrl& url, app::RegistryClient* client, const QString& error)
{
    const QSslCertificate certificate = client->untrustedCertificate();
    auto* dialog = new CertificateDialog(url, certificate, error, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, url, certificate, client = QPointer(client)] {
        const int row = m_registries->rowOf(url);
        auto entry = m_registries->entryAt(row);
        if (!client || !entry)
            return;
        client->trustCertificate(certificate);
        entry->trustedCertificatePem = certificate.toPem();
        m_services.directory->save(*entry);
        showStatus(tr("Trusting the certificate of %1").arg(client->hostAndPort()));
        if (isShowing(url))
            m_browser->refresh();
    });
    dialog->open();
}

void MainWindow::addRegistry()
{
    openRegistryDialog({}, {});
}

void MainWindow::editRegistry(int row)
{
    const auto entry = m_registries->entryAt(row);
    if (!entry)
        return;
    m_services.credentials->read(
        entry->url, this, [this, entry = *entry](const app::Credentials& credentials, const QString& error) {
            if (!error.isEmpty())
                showStatus(error);
            openRegistryDialog(entry, credentials);
        });
}

void MainWindow::openRegistryDialog(const app::RegistryEntry& original, const app::Credentials& credentials)
{
    auto* dialog = new AddRegistryDialog(original, credentials, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, original] { saveRegistry(original, dialog->entry(), dialog->credentials()); });
    dialog->open();
}

void MainWindow::saveRegistry(const app::RegistryEntry& original, const app::RegistryEntry& entry,
                              const app::Credentials& credentials)
{
    const bool moved = !original.url.isEmpty() && original.url != entry.url;
    if (moved) {
        m_clients->forget(original.url);
        m_services.directory->remove(original.url);
        m_services.credentials->remove(original.url, this, [](const QString&) {});
    }
    m_clients->forget(entry.url); // a changed name or certificate makes a fresh client
    m_clients->prepare(entry, credentials);
    m_services.directory->save(entry);
    const auto reportKeychain = [this](const QString& error) {
        if (!error.isEmpty())
            showStatus(tr("The credentials were not saved: %1").arg(error));
    };
    if (!credentials.isEmpty())
        m_services.credentials->write(entry.url, credentials, this, reportKeychain);
    else if (!original.url.isEmpty())
        m_services.credentials->remove(entry.url, this, reportKeychain);

    // Selecting another row shows it; the row already shown gets its fresh client here.
    const bool wasShown = isShowing(entry.url);
    m_sidebar->setCurrentRow(m_registries->rowOf(entry.url));
    if (wasShown)
        showRegistry(m_sidebar->currentRow());
    showStatus(original.url.isEmpty() ? tr("Added %1").arg(entry.name) : tr("Saved %1").arg(entry.name));
}

void MainWindow::removeRegistry(int row)
{
    const auto entry = m_registries->entryAt(row);
    if (!entry)
        return;
    auto* question =
        new QMessageBox(QMessageBox::Question, tr("Remove Registry"),
                        tr("Remove %1 (%2) from the list?").arg(entry->name, entry->url.toDisplayString()),
                        QMessageBox::Cancel, this);
    question->setInformativeText(
        tr("Its saved credentials are deleted too. The registry itself is not changed."));
    auto* remove = question->addButton(tr("&Remove"), QMessageBox::AcceptRole);
    question->setDefaultButton(remove);
    question->setAttribute(Qt::WA_DeleteOnClose);
    setAccessible(question, tr("Remove Registry"), question->text());
    connect(question, &QMessageBox::finished, this, [this, question, remove, entry = *entry] {
        if (question->clickedButton() != remove)
            return;
        if (isShowing(entry.url)) {
            m_shownUrl.clear();
            m_browser->setRegistry(nullptr);
        }
        m_clients->forget(entry.url);
        m_services.directory->remove(entry.url);
        m_services.credentials->remove(entry.url, this, [this](const QString& error) {
            if (!error.isEmpty())
                showStatus(error);
        });
        showStatus(tr("Removed %1").arg(entry.name));
    });
    question->open();
}

void MainWindow::serverStateChanged(State state)
{
    const QUrl url = state == State::Running ? m_services.supervisor->registryUrl() : QUrl();
    if (!url.isEmpty() && url != m_localUrl) {
        if (!m_localUrl.isEmpty())
            m_clients->forget(m_localUrl); // it moved to another port
        m_localUrl = url;
    }
    m_registries->setLocalRegistry(url, state);
    updateLocalAdminClient();
    if (state == State::Failed)
        showStatus(m_services.supervisor->failureReason());
    if (m_sidebar->currentRow() == RegistryListModel::localRow)
        showLocalRegistry();
}

void MainWindow::offerAnotherPort(quint16 port)
{
    if (m_portDialogOpen)
        return;
    const app::LocalServerSettings current = m_services.supervisor->settings();
    const bool admin = port == current.adminPort && port != current.port;
    const quint16 other = findFreePort(admin ? QStringLiteral("127.0.0.1") : current.listenAddress,
                                       admin ? current.port : current.adminPort);

    auto* box =
        new QMessageBox(QMessageBox::Warning, tr("Port in Use"),
                        admin ? tr("Port %1, where the local server's admin API listens, is already used by "
                                   "another program.")
                                    .arg(port)
                              : tr("Port %1 is already used by another program, so the local registry "
                                   "cannot listen there.")
                                    .arg(port),
                        QMessageBox::Cancel, this);
    QPushButton* useOther = nullptr;
    if (other != 0) {
        box->setInformativeText(
            tr("Port %1 is free. Use it instead? You can change it later in Settings.").arg(other));
        useOther = box->addButton(tr("&Use Port %1").arg(other), QMessageBox::AcceptRole);
        box->setDefaultButton(useOther);
    }
    auto* settings = box->addButton(tr("Open &Settings…"), QMessageBox::ActionRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    setAccessible(box, tr("Port in use"), box->text());
    m_portDialogOpen = true;
    connect(box, &QMessageBox::finished, this, [this, box, useOther, settings, admin, other] {
        m_portDialogOpen = false;
        if (useOther && box->clickedButton() == useOther) {
            app::LocalServerSettings changed = m_services.supervisor->settings();
            (admin ? changed.adminPort : changed.port) = other;
            applyServerSettings(changed);
        } else if (box->clickedButton() == settings) {
            openSettings();
        }
    });
    box->open();
}

void MainWindow::openSettings()
{
    const app::LocalServerConfig defaults{app::LocalServerSettings()};
    auto* dialog = new SettingsDialog(m_services.settings->language(), m_services.supervisor->settings(),
                                      defaults.storageFolder(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->language() != m_services.settings->language()) {
            m_services.settings->setLanguage(dialog->language());
            showStatus(tr("The new language takes effect when Berth restarts."));
        }
        if (dialog->localServer() != m_services.supervisor->settings())
            applyServerSettings(dialog->localServer());
    });
    dialog->open();
}

void MainWindow::applyServerSettings(const app::LocalServerSettings& server)
{
    m_services.settings->setLocalServer(server);
    m_services.supervisor->applySettings(server);
    if (m_services.supervisor->state() == State::Stopped)
        showStatus(tr("Saved; the local server uses the new settings when it starts."));
    else
        showStatus(tr("Restarting the local server with the new settings"));
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Berth"),
        tr("<p><b>Berth %1</b></p><p>A container image registry with a desktop console: browse "
           "repositories and tags, read the server's logs, and run the bundled berthd.</p>")
            .arg(QStringLiteral(BERTH_VERSION)));
}

void MainWindow::showStatus(const QString& message)
{
    statusBar()->showMessage(message, statusTimeoutMs);
}

} // namespace berth::ui
