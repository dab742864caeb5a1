// berthd's storage statistics through its admin API, on a real process: images that share
// layers pushed with skopeo, and every figure checked against the blob files on disk, for
// repositories and for each image and layer (an index, an image in two repositories); the
// history sampled every second and still there after a restart; what another program
// changed while berthd was stopped seen at the next start; collections that delete
// idle upload sessions; disk pressure; the token; bad queries answered 400 while the server
// keeps serving.

#include "AdminServer.h"
#include "ClientSupport.h"
#include "CommandRunner.h"
#include "ImageFactory.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <set>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int skopeoTimeoutMs = 90000;
constexpr int settleTimeoutMs = 30000;
constexpr auto blobsDirectory = "/docker/registry/v2/blobs/"_L1;
// Samples every second; uploads must keep 1 KiB free, which any test machine has.
constexpr QByteArrayView storageConfig =
    "berth:\n  storage:\n    historyinterval: 1s\n    minfreespace: 1KiB\n";

// The size of a blob's data file under the storage root; -1 when there is none.
qint64 sizeOnDisk(const QString& root, const QByteArray& digest)
{
    const QString hex = QString::fromLatin1(digest.mid(digest.indexOf(':') + 1));
    const QFileInfo data(root + blobsDirectory + u"sha256/"_s + hex.left(2) + u'/' + hex + u"/data"_s);
    return data.exists() ? data.size() : -1;
}

// Every blob data file under the storage root: count and bytes.
std::pair<qint64, qint64> blobFilesOnDisk(const QString& root)
{
    qint64 count = 0;
    qint64 bytes = 0;
    QDirIterator it(root + blobsDirectory, {u"data"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        ++count;
        bytes += it.nextFileInfo().size();
    }
    return {count, bytes};
}

QJsonObject repositoryNamed(const QJsonObject& storage, const QString& name)
{
    for (const QJsonValue& repository : storage.value("repositories"_L1).toArray()) {
        if (repository.toObject().value("name"_L1).toString() == name)
            return repository.toObject();
    }
    return {};
}

QString checkDisk(const QJsonObject& disk)
{
    const qint64 free = disk.value("free_bytes"_L1).toInteger(-1);
    const qint64 total = disk.value("total_bytes"_L1).toInteger(-1);
    if (free <= 0 || total < free || disk.value("min_free_bytes"_L1).toInteger(-1) != 1024 ||
        disk.value("under_pressure"_L1) != QJsonValue(false))
        return u"unexpected disk state: "_s +
               QString::fromUtf8(QJsonDocument(disk).toJson(QJsonDocument::Compact));
    return {};
}

// What one image pushed reaches: its manifest, and the config and layers of it and of its
// children.
struct PushedImage
{
    QString repository;
    QByteArray digest;
    QByteArray mediaType;
    QStringList tags;
    std::set<QByteArray> reached;
};

std::set<QByteArray> reachedBy(const Image& image)
{
    std::set<QByteArray> digests{image.manifest.digest(), image.config.digest()};
    for (const QByteArray& layer : image.layerDigests())
        digests.insert(layer);
    return digests;
}

std::set<QByteArray> reachedBy(const ImageIndex& index)
{
    std::set<QByteArray> digests{index.index.digest()};
    for (const Image& image : index.images)
        digests.merge(reachedBy(image));
    return digests;
}

// An image object of the admin API checked against the blob files under `root`; what
// disagrees, or empty.
QString checkImage(const QJsonObject& found, const PushedImage& pushed, const QString& root,
                   const std::map<QByteArray, int>& imagesReaching, bool withRepository)
{
    qint64 bytes = 0;
    qint64 unique = 0;
    for (const QByteArray& digest : pushed.reached) {
        const qint64 size = sizeOnDisk(root, digest);
        if (size < 0)
            return u"no blob file for "_s + QString::fromLatin1(digest);
        bytes += size;
        unique += imagesReaching.at(digest) == 1 ? size : 0;
    }
    QStringList tags;
    for (const QJsonValue& tag : found.value("tags"_L1).toArray())
        tags.append(tag.toString());
    const QDateTime pushedAt = QDateTime::fromString(found.value("pushed"_L1).toString(), Qt::ISODate);
    if (found.value("bytes"_L1).toInteger(-1) != bytes ||
        found.value("unique_bytes"_L1).toInteger(-1) != unique || tags != pushed.tags ||
        found.value("media_type"_L1).toString().toLatin1() != pushed.mediaType ||
        found.contains("repository"_L1) != withRepository ||
        (withRepository && found.value("repository"_L1).toString() != pushed.repository) ||
        !pushedAt.isValid() || pushedAt.secsTo(QDateTime::currentDateTimeUtc()) > 3600)
        return u"%1@%2: expected %3 bytes, %4 unique, tags %5, got %6"_s.arg(
            pushed.repository, QString::fromLatin1(pushed.digest), QString::number(bytes),
            QString::number(unique), tags.join(u','),
            QString::fromUtf8(QJsonDocument(found).toJson(QJsonDocument::Compact)));
    return {};
}

// Whether `objects` are in descending order of "bytes".
bool largestFirst(const QJsonArray& objects)
{
    for (qsizetype i = 1; i < objects.size(); ++i) {
        if (objects.at(i - 1).toObject().value("bytes"_L1).toInteger() <
            objects.at(i).toObject().value("bytes"_L1).toInteger())
            return false;
    }
    return true;
}

} // namespace

class TestStorageApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sharedLayersMatchTheFilesOnDisk();
    void imagesAndLayersMatchTheFilesOnDisk();
    void unknownRepository();
    void historySurvivesARestart();
    void rebuiltAfterACrashOrAnOfflineCollection();
    void changesWhileStoppedAreSeen();
    void collectionsDeleteIdleUploads();
    void diskPressureIsShown();
    void requiresTheToken_data();
    void requiresTheToken();
    void badQueries_data();
    void badQueries();

private:
    QString start(AdminServer& server);
    // GET /admin/v1/storage once the index is built; an empty object (and a failed test) otherwise.
    QJsonObject storage(AdminServer& server);
    QJsonArray history(AdminServer& server, const QString& query = {});
    // Pushes `image` (an Image or ImageIndex) with skopeo, keeping its digests; returns what
    // went wrong, or empty.
    template <class Content>
    QString push(const Content& image, AdminServer& server, const QString& nameAndTag);
    // Runs a collection with `body` to its end; returns the job's result.
    QJsonObject collect(AdminServer& server, const QByteArray& body);

    ContainersHome m_home;
    QTemporaryDir m_work;
    int m_layouts = 0;
};

void TestStorageApi::initTestCase()
{
    if (RegistryProcess::kindFromEnvironment() != RegistryProcess::Kind::Berthd)
        QSKIP("the admin API is berthd's own");
    if (QStandardPaths::findExecutable(u"skopeo"_s).isEmpty())
        QSKIP("skopeo is not installed (Debian package skopeo)");
    QVERIFY(m_work.isValid());
    BERTH_VERIFY_OK(m_home.setUp());
}

QString TestStorageApi::start(AdminServer& server)
{
    if (QString error = server.start(randomToken("admin-token-"), {}, {}, storageConfig.toByteArray());
        !error.isEmpty())
        return error;
    return server.waitForAdmin();
}

QJsonObject TestStorageApi::storage(AdminServer& server)
{
    QJsonObject answer;
    const auto built = [&] {
        const HttpResponse response = server.send("GET", u"/admin/v1/storage"_s);
        answer = response.status == 200 ? response.json().object() : QJsonObject();
        return !answer.isEmpty() && answer.value("building"_L1) == QJsonValue(false);
    };
    [&] { QTRY_VERIFY_WITH_TIMEOUT(built(), settleTimeoutMs); }();
    return QTest::currentTestFailed() ? QJsonObject() : answer;
}

QJsonArray TestStorageApi::history(AdminServer& server, const QString& query)
{
    const HttpResponse response = server.send("GET", u"/admin/v1/storage/history"_s + query);
    if (response.status != 200)
        qWarning("history: %s", qPrintable(response.describe()));
    return response.json().object().value("samples"_L1).toArray();
}

template <class Content>
QString TestStorageApi::push(const Content& image, AdminServer& server, const QString& nameAndTag)
{
    OciLayout layout(m_work.filePath(QString::number(++m_layouts)));
    if (QString error = layout.write(image, u"source"_s); !error.isEmpty())
        return error;
    const QStringList arguments{u"--registries.d"_s,
                                m_home.filePath(u"registries.d"_s),
                                u"--insecure-policy"_s,
                                u"copy"_s,
                                u"--src-tls-verify=false"_s,
                                u"--dest-tls-verify=false"_s,
                                u"--preserve-digests"_s,
                                u"--all"_s, // every image of an index
                                layout.reference(u"source"_s),
                                u"docker://"_s + server.process().hostPort() + u'/' + nameAndTag};
    const auto skopeo = startClient(u"skopeo"_s, arguments, m_home.environment());
    return waitClient(*skopeo, skopeoTimeoutMs);
}

QJsonObject TestStorageApi::collect(AdminServer& server, const QByteArray& body)
{
    const HttpResponse started = server.send("POST", u"/admin/v1/gc"_s, body);
    if (started.status != 202) {
        qWarning("POST /admin/v1/gc: %s", qPrintable(started.describe()));
        return {};
    }
    const QString path = u"/admin/v1/gc/"_s + started.json().object().value("id"_L1).toString();
    QJsonObject job;
    const auto finished = [&] {
        job = server.send("GET", path).json().object();
        return job.value("state"_L1).toString() != "running"_L1;
    };
    [&] { QTRY_VERIFY_WITH_TIMEOUT(finished(), settleTimeoutMs); }();
    if (job.value("state"_L1).toString() != "done"_L1)
        qWarning("collection: %s", QJsonDocument(job).toJson(QJsonDocument::Compact).constData());
    return job.value("result"_L1).toObject();
}

