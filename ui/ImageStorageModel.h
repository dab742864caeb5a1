#pragma once
// Images and the bytes they hold, one row each in the server's order (largest first): tags,
// digest, kind, bytes, unique bytes (what deleting the image would free) and shared bytes,
// when it was pushed. Holds the images of the repository the treemap shows; a new list
// resets the rows, since it is another repository's as often as not.

#include "app/AdminTypes.h"

#include <QAbstractTableModel>
#include <QList>

namespace berth::ui {

class ImageStorageModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Tags,
        Digest,
        Kind,
        Bytes,
        UniqueBytes,
        SharedBytes,
        Pushed,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit ImageStorageModel(QObject* parent = nullptr);

    // The images of `repository`; their own `repository` fields may be empty.
    void setImages(const QString& repository, const QList<app::ImageStorage>& images);
    void clear();
    QString repository() const { return m_repository; }
    const QList<app::ImageStorage>& images() const { return m_images; }

    // What the browser selects for `image`: its first tag, or its digest when untagged.
    static QString reference(const app::ImageStorage& image);
    // "team/app:v1" (its first tag), "team/app@sha256:0123456789ab" when untagged.
    static QString label(const QString& repository, const app::ImageStorage& image);
    // Every tag ("v1, latest"), or the short digest when untagged.
    static QString names(const app::ImageStorage& image);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const app::ImageStorage& image, int column) const;
    QVariant rawData(const app::ImageStorage& image, int column) const;

    QString m_repository;
    QList<app::ImageStorage> m_images;
};

} // namespace berth::ui
