// skopeo pushing to and pulling from a real registry: berthd by default, CNCF Distribution
// with BERTH_TEST_REGISTRY=distribution. Every image is generated fresh and every pull is
// compared byte for byte with what was pushed.

#include "ClientSupport.h"
#include "Htpasswd.h"
#include "HttpClient.h"
#include "ImageFactory.h"
#include "RegistryProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <type_traits>
#include <vector>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int skopeoTimeoutMs = 90000;
constexpr int concurrentPushCount = 8;

QStringList sortedTags(const QJsonArray& tags)
{
    QStringList list;
    for (const QJsonValue tag : tags)
        list.append(tag.toString());
    list.sort();
    return list;
}

// Checks a `docker-archive:` tarball written by skopeo: its layers are the original
// uncompressed tars in order, and its config lists their digests as diff_ids.
QString compareDockerArchive(const QString& archive, const Image& expected)
{
    QTemporaryDir unpacked;
    if (!runTool(u"tar"_s, {u"-xf"_s, archive, u"-C"_s, unpacked.path()}))
        return u"cannot unpack "_s + archive;
    QFile manifestFile(unpacked.filePath(u"manifest.json"_s));
    if (!manifestFile.open(QIODevice::ReadOnly))
        return archive + u" has no manifest.json"_s;
    const QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll())[0].toObject();
    const QJsonArray layerPaths = manifest.value(u"Layers").toArray();
    if (layerPaths.size() != expected.layers.size())
        return u"%1 has %2 layers, expected %3"_s.arg(archive)
            .arg(layerPaths.size())
            .arg(expected.layers.size());
    for (qsizetype i = 0; i < layerPaths.size(); ++i) {
        QFile layer(unpacked.filePath(layerPaths.at(i).toString()));
        if (!layer.open(QIODevice::ReadOnly) || layer.readAll() != expected.layers.at(i).bytes)
            return u"layer %1 (%2) of %3 differs from what was pushed"_s.arg(i).arg(layer.fileName(),
                                                                                    archive);
    }
    QFile config(unpacked.filePath(manifest.value(u"Config").toString()));
    if (!config.open(QIODevice::ReadOnly))
        return archive + u" has no config"_s;
    const QJsonValue diffIds = QJsonDocument::fromJson(config.readAll())[u"rootfs"_s][u"diff_ids"_s];
    if (diffIds != digestsToJson(expected.layerDigests()))
        return u"the config in %1 has other diff_ids than were pushed"_s.arg(archive);
    return {};
}

} // namespace

class TestSkopeo : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void singlePlatformRoundTrip();
    void inspectAndListTags();
    void multiPlatformAll();
    void dockerArchiveRoundTrip();
    void deleteTag();
    void sharedLayersAcrossRepositories();
    void concurrentPushes();
    void storageCompatibleWithDistribution_data();
    void storageCompatibleWithDistribution();
    void pushAndPullWithCredentials();

private:
    // A registry that cleanup() stops, printing its log if the test failed.
    RegistryProcess& addRegistry(RegistryProcess::Kind kind);
    std::unique_ptr<QProcess> startSkopeo(const QStringList& arguments) const;
    // Waits for a started skopeo; returns a description of its failure, or empty.
    static QString waitSkopeo(QProcess& process, QByteArray* output = nullptr);
    QString skopeo(const QStringList& arguments, QByteArray* output = nullptr) const;
    QString copy(const QString& from, const QString& to, const QStringList& options = {}) const;
    static QStringList copyArguments(const QString& from, const QString& to, const QStringList& options);
    // Copy options that must keep manifests and layers as they are; `--all` for an index.
    template <typename Content> static QStringList exactCopyOptions();

    OciLayout newLayout();
    QString newPath(const QString& suffix = {});
    static QString docker(const RegistryProcess& registry, const QString& nameAndReference);

    // Writes `content` to a fresh OCI layout and copies it to `destination`.
    template <typename Content> QString push(const Content& content, const QString& destination);
    // Copies `source` to a fresh OCI layout and compares it byte for byte with `expected`.
    template <typename Content>
    QString pullAndCompare(const QString& source, const Content& expected,
                           const QStringList& extraOptions = {});
    QJsonDocument inspectJson(const QStringList& arguments, QString* error) const;

    ContainersHome m_home;
    QTemporaryDir m_work;
    int m_pathCount = 0;
    RegistryProcess::Kind m_kind = RegistryProcess::Kind::Berthd;
    std::vector<std::unique_ptr<RegistryProcess>> m_registries;
    RegistryProcess* m_registry = nullptr; // the registry under test, started by init()
};

