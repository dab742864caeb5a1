#include "ui/RepositoryTreemap.h"

#include "ui/Accessibility.h"
#include "ui/DisplayText.h"
#include "ui/ImageStorageModel.h"
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

// One colour per namespace, the same on every run; an image's from its digest.
QColor colorOf(const QString& key)
{
    const int hue = static_cast<int>(qHash(key, 0) % 360);
    return QColor::fromHsv(hue, 70, 225);
}

// What keeps the keyboard's place across a refresh.
QString keyOf(const RepositoryTreemap::Tile& tile)
{
    return tile.digest.isEmpty() ? tile.name : tile.digest;
}

} // namespace

RepositoryTreemap::RepositoryTreemap(QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessible(this, tr("Repository treemap"), usage());
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

void RepositoryTreemap::setImageModel(ImageStorageModel* model)
{
    if (m_imageModel)
        m_imageModel->disconnect(this);
    m_imageModel = model;
    if (model)
        connect(model, &QAbstractItemModel::modelReset, this, &RepositoryTreemap::relayout);
    relayout();
}

void RepositoryTreemap::setDrillDown(bool enabled)
{
    if (enabled == m_drillDown)
        return;
    m_drillDown = enabled;
    if (!enabled)
        showRepositories();
    updateAccessibleDescription();
}

void RepositoryTreemap::showImagesOf(const QString& repository)
{
    if (repository == m_shownRepository)
        return;
    m_shownRepository = repository;
    m_placeholder.clear();
    m_current = -1;
    relayout(); // `repository` may have been a tile's name
    Q_EMIT shownRepositoryChanged(m_shownRepository);
}

void RepositoryTreemap::showRepositories()
{
    if (m_shownRepository.isEmpty())
        return;
    const QString left = m_shownRepository;
    m_shownRepository.clear();
    m_placeholder.clear();
    relayout();
    // The keyboard comes back to the repository it went into.
    const auto found = std::find_if(m_tiles.cbegin(), m_tiles.cend(),
                                    [&left](const Tile& tile) { return tile.name == left; });
    if (found != m_tiles.cend())
        setCurrentTile(static_cast<int>(found - m_tiles.cbegin()));
    Q_EMIT shownRepositoryChanged({});
}

void RepositoryTreemap::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    update();
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

QList<RepositoryTreemap::Tile> RepositoryTreemap::currentTiles() const
{
    QList<Tile> tiles;
    if (m_shownRepository.isEmpty() && m_model) {
        for (const app::RepositoryStorage& repository : m_model->repositories())
            if (repository.logicalBytes > 0)
                tiles.append({repository.name, {}, {}, repository.logicalBytes, repository.uniqueBytes, {}});
    } else if (m_imageModel && m_imageModel->repository() == m_shownRepository) {
        for (const app::ImageStorage& image : m_imageModel->images())
            if (image.bytes > 0)
                tiles.append({ImageStorageModel::names(image),
                              ImageStorageModel::reference(image),
                              image.digest,
                              image.bytes,
                              image.uniqueBytes,
                              {}});
    }
    std::stable_sort(tiles.begin(), tiles.end(), [](const Tile& a, const Tile& b) {
        return a.bytes != b.bytes ? a.bytes > b.bytes : a.name < b.name;
    });
    return tiles;
}

void RepositoryTreemap::relayout()
{
    const QString currentKey = m_current >= 0 ? keyOf(m_tiles.at(m_current)) : QString();
    m_tiles = currentTiles();
    QList<qreal> weights;
    for (const Tile& tile : std::as_const(m_tiles))
        weights.append(static_cast<qreal>(tile.bytes));
    const QList<QRectF> rects = squarifiedLayout(weights, QRectF(rect()));
    for (qsizetype i = 0; i < m_tiles.size(); ++i)
        m_tiles[i].rect = rects.at(i);

    const auto found = std::find_if(m_tiles.cbegin(), m_tiles.cend(),
                                    [&currentKey](const Tile& tile) { return keyOf(tile) == currentKey; });
    m_current =
        found != m_tiles.cend() ? static_cast<int>(found - m_tiles.cbegin()) : (m_tiles.isEmpty() ? -1 : 0);
    m_hovered = -1;
    updateAccessibleDescription();
    update();
}

void RepositoryTreemap::activate(int tile)
{
    if (tile < 0 || tile >= m_tiles.size())
        return;
    setCurrentTile(tile);
    const Tile chosen = m_tiles.at(tile); // a copy: showing images lays out new tiles
    if (!m_shownRepository.isEmpty())
        Q_EMIT imageActivated(m_shownRepository, chosen.reference);
    else if (m_drillDown)
        showImagesOf(chosen.name);
    else
        Q_EMIT repositoryActivated(chosen.name);
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
    return tr("%1: %2 (%3 unique, %4 shared)")
        .arg(tile.name, DisplayText::size(tile.bytes), DisplayText::size(tile.uniqueBytes),
             DisplayText::size(tile.bytes - tile.uniqueBytes));
}

QString RepositoryTreemap::usage() const
{
    if (!m_shownRepository.isEmpty())
        return tr("The images of %1 as tiles sized by their storage. Arrow keys move between tiles; Enter "
                  "opens the image in the browser; Backspace goes back to all repositories.")
            .arg(m_shownRepository);
    if (m_drillDown)
        return tr("Each repository as a tile sized by its storage. Arrow keys move between tiles; Enter "
                  "shows the repository's images.");
    return tr("Each repository as a tile sized by its storage. Arrow keys move between tiles; Enter "
              "opens the repository in the browser.");
}

QColor RepositoryTreemap::fillOf(const Tile& tile) const
{
    return colorOf(tile.digest.isEmpty() ? tile.name.section(u'/', 0, 0) : tile.digest);
}

void RepositoryTreemap::updateAccessibleDescription()
{
    QString description = usage();
    if (m_current >= 0)
        description = tr("Selected %1. %2").arg(describe(m_tiles.at(m_current)), description);
    setAccessibleDescription(description);
}

bool RepositoryTreemap::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int tile = tileAt(help->pos());
        if (tile >= 0) {
            const Tile& shown = m_tiles.at(tile);
            const QString text =
                !m_shownRepository.isEmpty()
                    ? tr("%1\n%2\nClick to open it in the browser").arg(describe(shown), shown.digest)
                : m_drillDown ? tr("%1\nClick to see its images").arg(describe(shown))
                              : tr("%1\nClick to open it in the browser").arg(describe(shown));
            QToolTip::showText(help->globalPos(), text, this, shown.rect.toAlignedRect());
        } else
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
        const QString empty = !m_placeholder.isEmpty()      ? m_placeholder
                              : m_shownRepository.isEmpty() ? tr("No repository stores anything yet.")
                                                            : tr("No images in %1.").arg(m_shownRepository);
        painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, empty);
        return;
    }
    const QFontMetrics metrics = fontMetrics();
    for (qsizetype i = 0; i < m_tiles.size(); ++i) {
        const Tile& tile = m_tiles.at(i);
        const QRectF area = tile.rect.adjusted(tileGap, tileGap, -tileGap, -tileGap);
        if (area.width() <= 0 || area.height() <= 0)
            continue;
        QColor fill = fillOf(tile);
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
        activate(tile);
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
            activate(m_current);
            return;
        }
        break;
    case Qt::Key_Backspace:
    case Qt::Key_Escape:
        if (!m_shownRepository.isEmpty()) {
            showRepositories();
            return;
        }
        break;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

} // namespace berth::ui
