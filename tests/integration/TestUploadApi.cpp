// Blob uploads over HTTP: POST/PATCH/PUT sessions, chunks, status, cancel, digest checks,
// cross-repository mounts, and framings a plain HTTP library would not produce.

#include "RegistryFixtures.h"

#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace berth::test {

class TestUploadApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void startUpload();
    void monolithicPost();
    void postThenPut();
    void streamedPatch();
    void chunkedPatches_data();
    void chunkedPatches();
    void outOfOrderChunk();
    void uploadStatus();
    void finalChunkInPut();
    void emptyBlob();
    void cancelUpload();
    void digestMismatch();
    void crossRepositoryMount();
    void mountOfMissingBlob();
    void encodedAndReorderedDigestQuery_data();
    void encodedAndReorderedDigestQuery();
    void encodedAndReorderedMountQuery_data();
    void encodedAndReorderedMountQuery();
    void transferEncodingChunkedPatch();
    void resumedUpload();
    void expectContinue();

private:
    // POST to the uploads endpoint; returns the Location to continue at, empty on failure.
    QString startSession(const QString& repo);
    // The blob at `digest` in `repo` is exactly `data`.
    void verifyBlob(const QString& repo, const QByteArray& data);

    TestRegistry m_registry;
};

void TestUploadApi::initTestCase()
{
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));
}

void TestUploadApi::cleanup()
{
    QVERIFY2(m_registry.checkAfterTest(), "the registry stopped answering GET /v2/");
}

QString TestUploadApi::startSession(const QString& repo)
{
    const HttpResponse response = m_registry.client().send("POST", uploadsPath(repo), {}, {{"Content-Length", "0"}});
    if (response.status != 202) {
        qWarning("POST %s -> %s", qPrintable(uploadsPath(repo)), qPrintable(response.describe()));
        return {};
    }
    return QString::fromUtf8(response.header("Location"));
}

void TestUploadApi::verifyBlob(const QString& repo, const QByteArray& data)
{
    const HttpResponse response = m_registry.client().get(blobPath(repo, sha256Digest(data)));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body.size(), data.size());
    QVERIFY(response.body == data);
}

void TestUploadApi::startUpload()
{
    const QString repo = uniqueRepository(u"upload"_s);
    const HttpResponse response = m_registry.client().send("POST", uploadsPath(repo));
    QCOMPARE(response.status, 202);
    const QByteArray uuid = response.header("Docker-Upload-UUID");
    QVERIFY(!uuid.isEmpty());
    // The Location carries the session id.
    QVERIFY2(response.header("Location").contains(uuid), response.header("Location").constData());
}

void TestUploadApi::monolithicPost()
{
    const QString repo = uniqueRepository(u"upload"_s);
    const QByteArray data = randomBytes(4096);
    const QString digest = sha256Digest(data);
    const HttpResponse response =
        m_registry.client().send("POST", withQuery(uploadsPath(repo), u"digest="_s + digest), data);
    if (m_registry.isReference() && response.status == 202) {
        // The spec lets a registry without single-POST uploads answer 202 and continue as POST-PUT.
        const HttpResponse finished = m_registry.client().send(
            "PUT", withQuery(QString::fromUtf8(response.header("Location")), u"digest="_s + digest), data);
        QCOMPARE(finished.status, 201);
        verifyBlob(repo, data);
        QSKIP("Distribution 2.8 does not support single-POST uploads (202, allowed by the spec)");
    }
    QCOMPARE(response.status, 201);
    QVERIFY(response.hasHeader("Location"));
    QCOMPARE(QString::fromUtf8(response.header("Docker-Content-Digest")), digest);
    verifyBlob(repo, data);
}

void TestUploadApi::postThenPut()
{
    const QString repo = uniqueRepository(u"upload"_s);
    const QByteArray data = randomBytes(10000);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());

    const HttpResponse response =
        m_registry.client().send("PUT", withQuery(location, u"digest="_s + sha256Digest(data)), data);
    QCOMPARE(response.status, 201);
    QCOMPARE(QString::fromUtf8(response.header("Docker-Content-Digest")), sha256Digest(data));
    // Location is a pullable blob URL.
    const HttpResponse pulled = m_registry.client().get(QString::fromUtf8(response.header("Location")));
    QCOMPARE(pulled.status, 200);
    QVERIFY(pulled.body == data);
    // The finished session is gone.
    const HttpResponse status = m_registry.client().get(location);
    QCOMPARE(status.status, 404);
    QCOMPARE(status.errorCode(), QByteArrayLiteral("BLOB_UPLOAD_UNKNOWN"));
}

