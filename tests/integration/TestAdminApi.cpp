// berthd's admin API (/admin/v1/...) on a real process: the bearer token on its own
// loopback listener, server information, and garbage collection jobs that run while the
// registry serves, are watched through the API and can be cancelled. A collection must
// delete exactly the garbage, and under pushes and pulls it must never lose an image whose
// manifest PUT was acknowledged.

#include "AdminServer.h"
#include "RegistryFixtures.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr auto blobsDirectory = "/docker/registry/v2/blobs"_L1;
constexpr int jobTimeoutMs = 10000;
constexpr int loadMs = 8000;
constexpr int loadWorkers = 4;
constexpr int orphanCount = 1000;

// A garbage collection job as GET /admin/v1/gc/<id> last showed it.
struct Job
{
    QString id;
    QJsonObject status;
    QString error; // what went wrong talking to the API; empty otherwise

    QString state() const { return status.value("state"_L1).toString(); }
    QJsonObject result() const { return status.value("result"_L1).toObject(); }
    QStringList blobsDeleted() const
    {
        QStringList digests;
        for (const QJsonValue& value : result().value("blobs_deleted"_L1).toArray())
            digests.append(value.toString());
        digests.sort();
        return digests;
    }
    QStringList manifestsDeleted() const // "repository@digest", sorted
    {
        QStringList refs;
        for (const QJsonValue& value : result().value("manifests_deleted"_L1).toArray()) {
            const QJsonObject ref = value.toObject();
            refs.append(ref.value("repository"_L1).toString() + u'@' + ref.value("digest"_L1).toString());
        }
        refs.sort();
        return refs;
    }
    qint64 number(const QJsonObject& object, QLatin1StringView key) const
    {
        return object.value(key).toInteger(-1);
    }
    QString describe() const { return QString::fromUtf8(QJsonDocument(status).toJson(QJsonDocument::Compact)); }
};

// POST /admin/v1/gc with `body`: checks the 202, its id and Location.
Job startCollection(AdminServer& server, const QByteArray& body)
{
    Job job;
    const HttpResponse response = server.send("POST", u"/admin/v1/gc"_s, body);
    if (response.status != 202) {
        job.error = u"POST /admin/v1/gc %1 -> %2"_s.arg(QString::fromUtf8(body), response.describe());
        return job;
    }
    job.id = response.json().object().value("id"_L1).toString();
    const QString location = server.admin().resolve(QString::fromUtf8(response.header("Location"))).path();
    if (job.id.isEmpty() || location != u"/admin/v1/gc/"_s + job.id)
        job.error = u"POST /admin/v1/gc: id '%1', Location '%2'"_s.arg(job.id, QString::fromUtf8(response.header("Location")));
    return job;
}

// Polls the job until it is no longer running.
void waitForJob(AdminServer& server, Job& job, int timeoutMs = jobTimeoutMs)
{
    if (!job.error.isEmpty())
        return;
    const QDeadlineTimer deadline(timeoutMs);
    const QString path = u"/admin/v1/gc/"_s + job.id;
    for (;;) {
        const HttpResponse response = server.send("GET", path);
        if (response.status != 200) {
            job.error = u"GET %1 -> %2"_s.arg(path, response.describe());
            return;
        }
        job.status = response.json().object();
        if (job.state() != "running"_L1)
            return;
        if (deadline.hasExpired()) {
            job.error = u"still running after %1 ms: %2"_s.arg(timeoutMs).arg(job.describe());
            return;
        }
        QThread::msleep(20);
    }
}

Job runCollection(AdminServer& server, const QByteArray& body)
{
    Job job = startCollection(server, body);
    waitForJob(server, job);
    return job;
}

// Empty when a finished job has every field the README lists, with the right types.
QString checkJobShape(const Job& job, bool dryRun, bool deleteUntagged)
{
    const QJsonObject& status = job.status;
    const auto fail = [&job](const QString& what) -> QString { return what + u": "_s + job.describe(); };
    if (status.value("id"_L1).toString() != job.id)
        return fail(u"id"_s);
    if (status.value("dry_run"_L1) != QJsonValue(dryRun) || status.value("delete_untagged"_L1) != QJsonValue(deleteUntagged))
        return fail(u"dry_run / delete_untagged"_s);
    if (!QStringList{u"marking"_s, u"sweeping"_s, u"done"_s}.contains(status.value("phase"_L1).toString()))
        return fail(u"phase"_s);
    for (const auto key : {"done"_L1, "total"_L1, "bytes_reclaimed"_L1}) {
        if (!status.value(key).isDouble() || job.number(status, key) < 0)
            return fail(key + u" is not a non-negative number"_s);
    }
    if (!status.value("result"_L1).isObject())
        return fail(u"no result"_s);
    const QJsonObject result = job.result();
    if (!result.value("manifests_deleted"_L1).isArray() || !result.value("blobs_deleted"_L1).isArray())
        return fail(u"result lists"_s);
    for (const auto key : {"bytes_reclaimed"_L1, "blobs_kept"_L1, "blobs_in_grace_period"_L1}) {
        if (!result.value(key).isDouble() || job.number(result, key) < 0)
            return fail(u"result."_s + key + u" is not a non-negative number"_s);
    }
    if (job.number(status, "bytes_reclaimed"_L1) != job.number(result, "bytes_reclaimed"_L1))
        return fail(u"bytes_reclaimed differs from result.bytes_reclaimed"_s);
    return {};
}

