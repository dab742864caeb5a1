// Storage statistics: exact logical, unique and shared bytes per repository for stores
// built step by step (shared layers, mounts, indexes, referrers, untagged and deleted
// manifests), the same for each image and the largest images and layers, totals that match
// the blob files in the store, an index that stays equal to a fresh reading of the store
// through pushes, deletes and collections (a fixed sequence and random ones), saved and
// loaded equal, that reads again what changed while it was stopped, and is rebuilt when its
// saved file is missing, unreadable or was not saved by a clean stop.
// The history: samples kept across restarts, bounded, largest repositories first.

#include "StoreScenario.h"
#include "registry/GarbageCollector.h"
#include "registry/Layout.h"
#include "registry/StorageHistory.h"
#include "registry/StorageIndex.h"
#include "registry/StorageIndexFile.h"
#include "registry/UsageScanner.h"

#include <QMap>
#include <QRandomGenerator>
#include <QTest>
#include <map>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace berth::test {

namespace {

constexpr auto openTimeout = 30s;
// Upload figures are measured when an index opens, and then not again during a test: a
// measurement in the background could see a session a step is using.
constexpr auto uploadsMaxAge = 1h;

// The statistics read from the store now, without any index: what the index must equal;
// with the sizes of `kept` instead of those read (blobs rewritten in place, which an index
// cannot notice).
using BlobSizes = std::map<oci::Digest, std::uint64_t>;

// What the store holds now, read without any index.
oci::Result<registry::StorageUsage> freshUsage(registry::Registry& registry)
{
    registry::UsageScanner scanner(registry);
    auto names = registry.catalog().repositories();
    if (!names)
        return unexpected(std::move(names).error());
    registry::StorageUsage usage;
    for (const auto& name : *names) {
        auto repository = scanner.repository(name, usage.blobs);
        if (!repository)
            return unexpected(std::move(repository).error());
        if (*repository)
            usage.repositories.emplace(name, std::move(**repository));
    }
    if (auto blobs = scanner.blobs(usage.blobs); !blobs)
        return unexpected(std::move(blobs).error());
    return usage;
}

oci::Result<registry::StorageStatistics> freshStatistics(registry::Registry& registry,
                                                         const BlobSizes& kept = {})
{
    auto usage = freshUsage(registry);
    if (!usage)
        return unexpected(std::move(usage).error());
    for (const auto& [digest, size] : kept)
        usage->blobs.setSize(usage->blobs.number(digest), size);
    auto uploads = registry::UsageScanner(registry).uploads();
    if (!uploads)
        return unexpected(std::move(uploads).error());
    return registry::computeStatistics(*usage, *uploads);
}

QString describe(const registry::StorageStatistics& statistics)
{
    const auto& totals = statistics.totals;
    QString text = u"totals: disk %1 in %2 blobs, %3 unreferenced, %4 manifests, %5 tags, %6 repositories, "
                   "%7 uploads of %8 bytes"_s.arg(totals.bytesOnDisk)
                       .arg(totals.blobs)
                       .arg(totals.unreferencedBytes)
                       .arg(totals.manifests)
                       .arg(totals.tags)
                       .arg(totals.repositories)
                       .arg(totals.uploadSessions)
                       .arg(totals.uploadBytes);
    for (const auto& repository : statistics.repositories)
        text += u"\n  %1: logical %2 unique %3 shared %4, %5 tags, %6 manifests, %7 blobs"_s
                    .arg(QString::fromStdString(repository.name))
                    .arg(repository.logicalBytes)
                    .arg(repository.uniqueBytes)
                    .arg(repository.sharedBytes)
                    .arg(repository.tags)
                    .arg(repository.manifests)
                    .arg(repository.blobs);
    for (const auto& image : statistics.largestImages)
        text += u"\n  image %1@%2 [%3]: %4 bytes, %5 unique"_s
                    .arg(QString::fromStdString(image.repository), digestText(image.digest))
                    .arg(image.tags.size())
                    .arg(image.bytes)
                    .arg(image.uniqueBytes);
    for (const auto& layer : statistics.largestLayers)
        text += u"\n  layer %1: %2 bytes in %3 images of %4 repositories"_s.arg(digestText(layer.digest))
                    .arg(layer.bytes)
                    .arg(layer.images)
                    .arg(layer.repositories);
    return text;
}

// Compares two statistics, showing both when they differ.
#define COMPARE_STATISTICS(actual, expected)                                                                 \
    do {                                                                                                     \
        const registry::StorageStatistics& actual_ = (actual);                                               \
        const registry::StorageStatistics& expected_ = (expected);                                           \
        QVERIFY2(actual_ == expected_,                                                                       \
                 qPrintable(u"got\n"_s + describe(actual_) + u"\nexpected\n"_s + describe(expected_)));      \
    } while (false)

// "name=a,b,c" -> {"name", ["a", "b", "c"]}
std::map<QString, QStringList> namesByRepository(const QStringList& rows)
{
    std::map<QString, QStringList> names;
    for (const QString& row : rows)
        names[row.section(u'=', 0, 0)] = row.section(u'=', 1).split(u',', Qt::SkipEmptyParts);
    return names;
}

// "a,b" -> {"a", "b"}; "-" -> none.
QStringList namesIn(const QString& list)
{
    return list == "-"_L1 ? QStringList() : list.split(u',');
}

// "repository@name" and ":tag,tag" if it has tags.
QString imageLabel(const registry::ImageStatistics& image, const QString& name)
{
    QStringList tags;
    for (const auto& tag : image.tags)
        tags.append(QString::fromStdString(tag));
    return label(image.repository, name) + (tags.isEmpty() ? QString() : u':' + tags.join(u','));
}

// Steps that change a store at random, each valid where it is taken: pushes of new images
// (sharing layers) and of images from other repositories, indexes, referrers, untags,
// removals and collections.
class RandomSteps
{
public:
    explicit RandomSteps(quint32 seed) : m_random(seed) {}

