// Manifests over HTTP: push and pull of every supported type by tag and by digest,
// validation errors, size limits, subject, and deletes by digest and by tag.

#include "RegistryFixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

// A manifest ready to PUT, its prerequisites (blobs, child manifests) already pushed.
struct Prepared
{
    QString mediaType;
    QByteArray body;
    QString error; // empty when the prerequisites were pushed
};

QJsonObject platform(const QString& architecture)
{
    return QJsonObject{{"architecture"_L1, architecture}, {"os"_L1, "linux"_L1}};
}

// `kind` is one of the media types of the manifests the registry accepts.
Prepared prepare(HttpClient& client, const QString& repo, const QString& kind)
{
    Prepared prepared;
    prepared.mediaType = kind;
    if (kind == media::OciManifest || kind == media::DockerManifest) {
        const Image image = makeImage(kind, 2);
        prepared.body = image.manifest;
        prepared.error = pushBlob(client, repo, image.config);
        for (const QByteArray& layer : image.layers) {
            if (prepared.error.isEmpty())
                prepared.error = pushBlob(client, repo, layer);
        }
        return prepared;
    }
    // An index or a manifest list: its children first, by digest.
    const QString childType = kind == media::OciIndex ? QString(media::OciManifest) : QString(media::DockerManifest);
    QList<Descriptor> children;
    for (const QString& architecture : {u"amd64"_s, u"arm64"_s}) {
        const Image child = makeImage(childType);
        if (prepared.error.isEmpty())
            prepared.error = pushImage(client, repo, child);
        Descriptor descriptor = child.descriptor();
        descriptor.platform = platform(architecture);
        children.append(descriptor);
    }
    prepared.body = indexJson(kind, children);
    return prepared;
}

QByteArray allManifestTypes()
{
    return QString(media::OciManifest + u", "_s + media::OciIndex + u", "_s + media::DockerManifest + u", "_s
                   + media::DockerList).toUtf8();
}

} // namespace

class TestManifestApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void pushAndPull_data();
    void pushAndPull();
    void acceptOnSeveralLines_data();
    void acceptOnSeveralLines();
    void missingBlobs_data();
    void missingBlobs();
    void missingChild_data();
    void missingChild();
    void malformedManifest_data();
    void malformedManifest();
    void schema1Refused_data();
    void schema1Refused();
    void chunkedPushKeepsContentType_data();
    void chunkedPushKeepsContentType();
    void wrongDigest();
    void sizeLimit_data();
    void sizeLimit();
    void subjectHeader();
    void unknownManifest();
    void retag();
    void deleteByDigest();
    void deleteByTag();

private:
    // The manifest of a pushed image, padded with an annotation to exactly `size` bytes.
    QByteArray manifestOfSize(const QString& repo, qsizetype size);

    TestRegistry m_registry;
};

void TestManifestApi::initTestCase()
{
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));
}

void TestManifestApi::cleanup()
{
    QVERIFY2(m_registry.checkAfterTest(), "the registry stopped answering GET /v2/");
}

void TestManifestApi::pushAndPull_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("byDigest");

    for (const QLatin1StringView kind : {media::OciManifest, media::OciIndex, media::DockerManifest, media::DockerList}) {
        QTest::addRow("%s by tag", kind.data()) << QString(kind) << false;
        QTest::addRow("%s by digest", kind.data()) << QString(kind) << true;
    }
}

