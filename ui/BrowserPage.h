#pragma once
// The registry browser page: repositories (filterable, fetched page by page), the tags of
// the selected repository, and the details of the selected tag (layers, config and its
// history, raw manifest, platforms of an index, referrers). Offers refresh, copy pull
// command, copy digest, delete tag and delete manifest. All network work goes through
// the RegistryClient it is given; the page never blocks on it.

#include <QList>
#include <QPointer>
#include <QWidget>

class QAction;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTreeView;

namespace berth::app {
class RegistryClient;
}

namespace berth::ui {

class InlineMessage;
class RepositoryModel;
class TagDetailsView;
class TagModel;

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

    // Refresh, copy pull command, copy digest, delete tag, delete manifest, filter: for the
    // main window's menus and toolbar. Their shortcuts (F5, Del, Ctrl+F) work within the page.
    QList<QAction*> pageActions() const;

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    // A short message for the status bar ("Tag v1 deleted").
    void statusMessage(const QString& message);

private:
    void buildActions();
    void buildLayout();
    void updateActions();
    void showRepository(const QString& repository);
    void showTag(int tagRow);
    void copyPullCommand();
    void copyDigest();
    void deleteTag();
    void deleteManifest();
    void deleteManifestOf(const QString& digest, const QStringList& tags);
    int currentTagRow() const;
    void showError(const QString& message);

    QPointer<app::RegistryClient> m_client;

    RepositoryModel* m_repositories = nullptr;
    QSortFilterProxyModel* m_repositoryFilter = nullptr;
    TagModel* m_tags = nullptr;
    QSortFilterProxyModel* m_tagSort = nullptr;

    QLineEdit* m_filter = nullptr;
    QTreeView* m_repositoryView = nullptr;
    QTreeView* m_tagView = nullptr;
    TagDetailsView* m_details = nullptr;
    InlineMessage* m_message = nullptr;
    QSplitter* m_splitter = nullptr;

    QAction* m_refreshAction = nullptr;
    QAction* m_filterAction = nullptr;
    QAction* m_copyPullAction = nullptr;
    QAction* m_copyDigestAction = nullptr;
    QAction* m_deleteTagAction = nullptr;
    QAction* m_deleteManifestAction = nullptr;
};

} // namespace berth::ui
