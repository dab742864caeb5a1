#include "ui/StoragePage.h"

#include "app/AdminClient.h"
#include "ui/Accessibility.h"
#include "ui/AdminPageStack.h"
#include "ui/DisplayText.h"
#include "ui/GarbageCollectionDialog.h"
#include "ui/ImageStorageModel.h"
#include "ui/InlineMessage.h"
#include "ui/ItemRoles.h"
#include "ui/PageAction.h"
#include "ui/RepositoryStorageModel.h"
#include "ui/RepositoryTreemap.h"
#include "ui/StorageCharts.h"
#include "ui/StorageHistoryModel.h"

#include <QAction>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <limits>

using namespace Qt::StringLiterals;

namespace berth::ui {

namespace {

// The statistics are read again this often while the page is shown, and this often while
// the server is still counting.
constexpr int refreshIntervalMs = 30000;
constexpr int buildingIntervalMs = 1000;

QString count(qint64 number)
{
    return QLocale().toString(number);
}

} // namespace

StoragePage::StoragePage(QWidget* parent)
    : QWidget(parent), m_repositories(new RepositoryStorageModel(this)),
      m_history(new StorageHistoryModel(this)), m_images(new ImageStorageModel(this)),
      m_sorted(new QSortFilterProxyModel(this)), m_refreshTimer(new QTimer(this))
{
    setAccessible(
        this, tr("Storage"),
        tr("Where the registry's storage goes, how it grew, and what garbage collection would free"));
    m_sorted->setSourceModel(m_repositories);
    m_sorted->setSortRole(RawValueRole);
    m_sorted->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_refreshTimer->setSingleShot(true);
    connect(m_refreshTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });

    createActions();
    createLayout();
    setAdminClient(nullptr);
}

StoragePage::~StoragePage() = default;

