// podman pushing to and pulling from a real registry: berthd by default, CNCF Distribution
// with BERTH_TEST_REGISTRY=distribution. podman runs as root on the vfs storage driver in a
// throwaway root and never runs a container. Unlike skopeo with --preserve-digests, it gzips
// layers as it pushes and streams them in PATCHes with Transfer-Encoding: chunked.

#include "ClientSupport.h"
#include "HttpClient.h"
#include "ImageFactory.h"
#include "RegistryProcess.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSemaphore>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int podmanTimeoutMs = 60000;

// A TCP proxy in front of the registry, on its own thread (the test blocks while podman
// runs), that keeps every byte clients send, to see how podman frames its requests.
class RecordingProxy final : public QThread
{
public:
    explicit RecordingProxy(quint16 upstreamPort) : m_upstreamPort(upstreamPort)
    {
        start();
        m_ready.acquire();
    }
    ~RecordingProxy() override
    {
        quit();
        wait();
    }
    RecordingProxy(const RecordingProxy&) = delete;
    RecordingProxy& operator=(const RecordingProxy&) = delete;

    quint16 port() const { return m_port; } // 0 if it could not listen
    QByteArray received() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_received;
    }

protected:
    void run() override
    {
        // The server and, as its children, every socket live and die on this thread.
        QTcpServer server;
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this, &server] {
            while (QTcpSocket* client = server.nextPendingConnection())
                forward(client);
        });
        if (server.listen(QHostAddress::LocalHost))
            m_port = server.serverPort();
        m_ready.release();
        exec();
    }

private:
    void forward(QTcpSocket* client)
    {
        auto* upstream = new QTcpSocket(client);
        const auto pass = [this, client, upstream] {
            const QByteArray bytes = client->readAll();
            {
                const QMutexLocker lock(&m_mutex);
                m_received += bytes;
            }
            upstream->write(bytes);
        };
        // What the client sends waits in its socket until the registry has accepted.
        QObject::connect(upstream, &QTcpSocket::connected, client, [client, pass] {
            QObject::connect(client, &QTcpSocket::readyRead, client, pass);
            pass();
        });
        QObject::connect(upstream, &QTcpSocket::readyRead, client,
                         [client, upstream] { client->write(upstream->readAll()); });
        QObject::connect(upstream, &QTcpSocket::disconnected, client,
                         [client] { client->disconnectFromHost(); });
        QObject::connect(upstream, &QTcpSocket::errorOccurred, client,
                         [client](QAbstractSocket::SocketError error) {
                             if (error == QAbstractSocket::ConnectionRefusedError)
                                 client->abort();
                         });
        QObject::connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
            upstream->disconnectFromHost();
            client->deleteLater();
        });
        upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
    }

    const quint16 m_upstreamPort;
    std::atomic<quint16> m_port{0};
    QSemaphore m_ready;
    mutable QMutex m_mutex;
    QByteArray m_received;
};

// Whether the bytes clients sent hold a PATCH whose headers announce a chunked body.
bool hasChunkedPatch(const QByteArray& requests)
{
    for (qsizetype at = requests.indexOf("PATCH /v2/"); at >= 0;
         at = requests.indexOf("PATCH /v2/", at + 1)) {
        const qsizetype end = requests.indexOf("\r\n\r\n", at);
        if (end < 0)
            break;
        if (requests.sliced(at, end - at).toLower().contains("\r\ntransfer-encoding: chunked"))
            return true;
    }
    return false;
}

// The ID podman gives an image: the hex of its config digest.
QByteArray imageId(const Image& image)
{
    const QByteArray digest = image.config.digest();
    return digest.sliced(digest.indexOf(':') + 1);
}

// A repository's blobs as the registry serves them.
BlobSource registryBlobs(HttpClient& http, const QString& repository)
{
    return [&http, repository](const QByteArray& digest) -> std::optional<QByteArray> {
        const HttpResponse response =
            http.get(u"/v2/%1/blobs/%2"_s.arg(repository, QString::fromLatin1(digest)));
        if (response.status != 200 || Blob{{}, response.body}.digest() != digest)
            return std::nullopt;
        return response.body;
    };
}

} // namespace

class TestPodman : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void singlePlatformRoundTrip();
    void pushToSecondRepository();
    void multiPlatformManifestPush();

