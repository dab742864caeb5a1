#pragma once
// A message shown inside a page, next to what it is about, instead of a modal box: a
// listing that failed, a deletion the registry refused. It can offer buttons for what to
// do next (retry, delete the manifest instead) and is announced to screen readers.

#include <QFrame>
#include <QList>

class QAction;
class QHBoxLayout;
class QLabel;
class QToolButton;

namespace berth::ui {

class InlineMessage : public QFrame
{
    Q_OBJECT

public:
    enum class Kind
    {
        Information,
        Warning,
        Error
    };

    explicit InlineMessage(QWidget* parent = nullptr);

    // Shows `text` with a button for each action (the message stays until closed or
    // replaced; triggering an action closes it).
    void showMessage(Kind kind, const QString& text, const QList<QAction*>& actions = {});
    void clearMessage();
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    void applyKind();

    Kind m_kind = Kind::Information;
    QLabel* m_icon;
    QLabel* m_text;
    QHBoxLayout* m_buttons;
    QList<QToolButton*> m_actionButtons;
    QToolButton* m_close;
};

} // namespace berth::ui
