// Crash safety: berthd is killed with SIGKILL at a random moment while several clients push
// blobs (monolithic and chunked) and images, for several rounds. After every kill the storage
// root must hold no torn blob and nothing that points at missing content; the restarted
// server must serve everything it lists, and everything it acknowledged before the kill.

#include "RegistryFixtures.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int rounds = 5;
constexpr int clientCount = 4;

const QByteArray manifestAccept = QByteArray(media::OciManifest.data()) + ", " + media::OciIndex.data() +
                                  ", " + media::DockerManifest.data() + ", " + media::DockerList.data();

// Something the server acknowledged: a blob, or a manifest under a tag.
struct Acknowledged
{
    QString repository;
    QString tag; // empty for blobs
    QString digest;
};

// One client of a round: pushes until the server goes away, and keeps what was acknowledged.
// Runs on its own thread, which owns its QNetworkAccessManager.
class PushingClient
{
public:
    PushingClient(QUrl base, int id, int round, quint32 seed, QByteArray sharedBlob,
                  const std::atomic<bool>& killing)
        : m_base(std::move(base)), m_id(id), m_round(round), m_random(seed),
          m_sharedBlob(std::move(sharedBlob)), m_killing(killing)
    {
    }

    void run();
    const QList<Acknowledged>& acknowledged() const { return m_acknowledged; }
    // A failure seen before the kill: a bug, not an effect of the kill.
    const QString& error() const { return m_error; }

private:
    QString repository();
    QString pushImageAndIndex(HttpClient& client, const QString& repo, int step);

    QUrl m_base;
    int m_id;
    int m_round;
    QRandomGenerator m_random;
    QByteArray m_sharedBlob;
    const std::atomic<bool>& m_killing;
    QList<Acknowledged> m_acknowledged;
    QString m_error;
};

QString PushingClient::repository()
{
    // Shared repositories make clients race on the same links and blobs.
    switch (m_random.bounded(3)) {
    case 0:
        return u"crash/shared"_s;
    case 1:
        return u"crash/shared/nested"_s;
    default:
        return u"crash/client%1"_s.arg(m_id);
    }
}

QString PushingClient::pushImageAndIndex(HttpClient& client, const QString& repo, int step)
{
    const Image image = makeImage(m_random.bounded(2) ? media::OciManifest : media::DockerManifest,
                                  m_random.bounded(1, 4), m_random.bounded(512, 32 * 1024));
    const QString tag = u"r%1-c%2-s%3"_s.arg(m_round).arg(m_id).arg(step);
    if (QString failure = pushImage(client, repo, image, tag); !failure.isEmpty())
        return failure;
    m_acknowledged.append({repo, tag, image.digest()});
    m_acknowledged.append({repo, {}, sha256Digest(image.config)});
    for (const QByteArray& layer : image.layers)
        m_acknowledged.append({repo, {}, sha256Digest(layer)});
    if (m_random.bounded(2) == 0)
        return {};
    const bool docker = image.mediaType == media::DockerManifest;
    const QByteArray index = indexJson(docker ? media::DockerList : media::OciIndex, {image.descriptor()});
    if (QString failure = pushManifest(client, repo, docker ? media::DockerList : media::OciIndex, index,
                                       tag + "-index"_L1);
        !failure.isEmpty())
        return failure;
    m_acknowledged.append({repo, tag + "-index"_L1, sha256Digest(index)});
    return {};
}

void PushingClient::run()
{
    HttpClient client(m_base);
    client.setTimeout(10000);
    for (int step = 0;; ++step) {
        const QString repo = repository();
        QByteArray blob;
        QString failure;
        switch (step % 4) {
        case 0:
            blob = randomBytes(m_random.bounded(1, 64 * 1024));
            failure = pushBlob(client, repo, blob);
            break;
        case 1:
            blob = randomBytes(m_random.bounded(16 * 1024, 256 * 1024));
            failure = pushBlobInChunks(client, repo, blob, m_random.bounded(2, 7));
            break;
        case 2:
            failure = pushImageAndIndex(client, repo, step);
            break;
        default:
            // The same bytes from every client at once.
            blob = m_sharedBlob;
            failure = pushBlob(client, repo, blob);
            break;
        }
        if (!failure.isEmpty()) {
            if (!m_killing)
                m_error = failure;
            return;
        }
        if (!blob.isNull())
            m_acknowledged.append({repo, {}, sha256Digest(blob)});
    }
}