private:
    // Runs podman on the current storage, in m_work, where OCI layouts are named relative
    // to it: podman names an image pulled from oci:DIR after DIR, which must be lower case.
    QString podman(const QStringList& arguments, QByteArray* output = nullptr) const;
    // Starts over on empty image storage, as if on another machine.
    void useFreshStorage();
    QString newPath(const QString& prefix);

    // Writes `image` to a fresh OCI layout; `reference` gets its "oci:DIR:TAG" for podman.
    QString writeLayout(const Image& image, QString* reference);
    // Writes `image` to a fresh OCI layout and pulls it into podman's storage.
    QString pullLayout(const Image& image);
    // Pushes the local image to `destination` ("HOST:PORT/NAME:TAG"); `digest` gets the
    // digest of the manifest podman pushed.
    QString push(const Image& image, const QString& destination, QByteArray* digest);
    // Checks what the registry serves for `reference`: the manifest podman pushed, the
    // config as generated, and layers that gunzip to the generated tars.
    QString compareInRegistry(const QString& repository, const QString& reference, const Image& expected,
                              const QByteArray& manifestDigest);
    // Pulls `reference` ("HOST:PORT/NAME:TAG" or "...@DIGEST") into fresh storage, checks
    // the image podman stored and saves it as an OCI layout to compare with `expected`.
    QString pullAndCompare(const QString& reference, const Image& expected, const QByteArray& manifestDigest,
                           const QStringList& options = {});
    QString name(const QString& repositoryAndReference) const;

    ContainersHome m_home;
    QTemporaryDir m_work;
    QString m_storage; // podman's --root and --runroot are under it
    int m_pathCount = 0;
    std::unique_ptr<RegistryProcess> m_registry; // started by init()
};

void TestPodman::initTestCase()
{
    if (QStandardPaths::findExecutable(u"podman"_s).isEmpty())
        QSKIP("podman is not installed (Debian package podman)");

    QVERIFY(m_work.isValid());
    BERTH_VERIFY_OK(m_home.setUp());
    // No systemd or journald; locks, events, temporary files and network configuration
    // stay in the home instead of /run/libpod and /etc/containers.
    const QString containersConf = uR"([engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "%1/events.log"
lock_type = "file"
tmp_dir = "%1/libpod"
image_copy_tmp_dir = "%1/tmp"
[network]
network_config_dir = "%1/networks"
)"_s;
    BERTH_VERIFY_OK(m_home.writeFile(u"containers.conf"_s, containersConf.arg(m_home.path()).toUtf8()));
    useFreshStorage();

    // Whether podman can work here at all: its storage and runtime set-up run with `info`.
    QByteArray driver;
    if (const QString error = podman({u"info"_s, u"--format"_s, u"{{.Store.GraphDriverName}}"_s}, &driver);
        !error.isEmpty())
        QSKIP(qPrintable(u"podman cannot run here: "_s + error));
    QCOMPARE(driver.trimmed(), QByteArray("vfs"));
    QByteArray version;
    BERTH_VERIFY_OK(podman({u"--version"_s}, &version));
    qInfo("%s against %s", version.trimmed().constData(),
          qPrintable(registryName(RegistryProcess::kindFromEnvironment())));
}

void TestPodman::init()
{
    // Every test gets a fresh registry and empty podman storage.
    m_registry = std::make_unique<RegistryProcess>(RegistryProcess::kindFromEnvironment());
    QVERIFY2(m_registry->start(), qPrintable(m_registry->errorString()));
    useFreshStorage();
}

void TestPodman::cleanup()
{
    if (QTest::currentTestFailed() && m_registry)
        qWarning("%s output (tail):\n%s", qPrintable(registryName(m_registry->kind())),
                 m_registry->output().right(6000).constData());
    m_registry.reset();
}

QString TestPodman::podman(const QStringList& arguments, QByteArray* output) const
{
    // Run as root, podman still keeps its blob-info cache in /var/lib/containers/cache;
    // every test's content is random, so no stale entry there ever matches.
    const QStringList storage{u"--root"_s,           m_storage + u"/root"_s, u"--runroot"_s,
                              m_storage + u"/run"_s, u"--storage-driver"_s,  u"vfs"_s};
    return waitClient(*startClient(u"podman"_s, storage + arguments, m_home.environment(), m_work.path()),
                      podmanTimeoutMs, output);
}

void TestPodman::useFreshStorage()
{
    m_storage = newPath(u"storage-"_s);
}

QString TestPodman::newPath(const QString& prefix)
{
    return m_work.filePath(prefix + QString::number(++m_pathCount));
}

QString TestPodman::writeLayout(const Image& image, QString* reference)
{
    OciLayout layout(newPath(u"layout-"_s));
    *reference = u"oci:"_s + QFileInfo(layout.directory()).fileName() + u":source"_s;
    return layout.write(image, u"source"_s);
}

QString TestPodman::pullLayout(const Image& image)
{
    QString reference;
    if (QString error = writeLayout(image, &reference); !error.isEmpty())
        return error;
    QByteArray id;
    if (QString error = podman({u"pull"_s, u"--quiet"_s, reference}, &id); !error.isEmpty())
        return error;
    if (id.trimmed() != imageId(image))
        return u"podman pulled %1 as image %2, expected %3"_s.arg(reference, QString::fromUtf8(id.trimmed()),
                                                                  QString::fromLatin1(imageId(image)));
    return {};
}

