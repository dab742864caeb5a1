// `berthd garbage-collect`, the offline collector, on stores pushed through a real berthd
// and then stopped: on a copy of the same store it must leave the same blobs as the
// reference (`docker-registry garbage-collect`, CNCF Distribution 2.8), a dry run must
// change nothing and print exactly what a real run then deletes, and berthd restarted on
// the collected store must still serve every tagged image byte for byte.

#include "CommandRunner.h"
#include "RegistryFixtures.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int commandTimeoutMs = 30000;
constexpr auto blobsDirectory = "/docker/registry/v2/blobs"_L1;

// What a store holds, one bit per kind of content; each kind has repositories of its own.
enum Content : int
{
    SharedLayers = 0x01,       // tagged images in two repositories sharing a layer
    DeletedByDigest = 0x02,    // tagged images deleted by digest; the layer they share with a kept one stays
    OrphanBlob = 0x04,         // a blob uploaded and never referenced
    Index = 0x08,              // a tagged index of tagged children; an untagged index of untagged children
    UntaggedImage = 0x10,      // an image pushed by digest only, beside a tagged one
    UntaggedRepository = 0x20, // a repository holding only an image pushed by digest
    UntaggedIndexChild = 0x40, // a tagged index whose two children are untagged
    Referrer = 0x80,           // an untagged artifact whose subject is a tagged image
    Everything = 0xff,
};

struct Ref
{
    QString repository;
    QString digest;
};

// A manifest that must pull back after a collection, with everything it names.
struct Pull
{
    QString repository;
    QString reference;
    Image image;                      // an index has no config and no layers
    bool keptByDeleteUntagged = true; // false for untagged manifests
};

// A store pushed through berthd, with what a collection must keep and delete.
struct Store
{
    std::unique_ptr<RegistryProcess> registry; // owns the storage root
    QStringList repositories;
    QList<Pull> pulls;
    QList<Ref> deletedManifests;  // deleted through the API before the collection
    QList<Ref> garbage;           // blobs every collection deletes
    QList<Ref> untaggedManifests; // manifests --delete-untagged deletes
    QList<Ref> untaggedGarbage;   // blobs only --delete-untagged deletes
    QStringList emptied;          // repositories left without a manifest in every mode
    QStringList emptiedByDeleteUntagged;
    // Blobs Distribution 2.8 deletes with --delete-untagged and berthd keeps, and why.
    QStringList referenceAlsoDeletes;
    QString referenceDifference;
    // What Distribution 2.8 fails with under --delete-untagged on this store, and why.
    QString referenceError;
    QString referenceFailure;

    QString root() const { return registry->storageRoot(); }

    QStringList garbageBlobs(bool deleteUntagged) const
    {
        QSet<QString> digests;
        for (const Ref& ref : garbage)
            digests.insert(ref.digest);
        for (const Ref& ref : deleteUntagged ? untaggedGarbage : QList<Ref>())
            digests.insert(ref.digest);
        QStringList sorted(digests.cbegin(), digests.cend());
        sorted.sort();
        return sorted;
    }

    // The items a run prints, "manifest REPO@DIGEST" and "blob DIGEST", sorted.
    QStringList expectedItems(bool deleteUntagged) const
    {
        QStringList items;
        for (const Ref& ref : deleteUntagged ? untaggedManifests : QList<Ref>())
            items.append(u"manifest %1@%2"_s.arg(ref.repository, ref.digest));
        for (const QString& digest : garbageBlobs(deleteUntagged))
            items.append(u"blob "_s + digest);
        items.sort();
        return items;
    }

    QStringList survivingRepositories(bool deleteUntagged) const
    {
        QStringList kept;
        for (const QString& repository : repositories) {
            if (!emptied.contains(repository) &&
                !(deleteUntagged && emptiedByDeleteUntagged.contains(repository)))
                kept.append(repository);
        }
        kept.sort();
        return kept;
    }
};

// Every blob an image names: its manifest, config and layers.
QStringList blobsOf(const Image& image)
{
    QStringList digests{image.digest()};
    if (!image.config.isEmpty())
        digests.append(sha256Digest(image.config));
    for (const QByteArray& layer : image.layers)
        digests.append(sha256Digest(layer));
    return digests;
}

