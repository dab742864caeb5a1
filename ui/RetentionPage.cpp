#include "ui/RetentionPage.h"

#include "app/AdminClient.h"
#include "app/RegistryErrors.h"
#include "ui/Accessibility.h"
#include "ui/AdminPageStack.h"
#include "ui/InlineMessage.h"
#include "ui/ItemRoles.h"
#include "ui/PageAction.h"
#include "ui/RetentionPreviewModel.h"
#include "ui/RetentionRulesModel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSet>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace berth::ui {

namespace {

constexpr qint64 secondsPerHour = 3600;
constexpr qint64 secondsPerDay = 24 * secondsPerHour;

// The schedule's units, in the order of the unit box.
enum ScheduleUnit
{
    Hours,
    Days
};

int clamped(qint64 value)
{
    return static_cast<int>(std::clamp<qint64>(value, 0, std::numeric_limits<int>::max()));
}

// "3 d", "12 h", "45 min": how often a schedule runs (units, not words, so no plural forms).
QString interval(std::chrono::seconds every)
{
    const qint64 seconds = every.count();
    const QLocale locale;
    if (seconds % 86400 == 0)
        return RetentionPage::tr("%1 d").arg(locale.toString(seconds / 86400));
    if (seconds % 3600 == 0)
        return RetentionPage::tr("%1 h").arg(locale.toString(seconds / 3600));
    return RetentionPage::tr("%1 min").arg(locale.toString((seconds + 59) / 60));
}

// How many of `decisions` are tags and how many untagged manifests.
std::pair<qsizetype, qsizetype> tagsAndManifests(const QList<app::RetentionDecision>& decisions)
{
    const qsizetype tags =
        std::count_if(decisions.cbegin(), decisions.cend(),
                      [](const app::RetentionDecision& decision) { return !decision.tag.isEmpty(); });
    return {tags, decisions.size() - tags};
}

// Edits rule cells in a line edit: numbers take digits only, and empty cells say what
// empty means.
class RuleDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&,
                          const QModelIndex& index) const override
    {
        auto* editor = new QLineEdit(parent);
        editor->setFrame(false);
        const int column = index.column();
        if (RetentionRulesModel::isNumberColumn(column)) {
            editor->setValidator(new QRegularExpressionValidator(QRegularExpression(u"\\d{0,6}"_s), editor));
            editor->setPlaceholderText(RetentionPage::tr("not set"));
        } else if (column == RetentionRulesModel::Include) {
            editor->setPlaceholderText(RetentionPage::tr("every tag"));
        } else if (column == RetentionRulesModel::Exclude) {
            editor->setPlaceholderText(RetentionPage::tr("none"));
        }
        const QString header = index.model()->headerData(column, Qt::Horizontal).toString();
        setAccessible(editor, header,
                      index.model()->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString());
        return editor;
    }
};

QTreeView* createTable(QWidget* parent, const QString& name, const QString& description)
{
    auto* view = new QTreeView(parent);
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setAllColumnsShowFocus(true);
    view->setAlternatingRowColors(true);
    setAccessible(view, name, description);
    return view;
}

// The index of the rule a server message is about: "rules[2].keep..." is row 2.
int ruleRowIn(const QString& message)
{
    static const QRegularExpression rule(u"rules\\[(\\d+)\\]"_s);
    const QRegularExpressionMatch match = rule.match(message);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

} // namespace

RetentionPage::RetentionPage(QWidget* parent)
    : QWidget(parent),
      m_poller(this, [this](const app::RegistryResult<app::RetentionJob>& status) { onRunStatus(status); }),
      m_previewPoller(
          this,
          [this](const app::RegistryResult<app::RetentionPreviewJob>& status) { onPreviewStatus(status); }),
      m_rules(new RetentionRulesModel(this)), m_preview(new RetentionPreviewModel(this)),
      m_previewFilter(new QSortFilterProxyModel(this))
{
    setAccessible(this, tr("Retention"),
                  tr("Rules that delete old tags, a preview of what they delete and why, and running them"));
    m_previewFilter->setSourceModel(m_preview);
    m_previewFilter->setFilterKeyColumn(RetentionPreviewModel::Action);
    m_previewFilter->setFilterRole(RawValueRole);
    m_previewFilter->setSortRole(RawValueRole);

    createActions();
    createLayout();
    connect(m_rules, &RetentionRulesModel::modifiedChanged, this, &RetentionPage::updateActions);
    connect(m_rules, &QAbstractItemModel::modelReset, this, &RetentionPage::updateActions);
    connect(m_rules, &QAbstractItemModel::rowsInserted, this, &RetentionPage::updateActions);
    connect(m_rules, &QAbstractItemModel::rowsRemoved, this, &RetentionPage::updateActions);
    connect(m_ruleView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &RetentionPage::updateActions);
    connect(m_protect, &QLineEdit::textChanged, this, &RetentionPage::updateActions);
    setAdminClient(nullptr);
}