QString TestPodman::push(const Image& image, const QString& destination, QByteArray* digest)
{
    const QString digestFile = newPath(u"digest-"_s);
    if (QString error = podman({u"push"_s, u"--tls-verify=false"_s, u"--digestfile"_s, digestFile,
                                QString::fromLatin1(imageId(image)), u"docker://"_s + destination});
        !error.isEmpty())
        return error;
    QFile file(digestFile);
    if (!file.open(QIODevice::ReadOnly))
        return u"podman push wrote no digest file"_s;
    *digest = file.readAll().trimmed();
    return {};
}

QString TestPodman::compareInRegistry(const QString& repository, const QString& reference,
                                      const Image& expected, const QByteArray& manifestDigest)
{
    HttpClient http(m_registry->baseUrl());
    const QString path = u"/v2/%1/manifests/%2"_s.arg(repository, reference);
    const QString where = u"GET "_s + path + u": "_s;
    const HttpResponse response = http.get(path, {{"Accept", mediatype::ociManifest}});
    if (response.status != 200)
        return where + response.describe();
    if (Blob{{}, response.body}.digest() != manifestDigest ||
        response.header("Docker-Content-Digest") != manifestDigest)
        return where + u"the manifest served is not the one podman pushed (%1)"_s.arg(
                           QString::fromLatin1(manifestDigest));
    const QJsonDocument manifest = QJsonDocument::fromJson(response.body);
    if (manifest[u"mediaType"_s].toString() != QLatin1StringView(mediatype::ociManifest))
        return where + u"the manifest has media type "_s + manifest[u"mediaType"_s].toString();
    // podman keeps the config as it is and only recompresses the layers.
    if (manifest[u"config"_s][u"digest"_s].toString().toLatin1() != expected.config.digest())
        return where + u"the manifest references another config than was pushed"_s;
    if (QString error = compareUnpackedLayers(response.body, registryBlobs(http, repository), expected);
        !error.isEmpty())
        return where + error;
    return {};
}

QString TestPodman::pullAndCompare(const QString& reference, const Image& expected,
                                   const QByteArray& manifestDigest, const QStringList& options)
{
    useFreshStorage();
    QByteArray id;
    if (QString error = podman(QStringList{u"pull"_s, u"--quiet"_s, u"--tls-verify=false"_s} + options +
                                   QStringList{reference},
                               &id);
        !error.isEmpty())
        return error;
    if (id.trimmed() != imageId(expected))
        return u"podman pulled %1 as image %2, expected %3"_s.arg(reference, QString::fromUtf8(id.trimmed()),
                                                                  QString::fromLatin1(imageId(expected)));
    // Pulled through an index, the image's Digest is the index's; RepoDigests has both.
    QByteArray repoDigests;
    if (QString error = podman({u"image"_s, u"inspect"_s, u"--format"_s,
                                u"{{range .RepoDigests}}{{println .}}{{end}}"_s, reference},
                               &repoDigests);
        !error.isEmpty())
        return error;
    const QList<QByteArray> stored = repoDigests.trimmed().split('\n');
    if (std::none_of(stored.begin(), stored.end(), [&](const QByteArray& repoDigest) {
            return repoDigest.endsWith(QByteArray('@' + manifestDigest));
        }))
        return u"podman stored %1 as %2, pushed was manifest %3"_s.arg(
            reference, QString::fromUtf8(repoDigests), QString::fromLatin1(manifestDigest));

    // podman rebuilds each layer from its storage for `save`: the tars must come out as pushed.
    const OciLayout saved(newPath(u"saved-"_s));
    if (QString error =
            podman({u"save"_s, u"--format"_s, u"oci-dir"_s, u"--output"_s, saved.directory(), reference});
        !error.isEmpty())
        return error;
    if (saved.descriptor(reference).value(u"digest").toString().toLatin1() != manifestDigest)
        return u"podman saved %1 with another manifest than %2"_s.arg(reference,
                                                                      QString::fromLatin1(manifestDigest));
    return compareUnpackedLayers(saved, reference, expected);
}

QString TestPodman::name(const QString& repositoryAndReference) const
{
    return m_registry->hostPort() + u'/' + repositoryAndReference;
}