void TestManifestApi::pushAndPull()
{
    QFETCH(QString, kind);
    QFETCH(bool, byDigest);
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"manifest"_s);
    const Prepared prepared = prepare(client, repo, kind);
    QCOMPARE(prepared.error, QString());
    const QString digest = sha256Digest(prepared.body);
    const QString reference = byDigest ? digest : u"v1.0"_s;

    const HttpResponse pushed = putManifest(client, repo, reference, kind, prepared.body);
    QCOMPARE(pushed.status, 201);
    QVERIFY(pushed.hasHeader("Location"));
    QCOMPARE(QString::fromUtf8(pushed.header("Docker-Content-Digest")), digest);

    for (const QString& ref : {reference, digest}) {
        const HttpResponse pulled = client.get(manifestPath(repo, ref), {{"Accept", allManifestTypes()}});
        QCOMPARE(pulled.status, 200);
        // Stored and served byte for byte, with the type it was pushed as.
        QVERIFY(pulled.body == prepared.body);
        QCOMPARE(QString::fromUtf8(pulled.header("Content-Type")), kind);
        QCOMPARE(QString::fromUtf8(pulled.header("Docker-Content-Digest")), digest);

        const HttpResponse head = client.head(manifestPath(repo, ref), {{"Accept", allManifestTypes()}});
        QCOMPARE(head.status, 200);
        QCOMPARE(head.header("Content-Length").toLongLong(), prepared.body.size());
        QCOMPARE(QString::fromUtf8(head.header("Content-Type")), kind);
        QCOMPARE(QString::fromUtf8(head.header("Docker-Content-Digest")), digest);
        QVERIFY(head.body.isEmpty());
    }
}

void TestManifestApi::acceptOnSeveralLines_data()
{
    QTest::addColumn<QString>("kind");
    for (const QLatin1StringView kind : {media::OciManifest, media::OciIndex, media::DockerManifest, media::DockerList})
        QTest::addRow("%s", kind.data()) << QString(kind);
}

void TestManifestApi::acceptOnSeveralLines()
{
    // Docker and containerd send one Accept header line per media type.
    QFETCH(QString, kind);
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"accept"_s);
    const Prepared prepared = prepare(client, repo, kind);
    QCOMPARE(prepared.error, QString());
    QCOMPARE(pushManifest(client, repo, kind, prepared.body, u"latest"_s), QString());

    HttpClient::Headers headers;
    for (const QLatin1StringView type : {media::DockerList, media::DockerManifest, media::OciIndex, media::OciManifest})
        headers.append({QByteArrayLiteral("Accept"), QByteArray(type.data(), type.size())});
    headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("close")});
    const HttpResponse pulled = parseRawResponse(sendRawRequest(
        m_registry.port(), rawRequest("GET", manifestPath(repo, u"latest"_s).toUtf8(), m_registry.process().hostPort(), headers)));
    QCOMPARE(pulled.status, 200);
    QCOMPARE(QString::fromUtf8(pulled.header("Content-Type")), kind);
    QVERIFY(pulled.body == prepared.body);
}

void TestManifestApi::missingBlobs_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("pushConfig");
    QTest::addColumn<bool>("pushLayers");

    QTest::newRow("oci, no layer") << QString(media::OciManifest) << true << false;
    QTest::newRow("oci, no config") << QString(media::OciManifest) << false << true;
    QTest::newRow("docker, no layer") << QString(media::DockerManifest) << true << false;
    QTest::newRow("docker, no config") << QString(media::DockerManifest) << false << true;
}

void TestManifestApi::missingBlobs()
{
    QFETCH(QString, kind);
    QFETCH(bool, pushConfig);
    QFETCH(bool, pushLayers);
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"missing"_s);
    const Image image = makeImage(kind, 2);
    if (pushConfig)
        QCOMPARE(pushBlob(client, repo, image.config), QString());
    if (pushLayers) {
        for (const QByteArray& layer : image.layers)
            QCOMPARE(pushBlob(client, repo, layer), QString());
    } else {
        QCOMPARE(pushBlob(client, repo, image.layers.first()), QString()); // one of two is still missing
    }

    const HttpResponse response = putManifest(client, repo, u"latest"_s, kind, image.manifest);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), QByteArrayLiteral("MANIFEST_BLOB_UNKNOWN"));
    QCOMPARE(client.get(manifestPath(repo, u"latest"_s), {{"Accept", allManifestTypes()}}).status, 404);
}

void TestManifestApi::missingChild_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("oci index") << QString(media::OciIndex);
    QTest::newRow("docker manifest list") << QString(media::DockerList);
}