    // The next step; "collect" for a garbage collection.
    QString next()
    {
        const QString repository = m_repositories.at(int(m_random.bounded(m_repositories.size())));
        auto& content = m_content[repository];
        const QString name = u"m%1"_s.arg(++m_count);
        const QString tag = m_random.bounded(2) ? u":t%1"_s.arg(m_count) : QString();
        switch (m_random.bounded(8)) {
        case 0:
            if (!content.tags.isEmpty()) {
                const QString untagged = pick(content.tags.keys());
                content.tags.remove(untagged);
                return u"untag %1 %2"_s.arg(repository, untagged);
            }
            break;
        case 1:
            if (const QString removed = removable(content); !removed.isEmpty()) {
                content.manifests.removeAll(removed);
                content.images.removeAll(removed);
                content.tags.removeIf([&](const auto& tagged) { return tagged.value() == removed; });
                return u"remove %1 %2"_s.arg(repository, removed);
            }
            break;
        case 2:
            if (!content.images.isEmpty()) {
                QStringList children{pick(content.images), pick(content.images)};
                children.removeDuplicates();
                content.children += children;
                return added(content, name, tag,
                             u"index %1 %2%3 children=%4"_s.arg(repository, name, tag, children.join(u',')));
            }
            break;
        case 3:
            if (!content.manifests.isEmpty())
                return added(
                    content, name, QString(),
                    u"push %1 %2 config=empty subject=%3"_s.arg(repository, name, pick(content.manifests)));
            break;
        case 4:
            if (!m_pushed.isEmpty()) {
                const QString image = pick(m_pushed);
                if (!content.manifests.contains(image)) {
                    content.images.append(image);
                    return added(content, image, u":t%1"_s.arg(m_count),
                                 u"push %1 %2:t%3"_s.arg(repository, image).arg(m_count));
                }
            }
            break;
        case 5:
            if (m_random.bounded(3) == 0) {
                // A collection deletes what is untagged: start again from what is new.
                m_content.clear();
                m_pushed.clear();
                ++m_generation;
                return u"collect"_s;
            }
            break;
        default:
            break;
        }
        QStringList layers{name + u".l"_s};
        for (int i = 0; i < 2; ++i) {
            if (m_random.bounded(2))
                layers.append(u"g%1s%2"_s.arg(m_generation).arg(m_random.bounded(3)));
        }
        layers.removeDuplicates();
        content.images.append(name);
        m_pushed.append(name);
        return added(content, name, tag,
                     u"push %1 %2%3 layers=%4"_s.arg(repository, name, tag, layers.join(u',')));
    }

private:
    struct Content
    {
        QStringList manifests;       // stored in the repository
        QStringList images;          // the image manifests among them, which an index may list
        QStringList children;        // listed by an index
        QMap<QString, QString> tags; // -> manifest
    };

    QString pick(const QStringList& names) { return names.at(int(m_random.bounded(names.size()))); }
    // A manifest no index lists.
    QString removable(const Content& content)
    {
        QStringList candidates;
        for (const QString& manifest : content.manifests) {
            if (!content.children.contains(manifest))
                candidates.append(manifest);
        }
        return candidates.isEmpty() ? QString() : pick(candidates);
    }
    QString added(Content& content, const QString& name, const QString& tag, const QString& step)
    {
        if (!content.manifests.contains(name))
            content.manifests.append(name);
        if (!tag.isEmpty())
            content.tags.insert(tag.mid(1), name);
        return step;
    }

    QRandomGenerator m_random;
    const QStringList m_repositories{u"app"_s, u"other"_s, u"team/deep"_s};
    std::map<QString, Content> m_content;
    QStringList m_pushed; // images, for pushing into other repositories
    int m_count = 0;
    int m_generation = 0;
};

} // namespace

class TestStorageStatistics : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data() { addDriverRows(); }
    void init();
    void cleanup();

    void statistics_data();
    void statistics();
    void totalsMatchTheBlobFiles();
    void staysCorrectThroughChanges();
    void staysCorrectThroughRandomChanges_data();
    void staysCorrectThroughRandomChanges();
    void indexAfterRestart_data();
    void indexAfterRestart();
    void indexFileReadsBackEqual();
    void compactionKeepsWhatIsInUse();
    void blobTableNumbersEachDigestOnce_data();
    void blobTableNumbersEachDigestOnce();
    void buildingAnswersAtOnce();
    void historySurvivesRestarts();
    void historyIsBounded();

private:
    registry::Registry& registry() { return m_harness.registry(); }
    void build(const QStringList& steps);
    // Runs a step of the scenario, or "collect": a collection that deletes untagged manifests.
    void change(const QString& step);
    // Fails the test unless the index's statistics equal a fresh reading of the store.
    void compareWithFresh(registry::StorageIndex& index, const QString& after);
    // A fresh index over the harness's registry, opened and loaded or built.
    std::unique_ptr<registry::StorageIndex> openIndex();
    // The index's statistics; fails the test when it has none.
    std::shared_ptr<const registry::StorageStatistics> statisticsOf(registry::StorageIndex& index);

    RegistryHarness m_harness;
    std::unique_ptr<Scenario> m_scenario;
};

