// RegistryDocuments, the registry's JSON read into the console's types without a network:
// Link headers as registries write them, listing pages, manifests (digest checked, kinds,
// artifact types, platforms), image config times in RFC 3339's forms, referrers.

#include "app/RegistryDocuments.h"

#include <QCryptographicHash>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::app {

class TestRegistryDocuments : public QObject
{
    Q_OBJECT

private slots:
    void nextLink_data();
    void nextLink();
    void listingPage_data();
    void listingPage();
    void manifest_data();
    void manifest();
    void manifestDigest();
    void configTimes_data();
    void configTimes();
    void referrers();
};

// After the class: moc loses count of braces inside raw strings before it.
namespace {

QString sha256(const QByteArray& content)
{
    return u"sha256:"_s +
           QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

const QByteArray configDescriptor =
    R"({"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:)" + QByteArray(64, 'a') +
    R"(","size":10})";
const QByteArray layerDescriptor =
    R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:)" + QByteArray(64, 'b') +
    R"(","size":100})";

} // namespace

void TestRegistryDocuments::nextLink_data()
{
    QTest::addColumn<QByteArray>("link");
    QTest::addColumn<QString>("next");

    QTest::newRow("distribution") << QByteArray(R"(</v2/_catalog?last=b&n=2>; rel="next")")
                                  << u"/v2/_catalog?last=b&n=2"_s;
    QTest::newRow("absolute, encoded")
        << QByteArray(R"(<https://r.example/v2/_catalog?n=2&last=team%2Fapp>; rel="next")")
        << u"https://r.example/v2/_catalog?n=2&last=team%2Fapp"_s;
    QTest::newRow("unquoted rel, spaces") << QByteArray("</x?last=a> ;  rel=next") << u"/x?last=a"_s;
    QTest::newRow("among other links")
        << QByteArray(R"(</p?last=a>; rel="prev", </n?last=c>; rel="next")") << u"/n?last=c"_s;
    QTest::newRow("rel in another case") << QByteArray(R"(</n?last=c>; REL="Next")") << u"/n?last=c"_s;
    QTest::newRow("only other relations") << QByteArray(R"(</p?last=a>; rel="prev")") << QString();
    QTest::newRow("several relations") << QByteArray(R"(</n?last=c>; rel="last next")") << u"/n?last=c"_s;
    QTest::newRow("nextpage is not next") << QByteArray(R"(</n?last=c>; rel="nextpage")") << QString();
    QTest::newRow("none") << QByteArray() << QString();
}

void TestRegistryDocuments::nextLink()
{
    QFETCH(QByteArray, link);
    QFETCH(QString, next);
    QCOMPARE(RegistryDocuments::nextLink(link).toString(QUrl::FullyEncoded), next);
}

void TestRegistryDocuments::listingPage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("link");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("last");
    QTest::addColumn<QString>("problem"); // empty: read

    QTest::newRow("catalog, more") << QByteArray(R"({"repositories":["a","b"]})") << u"repositories"_s
                                   << QByteArray(R"(</v2/_catalog?last=b&n=2>; rel="next")")
                                   << QStringList({u"a"_s, u"b"_s}) << u"b"_s << QString();
    QTest::newRow("catalog, done") << QByteArray(R"({"repositories":["c"]})") << u"repositories"_s
                                   << QByteArray() << QStringList({u"c"_s}) << QString() << QString();
    QTest::newRow("last decoded") << QByteArray(R"({"repositories":["team/app"]})") << u"repositories"_s
                                  << QByteArray(R"(</v2/_catalog?n=1&last=team%2Fapp>; rel="next")")
                                  << QStringList({u"team/app"_s}) << u"team/app"_s << QString();
    QTest::newRow("next without last") << QByteArray(R"({"name":"r","tags":["v1","v2"]})") << u"tags"_s
                                       << QByteArray(R"(</v2/r/tags/list?page=2>; rel="next")")
                                       << QStringList({u"v1"_s, u"v2"_s}) << u"v2"_s << QString();
    QTest::newRow("tags null") << QByteArray(R"({"name":"r","tags":null})") << u"tags"_s << QByteArray()
                               << QStringList() << QString() << QString();
    QTest::newRow("empty page") << QByteArray(R"({"repositories":[]})") << u"repositories"_s << QByteArray()
                                << QStringList() << QString() << QString();
    QTest::newRow("not JSON") << QByteArray("<html>") << u"repositories"_s << QByteArray() << QStringList()
                              << QString() << u"not a JSON object"_s;
    QTest::newRow("list is a string") << QByteArray(R"({"tags":"v1"})") << u"tags"_s << QByteArray()
                                      << QStringList() << QString() << u"is not a list"_s;
    QTest::newRow("names not strings")
        << QByteArray(R"({"repositories":[1]})") << u"repositories"_s << QByteArray() << QStringList()
        << QString() << u"something other than names"_s;
}