void TestSkopeo::initTestCase()
{
    if (QStandardPaths::findExecutable(u"skopeo"_s).isEmpty())
        QSKIP("skopeo is not installed (Debian package skopeo)");

    QVERIFY(m_work.isValid());
    BERTH_VERIFY_OK(m_home.setUp());

    QByteArray version;
    BERTH_VERIFY_OK(skopeo({u"--version"_s}, &version));
    m_kind = RegistryProcess::kindFromEnvironment();
    qInfo("%s against %s", version.trimmed().constData(), qPrintable(registryName(m_kind)));
}

void TestSkopeo::init()
{
    // Every test gets a fresh registry of the kind under test.
    m_registry = &addRegistry(m_kind);
    QVERIFY2(m_registry->start(), qPrintable(m_registry->errorString()));
}

void TestSkopeo::cleanup()
{
    if (QTest::currentTestFailed()) {
        for (const auto& registry : m_registries)
            qWarning("%s output (tail):\n%s", qPrintable(registryName(registry->kind())),
                     registry->output().right(6000).constData());
    }
    m_registry = nullptr;
    m_registries.clear();
}

RegistryProcess& TestSkopeo::addRegistry(RegistryProcess::Kind kind)
{
    return *m_registries.emplace_back(std::make_unique<RegistryProcess>(kind));
}

std::unique_ptr<QProcess> TestSkopeo::startSkopeo(const QStringList& arguments) const
{
    // Run as root, skopeo still keeps its blob-info cache in /var/lib/containers/cache;
    // every test's content is random, so no stale entry there ever matches.
    return startClient(u"skopeo"_s,
                       QStringList{u"--registries.d"_s, m_home.filePath(u"registries.d"_s)} + arguments,
                       m_home.environment());
}

QString TestSkopeo::waitSkopeo(QProcess& process, QByteArray* output)
{
    return waitClient(process, skopeoTimeoutMs, output);
}

QString TestSkopeo::skopeo(const QStringList& arguments, QByteArray* output) const
{
    return waitSkopeo(*startSkopeo(arguments), output);
}

QStringList TestSkopeo::copyArguments(const QString& from, const QString& to, const QStringList& options)
{
    return QStringList{u"--insecure-policy"_s, u"copy"_s, u"--src-tls-verify=false"_s,
                       u"--dest-tls-verify=false"_s} +
           options + QStringList{from, to};
}

QString TestSkopeo::copy(const QString& from, const QString& to, const QStringList& options) const
{
    return skopeo(copyArguments(from, to, options));
}

template <typename Content> QStringList TestSkopeo::exactCopyOptions()
{
    // Without --preserve-digests skopeo gzips uncompressed layers on the way to a registry.
    QStringList options{u"--preserve-digests"_s};
    if constexpr (std::is_same_v<Content, ImageIndex>)
        options.append(u"--all"_s);
    return options;
}

QString TestSkopeo::newPath(const QString& suffix)
{
    return m_work.filePath(QString::number(++m_pathCount) + suffix);
}

OciLayout TestSkopeo::newLayout()
{
    return OciLayout(newPath());
}

QString TestSkopeo::docker(const RegistryProcess& registry, const QString& nameAndReference)
{
    return u"docker://"_s + registry.hostPort() + u'/' + nameAndReference;
}

