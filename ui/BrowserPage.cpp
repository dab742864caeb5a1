#include "ui/BrowserPage.h"

#include "app/RegistryClient.h"
#include "ui/Accessibility.h"
#include "ui/DeleteTagDialog.h"
#include "ui/DisplayText.h"
#include "ui/InlineMessage.h"
#include "ui/ItemRoles.h"
#include "ui/RepositoryModel.h"
#include "ui/TagDetailsView.h"
#include "ui/TagModel.h"
#include "ui/TagSortModel.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace berth::ui {

namespace {

// Typing in the filter or moving through the repositories with the arrow keys should not
// start work for every keystroke.
constexpr int filterDelayMs = 200;
constexpr int selectionDelayMs = 150;

// The shortcut works while the focus is in a widget the action is added to.
QAction* createAction(QObject* owner, const QString& text, const QString& toolTip,
                      const QKeySequence& shortcut)
{
    auto* action = new QAction(text, owner);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(BrowserPage::tr("%1 (%2)").arg(toolTip, shortcut.toString(QKeySequence::NativeText)));
    return action;
}

// Views of registry listings: QListView and QTableView fetch the next page only once the
// user scrolls to the end; QTreeView would fetch one after the other until all are in.
QListView* createRepositoryView(QWidget* parent)
{
    auto* view = new QListView(parent);
    view->setUniformItemSizes(true);
    view->setAlternatingRowColors(true);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    setAccessible(view, BrowserPage::tr("Repositories"),
                  BrowserPage::tr("Select a repository to list its tags"));
    return view;
}

QTableView* createTagView(QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    // Tab leaves the table instead of walking its cells.
    view->setTabKeyNavigation(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    setAccessible(view, BrowserPage::tr("Tags"),
                  BrowserPage::tr("The tags of the selected repository; Delete deletes the selected tag"));
    return view;
}

// A status line under a list: what is loaded, and a busy bar while more is coming.
QHBoxLayout* createStatusLine(QWidget* parent, QLabel** label, QProgressBar** progress, const QString& name,
                              const QString& description)
{
    *label = new QLabel(parent);
    setAccessible(*label, name, description);
    *progress = new QProgressBar(parent);
    (*progress)->setRange(0, 0);
    (*progress)->setTextVisible(false);
    (*progress)->setMaximumWidth(80);
    setAccessible(*progress, BrowserPage::tr("%1 progress").arg(name),
                  BrowserPage::tr("Moves while more is being fetched from the registry"));
    (*progress)->hide();
    auto* line = new QHBoxLayout;
    line->addWidget(*label, 1);
    line->addWidget(*progress);
    return line;
}

void selectSourceRow(QAbstractItemView* view, const QSortFilterProxyModel* proxy, int sourceRow)
{
    const QModelIndex index = proxy->mapFromSource(proxy->sourceModel()->index(sourceRow, 0));
    if (index.isValid())
        view->setCurrentIndex(index);
}

} // namespace

BrowserPage::BrowserPage(QWidget* parent)
    : QWidget(parent), m_repositories(new RepositoryModel(this)),
      m_repositoryFilter(new QSortFilterProxyModel(this)), m_tags(new TagModel(this)),
      m_tagSort(new TagSortModel(m_tags, this)), m_filterTimer(new QTimer(this)),
      m_repositoryTimer(new QTimer(this))
{
    setAccessible(this, tr("Registry browser"),
                  tr("Repositories, their tags and the details of the selected tag"));

    m_repositoryFilter->setSourceModel(m_repositories);
    m_repositoryFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(filterDelayMs);
    connect(m_filterTimer, &QTimer::timeout, this, &BrowserPage::applyFilter);
    m_repositoryTimer->setSingleShot(true);
    m_repositoryTimer->setInterval(selectionDelayMs);
    connect(m_repositoryTimer, &QTimer::timeout, this, &BrowserPage::showSelectedRepository);

    createActions();
    createLayout();

    connect(m_repositories, &RepositoryModel::errorOccurred, this, [this](const QString& message) {
        m_repositoryMessage->showMessage(InlineMessage::Kind::Error, message, {m_retryRepositoriesAction});
    });
    connect(m_tags, &TagModel::errorOccurred, this, [this](const QString& message) {
        m_tagMessage->showMessage(InlineMessage::Kind::Error, message, {m_retryTagsAction});
    });
    connect(m_repositories, &RepositoryModel::loadingChanged, this, &BrowserPage::updateRepositoryStatus);
    connect(m_repositories, &RepositoryModel::rowsInserted, this, &BrowserPage::updateRepositoryStatus);
    connect(m_repositories, &RepositoryModel::modelReset, this, &BrowserPage::updateRepositoryStatus);
    connect(m_repositoryFilter, &QSortFilterProxyModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { selectPendingRepository(first, last); });
    connect(m_tags, &TagModel::loadingChanged, this, &BrowserPage::updateTagStatus);
    connect(m_tags, &TagModel::resolvedChanged, this, &BrowserPage::updateTagStatus);
    connect(m_tags, &TagModel::modelReset, this, &BrowserPage::updateTagStatus);
    connect(m_tags, &TagModel::rowsInserted, this, &BrowserPage::updateTagStatus);
    connect(m_tags, &TagModel::rowsRemoved, this, &BrowserPage::updateTagStatus);
    connect(m_tagSort, &QSortFilterProxyModel::rowsInserted, this, &BrowserPage::selectPendingTag);
    // A tag's digest arrives after the tag: the digest actions become possible.
    connect(m_tags, &TagModel::dataChanged, this, &BrowserPage::updateActions);

    updateRepositoryStatus();
    updateTagStatus();
    updateActions();
}

BrowserPage::~BrowserPage() = default;

void BrowserPage::createActions()
{
    m_refreshAction =
        createAction(this, tr("&Refresh"), tr("List the repositories and tags again"), QKeySequence::Refresh);
    m_refreshAction->setIcon(
        QIcon::fromTheme(u"view-refresh"_s, style()->standardIcon(QStyle::SP_BrowserReload)));
    connect(m_refreshAction, &QAction::triggered, this, &BrowserPage::refresh);

    m_filterAction = createAction(this, tr("&Filter Repositories"), tr("Type to filter the repositories"),
                                  QKeySequence::Find);
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });

    m_copyPullAction =
        createAction(this, tr("Copy &Pull Command"), tr("Copy the docker pull command of the selected tag"),
                     QKeySequence::Copy);
    m_copyPullAction->setIcon(QIcon::fromTheme(u"edit-copy"_s));
    connect(m_copyPullAction, &QAction::triggered, this, &BrowserPage::copyPullCommand);

    m_copyDigestAction = createAction(this, tr("Copy &Digest"), tr("Copy the digest of the selected tag"),
                                      QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(m_copyDigestAction, &QAction::triggered, this, &BrowserPage::copyDigest);

    m_deleteTagAction =
        createAction(this, tr("Delete &Tag…"), tr("Delete the selected tag"), QKeySequence::Delete);
    m_deleteTagAction->setIcon(
        QIcon::fromTheme(u"edit-delete"_s, style()->standardIcon(QStyle::SP_TrashIcon)));
    connect(m_deleteTagAction, &QAction::triggered, this, &BrowserPage::deleteTag);

    m_deleteManifestAction = createAction(this, tr("Delete &Manifest…"),
                                          tr("Delete the manifest of the selected tag, with all its tags"),
                                          QKeySequence(Qt::SHIFT | Qt::Key_Delete));
    connect(m_deleteManifestAction, &QAction::triggered, this, &BrowserPage::deleteManifest);

    m_retryRepositoriesAction = new QAction(tr("&Retry"), this);
    m_retryRepositoriesAction->setToolTip(tr("Ask the registry for the repositories again"));
    connect(m_retryRepositoriesAction, &QAction::triggered, m_repositories, &RepositoryModel::retry);
    m_retryTagsAction = new QAction(tr("&Retry"), this);
    m_retryTagsAction->setToolTip(tr("Ask the registry for the tags again"));
    connect(m_retryTagsAction, &QAction::triggered, m_tags, &TagModel::retry);
}

