#include "ui/ImageStorageModel.h"

#include "ui/DisplayText.h"
#include "ui/ItemRoles.h"

using namespace Qt::StringLiterals;

namespace berth::ui {

ImageStorageModel::ImageStorageModel(QObject* parent) : QAbstractTableModel(parent) {}

void ImageStorageModel::setImages(const QString& repository, const QList<app::ImageStorage>& images)
{
    beginResetModel();
    m_repository = repository;
    m_images = images;
    endResetModel();
}

void ImageStorageModel::clear()
{
    setImages({}, {});
}

QString ImageStorageModel::reference(const app::ImageStorage& image)
{
    return image.tags.isEmpty() ? image.digest : image.tags.first();
}

QString ImageStorageModel::label(const QString& repository, const app::ImageStorage& image)
{
    if (image.tags.isEmpty())
        return repository + u'@' + DisplayText::shortDigest(image.digest);
    return repository + u':' + image.tags.first();
}

QString ImageStorageModel::names(const app::ImageStorage& image)
{
    return image.tags.isEmpty() ? DisplayText::shortDigest(image.digest) : image.tags.join(u", "_s);
}

int ImageStorageModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_images.size());
}

int ImageStorageModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImageStorageModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const app::ImageStorage& image = m_images.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(image, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Tags && image.tags.size() > 1)
            return image.tags.join(u", "_s);
        if (index.column() == Digest)
            return image.digest;
        if (index.column() == UniqueBytes)
            return tr("%1 only this image holds: deleting it would free that")
                .arg(DisplayText::size(image.uniqueBytes));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Bytes || index.column() == UniqueBytes || index.column() == SharedBytes)
            return numberAlignment();
        return {};
    case RawValueRole:
        return rawData(image, index.column());
    case DigestRole:
        return image.digest;
    case SizeRole:
        return image.bytes;
    default:
        return {};
    }
}

QVariant ImageStorageModel::displayData(const app::ImageStorage& image, int column) const
{
    switch (column) {
    case Tags:
        return image.tags.isEmpty() ? tr("(untagged)") : image.tags.join(u", "_s);
    case Digest:
        return DisplayText::shortDigest(image.digest);
    case Kind:
        return DisplayText::mediaType(image.mediaType);
    case Bytes:
    case UniqueBytes:
    case SharedBytes:
        return DisplayText::size(rawData(image, column).toLongLong());
    case Pushed:
        return DisplayText::time(image.pushed);
    default:
        return {};
    }
}

QVariant ImageStorageModel::rawData(const app::ImageStorage& image, int column) const
{
    switch (column) {
    case Tags:
        return image.tags.join(u", "_s);
    case Digest:
        return image.digest;
    case Kind:
        return image.mediaType;
    case Bytes:
        return image.bytes;
    case UniqueBytes:
        return image.uniqueBytes;
    case SharedBytes:
        return image.sharedBytes();
    case Pushed:
        return image.pushed;
    default:
        return {};
    }
}

QVariant ImageStorageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Tags:
        return tr("Tags");
    case Digest:
        return tr("Digest");
    case Kind:
        return tr("Kind");
    case Bytes:
        return tr("Size");
    case UniqueBytes:
        return tr("Unique");
    case SharedBytes:
        return tr("Shared");
    case Pushed:
        return tr("Pushed");
    default:
        return {};
    }
}

} // namespace berth::ui
