#include "ui/AdminPageStack.h"

#include "ui/Accessibility.h"

#include <QLabel>

namespace berth::ui {

AdminPageStack::AdminPageStack(QWidget* content, const QString& noticeName, const QString& notice,
                               QWidget* parent)
    : QStackedWidget(parent), m_content(content), m_notice(new QLabel(notice, this))
{
    m_notice->setAlignment(Qt::AlignCenter);
    m_notice->setWordWrap(true);
    m_notice->setMargin(24);
    setAccessible(m_notice, noticeName, tr("Why this page has nothing to show"));
    addWidget(m_notice);
    addWidget(content);
    setAvailable(false);
}

void AdminPageStack::setAvailable(bool available)
{
    setCurrentWidget(available ? m_content : m_notice);
}

} // namespace berth::ui