void TestStorageStatistics::init()
{
    QFETCH_GLOBAL(QString, driver);
    QVERIFY2(m_harness.open(driver), qPrintable(m_harness.errorString()));
    m_scenario = std::make_unique<Scenario>(registry());
}

void TestStorageStatistics::cleanup()
{
    m_scenario.reset();
    m_harness.close();
}

void TestStorageStatistics::build(const QStringList& steps)
{
    const QString failed = m_scenario->run(steps);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
}

std::unique_ptr<registry::StorageIndex> TestStorageStatistics::openIndex()
{
    auto index = std::make_unique<registry::StorageIndex>(registry(), uploadsMaxAge);
    index->open();
    if (!index->waitUntilOpen(openTimeout))
        qWarning("the storage index did not open");
    return index;
}

std::shared_ptr<const registry::StorageStatistics>
TestStorageStatistics::statisticsOf(registry::StorageIndex& index)
{
    const auto state = index.state();
    if (!state) {
        qWarning("state: %s", describe(state.error()).constData());
        return nullptr;
    }
    if (state->building) {
        qWarning("still building");
        return nullptr;
    }
    return state->statistics;
}

void TestStorageStatistics::statistics_data()
{
    // repositories: "name tags manifests"; logical and unique: "name=blob,..." (every blob
    // and manifest the repository reaches, and those only it reaches); unreferenced: blobs
    // in the store no repository reaches.
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QStringList>("repositories");
    QTest::addColumn<QStringList>("logical");
    QTest::addColumn<QStringList>("unique");
    QTest::addColumn<QStringList>("unreferenced");
    // images: "repository@name[:tag,...] reached unique", the blobs the image reaches and
    // those no other image reaches ("-": none); layers: "blob images repositories".
    QTest::addColumn<QStringList>("images");
    QTest::addColumn<QStringList>("layers");

    QTest::newRow("two repositories sharing a layer")
        << QStringList{u"push app a:v1 layers=shared,la"_s, u"push other b:v1 layers=shared,lb"_s}
        << QStringList{u"app 1 1"_s, u"other 1 1"_s}
        << QStringList{u"app=a,a.config,shared,la"_s, u"other=b,b.config,shared,lb"_s}
        << QStringList{u"app=a,a.config,la"_s, u"other=b,b.config,lb"_s} << QStringList()
        << QStringList{u"app@a:v1 a,a.config,shared,la a,a.config,la"_s,
                       u"other@b:v1 b,b.config,shared,lb b,b.config,lb"_s}
        << QStringList{u"shared 2 2"_s, u"la 1 1"_s, u"lb 1 1"_s};
    QTest::newRow("a mounted layer no manifest of the repository uses")
        << QStringList{u"push app a:v1 layers=l1"_s, u"upload other l1"_s, u"push other b:v1 layers=lb"_s}
        << QStringList{u"app 1 1"_s, u"other 1 1"_s}
        << QStringList{u"app=a,a.config,l1"_s, u"other=b,b.config,lb"_s}
        << QStringList{u"app=a,a.config,l1"_s, u"other=b,b.config,lb"_s} << QStringList()
        << QStringList{u"app@a:v1 a,a.config,l1 a,a.config,l1"_s, u"other@b:v1 b,b.config,lb b,b.config,lb"_s}
        << QStringList{u"l1 1 1"_s, u"lb 1 1"_s};
    QTest::newRow("a mounted layer both use")
        << QStringList{u"push app a:v1 layers=l1"_s, u"push other b:v1 layers=l1,lb"_s}
        << QStringList{u"app 1 1"_s, u"other 1 1"_s}
        << QStringList{u"app=a,a.config,l1"_s, u"other=b,b.config,l1,lb"_s}
        << QStringList{u"app=a,a.config"_s, u"other=b,b.config,lb"_s} << QStringList()
        << QStringList{u"app@a:v1 a,a.config,l1 a,a.config"_s, u"other@b:v1 b,b.config,l1,lb b,b.config,lb"_s}
        << QStringList{u"l1 2 2"_s, u"lb 1 1"_s};
    QTest::newRow("an index with children")
        << QStringList{u"push app x layers=lx,shared"_s, u"push app y layers=ly"_s,
                       u"index app i:latest children=x,y"_s, u"push other z:v1 layers=shared"_s}
        << QStringList{u"app 1 3"_s, u"other 1 1"_s}
        << QStringList{u"app=i,x,x.config,lx,shared,y,y.config,ly"_s, u"other=z,z.config,shared"_s}
        << QStringList{u"app=i,x,x.config,lx,y,y.config,ly"_s, u"other=z,z.config"_s} << QStringList()
        << QStringList{u"app@i:latest i,x,x.config,lx,shared,y,y.config,ly i,x,x.config,lx,y,y.config,ly"_s,
                       u"other@z:v1 z,z.config,shared z,z.config"_s}
        << QStringList{u"lx 1 1"_s, u"shared 2 2"_s, u"ly 1 1"_s};
    QTest::newRow("a referrer") << QStringList{u"push app a:v1"_s, u"push app sig config=empty subject=a"_s}
                                << QStringList{u"app 1 2"_s}
                                << QStringList{u"app=a,a.config,a.layer,sig,empty,sig.layer"_s}
                                << QStringList{u"app=a,a.config,a.layer,sig,empty,sig.layer"_s}
                                << QStringList()
                                << QStringList{u"app@a:v1 a,a.config,a.layer a,a.config,a.layer"_s,
                                               u"app@sig sig,empty,sig.layer sig,empty,sig.layer"_s}
                                << QStringList{u"a.layer 1 1"_s, u"sig.layer 1 1"_s};
    QTest::newRow("a deleted tag leaves its manifest stored")
        << QStringList{u"push app a:v1"_s, u"push app b:v2"_s, u"untag app v2"_s} << QStringList{u"app 1 2"_s}
        << QStringList{u"app=a,a.config,a.layer,b,b.config,b.layer"_s}
        << QStringList{u"app=a,a.config,a.layer,b,b.config,b.layer"_s} << QStringList()
        << QStringList{u"app@a:v1 a,a.config,a.layer a,a.config,a.layer"_s,
                       u"app@b b,b.config,b.layer b,b.config,b.layer"_s}
        << QStringList{u"a.layer 1 1"_s, u"b.layer 1 1"_s};
    QTest::newRow("an untagged manifest")
        << QStringList{u"push app a:v1"_s, u"push app b"_s, u"upload app stray"_s}
        << QStringList{u"app 1 2"_s} << QStringList{u"app=a,a.config,a.layer,b,b.config,b.layer"_s}
        << QStringList{u"app=a,a.config,a.layer,b,b.config,b.layer"_s} << QStringList{u"stray"_s}
        << QStringList{u"app@a:v1 a,a.config,a.layer a,a.config,a.layer"_s,
                       u"app@b b,b.config,b.layer b,b.config,b.layer"_s}
        << QStringList{u"a.layer 1 1"_s, u"b.layer 1 1"_s};
    QTest::newRow("a repository whose manifests were all deleted")
        << QStringList{u"push app a:v1 layers=shared"_s, u"push other b:v1 layers=shared,lb"_s,
                       u"remove other b"_s}
        << QStringList{u"app 1 1"_s} << QStringList{u"app=a,a.config,shared"_s}
        << QStringList{u"app=a,a.config,shared"_s} << QStringList{u"b"_s, u"b.config"_s, u"lb"_s}
        << QStringList{u"app@a:v1 a,a.config,shared a,a.config,shared"_s} << QStringList{u"shared 1 1"_s};
    QTest::newRow("a tagged child of an index")
        << QStringList{u"push app x:v1 layers=lx"_s, u"push app y layers=ly"_s,
                       u"index app i:latest children=x,y"_s}
        << QStringList{u"app 2 3"_s} << QStringList{u"app=i,x,x.config,lx,y,y.config,ly"_s}
        << QStringList{u"app=i,x,x.config,lx,y,y.config,ly"_s} << QStringList()
        << QStringList{u"app@i:latest i,x,x.config,lx,y,y.config,ly i,y,y.config,ly"_s,
                       u"app@x:v1 x,x.config,lx -"_s}
        << QStringList{u"lx 2 1"_s, u"ly 1 1"_s};
    QTest::newRow("one image in two repositories")
        << QStringList{u"push app a:v1"_s, u"push other a:latest"_s, u"push other o:v1"_s}
        << QStringList{u"app 1 1"_s, u"other 2 2"_s}
        << QStringList{u"app=a,a.config,a.layer"_s, u"other=a,a.config,a.layer,o,o.config,o.layer"_s}
        << QStringList{u"app="_s, u"other=o,o.config,o.layer"_s} << QStringList()
        << QStringList{u"app@a:v1 a,a.config,a.layer -"_s, u"other@a:latest a,a.config,a.layer -"_s,
                       u"other@o:v1 o,o.config,o.layer o,o.config,o.layer"_s}
        << QStringList{u"a.layer 2 2"_s, u"o.layer 1 1"_s};
}