RetentionPage::~RetentionPage() = default;

void RetentionPage::createActions()
{
    m_addAction = PageAction::create(this, tr("&Add Rule"), tr("Add a rule after the selected one"),
                                     QKeySequence(Qt::Key_Insert));
    m_addAction->setIcon(QIcon::fromTheme(u"list-add"_s));
    connect(m_addAction, &QAction::triggered, this, &RetentionPage::addRule);
    m_removeAction =
        PageAction::create(this, tr("&Remove Rule"), tr("Remove the selected rule"), QKeySequence::Delete);
    m_removeAction->setIcon(QIcon::fromTheme(u"list-remove"_s));
    connect(m_removeAction, &QAction::triggered, this, &RetentionPage::removeRule);
    m_moveUpAction = PageAction::create(this, tr("Move &Up"), tr("Move the selected rule up"),
                                        QKeySequence(Qt::CTRL | Qt::Key_Up));
    m_moveUpAction->setIcon(style()->standardIcon(QStyle::SP_ArrowUp));
    connect(m_moveUpAction, &QAction::triggered, this, [this] { moveRule(-1); });
    m_moveDownAction = PageAction::create(this, tr("Move &Down"), tr("Move the selected rule down"),
                                          QKeySequence(Qt::CTRL | Qt::Key_Down));
    m_moveDownAction->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    connect(m_moveDownAction, &QAction::triggered, this, [this] { moveRule(1); });

    m_saveAction = PageAction::create(
        this, tr("&Save Rules"), tr("Store the rules on the server, where they apply"), QKeySequence::Save);
    m_saveAction->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    connect(m_saveAction, &QAction::triggered, this, &RetentionPage::save);
    m_revertAction = new QAction(tr("Re&vert"), this);
    m_revertAction->setToolTip(tr("Drop the changes and load the rules in force again"));
    m_revertAction->setIcon(style()->standardIcon(QStyle::SP_DialogResetButton));
    connect(m_revertAction, &QAction::triggered, this, &RetentionPage::reload);
    m_previewAction = PageAction::create(
        this, tr("&Preview"), tr("Show what the rules as edited would delete now"), QKeySequence::Refresh);
    m_previewAction->setIcon(style()->standardIcon(QStyle::SP_FileDialogContentsView));
    connect(m_previewAction, &QAction::triggered, this, &RetentionPage::preview);
    m_runAction = PageAction::create(this, tr("&Run Now…"), tr("Delete what the rules select, now"),
                                     QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    connect(m_runAction, &QAction::triggered, this, &RetentionPage::runNow);
    addActions({m_saveAction, m_previewAction, m_runAction});
}

void RetentionPage::createLayout()
{
    auto* content = new QWidget(this);
    m_message = new InlineMessage(content);
    auto* splitter = new QSplitter(Qt::Vertical, content);
    setAccessible(splitter, tr("Rules and preview"), tr("The rules above the preview of what they delete"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createRulesPane());
    splitter->addWidget(createPreviewPane());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_message);
    contentLayout->addWidget(splitter, 1);

    m_stack = new AdminPageStack(
        content, tr("No retention rules"),
        tr("No retention rules for this registry.\n\nThey are part of the admin API of berthd, which the "
           "console reaches for its own local registry while it runs."),
        this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

QWidget* RetentionPage::createRulesPane()
{
    auto* pane = new QGroupBox(tr("Rules"), this);
    setAccessible(pane, tr("Rules"), tr("Which tags of which repositories retention deletes"));
    m_source = new QLabel(pane);
    m_source->setWordWrap(true);
    setAccessible(m_source, tr("Where the rules come from"), {});

    m_protect = new QLineEdit(pane);
    m_protect->setPlaceholderText(tr("latest, release-*"));
    m_protect->setClearButtonEnabled(true);
    setAccessible(m_protect, tr("Protected tags"),
                  tr("Tag patterns, separated by commas, that no rule ever deletes in any repository"));
    m_protect->setToolTip(m_protect->accessibleDescription());
    auto* protectLabel = new QLabel(tr("&Never delete tags:"), pane);
    protectLabel->setBuddy(m_protect);
    auto* form = new QFormLayout;
    form->addRow(protectLabel, m_protect);
    auto* scheduleLabel = new QLabel(tr("Run by &itself:"), pane);
    form->addRow(scheduleLabel, createScheduleRow(pane));
    scheduleLabel->setBuddy(m_scheduled);

    // A table, so each row shows the rule number the preview refers to.
    m_ruleView = new QTableView(pane);
    setAccessible(
        m_ruleView, tr("Retention rules"),
        tr("One rule per row; edit a cell with F2 or by typing. Insert adds a rule, Delete removes it, "
           "Ctrl+Up and Ctrl+Down move it"));
    m_ruleView->setModel(m_rules);
    m_ruleView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_ruleView->setAlternatingRowColors(true);
    m_ruleView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ruleView->setItemDelegate(new RuleDelegate(m_ruleView));
    m_ruleView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                                QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    m_ruleView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ruleView->horizontalHeader()->setSectionResizeMode(RetentionRulesModel::Repositories,
                                                         QHeaderView::Stretch);
    // The rule actions work where the rules are.
    for (QAction* action : {m_addAction, m_removeAction, m_moveUpAction, m_moveDownAction})
        m_ruleView->addAction(action);
    m_addAction->setShortcutContext(Qt::WidgetShortcut);
    m_removeAction->setShortcutContext(Qt::WidgetShortcut);

    auto* ruleBar = new QToolBar(pane);
    setAccessible(ruleBar, tr("Rule actions"), tr("Add, remove and order the rules; save or revert them"));
    ruleBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    ruleBar->addActions({m_addAction, m_removeAction, m_moveUpAction, m_moveDownAction});
    m_revertButton = new QPushButton(m_revertAction->icon(), m_revertAction->text(), pane);
    setAccessible(m_revertButton, tr("Revert"), m_revertAction->toolTip());
    connect(m_revertButton, &QPushButton::clicked, m_revertAction, &QAction::trigger);
    m_saveButton = new QPushButton(m_saveAction->icon(), m_saveAction->text(), pane);
    setAccessible(m_saveButton, tr("Save rules"), m_saveAction->toolTip());
    connect(m_saveButton, &QPushButton::clicked, m_saveAction, &QAction::trigger);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(ruleBar, 1);
    buttons->addWidget(m_revertButton);
    buttons->addWidget(m_saveButton);

    auto* layout = new QVBoxLayout(pane);
    layout->addWidget(m_source);
    layout->addLayout(form);
    layout->addWidget(m_ruleView, 1);
    layout->addLayout(buttons);
    return pane;
}

QLayout* RetentionPage::createScheduleRow(QWidget* pane)
{
    m_scheduled = new QCheckBox(tr("every"), pane);
    setAccessible(m_scheduled, tr("Run on a schedule"),
                  tr("Whether the server runs the saved rules by itself, every so many hours or days"));
    m_scheduleCount = new QSpinBox(pane);
    m_scheduleCount->setRange(1, 999);
    setAccessible(m_scheduleCount, tr("Schedule interval"), tr("How many hours or days between runs"));
    m_scheduleUnit = new QComboBox(pane);
    m_scheduleUnit->addItems({tr("hours"), tr("days")});
    setAccessible(m_scheduleUnit, tr("Schedule unit"), tr("Hours or days"));
    m_schedule = new QLabel(pane);
    m_schedule->setWordWrap(true);
    setAccessible(m_schedule, tr("Schedule"), tr("When the server runs the rules next"));
    connect(m_scheduled, &QCheckBox::toggled, this, &RetentionPage::onScheduleEdited);
    connect(m_scheduleCount, &QSpinBox::valueChanged, this, &RetentionPage::onScheduleEdited);
    connect(m_scheduleUnit, &QComboBox::currentIndexChanged, this, &RetentionPage::onScheduleEdited);

    auto* row = new QHBoxLayout;
    row->addWidget(m_scheduled);
    row->addWidget(m_scheduleCount);
    row->addWidget(m_scheduleUnit);
    row->addSpacing(pane->style()->pixelMetric(QStyle::PM_LayoutHorizontalSpacing) * 2);
    row->addWidget(m_schedule, 1);
    return row;
}

QWidget* RetentionPage::createPreviewPane()
{
    auto* pane = new QGroupBox(tr("Preview"), this);
    setAccessible(pane, tr("Preview"), tr("What the rules would delete now, and why"));
    auto* previewButton = new QPushButton(m_previewAction->icon(), m_previewAction->text(), pane);
    setAccessible(previewButton, tr("Preview"), m_previewAction->toolTip());
    connect(previewButton, &QPushButton::clicked, m_previewAction, &QAction::trigger);
    connect(m_previewAction, &QAction::enabledChanged, previewButton, &QWidget::setEnabled);
    m_showKept = new QCheckBox(tr("Show &kept tags too"), pane);
    setAccessible(m_showKept, tr("Show kept tags"), tr("Also lists the tags the rules keep, and why"));
    connect(m_showKept, &QCheckBox::toggled, this, [this](bool show) {
        m_previewFilter->setFilterRegularExpression(
            show ? QString() : u"^%1$"_s.arg(RetentionPreviewModel::deleteAction));
    });
    m_previewFilter->setFilterRegularExpression(u"^%1$"_s.arg(RetentionPreviewModel::deleteAction));
    m_previewSummary = new QLabel(pane);
    m_previewSummary->setWordWrap(true);
    setAccessible(m_previewSummary, tr("Preview summary"), tr("How much the rules would delete"));
    m_previewProgress = new QProgressBar(pane);
    setAccessible(m_previewProgress, tr("Preview progress"), tr("How many repositories the server has read"));
    m_cancelPreviewButton = new QPushButton(tr("Stop Previe&w"), pane);
    setAccessible(m_cancelPreviewButton, tr("Stop preview"), tr("Stops working out the preview"));
    connect(m_cancelPreviewButton, &QPushButton::clicked, this, &RetentionPage::cancelPreview);
    m_previewProgress->hide();
    m_cancelPreviewButton->hide();
    auto* runButton = new QPushButton(m_runAction->icon(), m_runAction->text(), pane);
    setAccessible(runButton, tr("Run now"), m_runAction->toolTip());
    connect(runButton, &QPushButton::clicked, m_runAction, &QAction::trigger);
    connect(m_runAction, &QAction::enabledChanged, runButton, &QWidget::setEnabled);
    auto* top = new QHBoxLayout;
    top->addWidget(previewButton);
    top->addWidget(m_showKept);
    top->addWidget(m_previewSummary, 1);
    top->addWidget(m_previewProgress);
    top->addWidget(m_cancelPreviewButton);
    top->addWidget(runButton);

    m_previewView =
        createTable(pane, tr("Retention preview"),
                    tr("What each rule would delete and why; Enter opens the repository in the browser"));
    m_previewView->setModel(m_previewFilter);
    m_previewView->setSortingEnabled(true);
    m_previewView->sortByColumn(-1, Qt::AscendingOrder);
    m_previewView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_previewView->header()->setStretchLastSection(true);
    connect(m_previewView, &QTreeView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT openRepository(index.siblingAtColumn(RetentionPreviewModel::Repository).data().toString());
    });

    m_runProgress = new QProgressBar(pane);
    setAccessible(m_runProgress, tr("Retention run progress"), tr("How far the server is in the run"));
    m_runSummary = new QLabel(pane);
    m_runSummary->setWordWrap(true);
    setAccessible(m_runSummary, tr("Retention run summary"), tr("What the last run removed"));
    m_cancelRunButton = new QPushButton(tr("&Stop Run"), pane);
    setAccessible(m_cancelRunButton, tr("Stop run"), tr("Stops the retention run at its next item"));
    connect(m_cancelRunButton, &QPushButton::clicked, this, [this] {
        if (!m_client || !m_poller.isFollowing())
            return;
        m_cancelRunButton->setEnabled(false);
        m_client->cancelRetentionRun(m_poller.id(), this, [this](const app::RegistryResult<void>& cancelled) {
            if (!cancelled)
                showError(tr("Cannot stop the retention run: %1").arg(cancelled.error().message));
        });
    });
    auto* run = new QHBoxLayout;
    run->addWidget(m_runProgress);
    run->addWidget(m_runSummary, 1);
    run->addWidget(m_cancelRunButton);
    m_runProgress->hide();
    m_cancelRunButton->hide();

    auto* layout = new QVBoxLayout(pane);
    layout->addLayout(top);
    layout->addWidget(m_previewView, 1);
    layout->addLayout(run);
    return pane;
}

void RetentionPage::setAdminClient(app::AdminClient* client)
{
    m_client = client;
    ++m_generation;
    m_requests = 0;
    m_poller.stop();
    m_previewPoller.stop();
    m_previewing = false;
    m_previewAgain = false;
    m_message->clearMessage();
    m_rules->setRules({});
    m_preview->clear();
    setProtectedTags({});
    m_saved = {};
    m_scheduleEdited = false;
    showSchedule();
    m_previewProgress->hide();
    m_cancelPreviewButton->hide();
    m_previewSummary->clear();
    m_runSummary->clear();
    m_runProgress->hide();
    m_cancelRunButton->hide();
    m_stack->setAvailable(client != nullptr);
    if (client)
        reload();
    updateActions();
}

app::AdminClient* RetentionPage::adminClient() const
{
    return m_client;
}

QList<QAction*> RetentionPage::pageActions() const
{
    return {m_addAction,  m_removeAction, m_moveUpAction,  m_moveDownAction,
            m_saveAction, m_revertAction, m_previewAction, m_runAction};
}

QStringList RetentionPage::protectedTags() const
{
    QStringList patterns;
    for (const QString& pattern : m_protect->text().split(u',', Qt::SkipEmptyParts))
        if (const QString trimmed = pattern.trimmed(); !trimmed.isEmpty())
            patterns.append(trimmed);
    return patterns;
}

void RetentionPage::setProtectedTags(const QStringList& patterns)
{
    m_protect->setText(patterns.join(u", "_s));
}

std::optional<std::chrono::seconds> RetentionPage::editedSchedule() const
{
    if (!m_scheduleEdited)
        return m_saved.schedule;
    if (!m_scheduled->isChecked())
        return std::chrono::seconds(0);
    const qint64 unit = m_scheduleUnit->currentIndex() == Days ? secondsPerDay : secondsPerHour;
    return std::chrono::seconds(m_scheduleCount->value() * unit);
}

void RetentionPage::setSchedule(std::chrono::seconds every)
{
    const qint64 seconds = every.count();
    const bool days = seconds > 0 && seconds % secondsPerDay == 0;
    {
        const QSignalBlocker blockChecked(m_scheduled), blockCount(m_scheduleCount),
            blockUnit(m_scheduleUnit);
        m_scheduled->setChecked(seconds > 0);
        m_scheduleUnit->setCurrentIndex(days ? Days : Hours);
        // A schedule of minutes from config.yml shows as the hour it rounds up to.
        m_scheduleCount->setValue(
            seconds <= 0
                ? 24
                : clamped(days ? seconds / secondsPerDay : (seconds + secondsPerHour - 1) / secondsPerHour));
    }
    m_scheduleCount->setEnabled(seconds > 0);
    m_scheduleUnit->setEnabled(seconds > 0);
    m_scheduleEdited = std::optional(every) != m_saved.schedule;
    showSchedule();
    updateActions();
}

void RetentionPage::onScheduleEdited()
{
    m_scheduleEdited = true;
    m_scheduleCount->setEnabled(m_scheduled->isChecked());
    m_scheduleUnit->setEnabled(m_scheduled->isChecked());
    showSchedule();
    updateActions();
}

void RetentionPage::showSchedule()
{
    using Source = app::RetentionSettings::Source;
    const bool known = m_saved.schedule.has_value() || m_scheduleEdited;
    m_scheduled->setEnabled(m_client && known);
    const auto saved = m_saved.schedule.value_or(std::chrono::seconds(0));
    QString text;
    if (!m_client) {
        text.clear();
    } else if (!known) {
        text = tr("This server does not say whether it runs the rules by itself.");
    } else if (m_scheduleEdited && editedSchedule() != m_saved.schedule) {
        text = tr("Save to apply the new schedule.");
    } else if (saved.count() == 0) {
        text = tr("Off: the rules run only when you run them.");
    } else {
        text = m_saved.nextRun.isValid()
                   ? tr("Every %1; next run %2.")
                         .arg(interval(saved),
                              QLocale().toString(m_saved.nextRun.toLocalTime(), QLocale::ShortFormat))
                   : tr("Every %1.").arg(interval(saved));
        if (m_saved.scheduleSource == Source::Config)
            text +=
                u' ' +
                tr("Set in config.yml (berth.retention.schedule); saving a change here takes precedence.");
    }
    m_schedule->setText(text);
    m_schedule->setAccessibleDescription(text);
}

app::RetentionRules RetentionPage::editedRules() const
{
    return {protectedTags(), m_rules->rules()};
}

void RetentionPage::reload()
{
    if (!m_client)
        return;
    ++m_requests;
    updateActions();
    m_client->retentionRules(
        this, [this, generation = m_generation](app::RegistryResult<app::RetentionSettings> settings) {
            if (generation != m_generation)
                return;
            --m_requests;
            if (!settings)
                return showError(tr("Cannot read the retention rules: %1").arg(settings.error().message));
            m_message->clearMessage();
            showSettings(*settings);
            preview();
        });
}

void RetentionPage::showSettings(const app::RetentionSettings& settings)
{
    m_saved = settings;
    setProtectedTags(settings.rules.protect);
    m_rules->setRules(settings.rules.rules);
    setSchedule(settings.schedule.value_or(std::chrono::seconds(0)));
    m_scheduleEdited = false;
    showSchedule();
    updateActions();
}

void RetentionPage::preview()
{
    if (!m_client)
        return;
    if (m_previewing) { // one job at a time; the newest rules preview once it ends
        m_previewAgain = true;
        return;
    }
    m_previewing = true;
    ++m_requests;
    updateActions();
    m_previewSummary->setText(tr("Asking the server what the rules would delete…"));
    m_client->startRetentionPreview(
        editedRules(), this, [this, generation = m_generation](app::RegistryResult<QString> id) {
            if (generation != m_generation)
                return;
            if (!id) {
                onPreviewStatus(unexpected(id.error()));
                return;
            }
            m_previewProgress->setRange(0, 0);
            m_previewProgress->show();
            m_cancelPreviewButton->setEnabled(true);
            m_cancelPreviewButton->show();
            m_previewPoller.follow(
                *id, [client = m_client](const QString& job, QObject* context,
                                         app::AdminClient::Callback<app::RetentionPreviewJob> done) {
                    if (!client)
                        return done(unexpected(app::RegistryErrors::cancelled()));
                    client->retentionPreview(job, context, std::move(done));
                });
        });
}

void RetentionPage::cancelPreview()
{
    if (!m_client || !m_previewPoller.isFollowing())
        return;
    m_cancelPreviewButton->setEnabled(false);
    m_client->cancelRetentionPreview(
        m_previewPoller.id(), this, [this](const app::RegistryResult<void>& cancelled) {
            if (!cancelled)
                showError(tr("Cannot stop the preview: %1").arg(cancelled.error().message));
        });
}

void RetentionPage::onPreviewStatus(const app::RegistryResult<app::RetentionPreviewJob>& status)
{
    using State = app::JobProgress::State;
    if (status && !status->progress.isFinished()) {
        const app::JobProgress& progress = status->progress;
        m_previewProgress->setRange(0, clamped(progress.total));
        m_previewProgress->setValue(clamped(progress.done));
        m_previewSummary->setText(progress.total > 0 ? tr("Reading the tags of %1 of %2 repositories…")
                                                           .arg(QLocale().toString(progress.done),
                                                                QLocale().toString(progress.total))
                                                     : tr("Reading the tags…"));
        return;
    }
    endPreview();
    const QString failure = !status                                   ? status.error().message
                            : status->progress.state == State::Failed ? status->progress.error
                                                                      : QString();
    if (!failure.isEmpty()) {
        m_previewSummary->clear();
        showError(tr("Cannot preview the rules: %1").arg(failure));
        selectRuleOf(failure);
    } else if (status->progress.state == State::Cancelled || !status->result) {
        m_previewSummary->setText(tr("Preview stopped."));
    } else {
        m_message->clearMessage();
        showPreview(*status->result);
    }
    Q_EMIT previewed();
    if (std::exchange(m_previewAgain, false))
        preview();
}

void RetentionPage::endPreview()
{
    --m_requests;
    m_previewing = false;
    m_previewPoller.stop();
    m_previewProgress->hide();
    m_cancelPreviewButton->hide();
    updateActions();
}

void RetentionPage::showPreview(const app::RetentionPreview& preview)
{
    m_preview->setDecisions(preview.deletions, preview.kept);
    const QLocale locale;
    if (preview.deletions.isEmpty()) {
        m_previewSummary->setText(
            tr("The rules would delete nothing now. Kept: %1.").arg(locale.toString(preview.kept.size())));
        return;
    }
    QSet<QString> repositories;
    for (const app::RetentionDecision& decision : preview.deletions)
        repositories.insert(decision.repository);
    const auto [tags, manifests] = tagsAndManifests(preview.deletions);
    m_previewSummary->setText(tr("To delete: tags %1, untagged manifests %2, in repositories: %3. Kept: %4.")
                                  .arg(locale.toString(tags), locale.toString(manifests),
                                       locale.toString(repositories.size()),
                                       locale.toString(preview.kept.size())));
}

void RetentionPage::save()
{
    storeRules(tr("The rules were not saved: %1"), [this] {
        Q_EMIT statusMessage(tr("Saved the retention rules"));
        preview();
    });
}

void RetentionPage::storeRules(const QString& failure, const std::function<void()>& stored)
{
    if (!m_client)
        return;
    ++m_requests;
    updateActions();
    m_client->setRetentionRules(editedRules(), m_scheduleEdited ? editedSchedule() : std::nullopt, this,
                                [this, failure, stored, generation = m_generation](
                                    app::RegistryResult<app::RetentionSettings> saved) {
                                    if (generation != m_generation)
                                        return;
                                    --m_requests;
                                    if (!saved) {
                                        showError(failure.arg(saved.error().message));
                                        selectRuleOf(saved.error().message);
                                        return;
                                    }
                                    m_message->clearMessage();
                                    showSettings(*saved);
                                    stored();
                                });
}

void RetentionPage::runNow()
{
    if (!m_client || m_poller.isFollowing())
        return;
    const bool modified = isModified();
    auto* question = new QMessageBox(QMessageBox::Question, tr("Run Retention Rules"),
                                     modified ? tr("Save the rules as edited and run them now?")
                                              : tr("Run the saved retention rules now?"),
                                     QMessageBox::Cancel, this);
    question->setInformativeText(
        tr("The tags and manifests they select are deleted from the registry; this cannot "
           "be undone. The preview shows what they select."));
    auto* run = question->addButton(modified ? tr("Save and &Run") : tr("&Run"), QMessageBox::AcceptRole);
    question->setDefaultButton(QMessageBox::Cancel);
    question->setAttribute(Qt::WA_DeleteOnClose);
    setAccessible(question, tr("Run retention rules"), question->text());
    connect(question, &QMessageBox::finished, this, [this, question, run, modified] {
        if (question->clickedButton() != run)
            return;
        // Saved first: a run carries out the rules in force.
        if (modified)
            storeRules(tr("The rules were not saved, so they did not run: %1"), [this] { startRun(); });
        else
            startRun();
    });
    question->open();
}

void RetentionPage::startRun()
{
    m_runSummary->setText(tr("Starting the retention run…"));
    m_runProgress->setRange(0, 0);
    m_runProgress->show();
    m_cancelRunButton->setEnabled(true);
    m_cancelRunButton->show();
    m_client->startRetentionRun(this, [this, generation = m_generation](app::RegistryResult<QString> id) {
        if (generation != m_generation)
            return;
        if (!id) {
            m_runProgress->hide();
            m_cancelRunButton->hide();
            m_runSummary->clear();
            showError(tr("Cannot run the retention rules: %1").arg(id.error().message));
            Q_EMIT runFinished();
            return;
        }
        m_poller.follow(*id, [client = m_client](const QString& job, QObject* context,
                                                 app::AdminClient::Callback<app::RetentionJob> done) {
            if (!client)
                return done(unexpected(app::RegistryErrors::cancelled()));
            client->retentionRun(job, context, std::move(done));
        });
        updateActions();
    });
    updateActions();
}

void RetentionPage::onRunStatus(const app::RegistryResult<app::RetentionJob>& status)
{
    using State = app::JobProgress::State;
    if (status && !status->progress.isFinished()) {
        const app::JobProgress& progress = status->progress;
        m_runProgress->setRange(0, progress.total > 0 ? clamped(progress.total) : 0);
        m_runProgress->setValue(clamped(progress.done));
        m_runSummary->setText(progress.phase == "removing"_L1 ? tr("Deleting what the rules select…")
                                                              : tr("Reading the tags…"));
        return;
    }
    m_runProgress->hide();
    m_cancelRunButton->hide();
    if (!status) {
        m_runSummary->clear();
        showError(tr("The retention run failed: %1").arg(status.error().message));
    } else if (status->progress.state == State::Failed) {
        m_runSummary->clear();
        showError(tr("The retention run failed: %1").arg(status->progress.error));
    } else {
        const app::RetentionRunResult result = status->result.value_or(app::RetentionRunResult{});
        const auto [tags, manifests] = tagsAndManifests(result.removed);
        const QLocale locale;
        QString summary = tr("Removed tags: %1, untagged manifests: %2.")
                              .arg(locale.toString(tags), locale.toString(manifests));
        if (!result.skipped.isEmpty())
            summary += u' ' + tr("Skipped because they changed after the plan was made: %1.")
                                  .arg(locale.toString(result.skipped.size()));
        if (status->progress.state == State::Cancelled)
            summary = tr("Stopped. %1").arg(summary);
        m_runSummary->setText(summary);
        Q_EMIT statusMessage(summary);
        preview(); // what is left for the rules to delete
    }
    updateActions();
    Q_EMIT runFinished();
}

void RetentionPage::showError(const QString& message)
{
    m_message->showMessage(InlineMessage::Kind::Error, message);
    updateActions();
}

void RetentionPage::selectRuleOf(const QString& message)
{
    const int row = ruleRowIn(message);
    if (row >= 0 && row < m_rules->rowCount()) {
        m_ruleView->setCurrentIndex(m_rules->index(row, 0));
        m_ruleView->setFocus(Qt::OtherFocusReason);
    }
}

void RetentionPage::addRule()
{
    const QModelIndex current = m_ruleView->currentIndex();
    const int row = m_rules->insertRule(current.isValid() ? current.row() + 1 : m_rules->rowCount());
    m_ruleView->setCurrentIndex(m_rules->index(row, RetentionRulesModel::Repositories));
    m_ruleView->setFocus(Qt::OtherFocusReason);
}

void RetentionPage::removeRule()
{
    const QModelIndex current = m_ruleView->currentIndex();
    if (current.isValid())
        m_rules->removeRows(current.row(), 1);
}

void RetentionPage::moveRule(int offset)
{
    const QModelIndex current = m_ruleView->currentIndex();
    if (current.isValid() && m_rules->moveRule(current.row(), offset))
        m_ruleView->setCurrentIndex(m_rules->index(current.row() + offset, current.column()));
}

bool RetentionPage::isModified() const
{
    return m_rules->isModified() || protectedTags() != m_saved.rules.protect ||
           (m_scheduleEdited && editedSchedule() != m_saved.schedule);
}

void RetentionPage::showSource()
{
    using Source = app::RetentionSettings::Source;
    QString text;
    if (isModified()) {
        text = tr("Unsaved changes: preview what they would delete, then Save to store them on the "
                  "server. Until then every run applies the rules in force.");
    } else {
        switch (m_saved.source) {
        case Source::Data:
            text = tr("These rules are stored on the server and apply to every run.");
            break;
        case Source::Config:
            text = tr("These rules come from the server's config.yml (berth.retention). Saving stores them "
                      "on the server, where they take precedence.");
            break;
        case Source::None:
            text = tr("No retention rules yet: add a rule, preview what it would delete, then save it.");
            break;
        }
    }
    m_source->setText(text);
    m_source->setAccessibleDescription(text);
}

void RetentionPage::updateActions()
{
    const bool ready = m_client && m_requests == 0;
    const bool running = m_poller.isFollowing();
    const bool modified = isModified();
    const QModelIndex current = m_ruleView->currentIndex();
    m_addAction->setEnabled(m_client != nullptr);
    m_removeAction->setEnabled(current.isValid());
    m_moveUpAction->setEnabled(current.isValid() && current.row() > 0);
    m_moveDownAction->setEnabled(current.isValid() && current.row() + 1 < m_rules->rowCount());
    m_saveAction->setEnabled(ready && modified);
    m_revertAction->setEnabled(ready && modified);
    m_saveButton->setEnabled(m_saveAction->isEnabled());
    m_revertButton->setEnabled(m_revertAction->isEnabled());
    m_previewAction->setEnabled(ready);
    m_runAction->setEnabled(ready && !running && m_rules->rowCount() > 0); // no rules delete nothing
    showSource();
}

} // namespace berth::ui