// Reads the storage root the way an operator's consistency check would, without berthd's
// code: every blob hashes to its name, every link holds a whole digest, nothing points at
// content that is not there.
class StorageAudit
{
public:
    explicit StorageAudit(const QString& storageRoot) : m_root(storageRoot + "/docker/registry/v2"_L1) {}

    void run();
    const QStringList& problems() const { return m_problems; }
    // "repository:tag" for tag directories without a current link (a tag() cut short).
    const QSet<QString>& tornTags() const { return m_tornTags; }

private:
    void checkBlob(const QString& path);
    void checkRepositoryFile(const QString& path);
    void checkManifest(const QString& repository, const QString& digest);
    QString blobData(const QString& digest) const;
    bool hasBlob(const QString& digest) const { return QFileInfo(blobData(digest)).isFile(); }
    bool hasLink(const QString& repository, const QString& kind, const QString& digest) const;
    void problem(const QString& text) { m_problems.append(text); }

    QString m_root;
    QStringList m_problems;
    QSet<QString> m_tornTags;
    QSet<QString> m_checkedManifests;
};

const QRegularExpression digestPattern(u"^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$"_s);

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void StorageAudit::run()
{
    for (QDirIterator it(m_root + "/blobs"_L1, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
         it.hasNext();)
        checkBlob(it.next());
    const QString repositories = m_root + "/repositories"_L1;
    for (QDirIterator it(repositories, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
         it.hasNext();)
        checkRepositoryFile(it.next().mid(repositories.size() + 1));
    const QString tagsSuffix = u"/_manifests/tags"_s;
    for (QDirIterator it(repositories, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
         it.hasNext();) {
        const QString tags = it.next();
        if (!tags.endsWith(tagsSuffix))
            continue;
        const QString repository = tags.mid(repositories.size() + 1).chopped(tagsSuffix.size());
        for (const QString& tag : QDir(tags).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (!QFileInfo(tags + u'/' + tag + "/current/link"_L1).isFile())
                m_tornTags.insert(repository + u':' + tag);
        }
    }
}

QString StorageAudit::blobData(const QString& digest) const
{
    const QString algorithm = digest.section(u':', 0, 0);
    const QString hex = digest.section(u':', 1);
    return u"%1/blobs/%2/%3/%4/data"_s.arg(m_root, algorithm, hex.left(2), hex);
}

bool StorageAudit::hasLink(const QString& repository, const QString& kind, const QString& digest) const
{
    const QString path =
        u"%1/repositories/%2/%3/%4/link"_s.arg(m_root, repository, kind, QString(digest).replace(u':', u'/'));
    return readFile(path) == digest.toLatin1();
}

void StorageAudit::checkBlob(const QString& path)
{
    // blobs/<algorithm>/<first two hex digits>/<hex>/data
    const QStringList parts = path.mid(m_root.size() + 1).split(u'/');
    const bool sha256 = parts.value(1) == "sha256"_L1;
    if (parts.size() != 5 || parts.value(4) != "data"_L1 || !(sha256 || parts.value(1) == "sha512"_L1) ||
        !digestPattern.match(parts.value(1) + u':' + parts.value(3)).hasMatch() ||
        parts.value(2) != parts.value(3).left(2)) {
        problem(u"unexpected file in the blob store: "_s + path);
        return;
    }
    QFile file(path);
    QCryptographicHash hash(sha256 ? QCryptographicHash::Sha256 : QCryptographicHash::Sha512);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file)) {
        problem(u"unreadable blob: "_s + path);
        return;
    }
    if (QString::fromLatin1(hash.result().toHex()) != parts.value(3))
        problem(u"torn blob: %1 (%2 bytes)"_s.arg(path).arg(file.size()));
}

void StorageAudit::checkRepositoryFile(const QString& relative)
{
    // <repository>/<reserved directory starting with '_'>/...
    const qsizetype reserved = relative.indexOf("/_"_L1);
    if (reserved < 0) {
        problem(u"file outside a reserved directory: "_s + relative);
        return;
    }
    const QString repository = relative.left(reserved);
    const QStringList parts = relative.mid(reserved + 1).split(u'/');
    if (parts.first() == "_uploads"_L1)
        return; // an upload in progress may hold anything

    if (parts.last() != "link"_L1) {
        problem(u"unexpected file: "_s + relative);
        return;
    }
    const QString digest = QString::fromLatin1(readFile(m_root + "/repositories/"_L1 + relative));
    if (!digestPattern.match(digest).hasMatch()) {
        problem(u"link without a whole digest: %1 holds \"%2\""_s.arg(relative, digest));
        return;
    }
    // Links filed under a digest must hold that digest.
    const QString named =
        parts.size() >= 3 ? parts.at(parts.size() - 3) + u':' + parts.at(parts.size() - 2) : QString();
    const bool current = parts.size() == 5 && parts.at(1) == "tags"_L1 && parts.at(3) == "current"_L1;
    if (!current && named != digest) {
        problem(u"link %1 holds %2"_s.arg(relative, digest));
        return;
    }
    if (!hasBlob(digest)) {
        problem(u"link %1 points at a missing blob"_s.arg(relative));
        return;
    }
    if (parts.first() == "_layers"_L1)
        return;
    if (parts.first() == "_manifests"_L1 && parts.at(1) == "revisions"_L1) {
        checkManifest(repository, digest);
        return;
    }
    // Tags and referrers are written after the revision they name.
    if (!hasLink(repository, u"_manifests/revisions"_s, digest))
        problem(u"link %1 names a manifest that is not in the repository"_s.arg(relative));
}

void StorageAudit::checkManifest(const QString& repository, const QString& digest)
{
    const QJsonObject manifest = QJsonDocument::fromJson(readFile(blobData(digest))).object();
    if (manifest.isEmpty()) {
        problem(u"manifest %1 in %2 is not a JSON object"_s.arg(digest, repository));
        return;
    }
    QStringList blobs;
    if (manifest.contains("config"_L1))
        blobs.append(manifest.value("config"_L1).toObject().value("digest"_L1).toString());
    for (const auto layer : manifest.value("layers"_L1).toArray())
        blobs.append(layer.toObject().value("digest"_L1).toString());
    for (const QString& blob : blobs) {
        if (!hasLink(repository, u"_layers"_s, blob) || !hasBlob(blob))
            problem(u"manifest %1 in %2 needs blob %3, which is missing"_s.arg(digest, repository, blob));
    }
    for (const auto child : manifest.value("manifests"_L1).toArray()) {
        const QString childDigest = child.toObject().value("digest"_L1).toString();
        if (!hasLink(repository, u"_manifests/revisions"_s, childDigest))
            problem(
                u"index %1 in %2 needs manifest %3, which is missing"_s.arg(digest, repository, childDigest));
    }
}

// Fetches what the restarted server lists and what it acknowledged, checking every byte
// against its digest.
class ServedContentCheck
{
public:
    ServedContentCheck(HttpClient& client, const QSet<QString>& tornTags)
        : m_client(client), m_tornTags(tornTags)
    {
    }

    void checkListed();
    void checkAcknowledged(const QList<Acknowledged>& acknowledged);
    const QStringList& problems() const { return m_problems; }
    // Listed tags that could not be fetched because the kill cut their tag() short.
    const QStringList& tornTagsListed() const { return m_tornListed; }

private:
    void checkManifest(const QString& repository, const QString& reference, const QString& expectedDigest);
    void checkBlob(const QString& repository, const QString& digest);
    QStringList listed(const QString& path, const QString& key);

    HttpClient& m_client;
    const QSet<QString>& m_tornTags;
    QStringList m_problems;
    QStringList m_tornListed;
    QSet<QString> m_checked; // "repository@digest"
};

QStringList ServedContentCheck::listed(const QString& path, const QString& key)
{
    const HttpResponse response = m_client.get(path);
    if (response.status != 200) {
        m_problems.append(u"GET %1 -> %2"_s.arg(path, response.describe()));
        return {};
    }
    QStringList items;
    for (const auto item : response.json().object().value(key).toArray())
        items.append(item.toString());
    return items;
}

void ServedContentCheck::checkListed()
{
    for (const QString& repository : listed(u"/v2/_catalog"_s, u"repositories"_s)) {
        for (const QString& tag : listed(u"/v2/%1/tags/list"_s.arg(repository), u"tags"_s))
            checkManifest(repository, tag, {});
    }
}

void ServedContentCheck::checkAcknowledged(const QList<Acknowledged>& acknowledged)
{
    for (const Acknowledged& item : acknowledged) {
        if (item.tag.isEmpty())
            checkBlob(item.repository, item.digest);
        else
            checkManifest(item.repository, item.tag, item.digest);
    }
}

void ServedContentCheck::checkBlob(const QString& repository, const QString& digest)
{
    if (m_checked.contains(repository + u'@' + digest))
        return;
    const QString path = blobPath(repository, digest);
    const HttpResponse response = m_client.get(path);
    if (response.status != 200) {
        m_problems.append(u"GET %1 -> %2"_s.arg(path, response.describe()));
        return;
    }
    if (sha256Digest(response.body) != digest) {
        m_problems.append(u"GET %1: %2 bytes hashing to %3"_s.arg(path)
                              .arg(response.body.size())
                              .arg(sha256Digest(response.body)));
        return;
    }
    m_checked.insert(repository + u'@' + digest);
}

void ServedContentCheck::checkManifest(const QString& repository, const QString& reference,
                                       const QString& expectedDigest)
{
    const QString path = manifestPath(repository, reference);
    const HttpResponse response = m_client.get(path, {{"Accept", manifestAccept}});
    if (response.status == 404 && m_tornTags.contains(repository + u':' + reference)) {
        m_tornListed.append(repository + u':' + reference);
        return;
    }
    const QString digest = QString::fromLatin1(response.header("Docker-Content-Digest"));
    if (response.status != 200 || sha256Digest(response.body) != digest ||
        (!expectedDigest.isEmpty() && digest != expectedDigest)) {
        m_problems.append(u"GET %1 -> %2 with digest %3, expected %4"_s.arg(path, response.describe(), digest,
                                                                            expectedDigest));
        return;
    }
    if (m_checked.contains(repository + u'@' + digest))
        return;
    m_checked.insert(repository + u'@' + digest);
    const QJsonObject manifest = QJsonDocument::fromJson(response.body).object();
    if (manifest.contains("config"_L1))
        checkBlob(repository, manifest.value("config"_L1).toObject().value("digest"_L1).toString());
    for (const auto layer : manifest.value("layers"_L1).toArray())
        checkBlob(repository, layer.toObject().value("digest"_L1).toString());
    for (const auto child : manifest.value("manifests"_L1).toArray()) {
        const QString childDigest = child.toObject().value("digest"_L1).toString();
        checkManifest(repository, childDigest, childDigest);
    }
}

} // namespace