// An image (OCI or Docker schema 2) with a fresh random config and the given layers.
Image imageWithLayers(const QString& mediaType, const QList<QByteArray>& layers)
{
    const bool docker = mediaType == media::DockerManifest;
    Image image = makeImage(mediaType, 0);
    image.layers = layers;
    QList<Descriptor> descriptors;
    for (const QByteArray& layer : layers)
        descriptors.append(Descriptor::of(docker ? media::DockerLayer : media::OciLayer, layer));
    image.manifest = imageManifestJson(
        mediaType, Descriptor::of(docker ? media::DockerConfig : media::OciConfig, image.config),
        descriptors);
    return image;
}

// An OCI index of `children`, one platform each.
Image indexOf(const QList<Image>& children)
{
    static const QStringList architectures{u"amd64"_s, u"arm64"_s, u"s390x"_s};
    QList<Descriptor> descriptors;
    for (qsizetype i = 0; i < children.size(); ++i) {
        Descriptor descriptor = children.at(i).descriptor();
        descriptor.platform = {{"architecture"_L1, architectures.at(i % architectures.size())},
                               {"os"_L1, "linux"_L1}};
        descriptors.append(descriptor);
    }
    Image index;
    index.mediaType = media::OciIndex;
    index.manifest = indexJson(media::OciIndex, descriptors);
    return index;
}

// Pushes content through a running berthd, stopping at the first failure.
class StoreBuilder
{
public:
    StoreBuilder(Store& store, HttpClient& client) : m_store(store), m_client(client) {}

    QString error() const { return m_error; }

    QString repository(const QString& area)
    {
        const QString name = uniqueRepository(area);
        m_store.repositories.append(name);
        return name;
    }
    void push(const QString& repository, const Image& image, const QString& reference = {})
    {
        if (!m_error.isEmpty())
            return;
        m_error = image.config.isEmpty()
                      ? pushManifest(m_client, repository, image.mediaType, image.manifest, reference)
                      : pushImage(m_client, repository, image, reference);
    }
    void pushOrphan(const QString& repository, const QByteArray& data)
    {
        if (m_error.isEmpty())
            m_error = pushBlob(m_client, repository, data);
    }
    void deleteManifest(const QString& repository, const QString& digest)
    {
        if (!m_error.isEmpty())
            return;
        const HttpResponse response = m_client.send("DELETE", manifestPath(repository, digest));
        if (response.status != 202)
            m_error = u"DELETE %1 -> %2"_s.arg(manifestPath(repository, digest), response.describe());
    }

private:
    Store& m_store;
    HttpClient& m_client;
    QString m_error;
};