void TestManifestApi::missingChild()
{
    // The spec: a manifest refused for referencing "a manifest or blob" that does not exist
    // gets MANIFEST_BLOB_UNKNOWN, for index children too.
    QFETCH(QString, kind);
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"missing-child"_s);
    const QString childType = kind == media::OciIndex ? QString(media::OciManifest) : QString(media::DockerManifest);
    const Image present = makeImage(childType);
    const Image absent = makeImage(childType);
    QCOMPARE(pushImage(client, repo, present), QString());

    const QByteArray body = indexJson(kind, {present.descriptor(), absent.descriptor()});
    const HttpResponse response = putManifest(client, repo, u"latest"_s, kind, body);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), QByteArrayLiteral("MANIFEST_BLOB_UNKNOWN"));
}

void TestManifestApi::malformedManifest_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("truncated json") << QString(media::OciManifest) << QByteArrayLiteral("{\"schemaVersion\":2,\"config\":{");
    QTest::newRow("not json") << QString(media::OciManifest) << QByteArrayLiteral("this is not a manifest");
    QTest::newRow("json array") << QString(media::OciManifest) << QByteArrayLiteral("[1,2,3]");
    QTest::newRow("empty body") << QString(media::OciManifest) << QByteArray();
    QTest::newRow("index, truncated") << QString(media::OciIndex) << QByteArrayLiteral("{\"schemaVersion\":2,\"manifests\":[");
    QTest::newRow("docker, not json") << QString(media::DockerManifest) << QByteArrayLiteral("}{");
}

void TestManifestApi::malformedManifest()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, body);
    const QString repo = uniqueRepository(u"malformed"_s);
    QCOMPARE(pushBlob(m_registry.client(), repo, randomBytes(10)), QString());

    const HttpResponse response = putManifest(m_registry.client(), repo, u"latest"_s, kind, body);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), QByteArrayLiteral("MANIFEST_INVALID"));
}

void TestManifestApi::schema1Refused_data()
{
    QTest::addColumn<QString>("contentType");
    QTest::newRow("signed") << QString(media::DockerSchema1Signed);
    QTest::newRow("unsigned") << u"application/vnd.docker.distribution.manifest.v1+json"_s;
}

void TestManifestApi::schema1Refused()
{
    // Docker schema 1 is deprecated and unsupported: refuse it rather than store it.
    QFETCH(QString, contentType);
    const QString repo = uniqueRepository(u"schema1"_s);
    const QByteArray layer = randomBytes(100);
    QCOMPARE(pushBlob(m_registry.client(), repo, layer), QString());
    const QByteArray body = QJsonDocument(QJsonObject{
        {"schemaVersion"_L1, 1},
        {"name"_L1, repo},
        {"tag"_L1, "latest"_L1},
        {"architecture"_L1, "amd64"_L1},
        {"fsLayers"_L1, QJsonArray{QJsonObject{{"blobSum"_L1, sha256Digest(layer)}}}},
        {"history"_L1, QJsonArray{QJsonObject{{"v1Compatibility"_L1, "{\"id\":\"1\"}"_L1}}}},
    }).toJson(QJsonDocument::Compact);

    const HttpResponse response = putManifest(m_registry.client(), repo, u"latest"_s, contentType, body);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), QByteArrayLiteral("MANIFEST_INVALID"));
}

void TestManifestApi::chunkedPushKeepsContentType_data()
{
    QTest::addColumn<bool>("withMediaTypeField");
    QTest::addColumn<int>("status");
    QTest::newRow("docker manifest naming its type") << true << 201;
    // Only the Content-Type says this is Docker's format, which must name itself: refused.
    QTest::newRow("docker manifest without mediaType field") << false << 400;
}

