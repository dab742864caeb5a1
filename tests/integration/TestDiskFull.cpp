// berthd on a full disk: its storage root is a small tmpfs, so writes fail with ENOSPC.
// Every refused push must answer 507 with an OCI error saying storage is full, leave
// nothing partial behind (no blob, no tag, no space held), and leave the server serving
// what it stored before. Needs root to mount the tmpfs; skipped otherwise.

#include "RegistryFixtures.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <cstring>
#include <sys/mount.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr qsizetype kibibyte = 1024;
constexpr qsizetype mebibyte = 1024 * kibibyte;

// A tmpfs mounted for the lifetime of the object.
class TmpfsMount
{
public:
    bool mount(const QString& directory, const QByteArray& size)
    {
        const QByteArray options = "size=" + size;
        if (::mount("tmpfs", QFile::encodeName(directory).constData(), "tmpfs", MS_NOSUID | MS_NODEV,
                    options.constData()) != 0) {
            m_error = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        m_directory = directory;
        return true;
    }
    ~TmpfsMount()
    {
        // A lazy unmount as a fallback, so a busy mount never outlives the test.
        if (!m_directory.isEmpty() && ::umount(QFile::encodeName(m_directory).constData()) != 0)
            ::umount2(QFile::encodeName(m_directory).constData(), MNT_DETACH);
    }
    QString errorString() const { return m_error; }

private:
    QString m_directory;
    QString m_error;
};

enum class Upload
{
    SinglePost,
    PostThenPut,
    Chunks
};

struct Pushed
{
    HttpResponse answer; // the one that failed, or the final 201
    QString uploadUrl;   // the session's last Location; empty for a single POST
};

bool isStorageFull(const HttpResponse& response)
{
    const QJsonArray errors = response.json().object().value("errors"_L1).toArray();
    return response.status == 507 && !errors.isEmpty() &&
           errors.first().toObject().value("message"_L1).toString().contains("storage is full"_L1);
}

} // namespace

class TestDiskFull : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void blobLargerThanDisk_data();
    void blobLargerThanDisk();
    void earlierBlobStillPulls();
    void fullDiskRefusesBlobsAndManifests();
    void diskPressurePausesUploads();

private:
    // Pushes `data` the way `how` says, stopping at the first failure.
    Pushed push(const QString& repo, const QByteArray& data, Upload how);
    // Relative paths of the files under the storage root, outside berthd's temporary folder.
    QStringList storedFiles() const;
    // What storedFiles() lists now and did not in `before`, with sizes.
    QStringList newFiles(const QStringList& before) const;
    qint64 freeBytes() const { return QStorageInfo(m_mountPoint.path()).bytesAvailable(); }
    QString blobDataPath(const QString& digest) const;
    // Writes a file until no more than `leaveFree` bytes (to a page) are left on the disk.
    bool fillDisk(qint64 leaveFree = 0);

    QTemporaryDir m_mountPoint;
    TmpfsMount m_mount;      // declared after the directory and before the registry:
    TestRegistry m_registry; // the registry stops, then the mount goes, then the directory
    QString m_storageRoot;   // a directory in the tmpfs
    QString m_fillerPath;    // beside the storage root
    QString m_firstRepo;
    QByteArray m_firstBlob;
};

void TestDiskFull::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("mounting a tmpfs needs root");
    if (m_registry.isReference())
        QSKIP("checks berthd's own answers (507 and its message); not a Distribution property");
    QVERIFY(m_mountPoint.isValid());
    if (!m_mount.mount(m_mountPoint.path(), "8m"))
        QSKIP(qPrintable(u"cannot mount a tmpfs: "_s + m_mount.errorString()));
    m_storageRoot = m_mountPoint.filePath(u"registry"_s);
    m_registry.process().setStorageRoot(m_storageRoot);
    m_fillerPath = m_mountPoint.filePath(u"filler"_s);
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));

    m_firstRepo = uniqueRepository(u"diskfull"_s);
    m_firstBlob = randomBytes(1 * mebibyte);
    QCOMPARE(pushBlob(m_registry.client(), m_firstRepo, m_firstBlob), QString());
}

void TestDiskFull::cleanup()
{
    QFile::remove(m_fillerPath);
    QVERIFY2(m_registry.checkAfterTest(), "the registry stopped answering GET /v2/");
}

