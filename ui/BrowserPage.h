#pragma once
// The registry browser page: repositories (filterable, fetched page by page), the tags of
// the selected repository, and the details of the selected tag (layers, config and its
// history, raw manifest, platforms of an index, referrers). Offers refresh, copy pull
// command, copy digest, delete tag and delete manifest. All network work goes through
// the RegistryClient it is given; the page never waits for it.

#include <QList>
#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSortFilterProxyModel;
class QTimer;
class QListView;
class QTableView;

namespace berth::app {
class RegistryClient;
}

namespace berth::ui {

class InlineMessage;
class RepositoryModel;
class TagDetailsView;
class TagModel;
class TagSortModel;

class BrowserPage : public QWidget
{
    Q_OBJECT

public:
    explicit BrowserPage(QWidget* parent = nullptr);
    ~BrowserPage() override;

    // The registry to browse, or nullptr to clear the page. The page does not own the
    // client; it stops using it when it is destroyed.
    void setRegistry(app::RegistryClient* client);
    app::RegistryClient* registry() const;

    // Refresh (F5) and filter (Ctrl+F), whose shortcuts work anywhere in the page; copy pull
    // command (Ctrl+C), copy digest (Ctrl+Shift+C), delete tag (Del) and delete manifest
    // (Shift+Del), whose shortcuts work in the tag list. For the main window's menus.
    QList<QAction*> pageActions() const;

    // The selected repository and tag, empty when there is none.
    QString currentRepository() const;
    QString currentTag() const;

public Q_SLOTS:
    // Shows the tags of `repository`, and selects it in the list once it is listed; with a
    // `tag`, selects that tag too once its row arrives.
    void openRepository(const QString& repository, const QString& tag = {});
    // Lists the repositories, the tags and the details again, keeping the selection.
    void refresh();

Q_SIGNALS:
    // A short message for the status bar ("Deleted tag v1 from library/nginx").
    void statusMessage(const QString& message);

private:
    void createActions();
    void createLayout();
    QWidget* createRepositoryPane();
    QWidget* createTagPane();
    void applyFilter();
    void showSelectedRepository();
    void showRepository(const QString& repository);
    void showTag();
    void loadAllTagsIfSortedByDetails();
    void restoreSelection();
    void selectPendingRepository(int first, int last);
    void selectPendingTag();
    void updateActions();
    void updateRepositoryStatus();
    void updateTagStatus();
    int currentTagRow() const;
    void copyPullCommand();
    void copyDigest();
    void deleteTag();
    void deleteManifest();
    void performDeleteTag(const QString& repository, const QString& tag);
    void performDeleteManifest(const QString& repository, const QString& digest);

    QPointer<app::RegistryClient> m_client;

    RepositoryModel* m_repositories;
    QSortFilterProxyModel* m_repositoryFilter;
    TagModel* m_tags;
    TagSortModel* m_tagSort;

    QLineEdit* m_filter = nullptr;
    QListView* m_repositoryView = nullptr;
    InlineMessage* m_repositoryMessage = nullptr;
    QLabel* m_repositoryStatus = nullptr;
    QProgressBar* m_repositoryProgress = nullptr;
    QLabel* m_tagTitle = nullptr;
    QTableView* m_tagView = nullptr;
    InlineMessage* m_tagMessage = nullptr;
    QLabel* m_tagStatus = nullptr;
    QProgressBar* m_tagProgress = nullptr;
    TagDetailsView* m_details = nullptr;
    QTimer* m_filterTimer;
    QTimer* m_repositoryTimer;

    // What refresh() selects again once it is listed.
    QString m_repositoryToSelect;
    QString m_tagToSelect;
    int m_deletionsInFlight = 0;

    QAction* m_refreshAction = nullptr;
    QAction* m_filterAction = nullptr;
    QAction* m_copyPullAction = nullptr;
    QAction* m_copyDigestAction = nullptr;
    QAction* m_deleteTagAction = nullptr;
    QAction* m_deleteManifestAction = nullptr;
    QAction* m_retryRepositoriesAction = nullptr;
    QAction* m_retryTagsAction = nullptr;
};

} // namespace berth::ui
