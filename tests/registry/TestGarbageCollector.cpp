// Garbage collection: exactly which blobs and manifests a run deletes (and a dry run says it
// would), that everything still referenced reads back, the grace period, progress,
// cancelling, and pushes racing a collector that runs in a loop.

#include "ForwardingDriver.h"
#include "StoreScenario.h"
#include "registry/GarbageCollector.h"
#include "registry/Layout.h"

#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <semaphore>
#include <set>
#include <thread>
#include <utility>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// Fails with every entry of a list of problems, which QCOMPARE would not show.
#define VERIFY_NONE(problems)                                                                                \
    do {                                                                                                     \
        const QStringList& found_ = (problems);                                                              \
        QVERIFY2(found_.isEmpty(), qPrintable(found_.join(u"\n   "_s)));                                     \
    } while (false)

namespace berth::test {

namespace {

using Phase = registry::CollectionProgress::Phase;

registry::CollectionOptions collectionOptions(bool deleteUntagged, std::chrono::seconds gracePeriod = 0s)
{
    registry::CollectionOptions options;
    options.deleteUntagged = deleteUntagged;
    options.gracePeriod = gracePeriod;
    return options;
}

// What a pusher thread recorded of an image the registry acknowledged.
struct AcknowledgedPush
{
    std::string repository;
    std::string tag;
    Image image;
};

// What is wrong with an acknowledged image now (its manifest by tag, its blobs in its
// repository and in the global store); empty when it reads back completely.
QString readsBack(registry::Registry& registry, const AcknowledgedPush& push)
{
    QStringList wrong;
    const auto stored = registry.manifests().get(push.repository, oci::Reference(push.tag));
    if (!stored)
        wrong.append(u"manifest: "_s + QString::fromUtf8(describe(stored.error())));
    else if (QByteArray::fromStdString(stored->content) != push.image.manifest)
        wrong.append(u"manifest: content differs"_s);
    for (const QByteArray& blob : QList<QByteArray>{push.image.config} + push.image.layers) {
        const QString name =
            blob == push.image.config ? u"config"_s : u"layer "_s + digestText(digestOf(blob));
        const QByteArray read = readBlob(registry, push.repository, digestOf(blob));
        if (read != blob)
            wrong.append(name + u": "_s +
                         (read.startsWith("unreadable") ? QString::fromUtf8(read) : u"content differs"_s));
        const auto global = registry.blobs().statGlobal(digestOf(blob));
        if (!global || !*global || (*global)->size != std::uint64_t(blob.size()))
            wrong.append(name + u": not in the global store"_s);
    }
    if (wrong.isEmpty())
        return {};
    return QString::fromStdString(push.repository + ':' + push.tag) + u": "_s + wrong.join(u"; "_s);
}

// The store of another driver, except that the first write of one path waits until the
// test lets it go: a push held between checking its references and linking its manifest.
class PausingDriver : public ForwardingDriver
{
public:
    PausingDriver(storage::StorageDriver& inner, std::string pausePath)
        : ForwardingDriver(inner), m_pausePath(std::move(pausePath))
    {
    }

    // Whether the write reached the pause within `timeout`.
    bool waitUntilPaused(std::chrono::milliseconds timeout) { return m_gate.waitUntilHeld(timeout); }
    void resume() { m_gate.release(); }

    storage::StorageResult<void> putContent(std::string_view path, std::string_view content) override
    {
        if (path == m_pausePath)
            m_gate.pass();
        return ForwardingDriver::putContent(path, content);
    }

private:
    std::string m_pausePath;
    Gate m_gate;
};

} // namespace

class TestGarbageCollector : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data() { addDriverRows(); }
    void init();
    void cleanup();

    void collects_data();
    void collects();
    void gracePeriod_data();
    void gracePeriod();
    void progress();
    void cancel_data();
    void cancel();
    void pushInFlightWhenCollectionStarts();
    void pushesRacingCollections();
    void idleUploadSessions_data();
    void idleUploadSessions();

private:
    registry::Registry& registry() { return m_harness.registry(); }
    // Runs the steps of a scenario; fails the test at the first that fails.
    void build(const QStringList& steps);
    // A scenario with some of everything: live and untagged images, three repositories,
    // twelve stray blobs. garbageBlobs and garbageManifests are what deleteUntagged removes.
    void buildMixedStore();