QString blobFile(const QString& root, const QString& digest)
{
    const QString hex = digest.mid(digest.indexOf(u':') + 1);
    return root + blobsDirectory + u"/sha256/"_s + hex.left(2) + u'/' + hex + u"/data"_s;
}

// The digests in `digests` whose blob file is (`present`) or is not there.
QStringList blobFiles(const QString& root, const QStringList& digests, bool present)
{
    QStringList matching;
    for (const QString& digest : digests) {
        if (QFileInfo::exists(blobFile(root, digest)) == present)
            matching.append(digest);
    }
    return matching;
}

int countBlobFiles(const QString& root)
{
    int count = 0;
    QDir sha(root + blobsDirectory + u"/sha256"_s);
    for (const QString& prefix : sha.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        count += int(QDir(sha.filePath(prefix)).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
    return count;
}

// Every blob an image names: its manifest, config and layers.
QStringList blobsOf(const Image& image)
{
    QStringList digests{image.digest(), sha256Digest(image.config)};
    for (const QByteArray& layer : image.layers)
        digests.append(sha256Digest(layer));
    return digests;
}

qint64 sizeOf(const Image& image, const QStringList& digests)
{
    qint64 size = 0;
    if (digests.contains(image.digest()))
        size += image.manifest.size();
    if (digests.contains(sha256Digest(image.config)))
        size += image.config.size();
    for (const QByteArray& layer : image.layers) {
        if (digests.contains(sha256Digest(layer)))
            size += layer.size();
    }
    return size;
}

// An OCI image with a fresh random config and the given layers.
Image imageWithLayers(const QList<QByteArray>& layers)
{
    Image image = makeImage(media::OciManifest, 0);
    image.layers = layers;
    QList<Descriptor> descriptors;
    for (const QByteArray& layer : layers)
        descriptors.append(Descriptor::of(media::OciLayer, layer));
    image.manifest = imageManifestJson(media::OciManifest, Descriptor::of(media::OciConfig, image.config), descriptors);
    return image;
}

// Empty when the image pulls back byte for byte: manifest by `reference`, config, layers.
QString pullsBack(HttpClient& client, const QString& repository, const QString& reference, const Image& image)
{
    const QString path = manifestPath(repository, reference);
    const HttpResponse manifest = client.get(path, {{"Accept", image.mediaType.toUtf8()}});
    if (manifest.status != 200 || manifest.body != image.manifest)
        return u"GET %1 -> %2"_s.arg(path, manifest.describe());
    QList<QByteArray> blobs = image.layers;
    blobs.prepend(image.config);
    for (const QByteArray& blob : blobs) {
        const QString blobUrl = blobPath(repository, sha256Digest(blob));
        const HttpResponse response = client.get(blobUrl);
        if (response.status != 200 || response.body != blob)
            return u"GET %1 -> %2 (%3 bytes, expected %4)"_s.arg(blobUrl, response.describe())
                .arg(response.body.size())
                .arg(blob.size());
    }
    return {};
}

struct Pushed
{
    QString repository;
    QString tag;
    Image image;
};

// What one client thread of the load test saw.
struct LoadReport
{
    QList<Pushed> acknowledged;  // manifest PUT answered 201
    int collectedBeforeManifest = 0; // manifest PUT refused because a collection took a blob
    int pulls = 0;
    QStringList errors;
};

// Pushes distinct small images (a layer shared by every worker plus one of their own) and
// pulls each back at once, until `deadline`.
void pushAndPull(const QUrl& base, const QByteArray& sharedLayer, const QDeadlineTimer& deadline, LoadReport& report)
{
    HttpClient client(base);
    client.setTimeout(15000);
    const QString repository = uniqueRepository(u"admin-load"_s);
    for (int i = 0; !deadline.hasExpired() && report.errors.size() < 5; ++i) {
        const Image image = imageWithLayers({sharedLayer, randomBytes(256)});
        const QString tag = u"t%1"_s.arg(i);
        QString error = pushBlob(client, repository, image.config);
        for (const QByteArray& layer : image.layers) {
            if (error.isEmpty())
                error = pushBlob(client, repository, layer);
        }
        if (!error.isEmpty()) {
            report.errors.append(error);
            continue;
        }
        const HttpResponse put = putManifest(client, repository, tag, image.mediaType, image.manifest);
        if (put.status == 201) {
            report.acknowledged.append({repository, tag, image});
            if (const QString pulled = pullsBack(client, repository, tag, image); !pulled.isEmpty())
                report.errors.append(u"right after its push: "_s + pulled);
            ++report.pulls;
        } else if (put.errorCode() == "MANIFEST_BLOB_UNKNOWN" || put.errorCode() == "BLOB_UNKNOWN") {
            ++report.collectedBeforeManifest;
        } else {
            report.errors.append(u"PUT %1 -> %2"_s.arg(manifestPath(repository, tag), put.describe()));
        }
    }
}

} // namespace

class TestAdminApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void refusesWithoutTheToken_data();
    void refusesWithoutTheToken();
    void acceptsTheToken();
    void environmentTokenWins_data();
    void environmentTokenWins();
    void offWithoutAToken();
    void listenersAreSeparate();
    void nonLoopbackAddressIsRefused_data();
    void nonLoopbackAddressIsRefused();
    void info();

    void badRequests_data();
    void badRequests();
    void deleteOfAFinishedJob();

    void collectsExactlyTheGarbage();
    void deleteUntagged();
    void defaultGracePeriodKeepsFreshGarbage_data();
    void defaultGracePeriodKeepsFreshGarbage();
    void noAcknowledgedPushIsLostUnderLoad();
    void cancel();

private:
    AdminServer m_server{false}; // shared by the tests that leave the store as it is
    QByteArray m_httpSecret;
    qsizetype m_outputSeen = 0;
};