void TestUploadApi::streamedPatch()
{
    const QString repo = uniqueRepository(u"upload"_s);
    const QByteArray data = randomBytes(3 * 1024 * 1024 + 5);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());

    // One PATCH without Content-Range: the whole blob streamed in a single body.
    const HttpResponse patched = m_registry.client().send("PATCH", location, data);
    QCOMPARE(patched.status, 202);
    QCOMPARE(patched.header("Range"), "0-" + QByteArray::number(data.size() - 1));
    QVERIFY(patched.hasHeader("Location"));
    QVERIFY(!patched.header("Docker-Upload-UUID").isEmpty());

    const HttpResponse finished = m_registry.client().send(
        "PUT", withQuery(QString::fromUtf8(patched.header("Location")), u"digest="_s + sha256Digest(data)));
    QCOMPARE(finished.status, 201);
    QVERIFY(finished.hasHeader("Location"));
    QCOMPARE(QString::fromUtf8(finished.header("Docker-Content-Digest")), sha256Digest(data));
    verifyBlob(repo, data);
}

void TestUploadApi::chunkedPatches_data()
{
    QTest::addColumn<QList<int>>("chunkSizes");
    QTest::newRow("three equal chunks") << QList<int>{1024, 1024, 1024};
    QTest::newRow("uneven chunks") << QList<int>{1, 4095, 17, 60000, 3};
    QTest::newRow("one-byte chunks") << QList<int>{1, 1, 1, 1, 1};
    QTest::newRow("MiB chunks") << QList<int>{1 << 20, 1 << 20, (1 << 20) + 1};
}

void TestUploadApi::chunkedPatches()
{
    QFETCH(QList<int>, chunkSizes);
    const QString repo = uniqueRepository(u"chunks"_s);
    qsizetype total = 0;
    for (int size : chunkSizes)
        total += size;
    const QByteArray data = randomBytes(total);

    QString location = startSession(repo);
    QVERIFY(!location.isEmpty());
    qsizetype offset = 0;
    for (int size : chunkSizes) {
        const QByteArray range = QByteArray::number(offset) + '-' + QByteArray::number(offset + size - 1);
        const HttpResponse response = m_registry.client().send(
            "PATCH", location, data.mid(offset, size), {{"Content-Range", range}, {"Content-Type", "application/octet-stream"}});
        QCOMPARE(response.status, 202);
        offset += size;
        QCOMPARE(response.header("Range"), "0-" + QByteArray::number(offset - 1));
        // Each chunk goes to the Location of the previous answer.
        location = QString::fromUtf8(response.header("Location"));
        QVERIFY(!location.isEmpty());
    }
    const HttpResponse finished =
        m_registry.client().send("PUT", withQuery(location, u"digest="_s + sha256Digest(data)));
    QCOMPARE(finished.status, 201);
    verifyBlob(repo, data);
}

void TestUploadApi::outOfOrderChunk()
{
    const QString repo = uniqueRepository(u"chunks"_s);
    const QByteArray data = randomBytes(300);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());

    const HttpResponse first = m_registry.client().send("PATCH", location, data.left(100), {{"Content-Range", "0-99"}});
    QCOMPARE(first.status, 202);
    const QString next = QString::fromUtf8(first.header("Location"));
    const HttpResponse skipped = m_registry.client().send("PATCH", next, data.mid(200, 100), {{"Content-Range", "200-299"}});
    if (m_registry.isReference() && skipped.status == 202)
        QSKIP("Distribution 2.8 ignores Content-Range on PATCH and appends, where the spec requires 416");
    QCOMPARE(skipped.status, 416);
    const HttpResponse repeated = m_registry.client().send("PATCH", next, data.left(100), {{"Content-Range", "0-99"}});
    QCOMPARE(repeated.status, 416);

    // The session survives and still holds the first chunk.
    const HttpResponse status = m_registry.client().get(next);
    QCOMPARE(status.status, 204);
    QCOMPARE(status.header("Range"), QByteArrayLiteral("0-99"));
}