    RegistryHarness m_harness;
    std::unique_ptr<Scenario> m_scenario;
    QStringList m_garbageBlobs;
    QStringList m_garbageManifests;
};

void TestGarbageCollector::init()
{
    QFETCH_GLOBAL(QString, driver);
    QVERIFY2(m_harness.open(driver), qPrintable(m_harness.errorString()));
    m_scenario = std::make_unique<Scenario>(registry());
}

void TestGarbageCollector::cleanup()
{
    m_scenario.reset();
    m_harness.close();
}

void TestGarbageCollector::build(const QStringList& steps)
{
    const QString failed = m_scenario->run(steps);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
}

void TestGarbageCollector::buildMixedStore()
{
    QStringList steps{u"push app a:v1 layers=shared,la"_s, u"push app b layers=shared,lb"_s,
                      u"push other c:v1"_s, u"push third d:v1 layers=shared"_s};
    m_garbageBlobs = QStringList{u"b"_s, u"b.config"_s, u"lb"_s};
    m_garbageManifests = QStringList{u"app@b"_s};
    for (int i = 0; i < 12; ++i) {
        const QString stray = u"stray%1"_s.arg(i, 2, 10, QLatin1Char('0'));
        steps.append(u"upload other "_s + stray);
        m_garbageBlobs.append(stray);
    }
    m_garbageBlobs.sort();
    build(steps);
}

void TestGarbageCollector::collects_data()
{
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<bool>("deleteUntagged");
    QTest::addColumn<QStringList>("blobsDeleted");     // names, sorted
    QTest::addColumn<QStringList>("manifestsDeleted"); // "repository@name", sorted
    QTest::addColumn<QStringList>("catalog");          // after the run

    QTest::newRow("unreferenced blobs")
        << QStringList{u"push app a:v1"_s, u"upload app stray"_s, u"upload scratch lonely"_s} << false
        << QStringList{u"lonely"_s, u"stray"_s} << QStringList() << QStringList{u"app"_s};
    QTest::newRow("layers shared across repositories survive deleting one image")
        << QStringList{u"push app a:v1 layers=l1,l2"_s, u"push other b:v1 layers=l1,l3"_s, u"remove app a"_s}
        << false << QStringList{u"a"_s, u"a.config"_s, u"l2"_s} << QStringList() << QStringList{u"other"_s};
    QTest::newRow("deleted manifests lose their unique blobs, not shared ones")
        << QStringList{u"push app a:v1 config=c1 layers=l1,l2"_s,
                       u"push app b:v2 layers=l1"_s,
                       u"push app c:v3 config=c1 layers=l3"_s,
                       u"push app d:v4 layers=l4,l5"_s,
                       u"remove app a"_s,
                       u"remove app d"_s}
        << false << QStringList{u"a"_s, u"d"_s, u"d.config"_s, u"l2"_s, u"l4"_s, u"l5"_s} << QStringList()
        << QStringList{u"app"_s};
    QTest::newRow("an index keeps its children and their layers")
        << QStringList{u"push app x layers=lx,shared"_s, u"push app y layers=ly"_s,
                       u"index app i:latest children=x,y"_s, u"push app z:v1 layers=lz,shared"_s,
                       u"remove app z"_s}
        << false << QStringList{u"lz"_s, u"z"_s, u"z.config"_s} << QStringList() << QStringList{u"app"_s};
    QTest::newRow("untagged children of a tagged index are kept")
        << QStringList{u"push app x layers=lx"_s, u"push app y layers=ly"_s,
                       u"index app i:latest children=x,y"_s, u"push app w"_s, u"index app j children=w"_s}
        << true << QStringList{u"j"_s, u"w"_s, u"w.config"_s, u"w.layer"_s}
        << QStringList{u"app@j"_s, u"app@w"_s} << QStringList{u"app"_s};

    const QStringList untagging{u"push app a:v1 layers=shared,la"_s,
                                u"push app b layers=shared,lb"_s,
                                u"push app c:old"_s,
                                u"untag app old"_s,
                                u"push app d:v2"_s,
                                u"push app e:v2"_s};
    QTest::newRow("untagged images go with their unique blobs")
        << untagging << true << QStringList{u"b"_s, u"b.config"_s, u"c"_s,       u"c.config"_s, u"c.layer"_s,
                                            u"d"_s, u"d.config"_s, u"d.layer"_s, u"lb"_s}
        << QStringList{u"app@b"_s, u"app@c"_s, u"app@d"_s} << QStringList{u"app"_s};
    QTest::newRow("untagged images stay without deleteUntagged")
        << untagging << false << QStringList() << QStringList() << QStringList{u"app"_s};

    QTest::newRow("referrers live and die with their subject")
        << QStringList{u"push app a:v1"_s, u"push app sig config=empty subject=a"_s,
                       u"push app countersig config=empty subject=sig"_s, u"push app b"_s,
                       u"push app sbom config=empty subject=b"_s}
        << true << QStringList{u"b"_s, u"b.config"_s, u"b.layer"_s, u"sbom"_s, u"sbom.layer"_s}
        << QStringList{u"app@b"_s, u"app@sbom"_s} << QStringList{u"app"_s};
    QTest::newRow("a tagged artifact outlives its subject")
        << QStringList{u"push app a:v1"_s, u"push app b"_s, u"push app att:signed config=empty subject=b"_s,
                       u"push app orphan:sbom config=empty subject=absent"_s}
        << true << QStringList{u"b"_s, u"b.config"_s, u"b.layer"_s} << QStringList{u"app@b"_s}
        << QStringList{u"app"_s};
    QTest::newRow("a repository left without manifests leaves the catalog")
        << QStringList{u"push app a:v1 layers=shared"_s, u"push gone b layers=shared,lb"_s, u"push gone c"_s,
                       u"upload gone stray"_s}
        << true
        << QStringList{u"b"_s, u"b.config"_s, u"c"_s, u"c.config"_s, u"c.layer"_s, u"lb"_s, u"stray"_s}
        << QStringList{u"gone@b"_s, u"gone@c"_s} << QStringList{u"app"_s};
    QTest::newRow("a manifest untagged in one repository lives where it is tagged")
        << QStringList{u"push app a:v1"_s, u"push other a"_s, u"push other o:v1"_s} << true << QStringList()
        << QStringList{u"other@a"_s} << QStringList{u"app"_s, u"other"_s};
}

