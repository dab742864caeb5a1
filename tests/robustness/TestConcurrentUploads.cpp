// Many clients committing the same content at the same moment: uploads of one blob
// (monolithic, chunked, mixed) to one repository and to several, cross-repository mounts of
// a blob while it is still being uploaded, and manifest PUTs right after their blobs were
// committed by others. Every push must succeed and read back byte for byte. Each row runs
// a bounded number of rounds with fresh content, all clients released at once.

#include "RegistryFixtures.h"

#include <QStringList>
#include <QTest>
#include <QThread>
#include <atomic>
#include <functional>
#include <latch>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int rounds = 6;
constexpr int clientCount = 8;
constexpr int mountAttempts = 400;

enum class Upload
{
    Monolithic,
    PostThenPut,
    Chunked,
    Mixed
};

// Runs `work(0)` ... `work(count - 1)` on as many threads, released together so they
// race; returns the failures (work returns an empty string on success).
QStringList runTogether(int count, const std::function<QString(int)>& work)
{
    std::latch released(count);
    std::vector<QString> outcomes(static_cast<std::size_t>(count)); // one element per thread
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < count; ++i) {
        threads.emplace_back(QThread::create([&, i] {
            released.arrive_and_wait();
            outcomes[static_cast<std::size_t>(i)] = work(i);
        }));
        threads.back()->start();
    }
    QStringList failures;
    for (std::size_t i = 0; i < threads.size(); ++i) {
        threads[i]->wait();
        if (!outcomes[i].isEmpty())
            failures.append(u"client %1: %2"_s.arg(i).arg(outcomes[i]));
    }
    return failures;
}

// One request with the whole body: POST ?digest=.
QString pushBlobInOneRequest(HttpClient& client, const QString& repo, const QByteArray& data)
{
    const QString url = withQuery(uploadsPath(repo), u"digest="_s + sha256Digest(data));
    const HttpResponse response = client.send("POST", url, data);
    if (response.status != 201)
        return u"POST %1 -> %2"_s.arg(url, response.describe());
    return {};
}

QString pushBlobBy(Upload upload, int client, HttpClient& http, const QString& repo, const QByteArray& data)
{
    if (upload == Upload::Mixed)
        upload = static_cast<Upload>(client % 3);
    switch (upload) {
    case Upload::Monolithic:
        return pushBlobInOneRequest(http, repo, data);
    case Upload::PostThenPut:
        return pushBlob(http, repo, data);
    default:
        return pushBlobInChunks(http, repo, data, 2 + client % 4);
    }
}

// The blob as `repo` serves it is exactly `data`; an error description otherwise.
QString compareBlob(HttpClient& client, const QString& repo, const QByteArray& data)
{
    const QString path = blobPath(repo, sha256Digest(data));
    const HttpResponse response = client.get(path);
    if (response.status != 200)
        return u"GET %1 -> %2"_s.arg(path, response.describe());
    if (response.body != data)
        return u"GET %1 returned %2 other bytes"_s.arg(path).arg(response.body.size());
    return {};
}

// The manifest as `repo` serves it under `reference` is exactly `manifest`.
QString compareManifest(HttpClient& client, const QString& repo, const QString& reference,
                        const QByteArray& manifest)
{
    const QString path = manifestPath(repo, reference);
    const HttpResponse response = client.get(path, {{"Accept", media::OciManifest.data()}});
    if (response.status != 200)
        return u"GET %1 -> %2"_s.arg(path, response.describe());
    if (response.body != manifest)
        return u"GET %1 returned another manifest"_s.arg(path);
    return {};
}

} // namespace

class TestConcurrentUploads : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void uploadsOfOneBlob_data();
    void uploadsOfOneBlob();
    void mountsWhileUploading_data();
    void mountsWhileUploading();
    void manifestsOnJustCommittedBlobs_data();
    void manifestsOnJustCommittedBlobs();

private:
    // Client i's repository: one for all, or one each.
    static QString repositoryOf(const QStringList& repositories, int client);
    static QStringList newRepositories(const QString& area, bool shared);

    TestRegistry m_registry;
};

void TestConcurrentUploads::initTestCase()
{
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));
}

void TestConcurrentUploads::cleanup()
{
    QVERIFY(m_registry.checkAfterTest());
}

QString TestConcurrentUploads::repositoryOf(const QStringList& repositories, int client)
{
    return repositories.at(client % repositories.size());
}

QStringList TestConcurrentUploads::newRepositories(const QString& area, bool shared)
{
    QStringList repositories;
    for (int i = 0; i < (shared ? 1 : clientCount); ++i)
        repositories.append(uniqueRepository(area));
    return repositories;
}

void TestConcurrentUploads::uploadsOfOneBlob_data()
{
    QTest::addColumn<Upload>("upload");
    QTest::addColumn<bool>("sharedRepository");
    QTest::newRow("monolithic, one repository") << Upload::Monolithic << true;
    QTest::newRow("monolithic, a repository each") << Upload::Monolithic << false;
    QTest::newRow("POST then PUT, one repository") << Upload::PostThenPut << true;
    QTest::newRow("chunked, one repository") << Upload::Chunked << true;
    QTest::newRow("chunked, a repository each") << Upload::Chunked << false;
    QTest::newRow("mixed, one repository") << Upload::Mixed << true;
    QTest::newRow("mixed, a repository each") << Upload::Mixed << false;
}