void TestUploadApi::uploadStatus()
{
    const QString repo = uniqueRepository(u"status"_s);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());
    const HttpResponse patched = m_registry.client().send("PATCH", location, randomBytes(1234));
    QCOMPARE(patched.status, 202);

    const HttpResponse status = m_registry.client().get(QString::fromUtf8(patched.header("Location")));
    QCOMPARE(status.status, 204);
    QCOMPARE(status.header("Range"), QByteArrayLiteral("0-1233"));
    QVERIFY(status.hasHeader("Location"));
    QVERIFY(status.body.isEmpty());
}

void TestUploadApi::finalChunkInPut()
{
    const QString repo = uniqueRepository(u"upload"_s);
    const QByteArray data = randomBytes(5000);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());
    const HttpResponse patched = m_registry.client().send("PATCH", location, data.left(3000), {{"Content-Range", "0-2999"}});
    QCOMPARE(patched.status, 202);

    const HttpResponse finished = m_registry.client().send(
        "PUT", withQuery(QString::fromUtf8(patched.header("Location")), u"digest="_s + sha256Digest(data)),
        data.mid(3000), {{"Content-Range", "3000-4999"}});
    QCOMPARE(finished.status, 201);
    QVERIFY(finished.hasHeader("Location"));
    QCOMPARE(QString::fromUtf8(finished.header("Docker-Content-Digest")), sha256Digest(data));
    verifyBlob(repo, data);
}

void TestUploadApi::emptyBlob()
{
    const QString repo = uniqueRepository(u"empty"_s);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());
    const QString digest = sha256Digest({});

    const HttpResponse finished =
        m_registry.client().send("PUT", withQuery(location, u"digest="_s + digest), {}, {{"Content-Length", "0"}});
    QCOMPARE(finished.status, 201);
    QCOMPARE(QString::fromUtf8(finished.header("Docker-Content-Digest")), digest);

    const HttpResponse head = m_registry.client().head(blobPath(repo, digest));
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Length"), QByteArrayLiteral("0"));
}

void TestUploadApi::cancelUpload()
{
    const QString repo = uniqueRepository(u"cancel"_s);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());
    const HttpResponse patched = m_registry.client().send("PATCH", location, randomBytes(100));
    QCOMPARE(patched.status, 202);
    const QString next = QString::fromUtf8(patched.header("Location"));

    const HttpResponse cancelled = m_registry.client().send("DELETE", next);
    QCOMPARE(cancelled.status, 204);

    const HttpResponse status = m_registry.client().get(next);
    QCOMPARE(status.status, 404);
    QCOMPARE(status.errorCode(), QByteArrayLiteral("BLOB_UPLOAD_UNKNOWN"));
    const HttpResponse more = m_registry.client().send("PATCH", next, randomBytes(10));
    QCOMPARE(more.status, 404);
    QCOMPARE(more.errorCode(), QByteArrayLiteral("BLOB_UPLOAD_UNKNOWN"));
}

void TestUploadApi::digestMismatch()
{
    const QString repo = uniqueRepository(u"mismatch"_s);
    const QByteArray data = randomBytes(2000);
    const QString claimed = unknownDigest();
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());

    const HttpResponse response = m_registry.client().send("PUT", withQuery(location, u"digest="_s + claimed), data);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorCode(), QByteArrayLiteral("DIGEST_INVALID"));
    // Nothing became visible, under either digest.
    QCOMPARE(m_registry.client().head(blobPath(repo, claimed)).status, 404);
    QCOMPARE(m_registry.client().head(blobPath(repo, sha256Digest(data))).status, 404);
}

