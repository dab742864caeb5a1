#pragma once
// The Retention page of a berthd: an editor of the retention rules (protected tags, and
// rules of repositories, tags and what to keep), a preview of what each rule would delete
// and why, saving the rules to the server, and running them now with progress and a
// summary. Says whether and how often the server runs them on its own schedule. All it
// knows comes from the AdminClient it is given; it never waits for it.

#include "app/AdminTypes.h"
#include "app/JobPoller.h"

#include <QList>
#include <QPointer>
#include <QWidget>
#include <functional>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
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

public Q_SLOTS:
    // Loads the rules in force again, dropping unsaved edits.
    void reload();
    // Asks what the rules as edited would delete now.
    void preview();
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
    void showSettings(const app::RetentionSettings& settings);
    // Stores the rules as edited; then calls `stored`, or shows `failure` (with %1 for why).
    void storeRules(const QString& failure, const std::function<void()>& stored);
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
    RetentionRulesModel* m_rules;
    RetentionPreviewModel* m_preview;
    QSortFilterProxyModel* m_previewFilter;
    QStringList m_savedProtect;
    int m_generation = 0; // of the client: answers of an earlier one are dropped
    int m_requests = 0;   // loads, saves and previews in flight

    AdminPageStack* m_stack = nullptr; // the editor, or why there is none
    InlineMessage* m_message = nullptr;
    QLabel* m_source = nullptr;
    QLabel* m_schedule = nullptr;
    QLineEdit* m_protect = nullptr;
    QTableView* m_ruleView = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_revertButton = nullptr;
    QCheckBox* m_showKept = nullptr;
    QLabel* m_previewSummary = nullptr;
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
