#include "ui/GarbageCollectionDialog.h"

#include "app/AdminClient.h"
#include "app/RegistryErrors.h"
#include "ui/Accessibility.h"
#include "ui/CollectionItemsModel.h"
#include "ui/DisplayText.h"
#include "ui/InlineMessage.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <limits>

using namespace Qt::StringLiterals;

namespace berth::ui {

namespace {

// The server's default grace period: blobs this young may belong to a push in flight.
constexpr int defaultGraceMinutes = 60;
constexpr int maximumGraceMinutes = 7 * 24 * 60;
// Edits of the options settle for this long before the dry run starts again.
constexpr int optionsDelayMs = 400;

int clamped(qint64 value)
{
    return static_cast<int>(std::clamp<qint64>(value, 0, std::numeric_limits<int>::max()));
}

qint64 reclaimed(const app::CollectionResult& result)
{
    return result.bytesReclaimed + result.uploadBytesReclaimed;
}

// "unreferenced blobs: 3 · untagged manifests: 1", what is not deleted left out. A count
// after a colon reads right for any number, with no plural forms to translate.
QString deletions(const app::CollectionResult& result)
{
    const QLocale locale;
    QStringList parts{GarbageCollectionDialog::tr("unreferenced blobs: %1")
                          .arg(locale.toString(result.blobsDeleted.size()))};
    if (!result.manifestsDeleted.isEmpty())
        parts.append(GarbageCollectionDialog::tr("untagged manifests: %1")
                         .arg(locale.toString(result.manifestsDeleted.size())));
    if (result.uploadsDeleted > 0)
        parts.append(
            GarbageCollectionDialog::tr("abandoned uploads: %1").arg(locale.toString(result.uploadsDeleted)));
    return parts.join(u" · "_s);
}

bool deletesSomething(const app::CollectionResult& result)
{
    return !result.blobsDeleted.isEmpty() || !result.manifestsDeleted.isEmpty() ||
           result.uploadsDeleted > 0 || result.bytesReclaimed > 0;
}

} // namespace

GarbageCollectionDialog::GarbageCollectionDialog(app::AdminClient* client, QWidget* parent)
    : QDialog(parent), m_client(client),
      m_poller(this, [this](const app::RegistryResult<app::CollectionJob>& status) { onStatus(status); }),
      m_items(new CollectionItemsModel(this)), m_optionsTimer(new QTimer(this))
{
    setWindowTitle(tr("Collect Garbage"));
    setAccessible(this, tr("Collect garbage"),
                  tr("Shows what garbage collection would delete, then collects it with progress"));
    m_optionsTimer->setSingleShot(true);
    m_optionsTimer->setInterval(optionsDelayMs);
    connect(m_optionsTimer, &QTimer::timeout, this, &GarbageCollectionDialog::previewAgain);
    createLayout();
    resize(620, 480);
    start(true);
}

GarbageCollectionDialog::~GarbageCollectionDialog()
{
    // A dry run nobody will read is stopped; a collection the user confirmed goes on.
    if (m_poller.isFollowing() && m_dryRun && m_client)
        m_client->cancelCollection(m_poller.id(), m_client, [](const app::RegistryResult<void>&) {});
}

void GarbageCollectionDialog::createLayout()
{
    m_heading = new QLabel(this);
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    m_heading->setFont(headingFont);
    m_heading->setWordWrap(true);
    setAccessible(m_heading, tr("Garbage collection state"), tr("What the dialog is doing or found"));
    m_details = new QLabel(this);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setAccessible(m_details, tr("Garbage collection details"), tr("How much would be or was freed, and why"));
    m_phase = new QLabel(this);
    setAccessible(m_phase, tr("Garbage collection phase"), tr("The step the server is working on"));
    m_progress = new QProgressBar(this);
    setAccessible(m_progress, tr("Garbage collection progress"),
                  tr("How far the server is in the current step"));
    m_message = new InlineMessage(this);

    m_itemView = new QTreeView(this);
    setAccessible(m_itemView, tr("Items to delete"),
                  tr("The untagged manifests and unreferenced blobs garbage collection deletes"));
    m_itemView->setModel(m_items);
    m_itemView->setRootIsDecorated(false);
    m_itemView->setUniformRowHeights(true);
    m_itemView->setAllColumnsShowFocus(true);
    m_itemView->setAlternatingRowColors(true);
    m_itemView->header()->setStretchLastSection(true);
    m_itemView->header()->setSectionResizeMode(CollectionItemsModel::Kind, QHeaderView::ResizeToContents);

    m_deleteUntagged = new QCheckBox(tr("Also delete &manifests no tag points to"), this);
    setAccessible(m_deleteUntagged, tr("Delete untagged manifests"),
                  tr("Also deletes manifests that no tag reaches, and the blobs only they use"));
    m_graceMinutes = new QSpinBox(this);
    m_graceMinutes->setRange(0, maximumGraceMinutes);
    m_graceMinutes->setValue(defaultGraceMinutes);
    m_graceMinutes->setSuffix(tr(" min"));
    setAccessible(
        m_graceMinutes, tr("Grace period in minutes"),
        tr("Blobs uploaded more recently than this are kept: they may belong to a push still going on"));
    for (QWidget* option : {static_cast<QWidget*>(m_deleteUntagged), static_cast<QWidget*>(m_graceMinutes)})
        option->setToolTip(option->accessibleDescription());
    connect(m_deleteUntagged, &QCheckBox::toggled, m_optionsTimer, qOverload<>(&QTimer::start));
    connect(m_graceMinutes, &QSpinBox::valueChanged, m_optionsTimer, qOverload<>(&QTimer::start));
    auto* options = new QFormLayout;
    options->addRow(m_deleteUntagged);
    auto* graceLabel = new QLabel(tr("&Keep blobs uploaded in the last:"), this);
    graceLabel->setBuddy(m_graceMinutes);
    options->addRow(graceLabel, m_graceMinutes);

    auto* buttons = new QDialogButtonBox(this);
    m_previewButton = buttons->addButton(tr("&Preview Again"), QDialogButtonBox::ResetRole);
    setAccessible(m_previewButton, tr("Preview again"),
                  tr("Runs the dry run again with the options as they are"));
    m_collectButton = buttons->addButton(tr("&Collect Garbage"), QDialogButtonBox::AcceptRole);
    setAccessible(m_collectButton, tr("Collect garbage"),
                  tr("Deletes what the preview shows; the registry keeps serving meanwhile"));
    m_closeButton = buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_previewButton, &QPushButton::clicked, this, &GarbageCollectionDialog::previewAgain);
    connect(m_collectButton, &QPushButton::clicked, this, &GarbageCollectionDialog::collect);
    connect(m_closeButton, &QPushButton::clicked, this, &GarbageCollectionDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_details);
    layout->addWidget(m_phase);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addWidget(m_itemView, 1);
    layout->addLayout(options);
    layout->addWidget(buttons);
}

