// Manifests, tags, referrers and the catalog: what ManifestStore, TagStore and Catalog
// make of pushes, deletions and bad references.

#include "ForwardingDriver.h"
#include "RegistryFixtures.h"
#include "RegistryHarness.h"
#include "registry/Layout.h"

#include <QJsonObject>
#include <QTest>
#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr std::string_view repository = "library/app";
constexpr std::string_view otherRepository = "library/other";

QString digestText(const oci::Digest& digest)
{
    return QString::fromStdString(digest.toString());
}

QStringList toStringList(const std::vector<std::string>& strings)
{
    QStringList list;
    for (const std::string& item : strings)
        list.append(QString::fromStdString(item));
    return list;
}

// The digests of referrer descriptors, sorted, to compare as a set.
QStringList digestsOf(const std::vector<oci::Descriptor>& descriptors)
{
    QStringList digests;
    for (const auto& descriptor : descriptors)
        digests.append(digestText(descriptor.digest));
    digests.sort();
    return digests;
}

QStringList sortedDigests(std::initializer_list<QByteArray> manifests)
{
    QStringList digests;
    for (const QByteArray& manifest : manifests)
        digests.append(sha256Digest(manifest));
    digests.sort();
    return digests;
}

// Another driver's store, calling `check` after every write to it.
class WatchingDriver : public ForwardingDriver
{
public:
    WatchingDriver(storage::StorageDriver& inner, std::function<void()> check)
        : ForwardingDriver(inner), m_check(std::move(check))
    {
    }

    storage::StorageResult<void> putContent(std::string_view path, std::string_view content) override
    {
        return checked(ForwardingDriver::putContent(path, content));
    }
    storage::StorageResult<void> move(std::string_view source, std::string_view destination) override
    {
        return checked(ForwardingDriver::move(source, destination));
    }
    storage::StorageResult<bool> createDirectory(std::string_view path,
                                                 std::span<const storage::NewFile> files) override
    {
        return checked(ForwardingDriver::createDirectory(path, files));
    }
    storage::StorageResult<void> remove(std::string_view path) override
    {
        return checked(ForwardingDriver::remove(path));
    }

private:
    template <class Result> Result checked(Result result)
    {
        m_check();
        return result;
    }

    std::function<void()> m_check;
};

} // namespace

class TestManifestStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data() { addDriverRows(); }
    void init();
    void cleanup() { m_harness.close(); }

    void putAndGet_data();
    void putAndGet();
    void typeComesBackWithoutMediaTypeField_data();
    void typeComesBackWithoutMediaTypeField();
    void missingReferences_data();
    void missingReferences();
    void digestInReference_data();
    void digestInReference();
    void removeByDigestRemovesItsTags();
    void untagRemovesOnlyThatTag();
    void referrers();
    void tagsListSorted();
    void neverPushedRepositoryIsUnknown_data();
    void neverPushedRepositoryIsUnknown();
    void listedTagsResolveAfterEveryWrite();
    void catalogListsRepositories();

private:
    registry::Registry& registry() { return m_harness.registry(); }
    // Stores an image's config and layers (not its manifest) in `repo`.
    oci::Result<void> storeBlobs(std::string_view repo, const Image& image);
    // `reference` is a tag or a digest, as in a URL.
    oci::Result<registry::PushedManifest> put(std::string_view repo, const QString& reference,
                                              const QString& mediaType, const QByteArray& body);
    oci::Result<registry::StoredManifest> get(std::string_view repo, const QString& reference);
    // Blobs, then the manifest under `reference`.
    oci::Result<registry::PushedManifest> pushImage(std::string_view repo, const Image& image,
                                                    const QString& reference);
    // The repository's tags, or the error code when listing fails.
    QStringList tags(std::string_view repo);

    RegistryHarness m_harness;
};

void TestManifestStore::init()
{
    QFETCH_GLOBAL(QString, driver);
    QVERIFY2(m_harness.open(driver), qPrintable(m_harness.errorString()));
}

oci::Result<void> TestManifestStore::storeBlobs(std::string_view repo, const Image& image)
{
    for (const QByteArray& blob : QList<QByteArray>{image.config} + image.layers) {
        auto stored = storeBlob(registry(), repo, blob);
        if (!stored)
            return unexpected(std::move(stored).error());
    }
    return {};
}

