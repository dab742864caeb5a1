// Listings over HTTP: tags/list and _catalog, their n/last pagination and Link headers.

#include "RegistryFixtures.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

QStringList stringList(const QJsonValue& value)
{
    QStringList list;
    for (const QJsonValue& item : value.toArray())
        list.append(item.toString());
    return list;
}

// The target of an RFC 8288 `Link: <url>; rel="next"` header, empty without one.
QString nextLink(const HttpResponse& response)
{
    static const QRegularExpression pattern(uR"(^<([^>]+)>;\s*rel="next"$)"_s);
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(response.header("Link")).trimmed());
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

class TestListingApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void tagsSorted();
    void tagsPage_data();
    void tagsPage();
    void tagsFollowLinks();
    void unknownRepositoryTags();
    void catalog();
    void catalogPages();

private:
    // A repository with one image under every tag of `tags`; returns its name.
    QString repositoryWithTags(const QStringList& tags);

    TestRegistry m_registry;
};

void TestListingApi::initTestCase()
{
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));
}

void TestListingApi::cleanup()
{
    QVERIFY2(m_registry.checkAfterTest(), "the registry stopped answering GET /v2/");
}

QString TestListingApi::repositoryWithTags(const QStringList& tags)
{
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"tags"_s);
    const Image image = makeImage();
    if (const QString error = pushImage(client, repo, image); !error.isEmpty()) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    for (const QString& tag : tags) {
        if (const QString error = pushManifest(client, repo, image.mediaType, image.manifest, tag); !error.isEmpty()) {
            qWarning("%s", qPrintable(error));
            return {};
        }
    }
    return repo;
}

void TestListingApi::tagsSorted()
{
    const QStringList tags{u"v2"_s, u"v10"_s, u"alpha"_s, u"1.0"_s, u"beta"_s, u"latest"_s, u"1.0-rc_1"_s};
    const QString repo = repositoryWithTags(tags);
    QVERIFY(!repo.isEmpty());

    const HttpResponse response = m_registry.client().get(u"/v2/%1/tags/list"_s.arg(repo));
    QCOMPARE(response.status, 200);
    const QJsonObject body = response.json().object();
    QCOMPARE(body.value("name"_L1).toString(), repo);
    QStringList expected = tags;
    expected.sort();
    const QStringList listed = stringList(body.value("tags"_L1));
    if (m_registry.isReference() && listed != expected) {
        QStringList sorted = listed;
        sorted.sort();
        QCOMPARE(sorted, expected);
        QSKIP("Distribution 2.8 lists tags in directory order, where the spec requires lexical order");
    }
    QCOMPARE(listed, expected);
}

void TestListingApi::tagsPage_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("link"); // 1 a next link, 0 none, -1 either

    // The repository has the tags a1 a2 b1 b2 c1.
    QTest::newRow("n=2") << u"n=2"_s << QStringList{u"a1"_s, u"a2"_s} << 1;
    QTest::newRow("n=2 after a2") << u"n=2&last=a2"_s << QStringList{u"b1"_s, u"b2"_s} << 1;
    QTest::newRow("last before n") << u"last=a2&n=2"_s << QStringList{u"b1"_s, u"b2"_s} << 1;
    QTest::newRow("n=2 after b2, the end") << u"n=2&last=b2"_s << QStringList{u"c1"_s} << 0;
    QTest::newRow("n equals the count") << u"n=5"_s << QStringList{u"a1"_s, u"a2"_s, u"b1"_s, u"b2"_s, u"c1"_s} << -1;
    QTest::newRow("n above the count") << u"n=100"_s << QStringList{u"a1"_s, u"a2"_s, u"b1"_s, u"b2"_s, u"c1"_s} << 0;
    QTest::newRow("n=0") << u"n=0"_s << QStringList{} << 0;
    QTest::newRow("last alone") << u"last=b1"_s << QStringList{u"b2"_s, u"c1"_s} << 0;
    QTest::newRow("last not a tag") << u"last=b"_s << QStringList{u"b1"_s, u"b2"_s, u"c1"_s} << 0;
    QTest::newRow("last after all") << u"last=z"_s << QStringList{} << 0;
}