void TestManifestApi::chunkedPushKeepsContentType()
{
    // A chunked body takes over the request's parser; the request head (Content-Type
    // here) must still be read correctly after the body.
    QFETCH(bool, withMediaTypeField);
    QFETCH(int, status);
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"chunked-manifest"_s);
    const Image image = makeImage(media::DockerManifest);
    QCOMPARE(pushBlob(client, repo, image.config), QString());
    QCOMPARE(pushBlob(client, repo, image.layers.first()), QString());
    QJsonObject document = QJsonDocument::fromJson(image.manifest).object();
    if (!withMediaTypeField)
        document.remove(u"mediaType"_s);
    const QByteArray body = QJsonDocument(document).toJson(QJsonDocument::Compact);

    const QByteArray request = rawRequest(
        "PUT", manifestPath(repo, u"chunked"_s).toUtf8(), m_registry.process().hostPort(),
        {{"Transfer-Encoding", "chunked"}, {"Content-Type", QString(media::DockerManifest).toUtf8()},
         {"Connection", "close"}},
        chunkedBody(body, 100));
    const HttpResponse pushed = parseRawResponse(sendRawRequest(m_registry.port(), request));
    QCOMPARE(pushed.status, status);
    if (status != 201) {
        QCOMPARE(pushed.errorCode(), "MANIFEST_INVALID");
        return;
    }
    const HttpResponse pulled = client.get(manifestPath(repo, u"chunked"_s), {{"Accept", allManifestTypes()}});
    QCOMPARE(QString::fromUtf8(pulled.header("Content-Type")), QString(media::DockerManifest));
    QVERIFY(pulled.body == body);
}

void TestManifestApi::wrongDigest()
{
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"wrong-digest"_s);
    const Prepared prepared = prepare(client, repo, media::OciManifest);
    QCOMPARE(prepared.error, QString());
    const QString claimed = unknownDigest();

    const HttpResponse response = putManifest(client, repo, claimed, prepared.mediaType, prepared.body);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), QByteArrayLiteral("DIGEST_INVALID"));
    QCOMPARE(client.head(manifestPath(repo, claimed)).status, 404);
    QCOMPARE(client.head(manifestPath(repo, sha256Digest(prepared.body))).status, 404);
}

QByteArray TestManifestApi::manifestOfSize(const QString& repo, qsizetype size)
{
    const Image image = makeImage(media::OciManifest);
    if (!pushImage(m_registry.client(), repo, image).isEmpty())
        return {};
    const Descriptor config = Descriptor::of(media::OciConfig, image.config);
    const QList<Descriptor> layers{Descriptor::of(media::OciLayer, image.layers.first())};
    const auto withPadding = [&](qsizetype padding) {
        return imageManifestJson(media::OciManifest, config, layers, std::nullopt, {},
                                 QJsonObject{{"org.example.padding"_L1, QString(padding, u'x')}});
    };
    return withPadding(size - withPadding(0).size());
}

void TestManifestApi::sizeLimit_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<int>("status");
    QTest::newRow("4 MiB is accepted") << qsizetype(4 * 1024 * 1024) << 201;
    QTest::newRow("4 MiB + 1 is refused") << qsizetype(4 * 1024 * 1024 + 1) << 413;
}

void TestManifestApi::sizeLimit()
{
    QFETCH(qsizetype, size);
    QFETCH(int, status);
    const QString repo = uniqueRepository(u"size"_s);
    const QByteArray body = manifestOfSize(repo, size);
    QCOMPARE(body.size(), size);

    const HttpResponse response = putManifest(m_registry.client(), repo, u"big"_s, media::OciManifest, body);
    if (m_registry.isReference() && status == 413 && response.status == 400)
        QSKIP("Distribution 2.8 refuses a manifest over 4 MiB with 400 MANIFEST_INVALID, not 413");
    QCOMPARE(response.status, status);
    if (status == 201) {
        const HttpResponse pulled = m_registry.client().get(manifestPath(repo, u"big"_s), {{"Accept", allManifestTypes()}});
        QCOMPARE(pulled.status, 200);
        QVERIFY(pulled.body == body);
    }
}

void TestManifestApi::subjectHeader()
{
    if (m_registry.isReference())
        QSKIP("Distribution 2.8 predates OCI v1.1: it ignores subject and sends no OCI-Subject");
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"subject"_s);
    const Image subject = makeImage();
    QCOMPARE(pushImage(client, repo, subject, u"v1"_s), QString());
    const Image artifact = makeArtifact(subject.descriptor(), u"application/vnd.example.sbom.v1"_s);
    QCOMPARE(pushBlob(client, repo, artifact.config), QString());
    QCOMPARE(pushBlob(client, repo, artifact.layers.first()), QString());

    const HttpResponse response = putManifest(client, repo, artifact.digest(), artifact.mediaType, artifact.manifest);
    QCOMPARE(response.status, 201);
    QCOMPARE(QString::fromUtf8(response.header("OCI-Subject")), subject.digest());
}