void BrowserPage::createLayout()
{
    auto* toolBar = new QToolBar(this);
    setAccessible(toolBar, tr("Browser actions"), tr("Refresh, copy and delete"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addActions(
        {m_refreshAction, m_copyPullAction, m_copyDigestAction, m_deleteTagAction, m_deleteManifestAction});

    // Refresh and filter work anywhere in the page; the tag actions in the tag list.
    addActions({m_refreshAction, m_filterAction});
    m_details = new TagDetailsView(this);

    auto* right = new QSplitter(Qt::Vertical, this);
    setAccessible(right, tr("Tags and details"),
                  tr("The tags of the repository above the details of the tag"));
    right->setChildrenCollapsible(false);
    right->addWidget(createTagPane());
    right->addWidget(m_details);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);
    right->setSizes({300, 500});

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    setAccessible(splitter, tr("Repositories and tags"), tr("The repositories beside their tags"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createRepositoryPane());
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({280, 1000});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolBar);
    layout->addWidget(splitter, 1);
}

QWidget* BrowserPage::createRepositoryPane()
{
    auto* pane = new QWidget(this);
    setAccessible(pane, tr("Repositories pane"), tr("The repositories of the registry, with a filter"));

    m_filter = new QLineEdit(pane);
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter repositories"));
    setAccessible(m_filter, tr("Filter repositories"),
                  tr("Shows only the repositories whose name contains this text"));
    connect(m_filter, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));

    m_repositoryMessage = new InlineMessage(pane);
    m_repositoryView = createRepositoryView(pane);
    m_repositoryView->setModel(m_repositoryFilter);
    connect(m_repositoryView->selectionModel(), &QItemSelectionModel::currentChanged, m_repositoryTimer,
            qOverload<>(&QTimer::start));

    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_repositoryMessage);
    layout->addWidget(m_repositoryView, 1);
    layout->addLayout(createStatusLine(pane, &m_repositoryStatus, &m_repositoryProgress,
                                       tr("Repositories status"),
                                       tr("How many repositories are listed and whether more are coming")));
    return pane;
}