void TestStorageApi::sharedLayersMatchTheFilesOnDisk()
{
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    // Two base layers in one and two, one of them in three as well; every image has its
    // own top layer and config.
    const Blob base = ImageFactory::randomLayer(256 << 10);
    const Blob common = ImageFactory::randomLayer(96 << 10);
    const std::map<QString, Image> images{
        {u"team/one"_s, ImageFactory::image({base, common, ImageFactory::randomLayer(64 << 10)})},
        {u"team/two"_s, ImageFactory::image({base, common, ImageFactory::randomLayer(32 << 10)})},
        {u"three"_s, ImageFactory::image({base, ImageFactory::randomLayer(16 << 10)})},
    };
    std::map<QString, std::set<QByteArray>> reached;
    std::map<QByteArray, int> reachedBy;
    for (const auto& [repository, image] : images) {
        BERTH_VERIFY_OK(push(image, server, repository + u":v1"_s));
        auto& digests = reached[repository];
        digests = {image.manifest.digest(), image.config.digest()};
        for (const QByteArray& layer : image.layerDigests())
            digests.insert(layer);
        for (const QByteArray& digest : digests)
            ++reachedBy[digest];
    }
    // The same image under a second tag changes no byte figure.
    BERTH_VERIFY_OK(push(images.at(u"three"_s), server, u"three:latest"_s));

    const QString root = server.process().storageRoot();
    const QJsonObject answer = storage(server);
    QVERIFY(!answer.isEmpty());
    const QJsonArray repositories = answer.value("repositories"_L1).toArray();
    QCOMPARE(repositories.size(), qsizetype(images.size()));
    for (const auto& [repository, digests] : reached) {
        qint64 logical = 0;
        qint64 unique = 0;
        for (const QByteArray& digest : digests) {
            const qint64 size = sizeOnDisk(root, digest);
            QVERIFY2(size >= 0, digest.constData());
            logical += size;
            if (reachedBy[digest] == 1)
                unique += size;
        }
        const QJsonObject figures = repositoryNamed(answer, repository);
        const QByteArray where =
            repository.toUtf8() + ": " + QJsonDocument(figures).toJson(QJsonDocument::Compact);
        QVERIFY2(unique > 0 && unique < logical, where.constData()); // the scenario shares something
        QVERIFY2(figures.value("logical_bytes"_L1).toInteger(-1) == logical, where.constData());
        QVERIFY2(figures.value("unique_bytes"_L1).toInteger(-1) == unique, where.constData());
        QVERIFY2(figures.value("shared_bytes"_L1).toInteger(-1) == logical - unique, where.constData());
        QVERIFY2(figures.value("blobs"_L1).toInteger(-1) == qint64(digests.size()), where.constData());
        QVERIFY2(figures.value("manifests"_L1).toInteger(-1) == 1, where.constData());
        QVERIFY2(figures.value("tags"_L1).toInteger(-1) == (repository == "three"_L1 ? 2 : 1),
                 where.constData());
        const QDateTime lastPush =
            QDateTime::fromString(figures.value("last_push"_L1).toString(), Qt::ISODate);
        QVERIFY2(lastPush.isValid() && lastPush.secsTo(QDateTime::currentDateTimeUtc()) < 3600,
                 where.constData());
    }

    const auto [blobCount, blobBytes] = blobFilesOnDisk(root);
    const QJsonObject totals = answer.value("totals"_L1).toObject();
    QCOMPARE(totals.value("blobs"_L1).toInteger(-1), blobCount);
    QCOMPARE(totals.value("blobs"_L1).toInteger(-1), qint64(reachedBy.size()));
    QCOMPARE(totals.value("bytes_on_disk"_L1).toInteger(-1), blobBytes);
    QCOMPARE(totals.value("unreferenced_bytes"_L1).toInteger(-1), qint64(0));
    QCOMPARE(totals.value("repositories"_L1).toInteger(-1), qint64(3));
    QCOMPARE(totals.value("manifests"_L1).toInteger(-1), qint64(3));
    QCOMPARE(totals.value("tags"_L1).toInteger(-1), qint64(4));
    BERTH_VERIFY_OK(checkDisk(answer.value("disk"_L1).toObject()));
    BERTH_VERIFY_OK(
        checkDisk(server.send("GET", u"/admin/v1/info"_s).json().object().value("disk"_L1).toObject()));

    // Deleting team/two's image leaves common to team/one alone, and the deleted bytes
    // unreferenced until a collection.
    const Image& two = images.at(u"team/two"_s);
    const QString twoManifest = u"/v2/team/two/manifests/"_s + QString::fromLatin1(two.manifest.digest());
    QCOMPARE(server.registry().send("DELETE", twoManifest).status, 202);
    const QJsonObject after = storage(server);
    const QJsonObject one = repositoryNamed(after, u"team/one"_s);
    qint64 oneUnique = 0;
    for (const QByteArray& digest : reached[u"team/one"_s])
        oneUnique += digest == base.digest() ? 0 : sizeOnDisk(root, digest);
    QCOMPARE(one.value("unique_bytes"_L1).toInteger(-1), oneUnique);
    QVERIFY(repositoryNamed(after, u"team/two"_s).isEmpty());
    qint64 unreferenced = 0;
    for (const QByteArray& digest : reached[u"team/two"_s])
        unreferenced += reachedBy[digest] == 1 ? sizeOnDisk(root, digest) : 0;
    QCOMPARE(after.value("totals"_L1).toObject().value("unreferenced_bytes"_L1).toInteger(-1), unreferenced);
}