void TestRegistryDocuments::listingPage()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, key);
    QFETCH(QByteArray, link);
    QFETCH(QStringList, names);
    QFETCH(QString, last);
    QFETCH(QString, problem);
    const QByteArray keyLatin1 = key.toLatin1();
    const auto page = RegistryDocuments::listingPage(body, QLatin1StringView(keyLatin1), link);
    if (!problem.isEmpty()) {
        QVERIFY(!page);
        QVERIFY2(page.error().contains(problem), qPrintable(page.error()));
        return;
    }
    QVERIFY2(page, qPrintable(page ? QString() : page.error()));
    QCOMPARE(page->names, names);
    QCOMPARE(page->last, last);
}

void TestRegistryDocuments::manifest_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<bool>("isIndex");
    QTest::addColumn<QString>("artifactType");
    QTest::addColumn<QStringList>("platforms");
    QTest::addColumn<qint64>("totalSize");
    QTest::addColumn<QString>("problem"); // empty: read

    const QByteArray image =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":)" +
        configDescriptor + R"(,"layers":[)" + layerDescriptor + "]}";
    QTest::newRow("image") << image << QByteArray("application/vnd.oci.image.manifest.v1+json") << false
                           << QString() << QStringList() << qint64(110) << QString();
    QTest::newRow("image, generic content type")
        << image << QByteArray("application/json; charset=utf-8") << false << QString() << QStringList()
        << qint64(110) << QString();
    QTest::newRow("artifact")
        << QByteArray(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                      R"("artifactType":"application/vnd.example.sbom","config":)" +
                      configDescriptor + R"(,"layers":[]})")
        << QByteArray("application/vnd.oci.image.manifest.v1+json") << false
        << u"application/vnd.example.sbom"_s << QStringList() << qint64(10) << QString();
    QTest::newRow("artifact by its config type")
        << QByteArray(
               R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json",)"
               R"("digest":"sha256:)" +
               QByteArray(64, 'c') + R"(","size":5},"layers":[]})")
        << QByteArray() << false << u"application/vnd.cncf.helm.config.v1+json"_s << QStringList()
        << qint64(5) << QString();
    QTest::newRow("docker list")
        << QByteArray(
               R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",)"
               R"("manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
               R"("digest":"sha256:)" +
               QByteArray(64, 'd') +
               R"(","size":500,)"
               R"("platform":{"os":"linux","architecture":"arm","variant":"v7"}},)"
               R"({"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
               R"("digest":"sha256:)" +
               QByteArray(64, 'e') +
               R"(","size":600,)"
               R"("platform":{"os":"windows","architecture":"amd64"}}]})")
        << QByteArray("application/vnd.docker.distribution.manifest.list.v2+json") << true << QString()
        << QStringList({u"linux/arm/v7"_s, u"windows/amd64"_s}) << qint64(1100) << QString();
    QTest::newRow("schema 1") << QByteArray(R"({"schemaVersion":1,"name":"a","tag":"b","fsLayers":[]})")
                              << QByteArray("application/vnd.docker.distribution.manifest.v1+prettyjws")
                              << false << QString() << QStringList() << qint64(0) << u"schema 1"_s;
    QTest::newRow("type mismatch") << image << QByteArray("application/vnd.oci.image.index.v1+json") << false
                                   << QString() << QStringList() << qint64(0) << u"does not match"_s;
    QTest::newRow("not JSON") << QByteArray("{") << QByteArray() << false << QString() << QStringList()
                              << qint64(0) << u"not valid JSON"_s;
}

void TestRegistryDocuments::manifest()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(bool, isIndex);
    QFETCH(QString, artifactType);
    QFETCH(QStringList, platforms);
    QFETCH(qint64, totalSize);
    QFETCH(QString, problem);
    const auto manifest = RegistryDocuments::manifest(body, contentType, {});
    if (!problem.isEmpty()) {
        QVERIFY(!manifest);
        QVERIFY2(manifest.error().contains(problem), qPrintable(manifest.error()));
        return;
    }
    QVERIFY2(manifest, qPrintable(manifest ? QString() : manifest.error()));
    QCOMPARE(manifest->digest, sha256(body)); // no digest to check against: its own
    QCOMPARE(manifest->raw, body);
    QCOMPARE(manifest->isIndex, isIndex);
    QCOMPARE(manifest->artifactType, artifactType);
    QCOMPARE(manifest->platforms(), platforms);
    QCOMPARE(manifest->totalSize(), totalSize);
}

