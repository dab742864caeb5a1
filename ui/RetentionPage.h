#pragma once
// The Retention page of a berthd: an editor of the retention rules (protected tags, and
// rules of repositories, tags and what to keep) and of how often the server runs them by
// itself, a preview of what each rule would delete and why (a job on the server, with
// progress, that can be stopped), saving the rules and schedule to the server, and running
// them now with progress and a summary. All it knows comes from the AdminClient it is
// given; it never waits for it.

#include "app/AdminTypes.h"
#include "app/JobPoller.h"

#include <QList>
#include <QPointer>
#include <QWidget>
#include <chrono>
#include <functional>
#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTreeView;

namespace berth::app {
class AdminClient;
}

namespace berth::ui {

class AdminPageStack;
class InlineMessage;
class RetentionPreviewModel;
class RetentionRulesModel;

class RetentionPage : public QWidget
{
    Q_OBJECT

public:
    explicit RetentionPage(QWidget* parent = nullptr);
    ~RetentionPage() override;

    // The admin API to ask, or nullptr when the registry shown has none (the page then says
    // so). Loads the rules in force. Not owned.
    void setAdminClient(app::AdminClient* client);
    app::AdminClient* adminClient() const;

    // Add rule (Insert), remove rule (Delete) and move it (Ctrl+Up, Ctrl+Down) in the rules;
    // save (Ctrl+S), revert, preview (F5) and run now (Ctrl+R) anywhere in the page. For the
    // main window's menus.
    QList<QAction*> pageActions() const;

    RetentionRulesModel* rulesModel() const { return m_rules; }
    RetentionPreviewModel* previewModel() const { return m_preview; }
    // The protected tag patterns as typed, split at commas.
    QStringList protectedTags() const;
    void setProtectedTags(const QStringList& patterns);
    // How often the server is to run the rules as edited (0: never); nullopt when the server
    // does not say and nothing was chosen. Whole hours or days.
    std::optional<std::chrono::seconds> editedSchedule() const;
    void setSchedule(std::chrono::seconds every);

public Q_SLOTS:
    // Loads the rules in force again, dropping unsaved edits.
    void reload();
    // Asks what the rules as edited would delete now.
    void preview();
    // Stops the preview the server is working out.
    void cancelPreview();
    void save();
    // Runs the rules in force now, after the user confirms (saving edits first).
    void runNow();

Q_SIGNALS:
    // The user picked a repository in the preview to see in the browser.
    void openRepository(const QString& name);
    void statusMessage(const QString& message);
    // A preview arrived or failed.
    void previewed();
    // A run finished, failed or was cancelled.
    void runFinished();

private:
    void createActions();
    void createLayout();
    QWidget* createRulesPane();
    QWidget* createPreviewPane();
    QLayout* createScheduleRow(QWidget* pane);
    void showSettings(const app::RetentionSettings& settings);
    void showSchedule();
    // Where the rules shown come from, or that they are edited and not saved yet.
    void showSource();
    void onScheduleEdited();
    bool isModified() const;
    // Stores the rules as edited; then calls `stored`, or shows `failure` (with %1 for why).
    void storeRules(const QString& failure, const std::function<void()>& stored);
    void onPreviewStatus(const app::RegistryResult<app::RetentionPreviewJob>& status);
    void endPreview();
    void showPreview(const app::RetentionPreview& preview);
    void startRun();
    void onRunStatus(const app::RegistryResult<app::RetentionJob>& status);
    void showError(const QString& message);
    void selectRuleOf(const QString& message);
    void addRule();
    void removeRule();
    void moveRule(int offset);
    app::RetentionRules editedRules() const;
    void updateActions();

    QPointer<app::AdminClient> m_client;
    app::JobPoller<app::RetentionJob> m_poller;
    app::JobPoller<app::RetentionPreviewJob> m_previewPoller;
    RetentionRulesModel* m_rules;
    RetentionPreviewModel* m_preview;
    QSortFilterProxyModel* m_previewFilter;
    app::RetentionSettings m_saved; // as the server last said
    int m_generation = 0;           // of the client: answers of an earlier one are dropped
    int m_requests = 0;             // loads, saves and previews in flight
    bool m_previewing = false;      // a preview job is being started or followed
    bool m_previewAgain = false;    // asked for meanwhile: once it ends, the rules preview again

    AdminPageStack* m_stack = nullptr; // the editor, or why there is none
    InlineMessage* m_message = nullptr;
    QLabel* m_source = nullptr;
    QLabel* m_schedule = nullptr; // how and when the server runs the rules by itself
    QCheckBox* m_scheduled = nullptr;
    QSpinBox* m_scheduleCount = nullptr;
    QComboBox* m_scheduleUnit = nullptr;
    bool m_scheduleEdited = false;
    QLineEdit* m_protect = nullptr;
    QTableView* m_ruleView = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_revertButton = nullptr;
    QCheckBox* m_showKept = nullptr;
    QLabel* m_previewSummary = nullptr;
    QProgressBar* m_previewProgress = nullptr;
    QPushButton* m_cancelPreviewButton = nullptr;
    QTreeView* m_previewView = nullptr;
    QProgressBar* m_runProgress = nullptr;
    QLabel* m_runSummary = nullptr;
    QPushButton* m_cancelRunButton = nullptr;

    QAction* m_addAction = nullptr;
    QAction* m_removeAction = nullptr;
    QAction* m_moveUpAction = nullptr;
    QAction* m_moveDownAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_revertAction = nullptr;
    QAction* m_previewAction = nullptr;
    QAction* m_runAction = nullptr;
};

} // namespace berth::ui
