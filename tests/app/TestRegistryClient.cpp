// RegistryClient against real registries: berthd and the reference CNCF Distribution
// (docker-registry) wherever both apply. Listings page by page; image manifests and
// indexes (OCI and Docker) with their configs and history; digest checks; referrers;
// deleting tags and manifests; errors in words (unknown names, refused connections,
// timeouts); Basic auth (htpasswd) and the Bearer token flow (a token issuer inside the
// test); a self-signed TLS certificate the user chooses to trust; answers and contexts.

#include "CommandRunner.h"
#include "HttpClient.h"
#include "RegistryFixtures.h"
#include "RegistryProcess.h"
#include "TlsRegistry.h"
#include "TokenIssuer.h"
#include "app/RegistryClient.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <csignal>
#include <memory>
#include <optional>
#include <sys/prctl.h>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace berth::app {

namespace {

using Kind = RegistryError::Kind;
using ProcessKind = test::RegistryProcess::Kind;

constexpr int answerTimeoutMs = 60000;
constexpr int maxPages = 100;

QString describe(const RegistryError& error)
{
    return u"\"%1\" (kind %2, HTTP %3, code \"%4\")"_s.arg(error.message)
        .arg(static_cast<int>(error.kind))
        .arg(error.httpStatus)
        .arg(error.ociCode);
}

// Empty when the call succeeded, else its error for a failure message.
template <class T> QString problem(const RegistryResult<T>& result)
{
    return result ? QString() : describe(result.error());
}

// Empty when `result` failed as `kind` with a message that contains `words`, else what it did.
template <class T>
QString refusalProblem(const RegistryResult<T>& result, Kind kind, const QString& words = {})
{
    if (result)
        return u"it succeeded"_s;
    if (result.error().kind != kind || !result.error().message.contains(words))
        return u"expected kind %1 saying \"%2\", got %3"_s.arg(static_cast<int>(kind))
            .arg(words, describe(result.error()));
    return {};
}

// Runs one client call and waits for its answer; a context that dies here gets none later.
template <class T, class Call> RegistryResult<T> await(Call call)
{
    QObject context;
    std::optional<RegistryResult<T>> answer;
    call(&context, [&answer](RegistryResult<T> result) { answer = std::move(result); });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, answerTimeoutMs))
        return unexpected(
            RegistryError{Kind::Cancelled, u"no answer within %1 ms"_s.arg(answerTimeoutMs), 0, {}});
    return *answer;
}

RegistryResult<void> ping(RegistryClient& client)
{
    return await<void>([&](QObject* context, auto done) { client.ping(context, done); });
}

RegistryResult<ListingPage> listRepositories(RegistryClient& client, const QString& last, int pageSize)
{
    return await<ListingPage>(
        [&](QObject* context, auto done) { client.listRepositories(last, pageSize, context, done); });
}

RegistryResult<ListingPage> listTags(RegistryClient& client, const QString& repository, const QString& last,
                                     int pageSize)
{
    return await<ListingPage>(
        [&](QObject* context, auto done) { client.listTags(repository, last, pageSize, context, done); });
}

RegistryResult<Manifest> fetchManifest(RegistryClient& client, const QString& repository,
                                       const QString& reference)
{
    return await<Manifest>(
        [&](QObject* context, auto done) { client.fetchManifest(repository, reference, context, done); });
}

RegistryResult<ImageConfig> fetchImageConfig(RegistryClient& client, const QString& repository,
                                             const QString& digest)
{
    return await<ImageConfig>(
        [&](QObject* context, auto done) { client.fetchImageConfig(repository, digest, context, done); });
}

RegistryResult<QList<Descriptor>> fetchReferrers(RegistryClient& client, const QString& repository,
                                                 const QString& digest)
{
    return await<QList<Descriptor>>(
        [&](QObject* context, auto done) { client.fetchReferrers(repository, digest, context, done); });
}

RegistryResult<void> deleteTag(RegistryClient& client, const QString& repository, const QString& tag)
{
    return await<void>(
        [&](QObject* context, auto done) { client.deleteTag(repository, tag, context, done); });
}

RegistryResult<void> deleteManifest(RegistryClient& client, const QString& repository, const QString& digest)
{
    return await<void>(
        [&](QObject* context, auto done) { client.deleteManifest(repository, digest, context, done); });
}

