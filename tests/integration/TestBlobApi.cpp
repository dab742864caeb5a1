// Blob reads and deletes over HTTP: GET /v2/, HEAD/GET/Range/DELETE of blobs, unknown blobs.

#include "RegistryFixtures.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

class TestBlobApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void apiVersion();
    void headBlob();
    void getBlob();
    void getLargeBlob();
    void rangeRequest_data();
    void rangeRequest();
    void unsatisfiableRange();
    void deleteBlob();
    void unknownBlob_data();
    void unknownBlob();
    void blobOfOtherRepository();

private:
    TestRegistry m_registry;
};

void TestBlobApi::initTestCase()
{
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));
}

void TestBlobApi::cleanup()
{
    QVERIFY2(m_registry.checkAfterTest(), "the registry stopped answering GET /v2/");
}

void TestBlobApi::apiVersion()
{
    const HttpResponse response = m_registry.client().get(u"/v2/"_s);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("Docker-Distribution-API-Version"), QByteArrayLiteral("registry/2.0"));
}

void TestBlobApi::headBlob()
{
    const QString repo = uniqueRepository(u"blob"_s);
    const QByteArray data = randomBytes(3000);
    QCOMPARE(pushBlob(m_registry.client(), repo, data), QString());

    const HttpResponse response = m_registry.client().head(blobPath(repo, sha256Digest(data)));
    QCOMPARE(response.status, 200);
    bool isInteger = false;
    QCOMPARE(response.header("Content-Length").toLongLong(&isInteger), data.size());
    QVERIFY2(isInteger, response.header("Content-Length").constData());
    QCOMPARE(QString::fromUtf8(response.header("Docker-Content-Digest")), sha256Digest(data));
    QVERIFY(response.body.isEmpty());
}

void TestBlobApi::getBlob()
{
    const QString repo = uniqueRepository(u"blob"_s);
    const QByteArray data = randomBytes(5000);
    QCOMPARE(pushBlob(m_registry.client(), repo, data), QString());

    const HttpResponse response = m_registry.client().get(blobPath(repo, sha256Digest(data)));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, data);
    QCOMPARE(QString::fromUtf8(response.header("Docker-Content-Digest")), sha256Digest(data));
    QCOMPARE(response.header("Content-Length").toLongLong(), data.size());
}

void TestBlobApi::getLargeBlob()
{
    // Large enough that a server must stream it rather than send one buffer.
    const QString repo = uniqueRepository(u"blob"_s);
    const QByteArray data = randomBytes(12 * 1024 * 1024 + 17);
    QCOMPARE(pushBlob(m_registry.client(), repo, data), QString());

    const HttpResponse response = m_registry.client().get(blobPath(repo, sha256Digest(data)));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body.size(), data.size());
    QCOMPARE(sha256Digest(response.body), sha256Digest(data));
}

void TestBlobApi::rangeRequest_data()
{
    QTest::addColumn<QByteArray>("range");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");

    // The blob is 1024 bytes long.
    QTest::newRow("first byte") << QByteArrayLiteral("bytes=0-0") << qint64(0) << qint64(0);
    QTest::newRow("middle") << QByteArrayLiteral("bytes=100-199") << qint64(100) << qint64(199);
    QTest::newRow("last byte") << QByteArrayLiteral("bytes=1023-1023") << qint64(1023) << qint64(1023);
    QTest::newRow("open end") << QByteArrayLiteral("bytes=1000-") << qint64(1000) << qint64(1023);
    QTest::newRow("suffix") << QByteArrayLiteral("bytes=-24") << qint64(1000) << qint64(1023);
    QTest::newRow("end past the blob is clamped") << QByteArrayLiteral("bytes=1000-5000") << qint64(1000) << qint64(1023);
}