void TestStorageApi::imagesAndLayersMatchTheFilesOnDisk()
{
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    // Two images of team/app share two layers, lib/c shares one with them and also holds
    // the first again; an index over two images, one of them sharing the base.
    const Blob base = ImageFactory::randomLayer(192 << 10);
    const Blob common = ImageFactory::randomLayer(64 << 10);
    const Image first = ImageFactory::image({base, common, ImageFactory::randomLayer(48 << 10)});
    const Image second = ImageFactory::image({base, common, ImageFactory::randomLayer(24 << 10)});
    const Image third = ImageFactory::image({base, ImageFactory::randomLayer(16 << 10)});
    const ImageIndex multi = ImageFactory::index(
        {ImageFactory::image({base, ImageFactory::randomLayer(8 << 10)}),
         ImageFactory::image({ImageFactory::randomLayer(40 << 10)}, Platform{u"linux"_s, u"arm64"_s})});
    BERTH_VERIFY_OK(push(first, server, u"team/app:v1"_s));
    BERTH_VERIFY_OK(push(second, server, u"team/app:v2"_s));
    BERTH_VERIFY_OK(push(third, server, u"lib/c:v1"_s));
    BERTH_VERIFY_OK(push(first, server, u"lib/c:copy"_s));
    BERTH_VERIFY_OK(push(multi, server, u"multi:latest"_s));
    BERTH_VERIFY_OK(push(multi, server, u"multi:stable"_s));
    const QList<PushedImage> pushed{
        {u"team/app"_s, first.manifest.digest(), first.manifest.mediaType, {u"v1"_s}, reachedBy(first)},
        {u"team/app"_s, second.manifest.digest(), second.manifest.mediaType, {u"v2"_s}, reachedBy(second)},
        {u"lib/c"_s, third.manifest.digest(), third.manifest.mediaType, {u"v1"_s}, reachedBy(third)},
        {u"lib/c"_s, first.manifest.digest(), first.manifest.mediaType, {u"copy"_s}, reachedBy(first)},
        {u"multi"_s,
         multi.index.digest(),
         multi.index.mediaType,
         {u"latest"_s, u"stable"_s},
         reachedBy(multi)},
    };
    std::map<QByteArray, int> imagesReaching;
    std::map<QByteArray, std::set<QString>> repositoriesReaching;
    for (const PushedImage& image : pushed) {
        for (const QByteArray& digest : image.reached) {
            ++imagesReaching[digest];
            repositoriesReaching[digest].insert(image.repository);
        }
    }
    const QString root = server.process().storageRoot();
    const auto pushedImage = [&](const QString& repository, const QJsonObject& found) -> const PushedImage* {
        for (const PushedImage& image : pushed) {
            if (image.repository == repository &&
                image.digest == found.value("digest"_L1).toString().toLatin1())
                return &image;
        }
        return nullptr;
    };

    // The largest images: every image once (the index's children are not images of their own).
    const QJsonObject answer = storage(server);
    const QJsonArray largestImages = answer.value("largest_images"_L1).toArray();
    QCOMPARE(largestImages.size(), pushed.size());
    QVERIFY(largestFirst(largestImages));
    std::set<const PushedImage*> seen;
    for (const QJsonValue& value : largestImages) {
        const QJsonObject image = value.toObject();
        const PushedImage* expected = pushedImage(image.value("repository"_L1).toString(), image);
        QVERIFY2(expected, QJsonDocument(image).toJson(QJsonDocument::Compact).constData());
        seen.insert(expected);
        BERTH_VERIFY_OK(checkImage(image, *expected, root, imagesReaching, true));
    }
    QCOMPARE(seen.size(), std::size_t(pushed.size()));

    // The largest layers: every layer, with the images and repositories that reach it.
    std::map<QByteArray, QByteArray> layers; // digest -> media type
    for (const Image& image : {first, second, third, multi.images.at(0), multi.images.at(1)}) {
        for (const Blob& layer : image.layers)
            layers.emplace(layer.digest(), layer.mediaType);
    }
    const QJsonArray largestLayers = answer.value("largest_layers"_L1).toArray();
    QCOMPARE(largestLayers.size(), qsizetype(layers.size()));
    QVERIFY(largestFirst(largestLayers));
    for (const QJsonValue& value : largestLayers) {
        const QJsonObject layer = value.toObject();
        const QByteArray digest = layer.value("digest"_L1).toString().toLatin1();
        const QByteArray where = digest + ": " + QJsonDocument(layer).toJson(QJsonDocument::Compact);
        QVERIFY2(layers.contains(digest), where.constData());
        QVERIFY2(layer.value("media_type"_L1).toString().toLatin1() == layers.at(digest), where.constData());
        QVERIFY2(layer.value("bytes"_L1).toInteger(-1) == sizeOnDisk(root, digest), where.constData());
        QVERIFY2(layer.value("images"_L1).toInteger(-1) == imagesReaching.at(digest), where.constData());
        QVERIFY2(layer.value("repositories"_L1).toInteger(-1) ==
                     qint64(repositoriesReaching.at(digest).size()),
                 where.constData());
    }

    // Each repository's images, largest first, without the repository; a name may come
    // with its slashes encoded.
    for (const QString& repository : {u"team/app"_s, u"lib/c"_s, u"multi"_s, u"team%2Fapp"_s}) {
        const HttpResponse response = server.send("GET", u"/admin/v1/storage/repositories/"_s + repository);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        const QJsonObject figures = response.json().object();
        const QString name = QString(repository).replace(u"%2F"_s, u"/"_s);
        QCOMPARE(figures.value("building"_L1), QJsonValue(false));
        QCOMPARE(figures.value("name"_L1).toString(), name);
        const QJsonArray images = figures.value("images"_L1).toArray();
        QCOMPARE(images.size(), std::count_if(pushed.begin(), pushed.end(), [&](const PushedImage& image) {
                     return image.repository == name;
                 }));
        QVERIFY(largestFirst(images));
        for (const QJsonValue& value : images) {
            const PushedImage* expected = pushedImage(name, value.toObject());
            QVERIFY2(expected, QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).constData());
            BERTH_VERIFY_OK(checkImage(value.toObject(), *expected, root, imagesReaching, false));
        }
    }
}