void addContent(int contents, Store& store, StoreBuilder& builder)
{
    const auto garbage = [&store](const QString& repository, const QStringList& digests,
                                  QList<Ref> Store::*list) {
        for (const QString& digest : digests)
            (store.*list).append({repository, digest});
    };
    if (contents & SharedLayers) {
        const QString first = builder.repository(u"gc-shared-a"_s);
        const QString second = builder.repository(u"gc-shared-b"_s);
        const QByteArray shared = randomBytes(2048);
        const Image oci = imageWithLayers(media::OciManifest, {shared, randomBytes(1024)});
        const Image docker = imageWithLayers(media::DockerManifest, {shared, randomBytes(1024)});
        builder.push(first, oci, u"v1"_s);
        builder.push(second, docker, u"v1"_s);
        store.pulls.append({first, u"v1"_s, oci});
        store.pulls.append({second, u"v1"_s, docker});
    }
    if (contents & DeletedByDigest) {
        const QString kept = builder.repository(u"gc-kept"_s);
        const QString gone = builder.repository(u"gc-gone"_s);
        const QByteArray shared = randomBytes(2048);
        const Image keeper = imageWithLayers(media::OciManifest, {shared, randomBytes(1024)});
        const Image old = imageWithLayers(media::OciManifest, {shared, randomBytes(1024)});
        const Image lost = imageWithLayers(media::DockerManifest, {shared, randomBytes(1024)});
        builder.push(kept, keeper, u"v1"_s);
        builder.push(kept, old, u"old"_s);
        builder.push(gone, lost, u"v1"_s);
        builder.deleteManifest(kept, old.digest());
        builder.deleteManifest(gone, lost.digest());
        store.pulls.append({kept, u"v1"_s, keeper});
        store.deletedManifests.append({{kept, old.digest()}, {gone, lost.digest()}});
        const QString sharedDigest = sha256Digest(shared);
        QStringList oldBlobs = blobsOf(old), lostBlobs = blobsOf(lost);
        oldBlobs.removeAll(sharedDigest);
        lostBlobs.removeAll(sharedDigest);
        garbage(kept, oldBlobs, &Store::garbage);
        garbage(gone, lostBlobs, &Store::garbage);
        store.emptied.append(gone);
    }
    if (contents & OrphanBlob) {
        const QString repository = builder.repository(u"gc-orphan"_s);
        const Image image = makeImage(media::OciManifest, 1);
        const QByteArray orphan = randomBytes(4096);
        builder.push(repository, image, u"v1"_s);
        builder.pushOrphan(repository, orphan);
        store.pulls.append({repository, u"v1"_s, image});
        garbage(repository, {sha256Digest(orphan)}, &Store::garbage);
    }
    if (contents & Index) {
        const QString repository = builder.repository(u"gc-index"_s);
        const Image amd64 = makeImage(media::OciManifest, 2), arm64 = makeImage(media::OciManifest, 1);
        const Image index = indexOf({amd64, arm64});
        builder.push(repository, amd64, u"amd64"_s);
        builder.push(repository, arm64, u"arm64"_s);
        builder.push(repository, index, u"multi"_s);
        store.pulls.append({repository, u"amd64"_s, amd64});
        store.pulls.append({repository, u"arm64"_s, arm64});
        store.pulls.append({repository, u"multi"_s, index});

        const Image first = makeImage(media::OciManifest, 1), second = makeImage(media::OciManifest, 1);
        const Image untagged = indexOf({first, second});
        for (const Image& image : {first, second, untagged}) {
            builder.push(repository, image);
            store.pulls.append({repository, image.digest(), image, false});
            store.untaggedManifests.append({repository, image.digest()});
            garbage(repository, blobsOf(image), &Store::untaggedGarbage);
        }
    }
    if (contents & UntaggedImage) {
        const QString repository = builder.repository(u"gc-untagged"_s);
        const Image tagged = makeImage(media::OciManifest, 1), untagged = makeImage(media::DockerManifest, 2);
        builder.push(repository, tagged, u"v1"_s);
        builder.push(repository, untagged);
        store.pulls.append({repository, u"v1"_s, tagged});
        store.pulls.append({repository, untagged.digest(), untagged, false});
        store.untaggedManifests.append({repository, untagged.digest()});
        garbage(repository, blobsOf(untagged), &Store::untaggedGarbage);
    }
    if (contents & UntaggedRepository) {
        const QString repository = builder.repository(u"gc-untagged-only"_s);
        const Image image = makeImage(media::OciManifest, 2);
        builder.push(repository, image);
        store.pulls.append({repository, image.digest(), image, false});
        store.untaggedManifests.append({repository, image.digest()});
        garbage(repository, blobsOf(image), &Store::untaggedGarbage);
        store.emptiedByDeleteUntagged.append(repository);
        store.referenceError = u"failed to retrieve tags unknown repository"_s;
        store.referenceFailure =
            u"Distribution 2.8 with --delete-untagged fails on a repository that has no tag at all (\"failed "
            u"to "
            "retrieve tags unknown repository\"), on a store it wrote itself too; berthd deletes its manifests"_s;
    }
    if (contents & UntaggedIndexChild) {
        const QString repository = builder.repository(u"gc-children"_s);
        const Image amd64 = makeImage(media::OciManifest, 2), arm64 = makeImage(media::OciManifest, 1);
        const Image index = indexOf({amd64, arm64});
        builder.push(repository, amd64);
        builder.push(repository, arm64);
        builder.push(repository, index, u"multi"_s);
        store.pulls.append({repository, u"multi"_s, index});
        for (const Image& child : {amd64, arm64}) {
            store.pulls.append({repository, child.digest(), child});
            store.referenceAlsoDeletes += blobsOf(child).mid(1); // its config and layers
        }
        store.referenceDifference =
            u"Distribution 2.8 with --delete-untagged unlinks the untagged children of a tagged index and "
            u"sweeps "
            "their configs and layers, keeping only the children's manifest blobs the index names "
            "(distribution/distribution#3004, #3178; fixed after 2.8); berthd keeps a live index's children"_s;
    }
    if (contents & Referrer) {
        const QString repository = builder.repository(u"gc-referrer"_s);
        const Image subject = makeImage(media::OciManifest, 1);
        const Image artifact = makeArtifact(subject.descriptor(), u"application/vnd.example.sbom+json"_s);
        builder.push(repository, subject, u"v1"_s);
        builder.push(repository, artifact);
        store.pulls.append({repository, u"v1"_s, subject});
        store.pulls.append({repository, artifact.digest(), artifact});
        store.referenceAlsoDeletes += blobsOf(artifact);
        store.referenceDifference = u"Distribution 2.8 predates OCI 1.1 subjects: with --delete-untagged it "
                                    u"deletes an untagged artifact "
                                    "whose subject is tagged; berthd keeps referrers of live manifests"_s;
    }
}