oci::Result<registry::PushedManifest> TestManifestStore::put(std::string_view repo, const QString& reference,
                                                             const QString& mediaType, const QByteArray& body)
{
    auto parsed = oci::parseReference(reference.toStdString());
    if (!parsed)
        return unexpected(std::move(parsed).error());
    return registry().manifests().put(repo, *parsed, viewOf(body), mediaType.toStdString());
}

oci::Result<registry::StoredManifest> TestManifestStore::get(std::string_view repo, const QString& reference)
{
    auto parsed = oci::parseReference(reference.toStdString());
    if (!parsed)
        return unexpected(std::move(parsed).error());
    return registry().manifests().get(repo, *parsed);
}

oci::Result<registry::PushedManifest> TestManifestStore::pushImage(std::string_view repo, const Image& image,
                                                                   const QString& reference)
{
    auto stored = storeBlobs(repo, image);
    if (!stored)
        return unexpected(std::move(stored).error());
    return put(repo, reference, image.mediaType, image.manifest);
}

QStringList TestManifestStore::tags(std::string_view repo)
{
    const auto listed = registry().tags().list(repo);
    if (!listed)
        return {QString::fromLatin1(codeOf(listed))};
    return toStringList(*listed);
}

void TestManifestStore::putAndGet_data()
{
    QTest::addColumn<QString>("mediaType");
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<bool>("byTag");
    const QList<QPair<const char*, QString>> kinds{{"oci manifest", media::OciManifest},
                                                   {"oci index", media::OciIndex},
                                                   {"docker schema 2", media::DockerManifest},
                                                   {"docker manifest list", media::DockerList}};
    for (const auto& [name, mediaType] : kinds) {
        QTest::addRow("%s by tag", name) << mediaType << mediaType << true;
        QTest::addRow("%s by digest", name) << mediaType << mediaType << false;
    }
    // A generic Content-Type leaves the decision to the document's mediaType field.
    QTest::newRow("oci manifest as application/json")
        << QString(media::OciManifest) << u"application/json"_s << true;
    QTest::newRow("docker manifest list without Content-Type")
        << QString(media::DockerList) << QString() << true;
}

void TestManifestStore::putAndGet()
{
    QFETCH(QString, mediaType);
    QFETCH(QString, contentType);
    QFETCH(bool, byTag);
    const bool docker = mediaType == media::DockerManifest || mediaType == media::DockerList;
    const bool index = mediaType == media::OciIndex || mediaType == media::DockerList;

    const Image image = makeImage(docker ? media::DockerManifest : media::OciManifest, 2);
    QByteArray body = image.manifest;
    if (index) {
        VERIFY_OK(pushImage(repository, image, image.digest()));
        Descriptor child = image.descriptor();
        child.platform = QJsonObject{{"architecture"_L1, "amd64"_L1}, {"os"_L1, "linux"_L1}};
        body = indexJson(mediaType, {child});
    } else {
        VERIFY_OK(storeBlobs(repository, image));
    }
    const QString digest = sha256Digest(body);
    const auto pushed = put(repository, byTag ? u"v1.0"_s : digest, contentType, body);
    VERIFY_OK(pushed);
    QCOMPARE(digestText(pushed->digest), digest);
    QVERIFY(!pushed->subject);

    const QStringList references = byTag ? QStringList{u"v1.0"_s, digest} : QStringList{digest};
    for (const QString& reference : references) {
        const auto stored = get(repository, reference);
        VERIFY_OK(stored);
        QCOMPARE(digestText(stored->digest), digest);
        QCOMPARE(QString::fromStdString(stored->mediaType), mediaType);
        QCOMPARE(QByteArray::fromStdString(stored->content), body);
        const auto parsed = oci::parseReference(reference.toStdString());
        VERIFY_OK(parsed);
        const auto info = registry().manifests().stat(repository, *parsed);
        VERIFY_OK(info);
        QCOMPARE(info->size, std::uint64_t(body.size()));
    }
    QCOMPARE(tags(repository), byTag ? QStringList{u"v1.0"_s} : QStringList());
}

void TestManifestStore::typeComesBackWithoutMediaTypeField_data()
{
    QTest::addColumn<QString>("mediaType");
    for (const QString& mediaType : {QString(media::OciManifest), QString(media::OciIndex),
                                     QString(media::DockerManifest), QString(media::DockerList)})
        QTest::newRow(qPrintable(mediaType)) << mediaType;
}