void TestGarbageCollector::collects()
{
    QFETCH(QStringList, steps);
    QFETCH(bool, deleteUntagged);
    QFETCH(QStringList, blobsDeleted);
    QFETCH(QStringList, manifestsDeleted);
    QFETCH(QStringList, catalog);
    build(steps);
    if (QTest::currentTestFailed())
        return;
    for (const QString& name : blobsDeleted)
        QVERIFY2(m_scenario->isStored(name), qPrintable(u"not a stored blob: "_s + name));
    for (const QString& name : manifestsDeleted)
        QVERIFY2(m_scenario->isRevision(name), qPrintable(u"not a stored manifest: "_s + name));
    const std::uint64_t bytes = m_scenario->sizeOf(blobsDeleted);
    registry::GarbageCollector collector(registry());

    // A dry run changes nothing and names exactly what the real run deletes.
    const QStringList before = m_harness.files();
    auto options = collectionOptions(deleteUntagged);
    options.dryRun = true;
    const auto dryRun = collector.run(options);
    VERIFY_OK(dryRun);
    QCOMPARE(m_harness.files(), before);
    QCOMPARE(m_scenario->namesOf(dryRun->blobsDeleted), blobsDeleted);
    QCOMPARE(m_scenario->namesOf(dryRun->manifestsDeleted), manifestsDeleted);
    QCOMPARE(dryRun->bytesReclaimed, bytes);
    QVERIFY(!dryRun->cancelled);

    const auto report = collector.run(collectionOptions(deleteUntagged));
    VERIFY_OK(report);
    QCOMPARE(m_scenario->namesOf(report->blobsDeleted), blobsDeleted);
    QCOMPARE(m_scenario->namesOf(report->manifestsDeleted), manifestsDeleted);
    QCOMPARE(report->bytesReclaimed, bytes);
    QCOMPARE(report->blobsKept, std::uint64_t(m_scenario->blobCount() - blobsDeleted.size()));
    QCOMPARE(report->blobsInGracePeriod, std::uint64_t{0});
    QVERIFY(!report->cancelled);
    VERIFY_NONE(m_scenario->problems(blobsDeleted, manifestsDeleted));
    const auto repositories = registry().catalog().repositories();
    VERIFY_OK(repositories);
    QStringList listed;
    for (const std::string& repository : *repositories)
        listed.append(QString::fromStdString(repository));
    QCOMPARE(listed, catalog);

    // Nothing is left for a second run.
    const auto again = collector.run(collectionOptions(deleteUntagged));
    VERIFY_OK(again);
    QCOMPARE(m_scenario->namesOf(again->blobsDeleted), QStringList());
    QCOMPARE(m_scenario->namesOf(again->manifestsDeleted), QStringList());
    QCOMPARE(again->bytesReclaimed, std::uint64_t{0});
}