Pushed TestDiskFull::push(const QString& repo, const QByteArray& data, Upload how)
{
    HttpClient& client = m_registry.client();
    const QString digestQuery = u"digest="_s + sha256Digest(data);
    if (how == Upload::SinglePost)
        return {client.send("POST", withQuery(uploadsPath(repo), digestQuery), data), {}};

    const HttpResponse started = client.send("POST", uploadsPath(repo));
    if (started.status != 202)
        return {started, {}};
    QString location = QString::fromUtf8(started.header("Location"));
    if (how == Upload::PostThenPut)
        return {client.send("PUT", withQuery(location, digestQuery), data), location};

    constexpr qsizetype chunkSize = 4 * mebibyte;
    for (qsizetype offset = 0; offset < data.size(); offset += chunkSize) {
        const QByteArray chunk = data.mid(offset, chunkSize);
        const QByteArray range =
            QByteArray::number(offset) + '-' + QByteArray::number(offset + chunk.size() - 1);
        const HttpResponse patched = client.send("PATCH", location, chunk, {{"Content-Range", range}});
        if (patched.status != 202)
            return {patched, location};
        location = QString::fromUtf8(patched.header("Location"));
    }
    return {client.send("PUT", withQuery(location, digestQuery)), location};
}

QStringList TestDiskFull::storedFiles() const
{
    QStringList files;
    QDirIterator it(m_storageRoot, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next().mid(m_storageRoot.size() + 1);
        if (!path.startsWith(".berth-tmp/"_L1))
            files.append(path);
    }
    files.sort();
    return files;
}

QStringList TestDiskFull::newFiles(const QStringList& before) const
{
    QStringList added;
    for (const QString& file : storedFiles()) {
        if (!before.contains(file))
            added.append(u"%1 (%2 bytes)"_s.arg(file).arg(QFileInfo(m_storageRoot + u'/' + file).size()));
    }
    return added;
}

QString TestDiskFull::blobDataPath(const QString& digest) const
{
    const QString hex = digest.section(u':', 1);
    return m_storageRoot + u"/docker/registry/v2/blobs/sha256/%1/%2/data"_s.arg(hex.left(2), hex);
}

