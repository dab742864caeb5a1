// The catalog's index of repository names: after every push, tag and manifest deletion and
// collection it lists what a fresh read of storage finds (what a restart loads), changes
// made while it is first read are not lost, and a restart lists the same; on both drivers.

#include "ForwardingDriver.h"
#include "StoreScenario.h"
#include "registry/Layout.h"

#include <QTest>
#include <chrono>
#include <memory>
#include <thread>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace berth::test {

namespace {

QStringList toStringList(const std::vector<std::string>& strings)
{
    QStringList list;
    for (const std::string& item : strings)
        list.append(QString::fromStdString(item));
    return list;
}

// The repositories as a catalog freshly read from `driver` lists them, or the error.
QStringList scanned(storage::StorageDriver& driver)
{
    registry::StorageChanges changes;
    registry::Catalog fresh(driver, changes);
    const auto names = fresh.repositories();
    return names ? toStringList(*names) : QStringList{QString::fromUtf8(describe(names.error()))};
}

QStringList listed(registry::Registry& registry)
{
    const auto names = registry.catalog().repositories();
    return names ? toStringList(*names) : QStringList{QString::fromUtf8(describe(names.error()))};
}

// Another driver's store, except that the first listing of one directory waits at a gate:
// a catalog held in the middle of its first read.
class HoldingDriver : public ForwardingDriver
{
public:
    HoldingDriver(storage::StorageDriver& inner, std::string heldPath)
        : ForwardingDriver(inner), m_heldPath(std::move(heldPath))
    {
    }

    Gate& gate() { return m_gate; }

    storage::StorageResult<std::vector<std::string>> list(std::string_view path) override
    {
        if (path == m_heldPath)
            m_gate.pass();
        return ForwardingDriver::list(path);
    }

private:
    std::string m_heldPath;
    Gate m_gate;
};

} // namespace

class TestCatalog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data() { addDriverRows(); }
    void init();
    void cleanup() { m_harness.close(); }

    void followsChanges_data();
    void followsChanges();
    void changesWhileFirstRead();
    void readInBackground();
    void backgroundReadStopsWithTheRegistry();

private:
    RegistryHarness m_harness;
};

void TestCatalog::init()
{
    QFETCH_GLOBAL(QString, driver);
    QVERIFY2(m_harness.open(driver), qPrintable(m_harness.errorString()));
}

void TestCatalog::followsChanges_data()
{
    // Scenario steps, and "collect": a collection with deleteUntagged and no grace period.
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QStringList>("repositories");

    QTest::newRow("pushes") << QStringList{u"push a x:v1"_s, u"push b/c y:v1"_s, u"push b z"_s,
                                           u"push a w:v2"_s}
                            << QStringList{u"a"_s, u"b"_s, u"b/c"_s};
    QTest::newRow("blobs alone make no repository")
        << QStringList{u"upload blobs x"_s, u"push a y:v1"_s} << QStringList{u"a"_s};
    QTest::newRow("untagged manifests keep a repository")
        << QStringList{u"push app x:v1"_s, u"untag app v1"_s} << QStringList{u"app"_s};
    QTest::newRow("deleting the last manifest removes it")
        << QStringList{u"push app x:v1"_s, u"push app y:v2"_s, u"push other z:v1"_s, u"remove app x"_s,
                       u"remove app y"_s}
        << QStringList{u"other"_s};
    QTest::newRow("a nested repository outlives its parent")
        << QStringList{u"push a x:v1"_s, u"push a/b y:v1"_s, u"remove a x"_s} << QStringList{u"a/b"_s};
    QTest::newRow("pushed again after being emptied")
        << QStringList{u"push app x:v1"_s, u"remove app x"_s, u"push app y:v2"_s} << QStringList{u"app"_s};
    QTest::newRow("a collection empties untagged repositories")
        << QStringList{u"push app x:v1"_s, u"push app/nested y:v1"_s, u"push other z:v1"_s,
                       u"untag app v1"_s,  u"untag other v1"_s,       u"push other w:v2"_s,
                       u"collect"_s}
        << QStringList{u"app/nested"_s, u"other"_s};
}