void TestStorageStatistics::statistics()
{
    QFETCH(QStringList, steps);
    QFETCH(QStringList, repositories);
    QFETCH(QStringList, logical);
    QFETCH(QStringList, unique);
    QFETCH(QStringList, unreferenced);
    QFETCH(QStringList, images);
    QFETCH(QStringList, layers);
    build(steps);
    if (QTest::currentTestFailed())
        return;
    const auto index = openIndex();
    const auto statistics = statisticsOf(*index);
    QVERIFY(statistics);

    const auto logicalNames = namesByRepository(logical);
    const auto uniqueNames = namesByRepository(unique);
    QStringList found;
    for (const auto& repository : statistics->repositories)
        found.append(u"%1 %2 %3"_s.arg(QString::fromStdString(repository.name))
                         .arg(repository.tags)
                         .arg(repository.manifests));
    QCOMPARE(found, repositories);
    for (const auto& repository : statistics->repositories) {
        const QString name = QString::fromStdString(repository.name);
        const QStringList reached = logicalNames.at(name);
        const QStringList only = uniqueNames.at(name);
        for (const QString& blob : reached)
            QVERIFY2(m_scenario->isStored(blob), qPrintable(u"not a stored blob: "_s + blob));
        QCOMPARE(repository.blobs, std::uint64_t(reached.size()));
        QCOMPARE(repository.logicalBytes, m_scenario->sizeOf(reached));
        QCOMPARE(repository.uniqueBytes, m_scenario->sizeOf(only));
        QCOMPARE(repository.sharedBytes, repository.logicalBytes - repository.uniqueBytes);
        QVERIFY(repository.lastPush > std::chrono::system_clock::now() - 1h);
    }
    QCOMPARE(statistics->totals.unreferencedBytes, m_scenario->sizeOf(unreferenced));

    // Every image with its bytes, largest first in its repository and in the largest images.
    std::map<QString, QStringList> expectedImages;
    for (const QString& row : images)
        expectedImages[row.section(u' ', 0, 0)] = row.split(u' ').mid(1);
    QStringList foundImages;
    QStringList largest;
    for (const auto& repository : statistics->repositories) {
        for (std::size_t i = 0; i < repository.images.size(); ++i) {
            const auto& image = repository.images[i];
            const QString name = imageLabel(image, m_scenario->namesOf({image.digest}).constFirst());
            foundImages.append(name);
            QVERIFY2(expectedImages.contains(name), qPrintable(u"unexpected image "_s + name));
            const QStringList& blobs = expectedImages.at(name);
            QCOMPARE(image.repository, repository.name);
            QCOMPARE(image.bytes, m_scenario->sizeOf(namesIn(blobs.at(0))));
            QCOMPARE(image.uniqueBytes, m_scenario->sizeOf(namesIn(blobs.at(1))));
            const QString mediaType = QString::fromStdString(image.mediaType);
            QVERIFY(mediaType == media::OciManifest || mediaType == media::OciIndex);
            QVERIFY(image.pushed > std::chrono::system_clock::now() - 1h &&
                    image.pushed <= repository.lastPush);
            QVERIFY(i == 0 || repository.images[i - 1].bytes >= image.bytes);
        }
    }
    foundImages.sort();
    QStringList expectedNames;
    for (const auto& [name, blobs] : expectedImages)
        expectedNames.append(name);
    QCOMPARE(foundImages, expectedNames);
    QCOMPARE(statistics->largestImages.size(), std::size_t(images.size()));
    for (std::size_t i = 0; i < statistics->largestImages.size(); ++i) {
        const auto& image = statistics->largestImages[i];
        const auto* repository = statistics->repository(image.repository);
        QVERIFY(repository);
        QVERIFY(std::find(repository->images.begin(), repository->images.end(), image) !=
                repository->images.end());
        QVERIFY(i == 0 || statistics->largestImages[i - 1].bytes >= image.bytes);
    }

    QStringList foundLayers;
    for (std::size_t i = 0; i < statistics->largestLayers.size(); ++i) {
        const auto& layer = statistics->largestLayers[i];
        const QString name = m_scenario->namesOf({layer.digest}).constFirst();
        foundLayers.append(u"%1 %2 %3"_s.arg(name).arg(layer.images).arg(layer.repositories));
        QCOMPARE(layer.bytes, m_scenario->sizeOf({name}));
        QCOMPARE(QString::fromStdString(layer.mediaType), media::OciLayer);
        QVERIFY(i == 0 || statistics->largestLayers[i - 1].bytes >= layer.bytes);
    }
    foundLayers.sort();
    layers.sort();
    QCOMPARE(foundLayers, layers);

    const auto fresh = freshStatistics(registry());
    VERIFY_OK(fresh);
    COMPARE_STATISTICS(*statistics, *fresh);
}