void TestAdminApi::initTestCase()
{
    QVERIFY2(QFileInfo(RegistryProcess::berthdPath()).isExecutable(), "BERTHD must name the berthd binary");
    m_httpSecret = randomToken("http-secret-");
    QCOMPARE(m_server.start(randomToken("admin-token-"), QString(), "  secret: " + m_httpSecret + "\n"), QString());
    QCOMPARE(m_server.waitForAdmin(), QString());
}

void TestAdminApi::init()
{
    m_outputSeen = m_server.process().output().size();
}

void TestAdminApi::cleanup()
{
    // What the shared server logged during a failed test; other servers print their own.
    const QByteArray output = m_server.process().output().mid(m_outputSeen);
    if (!QTest::currentTestFailed() || output.isEmpty())
        return;
    qWarning("--- the shared berthd's output during the test (%s) ---", qPrintable(m_server.process().outputPath()));
    for (const QByteArray& line : output.split('\n'))
        qWarning("%s", line.left(2000).constData());
}

void TestAdminApi::refusesWithoutTheToken_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization"); // "-" for none; "%TOKEN%" is replaced by the token

    QTest::newRow("no Authorization") << QByteArray("GET") << u"/admin/v1/info"_s << QByteArray("-");
    QTest::newRow("wrong token") << QByteArray("GET") << u"/admin/v1/info"_s << QByteArray("Bearer wrong-token");
    QTest::newRow("token with a suffix") << QByteArray("GET") << u"/admin/v1/info"_s << QByteArray("Bearer %TOKEN%x");
    QTest::newRow("token's prefix") << QByteArray("GET") << u"/admin/v1/info"_s << QByteArray("Bearer admin-token-");
    QTest::newRow("Bearer, no token") << QByteArray("GET") << u"/admin/v1/info"_s << QByteArray("Bearer ");
    QTest::newRow("token without a scheme") << QByteArray("GET") << u"/admin/v1/info"_s << QByteArray("%TOKEN%");
    QTest::newRow("Basic with the token as password")
        << QByteArray("GET") << u"/admin/v1/info"_s << QByteArray("Basic %BASIC%");
    QTest::newRow("Basic with the token") << QByteArray("GET") << u"/admin/v1/info"_s << QByteArray("Basic %TOKEN%");
    QTest::newRow("POST gc, no Authorization") << QByteArray("POST") << u"/admin/v1/gc"_s << QByteArray("-");
    QTest::newRow("GET gc job, wrong token") << QByteArray("GET") << u"/admin/v1/gc/1"_s << QByteArray("Bearer nope");
    QTest::newRow("DELETE gc job, no Authorization") << QByteArray("DELETE") << u"/admin/v1/gc/1"_s << QByteArray("-");
    QTest::newRow("unknown endpoint, no Authorization") << QByteArray("GET") << u"/admin/v1/nothing"_s << QByteArray("-");
}

void TestAdminApi::refusesWithoutTheToken()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, authorization);

    HttpClient::Headers headers;
    if (authorization != "-") {
        authorization.replace("%TOKEN%", m_server.token());
        authorization.replace("%BASIC%", QByteArray("admin:" + m_server.token()).toBase64());
        headers.append(qMakePair(QByteArray("Authorization"), authorization));
    }
    const QByteArray body = method == "POST" ? QByteArray(R"({"dry_run":true})") : QByteArray();
    const HttpResponse response = m_server.admin().send(method, path, body, headers);
    QVERIFY2(response.status == 401, qPrintable(response.describe()));
    QCOMPARE(response.header("WWW-Authenticate"), QByteArray(R"(Bearer realm="berthd-admin")"));
    QCOMPARE(checkErrorBody(response), QString());
}

void TestAdminApi::acceptsTheToken()
{
    const HttpResponse response = m_server.send("GET", u"/admin/v1/info"_s);
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    QVERIFY2(response.json().isObject(), qPrintable(response.describe()));

    // Authentication schemes are case-insensitive (RFC 9110); the token is not.
    const HttpResponse lowerCase =
        m_server.admin().get(u"/admin/v1/info"_s, {{"Authorization", "bearer " + m_server.token()}});
    QVERIFY2(lowerCase.status == 200, qPrintable(lowerCase.describe()));
    const HttpResponse tokenCase =
        m_server.admin().get(u"/admin/v1/info"_s, {{"Authorization", "Bearer " + m_server.token().toUpper()}});
    QVERIFY2(tokenCase.status == 401, qPrintable(tokenCase.describe()));
}

void TestAdminApi::environmentTokenWins_data()
{
    QTest::addColumn<bool>("inConfig");
    QTest::newRow("admin.token and BERTHD_ADMIN_TOKEN") << true;
    QTest::newRow("BERTHD_ADMIN_TOKEN alone") << false;
}