void TestRegistryDocuments::manifestDigest()
{
    const QByteArray body = R"({"schemaVersion":2,"config":)" + configDescriptor + R"(,"layers":[]})";
    const QString digest = sha256(body);
    const auto matching = RegistryDocuments::manifest(body, {}, {digest, digest});
    QVERIFY(matching);
    QCOMPARE(matching->digest, digest);

    const QString other = sha256(body + ' ');
    for (const QStringList& expected : {QStringList{other}, QStringList{digest, other}}) {
        const auto mismatch = RegistryDocuments::manifest(body, {}, expected);
        QVERIFY(!mismatch);
        QCOMPARE(mismatch.error(), u"the content does not match its digest "_s + other);
    }
    const auto unreadable = RegistryDocuments::manifest(body, {}, {u"md5:abc"_s});
    QVERIFY(!unreadable);
    QVERIFY2(unreadable.error().contains(u"not a digest the console can check"_s),
             qPrintable(unreadable.error()));
}

void TestRegistryDocuments::configTimes_data()
{
    QTest::addColumn<QString>("created");
    QTest::addColumn<QDateTime>("expected");

    const QDate day(2024, 3, 5);
    QTest::newRow("seconds") << u"2024-03-05T06:07:08Z"_s << QDateTime(day, QTime(6, 7, 8), Qt::UTC);
    QTest::newRow("nanoseconds") << u"2024-03-05T06:07:08.123456789Z"_s
                                 << QDateTime(day, QTime(6, 7, 8, 123), Qt::UTC);
    QTest::newRow("one fraction digit")
        << u"2024-03-05T06:07:08.5Z"_s << QDateTime(day, QTime(6, 7, 8, 500), Qt::UTC);
    QTest::newRow("offset") << u"2024-03-05T08:07:08.25+02:00"_s
                            << QDateTime(day, QTime(6, 7, 8, 250), Qt::UTC);
    QTest::newRow("missing") << QString() << QDateTime();
    QTest::newRow("garbage") << u"yesterday"_s << QDateTime();
}

void TestRegistryDocuments::configTimes()
{
    QFETCH(QString, created);
    QFETCH(QDateTime, expected);
    const QByteArray body = R"({"created":")" + created.toUtf8() +
                            R"(","os":"linux","architecture":"amd64","history":[{"created":")" +
                            created.toUtf8() + R"(","created_by":"RUN true","empty_layer":true}]})";
    const auto config = RegistryDocuments::imageConfig(body, sha256(body));
    QVERIFY2(config, qPrintable(config ? QString() : config.error()));
    QCOMPARE(config->created.isValid(), expected.isValid());
    if (expected.isValid())
        QCOMPARE(config->created.toUTC(), expected);
    QCOMPARE(config->history.size(), 1);
    QCOMPARE(config->history.first().created, config->created);
    QVERIFY(config->history.first().emptyLayer);
    QCOMPARE(config->history.first().createdBy, u"RUN true"_s);
}

void TestRegistryDocuments::referrers()
{
    const QByteArray body =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)"
        R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:)" +
        QByteArray(64, 'f') +
        R"(","size":700,"artifactType":"application/vnd.example.signature",)"
        R"("annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"}}]})";
    const auto referrers = RegistryDocuments::referrers(body);
    QVERIFY2(referrers, qPrintable(referrers ? QString() : referrers.error()));
    QCOMPARE(referrers->size(), 1);
    QCOMPARE(referrers->first().artifactType, u"application/vnd.example.signature"_s);
    QCOMPARE(referrers->first().size, qint64(700));
    QCOMPARE(referrers->first().annotations.value(u"org.opencontainers.image.created"_s),
             u"2024-01-01T00:00:00Z"_s);

    const auto broken = RegistryDocuments::referrers("404 page not found");
    QVERIFY(!broken);
    QVERIFY2(broken.error().contains(u"not a valid OCI index"_s), qPrintable(broken.error()));
}

} // namespace berth::app

QTEST_GUILESS_MAIN(berth::app::TestRegistryDocuments)
#include "TestRegistryDocuments.moc"