void TestStorageStatistics::totalsMatchTheBlobFiles()
{
    build({u"push app a:v1 layers=shared,la"_s, u"push other b:v1 layers=shared,lb"_s,
           u"push app c layers=lc"_s, u"upload third stray"_s});
    if (QTest::currentTestFailed())
        return;
    const QByteArray partial = randomBytes(1234);
    for (const std::string repository : {"app", "incoming"}) {
        const auto uuid = registry().uploads().create(repository);
        VERIFY_OK(uuid);
        auto lease = registry().uploads().acquire(repository, *uuid);
        VERIFY_OK(lease);
        VERIFY_OK((*lease)->append(bytesOf(partial)));
    }

    const auto index = openIndex();
    const auto statistics = statisticsOf(*index);
    QVERIFY(statistics);
    std::uint64_t bytes = 0;
    const QStringList blobFiles = m_harness.files(registry::layout::blobsRoot());
    for (const QString& file : blobFiles) {
        const auto info = m_harness.driver().stat(file.toStdString());
        QVERIFY(info);
        bytes += info->size;
    }
    const auto& totals = statistics->totals;
    QCOMPARE(totals.blobs, std::uint64_t(blobFiles.size()));
    QCOMPARE(totals.bytesOnDisk, bytes);
    QCOMPARE(totals.repositories, std::uint64_t{2});
    QCOMPARE(totals.manifests, std::uint64_t{3});
    QCOMPARE(totals.tags, std::uint64_t{2});
    QCOMPARE(totals.unreferencedBytes, m_scenario->sizeOf({u"stray"_s}));
    QCOMPARE(totals.uploadSessions, std::uint64_t{2});
    QCOMPARE(totals.uploadBytes, std::uint64_t(2 * partial.size()));
}

void TestStorageStatistics::change(const QString& step)
{
    if (step != "collect"_L1)
        return build({step});
    registry::CollectionOptions options;
    options.deleteUntagged = true;
    options.gracePeriod = 0s;
    VERIFY_OK(registry::GarbageCollector(registry()).run(options));
}

