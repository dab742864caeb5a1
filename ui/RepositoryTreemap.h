#pragma once
// A treemap of repositories: one tile per repository, its area its logical size, coloured
// by namespace (the part of the name before the first '/') so a team's repositories read
// as one colour. A click, Enter or Space on a tile opens that repository; the arrow keys,
// Home and End move between tiles, largest first.

#include <QList>
#include <QPointer>
#include <QRectF>
#include <QWidget>

namespace berth::ui {

class RepositoryStorageModel;

class RepositoryTreemap : public QWidget
{
    Q_OBJECT

public:
    explicit RepositoryTreemap(QWidget* parent = nullptr);

    // The repositories to show; not owned. The treemap follows the model's changes.
    void setModel(RepositoryStorageModel* model);

    // The tiles as laid out now, largest first: name and rectangle.
    struct Tile
    {
        QString name;
        qint64 bytes = 0;
        QRectF rect;
    };
    const QList<Tile>& tiles() const { return m_tiles; }
    // The tile with the keyboard focus, -1 when there is none.
    int currentTile() const { return m_current; }
    void setCurrentTile(int tile);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void repositoryActivated(const QString& name);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void relayout();
    int tileAt(const QPointF& position) const;
    QString describe(const Tile& tile) const;
    void updateAccessibleDescription();

    QPointer<RepositoryStorageModel> m_model;
    QList<Tile> m_tiles;
    int m_current = -1;
    int m_hovered = -1;
};

} // namespace berth::ui
