// AdminDocuments, the admin API's storage documents read into the console's types without a
// network: the largest images and layers of /admin/v1/storage exactly as written, their
// absence from an older berthd or another server told apart from an empty list, a
// repository's images, the index still building, and broken documents refused with a reason.

#include "app/AdminDocuments.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::app {

class TestAdminDocuments : public QObject
{
    Q_OBJECT

private slots:
    void largestImagesAndLayers();
    void withoutImageFigures_data();
    void withoutImageFigures();
    void repositoryImages();
    void repositoryImagesWhileBuilding();
    void refused_data();
    void refused();
};

// After the class: moc loses count of braces inside raw strings before it.
namespace {

const QByteArray digestA = "sha256:" + QByteArray(64, 'a');
const QByteArray digestB = "sha256:" + QByteArray(64, 'b');
const QByteArray digestC = "sha256:" + QByteArray(64, 'c');

const QByteArray totalsAndRepositories =
    R"("building": false, "totals": {"bytes_on_disk": 300, "blobs": 3},
       "repositories": [{"name": "team/app", "logical_bytes": 300, "unique_bytes": 100,
                         "shared_bytes": 200, "tags": 2, "manifests": 2, "blobs": 3}],
       "disk": {"free_bytes": 10, "total_bytes": 20, "min_free_bytes": 0, "under_pressure": false})";

QByteArray storageDocument(const QByteArray& extra)
{
    return "{" + totalsAndRepositories + extra + "}";
}

} // namespace

void TestAdminDocuments::largestImagesAndLayers()
{
    const QByteArray body = storageDocument(
        R"(, "largest_images": [
              {"repository": "team/app", "digest": ")" +
        digestA + R"(", "media_type": "application/vnd.oci.image.manifest.v1+json",
               "tags": ["v2", "latest"], "bytes": 250, "unique_bytes": 50, "pushed": "2026-11-20T09:30:00Z"},
              {"repository": "team/app", "digest": ")" +
        digestB + R"(", "media_type": "application/vnd.oci.image.manifest.v1+json",
               "tags": [], "bytes": 200, "unique_bytes": 0, "pushed": "2026-11-19T08:00:00.250Z"}],
           "largest_layers": [
              {"digest": ")" +
        digestC + R"(", "media_type": "application/vnd.oci.image.layer.v1.tar+gzip",
               "bytes": 150, "images": 2, "repositories": 1}])");
    const auto report = AdminDocuments::storage(body);
    QVERIFY2(report, qPrintable(report ? QString() : report.error()));
    QCOMPARE(report->repositories.size(), 1);
    QVERIFY(report->largestImages);
    QCOMPARE(report->largestImages->size(), 2);
    const ImageStorage& first = report->largestImages->at(0);
    QCOMPARE(first.repository, u"team/app"_s);
    QCOMPARE(first.digest, QString::fromLatin1(digestA));
    QCOMPARE(first.mediaType, u"application/vnd.oci.image.manifest.v1+json"_s);
    QCOMPARE(first.tags, (QStringList{u"v2"_s, u"latest"_s}));
    QCOMPARE(first.bytes, 250);
    QCOMPARE(first.uniqueBytes, 50);
    QCOMPARE(first.sharedBytes(), 200);
    QCOMPARE(first.pushed, QDateTime(QDate(2026, 11, 20), QTime(9, 30), Qt::UTC));
    const ImageStorage& untagged = report->largestImages->at(1);
    QVERIFY(untagged.tags.isEmpty());
    QCOMPARE(untagged.pushed, QDateTime(QDate(2026, 11, 19), QTime(8, 0, 0, 250), Qt::UTC));

    QVERIFY(report->largestLayers);
    QCOMPARE(report->largestLayers->size(), 1);
    QCOMPARE(report->largestLayers->first(),
             (LayerStorage{QString::fromLatin1(digestC), u"application/vnd.oci.image.layer.v1.tar+gzip"_s,
                           150, 2, 1}));
}