void TestStorageApi::unknownRepository()
{
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    const Image image = ImageFactory::image({ImageFactory::randomLayer(16 << 10)});
    BERTH_VERIFY_OK(push(image, server, u"known/app:v1"_s));
    QVERIFY(!storage(server).isEmpty());
    for (const QString& name : {u"unknown"_s, u"known"_s, u"known/app/more"_s, u"known%2Fother"_s}) {
        const HttpResponse response = server.send("GET", u"/admin/v1/storage/repositories/"_s + name);
        QVERIFY2(response.status == 404, qPrintable(name + u": "_s + response.describe()));
        BERTH_VERIFY_OK(checkErrorBody(response));
        QCOMPARE(response.json().object().value("errors"_L1).toArray().first().toObject().value("code"_L1),
                 QJsonValue(u"NAME_UNKNOWN"_s));
    }
    QCOMPARE(server.send("GET", u"/admin/v1/storage/repositories/known/app"_s).status, 200);
}

void TestStorageApi::historySurvivesARestart()
{
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    const Image image = ImageFactory::image({ImageFactory::randomLayer(64 << 10)});
    BERTH_VERIFY_OK(push(image, server, u"kept/app:v1"_s));
    const auto hasImageSamples = [&](const QJsonArray& samples) {
        qsizetype count = 0;
        for (const QJsonValue& sample : samples)
            count +=
                sample.toObject().value("totals"_L1).toObject().value("repositories"_L1).toInteger() == 1;
        return count >= 2;
    };
    QTRY_VERIFY_WITH_TIMEOUT(hasImageSamples(history(server)), settleTimeoutMs);
    const QJsonArray before = history(server);
    const QJsonObject last = before.last().toObject();
    QCOMPARE(last.value("repositories"_L1).toArray().first().toObject().value("name"_L1).toString(),
             u"kept/app"_s);
    QCOMPARE(server.send("GET", u"/admin/v1/storage/history"_s)
                 .json()
                 .object()
                 .value("interval_seconds"_L1)
                 .toInteger(),
             qint64(1));
    const QJsonObject figures = storage(server);

    const QString indexFile = server.process().storageRoot() + u"/berth/storage-index"_s;
    server.process().stop();
    QVERIFY2(QFileInfo::exists(indexFile), "a clean stop saves the storage index");
    BERTH_VERIFY_OK(start(server));
    QCOMPARE(storage(server).value("repositories"_L1), figures.value("repositories"_L1));
    QVERIFY2(!QFileInfo::exists(indexFile), "a loaded index removes its file until the next clean stop");

    const QJsonArray after = history(server);
    QVERIFY(after.size() >= before.size());
    for (qsizetype i = 0; i < before.size(); ++i)
        QCOMPARE(after.at(i), before.at(i));
    // Oldest first, and ?since= keeps the samples from that time on.
    for (qsizetype i = 1; i < after.size(); ++i)
        QVERIFY(after.at(i - 1).toObject().value("time"_L1).toString() <=
                after.at(i).toObject().value("time"_L1).toString());
    const QString since = last.value("time"_L1).toString();
    const QJsonArray recent = history(server, u"?since="_s + since);
    QVERIFY(!recent.isEmpty());
    QCOMPARE(recent.first().toObject().value("time"_L1).toString(), since);
    QVERIFY(recent.size() < after.size());
}

