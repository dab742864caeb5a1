// Hostile and broken requests: invalid names and digests, path traversal, bad framing,
// oversized or stalled headers, TLS on the plain port, many idle connections. After every
// case the server must still answer GET /v2/.

#include "AdminServer.h"
#include "RegistryFixtures.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <map>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

// The header timeout configured below, and the slack allowed on top of it.
constexpr int HeaderTimeoutMs = 2000;
constexpr int TimeoutSlackMs = 1500;

bool isClientError(int status)
{
    return status >= 400 && status < 500;
}

// The registry's modes that refuse more methods with 405.
enum class Mode
{
    Writable,
    ReadOnly,
    DeletesDisabled
};
enum class Api
{
    Registry,
    Admin
};

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void invalidRepositoryName_data();
    void invalidRepositoryName();
    void longestRepositoryName();
    void invalidDigest_data();
    void invalidDigest();
    void pathTraversal_data();
    void pathTraversal();
    void bogusChunkedBody_data();
    void bogusChunkedBody();
    void contentRangeGap_data();
    void contentRangeGap();
    void oversizedRequestHead_data();
    void oversizedRequestHead();
    void slowOrBrokenHeaders_data();
    void slowOrBrokenHeaders();
    void tlsClientHello();
    void manyIdleConnections();
    void allowHeader_data();
    void allowHeader();

private:
    HttpResponse sendRaw(const QByteArray& method, const QByteArray& target, const QByteArray& body = {},
                         HttpClient::Headers headers = {});
    QString startUpload(const QString& repo);
    // Files under the sandbox but outside the storage root, and anything named after `token`
    // in the places a traversal would reach.
    QStringList escapedFiles(const QString& token) const;

    // A berthd with its admin API in `mode`, started at first use; null, with `error` set,
    // when it does not start.
    AdminServer* serverIn(Mode mode, QString* error);

    QTemporaryDir m_sandbox;
    QString m_storageRoot;
    TestRegistry m_registry;
    std::map<Mode, std::unique_ptr<AdminServer>> m_servers;
};

void TestBadInput::initTestCase()
{
    QVERIFY(m_sandbox.isValid());
    // Deep inside the sandbox, so a few ".." still land somewhere the test can inspect.
    m_storageRoot = m_sandbox.filePath(u"deep/er/storage"_s);
    m_registry.process().setStorageRoot(m_storageRoot);
    QVERIFY2(m_registry.start("berth:\n  http:\n    headertimeout: 2s\n"),
             qPrintable(m_registry.errorString()));
}

void TestBadInput::cleanup()
{
    QVERIFY2(m_registry.checkAfterTest(), "the registry stopped answering GET /v2/");
}

HttpResponse TestBadInput::sendRaw(const QByteArray& method, const QByteArray& target, const QByteArray& body,
                                   HttpClient::Headers headers)
{
    headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("close")});
    return parseRawResponse(sendRawRequest(
        m_registry.port(), rawRequest(method, target, m_registry.process().hostPort(), headers, body)));
}

QString TestBadInput::startUpload(const QString& repo)
{
    const HttpResponse response = m_registry.client().send("POST", uploadsPath(repo));
    return response.status == 202 ? QString::fromUtf8(response.header("Location")) : QString();
}

QStringList TestBadInput::escapedFiles(const QString& token) const
{
    QStringList found;
    QDirIterator sandbox(m_sandbox.path(), QDir::Files | QDir::Hidden | QDir::System,
                         QDirIterator::Subdirectories);
    while (sandbox.hasNext()) {
        const QString path = sandbox.next();
        if (!path.startsWith(m_storageRoot + u'/'))
            found.append(path);
    }
    for (const QString& place : {QDir::tempPath(), QDir::rootPath(), u"/etc"_s}) {
        for (const QString& name :
             QDir(place).entryList({u"*"_s + token + u'*'}, QDir::AllEntries | QDir::Hidden))
            found.append(QDir(place).filePath(name));
    }
    return found;
}