QWidget* BrowserPage::createTagPane()
{
    auto* pane = new QWidget(this);
    setAccessible(pane, tr("Tags pane"), tr("The tags of the selected repository"));

    m_tagTitle = new QLabel(pane);
    setAccessible(m_tagTitle, tr("Repository shown"), tr("The repository whose tags are listed"));
    m_tagMessage = new InlineMessage(pane);
    m_tagView = createTagView(pane);
    m_tagView->setModel(m_tagSort);
    m_tagView->setSortingEnabled(true);
    m_tagView->sortByColumn(TagModel::Tag, Qt::AscendingOrder);
    // Widths of typical contents: sizing columns to their contents would fetch the details
    // of every row.
    const QFontMetrics metrics = m_tagView->fontMetrics();
    const int padding = 3 * metrics.averageCharWidth();
    const QDateTime sampleTime(QDate(2026, 12, 31), QTime(23, 59));
    QHeaderView* header = m_tagView->horizontalHeader();
    for (const auto& [column, sample] :
         {std::pair{TagModel::Tag, u"release-2026.12.31"_s},
          {TagModel::Digest, DisplayText::shortDigest(u"sha256:0123456789abcdef"_s)},
          {TagModel::MediaType,
           DisplayText::mediaType(u"application/vnd.docker.distribution.manifest.list.v2+json"_s)},
          {TagModel::Size, DisplayText::size(999'999'999)},
          {TagModel::Platforms, u"linux/amd64, linux/arm64"_s},
          {TagModel::Created, DisplayText::time(sampleTime)}})
        header->resizeSection(column, metrics.horizontalAdvance(sample) + padding);
    m_tagView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tagView->addActions({m_copyPullAction, m_copyDigestAction, m_deleteTagAction, m_deleteManifestAction});
    connect(m_tagView->selectionModel(), &QItemSelectionModel::currentChanged, this, &BrowserPage::showTag);
    connect(header, &QHeaderView::sortIndicatorChanged, this, &BrowserPage::loadAllTagsIfSortedByDetails);

    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tagTitle);
    layout->addWidget(m_tagMessage);
    layout->addWidget(m_tagView, 1);
    layout->addLayout(createStatusLine(pane, &m_tagStatus, &m_tagProgress, tr("Tags status"),
                                       tr("How many tags are listed and whether more are coming")));
    return pane;
}

