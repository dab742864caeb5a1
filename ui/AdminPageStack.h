#pragma once
// The body of a page that needs berthd's admin API (Storage, Retention): the page's content,
// or in its place a notice saying why there is none when the registry shown has no admin
// API.

#include <QStackedWidget>

class QLabel;

namespace berth::ui {

class AdminPageStack : public QStackedWidget
{
    Q_OBJECT

public:
    // `content` becomes a child of the stack. `notice` says why there is nothing to show;
    // `noticeName` is its accessible name.
    AdminPageStack(QWidget* content, const QString& noticeName, const QString& notice,
                   QWidget* parent = nullptr);

    // Shows the content when the registry has an admin API, the notice otherwise.
    void setAvailable(bool available);
    bool isAvailable() const { return currentWidget() == m_content; }

private:
    QWidget* m_content;
    QLabel* m_notice;
};

} // namespace berth::ui