app::CollectionOptions GarbageCollectionDialog::options() const
{
    return {m_dryRun, m_deleteUntagged->isChecked(), std::chrono::minutes(m_graceMinutes->value())};
}

void GarbageCollectionDialog::start(bool dryRun)
{
    m_optionsTimer->stop();
    m_poller.stop();
    m_dryRun = dryRun;
    m_cancelling = false;
    m_message->clearMessage();
    if (dryRun) {
        m_preview.reset();
        m_items->clear();
    }
    m_result.reset();
    m_progress->setRange(0, 0);
    m_phase->setText(tr("Starting…"));
    setStage(dryRun ? Stage::Previewing : Stage::Collecting);
    if (!m_client)
        return fail(app::RegistryErrors::cancelled().message);
    m_client->startCollection(options(), this, [this](app::RegistryResult<QString> id) {
        if (!id)
            return fail(id.error().message);
        m_poller.follow(*id, [client = m_client](const QString& job, QObject* context,
                                                 app::AdminClient::Callback<app::CollectionJob> done) {
            if (!client)
                return done(unexpected(app::RegistryErrors::cancelled()));
            client->collection(job, context, std::move(done));
        });
    });
}

void GarbageCollectionDialog::collect()
{
    if (m_stage == Stage::Previewed && m_preview)
        start(false);
}

void GarbageCollectionDialog::previewAgain()
{
    if (m_stage == Stage::Collecting)
        return;
    if (m_poller.isFollowing())
        cancelJob();
    start(true);
}

void GarbageCollectionDialog::reject()
{
    if (!m_poller.isFollowing())
        return QDialog::reject();
    cancelJob();
    if (m_dryRun) {
        m_poller.stop();
        return QDialog::reject();
    }
    // The collection stops at its next item; the dialog shows what it deleted until then.
    m_cancelling = true;
    m_closeButton->setEnabled(false);
    m_phase->setText(tr("Stopping…"));
}

void GarbageCollectionDialog::cancelJob()
{
    if (!m_client)
        return;
    m_client->cancelCollection(m_poller.id(), this, [this](const app::RegistryResult<void>& cancelled) {
        if (!cancelled && cancelled.error().kind != app::RegistryError::Kind::NotFound)
            m_message->showMessage(
                InlineMessage::Kind::Error,
                tr("Cannot stop the garbage collection: %1").arg(cancelled.error().message));
    });
}

void GarbageCollectionDialog::onStatus(const app::RegistryResult<app::CollectionJob>& status)
{
    if (!status)
        return fail(status.error().message);
    const app::CollectionJob& job = *status;
    showProgress(job);
    using State = app::JobProgress::State;
    switch (job.progress.state) {
    case State::Running:
        return;
    case State::Failed:
        return fail(job.progress.error.isEmpty() ? tr("the server gave no reason") : job.progress.error);
    case State::Done:
    case State::Cancelled:
        break;
    }
    const app::CollectionResult result = job.result.value_or(app::CollectionResult{});
    if (m_dryRun && job.progress.state == State::Done) {
        m_preview = result;
        showPreview(result);
        return setStage(Stage::Previewed);
    }
    if (m_dryRun)
        return fail(tr("the dry run was stopped"));
    m_result = result;
    showResult(job);
    setStage(job.progress.state == State::Done ? Stage::Finished : Stage::Cancelled);
    if (deletesSomething(result))
        Q_EMIT storageChanged();
}