void TestStorageStatistics::compareWithFresh(registry::StorageIndex& index, const QString& after)
{
    const auto statistics = statisticsOf(index);
    QVERIFY2(statistics, qPrintable(after));
    const auto fresh = freshStatistics(registry());
    VERIFY_OK(fresh);
    QVERIFY2(*statistics == *fresh, qPrintable(u"after "_s + after + u":\ngot\n"_s + describe(*statistics) +
                                               u"\nexpected\n"_s + describe(*fresh)));
}

void TestStorageStatistics::staysCorrectThroughChanges()
{
    build({u"push app a:v1 layers=shared,la"_s});
    if (QTest::currentTestFailed())
        return;
    const auto index = openIndex();
    const QList<QStringList> changes{
        {u"push other b:v1 layers=shared,lb"_s},
        {u"upload third l1"_s},
        {u"push third c:v1 layers=l1"_s, u"push third d:v2 layers=l1,ld"_s},
        {u"index app i:multi children=a"_s},
        {u"push app sig config=empty subject=a"_s},
        {u"untag app v1"_s},
        {u"untag app multi"_s},
        {u"collect"_s},
        {u"remove other b"_s},
        {u"collect"_s},
        {u"push other e:again layers=le"_s},
    };
    for (const QStringList& steps : changes) {
        for (const QString& step : steps)
            change(step);
        if (QTest::currentTestFailed())
            return;
        compareWithFresh(*index, steps.join(u"; "_s));
        if (QTest::currentTestFailed())
            return;
    }
}

void TestStorageStatistics::staysCorrectThroughRandomChanges_data()
{
    QTest::addColumn<quint32>("seed");
    for (const quint32 seed : {1u, 2u, 3u})
        QTest::addRow("seed %u", seed) << seed;
}

void TestStorageStatistics::staysCorrectThroughRandomChanges()
{
    QFETCH(quint32, seed);
    constexpr int steps = 30;
    auto index = openIndex();
    RandomSteps random(seed);
    QStringList taken;
    for (int i = 0; i < steps; ++i) {
        taken.append(random.next());
        change(taken.last());
        if (QTest::currentTestFailed())
            return;
        compareWithFresh(*index, taken.join(u"; "_s));
        if (QTest::currentTestFailed())
            return;
    }
    // Saved and loaded, it still equals a fresh reading, images and layers included.
    VERIFY_OK(index->close());
    index.reset();
    index = openIndex();
    compareWithFresh(*index, u"a clean stop and a start"_s);
}

void TestStorageStatistics::indexAfterRestart_data()
{
    // How berthd stopped: "clean" saves the index; "killed" does not; "unreadable" leaves a
    // damaged file; "older version" a file of another format version; "collected offline"
    // is what `berthd garbage-collect` does to it.
    QTest::addColumn<QString>("stop");
    QTest::addColumn<bool>("loaded"); // the saved index is used rather than rebuilt
    QTest::newRow("clean") << u"clean"_s << true;
    QTest::newRow("killed") << u"killed"_s << false;
    QTest::newRow("unreadable") << u"unreadable"_s << false;
    QTest::newRow("cut short") << u"cut short"_s << false;
    QTest::newRow("older version") << u"older version"_s << false;
    QTest::newRow("collected offline") << u"collected offline"_s << false;
}

void TestStorageStatistics::indexAfterRestart()
{
    QFETCH(QString, stop);
    QFETCH(bool, loaded);
    build({u"push app a:v1 layers=shared,la"_s, u"push other b:v1 layers=shared,lb"_s});
    if (QTest::currentTestFailed())
        return;
    auto index = openIndex();
    build({u"push app c:v2 layers=shared,lc"_s}); // applied from the change record
    const auto before = statisticsOf(*index);
    QVERIFY(before);
    const auto path = registry::layout::storageIndex();
    if (stop != "killed"_L1)
        VERIFY_OK(index->close());
    index.reset();
    auto& driver = m_harness.driver(); // until the restart
    if (stop == "unreadable"_L1) {
        QVERIFY(driver.putContent(path, "berth-storage-index 4\nrepository app one two\nend\n"));
    } else if (stop == "cut short"_L1) {
        auto text = driver.getContent(path);
        QVERIFY(text);
        QVERIFY(driver.putContent(path, text->substr(0, text->size() / 2)));
    } else if (stop == "older version"_L1) {
        auto text = driver.getContent(path);
        QVERIFY(text);
        QVERIFY(driver.putContent(path, "berth-storage-index 3" + text->substr(text->find('\n'))));
    } else if (stop == "collected offline"_L1) {
        VERIFY_OK(registry::StorageIndex::invalidate(driver));
    }
    QCOMPARE(bool(driver.stat(path)), stop != "killed"_L1 && stop != "collected offline"_L1);

    // Changed while berthd was stopped, by something that keeps no index: a repository
    // added, one with a new image and tag, one with its tag gone. A loaded index reads them
    // again, as a rebuilt one does. A blob rewritten in place changes no stamp: only a
    // rebuilt index sees it, which tells the two apart.
    QVERIFY(m_harness.restart());
    m_scenario = std::make_unique<Scenario>(registry());
    build({u"push third d:v1"_s, u"push app e:v9"_s, u"untag other v1"_s});
    if (QTest::currentTestFailed())
        return;
    const auto rewritten = before->largestLayers.front();
    const auto dataPath = registry::layout::blobData(rewritten.digest);
    auto data = m_harness.driver().getContent(dataPath);
    QVERIFY(data);
    QVERIFY(m_harness.driver().putContent(dataPath, *data + "rewritten"));
    const BlobSizes kept = loaded ? BlobSizes{{rewritten.digest, rewritten.bytes}} : BlobSizes{};
    index = openIndex();
    const auto statistics = statisticsOf(*index);
    QVERIFY(statistics);
    QVERIFY2(!m_harness.driver().stat(path), "a loaded index must remove its file until the next clean stop");
    const auto fresh = freshStatistics(registry(), kept);
    VERIFY_OK(fresh);
    QCOMPARE(statistics->totals.repositories, std::uint64_t{3});
    COMPARE_STATISTICS(*statistics, *fresh);
    const auto read = freshStatistics(registry());
    VERIFY_OK(read);
    QCOMPARE(*statistics == *read, !loaded);

    // Either way, changes from now on are applied: a repository that changed is read again.
    build({u"push third e:v2"_s});
    if (QTest::currentTestFailed())
        return;
    const auto after = statisticsOf(*index);
    QVERIFY(after);
    const auto freshAfter = freshStatistics(registry(), kept);
    VERIFY_OK(freshAfter);
    QCOMPARE(after->repository("third")->tags, std::uint64_t{2});
    COMPARE_STATISTICS(*after, *freshAfter);
}