// Every name of a listing, page by page from the start; the sizes of the pages it took.
RegistryResult<QStringList> listAll(const std::function<RegistryResult<ListingPage>(const QString&)>& page,
                                    QList<qsizetype>* pageSizes = nullptr)
{
    QStringList names;
    QString last;
    for (int count = 0; count < maxPages; ++count) {
        RegistryResult<ListingPage> result = page(last);
        if (!result)
            return unexpected(result.error());
        names += result->names;
        if (pageSizes)
            pageSizes->append(result->names.size());
        if (result->last.isEmpty())
            return names;
        last = result->last;
    }
    return unexpected(RegistryError{Kind::BadResponse, u"more than %1 pages"_s.arg(maxPages), 0, {}});
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// The registries the tests run against where both apply, with their row names.
QList<std::pair<ProcessKind, const char*>> registryKinds()
{
    return {{ProcessKind::Berthd, "berthd"}, {ProcessKind::Distribution, "docker-registry"}};
}

bool isDocker(const QString& manifestType)
{
    return manifestType == test::media::DockerManifest || manifestType == test::media::DockerList;
}

// An image whose config has a creation time with nanoseconds (as Go writes it) and a
// history with an empty layer, not yet pushed.
test::Image imageWithHistory(const QString& manifestType, const QString& architecture = u"amd64"_s)
{
    const bool docker = isDocker(manifestType);
    test::Image image = test::makeImage(manifestType, 2, 1000);
    QList<test::Descriptor> layers;
    QJsonArray diffIds;
    for (const QByteArray& layer : image.layers) {
        layers.append(test::Descriptor::of(docker ? test::media::DockerLayer : test::media::OciLayer, layer));
        diffIds.append(test::sha256Digest(layer));
    }
    const QJsonArray history{QJsonObject{{"created"_L1, "2024-03-05T06:07:00Z"_L1},
                                         {"created_by"_L1, "/bin/sh -c #(nop) ADD file:1 in /"_L1}},
                             QJsonObject{{"created"_L1, "2024-03-05T06:07:05.5Z"_L1},
                                         {"created_by"_L1, "/bin/sh -c #(nop)  CMD [\"sh\"]"_L1},
                                         {"empty_layer"_L1, true}},
                             QJsonObject{{"created"_L1, "2024-03-05T06:07:08.123456789Z"_L1},
                                         {"created_by"_L1, "RUN make install"_L1},
                                         {"comment"_L1, "buildkit.dockerfile.v0"_L1}}};
    const QJsonObject config{
        {"created"_L1, "2024-03-05T06:07:08.123456789Z"_L1},
        {"architecture"_L1, architecture},
        {"os"_L1, "linux"_L1},
        {"config"_L1, QJsonObject{{"Labels"_L1, QJsonObject{{"nonce"_L1, test::unknownDigest()}}}}},
        {"rootfs"_L1, QJsonObject{{"type"_L1, "layers"_L1}, {"diff_ids"_L1, diffIds}}},
        {"history"_L1, history}};
    image.config = QJsonDocument(config).toJson(QJsonDocument::Compact);
    image.manifest = test::imageManifestJson(
        manifestType,
        test::Descriptor::of(docker ? test::media::DockerConfig : test::media::OciConfig, image.config),
        layers);
    return image;
}

// What differs between a fetched image manifest and the pushed image, empty if nothing.
QString imageProblem(const Manifest& manifest, const test::Image& image)
{
    if (manifest.digest != image.digest() || manifest.raw != image.manifest)
        return u"digest %1, raw %2 instead of %3"_s.arg(manifest.digest, QString::fromUtf8(manifest.raw),
                                                        image.digest());
    if (manifest.mediaType != image.mediaType || manifest.isIndex)
        return u"media type %1 (index %2)"_s.arg(manifest.mediaType).arg(manifest.isIndex);
    if (manifest.config.digest != test::sha256Digest(image.config) ||
        manifest.config.size != image.config.size())
        return u"config %1 of %2 bytes"_s.arg(manifest.config.digest).arg(manifest.config.size);
    if (manifest.layers.size() != image.layers.size())
        return u"%1 layers"_s.arg(manifest.layers.size());
    qint64 total = image.config.size();
    for (qsizetype i = 0; i < image.layers.size(); ++i) {
        const Descriptor& layer = manifest.layers.at(i);
        if (layer.digest != test::sha256Digest(image.layers.at(i)) || layer.size != image.layers.at(i).size())
            return u"layer %1 is %2 of %3 bytes"_s.arg(i).arg(layer.digest).arg(layer.size);
        total += layer.size;
    }
    if (manifest.totalSize() != total)
        return u"total size %1 instead of %2"_s.arg(manifest.totalSize()).arg(total);
    return {};
}

QDateTime utc(int year, int month, int day, int hour, int minute, int second, int milliseconds = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, milliseconds), Qt::UTC);
}

using test::CertificateSubject;
using test::TlsRegistry;

} // namespace

class TestRegistryClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void repositoriesPageByPage_data();
    void repositoriesPageByPage();
    void tagsPageByPage_data();
    void tagsPageByPage();
    void imageManifestAndConfig_data();
    void imageManifestAndConfig();
    void multiPlatformIndex_data();
    void multiPlatformIndex();
    void digestMismatchIsCaught_data();
    void digestMismatchIsCaught();
    void referrers_data();
    void referrers();
    void deleteTagKeepsOtherTags_data();
    void deleteTagKeepsOtherTags();
    void deleteManifestRemovesEveryTag_data();
    void deleteManifestRemovesEveryTag();
    void deletingDisabled_data();
    void deletingDisabled();
    void unknownNames_data();
    void unknownNames();
    void invalidNamesAreRefusedUpFront();
    void connectionRefused();
    void timeout();
    void basicAuth_data();
    void basicAuth();
    void bearerTokenFlow_data();
    void bearerTokenFlow();
    void selfSignedCertificate_data();
    void selfSignedCertificate();
    void deadContextGetsNoAnswer();
    void destroyedClientAnswersCancelled();

private:
    static void addRegistryRows();
    // Starts a fresh registry of `kind`: m_registry, with m_http to push with and m_client,
    // the client under test. cleanup() stops it, printing its output if the test failed.
    bool startRegistry(ProcessKind kind);
    // Restarts it on the same storage with more config; m_http and m_client follow it.
    bool restartRegistry(const QByteArray& extraConfig, const QByteArray& storageConfig = {});
    std::unique_ptr<RegistryClient> clientFor(const QUrl& baseUrl);

    QNetworkAccessManager m_network;
    std::unique_ptr<test::RegistryProcess> m_registry;
    std::unique_ptr<test::HttpClient> m_http;
    std::unique_ptr<RegistryClient> m_client;
};