QList<QAction*> BrowserPage::pageActions() const
{
    return {m_refreshAction,    m_filterAction,    m_copyPullAction,
            m_copyDigestAction, m_deleteTagAction, m_deleteManifestAction};
}

void BrowserPage::setRegistry(app::RegistryClient* client)
{
    m_client = client;
    m_repositoryTimer->stop();
    m_repositoryToSelect.clear();
    m_tagToSelect.clear();
    m_repositoryMessage->clearMessage();
    m_tagMessage->clearMessage();
    m_details->setRegistry(client);
    m_tags->setRegistry(client);
    m_tags->setRepository({});
    m_repositories->setRegistry(client);
    updateTagStatus();
    updateActions();
}

app::RegistryClient* BrowserPage::registry() const
{
    return m_client;
}

QString BrowserPage::currentRepository() const
{
    return m_tags->repository();
}

QString BrowserPage::currentTag() const
{
    return m_tags->tag(currentTagRow());
}

int BrowserPage::currentTagRow() const
{
    const QModelIndex current = m_tagView->currentIndex();
    return current.isValid() ? m_tagSort->mapToSource(current).row() : -1;
}

void BrowserPage::refresh()
{
    if (!m_client)
        return;
    m_repositoryToSelect = currentRepository();
    m_tagToSelect = currentTag();
    m_repositoryMessage->clearMessage();
    m_tagMessage->clearMessage();
    m_repositories->reload();
    if (!m_filter->text().isEmpty())
        m_repositories->fetchAll();
    m_tags->reload();
    m_details->clear();
    restoreSelection();
    Q_EMIT statusMessage(tr("Refreshing %1").arg(m_client->hostAndPort()));
}

void BrowserPage::restoreSelection()
{
    selectPendingRepository(0, m_repositoryFilter->rowCount() - 1);
    selectPendingTag();
}

void BrowserPage::selectPendingRepository(int first, int last)
{
    // Only the rows just listed: a repository that never comes must not cost a search of
    // everything listed on every page.
    for (int row = first; !m_repositoryToSelect.isEmpty() && row <= last; ++row) {
        const QModelIndex index = m_repositoryFilter->index(row, 0);
        if (index.data(RawValueRole).toString() != m_repositoryToSelect)
            continue;
        m_repositoryToSelect.clear();
        // Already shown: selecting it again must not reload its tags.
        const QSignalBlocker blocker(m_repositoryView->selectionModel());
        m_repositoryView->setCurrentIndex(index);
    }
}

void BrowserPage::selectPendingTag()
{
    const int row = m_tagToSelect.isEmpty() ? -1 : m_tags->rowOfTag(m_tagToSelect);
    if (row >= 0) {
        m_tagToSelect.clear();
        selectSourceRow(m_tagView, m_tagSort, row);
    }
}

void BrowserPage::applyFilter()
{
    m_repositoryFilter->setFilterFixedString(m_filter->text());
    // The filter sees only what is loaded: load the rest, in the background.
    if (!m_filter->text().isEmpty())
        m_repositories->fetchAll();
    updateRepositoryStatus();
}

void BrowserPage::openRepository(const QString& repository, const QString& tag)
{
    showRepository(repository);
    m_repositoryToSelect = repository;
    m_tagToSelect = tag;
    restoreSelection();
}