void TestGarbageCollector::gracePeriod_data()
{
    // The store: a tagged image, an untagged one, a blob without a manifest; all just pushed.
    QTest::addColumn<int>("graceSeconds");
    QTest::addColumn<bool>("deleteUntagged");
    QTest::addColumn<QStringList>("blobsDeleted");
    QTest::addColumn<QStringList>("manifestsDeleted");
    QTest::addColumn<int>("inGracePeriod");
    QTest::newRow("1h keeps a fresh blob") << 3600 << false << QStringList() << QStringList() << 1;
    QTest::newRow("0s deletes it") << 0 << false << QStringList{u"fresh"_s} << QStringList() << 0;
    QTest::newRow("1h keeps a fresh untagged manifest")
        << 3600 << true << QStringList() << QStringList() << 1;
    QTest::newRow("0s deletes it with its blobs")
        << 0 << true << QStringList{u"b"_s, u"b.config"_s, u"b.layer"_s, u"fresh"_s}
        << QStringList{u"app@b"_s} << 0;
}

void TestGarbageCollector::gracePeriod()
{
    QFETCH(int, graceSeconds);
    QFETCH(bool, deleteUntagged);
    QFETCH(QStringList, blobsDeleted);
    QFETCH(QStringList, manifestsDeleted);
    QFETCH(int, inGracePeriod);
    build({u"push app a:v1"_s, u"push app b"_s, u"upload app fresh"_s});
    if (QTest::currentTestFailed())
        return;
    const auto report = registry::GarbageCollector(registry())
                            .run(collectionOptions(deleteUntagged, std::chrono::seconds(graceSeconds)));
    VERIFY_OK(report);
    QCOMPARE(m_scenario->namesOf(report->blobsDeleted), blobsDeleted);
    QCOMPARE(m_scenario->namesOf(report->manifestsDeleted), manifestsDeleted);
    QCOMPARE(report->blobsInGracePeriod, std::uint64_t(inGracePeriod));
    QCOMPARE(report->bytesReclaimed, m_scenario->sizeOf(blobsDeleted));
    VERIFY_NONE(m_scenario->problems(blobsDeleted, manifestsDeleted));
}

void TestGarbageCollector::progress()
{
    buildMixedStore();
    if (QTest::currentTestFailed())
        return;
    const qsizetype blobFiles = m_harness.files(registry::layout::blobsRoot()).size();
    std::vector<registry::CollectionProgress> seen;
    const auto report = registry::GarbageCollector(registry())
                            .run(collectionOptions(true),
                                 [&](const registry::CollectionProgress& state) { seen.push_back(state); });
    VERIFY_OK(report);
    QCOMPARE(m_scenario->namesOf(report->blobsDeleted), m_garbageBlobs);

    QVERIFY(!seen.empty());
    QVERIFY(seen.front().phase == Phase::Marking);
    QVERIFY(seen.back().phase == Phase::Done);
    QCOMPARE(
        std::count_if(seen.begin(), seen.end(), [](const auto& state) { return state.phase == Phase::Done; }),
        std::ptrdiff_t{1});
    QVERIFY(std::any_of(seen.begin(), seen.end(),
                        [](const auto& state) { return state.phase == Phase::Sweeping; }));
    QCOMPARE(seen.back().bytesReclaimed, report->bytesReclaimed);
    for (std::size_t i = 0; i < seen.size(); ++i) {
        const auto& state = seen[i];
        const QByteArray where = "report " + QByteArray::number(qulonglong(i));
        QVERIFY2(state.done <= state.total, where.constData());
        if (state.phase == Phase::Marking)
            QVERIFY2(
                state.total == 3,
                QByteArray(where + ": repositories to mark: " + QByteArray::number(state.total)).constData());
        if (state.phase == Phase::Sweeping)
            QVERIFY2(state.total == std::uint64_t(blobFiles),
                     QByteArray(where + ": blobs to sweep: " + QByteArray::number(state.total)).constData());
        if (i == 0)
            continue;
        const auto& previous = seen[i - 1];
        QVERIFY2(previous.phase <= state.phase, where.constData());
        if (previous.phase == state.phase && state.phase != Phase::Done)
            QVERIFY2(previous.done <= state.done, where.constData());
        QVERIFY2(previous.bytesReclaimed <= state.bytesReclaimed, where.constData());
    }
}