// Starts berthd on a fresh storage root, pushes `contents`, and stops it.
QString buildStore(int contents, Store& store)
{
    store.registry = std::make_unique<RegistryProcess>(RegistryProcess::Kind::Berthd);
    if (!store.registry->start())
        return store.registry->errorString();
    HttpClient client(store.registry->baseUrl());
    StoreBuilder builder(store, client);
    addContent(contents, store, builder);
    store.registry->stop();
    std::sort(store.referenceAlsoDeletes.begin(), store.referenceAlsoDeletes.end());
    return builder.error();
}

using Finished = FinishedCommand;

Finished runCommand(const QString& program, const QStringList& arguments)
{
    return berth::test::runCommand(program, arguments, commandTimeoutMs);
}

QStringList collectArguments(const QString& configPath, bool deleteUntagged, bool dryRun = false)
{
    QStringList arguments{u"garbage-collect"_s, configPath};
    if (dryRun)
        arguments.append(u"--dry-run"_s);
    if (deleteUntagged)
        arguments.append(u"--delete-untagged"_s);
    return arguments;
}

// A config.yml that both berthd and Distribution read, with its filesystem driver at `root`.
QString writeConfig(const QString& path, const QString& root)
{
    QFile file(path);
    const QByteArray quotedRoot = '"' + root.toUtf8().replace('\\', "\\\\").replace('"', "\\\"") + '"';
    const QByteArray yaml = "version: 0.1\n"
                            "log:\n"
                            "  level: info\n"
                            "storage:\n"
                            "  filesystem:\n"
                            "    rootdirectory: " +
                            quotedRoot +
                            "\n"
                            "  delete:\n"
                            "    enabled: true\n"
                            "http:\n"
                            "  addr: 127.0.0.1:5000\n";
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(yaml) != yaml.size())
        return u"cannot write "_s + path;
    return {};
}

QString copyTree(const QString& from, const QString& to)
{
    const Finished copied = runCommand(u"cp"_s, {u"-a"_s, from, to});
    return copied.succeeded() ? QString() : u"cp -a %1 %2: %3"_s.arg(from, to, copied.describe());
}

// Paths of the files under the store's blobs directory, relative to it, sorted.
QStringList blobFiles(const QString& root)
{
    const QString base = root + blobsDirectory;
    QStringList files;
    QDirIterator it(base, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next().mid(base.size() + 1));
    files.sort();
    return files;
}

// "sha256/ab/<hex>/data" -> "sha256:<hex>"
QStringList digestsOfBlobFiles(const QStringList& files)
{
    QStringList digests;
    for (const QString& file : files) {
        const QStringList parts = file.split(u'/');
        const bool isBlob = parts.size() == 4 && parts.at(3) == "data"_L1;
        digests.append(isBlob ? QString(parts.at(0) + u':' + parts.at(2))
                              : QString(u"(not a blob) "_s + file));
    }
    digests.sort();
    return digests;
}