void TestManifestStore::typeComesBackWithoutMediaTypeField()
{
    // A document without its optional mediaType field, pushed with a Content-Type: refused,
    // or served again as the type it was pushed as.
    QFETCH(QString, mediaType);
    const bool docker = mediaType == media::DockerManifest || mediaType == media::DockerList;
    const Image image = makeImage(docker ? media::DockerManifest : media::OciManifest);
    VERIFY_OK(pushImage(repository, image, image.digest()));
    const bool index = mediaType == media::OciIndex || mediaType == media::DockerList;
    QJsonObject document =
        QJsonDocument::fromJson(index ? indexJson(mediaType, {image.descriptor()}) : image.manifest).object();
    document.remove("mediaType"_L1);
    const QByteArray body = QJsonDocument(document).toJson(QJsonDocument::Compact);

    const auto pushed = put(repository, u"bare"_s, mediaType, body);
    if (!pushed) {
        QCOMPARE(codeOf(pushed), "MANIFEST_INVALID"_ba);
        return;
    }
    const auto stored = get(repository, u"bare"_s);
    VERIFY_OK(stored);
    QCOMPARE(QString::fromStdString(stored->mediaType), mediaType);
}

void TestManifestStore::missingReferences_data()
{
    QTest::addColumn<QString>("missing");
    for (const char* missing : {"layer", "config", "layer only in another repository", "layer unlinked",
                                "index child", "index child only in another repository"})
        QTest::newRow(missing) << QString::fromLatin1(missing);
}

void TestManifestStore::missingReferences()
{
    QFETCH(QString, missing);
    const Image image = makeImage(media::OciManifest, 2);
    QByteArray body = image.manifest;
    QString mediaType = media::OciManifest;
    if (missing == "layer"_L1) {
        VERIFY_OK(storeBlob(registry(), repository, image.config));
        VERIFY_OK(storeBlob(registry(), repository, image.layers.first()));
    } else if (missing == "config"_L1) {
        for (const QByteArray& layer : image.layers)
            VERIFY_OK(storeBlob(registry(), repository, layer));
    } else if (missing == "layer only in another repository"_L1) {
        VERIFY_OK(storeBlobs(otherRepository, image));
        VERIFY_OK(storeBlob(registry(), repository, image.config));
    } else if (missing == "layer unlinked"_L1) {
        VERIFY_OK(storeBlobs(repository, image));
        VERIFY_OK(registry().blobs().unlink(repository, digestOf(image.layers.last())));
    } else {
        // The child's blobs are here, the child itself is not (or only elsewhere).
        VERIFY_OK(storeBlobs(repository, image));
        if (missing == "index child only in another repository"_L1)
            VERIFY_OK(pushImage(otherRepository, image, image.digest()));
        mediaType = media::OciIndex;
        body = indexJson(mediaType, {image.descriptor()});
    }

    QCOMPARE(codeOf(put(repository, u"latest"_s, mediaType, body)), "MANIFEST_BLOB_UNKNOWN"_ba);
    QCOMPARE(codeOf(put(repository, sha256Digest(body), mediaType, body)), "MANIFEST_BLOB_UNKNOWN"_ba);
    // Nothing of the manifest was stored.
    QCOMPARE(codeOf(get(repository, u"latest"_s)), "MANIFEST_UNKNOWN"_ba);
    QCOMPARE(codeOf(get(repository, sha256Digest(body))), "MANIFEST_UNKNOWN"_ba);
    const auto global = registry().blobs().statGlobal(digestOf(body));
    VERIFY_OK(global);
    QVERIFY(!global->has_value());
    // Blobs alone do not make a repository.
    QCOMPARE(tags(repository), QStringList{u"NAME_UNKNOWN"_s});
}

void TestManifestStore::digestInReference_data()
{
    QTest::addColumn<QByteArray>("claimedSuffix"); // appended to the manifest for the claimed digest
    QTest::addColumn<bool>("sha512");
    QTest::addColumn<QByteArray>("code");
    QTest::newRow("sha256 of the manifest") << QByteArray() << false << "success"_ba;
    QTest::newRow("sha512 of the manifest") << QByteArray() << true << "success"_ba;
    QTest::newRow("sha256 of other bytes") << " "_ba << false << "DIGEST_INVALID"_ba;
    QTest::newRow("sha512 of other bytes") << "\n"_ba << true << "DIGEST_INVALID"_ba;
}