void TestAdminApi::environmentTokenWins()
{
    QFETCH(bool, inConfig);
    const QByteArray configToken = randomToken("config-token-");
    const QString environmentToken = QString::fromLatin1(randomToken("environment-token-"));
    AdminServer server;
    QCOMPARE(server.start(inConfig ? configToken : QByteArray(), environmentToken), QString());
    QCOMPARE(server.waitForAdmin(), QString());

    const HttpResponse withEnvironment =
        server.admin().get(u"/admin/v1/info"_s, bearer(environmentToken.toUtf8()));
    QVERIFY2(withEnvironment.status == 200, qPrintable(withEnvironment.describe()));
    const QString config = withEnvironment.json().object().value("config"_L1).toString();
    QVERIFY2(!config.contains(environmentToken) && !config.contains(QString::fromLatin1(configToken)),
             qPrintable(config));

    const HttpResponse withConfig = server.admin().get(u"/admin/v1/info"_s, bearer(configToken));
    QVERIFY2(withConfig.status == 401, qPrintable(withConfig.describe()));
    QCOMPARE(withConfig.header("WWW-Authenticate"), QByteArray(R"(Bearer realm="berthd-admin")"));
}

void TestAdminApi::offWithoutAToken()
{
    AdminServer server;
    QCOMPARE(server.start(QByteArray()), QString()); // admin.addr set, no token anywhere
    QVERIFY2(server.registry().get(u"/v2/"_s).status == 200, "the registry must serve");
    QTest::qWait(300); // berthd would have opened the admin listener by now
    QVERIFY2(!accepts(server.adminPort()), "the admin port must not be listening without a token");
    const HttpResponse response = server.admin().get(u"/admin/v1/info"_s);
    QCOMPARE(response.status, 0);
    QVERIFY2(server.registry().get(u"/v2/"_s).status == 200, "the registry must still serve");
}

void TestAdminApi::listenersAreSeparate()
{
    const HttpResponse adminOnRegistry =
        m_server.registry().get(u"/admin/v1/info"_s, bearer(m_server.token()));
    QVERIFY2(adminOnRegistry.status == 404, qPrintable(adminOnRegistry.describe()));
    QVERIFY(!adminOnRegistry.body.contains(m_httpSecret));

    const HttpResponse registryOnAdmin = m_server.send("GET", u"/v2/"_s);
    QVERIFY2(registryOnAdmin.status == 404, qPrintable(registryOnAdmin.describe()));
    QCOMPARE(checkErrorBody(registryOnAdmin), QString());
    const HttpResponse catalogOnAdmin = m_server.send("GET", u"/v2/_catalog"_s);
    QVERIFY2(catalogOnAdmin.status == 404, qPrintable(catalogOnAdmin.describe()));
}

void TestAdminApi::nonLoopbackAddressIsRefused_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("0.0.0.0") << QByteArray("0.0.0.0") << false;
    QTest::newRow("empty host (every interface)") << QByteArray("") << false;
    QTest::newRow("[::]") << QByteArray("[::]") << false;
    QTest::newRow("a documentation address") << QByteArray("192.0.2.10") << false;
    QTest::newRow("127.0.0.1 (accepted)") << QByteArray("127.0.0.1") << true;
    QTest::newRow("[::1] (accepted)") << QByteArray("[::1]") << true;
}

void TestAdminApi::nonLoopbackAddressIsRefused()
{
    QFETCH(QByteArray, host);
    QFETCH(bool, accepted);

    RegistryProcess process(RegistryProcess::Kind::Berthd);
    process.setEnvironmentVariable(tokenVariable, QString());
    process.setExtraConfig(adminSection(host + ':' + QByteArray::number(RegistryProcess::freePort()), "a-token"));
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString configPath = directory.filePath(u"config.yml"_s);
    {
        QFile config(configPath);
        QVERIFY(config.open(QIODevice::WriteOnly));
        QVERIFY(config.write(process.configYaml()) > 0);
    }

    QProcess check;
    check.setProcessChannelMode(QProcess::MergedChannels);
    check.start(RegistryProcess::berthdPath(), {u"config"_s, u"check"_s, configPath});
    QVERIFY(check.waitForFinished(10000));
    const QByteArray checkOutput = check.readAll();
    if (accepted) {
        QVERIFY2(check.exitStatus() == QProcess::NormalExit && check.exitCode() == 0, checkOutput.constData());
        return;
    }
    QVERIFY2(check.exitStatus() == QProcess::NormalExit && check.exitCode() != 0, checkOutput.constData());
    QVERIFY2(checkOutput.contains("admin.addr"), checkOutput.constData());

    QVERIFY2(!process.start(5000), "berthd serve must refuse a non-loopback admin.addr");
    QVERIFY2(process.errorString().contains("admin.addr"_L1), qPrintable(process.errorString()));
}

void TestAdminApi::info()
{
    QProcess versionCommand;
    versionCommand.start(RegistryProcess::berthdPath(), {u"--version"_s});
    QVERIFY(versionCommand.waitForFinished(10000));
    const QString versionLine = QString::fromUtf8(versionCommand.readAllStandardOutput()).trimmed();

    const HttpResponse response = m_server.send("GET", u"/admin/v1/info"_s);
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    QVERIFY2(response.header("Content-Type").startsWith("application/json"), qPrintable(response.describe()));
    const QJsonObject info = response.json().object();

    const QString version = info.value("version"_L1).toString();
    QVERIFY2(!version.isEmpty() && (versionLine == version || versionLine == u"berthd "_s + version),
             qPrintable(u"info.version '%1', berthd --version '%2'"_s.arg(version, versionLine)));
    QVERIFY2(info.value("uptime_seconds"_L1).isDouble() && info.value("uptime_seconds"_L1).toDouble() >= 0,
             response.body.constData());
    QCOMPARE(info.value("storage_driver"_L1).toString(), u"filesystem"_s);

    QVERIFY2(info.value("config"_L1).isString(), response.body.constData());
    const QString config = info.value("config"_L1).toString();
    QVERIFY2(config.contains(m_server.process().storageRoot()), qPrintable(config));
    QVERIFY2(config.contains("<redacted>"_L1), qPrintable(config));
    QVERIFY2(!config.contains(QString::fromLatin1(m_server.token())), qPrintable(config));
    QVERIFY2(!config.contains(QString::fromLatin1(m_httpSecret)), qPrintable(config));
    QVERIFY2(!response.body.contains(m_server.token()) && !response.body.contains(m_httpSecret), response.body.constData());
}

