#include "BrowserReferrers.h"

#include "RegistryFixtures.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace berth::test {

QString pushReferrer(const QUrl& registry, const QString& repository, const QByteArray& subjectManifest,
                     const QString& artifactType, QString* referrerDigest)
{
    // Built from descriptors, not with makeArtifact(): its Image would clash with
    // ImageFactory's in the same binary.
    HttpClient client(registry);
    const QByteArray emptyConfig("{}");
    const QByteArray payload = randomBytes(64);
    for (const QByteArray& blob : {emptyConfig, payload}) {
        if (QString error = pushBlob(client, repository, blob); !error.isEmpty())
            return error;
    }
    const QJsonObject annotations{{u"org.opencontainers.image.created"_s, u"2026-01-02T03:04:05Z"_s}};
    const QByteArray manifest =
        imageManifestJson(media::OciManifest, Descriptor::of(media::OciEmpty, emptyConfig),
                          {Descriptor::of(u"application/octet-stream"_s, payload)},
                          Descriptor::of(media::OciManifest, subjectManifest), artifactType, annotations);
    *referrerDigest = sha256Digest(manifest);
    return pushManifest(client, repository, media::OciManifest, manifest);
}

} // namespace berth::test