QStringList minus(const QStringList& all, const QStringList& removed)
{
    QStringList rest;
    for (const QString& item : all) {
        if (!removed.contains(item))
            rest.append(item);
    }
    return rest;
}

// Every directory and file under `root`, with the files' sizes and hashes, sorted.
QStringList snapshot(const QString& root)
{
    QStringList entries;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info = it.nextFileInfo();
        const QString path = info.filePath().mid(root.size());
        if (info.isDir()) {
            entries.append(path + u'/');
            continue;
        }
        QFile file(info.filePath());
        const QByteArray hash =
            file.open(QIODevice::ReadOnly)
                ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex()
                : QByteArray("unreadable");
        entries.append(u"%1 %2 %3"_s.arg(path).arg(info.size()).arg(QString::fromLatin1(hash)));
    }
    entries.sort();
    return entries;
}

// What a collection printed: its item lines (verb dropped) and its counters.
struct CollectOutput
{
    QStringList items; // "manifest REPO@DIGEST", "blob DIGEST", sorted
    qint64 repositoriesMarked = -1;
    qint64 blobsSwept = -1;
    QString summary; // the summary line without its verb
    QStringList unexpected;
};

CollectOutput parseCollectOutput(const QByteArray& out, const QString& verb)
{
    static const QRegularExpression marking(u"^marking: (\\d+) repositories$"_s);
    static const QRegularExpression sweeping(u"^sweeping: (\\d+) blobs$"_s);
    const QRegularExpression item(u"^%1 ((manifest|blob) \\S+)$"_s.arg(verb));
    const QRegularExpression summary(
        u"^%1 (\\d+ manifests and \\d+ blobs, .+; \\d+ blobs in use)$"_s.arg(verb));
    CollectOutput parsed;
    for (const QByteArray& rawLine : out.split('\n')) {
        const QString line = QString::fromUtf8(rawLine);
        if (line.isEmpty())
            continue;
        QRegularExpressionMatch match;
        if ((match = marking.match(line)).hasMatch())
            parsed.repositoriesMarked = match.captured(1).toLongLong();
        else if ((match = sweeping.match(line)).hasMatch())
            parsed.blobsSwept = match.captured(1).toLongLong();
        else if ((match = item.match(line)).hasMatch())
            parsed.items.append(match.captured(1));
        else if ((match = summary.match(line)).hasMatch())
            parsed.summary = match.captured(1);
        else
            parsed.unexpected.append(line);
    }
    parsed.items.sort();
    return parsed;
}

// berthd's size format: bytes below 1 KiB, MiB with one decimal above.
QString formatBytes(qint64 bytes)
{
    return bytes < 1024 ? u"%1 B"_s.arg(bytes)
                        : u"%1 MiB"_s.arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

// Size of every blob in the store, by digest.
QHash<QString, qint64> blobSizes(const QString& root)
{
    QHash<QString, qint64> sizes;
    for (const QString& file : blobFiles(root)) {
        const QStringList digest = digestsOfBlobFiles({file});
        sizes.insert(digest.first(), QFileInfo(root + blobsDirectory + u'/' + file).size());
    }
    return sizes;
}

// Empty when `pull` comes back byte for byte: manifest by its reference, config, layers.
QString pullsBack(HttpClient& client, const Pull& pull)
{
    const HttpResponse manifest = client.get(manifestPath(pull.repository, pull.reference),
                                             {{"Accept", pull.image.mediaType.toUtf8()}});
    if (manifest.status != 200 || manifest.body != pull.image.manifest)
        return u"GET %1 -> %2"_s.arg(manifestPath(pull.repository, pull.reference), manifest.describe());
    if (manifest.header("Docker-Content-Digest") != pull.image.digest().toUtf8())
        return u"GET %1: Docker-Content-Digest %2"_s.arg(
            manifestPath(pull.repository, pull.reference),
            QString::fromUtf8(manifest.header("Docker-Content-Digest")));
    QList<QByteArray> blobs = pull.image.layers;
    if (!pull.image.config.isEmpty())
        blobs.prepend(pull.image.config);
    for (const QByteArray& blob : blobs) {
        const QString path = blobPath(pull.repository, sha256Digest(blob));
        const HttpResponse response = client.get(path);
        if (response.status != 200 || response.body != blob)
            return u"GET %1 -> %2 (%3 bytes, expected %4)"_s.arg(path, response.describe())
                .arg(response.body.size())
                .arg(blob.size());
    }
    return {};
}

} // namespace

class TestGarbageCollectCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void matchesReference_data();
    void matchesReference();
    void dryRunPrintsWhatARunDeletes_data();
    void dryRunPrintsWhatARunDeletes();
    void collectedStoreServes_data();
    void collectedStoreServes();
    void badInput_data();
    void badInput();
};

void TestGarbageCollectCommand::initTestCase()
{
    QVERIFY2(QFileInfo(RegistryProcess::berthdPath()).isExecutable(), "BERTHD must name the berthd binary");
}

void TestGarbageCollectCommand::matchesReference_data()
{
    QTest::addColumn<int>("contents");
    QTest::addColumn<bool>("deleteUntagged");
    const QList<QPair<const char*, int>> kinds{
        {"layers shared across repositories", SharedLayers},
        {"manifests deleted by digest", DeletedByDigest},
        {"orphan blob", OrphanBlob},
        {"indexes", Index},
        {"untagged image beside a tagged one", UntaggedImage},
        {"repository of untagged images only", UntaggedRepository},
        {"untagged children of a tagged index", UntaggedIndexChild},
        {"untagged referrer of a tagged image", Referrer},
    };
    for (const auto& [name, contents] : kinds) {
        QTest::addRow("%s", name) << contents << false;
        QTest::addRow("%s, --delete-untagged", name) << contents << true;
    }
}

void TestGarbageCollectCommand::matchesReference()
{
    QFETCH(int, contents);
    QFETCH(bool, deleteUntagged);
    if (QStandardPaths::findExecutable(u"docker-registry"_s).isEmpty())
        QSKIP("the reference is not installed (Debian package docker-registry)");

    Store store;
    QCOMPARE(buildStore(contents, store), QString());
    QTemporaryDir copies;
    QVERIFY(copies.isValid());
    const QString ours = copies.filePath(u"berthd"_s), theirs = copies.filePath(u"distribution"_s);
    QCOMPARE(copyTree(store.root(), ours), QString());
    QCOMPARE(copyTree(store.root(), theirs), QString());
    QCOMPARE(writeConfig(copies.filePath(u"berthd.yml"_s), ours), QString());
    QCOMPARE(writeConfig(copies.filePath(u"distribution.yml"_s), theirs), QString());
    const QStringList before = blobFiles(ours);

    const Finished berthd = runCommand(RegistryProcess::berthdPath(),
                                       collectArguments(copies.filePath(u"berthd.yml"_s), deleteUntagged));
    QVERIFY2(berthd.succeeded(), qPrintable(berthd.describe()));
    const QStringList berthdLeft = blobFiles(ours);
    const QStringList berthdDeleted = digestsOfBlobFiles(minus(before, berthdLeft));
    const Finished reference = runCommand(
        u"docker-registry"_s, collectArguments(copies.filePath(u"distribution.yml"_s), deleteUntagged));
    if (!reference.succeeded() && deleteUntagged && !store.referenceError.isEmpty() &&
        reference.err.contains(store.referenceError.toUtf8())) {
        QCOMPARE(berthdDeleted, store.garbageBlobs(deleteUntagged));
        QSKIP(qPrintable(store.referenceFailure));
    }
    QVERIFY2(reference.succeeded(), qPrintable(reference.describe()));

    const QStringList referenceLeft = blobFiles(theirs);
    const QStringList referenceDeleted = digestsOfBlobFiles(minus(before, referenceLeft));
    if (berthdDeleted != referenceDeleted && deleteUntagged && !store.referenceDifference.isEmpty()) {
        QStringList expected = berthdDeleted + store.referenceAlsoDeletes;
        expected.sort();
        if (referenceDeleted == expected) {
            QCOMPARE(berthdDeleted, store.garbageBlobs(deleteUntagged));
            QSKIP(qPrintable(store.referenceDifference));
        }
    }
    QVERIFY2(
        berthdDeleted == referenceDeleted,
        qPrintable(u"berthd deleted:\n  %1\nDistribution deleted:\n  %2\nberthd output:\n%3\nDistribution "
                   "output:\n%4"_s.arg(berthdDeleted.join(u"\n  "_s), referenceDeleted.join(u"\n  "_s),
                                       QString::fromUtf8(berthd.out),
                                       QString::fromUtf8(reference.err.right(6000)))));
    QCOMPARE(berthdLeft, referenceLeft);
    // And both did what this store calls for.
    QCOMPARE(berthdDeleted, store.garbageBlobs(deleteUntagged));
}