void TestRegistryClient::initTestCase()
{
    if (QStandardPaths::findExecutable(u"docker-registry"_s).isEmpty())
        QFAIL("docker-registry is missing (Debian package docker-registry)");
    QVERIFY2(!test::RegistryProcess::berthdPath().isEmpty(), "BERTHD is not set");
}

void TestRegistryClient::cleanup()
{
    m_client.reset();
    m_http.reset();
    if (m_registry && QTest::currentTestFailed())
        test::printOutputTail(*m_registry);
    m_registry.reset();
}

void TestRegistryClient::addRegistryRows()
{
    QTest::addColumn<ProcessKind>("kind");
    for (const auto& [kind, name] : registryKinds())
        QTest::newRow(name) << kind;
}

bool TestRegistryClient::startRegistry(ProcessKind kind)
{
    m_registry = std::make_unique<test::RegistryProcess>(kind);
    return restartRegistry({});
}

bool TestRegistryClient::restartRegistry(const QByteArray& extraConfig, const QByteArray& storageConfig)
{
    m_registry->setExtraConfig(extraConfig);
    m_registry->setStorageConfig(storageConfig);
    if (!m_registry->start()) {
        qWarning("%s", qPrintable(m_registry->errorString()));
        return false;
    }
    m_http = std::make_unique<test::HttpClient>(m_registry->baseUrl());
    m_client = clientFor(m_registry->baseUrl());
    return true;
}

std::unique_ptr<RegistryClient> TestRegistryClient::clientFor(const QUrl& baseUrl)
{
    return std::make_unique<RegistryClient>(baseUrl, &m_network);
}

void TestRegistryClient::repositoriesPageByPage_data()
{
    addRegistryRows();
}

void TestRegistryClient::repositoriesPageByPage()
{
    QFETCH(ProcessKind, kind);
    QVERIFY(startRegistry(kind));
    // Pushed out of order; listed in order.
    const QStringList repositories{u"team/zeta"_s, u"alpha"_s, u"team/app"_s, u"beta/one"_s, u"team/app-2"_s};
    for (const QString& repository : repositories)
        QCOMPARE(test::pushImage(*m_http, repository, test::makeImage(), u"latest"_s), QString());

    QList<qsizetype> pageSizes;
    const RegistryResult<QStringList> names =
        listAll([&](const QString& last) { return listRepositories(*m_client, last, 2); }, &pageSizes);
    QCOMPARE(problem(names), QString());
    QCOMPARE(*names, sorted(repositories));
    QVERIFY2(pageSizes.size() >= 3, qPrintable(u"%1 pages"_s.arg(pageSizes.size())));
    for (const qsizetype size : pageSizes)
        QVERIFY(size <= 2);

    // Without a page size the registry decides: everything here.
    const RegistryResult<ListingPage> whole = listRepositories(*m_client, {}, 0);
    QCOMPARE(problem(whole), QString());
    QCOMPARE(whole->names, sorted(repositories));
    QVERIFY(whole->last.isEmpty());
}

void TestRegistryClient::tagsPageByPage_data()
{
    addRegistryRows();
}

void TestRegistryClient::tagsPageByPage()
{
    QFETCH(ProcessKind, kind);
    QVERIFY(startRegistry(kind));
    const QString repository = test::uniqueRepository(u"tags"_s);
    const test::Image image = test::makeImage();
    QCOMPARE(test::pushImage(*m_http, repository, image, u"v2"_s), QString());
    const QStringList tags{u"v2"_s, u"latest"_s, u"v1.0"_s, u"main"_s, u"v1.1"_s, u"A-upper"_s};
    for (const QString& tag : tags)
        QCOMPARE(test::pushManifest(*m_http, repository, image.mediaType, image.manifest, tag), QString());

    QList<qsizetype> pageSizes;
    const RegistryResult<QStringList> names =
        listAll([&](const QString& last) { return listTags(*m_client, repository, last, 2); }, &pageSizes);
    QCOMPARE(problem(names), QString());
    // Distribution 2.8 ignores n for tags and sends them all at once; paged answers come in order.
    if (pageSizes.size() > 1) {
        QCOMPARE(*names, sorted(tags));
        for (const qsizetype size : pageSizes)
            QVERIFY(size <= 2);
    } else {
        QVERIFY2(kind == ProcessKind::Distribution, "berthd did not page the tags");
        QCOMPARE(sorted(*names), sorted(tags));
    }
}

void TestRegistryClient::imageManifestAndConfig_data()
{
    QTest::addColumn<ProcessKind>("kind");
    QTest::addColumn<QString>("manifestType");
    for (const auto& [kind, name] : registryKinds()) {
        QTest::addRow("%s, OCI", name) << kind << QString(test::media::OciManifest);
        QTest::addRow("%s, Docker", name) << kind << QString(test::media::DockerManifest);
    }
}