void TestAdminApi::badRequests_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");

    const QString gc = u"/admin/v1/gc"_s;
    QTest::newRow("invalid JSON") << QByteArray("POST") << gc << QByteArray(R"({"dry_run": true)") << 400;
    QTest::newRow("not JSON at all") << QByteArray("POST") << gc << QByteArray("dry_run=true") << 400;
    QTest::newRow("a JSON array") << QByteArray("POST") << gc << QByteArray("[]") << 400;
    QTest::newRow("dry_run a string") << QByteArray("POST") << gc << QByteArray(R"({"dry_run":"yes"})") << 400;
    QTest::newRow("delete_untagged a number") << QByteArray("POST") << gc << QByteArray(R"({"delete_untagged":1})") << 400;
    QTest::newRow("grace_period_seconds a string")
        << QByteArray("POST") << gc << QByteArray(R"({"grace_period_seconds":"60"})") << 400;
    QTest::newRow("grace_period_seconds negative")
        << QByteArray("POST") << gc << QByteArray(R"({"grace_period_seconds":-1})") << 400;
    QTest::newRow("unknown job") << QByteArray("GET") << u"/admin/v1/gc/unknown"_s << QByteArray() << 404;
    QTest::newRow("DELETE of an unknown job") << QByteArray("DELETE") << u"/admin/v1/gc/unknown"_s << QByteArray() << 404;
    QTest::newRow("unknown endpoint") << QByteArray("GET") << u"/admin/v1/nothing"_s << QByteArray() << 404;
    QTest::newRow("unknown version") << QByteArray("GET") << u"/admin/v2/info"_s << QByteArray() << 404;
    QTest::newRow("outside /admin/v1") << QByteArray("GET") << u"/"_s << QByteArray() << 404;
    QTest::newRow("DELETE info") << QByteArray("DELETE") << u"/admin/v1/info"_s << QByteArray() << 405;
    QTest::newRow("POST info") << QByteArray("POST") << u"/admin/v1/info"_s << QByteArray("{}") << 405;
    QTest::newRow("PUT gc") << QByteArray("PUT") << gc << QByteArray("{}") << 405;
}

void TestAdminApi::badRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);

    const HttpResponse response = m_server.send(method, path, body);
    QVERIFY2(response.status == status, qPrintable(response.describe()));
    QCOMPARE(checkErrorBody(response), QString());
    QVERIFY2(m_server.registry().get(u"/v2/"_s).status == 200, "the registry must still serve");
}

// The README: "DELETE /admin/v1/gc/<id> | 202: the job stops at its next item; unknown ids
// get 404". A finished job is known, so it gets 202, and stays finished as it was.
void TestAdminApi::deleteOfAFinishedJob()
{
    Job job = runCollection(m_server, R"({"dry_run":true})");
    QCOMPARE(job.error, QString());
    QCOMPARE(job.state(), u"done"_s);

    const HttpResponse response = m_server.send("DELETE", u"/admin/v1/gc/"_s + job.id);
    QVERIFY2(response.status == 202, qPrintable(response.describe()));
    const HttpResponse after = m_server.send("GET", u"/admin/v1/gc/"_s + job.id);
    QVERIFY2(after.status == 200, qPrintable(after.describe()));
    QCOMPARE(after.json().object().value("state"_L1).toString(), u"done"_s);
}

