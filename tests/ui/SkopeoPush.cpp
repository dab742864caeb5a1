#include "SkopeoPush.h"

#include "ClientSupport.h"
#include "ImageFactory.h"

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int skopeoTimeoutMs = 120000;

} // namespace

QByteArray randomLayerTar(qint64 payloadBytes)
{
    return ImageFactory::randomLayer(payloadBytes).bytes;
}

QString skopeoPush(const QString& hostPort, const QList<QByteArray>& layers, const QStringList& references)
{
    ContainersHome home;
    if (QString error = home.setUp(); !error.isEmpty())
        return error;
    QList<Blob> blobs;
    for (const QByteArray& layer : layers)
        blobs.append({mediatype::ociLayerTar, layer});
    OciLayout layout(home.filePath(u"layout"_s));
    if (QString error = layout.write(ImageFactory::image(blobs), u"source"_s); !error.isEmpty())
        return error;
    for (const QString& reference : references) {
        // --preserve-digests: without it skopeo gzips uncompressed layers on the way up.
        const auto process = startClient(u"skopeo"_s,
                                         {u"--insecure-policy"_s, u"copy"_s, u"--dest-tls-verify=false"_s,
                                          u"--preserve-digests"_s, layout.reference(u"source"_s),
                                          u"docker://"_s + hostPort + u'/' + reference},
                                         home.environment());
        if (QString error = waitClient(*process, skopeoTimeoutMs); !error.isEmpty())
            return reference + u": "_s + error;
    }
    return {};
}

} // namespace berth::test
