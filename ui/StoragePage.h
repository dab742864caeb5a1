#pragma once
// The Storage page of a berthd: where the space goes (totals and the disk, a treemap of
// repositories that opens into their images, unique against shared bytes, the largest
// images and layers, growth over time, what garbage collection would reclaim) and a table
// of repositories. Warns when the server pauses uploads for
// lack of disk space, and starts garbage collection. All it knows comes from the
// AdminClient it is given; it never waits for it.

#include <QList>
#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTimer;
class QToolButton;
class QTreeView;

namespace berth::app {
class AdminClient;
struct StorageReport;
} // namespace berth::app

namespace berth::ui {

class AdminPageStack;
class ImageStorageModel;
class InlineMessage;
class LargestImagesChart;
class LargestLayersChart;
class ReclaimChart;
class RepositoryStorageModel;
class RepositoryTreemap;
class SharedBytesChart;
class StorageGrowthChart;
class StorageHistoryModel;

class StoragePage : public QWidget
{
    Q_OBJECT

public:
    explicit StoragePage(QWidget* parent = nullptr);
    ~StoragePage() override;

    // The admin API to ask, or nullptr when the registry shown has none (the page then says
    // so). Not owned; the page stops using it when it is destroyed.
    void setAdminClient(app::AdminClient* client);
    app::AdminClient* adminClient() const;

    // Refresh (F5) and collect garbage (Ctrl+Shift+G), whose shortcuts work anywhere in the
    // page. For the main window's menus.
    QList<QAction*> pageActions() const;

    RepositoryStorageModel* repositoryModel() const { return m_repositories; }
    // The images of the repository the treemap shows.
    ImageStorageModel* imageModel() const { return m_images; }
    StorageHistoryModel* historyModel() const { return m_history; }

public Q_SLOTS:
    // Asks for the statistics and their history again.
    void refresh();
    // Opens the garbage collection dialog: a dry run first, then the collection if confirmed.
    void collectGarbage();

Q_SIGNALS:
    // The user picked a repository (treemap tile, bar, table row) to see in the browser.
    void openRepository(const QString& name);
    // The user picked an image (treemap tile, bar) to see in the browser: `reference` is a
    // tag, or the digest of an untagged image.
    void openImage(const QString& repository, const QString& reference);
    // A short message for the status bar.
    void statusMessage(const QString& message);
    // A refresh finished (with statistics or an error).
    void refreshed();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void createActions();
    void createLayout();
    QWidget* createOverview();
    QWidget* createTreemapPanel(QWidget* parent);
    // Reads the images of the repository the treemap shows (again).
    void loadImagesOf(const QString& repository);
    void updateTreemapHeader();
    QWidget* createTable();
    void showReport(const app::StorageReport& report);
    void showDisk(const app::StorageReport& report);
    // Ends a refresh, showing what went wrong if anything did.
    void finishRefresh(const QString& error);
    void updateActions();

    QPointer<app::AdminClient> m_client;
    RepositoryStorageModel* m_repositories;
    StorageHistoryModel* m_history;
    ImageStorageModel* m_images;
    QSortFilterProxyModel* m_sorted;

    AdminPageStack* m_stack = nullptr; // the statistics, or why there are none
    InlineMessage* m_message = nullptr;
    InlineMessage* m_pressure = nullptr;
    QLabel* m_summary = nullptr;
    QProgressBar* m_progress = nullptr;
    RepositoryTreemap* m_treemap = nullptr;
    QLabel* m_treemapLevel = nullptr;
    QToolButton* m_treemapBack = nullptr;
    QToolButton* m_openShown = nullptr;
    SharedBytesChart* m_sharedChart = nullptr;
    StorageGrowthChart* m_growthChart = nullptr;
    ReclaimChart* m_reclaimChart = nullptr;
    LargestImagesChart* m_largestImages = nullptr;
    LargestLayersChart* m_largestLayers = nullptr;
    QTreeView* m_table = nullptr;
    QPushButton* m_collectButton = nullptr;
    QTimer* m_refreshTimer;

    QAction* m_refreshAction = nullptr;
    QAction* m_collectAction = nullptr;
    QAction* m_collectFromBannerAction = nullptr;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    int m_generation = 0; // of the client: answers of an earlier one are dropped
};

} // namespace berth::ui