void TestBlobApi::rangeRequest()
{
    QFETCH(QByteArray, range);
    QFETCH(qint64, first);
    QFETCH(qint64, last);

    const QString repo = uniqueRepository(u"range"_s);
    const QByteArray data = randomBytes(1024);
    QCOMPARE(pushBlob(m_registry.client(), repo, data), QString());

    const HttpResponse response = m_registry.client().get(blobPath(repo, sha256Digest(data)), {{"Range", range}});
    QCOMPARE(response.status, 206);
    QCOMPARE(response.header("Content-Range"), u"bytes %1-%2/1024"_s.arg(first).arg(last).toUtf8());
    QCOMPARE(response.body, data.mid(first, last - first + 1));
    QCOMPARE(response.header("Content-Length").toLongLong(), last - first + 1);
}

void TestBlobApi::unsatisfiableRange()
{
    const QString repo = uniqueRepository(u"range"_s);
    const QByteArray data = randomBytes(1024);
    QCOMPARE(pushBlob(m_registry.client(), repo, data), QString());

    const HttpResponse response =
        m_registry.client().get(blobPath(repo, sha256Digest(data)), {{"Range", "bytes=5000-6000"}});
    QCOMPARE(response.status, 416);
    // RFC 9110 14.4: an unsatisfied range names the current length.
    QCOMPARE(response.header("Content-Range"), QByteArrayLiteral("bytes */1024"));
}

void TestBlobApi::deleteBlob()
{
    const QString repo = uniqueRepository(u"blob"_s);
    const QByteArray data = randomBytes(700);
    const QString path = blobPath(repo, sha256Digest(data));
    QCOMPARE(pushBlob(m_registry.client(), repo, data), QString());

    const HttpResponse deleted = m_registry.client().send("DELETE", path);
    QCOMPARE(deleted.status, 202);

    QCOMPARE(m_registry.client().head(path).status, 404);
    const HttpResponse fetched = m_registry.client().get(path);
    QCOMPARE(fetched.status, 404);
    QCOMPARE(fetched.errorCode(), QByteArrayLiteral("BLOB_UNKNOWN"));

    const HttpResponse deletedAgain = m_registry.client().send("DELETE", path);
    QCOMPARE(deletedAgain.status, 404);
    QCOMPARE(deletedAgain.errorCode(), QByteArrayLiteral("BLOB_UNKNOWN"));
}

void TestBlobApi::unknownBlob_data()
{
    QTest::addColumn<bool>("repositoryExists");
    QTest::newRow("in a known repository") << true;
    QTest::newRow("in an unknown repository") << false;
}

void TestBlobApi::unknownBlob()
{
    QFETCH(bool, repositoryExists);
    const QString repo = uniqueRepository(u"unknown"_s);
    if (repositoryExists)
        QCOMPARE(pushBlob(m_registry.client(), repo, randomBytes(10)), QString());
    const QString path = blobPath(repo, unknownDigest());

    const HttpResponse fetched = m_registry.client().get(path);
    QCOMPARE(fetched.status, 404);
    // The error body of the spec: {"errors":[{"code":..,"message":..}]}.
    QVERIFY2(fetched.header("Content-Type").startsWith("application/json"), fetched.header("Content-Type").constData());
    const QJsonObject error = fetched.json().object().value("errors"_L1).toArray().first().toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"BLOB_UNKNOWN"_s);
    QVERIFY(error.value("message"_L1).isString());

    const HttpResponse head = m_registry.client().head(path);
    QCOMPARE(head.status, 404);
    QVERIFY(head.body.isEmpty());
}

void TestBlobApi::blobOfOtherRepository()
{
    // Blobs are linked per repository: knowing a digest does not give access from elsewhere.
    const QString owner = uniqueRepository(u"owner"_s);
    const QString other = uniqueRepository(u"other"_s);
    const QByteArray data = randomBytes(100);
    QCOMPARE(pushBlob(m_registry.client(), owner, data), QString());
    QCOMPARE(pushBlob(m_registry.client(), other, randomBytes(100)), QString());

    const HttpResponse response = m_registry.client().get(blobPath(other, sha256Digest(data)));
    QCOMPARE(response.status, 404);
    QCOMPARE(response.errorCode(), QByteArrayLiteral("BLOB_UNKNOWN"));
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestBlobApi)
#include "TestBlobApi.moc"