template <typename Content> QString TestSkopeo::push(const Content& content, const QString& destination)
{
    OciLayout layout = newLayout();
    if (QString error = layout.write(content, u"source"_s); !error.isEmpty())
        return error;
    return copy(layout.reference(u"source"_s), destination, exactCopyOptions<Content>());
}

template <typename Content>
QString TestSkopeo::pullAndCompare(const QString& source, const Content& expected,
                                   const QStringList& extraOptions)
{
    const OciLayout pulled = newLayout();
    if (QString error =
            copy(source, pulled.reference(u"pulled"_s), exactCopyOptions<Content>() + extraOptions);
        !error.isEmpty())
        return error;
    if (QString error = pulled.compare(u"pulled"_s, expected); !error.isEmpty())
        return source + u": "_s + error;
    return {};
}

QJsonDocument TestSkopeo::inspectJson(const QStringList& arguments, QString* error) const
{
    QByteArray output;
    *error = skopeo(arguments, &output);
    QJsonParseError parseError;
    QJsonDocument json = QJsonDocument::fromJson(output, &parseError);
    if (error->isEmpty() && parseError.error != QJsonParseError::NoError)
        *error = u"skopeo %1 printed no JSON: %2"_s.arg(arguments.join(u' '), QString::fromUtf8(output));
    return json;
}

void TestSkopeo::singlePlatformRoundTrip()
{
    // A multi-megabyte layer, a small one and one holding only a directory entry.
    const Image image =
        ImageFactory::image({ImageFactory::randomLayer(8 << 20), ImageFactory::randomLayer(64 << 10),
                             ImageFactory::randomLayer(0, 0)});
    const QString reference = docker(*m_registry, u"roundtrip/single:v1"_s);
    BERTH_VERIFY_OK(push(image, reference));
    BERTH_VERIFY_OK(pullAndCompare(reference, image));
    BERTH_VERIFY_OK(pullAndCompare(
        docker(*m_registry, u"roundtrip/single@"_s) + QString::fromLatin1(image.manifest.digest()), image));
}

