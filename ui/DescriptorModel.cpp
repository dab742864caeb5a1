#include "ui/DescriptorModel.h"

#include "ui/DisplayText.h"
#include "ui/ItemRoles.h"

using namespace Qt::StringLiterals;

namespace berth::ui {

namespace {

// Set by tools that build images and attach referrers (cosign, oras, buildx).
const QString createdAnnotation = u"org.opencontainers.image.created"_s;

QDateTime createdOf(const app::Descriptor& descriptor)
{
    return QDateTime::fromString(descriptor.annotations.value(createdAnnotation), Qt::ISODateWithMs);
}

} // namespace

DescriptorModel::DescriptorModel(QObject* parent) : QAbstractTableModel(parent) {}

void DescriptorModel::setDescriptors(QList<app::Descriptor> descriptors)
{
    beginResetModel();
    m_descriptors = std::move(descriptors);
    endResetModel();
}

void DescriptorModel::clear()
{
    setDescriptors({});
}

int DescriptorModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_descriptors.size());
}

int DescriptorModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DescriptorModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const app::Descriptor& descriptor = m_descriptors.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(descriptor, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Digest || index.column() == MediaType || index.column() == ArtifactType)
            return rawData(descriptor, index.column());
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Size)
            return numberAlignment();
        return {};
    case RawValueRole:
        return rawData(descriptor, index.column());
    case DigestRole:
        return descriptor.digest;
    case SizeRole:
        return descriptor.size;
    default:
        return {};
    }
}

QVariant DescriptorModel::displayData(const app::Descriptor& descriptor, int column) const
{
    switch (column) {
    case Platform:
        return rawData(descriptor, column);
    case ArtifactType:
        return DisplayText::mediaType(descriptor.artifactType);
    case Digest:
        return DisplayText::shortDigest(descriptor.digest);
    case MediaType:
        return DisplayText::mediaType(descriptor.mediaType);
    case Size:
        return DisplayText::size(descriptor.size);
    case Created:
        return DisplayText::time(createdOf(descriptor));
    default:
        return {};
    }
}

QVariant DescriptorModel::rawData(const app::Descriptor& descriptor, int column) const
{
    switch (column) {
    case Platform:
        return descriptor.platform.os.isEmpty() ? QString() : descriptor.platform.text();
    case ArtifactType:
        return descriptor.artifactType;
    case Digest:
        return descriptor.digest;
    case MediaType:
        return descriptor.mediaType;
    case Size:
        return descriptor.size;
    case Created:
        return createdOf(descriptor);
    default:
        return {};
    }
}

QVariant DescriptorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Platform:
        return tr("Platform");
    case ArtifactType:
        return tr("Artifact type");
    case Digest:
        return tr("Digest");
    case MediaType:
        return tr("Media type");
    case Size:
        return tr("Size");
    case Created:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace berth::ui