void TestUploadApi::crossRepositoryMount()
{
    const QString source = uniqueRepository(u"mount-from"_s);
    const QString target = uniqueRepository(u"mount-to"_s);
    const QByteArray data = randomBytes(4000);
    const QString digest = sha256Digest(data);
    QCOMPARE(pushBlob(m_registry.client(), source, data), QString());
    QCOMPARE(m_registry.client().head(blobPath(target, digest)).status, 404);

    const HttpResponse mounted = m_registry.client().send(
        "POST", withQuery(uploadsPath(target), u"mount=%1&from=%2"_s.arg(digest, source)), {}, {{"Content-Length", "0"}});
    QCOMPARE(mounted.status, 201);
    QVERIFY(mounted.hasHeader("Location"));
    QCOMPARE(QString::fromUtf8(mounted.header("Docker-Content-Digest")), digest);
    verifyBlob(target, data);
}

void TestUploadApi::mountOfMissingBlob()
{
    const QString source = uniqueRepository(u"mount-from"_s);
    const QString target = uniqueRepository(u"mount-to"_s);
    QCOMPARE(pushBlob(m_registry.client(), source, randomBytes(10)), QString());
    const QByteArray data = randomBytes(3000);

    // Not in the source: the registry starts an ordinary upload instead.
    const HttpResponse response = m_registry.client().send(
        "POST", withQuery(uploadsPath(target), u"mount=%1&from=%2"_s.arg(sha256Digest(data), source)), {},
        {{"Content-Length", "0"}});
    QCOMPARE(response.status, 202);
    QVERIFY(response.hasHeader("Location"));

    const HttpResponse finished = m_registry.client().send(
        "PUT", withQuery(QString::fromUtf8(response.header("Location")), u"digest="_s + sha256Digest(data)), data);
    QCOMPARE(finished.status, 201);
    verifyBlob(target, data);
}

void TestUploadApi::encodedAndReorderedDigestQuery_data()
{
    QTest::addColumn<QString>("queryTemplate"); // %1 is the digest, already encoded as the row says

    QTest::newRow("colon percent-encoded") << u"digest=%1"_s;
    QTest::newRow("after another parameter") << u"_state=x&digest=%1"_s;
    QTest::newRow("before another parameter") << u"digest=%1&extra=y"_s;
}

void TestUploadApi::encodedAndReorderedDigestQuery()
{
    QFETCH(QString, queryTemplate);
    const QString repo = uniqueRepository(u"query"_s);
    const QByteArray data = randomBytes(777);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());
    QString query = queryTemplate.arg(QString::fromLatin1(QUrl::toPercentEncoding(sha256Digest(data))));
    // A parameter the registry put into its own Location must stay; do not send it twice.
    if (location.contains(u"_state="_s))
        query.replace(u"_state=x&"_s, QString());

    const HttpResponse response = m_registry.client().send("PUT", withQuery(location, query), data);
    QCOMPARE(response.status, 201);
    QCOMPARE(QString::fromUtf8(response.header("Docker-Content-Digest")), sha256Digest(data));
    verifyBlob(repo, data);
}

void TestUploadApi::encodedAndReorderedMountQuery_data()
{
    QTest::addColumn<QString>("queryTemplate"); // %1 the digest, %2 the source repository

    QTest::newRow("mount first") << u"mount=%1&from=%2"_s;
    QTest::newRow("from first") << u"from=%2&mount=%1"_s;
    QTest::newRow("with another parameter") << u"extra=1&from=%2&mount=%1"_s;
}

void TestUploadApi::encodedAndReorderedMountQuery()
{
    QFETCH(QString, queryTemplate);
    const QString source = uniqueRepository(u"mount-from"_s);
    const QString target = uniqueRepository(u"mount-to"_s);
    const QByteArray data = randomBytes(900);
    QCOMPARE(pushBlob(m_registry.client(), source, data), QString());

    // The ':' of the digest and the '/' of the repository name arrive percent-encoded.
    const QString query = queryTemplate.arg(QString::fromLatin1(QUrl::toPercentEncoding(sha256Digest(data))),
                                            QString::fromLatin1(QUrl::toPercentEncoding(source)));
    QVERIFY(query.contains(u"%2F"_s) && query.contains(u"%3A"_s));
    const HttpResponse mounted =
        m_registry.client().send("POST", withQuery(uploadsPath(target), query), {}, {{"Content-Length", "0"}});
    QCOMPARE(mounted.status, 201);
    verifyBlob(target, data);
}