void TestRegistryClient::imageManifestAndConfig()
{
    QFETCH(ProcessKind, kind);
    QFETCH(QString, manifestType);
    QVERIFY(startRegistry(kind));
    const QString repository = test::uniqueRepository(u"image"_s);
    const test::Image image = imageWithHistory(manifestType, u"arm64"_s);
    QCOMPARE(test::pushImage(*m_http, repository, image, u"v1"_s), QString());

    for (const QString& reference : {u"v1"_s, image.digest()}) {
        const RegistryResult<Manifest> manifest = fetchManifest(*m_client, repository, reference);
        QCOMPARE(problem(manifest), QString());
        QCOMPARE(imageProblem(*manifest, image), QString());
        QCOMPARE(manifest->config.mediaType,
                 QString(isDocker(manifestType) ? test::media::DockerConfig : test::media::OciConfig));
        QVERIFY(manifest->artifactType.isEmpty());
        QVERIFY(manifest->platforms().isEmpty());
    }

    const RegistryResult<ImageConfig> config =
        fetchImageConfig(*m_client, repository, test::sha256Digest(image.config));
    QCOMPARE(problem(config), QString());
    QCOMPARE(config->raw, image.config);
    QCOMPARE(config->created, utc(2024, 3, 5, 6, 7, 8, 123));
    QCOMPARE(config->os, u"linux"_s);
    QCOMPARE(config->architecture, u"arm64"_s);
    QCOMPARE(config->history.size(), 3);
    QCOMPARE(config->history.at(0).created, utc(2024, 3, 5, 6, 7, 0));
    QCOMPARE(config->history.at(0).createdBy, u"/bin/sh -c #(nop) ADD file:1 in /"_s);
    QVERIFY(!config->history.at(0).emptyLayer);
    QCOMPARE(config->history.at(1).created, utc(2024, 3, 5, 6, 7, 5, 500));
    QVERIFY(config->history.at(1).emptyLayer);
    QCOMPARE(config->history.at(2).createdBy, u"RUN make install"_s);
    QCOMPARE(config->history.at(2).comment, u"buildkit.dockerfile.v0"_s);
}

void TestRegistryClient::multiPlatformIndex_data()
{
    QTest::addColumn<ProcessKind>("kind");
    QTest::addColumn<QString>("indexType");
    QTest::addColumn<QString>("imageType");
    for (const auto& [kind, name] : registryKinds()) {
        QTest::addRow("%s, OCI index", name)
            << kind << QString(test::media::OciIndex) << QString(test::media::OciManifest);
        QTest::addRow("%s, Docker list", name)
            << kind << QString(test::media::DockerList) << QString(test::media::DockerManifest);
    }
}

void TestRegistryClient::multiPlatformIndex()
{
    QFETCH(ProcessKind, kind);
    QFETCH(QString, indexType);
    QFETCH(QString, imageType);
    QVERIFY(startRegistry(kind));
    const QString repository = test::uniqueRepository(u"index"_s);

    const test::Image amd64 = imageWithHistory(imageType, u"amd64"_s);
    const test::Image arm64 = imageWithHistory(imageType, u"arm64"_s);
    QList<test::Descriptor> children;
    for (const auto& [image, platform] :
         {std::pair{&amd64, QJsonObject{{"os"_L1, "linux"_L1}, {"architecture"_L1, "amd64"_L1}}},
          std::pair{&arm64, QJsonObject{{"os"_L1, "linux"_L1},
                                        {"architecture"_L1, "arm64"_L1},
                                        {"variant"_L1, "v8"_L1}}}}) {
        QCOMPARE(test::pushImage(*m_http, repository, *image), QString());
        test::Descriptor child = image->descriptor();
        child.platform = platform;
        children.append(child);
    }
    const QByteArray index = test::indexJson(indexType, children);
    QCOMPARE(test::pushManifest(*m_http, repository, indexType, index, u"multi"_s), QString());

    const RegistryResult<Manifest> manifest = fetchManifest(*m_client, repository, u"multi"_s);
    QCOMPARE(problem(manifest), QString());
    QVERIFY(manifest->isIndex);
    QCOMPARE(manifest->mediaType, indexType);
    QCOMPARE(manifest->digest, test::sha256Digest(index));
    QCOMPARE(manifest->platforms(), QStringList({u"linux/amd64"_s, u"linux/arm64/v8"_s}));
    QCOMPARE(manifest->children.size(), 2);
    QCOMPARE(manifest->children.at(1).digest, arm64.digest());
    QCOMPARE(manifest->children.at(1).mediaType, imageType);
    QCOMPARE(manifest->totalSize(), qint64(amd64.manifest.size() + arm64.manifest.size()));

    // A platform's image, as the details view opens it from the index.
    const RegistryResult<Manifest> child =
        fetchManifest(*m_client, repository, manifest->children.at(1).digest);
    QCOMPARE(problem(child), QString());
    QCOMPARE(imageProblem(*child, arm64), QString());
    const RegistryResult<ImageConfig> config = fetchImageConfig(*m_client, repository, child->config.digest);
    QCOMPARE(problem(config), QString());
    QCOMPARE(config->architecture, u"arm64"_s);
}

void TestRegistryClient::digestMismatchIsCaught_data()
{
    QTest::addColumn<bool>("byDigest");
    QTest::newRow("by tag: Docker-Content-Digest") << false;
    QTest::newRow("by digest: the requested one") << true;
}