void TestGarbageCollector::cancel_data()
{
    QTest::addColumn<QString>("when");
    for (const char* when : {"before the run", "after the first repository is marked",
                             "when the sweep starts", "after the first deletion"})
        QTest::newRow(when) << QString::fromLatin1(when);
}

void TestGarbageCollector::cancel()
{
    QFETCH(QString, when);
    buildMixedStore();
    if (QTest::currentTestFailed())
        return;
    const QStringList before = m_harness.files();
    std::atomic<bool> stopNow{when == "before the run"_L1};
    bool sawDone = false;
    const auto report =
        registry::GarbageCollector(registry())
            .run(
                collectionOptions(true),
                [&](const registry::CollectionProgress& state) {
                    sawDone = sawDone || state.phase == Phase::Done;
                    if ((when == "after the first repository is marked"_L1 && state.phase == Phase::Marking &&
                         state.done == 1) ||
                        (when == "when the sweep starts"_L1 && state.phase == Phase::Sweeping) ||
                        (when == "after the first deletion"_L1 && state.phase == Phase::Sweeping &&
                         state.bytesReclaimed > 0))
                        stopNow = true;
                },
                &stopNow);
    VERIFY_OK(report);
    QVERIFY2(stopNow, "the progress reports never reached the point to cancel at");
    QVERIFY(report->cancelled);
    QVERIFY(!sawDone);

    // Only garbage went, the report says exactly what, and the run stopped early.
    const QStringList blobs = m_scenario->namesOf(report->blobsDeleted);
    const QStringList manifests = m_scenario->namesOf(report->manifestsDeleted);
    for (const QString& name : blobs)
        QVERIFY2(m_garbageBlobs.contains(name), qPrintable(u"deleted a live blob: "_s + name));
    for (const QString& name : manifests)
        QVERIFY2(m_garbageManifests.contains(name), qPrintable(u"deleted a live manifest: "_s + name));
    QVERIFY(blobs.size() < m_garbageBlobs.size());
    QCOMPARE(report->bytesReclaimed, m_scenario->sizeOf(blobs));
    VERIFY_NONE(m_scenario->problems(blobs, manifests));
    if (when == "after the first deletion"_L1)
        QVERIFY(!blobs.isEmpty());
    else if (when != "when the sweep starts"_L1)
        QCOMPARE(m_harness.files(), before);

    // The next run finishes the job.
    const auto rest = registry::GarbageCollector(registry()).run(collectionOptions(true));
    VERIFY_OK(rest);
    QVERIFY(!rest->cancelled);
    QStringList allBlobs = blobs + m_scenario->namesOf(rest->blobsDeleted);
    allBlobs.sort();
    QCOMPARE(allBlobs, m_garbageBlobs);
    QStringList allManifests = manifests + m_scenario->namesOf(rest->manifestsDeleted);
    allManifests.sort();
    QCOMPARE(allManifests, m_garbageManifests);
    VERIFY_NONE(m_scenario->problems(m_garbageBlobs, m_garbageManifests));
}

