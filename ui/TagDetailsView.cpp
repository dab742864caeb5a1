#include "ui/TagDetailsView.h"

#include "ui/Accessibility.h"
#include "ui/DescriptorModel.h"
#include "ui/DisplayText.h"
#include "ui/HistoryModel.h"
#include "ui/InlineMessage.h"
#include "ui/ManifestDetails.h"

#include <QAction>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace berth::ui {

namespace {

using State = ManifestDetails::State;
using Part = ManifestDetails::Part;

void hideColumns(QTreeView* view, std::initializer_list<DescriptorModel::Column> columns)
{
    for (DescriptorModel::Column column : columns)
        view->setColumnHidden(column, true);
}

void setSelectable(QLabel* label)
{
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setTextFormat(Qt::PlainText);
}

} // namespace

TagDetailsView::TagDetailsView(QWidget* parent)
    : QWidget(parent), m_details(new ManifestDetails(this)), m_back(new QToolButton(this)),
      m_title(new QLabel(this)), m_summary(new QFormLayout), m_message(new InlineMessage(this)),
      m_tabs(new QTabWidget(this))
{
    setAccessible(this, tr("Tag details"),
                  tr("The layers, platforms, configuration, manifest and referrers of the selected tag"));

    auto* backAction = new QAction(style()->standardIcon(QStyle::SP_ArrowBack), tr("Back"), this);
    backAction->setShortcut(QKeySequence::Back);
    backAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    backAction->setToolTip(
        tr("Back to the index (%1)").arg(backAction->shortcut().toString(QKeySequence::NativeText)));
    connect(backAction, &QAction::triggered, this, &TagDetailsView::goBack);
    addAction(backAction);
    m_back->setDefaultAction(backAction);
    m_back->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setAccessible(m_back, tr("Back"), tr("Returns from a platform's image to the index it belongs to"));

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    setSelectable(m_title);
    setAccessible(m_title, tr("Shown manifest"), tr("The repository and tag or digest shown below"));

    m_digest = addSummaryRow(tr("Digest:"), tr("Digest"), tr("The digest of the manifest"));
    m_mediaType = addSummaryRow(tr("Type:"), tr("Type"), tr("What kind of manifest this is"));
    m_size = addSummaryRow(tr("Size:"), tr("Size"), tr("The size of the configuration and the layers"));
    m_created = addSummaryRow(tr("Created:"), tr("Created"), tr("When the image was built"));
    m_platforms =
        addSummaryRow(tr("Platforms:"), tr("Platforms"), tr("The platforms the index has images for"));

    m_layerView = createTable(tr("Layers"), tr("The layers of the image: digest, media type and size"));
    m_layerView->setModel(m_details->layers());
    hideColumns(m_layerView,
                {DescriptorModel::Platform, DescriptorModel::ArtifactType, DescriptorModel::Created});

    m_platformView = createTable(tr("Platforms"),
                                 tr("The images of the index, one per platform; press Enter to open one"));
    m_platformView->setModel(m_details->platforms());
    hideColumns(m_platformView, {DescriptorModel::ArtifactType, DescriptorModel::Created});
    connect(m_platformView, &QTreeView::activated, this, &TagDetailsView::openPlatform);

    m_historyView = createTable(tr("History"), tr("The commands that built the image, oldest first"));
    m_historyView->setModel(m_details->history());
    m_historyView->header()->setSectionResizeMode(HistoryModel::Command, QHeaderView::Stretch);
    m_configText = createTextView(tr("Configuration"), tr("The image configuration as JSON"));
    auto* configSplitter = new QSplitter(Qt::Vertical, this);
    setAccessible(configSplitter, tr("History and configuration"),
                  tr("The build history above the configuration it comes from"));
    configSplitter->addWidget(m_historyView);
    configSplitter->addWidget(m_configText);
    m_configPage = configSplitter;

    m_manifestText = createTextView(tr("Manifest"), tr("The manifest as the registry stores it, indented"));

    m_referrersPage = new QWidget(this);
    setAccessible(m_referrersPage, tr("Referrers"), tr("What refers to this manifest"));
    m_referrersStatus = new QLabel(m_referrersPage);
    m_referrersStatus->setWordWrap(true);
    setAccessible(m_referrersStatus, tr("Referrers status"),
                  tr("Whether the registry lists referrers, and whether there are any"));
    m_referrerView =
        createTable(tr("Referrers"), tr("Signatures, SBOMs and other artifacts that refer to this manifest"));
    m_referrerView->setModel(m_details->referrers());
    hideColumns(m_referrerView, {DescriptorModel::Platform});
    auto* referrersLayout = new QVBoxLayout(m_referrersPage);
    referrersLayout->setContentsMargins(0, 0, 0, 0);
    referrersLayout->addWidget(m_referrersStatus);
    referrersLayout->addWidget(m_referrerView, 1);

    setAccessible(m_tabs, tr("Details"), tr("Layers or platforms, configuration, manifest and referrers"));
    setAccessible(m_tabs->tabBar(), tr("Detail tabs"), tr("Choose which details to see"));
    m_tabs->addTab(m_layerView, tr("Layers"));
    m_tabs->addTab(m_platformView, tr("Platforms"));
    m_tabs->addTab(m_configPage, tr("Config"));
    m_tabs->addTab(m_manifestText, tr("Manifest"));
    m_tabs->addTab(m_referrersPage, tr("Referrers"));

    auto* header = new QHBoxLayout;
    header->addWidget(m_back);
    header->addWidget(m_title, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addLayout(m_summary);
    layout->addWidget(m_message);
    layout->addWidget(m_tabs, 1);

    connect(m_details, &ManifestDetails::changed, this, &TagDetailsView::updateContents);
    updateContents();
}

QLabel* TagDetailsView::addSummaryRow(const QString& label, const QString& accessibleName,
                                      const QString& description)
{
    auto* value = new QLabel(this);
    setSelectable(value);
    setAccessible(value, accessibleName, description);
    auto* caption = new QLabel(label, this);
    caption->setBuddy(value);
    m_summary->addRow(caption, value);
    return value;
}

QTreeView* TagDetailsView::createTable(const QString& accessibleName, const QString& description)
{
    auto* view = new QTreeView(this);
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setAllColumnsShowFocus(true);
    view->setAlternatingRowColors(true);
    // Detail tables hold tens of rows at most: sizing to contents is cheap.
    view->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->header()->setStretchLastSection(false);
    setAccessible(view, accessibleName, description);
    return view;
}

QPlainTextEdit* TagDetailsView::createTextView(const QString& accessibleName, const QString& description)
{
    auto* text = new QPlainTextEdit(this);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Read-only text still takes the keyboard, to select and copy.
    text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setAccessible(text, accessibleName, description);
    return text;
}

void TagDetailsView::setRegistry(app::RegistryClient* client)
{
    m_backStack.clear();
    m_details->setRegistry(client);
}

void TagDetailsView::showManifest(const QString& repository, const QString& reference)
{
    m_backStack.clear();
    m_details->load(repository, reference);
}

void TagDetailsView::clear()
{
    m_backStack.clear();
    m_details->clear();
}

QString TagDetailsView::digest() const
{
    return m_details->manifest().digest;
}

void TagDetailsView::openPlatform(const QModelIndex& index)
{
    if (!index.isValid())
        return;
    m_backStack.append(m_details->reference());
    m_details->load(m_details->repository(), m_details->platforms()->descriptor(index.row()).digest);
}

void TagDetailsView::goBack()
{
    if (m_backStack.isEmpty())
        return;
    const QString reference = m_backStack.takeLast();
    m_details->load(m_details->repository(), reference);
}

void TagDetailsView::updateContents()
{
    const QString repository = m_details->repository();
    const QString reference = m_details->reference();
    const State manifestState = m_details->state(Part::Manifest);
    const bool shown = !repository.isEmpty();
    m_back->setVisible(!m_backStack.isEmpty());
    m_back->defaultAction()->setEnabled(!m_backStack.isEmpty());
    m_tabs->setVisible(shown);

    if (!shown) {
        m_title->setText(tr("Select a tag to see its details."));
    } else {
        const QChar separator = reference.contains(u':') ? u'@' : u':';
        m_title->setText(manifestState == State::Loading
                             ? tr("%1 (loading…)").arg(repository + separator + reference)
                             : repository + separator + reference);
    }

    if (manifestState == State::Failed)
        m_message->showMessage(InlineMessage::Kind::Error, m_details->message(Part::Manifest));
    else if (m_details->state(Part::Config) == State::Failed)
        m_message->showMessage(InlineMessage::Kind::Warning, m_details->message(Part::Config));
    else
        m_message->clearMessage();

    updateSummary();

    const app::Manifest& manifest = m_details->manifest();
    const bool ready = manifestState == State::Ready;
    m_tabs->setTabVisible(m_tabs->indexOf(m_layerView), !ready || !manifest.isIndex);
    m_tabs->setTabVisible(m_tabs->indexOf(m_platformView), ready && manifest.isIndex);
    m_tabs->setTabVisible(m_tabs->indexOf(m_configPage), !ready || !manifest.isIndex);
    m_tabs->setTabText(m_tabs->indexOf(m_layerView), tr("Layers (%1)").arg(manifest.layers.size()));
    m_tabs->setTabText(m_tabs->indexOf(m_platformView), tr("Platforms (%1)").arg(manifest.children.size()));
    // A count only once it is known: "0" would be wrong where the registry cannot tell.
    m_tabs->setTabText(m_tabs->indexOf(m_referrersPage),
                       m_details->state(Part::Referrers) == State::Ready
                           ? tr("Referrers (%1)").arg(m_details->referrers()->rowCount())
                           : tr("Referrers"));

    const QString manifestText = m_details->manifestText();
    if (m_manifestText->toPlainText() != manifestText)
        m_manifestText->setPlainText(manifestText);
    const QString configText = m_details->configText();
    if (m_configText->toPlainText() != configText)
        m_configText->setPlainText(configText);

    switch (m_details->state(Part::Referrers)) {
    case State::Empty:
        m_referrersStatus->clear();
        break;
    case State::Loading:
        m_referrersStatus->setText(tr("Loading the referrers…"));
        break;
    case State::Ready:
        m_referrersStatus->setText(m_details->referrers()->rowCount() == 0
                                       ? tr("No signatures, SBOMs or other artifacts refer to this manifest.")
                                       : QString());
        break;
    case State::Failed:
    case State::Unsupported:
        m_referrersStatus->setText(m_details->message(Part::Referrers));
        break;
    }
    m_referrersStatus->setVisible(!m_referrersStatus->text().isEmpty());
    m_referrerView->setVisible(m_details->referrers()->rowCount() > 0);
}

void TagDetailsView::updateSummary()
{
    const app::Manifest& manifest = m_details->manifest();
    const bool ready = m_details->state(Part::Manifest) == State::Ready;
    m_digest->setText(manifest.digest);
    m_mediaType->setText(ready ? DisplayText::mediaType(manifest.mediaType) : QString());
    m_mediaType->setToolTip(manifest.mediaType);
    // An index's own size says nothing; its images' sizes are in the tag list.
    m_size->setText(ready && !manifest.isIndex ? DisplayText::size(manifest.totalSize()) : QString());
    m_created->setText(DisplayText::time(m_details->config().created));
    m_platforms->setText(manifest.platforms().join(QStringLiteral(", ")));
    for (QLabel* value : {m_digest, m_mediaType, m_size, m_created, m_platforms})
        m_summary->setRowVisible(value, !value->text().isEmpty());
}

} // namespace berth::ui