void BrowserPage::showSelectedRepository()
{
    const QModelIndex current = m_repositoryView->currentIndex();
    if (current.isValid())
        showRepository(current.data(RawValueRole).toString());
}

void BrowserPage::showRepository(const QString& repository)
{
    if (repository == m_tags->repository())
        return;
    // The user chose: what a refresh meant to select again no longer matters.
    m_repositoryToSelect.clear();
    m_tagToSelect.clear();
    m_tagMessage->clearMessage();
    m_details->clear();
    m_tags->setRepository(repository);
    loadAllTagsIfSortedByDetails();
    updateTagStatus();
}

void BrowserPage::loadAllTagsIfSortedByDetails()
{
    // Sorted by size or time, the rows on screen could come from any page and need their
    // manifests: load them all.
    if (m_tagView->horizontalHeader()->sortIndicatorSection() != TagModel::Tag)
        m_tags->resolveAll();
}

void BrowserPage::showTag()
{
    const QString tag = currentTag();
    if (tag.isEmpty())
        m_details->clear();
    else
        m_details->showManifest(m_tags->repository(), tag);
    updateActions();
}

void BrowserPage::updateActions()
{
    const bool hasTag = currentTagRow() >= 0 && m_client;
    const bool deleting = m_deletionsInFlight > 0;
    m_refreshAction->setEnabled(m_client);
    m_copyPullAction->setEnabled(hasTag);
    m_copyDigestAction->setEnabled(hasTag && !m_tags->digest(currentTagRow()).isEmpty());
    m_deleteTagAction->setEnabled(hasTag && !deleting);
    m_deleteManifestAction->setEnabled(hasTag && !deleting);
}

void BrowserPage::updateRepositoryStatus()
{
    const int loaded = m_repositories->rowCount();
    const int shown = m_repositoryFilter->rowCount();
    const bool filtered = !m_repositoryFilter->filterRegularExpression().pattern().isEmpty();
    const QLocale locale;
    QString text;
    if (!m_client)
        text = tr("No registry selected.");
    else if (filtered && m_repositories->isComplete())
        text = tr("%1 of %2 repositories match.").arg(locale.toString(shown), locale.toString(loaded));
    else if (filtered)
        text = tr("%1 match so far, searching %2 repositories loaded…")
                   .arg(locale.toString(shown), locale.toString(loaded));
    else if (m_repositories->isLoading())
        text = tr("Loading repositories… %1 so far").arg(locale.toString(loaded));
    else
        text = m_repositories->isComplete() ? tr("Repositories: %1").arg(locale.toString(loaded))
                                            : tr("Repositories: %1, more below").arg(locale.toString(loaded));
    m_repositoryStatus->setText(text);
    m_repositoryProgress->setVisible(m_repositories->isLoading());
}

void BrowserPage::updateTagStatus()
{
    const QString repository = m_tags->repository();
    m_tagTitle->setText(repository.isEmpty() ? tr("Select a repository to see its tags.")
                                             : tr("Tags of %1").arg(repository));
    const int loaded = m_tags->rowCount();
    const QLocale locale;
    QString text;
    if (repository.isEmpty())
        text.clear();
    else if (m_tags->isLoading())
        text = tr("Loading tags… %1 so far").arg(locale.toString(loaded));
    else if (m_tags->isResolving())
        text = tr("Tags: %1; reading their manifests: %2 done…")
                   .arg(locale.toString(loaded), locale.toString(m_tags->resolvedCount()));
    else
        text = m_tags->isComplete() ? tr("Tags: %1").arg(locale.toString(loaded))
                                    : tr("Tags: %1, more below").arg(locale.toString(loaded));
    m_tagStatus->setText(text);
    m_tagProgress->setVisible(m_tags->isLoading() || m_tags->isResolving());
}

void BrowserPage::copyPullCommand()
{
    const QString tag = currentTag();
    if (tag.isEmpty() || !m_client)
        return;
    const QString command =
        u"docker pull "_s + m_client->hostAndPort() + u'/' + m_tags->repository() + u':' + tag;
    QGuiApplication::clipboard()->setText(command);
    Q_EMIT statusMessage(tr("Copied “%1”").arg(command));
}