void TestRegistryClient::digestMismatchIsCaught()
{
    // Distribution serves a manifest from its disk without checking it, so a bit flipped
    // there reaches the client with the old digest. berthd checks what it reads.
    QFETCH(bool, byDigest);
    QVERIFY(startRegistry(ProcessKind::Distribution));
    const QString repository = test::uniqueRepository(u"mismatch"_s);
    const test::Image image = test::makeImage();
    QCOMPARE(test::pushImage(*m_http, repository, image, u"v1"_s), QString());

    const QString hex = image.digest().mid(7);
    QFile stored(m_registry->storageRoot() +
                 u"/docker/registry/v2/blobs/sha256/%1/%2/data"_s.arg(hex.left(2), hex));
    QVERIFY2(stored.open(QIODevice::ReadWrite), qPrintable(stored.fileName()));
    QByteArray corrupted = stored.readAll();
    QCOMPARE(corrupted, image.manifest);
    corrupted.replace("\"schemaVersion\":2", "\"schemaVersion\": 2"); // still a valid manifest
    QVERIFY(stored.seek(0) && stored.write(corrupted) == corrupted.size());
    stored.close();

    const RegistryResult<Manifest> manifest =
        fetchManifest(*m_client, repository, byDigest ? image.digest() : u"v1"_s);
    QCOMPARE(refusalProblem(manifest, Kind::BadResponse, u"does not match its digest "_s + image.digest()),
             QString());
}

void TestRegistryClient::referrers_data()
{
    addRegistryRows();
}

void TestRegistryClient::referrers()
{
    QFETCH(ProcessKind, kind);
    QVERIFY(startRegistry(kind));
    const QString repository = test::uniqueRepository(u"referrers"_s);
    const test::Image subject = test::makeImage();
    QCOMPARE(test::pushImage(*m_http, repository, subject, u"v1"_s), QString());
    const test::Image sbom = test::makeArtifact(subject.descriptor(), u"application/vnd.example.sbom.v1"_s,
                                                QJsonObject{{"org.example.format"_L1, "json"_L1}});
    const test::Image signature =
        test::makeArtifact(subject.descriptor(), u"application/vnd.example.signature.v1"_s);
    QCOMPARE(test::pushImage(*m_http, repository, sbom), QString());
    QCOMPARE(test::pushImage(*m_http, repository, signature), QString());

    const RegistryResult<QList<Descriptor>> referrers =
        fetchReferrers(*m_client, repository, subject.digest());
    if (kind == ProcessKind::Distribution) {
        // Distribution 2.8 predates OCI 1.1.
        QCOMPARE(refusalProblem(referrers, Kind::Unsupported, u"referrers API"_s), QString());
        return;
    }
    QCOMPARE(problem(referrers), QString());
    QMap<QString, Descriptor> byDigest;
    for (const Descriptor& referrer : *referrers)
        byDigest.insert(referrer.digest, referrer);
    QCOMPARE(byDigest.keys(), sorted({sbom.digest(), signature.digest()}));
    QCOMPARE(byDigest.value(sbom.digest()).artifactType, u"application/vnd.example.sbom.v1"_s);
    QCOMPARE(byDigest.value(sbom.digest()).annotations.value(u"org.example.format"_s), u"json"_s);
    QCOMPARE(byDigest.value(sbom.digest()).size, qint64(sbom.manifest.size()));
    QCOMPARE(byDigest.value(signature.digest()).artifactType, u"application/vnd.example.signature.v1"_s);

    // An image nothing refers to has none.
    const test::Image lonely = test::makeImage();
    QCOMPARE(test::pushImage(*m_http, repository, lonely), QString());
    const RegistryResult<QList<Descriptor>> none = fetchReferrers(*m_client, repository, lonely.digest());
    QCOMPARE(problem(none), QString());
    QVERIFY(none->isEmpty());
}

void TestRegistryClient::deleteTagKeepsOtherTags_data()
{
    addRegistryRows();
}

void TestRegistryClient::deleteTagKeepsOtherTags()
{
    QFETCH(ProcessKind, kind);
    QVERIFY(startRegistry(kind));
    const QString repository = test::uniqueRepository(u"deletetag"_s);
    const test::Image image = test::makeImage();
    QCOMPARE(test::pushImage(*m_http, repository, image, u"keep"_s), QString());
    QCOMPARE(test::pushManifest(*m_http, repository, image.mediaType, image.manifest, u"drop"_s), QString());

    const RegistryResult<void> deleted = deleteTag(*m_client, repository, u"drop"_s);
    const RegistryResult<QStringList> tags =
        listAll([&](const QString& last) { return listTags(*m_client, repository, last, 0); });
    QCOMPARE(problem(tags), QString());
    if (kind == ProcessKind::Distribution) {
        // Distribution 2.8 deletes manifests, not tags on their own.
        QCOMPARE(refusalProblem(deleted, Kind::Unsupported, u"cannot delete a tag on its own"_s), QString());
        QCOMPARE(sorted(*tags), QStringList({u"drop"_s, u"keep"_s}));
        return;
    }
    QCOMPARE(problem(deleted), QString());
    QCOMPARE(*tags, QStringList({u"keep"_s}));
    // The other tag of the same digest still pulls: manifest and blobs.
    const RegistryResult<Manifest> kept = fetchManifest(*m_client, repository, u"keep"_s);
    QCOMPARE(problem(kept), QString());
    QCOMPARE(kept->digest, image.digest());
    QCOMPARE(problem(fetchImageConfig(*m_client, repository, kept->config.digest)), QString());
    QCOMPARE(m_http->get(test::blobPath(repository, kept->layers.at(0).digest)).body, image.layers.at(0));
    const RegistryResult<Manifest> gone = fetchManifest(*m_client, repository, u"drop"_s);
    QCOMPARE(refusalProblem(gone, Kind::NotFound), QString());
}

void TestRegistryClient::deleteManifestRemovesEveryTag_data()
{
    addRegistryRows();
}

