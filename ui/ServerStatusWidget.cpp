#include "ui/ServerStatusWidget.h"

#include "app/ServerSupervisor.h"
#include "ui/Accessibility.h"
#include "ui/ActionButton.h"
#include "ui/LogLine.h"
#include "ui/ServerStateDisplay.h"

#include <QAction>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStyle>
#include <QTextCursor>
#include <QVBoxLayout>

namespace berth::ui {

namespace {

constexpr int shownLogLines = 8;

} // namespace

using State = app::ServerSupervisor::State;

ServerStatusWidget::ServerStatusWidget(app::ServerSupervisor* supervisor, QWidget* parent)
    : QWidget(parent), m_supervisor(supervisor), m_icon(new QLabel(this)), m_state(new QLabel(this)),
      m_reason(new QLabel(this)), m_lastLines(new QPlainTextEdit(this)),
      m_startAction(new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start Server"), this)),
      m_stopAction(new QAction(style()->standardIcon(QStyle::SP_MediaStop), tr("S&top Server"), this)),
      m_restartAction(
          new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("&Restart Server"), this))
{
    setAccessible(this, tr("Local server pane"), tr("The state of the registry server on this computer"));

    auto* heading = new QLabel(tr("Local server"), this);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);

    m_icon->setFixedSize(16, 16);
    setAccessible(m_icon, tr("Server state icon"), tr("Green when running, red when failed"));
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setAccessible(m_state, tr("Server state"), tr("Whether the local registry server runs, and where"));
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setAccessible(m_reason, tr("Failure reason"), tr("Why the local registry server stopped"));
    m_lastLines->setReadOnly(true);
    m_lastLines->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_lastLines->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_lastLines->setMaximumHeight(m_lastLines->fontMetrics().lineSpacing() * 10);
    setAccessible(m_lastLines, tr("Last server lines"),
                  tr("The last lines the server wrote before it stopped"));

    m_startAction->setToolTip(tr("Start the local registry server"));
    m_stopAction->setToolTip(tr("Stop the local registry server"));
    m_restartAction->setToolTip(tr("Stop the local registry server and start it again"));
    connect(m_startAction, &QAction::triggered, m_supervisor, &app::ServerSupervisor::start);
    connect(m_stopAction, &QAction::triggered, m_supervisor, &app::ServerSupervisor::stop);
    connect(m_restartAction, &QAction::triggered, m_supervisor, &app::ServerSupervisor::restart);

    auto* stateRow = new QHBoxLayout;
    stateRow->addWidget(m_icon, 0, Qt::AlignTop);
    stateRow->addWidget(m_state, 1);
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    const struct
    {
        QAction* action;
        QString name;
    } tools[] = {{m_startAction, tr("Start server")},
                 {m_stopAction, tr("Stop server")},
                 {m_restartAction, tr("Restart server")}};
    for (const auto& [action, name] : tools)
        buttons->addWidget(actionButton(action, name, Qt::ToolButtonIconOnly, this));
    buttons->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(heading);
    layout->addLayout(stateRow);
    layout->addWidget(m_reason);
    layout->addWidget(m_lastLines);
    layout->addLayout(buttons);

    connect(m_supervisor, &app::ServerSupervisor::stateChanged, this, &ServerStatusWidget::update);
    update();
}

QList<QAction*> ServerStatusWidget::serverActions() const
{
    return {m_startAction, m_stopAction, m_restartAction};
}

QString ServerStatusWidget::stateText() const
{
    return m_state->text();
}

void ServerStatusWidget::update()
{
    const State state = m_supervisor->state();
    m_icon->setPixmap(ServerStateDisplay::icon(state).pixmap(16, 16));
    switch (state) {
    case State::Running:
        m_state->setText(tr("Running at %1").arg(m_supervisor->address()));
        break;
    case State::Crashed:
        m_state->setText(tr("Crashed; restarting shortly"));
        break;
    default:
        m_state->setText(ServerStateDisplay::name(state));
        break;
    }
    const bool failed = state == State::Crashed || state == State::Failed;
    m_reason->setText(failed ? m_supervisor->failureReason() : QString());
    m_reason->setVisible(failed && !m_reason->text().isEmpty());
    const QStringList lines = m_supervisor->recentLogLines();
    QStringList summaries;
    if (failed) {
        for (const QString& line : lines.mid(std::max<qsizetype>(0, lines.size() - shownLogLines)))
            summaries.append(parseLogLine(line.toUtf8(), QDateTime::currentDateTimeUtc()).summary());
    }
    m_lastLines->setPlainText(summaries.join(u'\n'));
    m_lastLines->moveCursor(QTextCursor::End);
    m_lastLines->setVisible(!summaries.isEmpty());

    m_startAction->setEnabled(state == State::Stopped || state == State::Crashed || state == State::Failed);
    m_stopAction->setEnabled(state == State::Starting || state == State::Running || state == State::Crashed);
    m_restartAction->setEnabled(state != State::Stopped);

    // The name stays "Server state" for whoever looks for it; the description says which,
    // and changing it tells screen readers.
    m_state->setAccessibleDescription(m_state->text());
}

} // namespace berth::ui
