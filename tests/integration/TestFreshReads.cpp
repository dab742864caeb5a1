// berthd answers tags lists and manifest reads from memory (a tag index per repository,
// manifest bytes by digest); each test first reads what it is about to change, so that it
// is held, then checks that the change shows at once: pushes and deletes through the API,
// garbage collection and retention through the admin API, and the offline collector run
// while berthd serves read-only.

#include "AdminServer.h"
#include "CommandRunner.h"
#include "RegistryFixtures.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int commandTimeoutMs = 30000;

QStringList tagsOf(HttpClient& client, const QString& repository, const QString& query = {})
{
    const HttpResponse response = client.get(withQuery(u"/v2/%1/tags/list"_s.arg(repository), query));
    if (response.status != 200)
        return {response.describe()};
    QStringList tags;
    for (const QJsonValue& tag : response.json().object().value("tags"_L1).toArray())
        tags.append(tag.toString());
    return tags;
}

// The status of GET and of HEAD of a manifest, "GET/HEAD", e.g. "200/200".
QString manifestStatus(HttpClient& client, const QString& repository, const QString& reference)
{
    const HttpClient::Headers accept{{"Accept", QByteArray(media::OciManifest.data())}};
    const QString path = manifestPath(repository, reference);
    return u"%1/%2"_s.arg(client.get(path, accept).status).arg(client.head(path, accept).status);
}

} // namespace

class TestFreshReads : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void apiChangesShowAtOnce();
    void collectionShowsAtOnce();
    void retentionShowsAtOnce();
    void offlineCollectionShowsAtOnce();

private:
    HttpClient& client() { return m_server.registry(); }

    AdminServer m_server{false};
};

void TestFreshReads::initTestCase()
{
    if (RegistryProcess::kindFromEnvironment() != RegistryProcess::Kind::Berthd)
        QSKIP("berthd's own caches, changed through its admin API");
    QVERIFY2(QFileInfo(RegistryProcess::berthdPath()).isExecutable(), "BERTHD must name the berthd binary");
    QCOMPARE(m_server.start(randomToken("admin-token-")), QString());
    QCOMPARE(m_server.waitForAdmin(), QString());
}

void TestFreshReads::cleanup()
{
    if (QTest::currentTestFailed())
        printOutputTail(m_server.process());
}

void TestFreshReads::apiChangesShowAtOnce()
{
    const QString repo = uniqueRepository(u"fresh-api"_s);
    const Image image = makeImage();
    const Image other = makeImage();
    QCOMPARE(pushImage(client(), repo, image, u"b1"_s), QString());
    QCOMPARE(tagsOf(client(), repo), QStringList{u"b1"_s});
    QCOMPARE(manifestStatus(client(), repo, u"b1"_s), u"200/200"_s);

    QCOMPARE(pushManifest(client(), repo, image.mediaType, image.manifest, u"a1"_s), QString());
    QCOMPARE(pushImage(client(), repo, other, u"c1"_s), QString());
    QCOMPARE(tagsOf(client(), repo), (QStringList{u"a1"_s, u"b1"_s, u"c1"_s}));
    QCOMPARE(tagsOf(client(), repo, u"n=1&last=a1"_s), QStringList{u"b1"_s});

    // A tag moved serves its new manifest at once.
    QCOMPARE(pushManifest(client(), repo, other.mediaType, other.manifest, u"b1"_s), QString());
    const HttpResponse moved = client().get(manifestPath(repo, u"b1"_s));
    QCOMPARE(moved.status, 200);
    QCOMPARE(moved.body, other.manifest);

    QCOMPARE(client().send("DELETE", manifestPath(repo, u"a1"_s)).status, 202);
    QCOMPARE(tagsOf(client(), repo), (QStringList{u"b1"_s, u"c1"_s}));
    QCOMPARE(manifestStatus(client(), repo, u"a1"_s), u"404/404"_s);
    QCOMPARE(manifestStatus(client(), repo, image.digest()), u"200/200"_s);

    QCOMPARE(client().send("DELETE", manifestPath(repo, other.digest())).status, 202);
    QCOMPARE(tagsOf(client(), repo), QStringList());
    QCOMPARE(manifestStatus(client(), repo, other.digest()), u"404/404"_s);
    QCOMPARE(manifestStatus(client(), repo, u"c1"_s), u"404/404"_s);

    QCOMPARE(pushManifest(client(), repo, other.mediaType, other.manifest, u"d1"_s), QString());
    QCOMPARE(tagsOf(client(), repo), QStringList{u"d1"_s});
    QCOMPARE(manifestStatus(client(), repo, other.digest()), u"200/200"_s);
}

