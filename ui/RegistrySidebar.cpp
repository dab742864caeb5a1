#include "ui/RegistrySidebar.h"

#include "ui/Accessibility.h"
#include "ui/ActionButton.h"
#include "ui/RegistryListModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QStyle>
#include <QVBoxLayout>

namespace berth::ui {

RegistrySidebar::RegistrySidebar(RegistryListModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_list(new QListView(this))
{
    setAccessible(this, tr("Registries pane"),
                  tr("The registries the console knows, and buttons to manage them"));
    buildActions();

    auto* heading = new QLabel(tr("Reg&istries"), this); // Alt+R is the Registry menu
    heading->setBuddy(m_list);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);

    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_list->setUniformItemSizes(true);
    setAccessible(m_list, tr("Registries"),
                  tr("Select a registry to browse it; the local registry comes first"));

    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    // Add says what it does; edit and remove are icons with tooltips, to keep the sidebar narrow.
    const struct
    {
        QAction* action;
        QString name;
        Qt::ToolButtonStyle style;
    } tools[] = {{m_addAction, tr("Add registry"), Qt::ToolButtonTextBesideIcon},
                 {m_editAction, tr("Edit registry"), Qt::ToolButtonIconOnly},
                 {m_removeAction, tr("Remove registry"), Qt::ToolButtonIconOnly}};
    for (const auto& [action, name, buttonStyle] : tools)
        buttons->addWidget(actionButton(action, name, buttonStyle, this));
    buttons->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(heading);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);

    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RegistrySidebar::selectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RegistrySidebar::restoreSelection);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RegistrySidebar::updateActions);
    setCurrentRow(RegistryListModel::localRow);
    updateActions();
}

void RegistrySidebar::buildActions()
{
    m_addAction =
        new QAction(style()->standardIcon(QStyle::SP_FileDialogNewFolder), tr("&Add Registry…"), this);
    m_addAction->setShortcut(QKeySequence::New);
    m_addAction->setToolTip(tr("Add a registry by its URL (Ctrl+N)"));
    m_editAction =
        new QAction(style()->standardIcon(QStyle::SP_FileDialogDetailedView), tr("&Edit Registry…"), this);
    m_editAction->setShortcut(Qt::Key_F2);
    m_editAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_editAction->setToolTip(tr("Change the selected registry's name, URL or credentials (F2)"));
    m_removeAction = new QAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("Re&move Registry"), this);
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_removeAction->setToolTip(
        tr("Remove the selected registry from the list, with its saved credentials (Del)"));
    // F2 and Del act on the list only: elsewhere they belong to the page with the focus.
    // The list also offers the three in its context menu.
    m_list->addActions({m_addAction, m_editAction, m_removeAction});

    connect(m_addAction, &QAction::triggered, this, &RegistrySidebar::addRequested);
    connect(m_editAction, &QAction::triggered, this, [this] { Q_EMIT editRequested(currentRow()); });
    connect(m_removeAction, &QAction::triggered, this, [this] { Q_EMIT removeRequested(currentRow()); });
}

int RegistrySidebar::currentRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void RegistrySidebar::setCurrentRow(int row)
{
    m_list->setCurrentIndex(m_model->index(row, 0));
}

void RegistrySidebar::focusList()
{
    m_list->setFocus(Qt::ShortcutFocusReason);
}

QList<QAction*> RegistrySidebar::sidebarActions() const
{
    return {m_addAction, m_editAction, m_removeAction};
}

QString RegistrySidebar::registryKey(int row) const
{
    if (row < 0)
        return {};
    if (row == RegistryListModel::localRow)
        return QStringLiteral("local");
    return m_model->index(row, 0).data(RegistryListModel::UrlRole).toUrl().toString();
}

void RegistrySidebar::selectionChanged()
{
    updateActions();
    const QString key = registryKey(currentRow());
    if (key == m_currentKey)
        return;
    m_currentKey = key;
    Q_EMIT currentRegistryChanged(currentRow());
}

void RegistrySidebar::restoreSelection()
{
    int row = RegistryListModel::localRow;
    for (int candidate = 0; candidate < m_model->rowCount(); ++candidate) {
        if (registryKey(candidate) == m_currentKey)
            row = candidate;
    }
    setCurrentRow(row);
}

void RegistrySidebar::updateActions()
{
    const int row = currentRow();
    const bool userRegistry = row > RegistryListModel::localRow;
    m_editAction->setEnabled(userRegistry);
    m_removeAction->setEnabled(userRegistry);
}

} // namespace berth::ui