void TestStorageStatistics::indexFileReadsBackEqual()
{
    // Media types and tags with what a line cannot hold as words, a blob the store lacks.
    const auto pushed = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764633600123));
    registry::StorageUsage usage;
    auto& blobs = usage.blobs;
    const auto number = [&blobs](const char* text) { return blobs.number(oci::Digest::ofBytes(text)); };
    const auto manifest = number("manifest");
    const auto layer = number("layer");
    const auto gone = number("gone");
    blobs.setSize(manifest, 10);
    blobs.setSize(layer, 2000);
    usage.repositories.emplace(
        "team/app", registry::RepositoryUsage{
                        2,
                        1,
                        pushed,
                        {manifest, layer, gone},
                        {{manifest, blobs.type("odd type%20 with\nlines"), {"a%b", "v1"}, pushed, {gone}}},
                        {{layer, blobs.type("")}}});
    registry::StorageStamps stamps{{3, 42, pushed}, {{"team/app", {5, 7, pushed}}}};
    const auto decoded = registry::decodeStorageIndex(registry::encodeStorageIndex(usage, stamps));
    QVERIFY(decoded);
    QVERIFY(decoded->usage == usage);
    QVERIFY(decoded->usage.blobs.digest(gone) == oci::Digest::ofBytes("gone"));
    QVERIFY(decoded->stamps.blobs == stamps.blobs);
    QVERIFY(decoded->stamps.repositories == stamps.repositories);
}

void TestStorageStatistics::compactionKeepsWhatIsInUse()
{
    build({u"push app a:v1 layers=shared,la"_s, u"push other b:v1 layers=shared,lb"_s});
    if (QTest::currentTestFailed())
        return;
    auto usage = freshUsage(registry());
    VERIFY_OK(usage);
    // A digest whose blob was deleted since, which nothing reaches, and one reached but
    // not in the store.
    auto& blobs = usage->blobs;
    const auto deleted = oci::Digest::ofBytes("deleted");
    blobs.setSize(blobs.number(deleted), std::nullopt);
    const auto missing = oci::Digest::ofBytes("missing");
    usage->repositories.at("app").blobs.push_back(blobs.number(missing));
    const auto before = registry::computeStatistics(*usage, {});

    const auto compact = registry::compacted(*usage);
    QCOMPARE(compact.blobs.count(), blobs.count() - 1);
    QVERIFY(!compact.blobs.find(deleted));
    QVERIFY(compact.blobs.find(missing));
    QCOMPARE(compact.blobs.stored(), blobs.stored());
    COMPARE_STATISTICS(registry::computeStatistics(compact, {}), before);
}

void TestStorageStatistics::blobTableNumbersEachDigestOnce_data()
{
    QTest::addColumn<bool>("sha512");
    QTest::newRow("sha256") << false;
    QTest::newRow("sha512") << true;
}

void TestStorageStatistics::blobTableNumbersEachDigestOnce()
{
    QFETCH(bool, sha512);
    const auto algorithm = sha512 ? oci::DigestAlgorithm::Sha512 : oci::DigestAlgorithm::Sha256;
    // Enough digests that the table grows several times.
    constexpr int digests = 1000;
    registry::BlobTable table;
    std::vector<oci::Digest> numbered;
    for (int i = 0; i < digests; ++i) {
        numbered.push_back(oci::Digest::ofBytes(std::to_string(i), algorithm));
        QCOMPARE(table.number(numbered.back()), registry::BlobNumber(i));
        if (i % 2 == 0)
            table.setSize(registry::BlobNumber(i), std::uint64_t(i));
    }
    QCOMPARE(table.count(), std::size_t(digests));
    QCOMPARE(table.stored(), std::size_t(digests / 2));
    for (int i = 0; i < digests; ++i) {
        const auto number = registry::BlobNumber(i);
        QCOMPARE(table.number(numbered[i]), number); // numbered once
        QCOMPARE(table.find(numbered[i]), std::optional(number));
        QVERIFY(table.digest(number) == numbered[i]);
        QCOMPARE(table.size(number), i % 2 == 0 ? std::optional(std::uint64_t(i)) : std::nullopt);
        if (i > 0)
            QCOMPARE(table.less(number - 1, number), numbered[i - 1] < numbered[i]);
    }
    QVERIFY(!table.find(oci::Digest::ofBytes("never numbered", algorithm)));
    table.setSize(0, std::nullopt);
    QCOMPARE(table.stored(), std::size_t(digests / 2 - 1));
}

