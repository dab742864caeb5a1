#include "ui/RepositoryTreemap.h"

#include "ui/Accessibility.h"
#include "ui/DisplayText.h"
#include "ui/RepositoryStorageModel.h"
#include "ui/TreemapLayout.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace berth::ui {

namespace {

constexpr qreal tileGap = 1.5;
constexpr int minimumTextWidth = 28;

// One colour per namespace, the same on every run.
QColor namespaceColor(const QString& repository)
{
    const QString space = repository.section(u'/', 0, 0);
    const int hue = static_cast<int>(qHash(space, 0) % 360);
    return QColor::fromHsv(hue, 70, 225);
}

} // namespace

RepositoryTreemap::RepositoryTreemap(QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessible(this, tr("Repository treemap"),
                  tr("Each repository as a tile sized by its storage. Arrow keys move between tiles; Enter "
                     "opens the repository in the browser."));
}

void RepositoryTreemap::setModel(RepositoryStorageModel* model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &RepositoryTreemap::relayout);
        connect(model, &QAbstractItemModel::rowsInserted, this, &RepositoryTreemap::relayout);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &RepositoryTreemap::relayout);
        connect(model, &QAbstractItemModel::dataChanged, this, &RepositoryTreemap::relayout);
    }
    relayout();
}

void RepositoryTreemap::setCurrentTile(int tile)
{
    const int current = m_tiles.isEmpty() ? -1 : std::clamp(tile, 0, static_cast<int>(m_tiles.size()) - 1);
    if (current == m_current)
        return;
    m_current = current;
    updateAccessibleDescription();
    update();
}

QSize RepositoryTreemap::sizeHint() const
{
    return {480, 300};
}

QSize RepositoryTreemap::minimumSizeHint() const
{
    return {160, 100};
}

void RepositoryTreemap::relayout()
{
    const QString currentName = m_current >= 0 ? m_tiles.at(m_current).name : QString();
    m_tiles.clear();
    if (m_model) {
        for (const app::RepositoryStorage& repository : m_model->repositories())
            if (repository.logicalBytes > 0)
                m_tiles.append({repository.name, repository.logicalBytes, {}});
    }
    std::sort(m_tiles.begin(), m_tiles.end(), [](const Tile& a, const Tile& b) {
        return a.bytes != b.bytes ? a.bytes > b.bytes : a.name < b.name;
    });
    QList<qreal> weights;
    for (const Tile& tile : m_tiles)
        weights.append(static_cast<qreal>(tile.bytes));
    const QList<QRectF> rects = squarifiedLayout(weights, QRectF(rect()));
    for (qsizetype i = 0; i < m_tiles.size(); ++i)
        m_tiles[i].rect = rects.at(i);

    const auto found = std::find_if(m_tiles.cbegin(), m_tiles.cend(),
                                    [&currentName](const Tile& tile) { return tile.name == currentName; });
    m_current =
        found != m_tiles.cend() ? static_cast<int>(found - m_tiles.cbegin()) : (m_tiles.isEmpty() ? -1 : 0);
    m_hovered = -1;
    updateAccessibleDescription();
    update();
}

int RepositoryTreemap::tileAt(const QPointF& position) const
{
    for (qsizetype i = 0; i < m_tiles.size(); ++i)
        if (m_tiles.at(i).rect.contains(position))
            return static_cast<int>(i);
    return -1;
}

QString RepositoryTreemap::describe(const Tile& tile) const
{
    return tr("%1: %2").arg(tile.name, DisplayText::size(tile.bytes));
}

void RepositoryTreemap::updateAccessibleDescription()
{
    QString description = tr("Each repository as a tile sized by its storage. Arrow keys move between tiles; "
                             "Enter opens the repository in the browser.");
    if (m_current >= 0)
        description = tr("Selected %1. %2").arg(describe(m_tiles.at(m_current)), description);
    setAccessibleDescription(description);
}

bool RepositoryTreemap::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int tile = tileAt(help->pos());
        if (tile >= 0)
            QToolTip::showText(help->globalPos(),
                               tr("%1\nClick to open it in the browser").arg(describe(m_tiles.at(tile))),
                               this, m_tiles.at(tile).rect.toAlignedRect());
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void RepositoryTreemap::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    if (m_tiles.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("No repository stores anything yet."));
        return;
    }
    const QFontMetrics metrics = fontMetrics();
    for (qsizetype i = 0; i < m_tiles.size(); ++i) {
        const Tile& tile = m_tiles.at(i);
        const QRectF area = tile.rect.adjusted(tileGap, tileGap, -tileGap, -tileGap);
        if (area.width() <= 0 || area.height() <= 0)
            continue;
        QColor fill = namespaceColor(tile.name);
        if (i == m_hovered)
            fill = fill.lighter(108);
        painter.fillRect(area, fill);
        if (i == m_current && hasFocus()) {
            painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
            painter.drawRect(area.adjusted(1.5, 1.5, -1.5, -1.5));
        }
        const QRect text = area.toRect().adjusted(4, 2, -4, -2);
        if (text.width() < minimumTextWidth || text.height() < metrics.height())
            continue;
        painter.setPen(Qt::black); // the tiles are light whatever the palette
        QString label = metrics.elidedText(tile.name, Qt::ElideMiddle, text.width());
        if (text.height() >= 2 * metrics.height())
            label += u'\n' + DisplayText::size(tile.bytes);
        painter.drawText(text, Qt::AlignLeft | Qt::AlignTop, label);
    }
}

void RepositoryTreemap::focusInEvent(QFocusEvent* event)
{
    update(); // the current tile's frame shows while the treemap has the focus
    QWidget::focusInEvent(event);
}

void RepositoryTreemap::focusOutEvent(QFocusEvent* event)
{
    update();
    QWidget::focusOutEvent(event);
}

void RepositoryTreemap::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void RepositoryTreemap::mouseMoveEvent(QMouseEvent* event)
{
    const int hovered = tileAt(event->position());
    if (hovered != m_hovered) {
        m_hovered = hovered;
        setCursor(hovered >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void RepositoryTreemap::mouseReleaseEvent(QMouseEvent* event)
{
    const int tile = tileAt(event->position());
    if (event->button() == Qt::LeftButton && tile >= 0) {
        setCurrentTile(tile);
        Q_EMIT repositoryActivated(m_tiles.at(tile).name);
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void RepositoryTreemap::leaveEvent(QEvent* event)
{
    m_hovered = -1;
    update();
    QWidget::leaveEvent(event);
}

void RepositoryTreemap::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_Down:
        setCurrentTile(m_current + 1);
        return;
    case Qt::Key_Left:
    case Qt::Key_Up:
        setCurrentTile(m_current - 1);
        return;
    case Qt::Key_Home:
        setCurrentTile(0);
        return;
    case Qt::Key_End:
        setCurrentTile(static_cast<int>(m_tiles.size()) - 1);
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (m_current >= 0) {
            Q_EMIT repositoryActivated(m_tiles.at(m_current).name);
            return;
        }
        break;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

} // namespace berth::ui