void TestBadInput::invalidRepositoryName_data()
{
    QTest::addColumn<QString>("name"); // as it appears in the path, already encoded

    QTest::newRow("upper case") << u"itest/Upper"_s;
    QTest::newRow("two separators in a row") << u"itest/a..b"_s;
    QTest::newRow("leading separator") << u"itest/-abc"_s;
    QTest::newRow("trailing separator") << u"itest/abc-"_s;
    QTest::newRow("leading slash") << u"/itest/abc"_s;
    QTest::newRow("empty component") << u"itest//abc"_s;
    QTest::newRow("trailing slash") << u"itest/abc/"_s;
    QTest::newRow("256 characters") << u"itest/"_s + QString(250, u'a');
    QTest::newRow("non-ascii") << u"itest/caf%C3%A9"_s;
    QTest::newRow("space") << u"itest/a%20b"_s;
}

void TestBadInput::invalidRepositoryName()
{
    // The spec gives no status for a name outside its grammar: NAME_INVALID (400) or a route
    // that does not match (404) are both fine; accepting a push is not.
    QFETCH(QString, name);
    for (const auto& [method, path] : {std::pair{QByteArrayLiteral("POST"), u"/v2/%1/blobs/uploads/"_s},
                                       std::pair{QByteArrayLiteral("GET"), u"/v2/%1/tags/list"_s},
                                       std::pair{QByteArrayLiteral("GET"), u"/v2/%1/manifests/latest"_s}}) {
        const HttpResponse response = sendRaw(method, path.arg(name).toUtf8());
        if (m_registry.isReference() && response.status == 301)
            QSKIP("Distribution 2.8 redirects paths with empty segments to the cleaned path");
        if (m_registry.isReference() && response.status == 500)
            QSKIP("Distribution 2.8 answers an over-long name with 500 UNKNOWN");
        QVERIFY2(
            response.status == 400 || response.status == 404,
            qPrintable(QString::fromUtf8(method) + u' ' + path.arg(name) + u" -> "_s + response.describe()));
        if (response.status == 400)
            QCOMPARE(response.errorCode(), QByteArrayLiteral("NAME_INVALID"));
    }
}

void TestBadInput::longestRepositoryName()
{
    // 255 characters in all is within what clients and the reference accept.
    const QString name = u"itest/"_s + QString(249, u'b');
    QCOMPARE(name.size(), 255);
    QCOMPARE(pushBlob(m_registry.client(), name, randomBytes(10)), QString());
}

void TestBadInput::invalidDigest_data()
{
    QTest::addColumn<QString>("digest");

    QTest::newRow("no algorithm") << u"0123456789abcdef"_s;
    QTest::newRow("unsupported algorithm") << u"md5:d41d8cd98f00b204e9800998ecf8427e"_s;
    QTest::newRow("sha256, short") << u"sha256:abc"_s;
    QTest::newRow("sha256, 65 digits") << u"sha256:"_s + QString(65, u'a');
    QTest::newRow("sha256, upper case") << u"sha256:"_s + QString(64, u'A');
    QTest::newRow("sha256, not hex") << u"sha256:"_s + QString(64, u'g');
    QTest::newRow("sha256, empty") << u"sha256:"_s;
    QTest::newRow("sha512, 64 digits") << u"sha512:"_s + QString(64, u'a');
}

void TestBadInput::invalidDigest()
{
    QFETCH(QString, digest);
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"digest"_s);
    QCOMPARE(pushBlob(client, repo, randomBytes(10)), QString());

    // As the digest query parameter that closes an upload.
    const QString location = startUpload(repo);
    QVERIFY(!location.isEmpty());
    const HttpResponse put = client.send(
        "PUT", withQuery(location, u"digest="_s + QString::fromLatin1(QUrl::toPercentEncoding(digest))),
        randomBytes(10));
    QCOMPARE(put.status, 400);
    QCOMPARE(put.errorCode(), QByteArrayLiteral("DIGEST_INVALID"));

    // In the path of a blob.
    const HttpResponse get = client.get(blobPath(repo, digest));
    if (m_registry.isReference() && get.status == 404)
        QSKIP("Distribution 2.8 routes only digests of its own pattern and answers 404 for the rest");
    QCOMPARE(get.status, 400);
    QCOMPARE(get.errorCode(), QByteArrayLiteral("DIGEST_INVALID"));
}