void TestConcurrentUploads::uploadsOfOneBlob()
{
    QFETCH(Upload, upload);
    QFETCH(bool, sharedRepository);
    const QUrl base = m_registry.process().baseUrl();
    for (int round = 0; round < rounds; ++round) {
        const QStringList repositories = newRepositories(u"same-blob"_s, sharedRepository);
        const QByteArray blob = randomBytes((256 << 10) + round);
        const QStringList failures = runTogether(clientCount, [&](int client) {
            HttpClient http(base);
            const QString repo = repositoryOf(repositories, client);
            if (QString error = pushBlobBy(upload, client, http, repo, blob); !error.isEmpty())
                return error;
            return compareBlob(http, repo, blob);
        });
        QVERIFY2(failures.isEmpty(), qPrintable(u"round %1: "_s.arg(round) + failures.join(u'\n')));
    }
}

void TestConcurrentUploads::mountsWhileUploading_data()
{
    QTest::addColumn<bool>("namesSource");
    QTest::newRow("mount from the uploading repository") << true;
    QTest::newRow("mount from anywhere") << false;
}

void TestConcurrentUploads::mountsWhileUploading()
{
    // Client 0 uploads in chunks; the others mount the blob into their own repositories
    // until it is there. A mount that starts after the upload was acknowledged must succeed.
    QFETCH(bool, namesSource);
    const QUrl base = m_registry.process().baseUrl();
    for (int round = 0; round < rounds; ++round) {
        const QStringList repositories = newRepositories(u"mount"_s, false);
        const QByteArray blob = randomBytes((1 << 20) + round);
        const QString digest = sha256Digest(blob);
        std::atomic<bool> uploaded = false;
        const QStringList failures = runTogether(clientCount, [&](int client) -> QString {
            HttpClient http(base);
            const QString repo = repositories.at(client);
            if (client == 0) {
                QString error = pushBlobInChunks(http, repo, blob, 8);
                uploaded = error.isEmpty();
                return error.isEmpty() ? compareBlob(http, repo, blob) : error;
            }
            const QString query =
                u"mount="_s + digest + (namesSource ? u"&from="_s + repositories.at(0) : QString());
            const QString url = withQuery(uploadsPath(repo), query);
            for (int attempt = 0; attempt < mountAttempts; ++attempt) {
                const bool afterUpload = uploaded;
                const HttpResponse response = http.send("POST", url);
                if (response.status == 201)
                    return compareBlob(http, repo, blob);
                if (response.status != 202)
                    return u"POST %1 -> %2"_s.arg(url, response.describe());
                if (afterUpload)
                    return u"POST %1 after the upload was acknowledged -> 202, not mounted"_s.arg(url);
                // Nothing to mount yet: the registry opened an upload instead; give it back.
                const QString location = QString::fromUtf8(response.header("Location"));
                if (const HttpResponse cancelled = http.send("DELETE", location); cancelled.status != 204)
                    return u"DELETE %1 -> %2"_s.arg(location, cancelled.describe());
            }
            return u"not mounted after %1 attempts"_s.arg(mountAttempts);
        });
        QVERIFY2(failures.isEmpty(), qPrintable(u"round %1: "_s.arg(round) + failures.join(u'\n')));
    }
}

void TestConcurrentUploads::manifestsOnJustCommittedBlobs_data()
{
    QTest::addColumn<bool>("sharedRepository");
    QTest::newRow("one repository") << true;
    QTest::newRow("a repository each") << false;
}

void TestConcurrentUploads::manifestsOnJustCommittedBlobs()
{
    // Every client pushes the same image and tags it at once: config and layers race each
    // other's commits, and each manifest PUT follows its own blobs' commits at once.
    QFETCH(bool, sharedRepository);
    const QUrl base = m_registry.process().baseUrl();
    for (int round = 0; round < rounds; ++round) {
        const QStringList repositories = newRepositories(u"same-image"_s, sharedRepository);
        const Image image = makeImage(media::OciManifest, 2, 64 << 10);
        const QStringList failures = runTogether(clientCount, [&](int client) -> QString {
            HttpClient http(base);
            const QString repo = repositoryOf(repositories, client);
            const QString tag = u"client%1"_s.arg(client);
            if (QString error = pushImage(http, repo, image, tag); !error.isEmpty())
                return error;
            for (const QString& reference : {tag, image.digest()}) {
                if (QString error = compareManifest(http, repo, reference, image.manifest); !error.isEmpty())
                    return error;
            }
            for (const QByteArray& blob : QList<QByteArray>{image.config} + image.layers) {
                if (QString error = compareBlob(http, repo, blob); !error.isEmpty())
                    return error;
            }
            return {};
        });
        QVERIFY2(failures.isEmpty(), qPrintable(u"round %1: "_s.arg(round) + failures.join(u'\n')));
    }
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestConcurrentUploads)
#include "TestConcurrentUploads.moc"