void TestGarbageCollector::idleUploadSessions_data()
{
    // Two upload sessions of 1000 and 2000 bytes, the first one possibly in use by a request,
    // in the repository holding an image or in one a first push never finished.
    QTest::addColumn<QString>("repository");
    QTest::addColumn<int>("uploadAgeSeconds");
    QTest::addColumn<bool>("dryRun");
    QTest::addColumn<bool>("firstInUse");
    QTest::addColumn<int>("deleted");
    QTest::addColumn<int>("deletedBytes");
    QTest::addColumn<int>("inUse");
    QTest::addColumn<int>("left");
    const QString app = u"app"_s;
    QTest::newRow("idle longer than the age") << app << 0 << false << false << 2 << 3000 << 0 << 0;
    QTest::newRow("idle for less than the age") << app << 3600 << false << false << 0 << 0 << 0 << 2;
    QTest::newRow("a dry run deletes nothing") << app << 0 << true << false << 2 << 3000 << 0 << 2;
    QTest::newRow("one in use by a request") << app << 0 << false << true << 1 << 2000 << 1 << 1;
    QTest::newRow("in a repository without manifests")
        << u"team/abandoned"_s << 0 << false << false << 2 << 3000 << 0 << 0;
}

void TestGarbageCollector::idleUploadSessions()
{
    QFETCH(QString, repository);
    QFETCH(int, uploadAgeSeconds);
    QFETCH(bool, dryRun);
    QFETCH(bool, firstInUse);
    QFETCH(int, deleted);
    QFETCH(int, deletedBytes);
    QFETCH(int, inUse);
    QFETCH(int, left);
    build({u"push app a:v1"_s});
    if (QTest::currentTestFailed())
        return;
    std::optional<registry::UploadLease> held;
    for (const qsizetype size : {1000, 2000}) {
        const auto uuid = registry().uploads().create(repository.toStdString());
        VERIFY_OK(uuid);
        auto lease = registry().uploads().acquire(repository.toStdString(), *uuid);
        VERIFY_OK(lease);
        VERIFY_OK((*lease)->append(bytesOf(randomBytes(size))));
        if (firstInUse && !held)
            held.emplace(std::move(lease).value());
    }
    const QStringList blobsBefore = m_harness.files(registry::layout::blobsRoot());

    auto options = collectionOptions(false);
    options.dryRun = dryRun;
    options.uploadAge = std::chrono::seconds(uploadAgeSeconds);
    registry::CollectionProgress last;
    bool sawPurging = false;
    const auto report = registry::GarbageCollector(registry()).run(options, [&](const auto& state) {
        sawPurging = sawPurging || state.phase == Phase::PurgingUploads;
        last = state;
    });
    VERIFY_OK(report);
    QCOMPARE(report->uploadsDeleted, std::uint64_t(deleted));
    QCOMPARE(report->uploadBytesReclaimed, std::uint64_t(deletedBytes));
    QCOMPARE(report->uploadsInUse, std::uint64_t(inUse));
    QCOMPARE(report->bytesReclaimed, std::uint64_t{0}); // upload bytes are counted apart
    QVERIFY(sawPurging);
    QVERIFY(last.phase == Phase::Done);
    QCOMPARE(last.uploadsDeleted, report->uploadsDeleted);
    QCOMPARE(last.uploadBytesReclaimed, report->uploadBytesReclaimed);
    const auto stored = registry().uploads().stored();
    VERIFY_OK(stored);
    QCOMPARE(qsizetype(stored->size()), qsizetype(left));
    QCOMPARE(m_harness.files(registry::layout::blobsRoot()), blobsBefore);
    VERIFY_NONE(m_scenario->problems({}, {}));
}