void TestStorageApi::rebuiltAfterACrashOrAnOfflineCollection()
{
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    const Blob base = ImageFactory::randomLayer(128 << 10);
    const Image kept = ImageFactory::image({base, ImageFactory::randomLayer(32 << 10)});
    const Image dropped = ImageFactory::image({base, ImageFactory::randomLayer(48 << 10)});
    BERTH_VERIFY_OK(push(kept, server, u"crash/kept:v1"_s));
    BERTH_VERIFY_OK(push(dropped, server, u"crash/dropped:v1"_s));
    const QString root = server.process().storageRoot();
    const auto matchesDisk = [&](const QJsonObject& answer) {
        const auto [count, bytes] = blobFilesOnDisk(root);
        const QJsonObject totals = answer.value("totals"_L1).toObject();
        return totals.value("blobs"_L1).toInteger(-1) == count &&
               totals.value("bytes_on_disk"_L1).toInteger(-1) == bytes;
    };
    QVERIFY(matchesDisk(storage(server)));

    // Killed: no index is saved, the next start rebuilds it.
    server.process().kill();
    QVERIFY(!QFileInfo::exists(root + u"/berth/storage-index"_s));
    BERTH_VERIFY_OK(start(server));
    const QJsonObject rebuilt = storage(server);
    QVERIFY(matchesDisk(rebuilt));
    QCOMPARE(rebuilt.value("totals"_L1).toObject().value("repositories"_L1).toInteger(-1), qint64(2));

    // Collected offline after a clean stop: the saved index is removed with the garbage.
    const QString droppedManifest =
        u"/v2/crash/dropped/manifests/"_s + QString::fromLatin1(dropped.manifest.digest());
    QCOMPARE(server.registry().send("DELETE", droppedManifest).status, 202);
    server.process().stop();
    QVERIFY(QFileInfo::exists(root + u"/berth/storage-index"_s));
    const FinishedCommand collected = runCommand(
        RegistryProcess::berthdPath(), {u"garbage-collect"_s, server.process().configPath()}, 60000);
    QVERIFY2(collected.succeeded(), qPrintable(collected.describe()));
    QVERIFY(!QFileInfo::exists(root + u"/berth/storage-index"_s));
    BERTH_VERIFY_OK(start(server));
    const QJsonObject collectedFigures = storage(server);
    QVERIFY(matchesDisk(collectedFigures));
    const QJsonObject totals = collectedFigures.value("totals"_L1).toObject();
    QCOMPARE(totals.value("repositories"_L1).toInteger(-1), qint64(1));
    QCOMPARE(totals.value("unreferenced_bytes"_L1).toInteger(-1), qint64(0));
    qint64 keptBytes = 0;
    for (const QByteArray& digest :
         kept.layerDigests() + QList<QByteArray>{kept.config.digest(), kept.manifest.digest()})
        keptBytes += sizeOnDisk(root, digest);
    QCOMPARE(totals.value("bytes_on_disk"_L1).toInteger(-1), keptBytes);
    const QJsonObject repository = repositoryNamed(collectedFigures, u"crash/kept"_s);
    QCOMPARE(repository.value("unique_bytes"_L1).toInteger(-1), keptBytes);
    QCOMPARE(repository.value("logical_bytes"_L1).toInteger(-1), keptBytes);
}