void TestRegistryClient::deleteManifestRemovesEveryTag()
{
    QFETCH(ProcessKind, kind);
    QVERIFY(startRegistry(kind));
    const QString repository = test::uniqueRepository(u"deletemanifest"_s);
    const test::Image doomed = test::makeImage();
    const test::Image other = test::makeImage();
    QCOMPARE(test::pushImage(*m_http, repository, doomed, u"a"_s), QString());
    QCOMPARE(test::pushManifest(*m_http, repository, doomed.mediaType, doomed.manifest, u"b"_s), QString());
    QCOMPARE(test::pushImage(*m_http, repository, other, u"c"_s), QString());

    QCOMPARE(problem(deleteManifest(*m_client, repository, doomed.digest())), QString());
    const RegistryResult<QStringList> tags =
        listAll([&](const QString& last) { return listTags(*m_client, repository, last, 0); });
    QCOMPARE(problem(tags), QString());
    QCOMPARE(*tags, QStringList({u"c"_s}));
    for (const QString& reference : {u"a"_s, doomed.digest()}) {
        const RegistryResult<Manifest> gone = fetchManifest(*m_client, repository, reference);
        QCOMPARE(refusalProblem(gone, Kind::NotFound), QString());
    }
    QCOMPARE(problem(fetchManifest(*m_client, repository, u"c"_s)), QString());

    // Deleting it again: there is nothing to delete.
    const RegistryResult<void> again = deleteManifest(*m_client, repository, doomed.digest());
    QCOMPARE(refusalProblem(again, Kind::NotFound), QString());
}

void TestRegistryClient::deletingDisabled_data()
{
    addRegistryRows();
}

void TestRegistryClient::deletingDisabled()
{
    QFETCH(ProcessKind, kind);
    QVERIFY(startRegistry(kind));
    const QString repository = test::uniqueRepository(u"readonly"_s);
    const test::Image image = test::makeImage();
    QCOMPARE(test::pushImage(*m_http, repository, image, u"v1"_s), QString());
    // Read-only maintenance refuses every write, deletes included, with 405 UNSUPPORTED.
    QVERIFY(restartRegistry({}, "  maintenance:\n    readonly:\n      enabled: true\n"));

    for (const RegistryResult<void>& refused :
         {deleteManifest(*m_client, repository, image.digest()), deleteTag(*m_client, repository, u"v1"_s)}) {
        QCOMPARE(refusalProblem(refused, Kind::Unsupported, u"Deleting is disabled on this registry"_s),
                 QString());
        QCOMPARE(refused.error().httpStatus, 405);
    }
    QCOMPARE(problem(fetchManifest(*m_client, repository, u"v1"_s)), QString());
}

void TestRegistryClient::unknownNames_data()
{
    addRegistryRows();
}

void TestRegistryClient::unknownNames()
{
    QFETCH(ProcessKind, kind);
    QVERIFY(startRegistry(kind));
    const QString existing = test::uniqueRepository(u"known"_s);
    QCOMPARE(test::pushImage(*m_http, existing, test::makeImage(), u"v1"_s), QString());
    const QString host = m_registry->hostPort();

    const RegistryResult<ListingPage> tags = listTags(*m_client, u"team/nothing"_s, {}, 0);
    QCOMPARE(refusalProblem(tags, Kind::NotFound), QString());
    QCOMPARE(tags.error().httpStatus, 404);
    QCOMPARE(tags.error().ociCode, u"NAME_UNKNOWN"_s);
    QCOMPARE(tags.error().message, u"Repository team/nothing does not exist on %1."_s.arg(host));

    const RegistryResult<Manifest> tag = fetchManifest(*m_client, existing, u"nope"_s);
    QCOMPARE(refusalProblem(tag, Kind::NotFound), QString());
    QCOMPARE(tag.error().message, u"%1:nope does not exist on %2."_s.arg(existing, host));

    const RegistryResult<Manifest> elsewhere = fetchManifest(*m_client, u"team/nothing"_s, u"latest"_s);
    QCOMPARE(refusalProblem(elsewhere, Kind::NotFound), QString());

    const QString digest = test::unknownDigest();
    const RegistryResult<ImageConfig> blob = fetchImageConfig(*m_client, existing, digest);
    QCOMPARE(refusalProblem(blob, Kind::NotFound, digest), QString());
}

void TestRegistryClient::invalidNamesAreRefusedUpFront()
{
    // Nothing listens here: a request that went out would fail as Network.
    const auto client = clientFor(QUrl(u"http://127.0.0.1:%1"_s.arg(test::RegistryProcess::freePort())));
    const RegistryResult<ListingPage> tags = listTags(*client, u"Team/App"_s, {}, 0);
    QCOMPARE(refusalProblem(tags, Kind::NotFound), QString());
    QCOMPARE(tags.error().message, u"\"Team/App\" is not a valid repository name."_s);
    const RegistryResult<void> digestAsTag = deleteTag(*client, u"team/app"_s, test::unknownDigest());
    const RegistryResult<void> tagAsDigest = deleteManifest(*client, u"team/app"_s, u"latest"_s);
    const RegistryResult<void> badTag = await<void>(
        [&](QObject* context, auto done) { client->deleteTag(u"team/app"_s, u"a b"_s, context, done); });
    for (const RegistryResult<void>* refused : {&digestAsTag, &tagAsDigest, &badTag})
        QCOMPARE(refusalProblem(*refused, Kind::NotFound, u"is not a valid tag or digest"_s), QString());
    const RegistryResult<Manifest> manifest = fetchManifest(*client, u"team/app"_s, u"../../_catalog"_s);
    QCOMPARE(refusalProblem(manifest, Kind::NotFound), QString());
}