void GarbageCollectionDialog::showProgress(const app::CollectionJob& job)
{
    const QString phase = job.progress.phase;
    QString step;
    if (phase == "marking"_L1)
        step = tr("Marking what is in use");
    else if (phase == "sweeping"_L1)
        step = m_dryRun ? tr("Finding unreferenced blobs") : tr("Deleting unreferenced blobs");
    else if (phase == "purging_uploads"_L1)
        step = m_dryRun ? tr("Finding abandoned uploads") : tr("Removing abandoned uploads");
    else if (phase == "done"_L1)
        step = tr("Done");
    else
        step = phase;
    if (m_cancelling)
        step = tr("Stopping…");
    if (job.progress.isFinished()) {
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
    } else if (job.progress.total > 0) {
        m_progress->setRange(0, clamped(job.progress.total));
        m_progress->setValue(clamped(job.progress.done));
    } else {
        m_progress->setRange(0, 0);
    }
    m_progress->setFormat(job.progress.total > 0 && !job.progress.isFinished() ? tr("%v of %m") : tr("%p%"));
    m_phase->setText(!m_dryRun && !job.progress.isFinished() && job.bytesReclaimed > 0
                         ? tr("%1 (%2 freed so far)").arg(step, DisplayText::size(job.bytesReclaimed))
                         : step);
}

void GarbageCollectionDialog::showPreview(const app::CollectionResult& preview)
{
    m_items->setResult(preview);
    const QString kept = preview.blobsInGracePeriod > 0
                             ? u' ' + tr("Blobs kept because they are younger than the grace period: %1.")
                                          .arg(QLocale().toString(preview.blobsInGracePeriod))
                             : QString();
    if (!deletesSomething(preview)) {
        m_heading->setText(tr("Nothing to collect"));
        m_details->setText(
            tr("Every blob is in use. Blobs kept: %1.").arg(QLocale().toString(preview.blobsKept)) + kept);
        return;
    }
    m_heading->setText(tr("Garbage collection would free %1").arg(DisplayText::size(reclaimed(preview))));
    m_details->setText(
        tr("To delete: %1. The registry keeps serving while it runs.").arg(deletions(preview)) + kept);
}

void GarbageCollectionDialog::showResult(const app::CollectionJob& job)
{
    const app::CollectionResult& result = *m_result;
    m_items->setResult(result);
    const QString freed = DisplayText::size(reclaimed(result));
    if (job.progress.state == app::JobProgress::State::Cancelled) {
        m_heading->setText(tr("Garbage collection stopped: %1 freed").arg(freed));
        m_details->setText(tr("Deleted before it stopped: %1.").arg(deletions(result)));
    } else {
        m_heading->setText(tr("Garbage collected: %1 freed").arg(freed));
        m_details->setText(tr("Deleted: %1.").arg(deletions(result)));
    }
}

void GarbageCollectionDialog::fail(const QString& message)
{
    m_poller.stop();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_phase->clear();
    m_heading->setText(m_dryRun ? tr("The preview failed") : tr("Garbage collection failed"));
    m_details->clear();
    m_message->showMessage(InlineMessage::Kind::Error, tr("Garbage collection failed: %1").arg(message));
    setStage(Stage::Failed);
}

void GarbageCollectionDialog::setStage(Stage stage)
{
    m_stage = stage;
    const bool running = stage == Stage::Previewing || stage == Stage::Collecting;
    const bool ended = stage == Stage::Finished || stage == Stage::Cancelled;
    if (stage == Stage::Previewing) {
        m_heading->setText(tr("Looking for garbage…"));
        m_details->setText(tr("A dry run: nothing is deleted yet."));
    } else if (stage == Stage::Collecting) {
        m_heading->setText(tr("Collecting garbage…"));
        m_details->setText(
            tr("The registry keeps serving meanwhile. Cancel stops the collection at its next item."));
    }
    m_progress->setVisible(running || ended);
    m_phase->setVisible(running || ended);
    m_collectButton->setEnabled(stage == Stage::Previewed && m_preview && deletesSomething(*m_preview));
    m_previewButton->setEnabled(stage == Stage::Previewed || stage == Stage::Failed);
    // Options shape the preview; once a collection started they are what it ran with.
    m_deleteUntagged->setEnabled(stage == Stage::Previewing || m_previewButton->isEnabled());
    m_graceMinutes->setEnabled(m_deleteUntagged->isEnabled());
    m_closeButton->setEnabled(true);
    m_closeButton->setText(running ? tr("Cancel") : tr("Close"));
    setAccessible(m_closeButton, m_closeButton->text(),
                  running ? tr("Stops the job on the server") : tr("Closes this dialog"));
    if (m_collectButton->isEnabled()) {
        m_collectButton->setDefault(true);
        m_collectButton->setFocus();
    } else {
        m_closeButton->setDefault(true);
    }
    Q_EMIT stageChanged(stage);
}

} // namespace berth::ui
