#pragma once
// A treemap of repositories and their images. At the top, one tile per repository, its area
// its logical size, coloured by namespace (the part of the name before the first '/') so a
// team's repositories read as one colour; a click, Enter or Space on a tile shows that
// repository's images as tiles sized by their bytes (or, when the server does not count
// images, opens the repository). Inside a repository, a tile opens its image in the browser;
// Backspace or Escape goes back up. The arrow keys, Home and End move between tiles,
// largest first. Tooltips give each tile's sizes.

#include <QList>
#include <QPointer>
#include <QRectF>
#include <QWidget>

namespace berth::ui {

class ImageStorageModel;
class RepositoryStorageModel;

class RepositoryTreemap : public QWidget
{
    Q_OBJECT

public:
    explicit RepositoryTreemap(QWidget* parent = nullptr);

    // The repositories to show; not owned. The treemap follows the model's changes.
    void setModel(RepositoryStorageModel* model);
    // The images of the repository shown (its tiles once the model holds that repository's
    // images); not owned.
    void setImageModel(ImageStorageModel* model);
    // Whether a repository's tile shows its images (else it opens the repository).
    void setDrillDown(bool enabled);
    bool drillDown() const { return m_drillDown; }

    // The repository whose images are shown; empty while the repositories are.
    QString shownRepository() const { return m_shownRepository; }
    void showImagesOf(const QString& repository);
    void showRepositories();
    // Said where there are no tiles to show ("Reading the images…", what went wrong); empty:
    // the treemap's own words for nothing stored.
    void setPlaceholderText(const QString& text);

    // The tiles as laid out now, largest first.
    struct Tile
    {
        QString name;      // the repository, or the image's label
        QString reference; // an image's first tag, or its digest; empty for a repository
        QString digest;    // an image's
        qint64 bytes = 0;
        qint64 uniqueBytes = 0;
        QRectF rect;
    };
    const QList<Tile>& tiles() const { return m_tiles; }
    // The tile with the keyboard focus, -1 when there is none.
    int currentTile() const { return m_current; }
    void setCurrentTile(int tile);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // Open this repository in the browser.
    void repositoryActivated(const QString& name);
    // Open this image in the browser: `reference` is a tag, or the digest when untagged.
    void imageActivated(const QString& repository, const QString& reference);
    // The treemap went into a repository (its name) or back to all of them (empty).
    void shownRepositoryChanged(const QString& repository);

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
    QList<Tile> currentTiles() const;
    void activate(int tile);
    int tileAt(const QPointF& position) const;
    QString describe(const Tile& tile) const;
    QString usage() const;
    QColor fillOf(const Tile& tile) const;
    void updateAccessibleDescription();

    QPointer<RepositoryStorageModel> m_model;
    QPointer<ImageStorageModel> m_imageModel;
    bool m_drillDown = false;
    QString m_shownRepository;
    QString m_placeholder;
    QList<Tile> m_tiles;
    int m_current = -1;
    int m_hovered = -1;
};

} // namespace berth::ui