void TestGarbageCollectCommand::dryRunPrintsWhatARunDeletes_data()
{
    QTest::addColumn<bool>("deleteUntagged");
    QTest::newRow("keep untagged") << false;
    QTest::newRow("--delete-untagged") << true;
}

void TestGarbageCollectCommand::dryRunPrintsWhatARunDeletes()
{
    QFETCH(bool, deleteUntagged);
    Store store;
    QCOMPARE(buildStore(Everything, store), QString());
    const QString root = store.root();
    const QString config = store.registry->configPath();
    const QStringList before = snapshot(root);
    const QStringList blobsBefore = blobFiles(root);
    const QHash<QString, qint64> sizesBefore = blobSizes(root);

    const Finished dry =
        runCommand(RegistryProcess::berthdPath(), collectArguments(config, deleteUntagged, true));
    QVERIFY2(dry.succeeded(), qPrintable(dry.describe()));
    QCOMPARE(snapshot(root), before);
    const CollectOutput planned = parseCollectOutput(dry.out, u"would delete"_s);
    QVERIFY2(planned.unexpected.isEmpty(), qPrintable(dry.describe()));

    const Finished real = runCommand(RegistryProcess::berthdPath(), collectArguments(config, deleteUntagged));
    QVERIFY2(real.succeeded(), qPrintable(real.describe()));
    const CollectOutput done = parseCollectOutput(real.out, u"deleted"_s);
    QVERIFY2(done.unexpected.isEmpty(), qPrintable(real.describe()));

    QCOMPARE(planned.items, done.items);
    QCOMPARE(done.items, store.expectedItems(deleteUntagged));
    // What it says it deleted is what left the disk.
    const QStringList blobsAfter = blobFiles(root);
    const QStringList deletedBlobs = digestsOfBlobFiles(minus(blobsBefore, blobsAfter));
    QCOMPARE(deletedBlobs, store.garbageBlobs(deleteUntagged));

    // Counters: every repository with a manifest marked, every blob swept, the rest in use.
    const qint64 repositoriesWithManifests = store.repositories.size() - store.emptied.size();
    QCOMPARE(planned.repositoriesMarked, repositoriesWithManifests);
    QCOMPARE(done.repositoriesMarked, repositoriesWithManifests);
    QCOMPARE(planned.blobsSwept, qint64(blobsBefore.size()));
    QCOMPARE(done.blobsSwept, qint64(blobsBefore.size()));
    const qsizetype manifestCount = deleteUntagged ? store.untaggedManifests.size() : 0;
    qint64 deletedBytes = 0;
    for (const QString& digest : deletedBlobs)
        deletedBytes += sizesBefore.value(digest);
    const QString summary = u"%1 manifests and %2 blobs, %3; %4 blobs in use"_s.arg(manifestCount)
                                .arg(deletedBlobs.size())
                                .arg(formatBytes(deletedBytes))
                                .arg(blobsAfter.size());
    QCOMPARE(done.summary, summary);
    QCOMPARE(planned.summary, summary);
}

void TestGarbageCollectCommand::collectedStoreServes_data()
{
    QTest::addColumn<bool>("deleteUntagged");
    QTest::newRow("keep untagged") << false;
    QTest::newRow("--delete-untagged") << true;
}