void TestGarbageCollector::pushInFlightWhenCollectionStarts()
{
    // A put has checked that its blobs exist when a collection starts, and links its
    // manifest only after the collector has listed the repository's manifests. Its blobs
    // must stay (or the put must fail): an acknowledged image is never missing a blob.
    const std::string repository = "app";
    const Image image = makeImage(media::OciManifest, 2);
    PausingDriver driver(m_harness.driver(),
                         registry::layout::manifestRevisionLink(repository, digestOf(image.manifest)));
    registry::Registry paused(driver, registry::RegistryOptions{});
    for (const QByteArray& blob : QList<QByteArray>{image.config} + image.layers)
        VERIFY_OK(storeBlob(paused, repository, blob));

    oci::Result<registry::PushedManifest> pushed =
        unexpected(oci::Error{oci::ErrorCode::Internal, "not run"});
    std::thread pusher([&] {
        pushed = paused.manifests().put(repository, oci::Reference(std::string("v1")), viewOf(image.manifest),
                                        media::OciManifest.latin1());
    });
    const bool pausedInPut = driver.waitUntilPaused(10s);
    if (!pausedInPut)
        driver.resume();

    std::binary_semaphore begun{0};
    std::binary_semaphore marked{0};
    bool sawBegin = false; // both only touched by the collector's thread
    bool sawMarked = false;
    oci::Result<registry::CollectionReport> report =
        unexpected(oci::Error{oci::ErrorCode::Internal, "not run"});
    std::thread collector([&] {
        report = registry::GarbageCollector(paused).run(
            collectionOptions(false), [&](const registry::CollectionProgress& state) {
                if (!std::exchange(sawBegin, true))
                    begun.release();
                if (state.phase != Phase::Marking && !std::exchange(sawMarked, true))
                    marked.release();
            });
    });
    // Let the put go once the collector has marked; or soon, when the collector waits for
    // the put before it begins (a correct way to handle it).
    if (begun.try_acquire_for(500ms))
        (void)marked.try_acquire_for(10s);
    if (pausedInPut)
        driver.resume();
    pusher.join();
    collector.join();
    QVERIFY2(pausedInPut, "the put never wrote its revision link");
    VERIFY_OK(report);

    if (!pushed) {
        QCOMPARE(codeOf(pushed), "MANIFEST_BLOB_UNKNOWN"_ba);
        QCOMPARE(codeOf(paused.manifests().get(repository, oci::Reference(std::string("v1")))),
                 "MANIFEST_UNKNOWN"_ba);
        return;
    }
    const QString lost = readsBack(paused, AcknowledgedPush{repository, "v1", image});
    QVERIFY2(lost.isEmpty(), qPrintable(u"acknowledged, then collected: "_s + lost));
}