void TestPodman::singlePlatformRoundTrip()
{
    // A multi-megabyte layer, a small one and one holding only a directory entry.
    const Image image =
        ImageFactory::image({ImageFactory::randomLayer(4 << 20), ImageFactory::randomLayer(64 << 10),
                             ImageFactory::randomLayer(0, 0)});
    BERTH_VERIFY_OK(pullLayout(image));

    const RecordingProxy proxy(m_registry->port());
    QVERIFY(proxy.port() != 0);
    QByteArray digest;
    BERTH_VERIFY_OK(push(image, u"127.0.0.1:%1/podman/single:v1"_s.arg(proxy.port()), &digest));
    QVERIFY2(hasChunkedPatch(proxy.received()), "podman sent no PATCH with Transfer-Encoding: chunked");

    BERTH_VERIFY_OK(compareInRegistry(u"podman/single"_s, u"v1"_s, image, digest));
    BERTH_VERIFY_OK(pullAndCompare(name(u"podman/single:v1"_s), image, digest));
    BERTH_VERIFY_OK(pullAndCompare(name(u"podman/single@"_s) + QString::fromLatin1(digest), image, digest));
}

void TestPodman::pushToSecondRepository()
{
    const Image image = ImageFactory::randomImage(2, 256 << 10);
    BERTH_VERIFY_OK(pullLayout(image));
    QByteArray first;
    BERTH_VERIFY_OK(push(image, name(u"podman/first:v1"_s), &first));
    // podman knows the blobs are in podman/first: it mounts them into podman/second or
    // finds them there; for the second tag every blob is in the repository already.
    for (const QString& tag : {u"v1"_s, u"v2"_s}) {
        QByteArray digest;
        BERTH_VERIFY_OK(push(image, name(u"podman/second:"_s + tag), &digest));
        QCOMPARE(digest, first);
        BERTH_VERIFY_OK(compareInRegistry(u"podman/second"_s, tag, image, first));
    }
    BERTH_VERIFY_OK(compareInRegistry(u"podman/first"_s, u"v1"_s, image, first));
    BERTH_VERIFY_OK(pullAndCompare(name(u"podman/second:v2"_s), image, first));
}

void TestPodman::multiPlatformManifestPush()
{
    const ImageIndex index =
        ImageFactory::index({ImageFactory::randomImage(2, 128 << 10, {u"linux"_s, u"amd64"_s}),
                             ImageFactory::randomImage(2, 128 << 10, {u"linux"_s, u"arm64"_s})});
    const QString list = u"localhost/berth/list"_s;
    BERTH_VERIFY_OK(podman({u"manifest"_s, u"create"_s, list}));
    for (const Image& image : index.images) {
        QString reference;
        BERTH_VERIFY_OK(writeLayout(image, &reference));
        BERTH_VERIFY_OK(podman({u"manifest"_s, u"add"_s, list, reference}));
    }
    // --all copies every image from its layout; --format oci makes the list an OCI index.
    const QString digestFile = newPath(u"digest-"_s);
    BERTH_VERIFY_OK(
        podman({u"manifest"_s, u"push"_s, u"--all"_s, u"--format"_s, u"oci"_s, u"--tls-verify=false"_s,
                u"--digestfile"_s, digestFile, list, u"docker://"_s + name(u"podman/multi:v1"_s)}));
    QFile file(digestFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray indexDigest = file.readAll().trimmed();

    HttpClient http(m_registry->baseUrl());
    const HttpResponse response =
        http.get(u"/v2/podman/multi/manifests/v1"_s, {{"Accept", mediatype::ociIndex}});
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    const Blob served{mediatype::ociIndex, response.body};
    QCOMPARE(served.digest(), indexDigest);
    QCOMPARE(response.header("Docker-Content-Digest"), indexDigest);
    const QJsonDocument json = QJsonDocument::fromJson(response.body);
    QCOMPARE(json[u"mediaType"_s].toString(), QString::fromLatin1(mediatype::ociIndex));
    const QJsonArray manifests = json[u"manifests"_s].toArray();
    QCOMPARE(manifests.size(), index.images.size());
    for (const Image& image : index.images) {
        const QJsonObject platform{{u"architecture"_s, image.platform.architecture},
                                   {u"os"_s, image.platform.os}};
        const auto entry =
            std::find_if(manifests.begin(), manifests.end(), [&platform](const QJsonValue& value) {
                return value[u"platform"_s].toObject() == platform;
            });
        QVERIFY2(entry != manifests.end(), qPrintable(u"no manifest for "_s + image.platform.architecture));
        const QByteArray digest = (*entry)[u"digest"_s].toString().toLatin1();
        BERTH_VERIFY_OK(compareInRegistry(u"podman/multi"_s, QString::fromLatin1(digest), image, digest));
        // podman resolves the index and pulls the platform's manifest by digest.
        BERTH_VERIFY_OK(
            pullAndCompare(name(u"podman/multi:v1"_s), image, digest,
                           {u"--platform"_s, image.platform.os + u'/' + image.platform.architecture}));
    }
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestPodman)
#include "TestPodman.moc"
