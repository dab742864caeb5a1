#include "RegistryFixtures.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

TestRegistry::TestRegistry() : m_process(RegistryProcess::kindFromEnvironment()) {}

bool TestRegistry::start(const QByteArray& extraConfig)
{
    m_process.setExtraConfig(extraConfig);
    if (!m_process.start())
        return false;
    m_client = std::make_unique<HttpClient>(m_process.baseUrl());
    return true;
}

bool TestRegistry::isServing()
{
    // A fresh connection, so a server that only keeps old connections alive does not pass.
    const HttpResponse response = parseRawResponse(sendRawRequest(
        port(), "GET /v2/ HTTP/1.1\r\nHost: " + m_process.hostPort().toUtf8() + "\r\nConnection: close\r\n\r\n",
        5000));
    return response.status == 200;
}

bool TestRegistry::checkAfterTest()
{
    const bool serving = isServing();
    if (serving && !QTest::currentTestFailed())
        return true;
    printOutputTail(m_process);
    return serving;
}

void printOutputTail(const RegistryProcess& process, int lineCount)
{
    const QList<QByteArray> lines = process.output().split('\n');
    const qsizetype first = qMax<qsizetype>(0, lines.size() - lineCount);
    qWarning("--- last lines of the registry's output (%s) ---", qPrintable(process.outputPath()));
    for (qsizetype i = first; i < lines.size(); ++i)
        qWarning("%s", lines.at(i).left(2000).constData());
}

QString uniqueRepository(const QString& area)
{
    return u"itest/%1-%2"_s.arg(area.toLower()).arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

QByteArray randomBytes(qsizetype size)
{
    QList<quint32> words((size + 3) / 4);
    QRandomGenerator::global()->fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char*>(words.constData()), size);
}