void TestListingApi::tagsPage()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    QFETCH(int, link);
    const QString repo = repositoryWithTags({u"c1"_s, u"b2"_s, u"a1"_s, u"b1"_s, u"a2"_s});
    QVERIFY(!repo.isEmpty());

    const HttpResponse response = m_registry.client().get(u"/v2/%1/tags/list?%2"_s.arg(repo, query));
    QCOMPARE(response.status, 200);
    QStringList tags = stringList(response.json().object().value("tags"_L1));
    if (m_registry.isReference()) {
        // Distribution 2.8 lists tags in directory order and ignores n and last (v3 fixed both).
        tags.sort();
        if (tags.size() == 5 && expected.size() != 5)
            QSKIP("Distribution 2.8 ignores n and last on tags/list (pagination came in v3)");
    }
    QCOMPARE(tags, expected);
    if (link == 1)
        QVERIFY2(!nextLink(response).isEmpty(), response.header("Link").constData());
    else if (link == 0)
        QVERIFY2(!response.hasHeader("Link"), response.header("Link").constData());
}

void TestListingApi::tagsFollowLinks()
{
    QStringList all;
    for (int i = 0; i < 11; ++i)
        all.append(u"t%1"_s.arg(i, 2, 10, QLatin1Char('0')));
    const QString repo = repositoryWithTags(all);
    QVERIFY(!repo.isEmpty());

    QStringList collected;
    QString next = u"/v2/%1/tags/list?n=3"_s.arg(repo);
    for (int page = 0; !next.isEmpty(); ++page) {
        QVERIFY2(page < 10, "the links do not end");
        const HttpResponse response = m_registry.client().get(next);
        QCOMPARE(response.status, 200);
        const QStringList tags = stringList(response.json().object().value("tags"_L1));
        if (m_registry.isReference() && page == 0 && tags.size() == all.size())
            QSKIP("Distribution 2.8 ignores n and last on tags/list (pagination came in v3)");
        QVERIFY(tags.size() <= 3);
        collected += tags;
        next = nextLink(response);
    }
    QCOMPARE(collected, all);
}

void TestListingApi::unknownRepositoryTags()
{
    const HttpResponse response = m_registry.client().get(u"/v2/%1/tags/list"_s.arg(uniqueRepository(u"never"_s)));
    QCOMPARE(response.status, 404);
    QCOMPARE(response.errorCode(), QByteArrayLiteral("NAME_UNKNOWN"));
}

void TestListingApi::catalog()
{
    const QString prefix = uniqueRepository(u"catalog"_s);
    const QStringList repos{prefix + u"/zeta"_s, prefix + u"/alpha"_s, prefix + u"/mid/deep"_s};
    for (const QString& repo : repos)
        QCOMPARE(pushImage(m_registry.client(), repo, makeImage(), u"latest"_s), QString());

    const HttpResponse response = m_registry.client().get(u"/v2/_catalog"_s);
    QCOMPARE(response.status, 200);
    const QStringList listed = stringList(response.json().object().value("repositories"_L1));
    QStringList sorted = listed;
    sorted.sort();
    QCOMPARE(listed, sorted);
    QStringList expected = repos;
    expected.sort();
    QStringList mine;
    for (const QString& repo : listed) {
        if (repo.startsWith(prefix + u'/'))
            mine.append(repo);
    }
    QCOMPARE(mine, expected);
}

void TestListingApi::catalogPages()
{
    const QString prefix = uniqueRepository(u"catalog"_s);
    QStringList repos;
    for (int i = 1; i <= 5; ++i) {
        repos.append(u"%1/r%2"_s.arg(prefix).arg(i));
        QCOMPARE(pushImage(m_registry.client(), repos.last(), makeImage(), u"latest"_s), QString());
    }

    // `last` is the prefix itself, which sorts just before its own sub-repositories.
    const HttpResponse first = m_registry.client().get(
        u"/v2/_catalog?n=2&last=%1"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(prefix))));
    QCOMPARE(first.status, 200);
    QCOMPARE(stringList(first.json().object().value("repositories"_L1)), repos.mid(0, 2));
    const QString next = nextLink(first);
    QVERIFY2(!next.isEmpty(), first.header("Link").constData());

    const HttpResponse second = m_registry.client().get(next);
    QCOMPARE(second.status, 200);
    QCOMPARE(stringList(second.json().object().value("repositories"_L1)), repos.mid(2, 2));
    QVERIFY(!nextLink(second).isEmpty());

    const HttpResponse none = m_registry.client().get(u"/v2/_catalog?n=0"_s);
    QCOMPARE(none.status, 200);
    if (m_registry.isReference() && !stringList(none.json().object().value("repositories"_L1)).isEmpty())
        QSKIP("Distribution 2.8 treats n=0 on _catalog as no limit");
    QCOMPARE(stringList(none.json().object().value("repositories"_L1)), QStringList());
    QVERIFY(!none.hasHeader("Link"));
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestListingApi)
#include "TestListingApi.moc"
