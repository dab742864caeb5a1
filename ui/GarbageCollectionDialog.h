#pragma once
// One-click garbage collection of a berthd. A dry run first shows what would go and how
// much space that frees; once the user confirms, the collection runs on the server in the
// background with a progress bar (the registry keeps serving), and a summary says what it
// deleted. Cancel stops the job on the server at its next item.

#include "app/AdminTypes.h"
#include "app/JobPoller.h"

#include <QDialog>
#include <QPointer>
#include <optional>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;
class QTreeView;

namespace berth::app {
class AdminClient;
}

namespace berth::ui {

class CollectionItemsModel;
class InlineMessage;

class GarbageCollectionDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Stage
    {
        Previewing, // the dry run is on the server
        Previewed,  // the dry run's findings are shown; the user may confirm
        Collecting, // the collection is on the server
        Finished,   // the collection is done; the summary is shown
        Cancelled,  // the collection was stopped; what it deleted until then is shown
        Failed      // a request or the job failed; the user may try again
    };
    Q_ENUM(Stage)

    // Starts the dry run at once. `client` is not owned.
    explicit GarbageCollectionDialog(app::AdminClient* client, QWidget* parent = nullptr);
    ~GarbageCollectionDialog() override;

    Stage stage() const { return m_stage; }
    // What the dry run found, once it has.
    const std::optional<app::CollectionResult>& preview() const { return m_preview; }
    // What the collection deleted, once it finished or was cancelled.
    const std::optional<app::CollectionResult>& result() const { return m_result; }
    // The manifests and blobs of the preview, then of the result.
    CollectionItemsModel* itemsModel() const { return m_items; }
    // The options the next job runs with.
    app::CollectionOptions options() const;

public Q_SLOTS:
    // Starts the collection the preview showed (Collect Garbage).
    void collect();
    // Runs the dry run again, with the options as they are now.
    void previewAgain();
    // Stops a running job, or closes the dialog when none runs.
    void reject() override;

Q_SIGNALS:
    void stageChanged(berth::ui::GarbageCollectionDialog::Stage stage);
    // A collection that deleted something finished or was cancelled: the storage changed.
    void storageChanged();

private:
    void createLayout();
    void start(bool dryRun);
    void onStatus(const app::RegistryResult<app::CollectionJob>& status);
    void showProgress(const app::CollectionJob& job);
    void showPreview(const app::CollectionResult& preview);
    void showResult(const app::CollectionJob& job);
    void fail(const QString& message);
    void setStage(Stage stage);
    void cancelJob();

    QPointer<app::AdminClient> m_client;
    app::JobPoller<app::CollectionJob> m_poller;
    CollectionItemsModel* m_items;
    Stage m_stage = Stage::Previewing;
    bool m_dryRun = true;
    bool m_cancelling = false;
    bool m_closeWhenStopped = false;
    std::optional<app::CollectionResult> m_preview;
    std::optional<app::CollectionResult> m_result;

    QLabel* m_heading = nullptr;
    QLabel* m_details = nullptr;
    QLabel* m_phase = nullptr;
    QProgressBar* m_progress = nullptr;
    InlineMessage* m_message = nullptr;
    QTreeView* m_itemView = nullptr;
    QCheckBox* m_deleteUntagged = nullptr;
    QSpinBox* m_graceMinutes = nullptr;
    QPushButton* m_collectButton = nullptr;
    QPushButton* m_previewButton = nullptr;
    QPushButton* m_closeButton = nullptr;
    QTimer* m_optionsTimer;
};

} // namespace berth::ui