QString sha256Digest(const QByteArray& data)
{
    return u"sha256:"_s + QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QString unknownDigest()
{
    return sha256Digest(randomBytes(32));
}

QString blobPath(const QString& repo, const QString& digest)
{
    return u"/v2/%1/blobs/%2"_s.arg(repo, digest);
}

QString manifestPath(const QString& repo, const QString& reference)
{
    return u"/v2/%1/manifests/%2"_s.arg(repo, reference);
}

QString uploadsPath(const QString& repo)
{
    return u"/v2/%1/blobs/uploads/"_s.arg(repo);
}

QString withQuery(const QString& url, const QString& query)
{
    return url + (url.contains(u'?') ? u'&' : u'?') + query;
}

QByteArray requestTarget(const HttpClient& client, const QByteArray& location)
{
    return client.resolve(QString::fromUtf8(location)).toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
}

bool writeFile(const QString& path, const QByteArray& contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(contents) == contents.size();
}

Descriptor Descriptor::of(const QString& mediaType, const QByteArray& content)
{
    Descriptor descriptor;
    descriptor.mediaType = mediaType;
    descriptor.digest = sha256Digest(content);
    descriptor.size = content.size();
    return descriptor;
}

QJsonObject Descriptor::toJson() const
{
    QJsonObject json{{"mediaType"_L1, mediaType}, {"digest"_L1, digest}, {"size"_L1, size}};
    if (!artifactType.isEmpty())
        json.insert("artifactType"_L1, artifactType);
    if (!annotations.isEmpty())
        json.insert("annotations"_L1, annotations);
    if (!platform.isEmpty())
        json.insert("platform"_L1, platform);
    return json;
}

namespace {

QJsonArray toJsonArray(const QList<Descriptor>& descriptors)
{
    QJsonArray array;
    for (const Descriptor& descriptor : descriptors)
        array.append(descriptor.toJson());
    return array;
}

void addOptionalFields(QJsonObject& json, const std::optional<Descriptor>& subject,
                       const QString& artifactType, const QJsonObject& annotations)
{
    if (subject)
        json.insert("subject"_L1, subject->toJson());
    if (!artifactType.isEmpty())
        json.insert("artifactType"_L1, artifactType);
    if (!annotations.isEmpty())
        json.insert("annotations"_L1, annotations);
}

} // namespace

QByteArray imageManifestJson(const QString& mediaType, const Descriptor& config,
                             const QList<Descriptor>& layers, const std::optional<Descriptor>& subject,
                             const QString& artifactType, const QJsonObject& annotations)
{
    QJsonObject json{{"schemaVersion"_L1, 2},
                     {"mediaType"_L1, mediaType},
                     {"config"_L1, config.toJson()},
                     {"layers"_L1, toJsonArray(layers)}};
    addOptionalFields(json, subject, artifactType, annotations);
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QByteArray indexJson(const QString& mediaType, const QList<Descriptor>& manifests,
                     const std::optional<Descriptor>& subject, const QString& artifactType,
                     const QJsonObject& annotations)
{
    QJsonObject json{{"schemaVersion"_L1, 2}, {"mediaType"_L1, mediaType}, {"manifests"_L1, toJsonArray(manifests)}};
    addOptionalFields(json, subject, artifactType, annotations);
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

Image makeImage(const QString& manifestMediaType, int layerCount, qsizetype layerSize)
{
    const bool docker = manifestMediaType == media::DockerManifest;
    Image image;
    image.mediaType = manifestMediaType;
    // A random field makes every config, and so every manifest, unique.
    image.config = QJsonDocument(QJsonObject{{"architecture"_L1, "amd64"_L1},
                                             {"os"_L1, "linux"_L1},
                                             {"rootfs"_L1, QJsonObject{{"type"_L1, "layers"_L1}}},
                                             {"nonce"_L1, QString::fromLatin1(randomBytes(16).toHex())}})
                       .toJson(QJsonDocument::Compact);
    QList<Descriptor> layers;
    for (int i = 0; i < layerCount; ++i) {
        image.layers.append(randomBytes(layerSize));
        layers.append(Descriptor::of(docker ? media::DockerLayer : media::OciLayer, image.layers.last()));
    }
    image.manifest = imageManifestJson(manifestMediaType,
                                       Descriptor::of(docker ? media::DockerConfig : media::OciConfig, image.config),
                                       layers);
    return image;
}

Image makeArtifact(const Descriptor& subject, const QString& artifactType, const QJsonObject& annotations)
{
    Image image;
    image.mediaType = media::OciManifest;
    image.config = QByteArrayLiteral("{}");
    image.layers.append(randomBytes(64));
    image.manifest = imageManifestJson(media::OciManifest, Descriptor::of(media::OciEmpty, image.config),
                                       {Descriptor::of(u"application/octet-stream"_s, image.layers.first())},
                                       subject, artifactType, annotations);
    return image;
}

QString pushBlob(HttpClient& client, const QString& repo, const QByteArray& data)
{
    const HttpResponse started = client.send("POST", uploadsPath(repo));
    if (started.status != 202 || !started.hasHeader("Location"))
        return u"POST %1 -> %2"_s.arg(uploadsPath(repo), started.describe());
    const QString url = withQuery(QString::fromUtf8(started.header("Location")), u"digest="_s + sha256Digest(data));
    const HttpResponse finished = client.send("PUT", url, data);
    if (finished.status != 201)
        return u"PUT %1 -> %2"_s.arg(url, finished.describe());
    return {};
}

QString pushBlobInChunks(HttpClient& client, const QString& repo, const QByteArray& data, int chunks)
{
    HttpResponse response = client.send("POST", uploadsPath(repo));
    if (response.status != 202)
        return u"POST %1 -> %2"_s.arg(uploadsPath(repo), response.describe());
    const qsizetype piece = data.size() / chunks + 1;
    for (qsizetype offset = 0; offset < data.size(); offset += piece) {
        const QByteArray chunk = data.mid(offset, piece);
        const QString location = QString::fromUtf8(response.header("Location"));
        const QByteArray range =
            QByteArray::number(offset) + '-' + QByteArray::number(offset + chunk.size() - 1);
        response = client.send("PATCH", location, chunk, {{"Content-Range", range}});
        if (response.status != 202)
            return u"PATCH %1 -> %2"_s.arg(location, response.describe());
    }
    const QString url =
        withQuery(QString::fromUtf8(response.header("Location")), u"digest="_s + sha256Digest(data));
    response = client.send("PUT", url);
    if (response.status != 201)
        return u"PUT %1 -> %2"_s.arg(url, response.describe());
    return {};
}

HttpResponse putManifest(HttpClient& client, const QString& repo, const QString& reference,
                         const QString& mediaType, const QByteArray& body)
{
    return client.send("PUT", manifestPath(repo, reference), body, {{"Content-Type", mediaType.toUtf8()}});
}

QString pushManifest(HttpClient& client, const QString& repo, const QString& mediaType,
                     const QByteArray& body, const QString& reference)
{
    const QString ref = reference.isEmpty() ? sha256Digest(body) : reference;
    const HttpResponse response = putManifest(client, repo, ref, mediaType, body);
    if (response.status != 201)
        return u"PUT %1 -> %2"_s.arg(manifestPath(repo, ref), response.describe());
    return {};
}

QString pushImage(HttpClient& client, const QString& repo, const Image& image, const QString& reference)
{
    if (QString error = pushBlob(client, repo, image.config); !error.isEmpty())
        return error;
    for (const QByteArray& layer : image.layers) {
        if (QString error = pushBlob(client, repo, layer); !error.isEmpty())
            return error;
    }
    return pushManifest(client, repo, image.mediaType, image.manifest, reference);
}

} // namespace berth::test