void TestRegistryClient::connectionRefused()
{
    const quint16 port = test::RegistryProcess::freePort();
    const auto client = clientFor(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    QCOMPARE(client->hostAndPort(), u"127.0.0.1:%1"_s.arg(port));
    const RegistryResult<void> result = ping(*client);
    QCOMPARE(refusalProblem(result, Kind::Network), QString());
    QCOMPARE(result.error().message, u"Cannot connect to 127.0.0.1:%1: connection refused."_s.arg(port));
}

void TestRegistryClient::timeout()
{
    // A server that accepts and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    const auto client = clientFor(QUrl(u"http://127.0.0.1:%1"_s.arg(silent.serverPort())));
    client->setTimeout(1s);
    QElapsedTimer elapsed;
    elapsed.start();
    const RegistryResult<void> result = ping(*client);
    QCOMPARE(refusalProblem(result, Kind::Network, u"timed out"_s), QString());
    QVERIFY2(elapsed.elapsed() < 20000, qPrintable(u"%1 ms"_s.arg(elapsed.elapsed())));
}

void TestRegistryClient::basicAuth_data()
{
    QTest::addColumn<Credentials>("credentials");
    QTest::addColumn<QString>("refusal"); // empty: let in

    QTest::newRow("right password") << Credentials{u"alice"_s, u"s3cret pass"_s} << QString();
    QTest::newRow("no credentials") << Credentials{} << u"needs a username and password"_s;
    QTest::newRow("wrong password") << Credentials{u"alice"_s, u"wrong"_s}
                                    << u"refused the username or password"_s;
    QTest::newRow("unknown user") << Credentials{u"mallory"_s, u"s3cret pass"_s}
                                  << u"refused the username or password"_s;
}

void TestRegistryClient::basicAuth()
{
    QFETCH(Credentials, credentials);
    QFETCH(QString, refusal);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const test::FinishedCommand htpasswd =
        test::runCommand(u"htpasswd"_s, {u"-Bbn"_s, u"alice"_s, u"s3cret pass"_s}, 30000);
    QVERIFY2(htpasswd.succeeded(), qPrintable(htpasswd.describe()));
    QFile passwords(dir.filePath(u"htpasswd"_s));
    QVERIFY(passwords.open(QIODevice::WriteOnly) && passwords.write(htpasswd.out) == htpasswd.out.size());
    passwords.close();

    // Content first, then the same storage behind a password.
    QVERIFY(startRegistry(ProcessKind::Distribution));
    const QString repository = test::uniqueRepository(u"basic"_s);
    QCOMPARE(test::pushImage(*m_http, repository, test::makeImage(), u"v1"_s), QString());
    QVERIFY(restartRegistry(
        "auth:\n  htpasswd:\n    realm: berth-test\n    path: " + passwords.fileName().toUtf8() + "\n"));

    m_client->setCredentials(credentials);
    const RegistryResult<ListingPage> listing = listRepositories(*m_client, {}, 0);
    if (!refusal.isEmpty()) {
        QCOMPARE(refusalProblem(listing, Kind::Unauthorized, refusal), QString());
        return;
    }
    QCOMPARE(problem(listing), QString());
    QCOMPARE(listing->names, QStringList({repository}));
    QCOMPARE(problem(fetchManifest(*m_client, repository, u"v1"_s)), QString());
}

void TestRegistryClient::bearerTokenFlow_data()
{
    QTest::addColumn<Credentials>("credentials");
    QTest::addColumn<QString>("refusal"); // empty: let in

    QTest::newRow("right password") << Credentials{u"alice"_s, u"s3cret"_s} << QString();
    QTest::newRow("no credentials") << Credentials{} << u"needs a username and password"_s;
    QTest::newRow("wrong password") << Credentials{u"alice"_s, u"wrong"_s}
                                    << u"refused the username or password"_s;
}

void TestRegistryClient::bearerTokenFlow()
{
    QFETCH(Credentials, credentials);
    QFETCH(QString, refusal);
    test::TokenIssuer issuer(u"alice"_s, u"s3cret"_s);
    const QString issuerError = issuer.start();
    QVERIFY2(issuerError.isEmpty(), qPrintable(issuerError));

    QVERIFY(startRegistry(ProcessKind::Distribution));
    QStringList repositories;
    test::Image image = test::makeImage();
    for (int i = 0; i < 3; ++i) {
        repositories.append(test::uniqueRepository(u"bearer"_s));
        QCOMPARE(test::pushImage(*m_http, repositories.last(), image, u"v1"_s), QString());
    }
    QVERIFY(restartRegistry(issuer.registryConfig()));

    m_client->setCredentials(credentials);
    QList<qsizetype> pageSizes;
    const RegistryResult<QStringList> names =
        listAll([&](const QString& last) { return listRepositories(*m_client, last, 1); }, &pageSizes);
    if (!refusal.isEmpty()) {
        QCOMPARE(refusalProblem(names, Kind::Unauthorized, refusal), QString());
        QCOMPARE(issuer.issuedCount(), 0);
        return;
    }
    QCOMPARE(problem(names), QString());
    QCOMPARE(*names, sorted(repositories));
    QCOMPARE(pageSizes.size(), 3);
    // One token for the catalog scope, reused for every page.
    QCOMPARE(issuer.issuedCount(), 1);
    QCOMPARE(issuer.requestedScopes(), QStringList({u"registry:catalog:*"_s}));

    // Pulling needs a token for the repository's pull scope: one fetch serves a burst of
    // requests that meet the challenge together, and later ones reuse it.
    const QString repository = repositories.first();
    std::vector<std::optional<RegistryResult<Manifest>>> burst(4);
    for (auto& answer : burst) {
        m_client->fetchManifest(repository, u"v1"_s, this,
                                [&answer](const RegistryResult<Manifest>& result) { answer = result; });
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(burst.cbegin(), burst.cend(), [](const auto& answer) { return answer.has_value(); }),
        answerTimeoutMs);
    for (const auto& answer : burst)
        QCOMPARE(problem(*answer), QString());
    QCOMPARE(issuer.issuedCount(), 2);
    QCOMPARE(problem(fetchImageConfig(*m_client, repository, (*burst.front())->config.digest)), QString());
    QCOMPARE(problem(listTags(*m_client, repository, {}, 0)), QString());
    QCOMPARE(issuer.issuedCount(), 2);

    // Deleting needs the scope the registry's challenge names.
    QCOMPARE(problem(deleteManifest(*m_client, repository, image.digest())), QString());
    QCOMPARE(issuer.issuedCount(), 3);
    QVERIFY2(issuer.requestedScopes().last().endsWith(u":delete"_s),
             qPrintable(issuer.requestedScopes().join(u' ')));
    const RegistryResult<Manifest> gone = fetchManifest(*m_client, repository, image.digest());
    QCOMPARE(refusalProblem(gone, Kind::NotFound), QString());
    QCOMPARE(issuer.issuedCount(), 3);
}

void TestRegistryClient::selfSignedCertificate_data()
{
    QTest::addColumn<CertificateSubject>("subject");
    QTest::addColumn<QStringList>("reasons");

    QTest::newRow("for this host") << CertificateSubject{u"127.0.0.1"_s, u"IP:127.0.0.1"_s}
                                   << QStringList({u"it is self-signed"_s});
    QTest::newRow("for another host")
        << CertificateSubject{u"registry.example.com"_s, u"DNS:registry.example.com"_s}
        << QStringList({u"it is self-signed"_s, u"it is for registry.example.com, not for 127.0.0.1"_s});
    QTest::newRow("expired") << CertificateSubject{u"127.0.0.1"_s, u"IP:127.0.0.1"_s, true}
                             << QStringList({u"it is self-signed"_s, u"it expired on 2020-01-02"_s});
}

void TestRegistryClient::selfSignedCertificate()
{
    QFETCH(CertificateSubject, subject);
    QFETCH(QStringList, reasons);
    TlsRegistry registry;
    const QString started = registry.start(subject);
    QVERIFY2(started.isEmpty(), qPrintable(started));

    // A network of its own: connections another test left open cannot skip the handshake.
    QNetworkAccessManager network;
    RegistryClient client(registry.baseUrl(), &network);
    QVERIFY(client.untrustedCertificate().isNull());
    const RegistryResult<void> refused = ping(client);
    QCOMPARE(refusalProblem(refused, Kind::Tls), QString());
    for (const QString& reason : reasons)
        QVERIFY2(refused.error().message.contains(reason), qPrintable(describe(refused.error())));
    QCOMPARE(client.untrustedCertificate(), registry.certificate());

    client.trustCertificate(client.untrustedCertificate());
    QCOMPARE(problem(ping(client)), QString());
    const RegistryResult<ListingPage> listing = listRepositories(client, {}, 10);
    QCOMPARE(problem(listing), QString());
    QVERIFY(listing->names.isEmpty());
}

void TestRegistryClient::deadContextGetsNoAnswer()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    auto client = clientFor(QUrl(u"http://127.0.0.1:%1"_s.arg(silent.serverPort())));
    int deadAnswers = 0;
    int liveAnswers = 0;
    auto dead = std::make_unique<QObject>();
    client->ping(dead.get(), [&deadAnswers](const RegistryResult<void>&) { ++deadAnswers; });
    client->ping(this, [&liveAnswers](const RegistryResult<void>&) { ++liveAnswers; });
    QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), answerTimeoutMs); // in flight
    dead.reset();
    // Both end now, in order: an answer to the dead context would be queued before the live one.
    client.reset();
    QTRY_COMPARE_WITH_TIMEOUT(liveAnswers, 1, answerTimeoutMs);
    QCOMPARE(deadAnswers, 0);
}

void TestRegistryClient::destroyedClientAnswersCancelled()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    auto client = clientFor(QUrl(u"http://127.0.0.1:%1"_s.arg(silent.serverPort())));
    QList<RegistryError> answers;
    client->listRepositories({}, 10, this, [&answers](const RegistryResult<ListingPage>& result) {
        answers.append(result ? RegistryError{} : result.error());
    });
    client->ping(this, [&answers](const RegistryResult<void>& result) {
        answers.append(result ? RegistryError{} : result.error());
    });
    QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), answerTimeoutMs); // in flight
    client.reset();
    QCOMPARE(answers.size(), 0); // answers come later, never from inside the destructor
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 2, answerTimeoutMs);
    for (const RegistryError& error : answers)
        QCOMPARE(error.kind, Kind::Cancelled);
    QCoreApplication::processEvents();
    QCOMPARE(answers.size(), 2);
}

} // namespace berth::app

QTEST_GUILESS_MAIN(berth::app::TestRegistryClient)
#include "TestRegistryClient.moc"