void TestGarbageCollector::pushesRacingCollections()
{
    // No pushed image is lost: pushers upload new blobs and put manifests referencing them,
    // or mount an acknowledged image's blobs into a new repository, while collections with
    // no grace period run one after the other. A put may fail only because the collector
    // took a blob before the manifest referenced it; the pusher then uploads again.
    constexpr int pusherCount = 4;
    constexpr auto duration = 2s;
    constexpr int maxAttempts = 100;

    std::mutex mutex;
    std::vector<AcknowledgedPush> acknowledged;
    QStringList errors;
    const auto fail = [&](const QString& error) {
        const std::scoped_lock lock(mutex);
        if (errors.size() < 20)
            errors.append(error);
    };
    std::atomic<int> retries{0};
    std::atomic<int> mounts{0};
    std::atomic<bool> stop{false};
    std::atomic<int> collections{0};
    std::atomic<std::uint64_t> blobsCollected{0};

    const auto push = [&](int pusher) {
        auto* random = QRandomGenerator::global();
        const auto deadline = std::chrono::steady_clock::now() + duration;
        for (int n = 0; std::chrono::steady_clock::now() < deadline; ++n) {
            const std::string tag = "p" + std::to_string(pusher) + "-" + std::to_string(n);
            std::optional<AcknowledgedPush> source;
            if (random->bounded(3) == 0) {
                const std::scoped_lock lock(mutex);
                if (!acknowledged.empty())
                    source = acknowledged[random->bounded(qsizetype(acknowledged.size()))];
            }
            if (source) {
                // Every blob of an acknowledged image is referenced, so mounting cannot fail.
                AcknowledgedPush copy{"mirror/" + tag, "v1", source->image};
                bool mounted = true;
                for (const QByteArray& blob : QList<QByteArray>{copy.image.config} + copy.image.layers) {
                    const auto linked =
                        registry().blobs().mount(copy.repository, digestOf(blob), source->repository);
                    if (!linked) {
                        fail(QString::fromStdString("mounting from " + source->repository + ':' +
                                                    source->tag + ": ") +
                             QString::fromUtf8(describe(linked.error())));
                        mounted = false;
                        break;
                    }
                }
                if (!mounted)
                    continue;
                const auto put =
                    registry().manifests().put(copy.repository, oci::Reference(copy.tag),
                                               viewOf(copy.image.manifest), media::OciManifest.latin1());
                if (!put) {
                    fail(QString::fromStdString("putting " + copy.repository + " after mounting: ") +
                         QString::fromUtf8(describe(put.error())));
                    continue;
                }
                ++mounts;
                const std::scoped_lock lock(mutex);
                acknowledged.push_back(std::move(copy));
                continue;
            }

            AcknowledgedPush pushed{"app/r" + std::to_string(random->bounded(3)), tag,
                                    makeImage(media::OciManifest, 2, 512 + random->bounded(16 * 1024))};
            bool done = false;
            for (int attempt = 0; attempt < maxAttempts && !done; ++attempt) {
                bool uploaded = true;
                for (const QByteArray& blob : QList<QByteArray>{pushed.image.config} + pushed.image.layers) {
                    const auto stored = storeBlob(registry(), pushed.repository, blob);
                    if (!stored) {
                        fail(QString::fromStdString("uploading to " + pushed.repository + ": ") +
                             QString::fromUtf8(describe(stored.error())));
                        uploaded = false;
                        break;
                    }
                }
                if (!uploaded)
                    break;
                // Give the collector a moment between the blobs and the manifest.
                if (attempt == 0 && random->bounded(2) == 0)
                    std::this_thread::sleep_for(std::chrono::microseconds(random->bounded(3000)));
                const auto put =
                    registry().manifests().put(pushed.repository, oci::Reference(pushed.tag),
                                               viewOf(pushed.image.manifest), media::OciManifest.latin1());
                if (put) {
                    if (put->digest != digestOf(pushed.image.manifest))
                        fail(QString::fromStdString(pushed.repository + ':' + pushed.tag +
                                                    ": acknowledged as ") +
                             digestText(put->digest));
                    done = true;
                    break;
                }
                const QByteArray code = codeOf(put);
                if (code != "MANIFEST_BLOB_UNKNOWN" && code != "BLOB_UNKNOWN") {
                    fail(QString::fromStdString("putting " + pushed.repository + ':' + pushed.tag + ": ") +
                         QString::fromUtf8(describe(put.error())));
                    break;
                }
                // A refused manifest leaves nothing behind.
                if (registry().manifests().stat(pushed.repository, oci::Reference(pushed.tag)))
                    fail(QString::fromStdString(pushed.repository + ':' + pushed.tag) + u": refused with "_s +
                         QString::fromLatin1(code) + u" but served"_s);
                ++retries;
            }
            if (!done) {
                fail(QString::fromStdString(pushed.repository + ':' + pushed.tag) +
                     u": not pushed after %1 attempts"_s.arg(maxAttempts));
                continue;
            }
            const std::scoped_lock lock(mutex);
            acknowledged.push_back(std::move(pushed));
        }
    };

    std::thread collector([&] {
        registry::GarbageCollector garbageCollector(registry());
        while (!stop) {
            const auto report = garbageCollector.run(collectionOptions(collections % 2 == 1));
            if (!report) {
                fail(u"collection failed: "_s + QString::fromUtf8(describe(report.error())));
                return;
            }
            ++collections;
            blobsCollected += report->blobsDeleted.size();
            // Back to back, collections could take a slow push's blobs every time it retried.
            std::this_thread::sleep_for(std::chrono::milliseconds(QRandomGenerator::global()->bounded(20)));
        }
    });
    std::vector<std::thread> pushers;
    pushers.reserve(pusherCount);
    for (int i = 0; i < pusherCount; ++i)
        pushers.emplace_back(push, i);
    for (auto& pusher : pushers)
        pusher.join();
    stop = true;
    collector.join();

    qInfo("%zu images acknowledged (%d by mounting), %d puts refused for a collected blob and retried, "
          "%d collections deleted %llu blobs",
          acknowledged.size(), mounts.load(), retries.load(), collections.load(),
          qulonglong(blobsCollected.load()));
    VERIFY_NONE(errors);
    QVERIFY(!acknowledged.empty());
    QVERIFY(collections > 0);

    const auto lostImages = [&] {
        QStringList lost;
        for (const auto& image : acknowledged) {
            if (QString problem = readsBack(registry(), image); !problem.isEmpty() && lost.size() < 20)
                lost.append(problem);
        }
        return lost;
    };
    VERIFY_NONE(lostImages());
    // Once the pushes are done a last collection takes nothing they pushed.
    const auto last = registry::GarbageCollector(registry()).run(collectionOptions(true));
    VERIFY_OK(last);
    VERIFY_NONE(lostImages());
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestGarbageCollector)
#include "TestGarbageCollector.moc"