void TestAdminApi::collectsExactlyTheGarbage()
{
    AdminServer server;
    QCOMPARE(server.start(randomToken("admin-token-")), QString());
    QCOMPARE(server.waitForAdmin(), QString());
    HttpClient& registry = server.registry();
    const QString root = server.process().storageRoot();

    // Two repositories share a layer; a third image sharing it is deleted by digest.
    const QString first = uniqueRepository(u"admin-gc-a"_s), second = uniqueRepository(u"admin-gc-b"_s);
    const QByteArray shared = randomBytes(2048);
    const Image kept = imageWithLayers({shared, randomBytes(1024)});
    const Image other = imageWithLayers({shared, randomBytes(1500)});
    const Image deleted = imageWithLayers({shared, randomBytes(1200), randomBytes(700)});
    const QByteArray orphan = randomBytes(4096);
    QCOMPARE(pushImage(registry, first, kept, u"v1"_s), QString());
    QCOMPARE(pushImage(registry, second, other, u"v1"_s), QString());
    QCOMPARE(pushImage(registry, first, deleted, u"old"_s), QString());
    const HttpResponse deletion = registry.send("DELETE", manifestPath(first, deleted.digest()));
    QVERIFY2(deletion.status == 202, qPrintable(deletion.describe()));
    QCOMPARE(pushBlob(registry, second, orphan), QString());

    QStringList garbage = blobsOf(deleted);
    garbage.removeAll(sha256Digest(shared));
    const qint64 garbageBytes = sizeOf(deleted, garbage) + orphan.size();
    garbage.append(sha256Digest(orphan));
    garbage.sort();
    const int blobsBefore = countBlobFiles(root);
    QCOMPARE(blobFiles(root, garbage, false), QStringList());

    // A dry run reports exactly the garbage and deletes nothing.
    const Job dryRun = runCollection(server, R"({"dry_run":true,"grace_period_seconds":0})");
    QCOMPARE(dryRun.error, QString());
    QVERIFY2(dryRun.state() == "done"_L1, qPrintable(dryRun.describe()));
    QCOMPARE(checkJobShape(dryRun, true, false), QString());
    QCOMPARE(dryRun.status.value("phase"_L1).toString(), u"done"_s);
    QCOMPARE(dryRun.blobsDeleted(), garbage);
    QCOMPARE(dryRun.manifestsDeleted(), QStringList());
    QCOMPARE(dryRun.number(dryRun.result(), "bytes_reclaimed"_L1), garbageBytes);
    QCOMPARE(dryRun.number(dryRun.status, "bytes_reclaimed"_L1), garbageBytes);
    QCOMPARE(dryRun.number(dryRun.result(), "blobs_kept"_L1), qint64(blobsBefore - garbage.size()));
    QCOMPARE(dryRun.number(dryRun.result(), "blobs_in_grace_period"_L1), qint64(0));
    QCOMPARE(blobFiles(root, garbage, false), QStringList());
    QCOMPARE(countBlobFiles(root), blobsBefore);
    QCOMPARE(pullsBack(registry, first, u"v1"_s, kept), QString());
    QCOMPARE(pullsBack(registry, second, u"v1"_s, other), QString());
    QCOMPARE(pullsBack(registry, first, u"old"_s, deleted).isEmpty(), false); // deleted before: stays 404
    const HttpResponse orphanBlob = registry.get(blobPath(second, sha256Digest(orphan)));
    QVERIFY2(orphanBlob.status == 200 && orphanBlob.body == orphan, qPrintable(orphanBlob.describe()));

    // A real run deletes exactly that, and every tagged image still pulls.
    const Job run = runCollection(server, R"({"dry_run":false,"grace_period_seconds":0})");
    QCOMPARE(run.error, QString());
    QVERIFY2(run.state() == "done"_L1, qPrintable(run.describe()));
    QCOMPARE(checkJobShape(run, false, false), QString());
    QCOMPARE(run.blobsDeleted(), garbage);
    QCOMPARE(run.number(run.result(), "bytes_reclaimed"_L1), garbageBytes);
    QCOMPARE(blobFiles(root, garbage, true), QStringList());
    QCOMPARE(countBlobFiles(root), blobsBefore - int(garbage.size()));
    QCOMPARE(pullsBack(registry, first, u"v1"_s, kept), QString());
    QCOMPARE(pullsBack(registry, second, u"v1"_s, other), QString());
    const HttpResponse orphanGone = registry.get(blobPath(second, sha256Digest(orphan)));
    QVERIFY2(orphanGone.status == 404, qPrintable(orphanGone.describe()));

    // Nothing is left to collect.
    const Job again = runCollection(server, R"({"grace_period_seconds":0})");
    QCOMPARE(again.error, QString());
    QCOMPARE(again.state(), u"done"_s);
    QCOMPARE(again.blobsDeleted(), QStringList());
    QCOMPARE(again.number(again.result(), "bytes_reclaimed"_L1), qint64(0));
}

void TestAdminApi::deleteUntagged()
{
    AdminServer server;
    QCOMPARE(server.start(randomToken("admin-token-")), QString());
    QCOMPARE(server.waitForAdmin(), QString());
    HttpClient& registry = server.registry();
    const QString root = server.process().storageRoot();

    const QString repository = uniqueRepository(u"admin-untagged"_s);
    const Image tagged = makeImage(media::OciManifest, 2);
    const Image untagged = makeImage(media::OciManifest, 2);
    QCOMPARE(pushImage(registry, repository, tagged, u"v1"_s), QString());
    QCOMPARE(pushImage(registry, repository, untagged), QString()); // by digest only
    const QStringList untaggedBlobs = [&] {
        QStringList blobs = blobsOf(untagged);
        blobs.sort();
        return blobs;
    }();

    const Job without = runCollection(server, R"({"grace_period_seconds":0})");
    QCOMPARE(without.error, QString());
    QVERIFY2(without.state() == "done"_L1, qPrintable(without.describe()));
    QCOMPARE(checkJobShape(without, false, false), QString());
    QCOMPARE(without.manifestsDeleted(), QStringList());
    QCOMPARE(without.blobsDeleted(), QStringList());
    QCOMPARE(pullsBack(registry, repository, untagged.digest(), untagged), QString());

    const Job with = runCollection(server, R"({"delete_untagged":true,"grace_period_seconds":0})");
    QCOMPARE(with.error, QString());
    QVERIFY2(with.state() == "done"_L1, qPrintable(with.describe()));
    QCOMPARE(checkJobShape(with, false, true), QString());
    QCOMPARE(with.manifestsDeleted(), QStringList{repository + u'@' + untagged.digest()});
    QCOMPARE(with.blobsDeleted(), untaggedBlobs);
    QCOMPARE(with.number(with.result(), "bytes_reclaimed"_L1), sizeOf(untagged, untaggedBlobs));
    QCOMPARE(blobFiles(root, untaggedBlobs, true), QStringList());
    const HttpResponse gone = registry.get(manifestPath(repository, untagged.digest()));
    QVERIFY2(gone.status == 404, qPrintable(gone.describe()));
    QCOMPARE(pullsBack(registry, repository, u"v1"_s, tagged), QString());
    QCOMPARE(pullsBack(registry, repository, tagged.digest(), tagged), QString());
}