void TestAdminDocuments::withoutImageFigures_data()
{
    QTest::addColumn<QByteArray>("extra");
    QTest::addColumn<bool>("reported");
    // An older berthd, or any server without the figures: the console says it cannot tell.
    QTest::newRow("older berthd") << QByteArray() << false;
    // A registry with nothing in it: empty lists, which the charts show as such.
    QTest::newRow("nothing stored") << QByteArray(R"(, "largest_images": [], "largest_layers": [])") << true;
}

void TestAdminDocuments::withoutImageFigures()
{
    QFETCH(QByteArray, extra);
    QFETCH(bool, reported);
    const auto report = AdminDocuments::storage(storageDocument(extra));
    QVERIFY(report);
    QCOMPARE(report->repositories.size(), 1);
    QCOMPARE(report->largestImages.has_value(), reported);
    QCOMPARE(report->largestLayers.has_value(), reported);
    if (reported)
        QVERIFY(report->largestImages->isEmpty() && report->largestLayers->isEmpty());
}

void TestAdminDocuments::repositoryImages()
{
    const QByteArray body = R"({"name": "team/app", "images": [
        {"digest": ")" + digestA +
                            R"(", "media_type": "application/vnd.oci.image.index.v1+json",
         "tags": ["latest"], "bytes": 9000, "unique_bytes": 700, "pushed": "2026-11-20T09:30:00+01:00"},
        {"digest": ")" + digestB +
                            R"(", "media_type": "application/vnd.docker.distribution.manifest.v2+json",
         "tags": [], "bytes": 10, "unique_bytes": 10}]})";
    const auto images = AdminDocuments::repositoryImages(body);
    QVERIFY2(images, qPrintable(images ? QString() : images.error()));
    QVERIFY(!images->building);
    QCOMPARE(images->name, u"team/app"_s);
    QCOMPARE(images->images.size(), 2);
    QVERIFY(images->images.first().repository.isEmpty());
    QCOMPARE(images->images.first().tags, QStringList{u"latest"_s});
    QCOMPARE(images->images.first().bytes, 9000);
    QCOMPARE(images->images.first().uniqueBytes, 700);
    QCOMPARE(images->images.first().pushed.toUTC(), QDateTime(QDate(2026, 11, 20), QTime(8, 30), Qt::UTC));
    QCOMPARE(images->images.last().mediaType, u"application/vnd.docker.distribution.manifest.v2+json"_s);
    QVERIFY(!images->images.last().pushed.isValid());
}

void TestAdminDocuments::repositoryImagesWhileBuilding()
{
    const auto images =
        AdminDocuments::repositoryImages(R"({"building": true, "progress": {"done": 3, "total": 10}})");
    QVERIFY(images);
    QVERIFY(images->building);
    QVERIFY(images->images.isEmpty());
}

void TestAdminDocuments::refused_data()
{
    QTest::addColumn<bool>("storage"); // else a repository's images
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reason");
    QTest::newRow("image without digest")
        << true << storageDocument(R"(, "largest_images": [{"repository": "a", "bytes": 1}])") << u"digest"_s;
    QTest::newRow("layer without digest")
        << true << storageDocument(R"(, "largest_layers": [{"bytes": 1, "images": 1}])") << u"digest"_s;
    QTest::newRow("not JSON") << false << QByteArray("<html>") << u"not JSON"_s;
    QTest::newRow("no images") << false << QByteArray(R"({"name": "a"})") << u"list of images"_s;
    QTest::newRow("no name") << false << QByteArray(R"({"images": []})") << u"name"_s;
    QTest::newRow("repository image without digest")
        << false << QByteArray(R"({"name": "a", "images": [{"bytes": 5}]})") << u"digest"_s;
}

void TestAdminDocuments::refused()
{
    QFETCH(bool, storage);
    QFETCH(QByteArray, body);
    QFETCH(QString, reason);
    const auto failure = [](const auto& read) { return read ? u"read"_s : read.error(); };
    const QString error =
        storage ? failure(AdminDocuments::storage(body)) : failure(AdminDocuments::repositoryImages(body));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

} // namespace berth::app

QTEST_GUILESS_MAIN(berth::app::TestAdminDocuments)
#include "TestAdminDocuments.moc"