void TestUploadApi::transferEncodingChunkedPatch()
{
    const QString repo = uniqueRepository(u"te-chunked"_s);
    const QByteArray data = randomBytes(70000);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());

    QByteArray body;
    for (qsizetype offset = 0; offset < data.size();) {
        const qsizetype size = qMin<qsizetype>(offset == 0 ? 1 : 16411, data.size() - offset);
        body += QByteArray::number(size, 16) + "\r\n" + data.mid(offset, size) + "\r\n";
        offset += size;
    }
    body += "0\r\n\r\n";
    const QByteArray request =
        rawRequest("PATCH", requestTarget(m_registry.client(), location.toUtf8()), m_registry.process().hostPort(),
                   {{"Transfer-Encoding", "chunked"}, {"Content-Type", "application/octet-stream"}, {"Connection", "close"}},
                   body);
    const HttpResponse patched = parseRawResponse(sendRawRequest(m_registry.port(), request));
    QCOMPARE(patched.status, 202);
    QCOMPARE(patched.header("Range"), "0-" + QByteArray::number(data.size() - 1));

    const HttpResponse finished = m_registry.client().send(
        "PUT", withQuery(QString::fromUtf8(patched.header("Location")), u"digest="_s + sha256Digest(data)));
    QCOMPARE(finished.status, 201);
    verifyBlob(repo, data);
}

void TestUploadApi::resumedUpload()
{
    const QString repo = uniqueRepository(u"resume"_s);
    const QByteArray data = randomBytes(2 * 1024 * 1024 + 333);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());
    const HttpResponse first = m_registry.client().send("PATCH", location, data.left(1000000), {{"Content-Range", "0-999999"}});
    QCOMPARE(first.status, 202);

    // A new client, as after a lost connection, asks where to go on.
    HttpClient resumed(m_registry.process().baseUrl());
    const HttpResponse status = resumed.get(QString::fromUtf8(first.header("Location")));
    QCOMPARE(status.status, 204);
    const QByteArray range = status.header("Range");
    QVERIFY2(range.startsWith("0-"), range.constData());
    const qsizetype offset = range.mid(2).toLongLong() + 1;
    QCOMPARE(offset, 1000000);

    const HttpResponse rest = resumed.send(
        "PATCH", QString::fromUtf8(status.header("Location")), data.mid(offset),
        {{"Content-Range", QByteArray::number(offset) + '-' + QByteArray::number(data.size() - 1)}});
    QCOMPARE(rest.status, 202);
    const HttpResponse finished =
        resumed.send("PUT", withQuery(QString::fromUtf8(rest.header("Location")), u"digest="_s + sha256Digest(data)));
    QCOMPARE(finished.status, 201);
    verifyBlob(repo, data);
}

void TestUploadApi::expectContinue()
{
    const QString repo = uniqueRepository(u"continue"_s);
    const QByteArray data = randomBytes(1536 * 1024);
    const QString location = startSession(repo);
    QVERIFY(!location.isEmpty());

    RawConnection connection;
    QVERIFY(connection.connectTo(m_registry.port()));
    QVERIFY(connection.write(rawRequest("PATCH", requestTarget(m_registry.client(), location.toUtf8()),
                                        m_registry.process().hostPort(),
                                        {{"Content-Type", "application/octet-stream"},
                                         {"Content-Length", QByteArray::number(data.size())},
                                         {"Expect", "100-continue"}})));
    // The server asks for the body before the client sends one byte of it.
    const HttpResponse interim = connection.readResponse(3000);
    QCOMPARE(interim.status, 100);
    QVERIFY(connection.write(data));
    const HttpResponse patched = connection.readResponse(10000);
    QCOMPARE(patched.status, 202);
    QCOMPARE(patched.header("Range"), "0-" + QByteArray::number(data.size() - 1));

    const HttpResponse finished = m_registry.client().send(
        "PUT", withQuery(QString::fromUtf8(patched.header("Location")), u"digest="_s + sha256Digest(data)));
    QCOMPARE(finished.status, 201);
    verifyBlob(repo, data);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestUploadApi)
#include "TestUploadApi.moc"