void TestManifestStore::digestInReference()
{
    QFETCH(QByteArray, claimedSuffix);
    QFETCH(bool, sha512);
    QFETCH(QByteArray, code);
    const Image image = makeImage();
    VERIFY_OK(storeBlobs(repository, image));
    const auto algorithm = sha512 ? oci::DigestAlgorithm::Sha512 : oci::DigestAlgorithm::Sha256;
    const auto claimed = digestOf(image.manifest + claimedSuffix, algorithm);

    const auto pushed = put(repository, digestText(claimed), image.mediaType, image.manifest);
    QCOMPARE(codeOf(pushed), code);
    if (pushed) {
        QCOMPARE(pushed->digest, claimed);
        const auto stored = get(repository, digestText(claimed));
        VERIFY_OK(stored);
        QCOMPARE(QByteArray::fromStdString(stored->content), image.manifest);
        return;
    }
    QCOMPARE(codeOf(get(repository, digestText(claimed))), "MANIFEST_UNKNOWN"_ba);
    QCOMPARE(codeOf(get(repository, image.digest())), "MANIFEST_UNKNOWN"_ba);
    for (const auto& digest : {claimed, digestOf(image.manifest, algorithm)}) {
        const auto global = registry().blobs().statGlobal(digest);
        VERIFY_OK(global);
        QVERIFY(!global->has_value());
    }
}

void TestManifestStore::removeByDigestRemovesItsTags()
{
    const Image first = makeImage();
    const Image second = makeImage(media::DockerManifest);
    VERIFY_OK(pushImage(repository, first, u"one"_s));
    VERIFY_OK(put(repository, u"also-one"_s, first.mediaType, first.manifest));
    VERIFY_OK(pushImage(repository, second, u"two"_s));

    VERIFY_OK(registry().manifests().remove(repository, digestOf(first.manifest)));
    QCOMPARE(codeOf(get(repository, first.digest())), "MANIFEST_UNKNOWN"_ba);
    QCOMPARE(codeOf(get(repository, u"one"_s)), "MANIFEST_UNKNOWN"_ba);
    QCOMPARE(codeOf(get(repository, u"also-one"_s)), "MANIFEST_UNKNOWN"_ba);
    QCOMPARE(tags(repository), QStringList{u"two"_s});
    VERIFY_OK(get(repository, u"two"_s));
    // The tags are gone entirely, history included.
    QCOMPARE(m_harness.files(registry::layout::tagDirectory(repository, "one")), QStringList());

    QCOMPARE(codeOf(registry().manifests().remove(repository, digestOf(first.manifest))),
             "MANIFEST_UNKNOWN"_ba);
    QCOMPARE(codeOf(registry().manifests().remove(repository, digestOf("never pushed"_ba))),
             "MANIFEST_UNKNOWN"_ba);
}

void TestManifestStore::untagRemovesOnlyThatTag()
{
    const Image first = makeImage();
    const Image second = makeImage();
    VERIFY_OK(pushImage(repository, first, u"one"_s));
    VERIFY_OK(put(repository, u"two"_s, first.mediaType, first.manifest));

    VERIFY_OK(registry().tags().untag(repository, "one"));
    QCOMPARE(codeOf(get(repository, u"one"_s)), "MANIFEST_UNKNOWN"_ba);
    VERIFY_OK(get(repository, u"two"_s));
    VERIFY_OK(get(repository, first.digest()));
    QCOMPARE(tags(repository), QStringList{u"two"_s});
    QCOMPARE(codeOf(registry().tags().untag(repository, "one")), "MANIFEST_UNKNOWN"_ba);
    QCOMPARE(codeOf(registry().tags().untag(repository, "never")), "MANIFEST_UNKNOWN"_ba);

    // Moving a tag leaves the manifest it pointed at in place.
    VERIFY_OK(pushImage(repository, second, u"two"_s));
    const auto moved = get(repository, u"two"_s);
    VERIFY_OK(moved);
    QCOMPARE(digestText(moved->digest), second.digest());
    VERIFY_OK(get(repository, first.digest()));

    // Without tags the repository still exists: an empty list, not NAME_UNKNOWN.
    VERIFY_OK(registry().tags().untag(repository, "two"));
    QCOMPARE(tags(repository), QStringList());
}