void TestBadInput::pathTraversal_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("target"); // TOKEN stands for a unique name to look for on disk

    const QString hex(64, u'0');
    QTest::newRow("dot segments in the name")
        << QByteArrayLiteral("GET") << u"/v2/a/../../etc/blobs/sha256:"_s + hex;
    QTest::newRow("dot segments to etc/passwd")
        << QByteArrayLiteral("GET") << u"/v2/a/../../../../../../etc/passwd"_s;
    QTest::newRow("encoded dots, push")
        << QByteArrayLiteral("POST") << u"/v2/%2e%2e/%2e%2e/escape-TOKEN/blobs/uploads/"_s;
    QTest::newRow("encoded slashes, push")
        << QByteArrayLiteral("POST") << u"/v2/itest%2f..%2f..%2fescape-TOKEN/blobs/uploads/"_s;
    QTest::newRow("encoded slashes, tags")
        << QByteArrayLiteral("GET") << u"/v2/..%2f..%2fescape-TOKEN/tags/list"_s;
    QTest::newRow("upload id, encoded")
        << QByteArrayLiteral("PATCH") << u"/v2/itest/x/blobs/uploads/..%2f..%2f..%2fescape-TOKEN"_s;
    QTest::newRow("upload id, dot segments")
        << QByteArrayLiteral("PUT")
        << u"/v2/itest/x/blobs/uploads/../../../../escape-TOKEN?digest=sha256:"_s + hex;
    QTest::newRow("manifest reference")
        << QByteArrayLiteral("PUT") << u"/v2/itest/x/manifests/..%2f..%2f..%2fescape-TOKEN"_s;
    QTest::newRow("blob digest") << QByteArrayLiteral("GET")
                                 << u"/v2/itest/x/blobs/sha256:..%2f..%2f..%2fescape-TOKEN"_s;
    QTest::newRow("backslashes") << QByteArrayLiteral("POST")
                                 << u"/v2/itest\\..\\..\\escape-TOKEN/blobs/uploads/"_s;
    QTest::newRow("nul byte") << QByteArrayLiteral("POST") << u"/v2/itest/escape-TOKEN%00/blobs/uploads/"_s;
}

