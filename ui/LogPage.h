#pragma once
// The log page: berthd's log lines live, as a table (time, level, message, method, path,
// status, duration, repository), filtered by level and text. Follows new lines until the
// user scrolls up or pauses; copies the selected lines and saves the shown ones to a file,
// both as berthd wrote them.

#include <QList>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace berth::ui {

class LogFilterModel;
class LogModel;

class LogPage : public QWidget
{
    Q_OBJECT

public:
    // model: not owned; must outlive the page.
    explicit LogPage(LogModel* model, QWidget* parent = nullptr);

    // Filter, follow, copy, save, clear: for the main window's menu. Their shortcuts
    // (Ctrl+F, Ctrl+Shift+F, Ctrl+C, Ctrl+S) work within the page.
    QList<QAction*> pageActions() const;

    bool isFollowing() const;
    void setFollowing(bool following);
    // The lines shown (after filtering), as berthd wrote them.
    QList<QByteArray> shownLines() const;
    void copySelection();
    // Writes the shown lines to `path`; returns an error message, empty on success.
    QString saveTo(const QString& path) const;

Q_SIGNALS:
    void statusMessage(const QString& message);

private:
    void buildActions();
    void buildLayout();
    void connectView();
    void saveWithDialog();
    void updateCount();
    void updateActions();

    LogModel* m_model;
    LogFilterModel* m_filter;

    QComboBox* m_level = nullptr;
    QLineEdit* m_text = nullptr;
    QTreeView* m_view = nullptr;
    QLabel* m_count = nullptr;

    QAction* m_filterAction = nullptr;
    QAction* m_followAction = nullptr;
    QAction* m_copyAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_clearAction = nullptr;
};

} // namespace berth::ui