void TestAdminApi::defaultGracePeriodKeepsFreshGarbage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("no body") << QByteArray();
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("dry_run false only") << QByteArray(R"({"dry_run":false})");
}

void TestAdminApi::defaultGracePeriodKeepsFreshGarbage()
{
    QFETCH(QByteArray, body);
    AdminServer server;
    QCOMPARE(server.start(randomToken("admin-token-")), QString());
    QCOMPARE(server.waitForAdmin(), QString());
    HttpClient& registry = server.registry();
    const QString root = server.process().storageRoot();

    const QString repository = uniqueRepository(u"admin-grace"_s);
    const Image kept = makeImage(media::OciManifest, 1), deleted = makeImage(media::OciManifest, 1);
    const QByteArray orphan = randomBytes(1000);
    QCOMPARE(pushImage(registry, repository, kept, u"v1"_s), QString());
    QCOMPARE(pushImage(registry, repository, deleted, u"old"_s), QString());
    QVERIFY(registry.send("DELETE", manifestPath(repository, deleted.digest())).status == 202);
    QCOMPARE(pushBlob(registry, repository, orphan), QString());
    const QStringList garbage = blobsOf(deleted) + QStringList{sha256Digest(orphan)};
    const int blobsBefore = countBlobFiles(root);

    const Job job = runCollection(server, body);
    QCOMPARE(job.error, QString());
    QVERIFY2(job.state() == "done"_L1, qPrintable(job.describe()));
    QCOMPARE(checkJobShape(job, false, false), QString());
    QCOMPARE(job.blobsDeleted(), QStringList());
    QCOMPARE(job.number(job.result(), "bytes_reclaimed"_L1), qint64(0));
    QVERIFY2(job.number(job.result(), "blobs_in_grace_period"_L1) >= garbage.size(), qPrintable(job.describe()));
    QCOMPARE(blobFiles(root, garbage, false), QStringList());
    QCOMPARE(countBlobFiles(root), blobsBefore);
    QCOMPARE(pullsBack(registry, repository, u"v1"_s, kept), QString());
}

void TestAdminApi::noAcknowledgedPushIsLostUnderLoad()
{
    AdminServer server;
    QCOMPARE(server.start(randomToken("admin-token-")), QString());
    QCOMPARE(server.waitForAdmin(), QString());

    const QByteArray sharedLayer = randomBytes(1024);
    const QDeadlineTimer deadline(loadMs);
    QList<LoadReport> reports(loadWorkers);
    QList<QThread*> workers;
    for (int i = 0; i < loadWorkers; ++i) {
        LoadReport* report = &reports[i];
        workers.append(QThread::create([base = server.process().baseUrl(), sharedLayer, deadline, report] {
            pushAndPull(base, sharedLayer, deadline, *report);
        }));
        workers.last()->start();
    }

    // Collections back to back, with no grace period, while the workers push and pull.
    int runs = 0, blobsCollected = 0, registryFailures = 0;
    QStringList jobErrors;
    while (!deadline.hasExpired() && jobErrors.size() < 3) {
        const Job job = runCollection(server, R"({"grace_period_seconds":0})");
        if (!job.error.isEmpty() || job.state() != "done"_L1)
            jobErrors.append(job.error.isEmpty() ? job.describe() : job.error);
        blobsCollected += int(job.blobsDeleted().size());
        ++runs;
        if (server.registry().get(u"/v2/"_s).status != 200)
            ++registryFailures;
    }
    QElapsedTimer phase;
    phase.start();
    for (QThread* worker : workers) {
        QVERIFY(worker->wait(30000));
        delete worker;
    }
    const qint64 joinMs = phase.restart();

    // One more collection after the last push: every acknowledged image must survive it.
    const Job last = runCollection(server, R"({"grace_period_seconds":0})");
    QCOMPARE(last.error, QString());
    QVERIFY2(last.state() == "done"_L1, qPrintable(last.describe()));
    const qint64 lastCollectionMs = phase.restart();

    int acknowledged = 0, collectedBeforeManifest = 0, pulls = 0;
    QStringList errors = jobErrors, lost;
    for (const LoadReport& report : std::as_const(reports)) {
        acknowledged += int(report.acknowledged.size());
        collectedBeforeManifest += report.collectedBeforeManifest;
        pulls += report.pulls;
        errors += report.errors;
        for (const Pushed& pushed : report.acknowledged) {
            if (const QString error = pullsBack(server.registry(), pushed.repository, pushed.tag, pushed.image);
                !error.isEmpty())
                lost.append(error);
        }
    }
    qInfo("%d workers for %d ms: %d pushes acknowledged and pulled back, %d refused because a collection took "
          "a blob before the manifest came (MANIFEST_BLOB_UNKNOWN/BLOB_UNKNOWN); %d collections deleted %d blobs",
          loadWorkers, loadMs, acknowledged, collectedBeforeManifest, runs, blobsCollected);
    qInfo("after the load: workers stopped in %lld ms, the last collection took %lld ms, pulling everything back %lld ms",
          joinMs, lastCollectionMs, phase.elapsed());
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QVERIFY2(lost.isEmpty(), qPrintable(u"%1 of %2 acknowledged images lost:\n"_s.arg(lost.size()).arg(acknowledged)
                                        + lost.mid(0, 10).join(u'\n')));
    QCOMPARE(registryFailures, 0);
    QVERIFY2(acknowledged > loadWorkers, "the workers pushed almost nothing");
    QVERIFY2(runs > 1, "collections did not run during the load");
    QCOMPARE(pulls, acknowledged);
}

