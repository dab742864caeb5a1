// paginate() and Catalog::page(): the n/last windows that the catalog and tag lists share.

#include "registry/Catalog.h"
#include "registry/Layout.h"
#include "storage/InMemoryDriver.h"

#include <QStringList>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

std::vector<std::string> toStrings(const QStringList& list)
{
    std::vector<std::string> strings;
    for (const QString& item : list)
        strings.push_back(item.toStdString());
    return strings;
}

QStringList toStringList(const std::vector<std::string>& strings)
{
    QStringList list;
    for (const std::string& item : strings)
        list.append(QString::fromStdString(item));
    return list;
}

} // namespace

class TestPagination : public QObject
{
    Q_OBJECT

private slots:
    void paginate_data();
    void paginate();
    // The catalog's index cuts the same pages from the repositories in storage.
    void catalogPage_data() { paginate_data(); }
    void catalogPage();
};

void TestPagination::paginate_data()
{
    QTest::addColumn<QStringList>("all");
    QTest::addColumn<int>("limit"); // -1: no n
    QTest::addColumn<QString>("last");
    QTest::addColumn<QStringList>("items");
    QTest::addColumn<bool>("hasMore");

    const QStringList none;
    const QStringList abcd{u"a"_s, u"b"_s, u"c"_s, u"d"_s};
    QTest::newRow("empty") << none << -1 << QString() << none << false;
    QTest::newRow("empty, n=0") << none << 0 << QString() << none << false;
    QTest::newRow("empty, n=5") << none << 5 << QString() << none << false;
    QTest::newRow("empty, last") << none << -1 << u"a"_s << none << false;
    QTest::newRow("all") << abcd << -1 << QString() << abcd << false;
    QTest::newRow("n=0") << abcd << 0 << QString() << none << true;
    QTest::newRow("n=1") << abcd << 1 << QString() << QStringList{u"a"_s} << true;
    QTest::newRow("n=3") << abcd << 3 << QString() << QStringList{u"a"_s, u"b"_s, u"c"_s} << true;
    QTest::newRow("n=all") << abcd << 4 << QString() << abcd << false;
    QTest::newRow("n larger than all") << abcd << 100 << QString() << abcd << false;
    QTest::newRow("last before every entry") << abcd << -1 << u"0"_s << abcd << false;
    QTest::newRow("last is the first entry")
        << abcd << -1 << u"a"_s << QStringList{u"b"_s, u"c"_s, u"d"_s} << false;
    QTest::newRow("last between entries") << abcd << -1 << u"bb"_s << QStringList{u"c"_s, u"d"_s} << false;
    QTest::newRow("last is the last entry") << abcd << -1 << u"d"_s << none << false;
    QTest::newRow("last beyond every entry") << abcd << -1 << u"z"_s << none << false;
    QTest::newRow("last and n, more left") << abcd << 1 << u"a"_s << QStringList{u"b"_s} << true;
    QTest::newRow("last and n, exactly the rest")
        << abcd << 2 << u"b"_s << QStringList{u"c"_s, u"d"_s} << false;
    QTest::newRow("last between, n=0") << abcd << 0 << u"bb"_s << none << true;
    QTest::newRow("last beyond, n=0") << abcd << 0 << u"z"_s << none << false;

    // Repository names sort bytewise: '-' and '.' come before '/', so "a/b" follows "a-b".
    const QStringList names{u"a"_s, u"a-b"_s, u"a.b"_s, u"a/b"_s, u"a/b/c"_s, u"ab"_s};
    QTest::newRow("nested names after a") << names << 2 << u"a"_s << QStringList{u"a-b"_s, u"a.b"_s} << true;
    QTest::newRow("nested names after a.b")
        << names << 2 << u"a.b"_s << QStringList{u"a/b"_s, u"a/b/c"_s} << true;
    QTest::newRow("nested names after a/b/c") << names << 2 << u"a/b/c"_s << QStringList{u"ab"_s} << false;
    QTest::newRow("nested names after a/a")
        << names << -1 << u"a/a"_s << QStringList{u"a/b"_s, u"a/b/c"_s, u"ab"_s} << false;
}

void TestPagination::paginate()
{
    QFETCH(QStringList, all);
    QFETCH(int, limit);
    QFETCH(QString, last);
    QFETCH(QStringList, items);
    QFETCH(bool, hasMore);

    const auto page = registry::paginate(
        toStrings(all), limit < 0 ? std::nullopt : std::optional<std::size_t>(limit), last.toStdString());
    QCOMPARE(toStringList(page.items), items);
    QCOMPARE(page.hasMore, hasMore);
}

void TestPagination::catalogPage()
{
    QFETCH(QStringList, all);
    QFETCH(int, limit);
    QFETCH(QString, last);
    QFETCH(QStringList, items);
    QFETCH(bool, hasMore);

    storage::InMemoryDriver driver;
    const auto digest = oci::Digest::ofBytes("manifest");
    for (const QString& name : all)
        QVERIFY(driver.putContent(registry::layout::manifestRevisionLink(name.toStdString(), digest),
                                  digest.toString()));
    registry::StorageChanges changes;
    registry::Catalog catalog(driver, changes);
    const auto page =
        catalog.page(limit < 0 ? std::nullopt : std::optional<std::size_t>(limit), last.toStdString());
    QVERIFY(page);
    QCOMPARE(toStringList(page->items), items);
    QCOMPARE(page->hasMore, hasMore);
}

} // namespace berth::test

QTEST_APPLESS_MAIN(berth::test::TestPagination)
#include "TestPagination.moc"