void TestManifestStore::referrers()
{
    const Image subject = makeImage();
    VERIFY_OK(pushImage(repository, subject, u"latest"_s));
    const QString sbom = u"application/vnd.example.sbom"_s;
    const Image sbomA =
        makeArtifact(subject.descriptor(), sbom, QJsonObject{{"org.example.name"_L1, "a"_L1}});
    const Image signature = makeArtifact(subject.descriptor(), u"application/vnd.example.signature"_s);
    const Image sbomB = makeArtifact(subject.descriptor(), sbom);
    // No artifactType: the config's media type stands in for it.
    Image configTyped = makeImage();
    configTyped.manifest = imageManifestJson(
        media::OciManifest, Descriptor::of(u"application/vnd.example.config"_s, configTyped.config),
        {Descriptor::of(media::OciLayer, configTyped.layers.first())}, subject.descriptor());
    const QByteArray index = indexJson(media::OciIndex, {subject.descriptor()}, subject.descriptor(),
                                       u"application/vnd.example.index"_s);
    // A subject that is nowhere is fine: referrers may arrive before their subject.
    const Descriptor absent = Descriptor::of(media::OciManifest, "absent"_ba);
    const Image orphan = makeArtifact(absent, sbom);

    for (const Image& artifact : {sbomA, signature, sbomB, configTyped, orphan}) {
        const auto pushed = pushImage(repository, artifact, artifact.digest());
        VERIFY_OK(pushed);
        QVERIFY(pushed->subject);
    }
    const auto pushedIndex = put(repository, sha256Digest(index), media::OciIndex, index);
    VERIFY_OK(pushedIndex);
    QCOMPARE(pushedIndex->subject, digestOf(subject.manifest));

    const auto referrersOf = [&](std::string_view repo, const QByteArray& manifest, const QString& type) {
        const auto found = registry().manifests().referrers(repo, digestOf(manifest), type.toStdString());
        return found ? digestsOf(*found) : QStringList{QString::fromLatin1(codeOf(found))};
    };
    QCOMPARE(
        referrersOf(repository, subject.manifest, {}),
        sortedDigests({sbomA.manifest, signature.manifest, sbomB.manifest, configTyped.manifest, index}));
    QCOMPARE(referrersOf(repository, subject.manifest, sbom),
             sortedDigests({sbomA.manifest, sbomB.manifest}));
    QCOMPARE(referrersOf(repository, subject.manifest, u"application/vnd.example.config"_s),
             sortedDigests({configTyped.manifest}));
    QCOMPARE(referrersOf(repository, subject.manifest, u"application/vnd.example.index"_s),
             sortedDigests({index}));
    QCOMPARE(referrersOf(repository, subject.manifest, u"application/vnd.example.none"_s), QStringList());
    QCOMPARE(referrersOf(repository, "absent"_ba, {}), sortedDigests({orphan.manifest}));
    QCOMPARE(referrersOf(otherRepository, subject.manifest, {}), QStringList());
    QCOMPARE(referrersOf(repository, sbomA.manifest, {}), QStringList());

    // The descriptors say what a client needs to pick one.
    const auto filtered = registry().manifests().referrers(repository, digestOf(subject.manifest), "");
    VERIFY_OK(filtered);
    const auto described = std::find_if(filtered->begin(), filtered->end(), [&](const oci::Descriptor& item) {
        return item.digest == digestOf(sbomA.manifest);
    });
    QVERIFY(described != filtered->end());
    QCOMPARE(QString::fromStdString(described->mediaType), QString(media::OciManifest));
    QCOMPARE(described->size, std::int64_t(sbomA.manifest.size()));
    QCOMPARE(QString::fromStdString(described->artifactType), sbom);
    QCOMPARE(described->annotations, (std::map<std::string, std::string>{{"org.example.name", "a"}}));
    const auto indexEntry =
        std::find_if(filtered->begin(), filtered->end(),
                     [&](const oci::Descriptor& item) { return item.digest == digestOf(index); });
    QVERIFY(indexEntry != filtered->end());
    QCOMPARE(QString::fromStdString(indexEntry->mediaType), QString(media::OciIndex));

    // A deleted referrer is no longer listed, with or without the filter.
    VERIFY_OK(registry().manifests().remove(repository, digestOf(sbomA.manifest)));
    QCOMPARE(referrersOf(repository, subject.manifest, {}),
             sortedDigests({signature.manifest, sbomB.manifest, configTyped.manifest, index}));
    QCOMPARE(referrersOf(repository, subject.manifest, sbom), sortedDigests({sbomB.manifest}));
}