// Empty when a job that may have been cancelled left the store consistent: what it reports
// deleted is garbage and gone, every other orphan is still there, the image still pulls.
QString checkPartialSweep(const Job& job, const QString& root, const QStringList& orphans, HttpClient& registry,
                          const QString& repository, const Image& kept)
{
    if (job.state() != "cancelled"_L1 && job.state() != "done"_L1)
        return u"ended neither cancelled nor done: "_s + job.describe();
    const QStringList reported = job.blobsDeleted();
    for (const QString& digest : reported) {
        if (!orphans.contains(digest))
            return u"deleted a blob that is not garbage: "_s + digest;
    }
    if (const QStringList left = blobFiles(root, reported, true); !left.isEmpty())
        return u"reported deleted, still there: "_s + left.join(u' ');
    QStringList rest = orphans;
    for (const QString& digest : reported)
        rest.removeAll(digest);
    if (const QStringList gone = blobFiles(root, rest, false); !gone.isEmpty())
        return u"%1 blobs gone without being reported, e.g. %2"_s.arg(gone.size()).arg(gone.first());
    return pullsBack(registry, repository, u"v1"_s, kept);
}

void TestAdminApi::cancel()
{
    AdminServer server;
    QCOMPARE(server.start(randomToken("admin-token-")), QString());
    QCOMPARE(server.waitForAdmin(), QString());
    HttpClient& registry = server.registry();
    const QString root = server.process().storageRoot();

    const QString repository = uniqueRepository(u"admin-cancel"_s);
    const Image kept = makeImage(media::OciManifest, 1);
    QCOMPARE(pushImage(registry, repository, kept, u"v1"_s), QString());
    // Orphans written straight into the layout (an upload per blob, with its fsyncs, would
    // take most of the test's time); nothing links them, so every one is garbage.
    QStringList orphans;
    for (int i = 0; i < orphanCount; ++i) {
        const QByteArray blob = randomBytes(64);
        const QString digest = sha256Digest(blob);
        const QString path = blobFile(root, digest);
        QVERIFY(QDir().mkpath(QFileInfo(path).path()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(blob) == blob.size());
        orphans.append(digest);
    }
    orphans.sort();

    // Cancelled at once.
    Job atOnce = startCollection(server, R"({"grace_period_seconds":0})");
    QCOMPARE(atOnce.error, QString());
    const HttpResponse cancelled = server.send("DELETE", u"/admin/v1/gc/"_s + atOnce.id);
    QVERIFY2(cancelled.status == 202, qPrintable(cancelled.describe()));
    waitForJob(server, atOnce);
    QCOMPARE(atOnce.error, QString());
    QCOMPARE(checkPartialSweep(atOnce, root, orphans, registry, repository, kept), QString());
    qInfo("cancelled at once: ended %s after deleting %d of %d orphan blobs", qPrintable(atOnce.state()),
          int(atOnce.blobsDeleted().size()), int(orphans.size()));
    for (const QString& digest : atOnce.blobsDeleted())
        orphans.removeAll(digest);

    // Cancelled while it sweeps (or done, if it finished before the test saw it sweep).
    Job midway = startCollection(server, R"({"grace_period_seconds":0})");
    QCOMPARE(midway.error, QString());
    const QDeadlineTimer deadline(jobTimeoutMs);
    QString seen;
    while (!deadline.hasExpired()) {
        const HttpResponse response = server.send("GET", u"/admin/v1/gc/"_s + midway.id);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        const QJsonObject status = response.json().object();
        seen = QString::fromUtf8(response.body);
        if (status.value("state"_L1).toString() == "running"_L1)
            QVERIFY2(!status.contains("result"_L1), qPrintable(u"a running job with a result: "_s + seen));
        if (status.value("state"_L1).toString() != "running"_L1
            || (status.value("phase"_L1).toString() == "sweeping"_L1 && status.value("done"_L1).toInteger() > 0))
            break;
    }
    const HttpResponse stop = server.send("DELETE", u"/admin/v1/gc/"_s + midway.id);
    QVERIFY2(stop.status == 202, qPrintable(stop.describe()));
    waitForJob(server, midway);
    QCOMPARE(midway.error, QString());
    QCOMPARE(checkPartialSweep(midway, root, orphans, registry, repository, kept), QString());
    qInfo("cancelled when it showed %s: ended %s after deleting %d of %d orphan blobs", qPrintable(seen),
          qPrintable(midway.state()), int(midway.blobsDeleted().size()), int(orphans.size()));
    for (const QString& digest : midway.blobsDeleted())
        orphans.removeAll(digest);

    // The next collection finishes the work.
    const Job next = runCollection(server, R"({"grace_period_seconds":0})");
    QCOMPARE(next.error, QString());
    QVERIFY2(next.state() == "done"_L1, qPrintable(next.describe()));
    QCOMPARE(next.blobsDeleted(), orphans);
    QCOMPARE(blobFiles(root, orphans, true), QStringList());
    QCOMPARE(pullsBack(registry, repository, u"v1"_s, kept), QString());
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestAdminApi)
#include "TestAdminApi.moc"
