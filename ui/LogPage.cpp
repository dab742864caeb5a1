#include "ui/LogPage.h"

#include "ui/Accessibility.h"
#include "ui/ActionButton.h"
#include "ui/LogFilterModel.h"
#include "ui/LogModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSaveFile>
#include <QScrollBar>
#include <QStyle>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace berth::ui {

LogPage::LogPage(LogModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_filter(new LogFilterModel(model, this))
{
    setAccessible(this, tr("Logs"), tr("The local registry server's log lines as they arrive"));
    buildActions();
    buildLayout();
    connectView();
    updateCount();
    updateActions();
}

void LogPage::buildActions()
{
    const auto makeAction = [this](const QString& text, const QKeySequence& shortcut,
                                   QStyle::StandardPixmap icon) {
        auto* action = new QAction(style()->standardIcon(icon), text, this);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
        return action;
    };
    m_filterAction = makeAction(tr("&Filter Logs"), QKeySequence::Find, QStyle::SP_FileDialogContentsView);
    m_followAction = makeAction(tr("F&ollow New Lines"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
                                QStyle::SP_ArrowDown);
    m_followAction->setCheckable(true);
    m_followAction->setChecked(true);
    m_followAction->setToolTip(tr("Keep the newest line in view; scrolling up pauses"));
    m_copyAction = makeAction(tr("&Copy Lines"), QKeySequence::Copy, QStyle::SP_FileIcon);
    m_copyAction->setToolTip(tr("Copy the selected lines as berthd wrote them"));
    m_saveAction = makeAction(tr("&Save Logs…"), QKeySequence::Save, QStyle::SP_DialogSaveButton);
    m_saveAction->setToolTip(tr("Save the lines shown to a file"));
    m_clearAction = makeAction(tr("C&lear Logs"), {}, QStyle::SP_DialogResetButton);
    m_clearAction->setToolTip(tr("Forget the lines received so far"));

    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_text->setFocus(Qt::ShortcutFocusReason);
        m_text->selectAll();
    });
    connect(m_followAction, &QAction::toggled, this, [this](bool following) {
        if (following)
            m_view->scrollToBottom();
    });
    connect(m_copyAction, &QAction::triggered, this, &LogPage::copySelection);
    connect(m_saveAction, &QAction::triggered, this, &LogPage::saveWithDialog);
    connect(m_clearAction, &QAction::triggered, m_model, &LogModel::clear);
}

void LogPage::buildLayout()
{
    m_level = new QComboBox(this);
    m_level->addItem(tr("All levels"), static_cast<int>(LogLevel::Debug));
    m_level->addItem(tr("Info and above"), static_cast<int>(LogLevel::Info));
    m_level->addItem(tr("Warnings and errors"), static_cast<int>(LogLevel::Warn));
    m_level->addItem(tr("Errors only"), static_cast<int>(LogLevel::Error));
    setAccessible(m_level, tr("Log level"), tr("Show only lines of this level or more severe"));
    connect(m_level, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setMinimumLevel(static_cast<LogLevel>(m_level->currentData().toInt())); });

    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Filter by text (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    setAccessible(m_text, tr("Log filter"), tr("Show only lines containing this text in any column"));
    // Filtering a full ring takes a moment: wait until the typing pauses.
    auto* typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(250);
    connect(m_text, &QLineEdit::textChanged, typing, qOverload<>(&QTimer::start));
    connect(typing, &QTimer::timeout, this, [this] { m_filter->setText(m_text->text()); });

    m_count = new QLabel(this);
    setAccessible(m_count, tr("Line count"), tr("How many lines are shown and received"));

    auto* tools = new QHBoxLayout;
    auto* levelLabel = new QLabel(tr("&Level:"), this);
    levelLabel->setBuddy(m_level);
    tools->addWidget(levelLabel);
    tools->addWidget(m_level);
    tools->addWidget(m_text, 1);
    const struct
    {
        QAction* action;
        QString name;
    } buttons[] = {{m_followAction, tr("Follow new lines")},
                   {m_copyAction, tr("Copy lines")},
                   {m_saveAction, tr("Save logs")},
                   {m_clearAction, tr("Clear logs")}};
    for (const auto& [action, name] : buttons)
        tools->addWidget(actionButton(action, name, Qt::ToolButtonTextBesideIcon, this));
    tools->addWidget(m_count);

    m_view = new QTreeView(this);
    m_view->setModel(m_filter);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setTextElideMode(Qt::ElideMiddle); // paths and digests keep both ends
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({m_copyAction, m_saveAction, m_followAction});
    setAccessible(m_view, tr("Log lines"), tr("berthd's log lines, oldest first"));
    const int widths[LogModel::ColumnCount] = {90, 45, 130, 60, 280, 50, 80, 110, 300};
    for (int column = 0; column < LogModel::ColumnCount; ++column)
        m_view->setColumnWidth(column, widths[column]);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(m_view, 1);
}

void LogPage::connectView()
{
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (isFollowing())
            m_view->scrollToBottom();
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &LogPage::updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &LogPage::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &LogPage::updateCount);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LogPage::updateActions);
    // Scrolling away from the newest line pauses following; scrolling back resumes it.
    auto* bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::actionTriggered, this,
            [this, bar] { setFollowing(bar->sliderPosition() >= bar->maximum()); });
}

QList<QAction*> LogPage::pageActions() const
{
    return {m_filterAction, m_followAction, m_copyAction, m_saveAction, m_clearAction};
}

bool LogPage::isFollowing() const
{
    return m_followAction->isChecked();
}

void LogPage::setFollowing(bool following)
{
    m_followAction->setChecked(following);
}

QList<QByteArray> LogPage::shownLines() const
{
    QList<QByteArray> lines;
    lines.reserve(m_filter->rowCount());
    for (int row = 0; row < m_filter->rowCount(); ++row)
        lines.append(m_filter->index(row, 0).data(LogModel::RawLineRole).toByteArray());
    return lines;
}

void LogPage::copySelection()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    QByteArray text;
    for (const auto& index : rows)
        text += index.data(LogModel::RawLineRole).toByteArray() + '\n';
    QApplication::clipboard()->setText(QString::fromUtf8(text));
    Q_EMIT statusMessage(tr("Lines copied: %1").arg(rows.size()));
}

QString LogPage::saveTo(const QString& path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    for (const auto& line : shownLines()) {
        file.write(line);
        file.write("\n", 1);
    }
    if (!file.commit())
        return file.errorString();
    return {};
}

void LogPage::saveWithDialog()
{
    const QString suggested =
        QStringLiteral("berthd-%1.log")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Logs"), suggested,
                                                      tr("Log files (*.log *.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString error = saveTo(path);
    if (error.isEmpty())
        Q_EMIT statusMessage(tr("Logs saved to %1 (lines: %2)").arg(path).arg(m_filter->rowCount()));
    else
        Q_EMIT statusMessage(tr("Could not save the logs to %1: %2").arg(path, error));
}

void LogPage::updateCount()
{
    const int shown = m_filter->rowCount();
    const int total = m_model->rowCount();
    const QLocale locale;
    m_count->setText(shown == total
                         ? tr("Lines: %1").arg(locale.toString(total))
                         : tr("Lines: %1 of %2").arg(locale.toString(shown), locale.toString(total)));
    m_saveAction->setEnabled(shown > 0);
}

void LogPage::updateActions()
{
    m_copyAction->setEnabled(m_view->selectionModel()->hasSelection());
}

} // namespace berth::ui