void TestStorageStatistics::buildingAnswersAtOnce()
{
    // Many repositories, so that the build takes a while; state() answers throughout.
    constexpr int repositories = 60;
    QStringList steps;
    for (int i = 0; i < repositories; ++i)
        steps.append(u"push repo%1 image%1:v1 layers=shared"_s.arg(i));
    build(steps);
    if (QTest::currentTestFailed())
        return;
    registry::StorageIndex index(registry(), uploadsMaxAge);
    index.open();
    bool sawBuilding = false;
    std::uint64_t lastDone = 0;
    for (int polls = 0; polls < 100000; ++polls) {
        const auto state = index.state();
        VERIFY_OK(state);
        if (!state->building) {
            QVERIFY(state->statistics);
            QCOMPARE(state->statistics->totals.repositories, std::uint64_t{repositories});
            break;
        }
        sawBuilding = true;
        QVERIFY(state->total == 0 || state->total == repositories);
        QVERIFY(state->done >= lastDone && state->done <= repositories);
        lastDone = state->done;
        QVERIFY(!state->statistics);
    }
    QVERIFY(index.waitUntilOpen(openTimeout));
    if (!sawBuilding)
        qInfo("the build finished before the first poll");
}

void TestStorageStatistics::historySurvivesRestarts()
{
    build({u"push app a:v1"_s, u"push other b:v1 layers=big"_s});
    if (QTest::currentTestFailed())
        return;
    const auto index = openIndex();
    const auto statistics = statisticsOf(*index);
    QVERIFY(statistics);
    const auto start = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    {
        registry::StorageHistory history(m_harness.driver());
        VERIFY_OK(history.load());
        QVERIFY(history.since({}).empty());
        for (int i = 0; i < 3; ++i)
            VERIFY_OK(history.record(*statistics, start + std::chrono::minutes(i)));
    }
    QVERIFY(m_harness.restart());
    registry::StorageHistory history(m_harness.driver());
    VERIFY_OK(history.load());
    const auto samples = history.since({});
    QCOMPARE(samples.size(), std::size_t{3});
    for (std::size_t i = 0; i < samples.size(); ++i) {
        QVERIFY(samples[i].time == start + std::chrono::minutes(i));
        QVERIFY(samples[i].totals == statistics->totals);
        QCOMPARE(samples[i].repositories.size(), std::size_t{2});
        // Largest first.
        QVERIFY(samples[i].repositories[0].logicalBytes >= samples[i].repositories[1].logicalBytes);
        for (const auto& repository : samples[i].repositories) {
            const auto found = std::find_if(statistics->repositories.begin(), statistics->repositories.end(),
                                            [&](const auto& known) { return known.name == repository.name; });
            QVERIFY(found != statistics->repositories.end());
            QCOMPARE(repository.logicalBytes, found->logicalBytes);
            QCOMPARE(repository.uniqueBytes, found->uniqueBytes);
        }
    }
    QCOMPARE(history.since(start + 1min).size(), std::size_t{2});
    QCOMPARE(history.since(start + 1h).size(), std::size_t{0});

    // A damaged file is reported, and the history starts again.
    QVERIFY(m_harness.driver().putContent(registry::layout::storageHistory(), "not a history\n"));
    registry::StorageHistory damaged(m_harness.driver());
    QVERIFY(!damaged.load());
    QVERIFY(damaged.since({}).empty());
    VERIFY_OK(damaged.record(*statistics, start));
    QCOMPARE(damaged.since({}).size(), std::size_t{1});
}

void TestStorageStatistics::historyIsBounded()
{
    constexpr std::size_t maxSamples = 4;
    constexpr std::size_t perSample = 3;
    QStringList steps;
    for (std::size_t i = 0; i < perSample + 2; ++i)
        steps.append(u"push repo%1 image%1:v1"_s.arg(i));
    build(steps);
    if (QTest::currentTestFailed())
        return;
    const auto index = openIndex();
    const auto statistics = statisticsOf(*index);
    QVERIFY(statistics);
    const auto start = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    {
        registry::StorageHistory history(m_harness.driver(), maxSamples, perSample);
        for (int i = 0; i < 6; ++i)
            VERIFY_OK(history.record(*statistics, start + std::chrono::seconds(i)));
    }
    registry::StorageHistory history(m_harness.driver(), maxSamples, perSample);
    VERIFY_OK(history.load());
    const auto samples = history.since({});
    QCOMPARE(samples.size(), maxSamples);
    QVERIFY(samples.front().time == start + 2s); // the oldest went
    std::vector<std::uint64_t> sizes;
    for (const auto& repository : statistics->repositories)
        sizes.push_back(repository.logicalBytes);
    std::sort(sizes.rbegin(), sizes.rend());
    const auto& kept = samples.back().repositories;
    QCOMPARE(kept.size(), perSample);
    for (std::size_t i = 0; i < kept.size(); ++i)
        QCOMPARE(kept[i].logicalBytes, sizes[i]);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestStorageStatistics)
#include "TestStorageStatistics.moc"
