#pragma once
// The local server's pane: its state (Stopped, Starting, Running at an address, Crashed or
// Failed with the reason and berthd's last lines) and the Start, Stop and Restart actions.

#include <QList>
#include <QWidget>

class QAction;
class QLabel;
class QPlainTextEdit;

namespace berth::app {
class ServerSupervisor;
}

namespace berth::ui {

class ServerStatusWidget : public QWidget
{
    Q_OBJECT

public:
    // supervisor: not owned; must outlive the widget.
    explicit ServerStatusWidget(app::ServerSupervisor* supervisor, QWidget* parent = nullptr);

    // Start, stop, restart: for the main window's Server menu.
    QList<QAction*> serverActions() const;
    // The one-line state shown, e.g. "Running at 127.0.0.1:5000".
    QString stateText() const;

private:
    void update();

    app::ServerSupervisor* m_supervisor;
    QLabel* m_icon;
    QLabel* m_state;
    QLabel* m_reason;
    QPlainTextEdit* m_lastLines;
    QAction* m_startAction;
    QAction* m_stopAction;
    QAction* m_restartAction;
};

} // namespace berth::ui