void TestFreshReads::collectionShowsAtOnce()
{
    const QString repo = uniqueRepository(u"fresh-gc"_s);
    const Image tagged = makeImage();
    const Image untagged = makeImage();
    QCOMPARE(pushImage(client(), repo, tagged, u"latest"_s), QString());
    QCOMPARE(pushImage(client(), repo, untagged), QString());
    QCOMPARE(tagsOf(client(), repo), QStringList{u"latest"_s});
    QCOMPARE(manifestStatus(client(), repo, untagged.digest()), u"200/200"_s);

    const QJsonObject job =
        m_server.runJob(u"/admin/v1/gc"_s, R"({"delete_untagged":true,"grace_period_seconds":0})");
    QCOMPARE(job.value("state"_L1).toString(), u"done"_s);
    QCOMPARE(manifestStatus(client(), repo, untagged.digest()), u"404/404"_s);
    QCOMPARE(manifestStatus(client(), repo, u"latest"_s), u"200/200"_s);
    QCOMPARE(tagsOf(client(), repo), QStringList{u"latest"_s});
}

void TestFreshReads::retentionShowsAtOnce()
{
    const QString repo = uniqueRepository(u"fresh-retention"_s);
    const QStringList tags{u"1.0.1"_s, u"1.0.2"_s, u"1.0.3"_s};
    for (const QString& tag : tags)
        QCOMPARE(pushImage(client(), repo, makeImage(), tag), QString());
    QCOMPARE(tagsOf(client(), repo), tags);
    for (const QString& tag : tags)
        QCOMPARE(manifestStatus(client(), repo, tag), u"200/200"_s);

    const QJsonObject rule{{"repositories"_L1, repo}, {"keep"_L1, QJsonObject{{"highest_versions"_L1, 1}}}};
    const QByteArray rules =
        QJsonDocument(QJsonObject{{"rules"_L1, QJsonArray{rule}}}).toJson(QJsonDocument::Compact);
    QCOMPARE(m_server.send("PUT", u"/admin/v1/retention"_s, rules).status, 200);
    const QJsonObject job = m_server.runJob(u"/admin/v1/retention/run"_s);
    QCOMPARE(m_server.send("DELETE", u"/admin/v1/retention"_s).status, 200);
    QCOMPARE(job.value("state"_L1).toString(), u"done"_s);
    QCOMPARE(tagsOf(client(), repo), QStringList{u"1.0.3"_s});
    QCOMPARE(manifestStatus(client(), repo, u"1.0.1"_s), u"404/404"_s);
    QCOMPARE(manifestStatus(client(), repo, u"1.0.2"_s), u"404/404"_s);
    QCOMPARE(manifestStatus(client(), repo, u"1.0.3"_s), u"200/200"_s);
}

void TestFreshReads::offlineCollectionShowsAtOnce()
{
    // Distribution's rule for its offline collector: the registry is stopped or read-only.
    RegistryProcess registry;
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient writer(registry.baseUrl());
    const QString repo = uniqueRepository(u"fresh-offline"_s);
    const Image tagged = makeImage();
    const Image untagged = makeImage();
    QCOMPARE(pushImage(writer, repo, tagged, u"latest"_s), QString());
    QCOMPARE(pushImage(writer, repo, untagged), QString());
    registry.setStorageConfig("  maintenance:\n    readonly:\n      enabled: true\n");
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient reader(registry.baseUrl());
    QCOMPARE(tagsOf(reader, repo), QStringList{u"latest"_s});
    QCOMPARE(manifestStatus(reader, repo, untagged.digest()), u"200/200"_s);
    QCOMPARE(manifestStatus(reader, repo, u"latest"_s), u"200/200"_s);

    const FinishedCommand collected =
        runCommand(RegistryProcess::berthdPath(),
                   {u"garbage-collect"_s, registry.configPath(), u"--delete-untagged"_s}, commandTimeoutMs);
    QVERIFY2(collected.succeeded(), qPrintable(collected.describe()));
    QCOMPARE(manifestStatus(reader, repo, untagged.digest()), u"404/404"_s);
    QCOMPARE(manifestStatus(reader, repo, u"latest"_s), u"200/200"_s);
    QCOMPARE(tagsOf(reader, repo), QStringList{u"latest"_s});
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestFreshReads)
#include "TestFreshReads.moc"