void TestSkopeo::inspectAndListTags()
{
    const Image image = ImageFactory::randomImage(2, 64 << 10);
    const QString repository = m_registry->hostPort() + u"/inspect/me"_s;
    BERTH_VERIFY_OK(push(image, u"docker://"_s + repository + u":v1"_s));
    BERTH_VERIFY_OK(push(image, u"docker://"_s + repository + u":v2"_s)); // every blob exists already

    QString error;
    const QJsonDocument inspected =
        inspectJson({u"inspect"_s, u"--tls-verify=false"_s, u"docker://"_s + repository + u":v1"_s}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(inspected[u"Name"_s].toString(), repository);
    QCOMPARE(inspected[u"Digest"_s].toString(), QString::fromLatin1(image.manifest.digest()));
    QCOMPARE(inspected[u"Architecture"_s].toString(), u"amd64"_s);
    QCOMPARE(inspected[u"Os"_s].toString(), u"linux"_s);
    QCOMPARE(inspected[u"Layers"_s].toArray(), digestsToJson(image.layerDigests()));
    QCOMPARE(sortedTags(inspected[u"RepoTags"_s].toArray()), (QStringList{u"v1"_s, u"v2"_s}));

    QByteArray raw;
    BERTH_VERIFY_OK(skopeo(
        {u"inspect"_s, u"--tls-verify=false"_s, u"--raw"_s, u"docker://"_s + repository + u":v2"_s}, &raw));
    QCOMPARE(raw, image.manifest.bytes);
    BERTH_VERIFY_OK(
        skopeo({u"inspect"_s, u"--tls-verify=false"_s, u"--raw"_s,
                u"docker://"_s + repository + u'@' + QString::fromLatin1(image.manifest.digest())},
               &raw));
    QCOMPARE(raw, image.manifest.bytes);
    BERTH_VERIFY_OK(skopeo({u"inspect"_s, u"--tls-verify=false"_s, u"--config"_s, u"--raw"_s,
                            u"docker://"_s + repository + u":v1"_s},
                           &raw));
    QCOMPARE(raw, image.config.bytes);

    const QJsonDocument tags =
        inspectJson({u"list-tags"_s, u"--tls-verify=false"_s, u"docker://"_s + repository}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(tags[u"Repository"_s].toString(), repository);
    QCOMPARE(sortedTags(tags[u"Tags"_s].toArray()), (QStringList{u"v1"_s, u"v2"_s}));
}

void TestSkopeo::multiPlatformAll()
{
    const ImageIndex index =
        ImageFactory::index({ImageFactory::randomImage(2, 128 << 10, {u"linux"_s, u"amd64"_s}),
                             ImageFactory::randomImage(2, 128 << 10, {u"linux"_s, u"arm64"_s})});
    const QString reference = docker(*m_registry, u"multi/platform:v1"_s);
    BERTH_VERIFY_OK(push(index, reference));
    BERTH_VERIFY_OK(pullAndCompare(reference, index));
    // Without --all skopeo resolves the index and fetches one platform's manifest by digest.
    BERTH_VERIFY_OK(pullAndCompare(reference, index.images.at(1), {u"--override-arch"_s, u"arm64"_s}));
}

void TestSkopeo::dockerArchiveRoundTrip()
{
    const Image image = ImageFactory::randomImage(3, 128 << 10);
    OciLayout source = newLayout();
    BERTH_VERIFY_OK(source.write(image, u"source"_s));
    const QString archive = newPath(u".tar"_s);
    BERTH_VERIFY_OK(
        copy(source.reference(u"source"_s), u"docker-archive:"_s + archive + u":berth/archive:v1"_s));
    BERTH_VERIFY_OK(compareDockerArchive(archive, image));

    // skopeo converts to a Docker schema 2 manifest and gzips the layers on the way up.
    const QString reference = docker(*m_registry, u"archive/image:v1"_s);
    BERTH_VERIFY_OK(copy(u"docker-archive:"_s + archive, reference));
    QString error;
    const QJsonDocument pushed =
        inspectJson({u"inspect"_s, u"--tls-verify=false"_s, u"--raw"_s, reference}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(pushed[u"mediaType"_s].toString(), u"application/vnd.docker.distribution.manifest.v2+json"_s);

    const QString pulledArchive = newPath(u".tar"_s);
    BERTH_VERIFY_OK(copy(reference, u"docker-archive:"_s + pulledArchive + u":berth/archive:v1"_s));
    BERTH_VERIFY_OK(compareDockerArchive(pulledArchive, image));
    const OciLayout pulled = newLayout();
    BERTH_VERIFY_OK(copy(reference, pulled.reference(u"pulled"_s)));
    BERTH_VERIFY_OK(compareUnpackedLayers(pulled, u"pulled"_s, image));
}

void TestSkopeo::deleteTag()
{
    const Image doomed = ImageFactory::randomImage(1, 32 << 10);
    const Image kept = ImageFactory::randomImage(1, 32 << 10);
    BERTH_VERIFY_OK(push(doomed, docker(*m_registry, u"delete/me:doomed"_s)));
    BERTH_VERIFY_OK(push(kept, docker(*m_registry, u"delete/me:kept"_s)));

    // skopeo resolves the tag with a manifest GET (Docker-Content-Digest) and expects 202
    // from DELETE by that digest.
    BERTH_VERIFY_OK(
        skopeo({u"delete"_s, u"--tls-verify=false"_s, docker(*m_registry, u"delete/me:doomed"_s)}));

    HttpClient http(m_registry->baseUrl());
    const HttpClient::Headers accept{{"Accept", mediatype::ociManifest}};
    for (const QString& reference : {u"doomed"_s, QString::fromLatin1(doomed.manifest.digest())}) {
        const HttpResponse response = http.get(u"/v2/delete/me/manifests/"_s + reference, accept);
        QVERIFY2(response.status == 404, qPrintable(reference + u": "_s + response.describe()));
        QCOMPARE(response.errorCode(), QByteArray("MANIFEST_UNKNOWN"));
    }
    QString error;
    const QJsonDocument tags =
        inspectJson({u"list-tags"_s, u"--tls-verify=false"_s, docker(*m_registry, u"delete/me"_s)}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(sortedTags(tags[u"Tags"_s].toArray()), QStringList{u"kept"_s});
    BERTH_VERIFY_OK(pullAndCompare(docker(*m_registry, u"delete/me:kept"_s), kept));
}

void TestSkopeo::sharedLayersAcrossRepositories()
{
    const QList<Blob> base{ImageFactory::randomLayer(256 << 10), ImageFactory::randomLayer(128 << 10)};
    const Image first = ImageFactory::image(base + QList<Blob>{ImageFactory::randomLayer(64 << 10)});
    const Image second = ImageFactory::image(base + QList<Blob>{ImageFactory::randomLayer(64 << 10)});
    // The base layers exist in shared/one when shared/two is pushed: skopeo mounts them
    // across repositories or finds them present, and the whole first image follows.
    const QList<std::pair<QString, const Image*>> pushes{
        {u"shared/one:first"_s, &first}, {u"shared/two:second"_s, &second}, {u"shared/two:first"_s, &first}};
    for (const auto& [nameAndTag, image] : pushes)
        BERTH_VERIFY_OK(push(*image, docker(*m_registry, nameAndTag)));
    for (const auto& [nameAndTag, image] : pushes)
        BERTH_VERIFY_OK(pullAndCompare(docker(*m_registry, nameAndTag), *image));
}

void TestSkopeo::concurrentPushes()
{
    // All images share a base layer, so concurrent uploads of one blob race each other;
    // half of them go to the same repository.
    const Blob base = ImageFactory::randomLayer(1 << 20);
    QList<Image> images;
    QStringList references;
    std::vector<std::unique_ptr<QProcess>> pushes;
    for (int i = 0; i < concurrentPushCount; ++i) {
        images.append(ImageFactory::image({base, ImageFactory::randomLayer(256 << 10)}));
        references.append(docker(*m_registry, u"concurrent/repo%1:tag%2"_s.arg(i % 2).arg(i)));
        OciLayout layout = newLayout();
        BERTH_VERIFY_OK(layout.write(images.last(), u"source"_s));
        pushes.push_back(startSkopeo(
            copyArguments(layout.reference(u"source"_s), references.last(), exactCopyOptions<Image>())));
    }
    for (const auto& process : pushes)
        BERTH_VERIFY_OK(waitSkopeo(*process));

    QList<OciLayout> layouts;
    std::vector<std::unique_ptr<QProcess>> pulls;
    for (const QString& reference : references) {
        layouts.append(newLayout());
        pulls.push_back(startSkopeo(
            copyArguments(reference, layouts.last().reference(u"pulled"_s), exactCopyOptions<Image>())));
    }
    for (qsizetype i = 0; i < concurrentPushCount; ++i) {
        BERTH_VERIFY_OK(waitSkopeo(*pulls.at(static_cast<size_t>(i))));
        BERTH_VERIFY_OK(layouts.at(i).compare(u"pulled"_s, images.at(i)));
    }
}

void TestSkopeo::storageCompatibleWithDistribution_data()
{
    QTest::addColumn<RegistryProcess::Kind>("writer");
    QTest::addColumn<RegistryProcess::Kind>("reader");
    QTest::newRow("distribution writes, berthd reads")
        << RegistryProcess::Kind::Distribution << RegistryProcess::Kind::Berthd;
    QTest::newRow("berthd writes, distribution reads")
        << RegistryProcess::Kind::Berthd << RegistryProcess::Kind::Distribution;
}

// Both registries, whichever one the other tests run against: one storage root, the
// same on-disk layout.
void TestSkopeo::storageCompatibleWithDistribution()
{
    QFETCH(RegistryProcess::Kind, writer);
    QFETCH(RegistryProcess::Kind, reader);
    const QString root = newPath(u"-storage"_s);

    const Image single = ImageFactory::randomImage(2, 128 << 10);
    const Image sharing = ImageFactory::image({single.layers.first(), ImageFactory::randomLayer(64 << 10)});
    const ImageIndex index =
        ImageFactory::index({ImageFactory::randomImage(1, 64 << 10, {u"linux"_s, u"amd64"_s}),
                             ImageFactory::randomImage(1, 64 << 10, {u"linux"_s, u"arm64"_s})});
    RegistryProcess& first = addRegistry(writer);
    first.setStorageRoot(root);
    QVERIFY2(first.start(), qPrintable(first.errorString()));
    BERTH_VERIFY_OK(push(single, docker(first, u"compat/single:v1"_s)));
    BERTH_VERIFY_OK(push(sharing, docker(first, u"compat/sharing:v1"_s)));
    BERTH_VERIFY_OK(push(index, docker(first, u"compat/multi:v1"_s)));
    BERTH_VERIFY_OK(push(single, docker(first, u"compat/single:v2"_s)));
    first.stop();

    RegistryProcess& registry = addRegistry(reader);
    registry.setStorageRoot(root);
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    BERTH_VERIFY_OK(pullAndCompare(docker(registry, u"compat/single:v1"_s), single));
    BERTH_VERIFY_OK(pullAndCompare(docker(registry, u"compat/single:v2"_s), single));
    BERTH_VERIFY_OK(pullAndCompare(docker(registry, u"compat/sharing:v1"_s), sharing));
    BERTH_VERIFY_OK(pullAndCompare(docker(registry, u"compat/multi:v1"_s), index));
    QString error;
    const QJsonDocument tags =
        inspectJson({u"list-tags"_s, u"--tls-verify=false"_s, docker(registry, u"compat/single"_s)}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(sortedTags(tags[u"Tags"_s].toArray()), (QStringList{u"v1"_s, u"v2"_s}));
}

// A registry that asks for HTTP Basic credentials (auth.htpasswd): skopeo gets in with
// them and is turned away without them or with a wrong password.
void TestSkopeo::pushAndPullWithCredentials()
{
    const QString users = newPath(u"-htpasswd"_s);
    QFile file(users);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(htpasswdLine("pusher", "s3cret-pass")) > 0);
    file.close();
    RegistryProcess& registry = addRegistry(m_kind);
    registry.setExtraConfig(htpasswdConfig("skopeo-test", users));
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));

    const Image image = ImageFactory::randomImage(2, 64 << 10);
    OciLayout layout = newLayout();
    BERTH_VERIFY_OK(layout.write(image, u"source"_s));
    const QString source = layout.reference(u"source"_s);
    const QString reference = docker(registry, u"private/image:v1"_s);

    const QString anonymous = copy(source, reference, exactCopyOptions<Image>());
    QVERIFY2(!anonymous.isEmpty(), "skopeo pushed without credentials");
    QVERIFY2(anonymous.contains(u"authentication required"_s) || anonymous.contains(u"401"_s) ||
                 anonymous.contains(u"unauthorized"_s, Qt::CaseInsensitive),
             qPrintable(anonymous));
    const QString wrong = copy(
        source, reference, exactCopyOptions<Image>() + QStringList{u"--dest-creds"_s, u"pusher:guessed"_s});
    QVERIFY2(!wrong.isEmpty(), "skopeo pushed with a wrong password");

    BERTH_VERIFY_OK(
        copy(source, reference,
             exactCopyOptions<Image>() + QStringList{u"--dest-creds"_s, u"pusher:s3cret-pass"_s}));
    BERTH_VERIFY_OK(pullAndCompare(reference, image, {u"--src-creds"_s, u"pusher:s3cret-pass"_s}));
    QVERIFY2(!pullAndCompare(reference, image).isEmpty(), "skopeo pulled without credentials");
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestSkopeo)
#include "TestSkopeo.moc"