void BrowserPage::copyDigest()
{
    const QString digest = m_tags->digest(currentTagRow());
    if (digest.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(digest);
    Q_EMIT statusMessage(tr("Copied %1").arg(digest));
}

void BrowserPage::deleteTag()
{
    const int row = currentTagRow();
    if (row < 0 || !m_client)
        return;
    auto* dialog = new DeleteTagDialog(DeleteTagDialog::Target::Tag, m_tags->tag(row), m_tags->digest(row),
                                       m_tags, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, repository = m_tags->repository(), tag = dialog->tag()] {
        performDeleteTag(repository, tag);
    });
    dialog->open();
}

void BrowserPage::deleteManifest()
{
    const int row = currentTagRow();
    if (row < 0 || !m_client)
        return;
    auto* dialog = new DeleteTagDialog(DeleteTagDialog::Target::Manifest, m_tags->tag(row),
                                       m_tags->digest(row), m_tags, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, repository = m_tags->repository()] {
        performDeleteManifest(repository, dialog->digest());
    });
    dialog->open();
}

void BrowserPage::performDeleteTag(const QString& repository, const QString& tag)
{
    if (!m_client)
        return;
    ++m_deletionsInFlight;
    updateActions();
    m_tagMessage->clearMessage();
    Q_EMIT statusMessage(tr("Deleting the tag %1…").arg(tag));
    m_client->deleteTag(
        repository, tag, this, [this, repository, tag](const app::RegistryResult<void>& result) {
            --m_deletionsInFlight;
            updateActions();
            const bool stillShown = m_tags->repository() == repository;
            if (result) {
                if (stillShown)
                    m_tags->removeTags({tag});
                Q_EMIT statusMessage(tr("Deleted the tag %1 from %2").arg(tag, repository));
            } else if (result.error().kind == app::RegistryError::Kind::Unsupported && stillShown) {
                const QString digest = m_tags->digest(m_tags->rowOfTag(tag));
                m_tagMessage->showMessage(
                    InlineMessage::Kind::Warning,
                    tr("This registry cannot delete a tag on its own. Deleting its manifest %1 instead would "
                       "also "
                       "delete these tags: %2.")
                        .arg(DisplayText::shortDigest(digest), m_tags->tagsWithDigest(digest).join(u", "_s)),
                    {m_deleteManifestAction});
            } else {
                m_tagMessage->showMessage(
                    InlineMessage::Kind::Error,
                    tr("Cannot delete the tag %1: %2").arg(tag, result.error().message));
            }
        });
}

void BrowserPage::performDeleteManifest(const QString& repository, const QString& digest)
{
    if (!m_client || digest.isEmpty())
        return;
    ++m_deletionsInFlight;
    updateActions();
    m_tagMessage->clearMessage();
    Q_EMIT statusMessage(tr("Deleting the manifest %1…").arg(DisplayText::shortDigest(digest)));
    m_client->deleteManifest(
        repository, digest, this, [this, repository, digest](const app::RegistryResult<void>& result) {
            --m_deletionsInFlight;
            updateActions();
            const bool stillShown = m_tags->repository() == repository;
            if (result) {
                const QStringList tags = stillShown ? m_tags->tagsWithDigest(digest) : QStringList();
                if (stillShown)
                    m_tags->removeTags(tags);
                Q_EMIT statusMessage(tags.isEmpty()
                                         ? tr("Deleted the manifest %1").arg(DisplayText::shortDigest(digest))
                                         : tr("Deleted the manifest %1 and the tags %2")
                                               .arg(DisplayText::shortDigest(digest), tags.join(u", "_s)));
            } else {
                m_tagMessage->showMessage(InlineMessage::Kind::Error,
                                          tr("Cannot delete the manifest %1: %2")
                                              .arg(DisplayText::shortDigest(digest), result.error().message));
            }
        });
}

} // namespace berth::ui