class TestCrashSafety : public QObject
{
    Q_OBJECT

private slots:
    void killedWhilePushing();

private:
    RegistryProcess m_server;
};

void TestCrashSafety::killedWhilePushing()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QList<Acknowledged> acknowledged;
    QElapsedTimer elapsed;
    elapsed.start();
    for (int round = 0; round < rounds; ++round) {
        // Clients push until the kill makes their requests fail.
        std::atomic<bool> killing{false};
        const QByteArray sharedBlob = randomBytes(100 * 1024);
        std::vector<std::unique_ptr<PushingClient>> clients;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int id = 0; id < clientCount; ++id) {
            clients.push_back(std::make_unique<PushingClient>(
                m_server.baseUrl(), id, round, QRandomGenerator::global()->generate(), sharedBlob, killing));
            threads.emplace_back(QThread::create([client = clients.back().get()] { client->run(); }));
            threads.back()->start();
        }
        QThread::msleep(QRandomGenerator::global()->bounded(300, 1500));
        killing = true;
        m_server.kill();
        for (const auto& thread : threads)
            QVERIFY2(thread->wait(QDeadlineTimer(30000)), "a client still waits for the killed server");
        for (const auto& client : clients) {
            QVERIFY2(client->error().isEmpty(), qPrintable(u"before the kill: "_s + client->error()));
            acknowledged += client->acknowledged();
        }

        StorageAudit audit(m_server.storageRoot());
        audit.run();
        QCOMPARE(audit.problems(), QStringList());

        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        HttpClient client(m_server.baseUrl());
        ServedContentCheck served(client, audit.tornTags());
        served.checkListed();
        served.checkAcknowledged(acknowledged);
        QCOMPARE(served.problems(), QStringList());
        if (!served.tornTagsListed().isEmpty()) {
            qInfo("listed, but cut short by the kill: %s", qPrintable(served.tornTagsListed().join(u", ")));
            QCOMPARE(served.tornTagsListed(), QStringList());
        }
        qInfo("round %d: %lld acknowledged in all, %lld ms", round + 1, qlonglong(acknowledged.size()),
              qlonglong(elapsed.elapsed()));
    }
    m_server.stop();
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestCrashSafety)
#include "TestCrashSafety.moc"