void TestStorageApi::changesWhileStoppedAreSeen()
{
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    const Image image = ImageFactory::image({ImageFactory::randomLayer(32 << 10)});
    BERTH_VERIFY_OK(push(image, server, u"offline/app:v1"_s));
    QCOMPARE(storage(server).value("totals"_L1).toObject().value("repositories"_L1).toInteger(-1), qint64(1));
    const QString root = server.process().storageRoot();
    server.process().stop();
    QVERIFY2(QFileInfo::exists(root + u"/berth/storage-index"_s), "a clean stop saves the storage index");

    // Another program, while berthd is stopped: copies the repository (as a mirror would)
    // and removes the original's tag.
    const QString repositories = root + u"/docker/registry/v2/repositories/offline/"_s;
    const FinishedCommand copied =
        runCommand(u"cp"_s, {u"-a"_s, repositories + u"app"_s, repositories + u"copy"_s}, 30000);
    QVERIFY2(copied.succeeded(), qPrintable(copied.describe()));
    QVERIFY(QDir(repositories + u"app/_manifests/tags/v1"_s).removeRecursively());

    BERTH_VERIFY_OK(start(server));
    const QJsonObject answer = storage(server);
    QVERIFY2(!QFileInfo::exists(root + u"/berth/storage-index"_s), "the saved index was loaded");
    QCOMPARE(answer.value("totals"_L1).toObject().value("repositories"_L1).toInteger(-1), qint64(2));
    QCOMPARE(answer.value("totals"_L1).toObject().value("tags"_L1).toInteger(-1), qint64(1));
    qint64 bytes = 0;
    for (const QByteArray& digest : reachedBy(image))
        bytes += sizeOnDisk(root, digest);
    for (const QString& name : {u"offline/app"_s, u"offline/copy"_s}) {
        const QJsonObject figures = repositoryNamed(answer, name);
        const QByteArray where = QJsonDocument(figures).toJson(QJsonDocument::Compact);
        QVERIFY2(figures.value("tags"_L1).toInteger(-1) == (name == "offline/copy"_L1 ? 1 : 0),
                 where.constData());
        QVERIFY2(figures.value("logical_bytes"_L1).toInteger(-1) == bytes, where.constData());
        QVERIFY2(figures.value("unique_bytes"_L1).toInteger(-1) == 0, where.constData());
        const HttpResponse images = server.send("GET", u"/admin/v1/storage/repositories/"_s + name);
        QCOMPARE(images.status, 200);
        const QJsonArray found = images.json().object().value("images"_L1).toArray();
        QCOMPARE(found.size(), qsizetype(1));
        QCOMPARE(found.first().toObject().value("tags"_L1).toArray().size(),
                 name == "offline/copy"_L1 ? 1 : 0);
        QCOMPARE(found.first().toObject().value("bytes"_L1).toInteger(-1), bytes);
    }
}

void TestStorageApi::collectionsDeleteIdleUploads()
{
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    const QByteArray partial(3000, 'x');
    const HttpResponse created = server.registry().send("POST", u"/v2/idle/upload/blobs/uploads/"_s);
    QCOMPARE(created.status, 202);
    const QString location = QString::fromUtf8(created.header("Location"));
    const HttpResponse patched =
        server.registry().send("PATCH", location, partial, {{"Content-Type", "application/octet-stream"}});
    QCOMPARE(patched.status, 202);
    const auto uploads = [&] {
        return storage(server).value("totals"_L1).toObject().value("upload_sessions"_L1).toInteger(-1);
    };
    QTRY_COMPARE_WITH_TIMEOUT(uploads(), qint64(1), settleTimeoutMs);
    QCOMPARE(storage(server).value("totals"_L1).toObject().value("upload_bytes"_L1).toInteger(-1),
             qint64(partial.size()));

    // The default age (storage.maintenance.uploadpurging.age, 168h) keeps it.
    QJsonObject result = collect(server, "{}");
    QCOMPARE(result.value("uploads_deleted"_L1).toInteger(-1), qint64(0));
    result = collect(server, R"({"dry_run": true, "upload_age_seconds": 0})");
    QCOMPARE(result.value("uploads_deleted"_L1).toInteger(-1), qint64(1));
    QCOMPARE(result.value("upload_bytes_reclaimed"_L1).toInteger(-1), qint64(partial.size()));
    QCOMPARE(server.registry().get(location).status, 204);

    result = collect(server, R"({"upload_age_seconds": 0})");
    QCOMPARE(result.value("uploads_deleted"_L1).toInteger(-1), qint64(1));
    QCOMPARE(result.value("upload_bytes_reclaimed"_L1).toInteger(-1), qint64(partial.size()));
    QCOMPARE(server.registry().get(location).status, 404);
    QTRY_COMPARE_WITH_TIMEOUT(uploads(), qint64(0), settleTimeoutMs);
    QVERIFY(!QFileInfo::exists(server.process().storageRoot() +
                               u"/docker/registry/v2/repositories/idle/upload/_uploads"_s));
}

