#include "ui/InlineMessage.h"

#include "ui/Accessibility.h"

#include <QAccessible>
#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QStyle>
#include <QToolButton>

namespace berth::ui {

namespace {

constexpr int iconSize = 22;

QColor blend(const QColor& base, const QColor& tint, float amount)
{
    return QColor::fromRgbF(base.redF() + (tint.redF() - base.redF()) * amount,
                            base.greenF() + (tint.greenF() - base.greenF()) * amount,
                            base.blueF() + (tint.blueF() - base.blueF()) * amount);
}

} // namespace

InlineMessage::InlineMessage(QWidget* parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_buttons(new QHBoxLayout),
      m_close(new QToolButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setAccessible(this, tr("Message"), {}); // the description is the message itself

    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setAccessible(m_text, tr("Message text"), tr("What happened, and what can be done"));

    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close this message"));
    setAccessible(m_close, tr("Close message"), tr("Hides this message"));
    connect(m_close, &QToolButton::clicked, this, &InlineMessage::clearMessage);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 4, 4);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_buttons);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

void InlineMessage::showMessage(Kind kind, const QString& text, const QList<QAction*>& actions)
{
    m_kind = kind;
    m_text->setText(text);
    setAccessibleDescription(text);
    qDeleteAll(m_actionButtons);
    m_actionButtons.clear();
    for (QAction* action : actions) {
        auto* button = new QToolButton(this);
        button->setText(action->text());
        button->setToolTip(action->toolTip());
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        setAccessible(button, action->text().remove(u'&'), action->toolTip());
        // Closed first, so that the action may show a message of its own.
        connect(button, &QToolButton::clicked, this, [this, guarded = QPointer<QAction>(action)] {
            clearMessage();
            if (guarded)
                guarded->trigger();
        });
        m_buttons->addWidget(button);
        m_actionButtons.append(button);
    }
    applyKind();
    show();
    QAccessibleEvent alert(this, QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
}

void InlineMessage::clearMessage()
{
    hide();
    m_text->clear();
    setAccessibleDescription({});
    // Deleted later: this may run from one of the buttons' own clicked().
    for (QToolButton* button : std::as_const(m_actionButtons))
        button->deleteLater();
    m_actionButtons.clear();
}

QString InlineMessage::text() const
{
    return isHidden() ? QString() : m_text->text();
}

void InlineMessage::applyKind()
{
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QColor tint = palette().color(QPalette::Highlight);
    switch (m_kind) {
    case Kind::Information:
        break;
    case Kind::Warning:
        icon = QStyle::SP_MessageBoxWarning;
        tint = QColor(0xf6, 0xb0, 0x1e);
        break;
    case Kind::Error:
        icon = QStyle::SP_MessageBoxCritical;
        tint = QColor(0xda, 0x44, 0x53);
        break;
    }
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(iconSize, iconSize));
    QPalette tinted = palette();
    tinted.setColor(QPalette::Window, blend(parentWidget() ? parentWidget()->palette().color(QPalette::Window)
                                                           : tinted.color(QPalette::Window),
                                            tint, 0.2F));
    setPalette(tinted);
}

} // namespace berth::ui
