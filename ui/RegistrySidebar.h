#pragma once
// The sidebar: the list of registries (the local one first) with add, edit and remove.
// Tells the main window which registry is selected; keeps the selection on the same
// registry when the list changes.

#include <QList>
#include <QString>
#include <QWidget>

class QAction;
class QListView;

namespace berth::ui {

class RegistryListModel;

class RegistrySidebar : public QWidget
{
    Q_OBJECT

public:
    // model: not owned; must outlive the sidebar.
    explicit RegistrySidebar(RegistryListModel* model, QWidget* parent = nullptr);

    // The selected row, or -1.
    int currentRow() const;
    void setCurrentRow(int row);
    // Moves the keyboard focus to the list.
    void focusList();

    // Add (Ctrl+N), edit and remove (for the user's registries): for the main window's menu.
    QList<QAction*> sidebarActions() const;

Q_SIGNALS:
    // Another registry was selected (not emitted when the list changes around the same one).
    void currentRegistryChanged(int row);
    void addRequested();
    void editRequested(int row);
    void removeRequested(int row);

private:
    void buildActions();
    void selectionChanged();
    void restoreSelection();
    void updateActions();
    QString registryKey(int row) const;

    RegistryListModel* m_model;
    QListView* m_list;
    QAction* m_addAction = nullptr;
    QAction* m_editAction = nullptr;
    QAction* m_removeAction = nullptr;
    QString m_currentKey; // which registry is selected, across resets of the list
};

} // namespace berth::ui