void TestCatalog::followsChanges()
{
    QFETCH(QStringList, steps);
    QFETCH(QStringList, repositories);

    QCOMPARE(listed(m_harness.registry()), QStringList()); // the index is read before the changes
    Scenario scenario(m_harness.registry());
    for (const QString& step : steps) {
        if (step == "collect"_L1) {
            registry::CollectionOptions options;
            options.deleteUntagged = true;
            options.gracePeriod = 0s;
            VERIFY_OK(registry::GarbageCollector(m_harness.registry()).run(options));
        } else {
            const QString failed = scenario.run(step);
            QVERIFY2(failed.isEmpty(), qPrintable(failed));
        }
        QVERIFY2(listed(m_harness.registry()) == scanned(m_harness.driver()), qPrintable(u"after "_s + step));
    }
    QCOMPARE(listed(m_harness.registry()), repositories);

    QVERIFY2(m_harness.restart(), qPrintable(m_harness.errorString()));
    QCOMPARE(listed(m_harness.registry()), repositories);
}

void TestCatalog::changesWhileFirstRead()
{
    // The first read has listed every repository and is held before it reads "m": "a" is
    // deleted behind it, "b" is pushed where it has been, "z" is deleted ahead of it.
    HoldingDriver holding(m_harness.driver(), registry::layout::repository("m"));
    registry::Registry held(holding, registry::RegistryOptions{});
    Scenario scenario(held);
    const QString built = scenario.run({u"push a x:v1"_s, u"push m y:v1"_s, u"push z w:v1"_s});
    QVERIFY2(built.isEmpty(), qPrintable(built));

    oci::Result<std::vector<std::string>> firstRead =
        unexpected(oci::Error{oci::ErrorCode::Internal, "not run"});
    std::thread reader([&] { firstRead = held.catalog().repositories(); });
    const bool wasHeld = holding.gate().waitUntilHeld(10s);
    const QString changed =
        wasHeld ? scenario.run({u"remove a x"_s, u"push b v:v1"_s, u"remove z w"_s}) : QString();
    holding.gate().release();
    reader.join();
    QVERIFY2(wasHeld, "the catalog never read the repositories tree");
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
    VERIFY_OK(firstRead);
    QCOMPARE(listed(held), (QStringList{u"b"_s, u"m"_s}));
    QCOMPARE(scanned(m_harness.driver()), (QStringList{u"b"_s, u"m"_s}));
}

void TestCatalog::readInBackground()
{
    Scenario scenario(m_harness.registry());
    const QString built = scenario.run({u"push a x:v1"_s, u"push b/c y:v1"_s, u"upload d z"_s});
    QVERIFY2(built.isEmpty(), qPrintable(built));
    QVERIFY2(m_harness.restart(), qPrintable(m_harness.errorString()));
    m_harness.registry().catalog().loadInBackground();
    QCOMPARE(listed(m_harness.registry()), (QStringList{u"a"_s, u"b/c"_s}));
}

void TestCatalog::backgroundReadStopsWithTheRegistry()
{
    // A registry destroyed while its catalog is read in the background waits for the read,
    // which ends without touching what is gone.
    Scenario scenario(m_harness.registry());
    const QString built = scenario.run({u"push a x:v1"_s, u"push m y:v1"_s, u"push z w:v1"_s});
    QVERIFY2(built.isEmpty(), qPrintable(built));
    HoldingDriver holding(m_harness.driver(), registry::layout::repository("m"));
    auto held = std::make_unique<registry::Registry>(holding, registry::RegistryOptions{});
    held->catalog().loadInBackground();
    const bool wasHeld = holding.gate().waitUntilHeld(10s);
    std::thread destroyer([&held] { held.reset(); }); // would hang, or crash, were the read not waited for
    holding.gate().release();
    destroyer.join();
    QVERIFY2(wasHeld, "the catalog never read the repositories tree");
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestCatalog)
#include "TestCatalog.moc"
