// RegistryErrors, the table from what a registry answered to what the user reads: OCI
// error codes and bare HTTP statuses, network failures, and the refusals that mean
// something particular for one operation.

#include "app/RegistryErrors.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

using Kind = RegistryError::Kind;

const QUrl registry(u"http://127.0.0.1:5000/v2/team/app/manifests/v1"_s);
const QString digest = u"sha256:"_s + QString(64, u'a');

QByteArray ociError(const QByteArray& code, const QByteArray& message)
{
    return "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":{}}]}";
}

} // namespace

class TestRegistryErrors : public QObject
{
    Q_OBJECT

private slots:
    void fromResponse_data();
    void fromResponse();
    void network_data();
    void network();
    void operationRefusals();
};

void TestRegistryErrors::fromResponse_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");

    QTest::newRow("NAME_UNKNOWN") << 404 << ociError("NAME_UNKNOWN", "repository name not known to registry")
                                  << QString() << Kind::NotFound << u"NAME_UNKNOWN"_s
                                  << u"Repository team/app does not exist on 127.0.0.1:5000."_s;
    QTest::newRow("MANIFEST_UNKNOWN, tag")
        << 404 << ociError("MANIFEST_UNKNOWN", "manifest unknown") << u"v1"_s << Kind::NotFound
        << u"MANIFEST_UNKNOWN"_s << u"team/app:v1 does not exist on 127.0.0.1:5000."_s;
    QTest::newRow("MANIFEST_UNKNOWN, digest")
        << 404 << ociError("MANIFEST_UNKNOWN", "manifest unknown") << digest << Kind::NotFound
        << u"MANIFEST_UNKNOWN"_s << u"team/app@%1 does not exist on 127.0.0.1:5000."_s.arg(digest);
    QTest::newRow("BLOB_UNKNOWN") << 404 << ociError("BLOB_UNKNOWN", "blob unknown to registry") << digest
                                  << Kind::NotFound << u"BLOB_UNKNOWN"_s
                                  << u"Blob %1 does not exist in team/app on 127.0.0.1:5000."_s.arg(digest);
    QTest::newRow("DENIED") << 403 << ociError("DENIED", "requested access to the resource is denied")
                            << u"v1"_s << Kind::Forbidden << u"DENIED"_s
                            << u"127.0.0.1:5000 does not allow this for team/app:v1: requested access to the "
                               "resource is denied."_s;
    QTest::newRow("403 without a body") << 403 << QByteArray() << QString() << Kind::Forbidden << QString()
                                        << u"127.0.0.1:5000 does not allow this for team/app."_s;
    QTest::newRow("UNSUPPORTED, its own full stop")
        << 405 << ociError("UNSUPPORTED", "The operation is unsupported.") << QString() << Kind::Unsupported
        << u"UNSUPPORTED"_s << u"127.0.0.1:5000 does not support this: The operation is unsupported."_s;
    QTest::newRow("TOOMANYREQUESTS") << 429 << ociError("TOOMANYREQUESTS", "slow down") << QString()
                                     << Kind::Server << u"TOOMANYREQUESTS"_s
                                     << u"127.0.0.1:5000 is receiving too many requests; try again later."_s;
    QTest::newRow("DIGEST_INVALID")
        << 400 << ociError("DIGEST_INVALID", "provided digest did not match uploaded content") << u"v1"_s
        << Kind::Server << u"DIGEST_INVALID"_s
        << u"127.0.0.1:5000 refused the request (HTTP 400): provided digest did not "
           "match uploaded content."_s;
    QTest::newRow("404 page not found")
        << 404 << QByteArray("404 page not found\n") << QString() << Kind::NotFound << QString()
        << u"127.0.0.1:5000 has nothing at /v2/team/app/manifests/v1."_s;
    QTest::newRow("500 in HTML") << 500 << QByteArray("<html><body>oops</body></html>") << QString()
                                 << Kind::Server << QString()
                                 << u"127.0.0.1:5000 failed with an internal error (HTTP 500)."_s;
    QTest::newRow("503 with an OCI error")
        << 503 << ociError("UNAVAILABLE", "disk full") << QString() << Kind::Server << u"UNAVAILABLE"_s
        << u"127.0.0.1:5000 failed with an internal error (HTTP 503): disk full."_s;
    QTest::newRow("errors not a list")
        << 400 << QByteArray(R"({"errors":{"code":"X"}})") << QString() << Kind::Server << QString()
        << u"127.0.0.1:5000 refused the request (HTTP 400)."_s;
}

void TestRegistryErrors::fromResponse()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, reference);
    QFETCH(Kind, kind);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const RegistryError error =
        RegistryErrors::fromResponse(status, body, {u"team/app"_s, reference}, registry);
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.ociCode, code);
    QCOMPARE(error.message, message);
}

void TestRegistryErrors::network_data()
{
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::addColumn<QString>("message");

    QTest::newRow("refused") << QNetworkReply::ConnectionRefusedError
                             << u"Cannot connect to 127.0.0.1:5000: connection refused."_s;
    QTest::newRow("unknown host") << QNetworkReply::HostNotFoundError
                                  << u"Cannot connect to 127.0.0.1:5000: the host name is unknown."_s;
    QTest::newRow("transfer timeout")
        << QNetworkReply::OperationCanceledError << u"127.0.0.1:5000 did not answer in time (timed out)."_s;
    QTest::newRow("closed") << QNetworkReply::RemoteHostClosedError
                            << u"127.0.0.1:5000 closed the connection before answering."_s;
    QTest::newRow("other") << QNetworkReply::UnknownNetworkError
                           << u"Cannot talk to 127.0.0.1:5000: detail."_s;
}

void TestRegistryErrors::network()
{
    QFETCH(QNetworkReply::NetworkError, error);
    QFETCH(QString, message);
    const RegistryError result = RegistryErrors::network(error, u"detail"_s, registry);
    QCOMPARE(result.kind, Kind::Network);
    QCOMPARE(result.message, message);
}

void TestRegistryErrors::operationRefusals()
{
    const RegistryError base =
        RegistryErrors::fromResponse(405, ociError("UNSUPPORTED", "x"), {u"team/app"_s, u"v1"_s}, registry);
    for (const RegistryError& refusal : {RegistryErrors::deletingDisabled(base, registry),
                                         RegistryErrors::tagDeletionUnsupported(base, registry),
                                         RegistryErrors::referrersUnsupported(base, registry)}) {
        QCOMPARE(refusal.kind, Kind::Unsupported);
        QCOMPARE(refusal.httpStatus, 405); // what the registry said stays
        QCOMPARE(refusal.ociCode, u"UNSUPPORTED"_s);
        QVERIFY(refusal.message.contains(u"127.0.0.1:5000"_s));
    }
    QCOMPARE(RegistryErrors::deletingDisabled(base, registry).message,
             u"Deleting is disabled on this registry (127.0.0.1:5000)."_s);
}

} // namespace berth::app

QTEST_GUILESS_MAIN(berth::app::TestRegistryErrors)
#include "TestRegistryErrors.moc"
