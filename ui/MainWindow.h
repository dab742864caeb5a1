#pragma once
// The console's main window: the sidebar of registries with the local server's pane, and
// the pages (browse, storage, retention, logs) switched with Ctrl+1 to Ctrl+4. Connects
// what the user selects to the app's parts: a RegistryClient for the selected registry, an
// AdminClient for the local berthd's admin API, the supervisor, the keychain and settings.

#include "app/Credentials.h"
#include "app/RegistryDirectory.h"
#include "app/ServerSupervisor.h"

#include <QMainWindow>
#include <QUrl>

class QMenu;
class QNetworkAccessManager;
class QTabWidget;

namespace berth::app {
class AdminClient;
class ConsoleSettings;
class CredentialStore;
class RegistryClient;
} // namespace berth::app

namespace berth::ui {

class BrowserPage;
class LogModel;
class LogPage;
class RegistryClientPool;
class RegistryListModel;
class RegistrySidebar;
class RetentionPage;
class ServerStatusWidget;
class StoragePage;

// What the window works with; none owned, all must outlive the window.
struct ConsoleServices
{
    app::ServerSupervisor* supervisor = nullptr;
    app::RegistryDirectory* directory = nullptr;
    app::CredentialStore* credentials = nullptr;
    app::ConsoleSettings* settings = nullptr;
    QNetworkAccessManager* network = nullptr;
};

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const ConsoleServices& services, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Adds a page after the others; it gets the next Ctrl+<number> shortcut.
    void addPage(QWidget* page, const QString& title);
    int pageCount() const;
    QWidget* currentPage() const;
    void showPage(int index);

    BrowserPage* browserPage() const { return m_browser; }
    StoragePage* storagePage() const { return m_storagePage; }
    RetentionPage* retentionPage() const { return m_retentionPage; }
    LogPage* logPage() const { return m_logPage; }
    LogModel* logModel() const { return m_logModel; }
    RegistrySidebar* sidebar() const { return m_sidebar; }
    RegistryListModel* registryList() const { return m_registries; }
    ServerStatusWidget* serverStatus() const { return m_serverStatus; }

public Q_SLOTS:
    void addRegistry();
    void openSettings();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildLayout();
    void buildMenus();
    void restoreLayout();
    void showRegistry(int row);
    void showLocalRegistry();
    void useClient(const QUrl& url, app::RegistryClient* client, const QString& keychainError);
    void useAdminClient(app::AdminClient* client);
    void updateLocalAdminClient();
    void openRepository(const QString& repository);
    // `reference` is a tag or, for an untagged image, a digest: that opens its repository.
    void openImage(const QString& repository, const QString& reference);
    void checkConnection(const QUrl& url, app::RegistryClient* client);
    void offerToTrust(const QUrl& url, app::RegistryClient* client, const QString& error);
    void editRegistry(int row);
    void openRegistryDialog(const app::RegistryEntry& original, const app::Credentials& credentials);
    void saveRegistry(const app::RegistryEntry& original, const app::RegistryEntry& entry,
                      const app::Credentials& credentials);
    void removeRegistry(int row);
    void serverStateChanged(app::ServerSupervisor::State state);
    void offerAnotherPort(quint16 port);
    void applyServerSettings(const app::LocalServerSettings& server);
    void showAbout();
    bool isShowing(const QUrl& url) const;
    void showStatus(const QString& message);

    ConsoleServices m_services;
    LogModel* m_logModel;
    RegistryListModel* m_registries;
    RegistryClientPool* m_clients;
    RegistrySidebar* m_sidebar = nullptr;
    ServerStatusWidget* m_serverStatus = nullptr;
    QTabWidget* m_pages = nullptr;
    BrowserPage* m_browser = nullptr;
    StoragePage* m_storagePage = nullptr;
    RetentionPage* m_retentionPage = nullptr;
    LogPage* m_logPage = nullptr;
    app::AdminClient* m_localAdmin = nullptr; // while the local berthd runs with its admin API
    QMenu* m_viewMenu = nullptr;
    QUrl m_shownUrl; // the registry the browser shows (or is about to)
    QUrl m_localUrl; // where the local registry was last seen running
    bool m_portDialogOpen = false;
};

} // namespace berth::ui