void TestBadInput::pathTraversal()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, target);
    const QString token = QString::fromLatin1(randomBytes(6).toHex());
    const QByteArray body = method == "GET" ? QByteArray() : QByteArrayLiteral("{\"schemaVersion\":2}");

    const HttpResponse response =
        sendRaw(method, QString(target).replace(u"TOKEN"_s, token).toUtf8(), body,
                {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/octet-stream")}});
    QVERIFY2(!response.body.contains("root:"), "served a file from outside the storage root");
    // Distribution's router answers a path with dot segments with a redirect to the cleaned
    // path, which reads nothing; berthd must refuse outright.
    const bool referenceRedirect = m_registry.isReference() && response.status == 301;
    QVERIFY2(isClientError(response.status) || referenceRedirect, qPrintable(response.describe()));
    QCOMPARE(escapedFiles(token), QStringList());
}

void TestBadInput::bogusChunkedBody_data()
{
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("size not hex") << QByteArrayLiteral("zz\r\nabc\r\n0\r\n\r\n");
    QTest::newRow("negative size") << QByteArrayLiteral("-5\r\nabcde\r\n0\r\n\r\n");
    QTest::newRow("size overflows 64 bits") << QByteArrayLiteral("fffffffffffffffffffff\r\nabc\r\n0\r\n\r\n");
    QTest::newRow("data longer than its size") << QByteArrayLiteral("3\r\nabcXYZ\r\n0\r\n\r\n");
    QTest::newRow("no CRLF after the size") << QByteArrayLiteral("3abc\r\n0\r\n\r\n");
    QTest::newRow("size larger than the data") << QByteArrayLiteral("100\r\nabc\r\n0\r\n\r\n");
}

void TestBadInput::bogusChunkedBody()
{
    QFETCH(QByteArray, body);
    const QString location = startUpload(uniqueRepository(u"chunked"_s));
    QVERIFY(!location.isEmpty());

    RawConnection connection;
    QVERIFY(connection.connectTo(m_registry.port()));
    QVERIFY(connection.write(rawRequest(
        "PATCH", requestTarget(m_registry.client(), location.toUtf8()), m_registry.process().hostPort(),
        {{QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked")},
         {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/octet-stream")}},
        body)));
    // A 4xx, a close, or (for a body that is only short) waiting for more: never a success.
    const HttpResponse response = connection.readResponse(TimeoutSlackMs);
    if (m_registry.isReference() && response.status == 500)
        QSKIP("Distribution 2.8 answers a broken chunked body with 500 UNKNOWN");
    QVERIFY2(response.status == 0 || isClientError(response.status), qPrintable(response.describe()));
}

void TestBadInput::contentRangeGap_data()
{
    QTest::addColumn<QByteArray>("firstRange"); // empty: no first chunk
    QTest::addColumn<QByteArray>("secondRange");
    QTest::addColumn<int>("secondSize");

    QTest::newRow("gap after the first chunk")
        << QByteArrayLiteral("0-99") << QByteArrayLiteral("150-199") << 50;
    QTest::newRow("overlap") << QByteArrayLiteral("0-99") << QByteArrayLiteral("50-149") << 100;
    QTest::newRow("first chunk not at zero") << QByteArray() << QByteArrayLiteral("10-19") << 10;
    QTest::newRow("range longer than the body") << QByteArray() << QByteArrayLiteral("0-99") << 50;
    QTest::newRow("inverted range") << QByteArray() << QByteArrayLiteral("99-0") << 100;
    QTest::newRow("not a range") << QByteArray() << QByteArrayLiteral("abc") << 10;
}

void TestBadInput::contentRangeGap()
{
    QFETCH(QByteArray, firstRange);
    QFETCH(QByteArray, secondRange);
    QFETCH(int, secondSize);
    HttpClient& client = m_registry.client();
    QString location = startUpload(uniqueRepository(u"range"_s));
    QVERIFY(!location.isEmpty());
    if (!firstRange.isEmpty()) {
        const HttpResponse first =
            client.send("PATCH", location, randomBytes(100), {{"Content-Range", firstRange}});
        QCOMPARE(first.status, 202);
        location = QString::fromUtf8(first.header("Location"));
    }

    const HttpResponse second =
        client.send("PATCH", location, randomBytes(secondSize), {{"Content-Range", secondRange}});
    if (m_registry.isReference() && second.status == 202)
        QSKIP("Distribution 2.8 ignores Content-Range on PATCH and appends");
    QVERIFY2(second.status == 416 || second.status == 400, qPrintable(second.describe()));
    // The session keeps only what was accepted.
    const HttpResponse status = client.get(location);
    QCOMPARE(status.status, 204);
    QCOMPARE(status.header("Range"), firstRange.isEmpty() ? QByteArrayLiteral("0-0") : firstRange);
}

void TestBadInput::oversizedRequestHead_data()
{
    QTest::addColumn<QByteArray>("request");

    const QByteArray host = "Host: 127.0.0.1\r\n";
    QTest::newRow("one 70 KiB header")
        << "GET /v2/ HTTP/1.1\r\n" + host + "X-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n";
    QByteArray many = "GET /v2/ HTTP/1.1\r\n" + host;
    for (int i = 0; i < 1000; ++i)
        many += "X-Header-" + QByteArray::number(i) + ": " + QByteArray(80, 'b') + "\r\n";
    QTest::newRow("1000 headers, 90 KiB") << many + "\r\n";
    QTest::newRow("100 KiB request target")
        << "GET /v2/" + QByteArray(100 * 1024, 'c') + "/tags/list HTTP/1.1\r\n" + host + "\r\n";
}

void TestBadInput::oversizedRequestHead()
{
    QFETCH(QByteArray, request);
    RawConnection connection;
    QVERIFY(connection.connectTo(m_registry.port()));
    connection.write(request); // the server may close before it has read everything
    const HttpResponse response = connection.readResponse(HeaderTimeoutMs + TimeoutSlackMs);
    if (m_registry.isReference() && response.status == 200)
        QSKIP("Distribution 2.8 (Go net/http) accepts request heads up to 1 MiB");
    if (m_registry.isReference() && response.status == 500)
        QSKIP("Distribution 2.8 answers an over-long name with 500 UNKNOWN");
    // 431 (or 414 for the target), a 400, or a plain close.
    QVERIFY2(response.status == 0 || response.status == 431 || response.status == 414 ||
                 response.status == 400,
             qPrintable(response.describe()));
    QVERIFY(!connection.isOpen() || connection.waitForClosed(TimeoutSlackMs));
}

void TestBadInput::slowOrBrokenHeaders_data()
{
    QTest::addColumn<QByteArray>("start");   // sent at once
    QTest::addColumn<QByteArray>("trickle"); // then one byte every 250 ms

    QTest::newRow("garbage without a newline") << QByteArray(4096, 'x') << QByteArray();
    QTest::newRow("stall mid headers")
        << QByteArrayLiteral("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: ") << QByteArray();
    QTest::newRow("stall in the request line") << QByteArrayLiteral("GET /v2/") << QByteArray();
    QTest::newRow("one byte at a time") << QByteArrayLiteral("GET /v2/ HTTP/1.1\r\n") << QByteArray(100, 'y');
}

void TestBadInput::slowOrBrokenHeaders()
{
    QFETCH(QByteArray, start);
    QFETCH(QByteArray, trickle);
    RawConnection connection;
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(connection.connectTo(m_registry.port()));
    QVERIFY(connection.write(start));
    // The header deadline counts from the start of the request, however slowly bytes arrive.
    const int limitMs = HeaderTimeoutMs + TimeoutSlackMs;
    for (char byte : trickle) {
        if (elapsed.elapsed() > limitMs || connection.waitForClosed(250) ||
            !connection.write(QByteArray(1, byte)))
            break;
    }
    const bool closed = connection.waitForClosed(int(qMax<qint64>(0, limitMs - elapsed.elapsed())));
    if (m_registry.isReference() && !closed)
        QSKIP("Distribution 2.8 sets no header read timeout");
    QVERIFY2(closed, "the connection is still open after the header timeout");
    QVERIFY2(elapsed.elapsed() <= limitMs, qPrintable(u"closed after %1 ms"_s.arg(elapsed.elapsed())));
    // Whatever was said before closing is an error, never a success.
    const HttpResponse response = parseRawResponse(connection.pending());
    QVERIFY2(response.status == 0 || response.status >= 400, qPrintable(response.describe()));
}

void TestBadInput::tlsClientHello()
{
    // A TLS 1.2 ClientHello record, as a client configured for https would send first.
    QByteArray hello;
    hello += QByteArray::fromHex("0303");         // client version
    hello += QByteArray(32, '\x42');              // "random", without a newline byte
    hello += QByteArray::fromHex("00");           // no session id
    hello += QByteArray::fromHex("0004c02fc030"); // two cipher suites
    hello += QByteArray::fromHex("0100");         // null compression
    hello += QByteArray::fromHex("0000");         // no extensions
    QByteArray handshake = QByteArray::fromHex("01") + QByteArray::fromHex("00") + char(hello.size() >> 8) +
                           char(hello.size() & 0xff) + hello;
    const QByteArray record = QByteArray::fromHex("160301") + char(handshake.size() >> 8) +
                              char(handshake.size() & 0xff) + handshake;

    RawConnection connection;
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(connection.connectTo(m_registry.port()));
    QVERIFY(connection.write(record));
    const HttpResponse response = connection.readResponse(1000);
    const bool answered = response.status == 400 || (response.status == 0 && !connection.isOpen());
    if (m_registry.isReference() && !answered)
        QSKIP("Distribution 2.8 (Go net/http) waits for the end of a request line that never comes");
    QVERIFY2(answered, qPrintable(response.describe()));
    QVERIFY2(elapsed.elapsed() <= 1000, qPrintable(u"took %1 ms"_s.arg(elapsed.elapsed())));
}

void TestBadInput::manyIdleConnections()
{
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 300; ++i) {
        idle.push_back(std::make_unique<RawConnection>());
        QVERIFY2(idle.back()->connectTo(m_registry.port(), 2000), qPrintable(u"connection %1"_s.arg(i)));
    }
    QElapsedTimer elapsed;
    elapsed.start();
    const HttpResponse response = sendRaw("GET", "/v2/");
    QCOMPARE(response.status, 200);
    QVERIFY2(elapsed.elapsed() < 1000, qPrintable(u"answered after %1 ms"_s.arg(elapsed.elapsed())));
}

void TestBadInput::allowHeader_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<Api>("api");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("allow");

    const QString repo = u"/v2/itest/allow"_s;
    const QString digest = unknownDigest();
    const QString upload = repo + u"/blobs/uploads/00000000-0000-4000-8000-000000000000"_s;
    QTest::newRow("base") << Mode::Writable << Api::Registry << u"/v2/"_s << QByteArray("GET, HEAD");
    QTest::newRow("health") << Mode::Writable << Api::Registry << u"/healthz"_s << QByteArray("GET, HEAD");
    QTest::newRow("catalog") << Mode::Writable << Api::Registry << u"/v2/_catalog"_s << QByteArray("GET");
    QTest::newRow("tags") << Mode::Writable << Api::Registry << repo + u"/tags/list"_s << QByteArray("GET");
    QTest::newRow("referrers") << Mode::Writable << Api::Registry << repo + u"/referrers/"_s + digest
                               << QByteArray("GET");
    QTest::newRow("manifest") << Mode::Writable << Api::Registry << repo + u"/manifests/latest"_s
                              << QByteArray("GET, HEAD, PUT, DELETE");
    QTest::newRow("blob") << Mode::Writable << Api::Registry << repo + u"/blobs/"_s + digest
                          << QByteArray("GET, HEAD, DELETE");
    QTest::newRow("upload start") << Mode::Writable << Api::Registry << repo + u"/blobs/uploads/"_s
                                  << QByteArray("POST");
    QTest::newRow("upload") << Mode::Writable << Api::Registry << upload
                            << QByteArray("GET, PATCH, PUT, DELETE");
    QTest::newRow("read-only manifest")
        << Mode::ReadOnly << Api::Registry << repo + u"/manifests/latest"_s << QByteArray("GET, HEAD");
    QTest::newRow("read-only upload start")
        << Mode::ReadOnly << Api::Registry << repo + u"/blobs/uploads/"_s << QByteArray();
    QTest::newRow("no deletes, manifest") << Mode::DeletesDisabled << Api::Registry
                                          << repo + u"/manifests/latest"_s << QByteArray("GET, HEAD, PUT");
    QTest::newRow("no deletes, blob")
        << Mode::DeletesDisabled << Api::Registry << repo + u"/blobs/"_s + digest << QByteArray("GET, HEAD");
    QTest::newRow("no deletes, upload")
        << Mode::DeletesDisabled << Api::Registry << upload << QByteArray("GET, PATCH, PUT, DELETE");

    QTest::newRow("admin info") << Mode::Writable << Api::Admin << u"/admin/v1/info"_s << QByteArray("GET");
    QTest::newRow("admin storage") << Mode::Writable << Api::Admin << u"/admin/v1/storage"_s
                                   << QByteArray("GET");
    QTest::newRow("admin storage history")
        << Mode::Writable << Api::Admin << u"/admin/v1/storage/history"_s << QByteArray("GET");
    QTest::newRow("admin gc") << Mode::Writable << Api::Admin << u"/admin/v1/gc"_s << QByteArray("POST");
    QTest::newRow("admin gc job") << Mode::Writable << Api::Admin << u"/admin/v1/gc/unknown"_s
                                  << QByteArray("GET, DELETE");
    QTest::newRow("admin retention") << Mode::Writable << Api::Admin << u"/admin/v1/retention"_s
                                     << QByteArray("GET, PUT, DELETE");
    QTest::newRow("admin retention preview")
        << Mode::Writable << Api::Admin << u"/admin/v1/retention/preview"_s << QByteArray("POST");
    QTest::newRow("admin retention run")
        << Mode::Writable << Api::Admin << u"/admin/v1/retention/run"_s << QByteArray("POST");
    QTest::newRow("admin retention run job")
        << Mode::Writable << Api::Admin << u"/admin/v1/retention/run/unknown"_s << QByteArray("GET, DELETE");
    QTest::newRow("read-only admin retention")
        << Mode::ReadOnly << Api::Admin << u"/admin/v1/retention"_s << QByteArray("GET");
    QTest::newRow("read-only admin retention run")
        << Mode::ReadOnly << Api::Admin << u"/admin/v1/retention/run"_s << QByteArray();
}

void TestBadInput::allowHeader()
{
    // RFC 9110 15.5.6: a 405 carries Allow. Every method Allow lists must then not be refused
    // with 405, and every other one must be, with the same Allow.
    QFETCH(Mode, mode);
    QFETCH(Api, api);
    QFETCH(QString, path);
    QFETCH(QByteArray, allow);
    if (m_registry.isReference())
        QSKIP("the reference registry is not what this checks");

    QString error;
    AdminServer* server = serverIn(mode, &error);
    QVERIFY2(server, qPrintable(error));
    QList<QByteArray> allowed;
    for (const QByteArray& method : allow.split(','))
        allowed.append(method.trimmed());
    for (const QByteArray method : {"GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"}) {
        const HttpResponse response =
            api == Api::Admin ? server->send(method, path) : server->registry().send(method, path);
        const QString request = QString::fromLatin1(method) + u' ' + path;
        if (allowed.contains(method)) {
            QVERIFY2(response.status != 405, qPrintable(request + u" -> "_s + response.describe()));
            continue;
        }
        QVERIFY2(response.status == 405, qPrintable(request + u" -> "_s + response.describe()));
        // Qt drops a header with an empty value; an empty Allow is looked for in the raw answer.
        QVERIFY2(allow.isEmpty() || response.hasHeader("Allow"),
                 qPrintable(request + u": 405 without Allow"_s));
        QCOMPARE(response.header("Allow"), allow);
    }
    if (allow.isEmpty()) {
        const quint16 port = api == Api::Admin ? server->adminPort() : server->process().port();
        const QByteArray raw = sendRawRequest(
            port, rawRequest("GET", path.toUtf8(), u"127.0.0.1:%1"_s.arg(port),
                             bearer(server->token()) + HttpClient::Headers{{"Connection", "close"}}));
        QVERIFY2(raw.startsWith("HTTP/1.1 405") && raw.contains("\r\nAllow: \r\n"), raw.constData());
    }
}

AdminServer* TestBadInput::serverIn(Mode mode, QString* error)
{
    auto& server = m_servers[mode];
    if (!server) {
        auto started = std::make_unique<AdminServer>(false);
        if (mode == Mode::ReadOnly)
            started->process().setStorageConfig("  maintenance:\n    readonly:\n      enabled: true\n");
        if (mode == Mode::DeletesDisabled)
            started->process().setEnvironmentVariable(u"REGISTRY_STORAGE_DELETE_ENABLED"_s, u"false"_s);
        *error = started->start(randomToken("allow-"));
        if (error->isEmpty())
            *error = started->waitForAdmin();
        if (!error->isEmpty())
            return nullptr;
        server = std::move(started);
    }
    return server.get();
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestBadInput)
#include "TestBadInput.moc"