void TestManifestStore::tagsListSorted()
{
    const Image image = makeImage();
    VERIFY_OK(storeBlobs(repository, image));
    for (const QString& tag :
         {u"v2"_s, u"latest"_s, u"a_b"_s, u"Latest"_s, u"v10"_s, u"_x"_s, u"a.b"_s, u"1.0"_s, u"a-b"_s})
        VERIFY_OK(put(repository, tag, image.mediaType, image.manifest));
    // Bytewise, as Distribution sorts: digits, upper case, '_', then lower case.
    QCOMPARE(tags(repository), (QStringList{u"1.0"_s, u"Latest"_s, u"_x"_s, u"a-b"_s, u"a.b"_s, u"a_b"_s,
                                            u"latest"_s, u"v10"_s, u"v2"_s}));
}

void TestManifestStore::neverPushedRepositoryIsUnknown_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("nothing stored") << u"never/pushed"_s;
    QTest::newRow("parent of a repository") << u"library"_s;
}

void TestManifestStore::neverPushedRepositoryIsUnknown()
{
    QFETCH(QString, name);
    VERIFY_OK(pushImage(repository, makeImage(), u"latest"_s));
    QCOMPARE(tags(name.toStdString()), QStringList{u"NAME_UNKNOWN"_s});
    QCOMPARE(codeOf(get(name.toStdString(), u"latest"_s)), "MANIFEST_UNKNOWN"_ba);
}

void TestManifestStore::listedTagsResolveAfterEveryWrite()
{
    // Tags are listed from their directories alone, so no write of a tag, new or moved, may
    // leave a directory that does not resolve: a kill right after it would leave it listed.
    // Each check is a fresh registry, as after such a kill, with nothing held in memory.
    QStringList unresolved;
    WatchingDriver watching(m_harness.driver(), [&] {
        registry::Registry restarted(m_harness.driver(), registry::RegistryOptions{});
        const auto listed = restarted.tags().list(repository);
        for (const auto& tag : listed ? *listed : std::vector<std::string>{}) {
            if (!restarted.manifests().stat(repository, oci::Reference(tag)))
                unresolved.append(QString::fromStdString(tag));
        }
    });
    registry::Registry watched(watching, registry::RegistryOptions{});
    const Image first = makeImage();
    const Image second = makeImage();
    VERIFY_OK(storeBlobs(repository, first));
    VERIFY_OK(storeBlobs(repository, second));
    const auto putTagged = [&](const Image& image, const std::string& tag) {
        return watched.manifests().put(repository, oci::Reference(tag), viewOf(image.manifest),
                                       image.mediaType.toStdString());
    };
    VERIFY_OK(putTagged(first, "v1"));  // a new tag
    VERIFY_OK(putTagged(second, "v1")); // moved
    VERIFY_OK(putTagged(second, "v2"));
    VERIFY_OK(watched.tags().untag(repository, "v1"));
    QCOMPARE(unresolved, QStringList());
    QCOMPARE(tags(repository), QStringList{u"v2"_s});
    QCOMPARE(get(repository, u"v2"_s)->digest, digestOf(second.manifest));
}

void TestManifestStore::catalogListsRepositories()
{
    QCOMPARE(toStringList(registry().catalog().repositories().value()), QStringList());
    const Image image = makeImage();
    const QStringList pushed{u"a"_s,    u"a/b"_s, u"a/b/c"_s, u"a/b_c"_s, u"library/ubuntu"_s,
                             u"x__y"_s, u"z9"_s};
    for (const QString& name : pushed)
        VERIFY_OK(pushImage(name.toStdString(), image, u"latest"_s));
    // Tags named like reserved directories do not make repositories.
    for (const QString& tag : {u"_manifests"_s, u"_layers"_s, u"_uploads"_s})
        VERIFY_OK(put("a", tag, image.mediaType, image.manifest));
    // Neither do blobs alone, nor an upload in progress.
    VERIFY_OK(storeBlob(registry(), "blobs/only", "some bytes"_ba));
    VERIFY_OK(registry().uploads().create("uploading/only"));
    VERIFY_OK(registry().uploads().create("a/b/c/uploading"));

    auto listed = registry().catalog().repositories();
    VERIFY_OK(listed);
    QCOMPARE(toStringList(*listed), pushed);

    // A repository whose last manifest is deleted holds no manifest any more.
    VERIFY_OK(registry().manifests().remove("z9", digestOf(image.manifest)));
    listed = registry().catalog().repositories();
    VERIFY_OK(listed);
    QCOMPARE(toStringList(*listed), pushed.first(pushed.size() - 1));
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestManifestStore)
#include "TestManifestStore.moc"