void TestGarbageCollectCommand::collectedStoreServes()
{
    QFETCH(bool, deleteUntagged);
    Store store;
    QCOMPARE(buildStore(Everything, store), QString());
    const Finished collected = runCommand(RegistryProcess::berthdPath(),
                                          collectArguments(store.registry->configPath(), deleteUntagged));
    QVERIFY2(collected.succeeded(), qPrintable(collected.describe()));

    QVERIFY2(store.registry->start(), qPrintable(store.registry->errorString()));
    HttpClient client(store.registry->baseUrl());
    for (const Pull& pull : std::as_const(store.pulls)) {
        if (!deleteUntagged || pull.keptByDeleteUntagged) {
            const QString error = pullsBack(client, pull);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
    }

    QList<Ref> goneManifests = store.deletedManifests;
    QList<Ref> goneBlobs = store.garbage;
    if (deleteUntagged) {
        goneManifests += store.untaggedManifests;
        goneBlobs += store.untaggedGarbage;
    }
    for (const Ref& ref : std::as_const(goneManifests)) {
        const HttpResponse response = client.get(manifestPath(ref.repository, ref.digest));
        QVERIFY2(
            response.status == 404 && response.errorCode() == "MANIFEST_UNKNOWN",
            qPrintable(u"GET %1 -> %2"_s.arg(manifestPath(ref.repository, ref.digest), response.describe())));
    }
    for (const Ref& ref : std::as_const(goneBlobs)) {
        const HttpResponse response = client.get(blobPath(ref.repository, ref.digest));
        QVERIFY2(
            response.status == 404 && response.errorCode() == "BLOB_UNKNOWN",
            qPrintable(u"GET %1 -> %2"_s.arg(blobPath(ref.repository, ref.digest), response.describe())));
    }

    const HttpResponse catalog = client.get(u"/v2/_catalog?n=1000"_s);
    QCOMPARE(catalog.status, 200);
    QStringList listed;
    for (const QJsonValue& name : catalog.json().object().value("repositories"_L1).toArray())
        listed.append(name.toString());
    listed.sort();
    QCOMPARE(listed, store.survivingRepositories(deleteUntagged));
}

void TestGarbageCollectCommand::badInput_data()
{
    // {dir} is a directory holding valid.yml and invalid.yml.
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no arguments") << QStringList{u"garbage-collect"_s} << 2
                                  << u"berthd garbage-collect needs the registry's config file"_s;
    QTest::newRow("missing config file")
        << QStringList{u"garbage-collect"_s, u"{dir}/missing.yml"_s} << 1 << u"missing.yml"_s;
    QTest::newRow("invalid config") << QStringList{u"garbage-collect"_s, u"{dir}/invalid.yml"_s} << 1
                                    << u"storage.delete.enabled: expected true or false, got \"maybe\""_s;
    QTest::newRow("unknown option") << QStringList{u"garbage-collect"_s, u"{dir}/valid.yml"_s, u"--force"_s}
                                    << 2 << u"--force"_s;
    QTest::newRow("two config files")
        << QStringList{u"garbage-collect"_s, u"{dir}/valid.yml"_s, u"{dir}/invalid.yml"_s} << 2
        << u"invalid.yml"_s;
}

void TestGarbageCollectCommand::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString root = directory.filePath(u"storage"_s);
    QCOMPARE(writeConfig(directory.filePath(u"valid.yml"_s), root), QString());
    QFile invalid(directory.filePath(u"invalid.yml"_s));
    QVERIFY(invalid.open(QIODevice::WriteOnly));
    invalid.write("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /nonexistent\n  delete:\n"
                  "    enabled: maybe\n");
    invalid.close();
    for (QString& argument : arguments)
        argument.replace(u"{dir}"_s, directory.path());

    const Finished finished = runCommand(RegistryProcess::berthdPath(), arguments);
    QVERIFY2(finished.exited, qPrintable(finished.describe()));
    QVERIFY2(finished.exitCode == exitCode, qPrintable(finished.describe()));
    QVERIFY2(QString::fromUtf8(finished.err).contains(message), qPrintable(finished.describe()));
    QVERIFY2(finished.out.isEmpty(), qPrintable(finished.describe()));
    QVERIFY2(!QFileInfo::exists(root), "a refused collection created the storage root");
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestGarbageCollectCommand)
#include "TestGarbageCollectCommand.moc"