bool TestDiskFull::fillDisk(qint64 leaveFree)
{
    QFile filler(m_fillerPath);
    if (!filler.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return false;
    // Large writes while they fit, then page-sized ones for what is left.
    for (const qsizetype size : {1 * mebibyte, 4 * kibibyte}) {
        const QByteArray block(size, 'f');
        while (freeBytes() - size >= leaveFree && filler.write(block) == size) {
        }
    }
    return freeBytes() < leaveFree + 4096;
}

void TestDiskFull::diskPressurePausesUploads()
{
    // A second registry on the same small disk, asked to keep 3 MiB free.
    RegistryProcess guarded;
    guarded.setStorageRoot(m_mountPoint.filePath(u"guarded"_s));
    guarded.setExtraConfig("berth:\n  storage:\n    minfreespace: 3MiB\n");
    QVERIFY2(guarded.start(), qPrintable(guarded.errorString()));
    HttpClient client(guarded.baseUrl());
    const QString repo = uniqueRepository(u"pressure"_s);
    const QByteArray stored = randomBytes(64 * kibibyte);
    QCOMPARE(pushBlob(client, repo, stored), QString());

    QVERIFY2(fillDisk(1 * mebibyte), qPrintable(u"%1 bytes free"_s.arg(freeBytes())));
    for (const QByteArray& method : {QByteArray("POST"), QByteArray("POST with digest")}) {
        const QString target = method == "POST" ? uploadsPath(repo)
                                                : withQuery(uploadsPath(repo), u"digest="_s + sha256Digest("x"));
        const HttpResponse refused = client.send("POST", target, method == "POST" ? QByteArray() : "x");
        QVERIFY2(refused.status == 507, qPrintable(refused.describe()));
        QVERIFY2(refused.body.contains("low on free space"), qPrintable(refused.describe()));
    }
    // Reads go on, and the operator is told.
    const HttpResponse pulled = client.get(blobPath(repo, sha256Digest(stored)));
    QCOMPARE(pulled.status, 200);
    QVERIFY(pulled.body == stored);
    QTRY_VERIFY_WITH_TIMEOUT(guarded.output().contains("disk pressure: uploads paused"), 2000);

    // Space comes back: so do uploads.
    QVERIFY(QFile::remove(m_fillerPath));
    QCOMPARE(pushBlob(client, repo, randomBytes(64 * kibibyte)), QString());
    QTRY_VERIFY_WITH_TIMEOUT(guarded.output().contains("disk pressure lifted"), 2000);
}

void TestDiskFull::blobLargerThanDisk_data()
{
    QTest::addColumn<Upload>("how");
    QTest::newRow("single POST") << Upload::SinglePost;
    QTest::newRow("POST then PUT") << Upload::PostThenPut;
    QTest::newRow("4 MiB PATCH chunks") << Upload::Chunks;
}

void TestDiskFull::blobLargerThanDisk()
{
    QFETCH(Upload, how);
    const QString repo = uniqueRepository(u"diskfull"_s);
    const QByteArray data = randomBytes(16 * mebibyte);
    const QString digest = sha256Digest(data);
    const QStringList filesBefore = storedFiles();
    const qint64 freeBefore = freeBytes();

    const Pushed pushed = push(repo, data, how);
    QVERIFY2(isStorageFull(pushed.answer), qPrintable(pushed.answer.describe()));

    // Nothing partial stays: no blob, no upload data, no space held.
    QVERIFY(!QFileInfo::exists(blobDataPath(digest)));
    QVERIFY2(freeBytes() >= freeBefore - 64 * kibibyte,
             qPrintable(u"%1 bytes free before, %2 after"_s.arg(freeBefore).arg(freeBytes())));
    const QStringList added = newFiles(filesBefore);
    QVERIFY2(added.isEmpty(), qPrintable(added.join(u", "_s)));
    QCOMPARE(m_registry.client().get(blobPath(repo, digest)).status, 404);
    QCOMPARE(m_registry.client().head(blobPath(repo, digest)).status, 404);

    if (pushed.uploadUrl.isEmpty())
        return;
    // The failed session is gone for clients too.
    const HttpResponse status = m_registry.client().get(pushed.uploadUrl);
    QCOMPARE(status.status, 404);
    QCOMPARE(status.errorCode(), QByteArrayLiteral("BLOB_UPLOAD_UNKNOWN"));
    QVERIFY2(storedFiles() == filesBefore, qPrintable(newFiles(filesBefore).join(u", "_s)));
}

void TestDiskFull::earlierBlobStillPulls()
{
    const HttpResponse pulled = m_registry.client().get(blobPath(m_firstRepo, sha256Digest(m_firstBlob)));
    QCOMPARE(pulled.status, 200);
    QVERIFY(pulled.body == m_firstBlob);
}

void TestDiskFull::fullDiskRefusesBlobsAndManifests()
{
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"diskfull"_s);
    const Image image = makeImage(media::OciManifest, 1, 4096);
    QCOMPARE(pushBlob(client, repo, image.config), QString());
    QCOMPARE(pushBlob(client, repo, image.layers.first()), QString());

    // One upload starts before the disk fills up, one after.
    const HttpResponse started = client.send("POST", uploadsPath(repo));
    QCOMPARE(started.status, 202);
    QVERIFY2(fillDisk(), qPrintable(u"%1 bytes still free"_s.arg(freeBytes())));
    const QStringList filesBefore = storedFiles();

    const QByteArray blob = randomBytes(64 * kibibyte);
    const HttpResponse refusedData = client.send(
        "PUT", withQuery(QString::fromUtf8(started.header("Location")), u"digest="_s + sha256Digest(blob)),
        blob);
    QVERIFY2(isStorageFull(refusedData), qPrintable(refusedData.describe()));
    // Discarding the failed upload gave its few bytes back: take them again.
    QVERIFY2(fillDisk(), qPrintable(u"%1 bytes still free"_s.arg(freeBytes())));
    const HttpResponse refusedStart = client.send("POST", uploadsPath(repo));
    QVERIFY2(isStorageFull(refusedStart), qPrintable(refusedStart.describe()));
    QCOMPARE(client.get(blobPath(repo, sha256Digest(blob))).status, 404);

    const HttpResponse refusedManifest =
        putManifest(client, repo, u"full"_s, image.mediaType, image.manifest);
    QVERIFY2(isStorageFull(refusedManifest), qPrintable(refusedManifest.describe()));
    QCOMPARE(client.get(manifestPath(repo, u"full"_s)).status, 404);
    QCOMPARE(client.get(manifestPath(repo, image.digest())).status, 404);
    const HttpResponse tags = client.get(u"/v2/%1/tags/list"_s.arg(repo));
    QVERIFY2(tags.status == 404 || !tags.json().object().value("tags"_L1).toArray().contains(u"full"_s),
             qPrintable(tags.describe()));
    const QStringList added = newFiles(filesBefore);
    QVERIFY2(added.isEmpty(), qPrintable(added.join(u", "_s)));

    // What was stored before still pulls while the disk is full.
    const HttpResponse layer = client.get(blobPath(repo, sha256Digest(image.layers.first())));
    QCOMPARE(layer.status, 200);
    QVERIFY(layer.body == image.layers.first());

    QVERIFY(QFile::remove(m_fillerPath));
    QCOMPARE(pushBlob(client, repo, blob), QString());
    QCOMPARE(pushManifest(client, repo, image.mediaType, image.manifest, u"full"_s), QString());
    const HttpResponse pulled =
        client.get(manifestPath(repo, u"full"_s), {{"Accept", media::OciManifest.data()}});
    QCOMPARE(pulled.status, 200);
    QCOMPARE(pulled.body, image.manifest);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestDiskFull)
#include "TestDiskFull.moc"
