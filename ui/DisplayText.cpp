#include "ui/DisplayText.h"

#include <QHash>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace berth::ui {

namespace {

constexpr qsizetype shortDigestHexLength = 12;

} // namespace

QString DisplayText::size(qint64 bytes)
{
    if (bytes < 0)
        return {};
    return QLocale().formattedDataSize(bytes);
}

QString DisplayText::time(const QDateTime& time)
{
    if (!time.isValid())
        return {};
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

QString DisplayText::shortDigest(const QString& digest)
{
    const qsizetype colon = digest.indexOf(u':');
    return digest.left(colon + 1 + shortDigestHexLength);
}

QString DisplayText::mediaType(const QString& mediaType)
{
    // Built on first use, after the translators are installed.
    static const QHash<QString, QString> names{
        {u"application/vnd.oci.image.manifest.v1+json"_s, tr("OCI image")},
        {u"application/vnd.oci.image.index.v1+json"_s, tr("OCI index")},
        {u"application/vnd.oci.image.config.v1+json"_s, tr("OCI image config")},
        {u"application/vnd.oci.empty.v1+json"_s, tr("Empty")},
        {u"application/vnd.oci.image.layer.v1.tar"_s, tr("OCI layer")},
        {u"application/vnd.oci.image.layer.v1.tar+gzip"_s, tr("OCI layer (gzip)")},
        {u"application/vnd.oci.image.layer.v1.tar+zstd"_s, tr("OCI layer (zstd)")},
        {u"application/vnd.docker.distribution.manifest.v2+json"_s, tr("Docker image")},
        {u"application/vnd.docker.distribution.manifest.list.v2+json"_s, tr("Docker manifest list")},
        {u"application/vnd.docker.distribution.manifest.v1+prettyjws"_s, tr("Docker schema 1 image")},
        {u"application/vnd.docker.distribution.manifest.v1+json"_s, tr("Docker schema 1 image")},
        {u"application/vnd.docker.container.image.v1+json"_s, tr("Docker image config")},
        {u"application/vnd.docker.image.rootfs.diff.tar.gzip"_s, tr("Docker layer (gzip)")},
        {u"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"_s, tr("Docker foreign layer")},
    };
    return names.value(mediaType, mediaType);
}

} // namespace berth::ui