void TestManifestApi::unknownManifest()
{
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"unknown"_s);
    QCOMPARE(pushImage(client, repo, makeImage(), u"present"_s), QString());

    for (const QString& reference : {u"absent"_s, unknownDigest()}) {
        const HttpResponse response = client.get(manifestPath(repo, reference), {{"Accept", allManifestTypes()}});
        QCOMPARE(response.status, 404);
        QCOMPARE(response.errorCode(), QByteArrayLiteral("MANIFEST_UNKNOWN"));
        QCOMPARE(client.head(manifestPath(repo, reference)).status, 404);
    }
}

void TestManifestApi::retag()
{
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"retag"_s);
    const Image first = makeImage();
    const Image second = makeImage();
    QCOMPARE(pushImage(client, repo, first, u"latest"_s), QString());
    QCOMPARE(pushImage(client, repo, second, u"latest"_s), QString());

    const HttpResponse pulled = client.get(manifestPath(repo, u"latest"_s), {{"Accept", allManifestTypes()}});
    QCOMPARE(pulled.status, 200);
    QCOMPARE(QString::fromUtf8(pulled.header("Docker-Content-Digest")), second.digest());
    // The first manifest stays reachable by digest.
    QCOMPARE(client.get(manifestPath(repo, first.digest()), {{"Accept", allManifestTypes()}}).status, 200);
}

void TestManifestApi::deleteByDigest()
{
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"delete"_s);
    const Image image = makeImage();
    QCOMPARE(pushImage(client, repo, image, u"latest"_s), QString());

    const HttpResponse deleted = client.send("DELETE", manifestPath(repo, image.digest()));
    QCOMPARE(deleted.status, 202);

    for (const QString& reference : {image.digest(), u"latest"_s}) {
        const HttpResponse pulled = client.get(manifestPath(repo, reference), {{"Accept", allManifestTypes()}});
        QCOMPARE(pulled.status, 404);
        QCOMPARE(pulled.errorCode(), QByteArrayLiteral("MANIFEST_UNKNOWN"));
    }
    const HttpResponse again = client.send("DELETE", manifestPath(repo, image.digest()));
    QCOMPARE(again.status, 404);
    QCOMPARE(again.errorCode(), QByteArrayLiteral("MANIFEST_UNKNOWN"));
}

void TestManifestApi::deleteByTag()
{
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"untag"_s);
    const Image image = makeImage();
    QCOMPARE(pushImage(client, repo, image, u"one"_s), QString());
    QCOMPARE(pushManifest(client, repo, image.mediaType, image.manifest, u"two"_s), QString());

    const HttpResponse deleted = client.send("DELETE", manifestPath(repo, u"one"_s));
    if (m_registry.isReference() && deleted.status == 400)
        QSKIP("Distribution 2.8 cannot delete tags (400 DIGEST_INVALID, which the spec allows)");
    QCOMPARE(deleted.status, 202);

    const HttpResponse gone = client.get(manifestPath(repo, u"one"_s), {{"Accept", allManifestTypes()}});
    QCOMPARE(gone.status, 404);
    QCOMPARE(gone.errorCode(), QByteArrayLiteral("MANIFEST_UNKNOWN"));
    // Only the tag went: the other tag and the digest still resolve.
    for (const QString& reference : {u"two"_s, image.digest()}) {
        const HttpResponse kept = client.get(manifestPath(repo, reference), {{"Accept", allManifestTypes()}});
        QCOMPARE(kept.status, 200);
        QCOMPARE(QString::fromUtf8(kept.header("Docker-Content-Digest")), image.digest());
    }
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestManifestApi)
#include "TestManifestApi.moc"