void TestStorageApi::diskPressureIsShown()
{
    // A minimum no disk here has free: uploads are refused, everything else goes on.
    AdminServer server;
    BERTH_VERIFY_OK(server.start(randomToken("admin-token-"), {}, {},
                                 "berth:\n  storage:\n    minfreespace: 1000000TiB\n"));
    BERTH_VERIFY_OK(server.waitForAdmin());
    const HttpResponse refused = server.registry().send("POST", u"/v2/full/disk/blobs/uploads/"_s);
    QCOMPARE(refused.status, 507);
    QTRY_VERIFY_WITH_TIMEOUT(server.process().output().contains("disk pressure: uploads paused"),
                             settleTimeoutMs);
    for (const QString& path : {u"/admin/v1/info"_s, u"/admin/v1/storage"_s}) {
        const HttpResponse response = server.send("GET", path);
        QCOMPARE(response.status, 200);
        const QJsonObject disk = response.json().object().value("disk"_L1).toObject();
        QCOMPARE(disk.value("under_pressure"_L1), QJsonValue(true));
        QCOMPARE(disk.value("min_free_bytes"_L1).toInteger(-1), qint64(1000000) << 40);
        QVERIFY(disk.value("free_bytes"_L1).toInteger(-1) >= 0);
        QVERIFY(disk.value("total_bytes"_L1).toInteger(-1) >= disk.value("free_bytes"_L1).toInteger(-1));
    }
}

void TestStorageApi::requiresTheToken_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization"); // empty: none
    for (const QString& path : {u"/admin/v1/storage"_s, u"/admin/v1/storage/history"_s,
                                u"/admin/v1/storage/repositories/team/app"_s}) {
        QTest::addRow("%s without a token", qPrintable(path)) << path << QByteArray();
        QTest::addRow("%s with a wrong token", qPrintable(path)) << path << QByteArray("Bearer wrong-token");
        QTest::addRow("%s with another scheme", qPrintable(path))
            << path << QByteArray("Basic YWRtaW46YWRtaW4=");
    }
}

void TestStorageApi::requiresTheToken()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, authorization);
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    HttpClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    const HttpResponse response = server.admin().get(path, headers);
    QCOMPARE(response.status, 401);
    QVERIFY(response.header("WWW-Authenticate").startsWith("Bearer"));
    BERTH_VERIFY_OK(checkErrorBody(response));
    QVERIFY(!response.body.contains("repositories"));
}

void TestStorageApi::badQueries_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("detail"); // part of the error's detail
    QTest::newRow("unknown parameter")
        << QByteArray("GET") << u"/admin/v1/storage?verbose=1"_s << 400 << u"\"verbose\""_s;
    QTest::newRow("unknown parameter, percent-encoded")
        << QByteArray("GET") << u"/admin/v1/storage?verb%6Fse"_s << 400 << u"\"verbose\""_s;
    QTest::newRow("since not a time")
        << QByteArray("GET") << u"/admin/v1/storage/history?since=yesterday"_s << 400 << u"RFC 3339"_s;
    QTest::newRow("since twice")
        << QByteArray("GET")
        << u"/admin/v1/storage/history?since=2026-01-01T00:00:00Z&since=2026-01-02T00:00:00Z"_s << 400
        << u"twice"_s;
    QTest::newRow("unknown history parameter")
        << QByteArray("GET") << u"/admin/v1/storage/history?until=1"_s << 400 << u"known: since"_s;
    QTest::newRow("POST") << QByteArray("POST") << u"/admin/v1/storage"_s << 405 << u"POST"_s;
    QTest::newRow("DELETE a repository")
        << QByteArray("DELETE") << u"/admin/v1/storage/repositories/app"_s << 405 << u"DELETE"_s;
    QTest::newRow("repository with a parameter")
        << QByteArray("GET") << u"/admin/v1/storage/repositories/app?n=1"_s << 400 << u"\"n\""_s;
    QTest::newRow("DELETE history") << QByteArray("DELETE") << u"/admin/v1/storage/history"_s << 405
                                    << u"DELETE"_s;
}

void TestStorageApi::badQueries()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, target);
    QFETCH(int, status);
    QFETCH(QString, detail);
    AdminServer server;
    BERTH_VERIFY_OK(start(server));
    const HttpResponse response = server.send(method, target);
    QCOMPARE(response.status, status);
    BERTH_VERIFY_OK(checkErrorBody(response));
    const QString said = response.json()
                             .object()
                             .value("errors"_L1)
                             .toArray()
                             .first()
                             .toObject()
                             .value("detail"_L1)
                             .toString();
    QVERIFY2(said.contains(detail), qPrintable(said));
    // Still serving, both listeners.
    QCOMPARE(server.send("GET", u"/admin/v1/storage"_s).status, 200);
    QCOMPARE(server.registry().get(u"/v2/"_s).status, 200);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestStorageApi)
#include "TestStorageApi.moc"
