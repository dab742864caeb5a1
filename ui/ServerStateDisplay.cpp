#include "ui/ServerStateDisplay.h"

#include <QColor>
#include <QPainter>
#include <QPixmap>

namespace berth::ui {

using State = app::ServerSupervisor::State;

QString ServerStateDisplay::name(State state)
{
    switch (state) {
    case State::Stopped:
        return tr("Stopped");
    case State::Starting:
        return tr("Starting");
    case State::Running:
        return tr("Running");
    case State::Crashed:
        return tr("Crashed");
    case State::Failed:
        return tr("Failed");
    }
    return {};
}

QIcon ServerStateDisplay::icon(State state)
{
    QColor color;
    switch (state) {
    case State::Stopped:
        color = QColor(0x75, 0x75, 0x75);
        break;
    case State::Starting:
        color = QColor(0xf9, 0xa8, 0x25);
        break;
    case State::Running:
        color = QColor(0x2e, 0x7d, 0x32);
        break;
    case State::Crashed:
        color = QColor(0xef, 0x6c, 0x00);
        break;
    case State::Failed:
        color = QColor(0xc6, 0x28, 0x28);
        break;
    }
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap dot(size, size);
        dot.fill(Qt::transparent);
        QPainter painter(&dot);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        const qreal margin = size / 4.0;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        icon.addPixmap(dot);
    }
    return icon;
}

} // namespace berth::ui