void StoragePage::createActions()
{
    m_refreshAction = PageAction::create(this, tr("&Refresh"), tr("Read the storage statistics again"),
                                         QKeySequence::Refresh);
    m_refreshAction->setIcon(
        QIcon::fromTheme(u"view-refresh"_s, style()->standardIcon(QStyle::SP_BrowserReload)));
    connect(m_refreshAction, &QAction::triggered, this, &StoragePage::refresh);

    m_collectAction = PageAction::create(this, tr("&Collect Garbage…"),
                                         tr("See what garbage collection would delete, then collect it"),
                                         QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    m_collectAction->setIcon(QIcon::fromTheme(u"edit-clear"_s, style()->standardIcon(QStyle::SP_TrashIcon)));
    connect(m_collectAction, &QAction::triggered, this, &StoragePage::collectGarbage);
    // The banner's button: triggering an action of a message closes the message.
    m_collectFromBannerAction = new QAction(tr("Collect &Garbage…"), this);
    m_collectFromBannerAction->setToolTip(m_collectAction->toolTip());
    connect(m_collectFromBannerAction, &QAction::triggered, this, &StoragePage::collectGarbage);
    addActions({m_refreshAction, m_collectAction});
}

void StoragePage::createLayout()
{
    auto* content = new QWidget(this);
    auto* toolBar = new QToolBar(content);
    setAccessible(toolBar, tr("Storage actions"), tr("Refresh the statistics or collect garbage"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addActions({m_refreshAction, m_collectAction});

    m_message = new InlineMessage(content);
    m_pressure = new InlineMessage(content);
    setAccessible(m_pressure, tr("Disk space warning"), {});
    m_summary = new QLabel(content);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setAccessible(m_summary, tr("Storage summary"),
                  tr("Bytes on disk, blobs, repositories, tags and free space"));
    m_progress = new QProgressBar(content);
    setAccessible(m_progress, tr("Counting progress"), tr("How far the server is in counting its storage"));
    m_progress->hide();

    auto* splitter = new QSplitter(Qt::Vertical, content);
    setAccessible(splitter, tr("Charts and repositories"), tr("The charts above the table of repositories"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createOverview());
    splitter->addWidget(createTable());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(toolBar);
    contentLayout->addWidget(m_message);
    contentLayout->addWidget(m_pressure);
    contentLayout->addWidget(m_summary);
    contentLayout->addWidget(m_progress);
    contentLayout->addWidget(splitter, 1);

    m_stack = new AdminPageStack(
        content, tr("No storage statistics"),
        tr("No storage statistics for this registry.\n\nThey come from the admin API of berthd, which the "
           "console reaches for its own local registry while it runs."),
        this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

QWidget* StoragePage::createOverview()
{
    auto* overview = new QWidget(this);
    setAccessible(overview, tr("Storage charts"), tr("A treemap of repositories and five charts"));
    QWidget* treemapPanel = createTreemapPanel(overview);
    m_sharedChart = new SharedBytesChart(overview);
    connect(m_sharedChart, &SharedBytesChart::repositoryActivated, this, &StoragePage::openRepository);
    m_growthChart = new StorageGrowthChart(overview);
    m_growthChart->setModel(m_history);
    m_reclaimChart = new ReclaimChart(overview);
    connect(m_reclaimChart, &ReclaimChart::collectRequested, this, &StoragePage::collectGarbage);
    m_largestImages = new LargestImagesChart(overview);
    connect(m_largestImages, &LargestImagesChart::imageActivated, this, &StoragePage::openImage);
    m_largestLayers = new LargestLayersChart(overview);

    auto* grid = new QGridLayout(overview);
    grid->setContentsMargins(4, 4, 4, 4);
    grid->addWidget(treemapPanel, 0, 0);
    grid->addWidget(m_sharedChart, 0, 1);
    grid->addWidget(m_largestImages, 0, 2);
    grid->addWidget(m_growthChart, 1, 0);
    grid->addWidget(m_reclaimChart, 1, 1);
    grid->addWidget(m_largestLayers, 1, 2);
    for (int row = 0; row < 2; ++row)
        grid->setRowStretch(row, 1);
    for (int column = 0; column < 3; ++column)
        grid->setColumnStretch(column, 1);
    return overview;
}

QWidget* StoragePage::createTreemapPanel(QWidget* parent)
{
    auto* panel = new QWidget(parent);
    m_treemap = new RepositoryTreemap(panel);
    m_treemap->setModel(m_repositories);
    m_treemap->setImageModel(m_images);
    connect(m_treemap, &RepositoryTreemap::repositoryActivated, this, &StoragePage::openRepository);
    connect(m_treemap, &RepositoryTreemap::imageActivated, this, &StoragePage::openImage);
    connect(m_treemap, &RepositoryTreemap::shownRepositoryChanged, this, [this](const QString& repository) {
        loadImagesOf(repository);
        updateTreemapHeader();
    });
    connect(m_images, &QAbstractItemModel::modelReset, this, &StoragePage::updateTreemapHeader);

    m_treemapBack = new QToolButton(panel);
    m_treemapBack->setText(tr("All Repositories"));
    m_treemapBack->setIcon(QIcon::fromTheme(u"go-previous"_s, style()->standardIcon(QStyle::SP_ArrowBack)));
    m_treemapBack->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_treemapBack->setAutoRaise(true);
    setAccessible(m_treemapBack, tr("Back to all repositories"), tr("Back to all repositories (Backspace)"));
    m_treemapBack->setToolTip(m_treemapBack->accessibleDescription());
    connect(m_treemapBack, &QToolButton::clicked, m_treemap, &RepositoryTreemap::showRepositories);
    m_treemapLevel = new QLabel(panel);
    m_treemapLevel->setTextFormat(Qt::PlainText);
    m_treemapLevel->setMinimumWidth(40);
    setAccessible(m_treemapLevel, tr("Treemap level"), tr("What the treemap shows"));
    m_openShown = new QToolButton(panel);
    m_openShown->setText(tr("Open in Browser"));
    m_openShown->setAutoRaise(true);
    setAccessible(m_openShown, tr("Open the repository in the browser"), {});
    connect(m_openShown, &QToolButton::clicked, this,
            [this] { Q_EMIT openRepository(m_treemap->shownRepository()); });

    auto* header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    header->addWidget(m_treemapBack);
    header->addWidget(m_treemapLevel, 1);
    header->addWidget(m_openShown);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_treemap, 1);
    updateTreemapHeader();
    return panel;
}

void StoragePage::updateTreemapHeader()
{
    const QString repository = m_treemap->shownRepository();
    m_treemapBack->setVisible(!repository.isEmpty());
    m_openShown->setVisible(!repository.isEmpty());
    m_openShown->setToolTip(tr("Open %1 in the browser").arg(repository));
    QString text;
    if (repository.isEmpty())
        text = m_treemap->drillDown() ? tr("Repositories: click one to see its images")
                                      : tr("Repositories: click one to open it");
    else if (m_images->repository() == repository)
        text = m_images->rowCount() == 1
                   ? tr("%1: 1 image").arg(repository)
                   : tr("%1: %2 images").arg(repository, QLocale().toString(m_images->rowCount()));
    else
        text = repository;
    m_treemapLevel->setText(text);
    m_treemapLevel->setToolTip(text); // the label may be cut short
}

void StoragePage::loadImagesOf(const QString& repository)
{
    if (!m_client || repository.isEmpty()) {
        m_images->clear();
        return;
    }
    if (m_images->repository() != repository) {
        m_images->clear();
        m_treemap->setPlaceholderText(tr("Reading the images of %1…").arg(repository));
    }
    m_client->repositoryImages(
        repository, this,
        [this, generation = m_generation,
         repository](const app::RegistryResult<app::RepositoryImages>& images) {
            if (generation != m_generation || m_treemap->shownRepository() != repository)
                return;
            using Kind = app::RegistryError::Kind;
            if (!images && images.error().kind == Kind::Unsupported) {
                // A server that lists its largest images but not a repository's: open it instead.
                m_treemap->setDrillDown(false);
                Q_EMIT openRepository(repository);
            } else if (!images && images.error().kind == Kind::NotFound) {
                m_treemap->showRepositories(); // deleted since the treemap showed it
                Q_EMIT statusMessage(images.error().message);
            } else if (!images) {
                m_treemap->setPlaceholderText(
                    tr("Cannot read the images of %1: %2").arg(repository, images.error().message));
            } else if (images->building) {
                m_treemap->setPlaceholderText(
                    tr("The server is still counting its storage; the images follow when it is done."));
                QTimer::singleShot(buildingIntervalMs, this, [this, repository] {
                    if (m_treemap->shownRepository() == repository)
                        loadImagesOf(repository);
                });
            } else {
                m_treemap->setPlaceholderText({});
                m_images->setImages(repository, images->images);
            }
        });
}

QWidget* StoragePage::createTable()
{
    m_table = new QTreeView(this);
    setAccessible(
        m_table, tr("Repositories by size"),
        tr("Every repository with its size, unique and shared bytes; Enter opens it in the browser"));
    m_table->setModel(m_sorted);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAllColumnsShowFocus(true);
    m_table->setAlternatingRowColors(true);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RepositoryStorageModel::LogicalBytes, Qt::DescendingOrder);
    m_table->header()->setSectionResizeMode(RepositoryStorageModel::Repository, QHeaderView::Stretch);
    m_table->header()->setStretchLastSection(false);
    connect(m_table, &QTreeView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT openRepository(index.siblingAtColumn(RepositoryStorageModel::Repository).data().toString());
    });
    return m_table;
}

void StoragePage::setAdminClient(app::AdminClient* client)
{
    m_client = client;
    ++m_generation;
    m_refreshing = false;
    m_refreshAgain = false;
    m_refreshTimer->stop();
    m_message->clearMessage();
    m_pressure->clearMessage();
    m_repositories->setRepositories({});
    m_history->setHistory({});
    m_sharedChart->setRepositories({});
    m_largestImages->setImages(std::nullopt);
    m_largestLayers->setLayers(std::nullopt);
    m_reclaimChart->setTotals({});
    m_treemap->setDrillDown(false);
    m_summary->clear();
    m_progress->hide();
    m_stack->setAvailable(client != nullptr);
    if (client)
        refresh();
    updateActions();
}

app::AdminClient* StoragePage::adminClient() const
{
    return m_client;
}

QList<QAction*> StoragePage::pageActions() const
{
    return {m_refreshAction, m_collectAction};
}

void StoragePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_client && !m_refreshing && !m_refreshTimer->isActive())
        refresh();
}

void StoragePage::refresh()
{
    if (!m_client)
        return;
    if (m_refreshing) {
        m_refreshAgain = true; // the storage changed since this refresh asked
        return;
    }
    m_refreshing = true;
    m_refreshTimer->stop();
    updateActions();
    // Both answers land before the page says it refreshed: the history after the statistics.
    m_client->storage(
        this, [this, generation = m_generation](app::RegistryResult<app::StorageReport> report) {
            if (generation != m_generation)
                return;
            if (!report)
                return finishRefresh(report.error().message);
            showReport(*report);
            const QDateTime latest = m_history->latestTime();
            m_client->storageHistory(
                latest, this, [this, generation, latest](app::RegistryResult<app::StorageHistory> history) {
                    if (generation != m_generation)
                        return;
                    if (!history)
                        return finishRefresh(history.error().message);
                    if (latest.isValid())
                        m_history->addSamples(*history);
                    else
                        m_history->setHistory(*history);
                    finishRefresh({});
                });
        });
}

void StoragePage::finishRefresh(const QString& error)
{
    m_refreshing = false;
    if (!error.isEmpty())
        m_message->showMessage(InlineMessage::Kind::Error,
                               tr("Cannot read the storage statistics: %1").arg(error), {m_refreshAction});
    updateActions();
    if (m_refreshAgain) {
        m_refreshAgain = false;
        refresh();
    } else if (!m_refreshTimer->isActive()) {
        m_refreshTimer->start(refreshIntervalMs);
    }
    Q_EMIT refreshed();
}

void StoragePage::showReport(const app::StorageReport& report)
{
    m_message->clearMessage();
    showDisk(report);
    if (report.building) {
        m_progress->setRange(
            0, static_cast<int>(std::min<qint64>(report.buildTotal, std::numeric_limits<int>::max())));
        m_progress->setValue(
            static_cast<int>(std::min<qint64>(report.buildDone, std::numeric_limits<int>::max())));
        m_progress->setFormat(tr("Counting the storage: %v of %m items"));
        m_progress->show();
        m_summary->setText(
            tr("The server is still counting its storage; the figures follow when it is done."));
        m_refreshTimer->start(buildingIntervalMs);
        return;
    }
    m_progress->hide();
    m_repositories->setRepositories(report.repositories);
    m_sharedChart->setRepositories(report.repositories);
    m_largestImages->setImages(report.largestImages);
    m_largestLayers->setLayers(report.largestLayers);
    m_reclaimChart->setTotals(report.totals);
    // Only a server that counts images can show a repository's.
    m_treemap->setDrillDown(report.largestImages.has_value());
    updateTreemapHeader();
    loadImagesOf(m_treemap->shownRepository());

    const app::StorageTotals& totals = report.totals;
    QStringList parts{
        tr("%1 on disk in %2 blobs").arg(DisplayText::size(totals.bytesOnDisk), count(totals.blobs)),
        tr("%1 repositories, %2 tags").arg(count(totals.repositories), count(totals.tags)),
        tr("%1 unreferenced").arg(DisplayText::size(totals.unreferencedBytes))};
    if (totals.uploadSessions > 0)
        parts.append(tr("%1 in %2 unfinished uploads")
                         .arg(DisplayText::size(totals.uploadBytes), count(totals.uploadSessions)));
    if (report.disk.freeBytes && report.disk.totalBytes)
        parts.append(
            tr("%1 free of %2 on the disk")
                .arg(DisplayText::size(*report.disk.freeBytes), DisplayText::size(*report.disk.totalBytes)));
    m_summary->setText(parts.join(u" · "_s));
}

void StoragePage::showDisk(const app::StorageReport& report)
{
    if (!report.disk.underPressure) {
        m_pressure->clearMessage();
        return;
    }
    const QString text =
        tr("Uploads are paused: the storage disk has only %1 free, and the server keeps at least %2 free. "
           "Pushes fail until space is freed: delete images, then collect garbage.")
            .arg(DisplayText::size(report.disk.freeBytes.value_or(0)),
                 DisplayText::size(report.disk.minimumFreeBytes));
    // Said again only when it changes, so a screen reader does not repeat it every refresh.
    if (m_pressure->text() != text)
        m_pressure->showMessage(InlineMessage::Kind::Warning, text, {m_collectFromBannerAction});
}

void StoragePage::collectGarbage()
{
    if (!m_client)
        return;
    auto* dialog = new GarbageCollectionDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GarbageCollectionDialog::storageChanged, this, &StoragePage::refresh);
    dialog->open();
}

void StoragePage::updateActions()
{
    m_refreshAction->setEnabled(m_client && !m_refreshing);
    m_collectAction->setEnabled(m_client != nullptr);
    m_collectFromBannerAction->setEnabled(m_client != nullptr);
}

} // namespace berth::ui
