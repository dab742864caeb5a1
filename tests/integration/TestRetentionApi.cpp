// Retention through berthd's admin API, on a real process: rules stored through the API
// and read back (also after a restart, and over config.yml's), a preview that lists exactly
// the expected tags with their reasons, a run that removes exactly those while every other
// tag still pulls and logs each removal, bad rules refused with the rule and field named,
// the token, refusals when deletes are off or the registry is read-only, scheduled runs
// (from config.yml, and set, stopped and kept through the API), previews as background
// jobs, expressions that backtrack catastrophically, and a tag skopeo pushed.

#include "AdminServer.h"
#include "CommandRunner.h"
#include "RegistryFixtures.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <map>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int jobTimeoutMs = 20000;
constexpr int scheduleTimeoutMs = 30000;
constexpr int skopeoTimeoutMs = 90000;

// The rules most tests store: keep the highest v-version of each team repository, never
// touch "latest", and release candidates are not this rule's business.
QByteArray teamRules()
{
    const QJsonObject rule{{"repositories"_L1, u"team/**"_s},
                           {"tags"_L1, QJsonObject{{"include"_L1, u"^v"_s}, {"exclude"_L1, u"-rc"_s}}},
                           {"keep"_L1, QJsonObject{{"highest_versions"_L1, 1}}}};
    return QJsonDocument(QJsonObject{{"protect"_L1, QJsonArray{u"latest"_s}}, {"rules"_L1, QJsonArray{rule}}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject objectOf(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

// `rules` as PUT takes them, with schedule_seconds.
QByteArray withSchedule(const QByteArray& rules, int seconds)
{
    QJsonObject document = objectOf(rules);
    document.insert("schedule_seconds"_L1, seconds);
    return QJsonDocument(document).toJson(QJsonDocument::Compact);
}

// The JSON lines berthd printed whose msg is `message`.
QList<QJsonObject> logLines(const RegistryProcess& process, QLatin1StringView message)
{
    QList<QJsonObject> lines;
    for (const QByteArray& line : process.output().split('\n')) {
        const QJsonObject object = objectOf(line);
        if (object.value("msg"_L1).toString() == message)
            lines.append(object);
    }
    return lines;
}

// Images pushed by name, to write decisions with names instead of digests.
class Pushes
{
public:
    // Pushes image `name` (fresh on first use) to `repository` under `tag`.
    QString push(HttpClient& client, const QString& repository, const QString& name, const QString& tag)
    {
        auto found = m_images.find(name);
        if (found == m_images.end()) {
            found = m_images.emplace(name, makeImage()).first;
            m_names.emplace(found->second.digest(), name);
            return pushImage(client, repository, found->second, tag);
        }
        return pushManifest(client, repository, found->second.mediaType, found->second.manifest, tag);
    }
    // "repository:name:tag" steps, in order.
    QString pushAll(HttpClient& client, const QStringList& steps)
    {
        for (const QString& step : steps) {
            const QStringList parts = step.split(u':');
            if (QString error = push(client, parts.at(0), parts.at(1), parts.at(2)); !error.isEmpty())
                return step + u": "_s + error;
        }
        return {};
    }

    const Image& image(const QString& name) const { return m_images.at(name); }

    // "team/app:v1 (rule 0): reason" or "team/app@name: reason" for each decision, sorted.
    QStringList describe(const QJsonValue& decisions) const
    {
        QStringList lines;
        for (const QJsonValue& value : decisions.toArray()) {
            const QJsonObject decision = value.toObject();
            const QString digest = decision.value("digest"_L1).toString();
            QString line = decision.value("repository"_L1).toString();
            if (decision.contains("tag"_L1)) {
                line += u':' + decision.value("tag"_L1).toString();
            } else {
                const auto named = m_names.find(digest);
                line += u'@' + (named != m_names.end() ? named->second : digest);
            }
            if (decision.contains("rule"_L1))
                line += u" (rule %1)"_s.arg(decision.value("rule"_L1).toInt());
            lines.append(line + u": "_s + decision.value("reason"_L1).toString());
        }
        lines.sort();
        return lines;
    }

private:
    std::map<QString, Image> m_images;
    std::map<QString, QString> m_names; // digest -> name
};

} // namespace

class TestRetentionApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void rulesAreStoredAndSurviveARestart();
    void configRulesApplyUntilTheDataHasSome();
    void previewListsExactlyTheExpectedTagsAndARunRemovesThem();
    void badRulesAreRefusedAndTheOldOnesKept_data();
    void badRulesAreRefusedAndTheOldOnesKept();
    void tokenIsRequired_data();
    void tokenIsRequired();
    void runsAreRefusedWhereNothingMayBeDeleted_data();
    void runsAreRefusedWhereNothingMayBeDeleted();
    void scheduledRunsRemoveAndLog();
    void scheduleSetThroughTheApiRunsStopsAndIsKept();
    void previewsAreJobs();
    void catastrophicExpressionsFailTheJobNotTheServer();
    void tagPushedBySkopeo();

private:
    // Starts `server` with `extraConfig` and waits for its admin listener.
    QString start(AdminServer& server, const QByteArray& extraConfig = {});
    // PUT `rules`; what went wrong, or empty.
    QString store(AdminServer& server, const QByteArray& rules);
    // start(), then store(teamRules()).
    QString startWithTeamRules(AdminServer& server);
    // POST /admin/v1/retention/run, then the job once it has finished; empty on failure.
    QJsonObject run(AdminServer& server);
    // POST /admin/v1/retention/preview with `rules` (those in force when empty), then the
    // preview document once the job is done; empty (with a warning) when it failed.
    QJsonObject preview(AdminServer& server, const QByteArray& rules = {});
    // GET /admin/v1/retention without next_run, which moves with the clock.
    QJsonObject rulesInForce(AdminServer& server);
    // How many scheduled runs the server logged as finished.
    static qsizetype scheduledRuns(AdminServer& server);

    QTemporaryDir m_containers; // an empty registries.conf and registries.d for skopeo
};

void TestRetentionApi::initTestCase()
{
    if (RegistryProcess::kindFromEnvironment() != RegistryProcess::Kind::Berthd)
        QSKIP("the admin API is berthd's own");
    QVERIFY2(QFileInfo(RegistryProcess::berthdPath()).isExecutable(), "BERTHD must name the berthd binary");
    QVERIFY(m_containers.isValid());
    QVERIFY(QDir(m_containers.path()).mkpath(u"registries.d"_s));
    QFile registries(m_containers.filePath(u"registries.conf"_s));
    QVERIFY(registries.open(QIODevice::WriteOnly));
    registries.close();
    // Only fully qualified names, no mirrors: skopeo talks to the test's berthd alone.
    qputenv("CONTAINERS_REGISTRIES_CONF", registries.fileName().toLocal8Bit());
}

QString TestRetentionApi::start(AdminServer& server, const QByteArray& extraConfig)
{
    if (QString error = server.start(randomToken("admin-token-"), {}, {}, extraConfig); !error.isEmpty())
        return error;
    return server.waitForAdmin();
}

QString TestRetentionApi::store(AdminServer& server, const QByteArray& rules)
{
    const HttpResponse response = server.send("PUT", u"/admin/v1/retention"_s, rules);
    return response.status == 200 ? QString() : response.describe();
}

QString TestRetentionApi::startWithTeamRules(AdminServer& server)
{
    const QString error = start(server);
    return error.isEmpty() ? store(server, teamRules()) : error;
}

QJsonObject TestRetentionApi::run(AdminServer& server)
{
    return server.runJob(u"/admin/v1/retention/run"_s, {}, jobTimeoutMs);
}

QJsonObject TestRetentionApi::preview(AdminServer& server, const QByteArray& rules)
{
    const QJsonObject job = server.runJob(u"/admin/v1/retention/preview"_s, rules, jobTimeoutMs);
    if (job.value("state"_L1).toString() != "done"_L1)
        qWarning("retention preview did not finish: %s", QJsonDocument(job).toJson().constData());
    return job.value("result"_L1).toObject();
}

QJsonObject TestRetentionApi::rulesInForce(AdminServer& server)
{
    QJsonObject rules = server.send("GET", u"/admin/v1/retention"_s).json().object();
    rules.remove("next_run"_L1);
    return rules;
}

qsizetype TestRetentionApi::scheduledRuns(AdminServer& server)
{
    const auto finished = logLines(server.process(), "retention run finished"_L1);
    return std::count_if(finished.cbegin(), finished.cend(), [](const QJsonObject& line) {
        return line.value("trigger"_L1).toString() == "schedule"_L1;
    });
}

void TestRetentionApi::rulesAreStoredAndSurviveARestart()
{
    AdminServer server;
    QCOMPARE(start(server), QString());
    HttpResponse response = server.send("GET", u"/admin/v1/retention"_s);
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    QCOMPARE(response.json().object(),
             objectOf(R"({"source": "none", "schedule_seconds": 0, "schedule_source": "none",
                                                   "next_run": null, "protect": [], "rules": []})"));

    response = server.send("PUT", u"/admin/v1/retention"_s, teamRules());
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    QJsonObject expected = objectOf(teamRules());
    expected.insert("source"_L1, u"data"_s);
    expected.insert("schedule_seconds"_L1, 0);
    expected.insert("schedule_source"_L1, u"none"_s);
    expected.insert("next_run"_L1, QJsonValue::Null);
    QCOMPARE(response.json().object(), expected);
    QCOMPARE(server.send("GET", u"/admin/v1/retention"_s).json().object(), expected);

    // What GET answers can be PUT back as it is; its schedule is then stored too.
    response = server.send("PUT", u"/admin/v1/retention"_s, QJsonDocument(expected).toJson());
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    expected.insert("schedule_source"_L1, u"data"_s);
    QCOMPARE(response.json().object(), expected);

    QCOMPARE(start(server), QString());
    QCOMPARE(server.send("GET", u"/admin/v1/retention"_s).json().object(), expected);
    const QString stored = server.process().storageRoot() + u"/berth/retention-rules.json"_s;
    QVERIFY2(QFileInfo(stored).isFile(), qPrintable(stored));

    response = server.send("DELETE", u"/admin/v1/retention"_s);
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    QCOMPARE(response.json().object().value("source"_L1).toString(), u"none"_s);
    QVERIFY(!QFileInfo::exists(stored));
}

void TestRetentionApi::configRulesApplyUntilTheDataHasSome()
{
    AdminServer server;
    const QByteArray config = "berth:\n  retention:\n    schedule: 24h\n    protect: [stable]\n    rules:\n"
                              "      - repositories: \"scratch/*\"\n        untagged_older_than_days: 3\n";
    QCOMPARE(start(server, config), QString());
    const QJsonObject configured = objectOf(
        R"({"source": "config", "schedule_seconds": 86400, "schedule_source": "config", "protect": ["stable"],
        "rules": [{"repositories": "scratch/*", "untagged_older_than_days": 3}]})");
    QCOMPARE(rulesInForce(server), configured);

    QCOMPARE(store(server, teamRules()), QString());
    QCOMPARE(start(server, config), QString());
    const QJsonObject data = server.send("GET", u"/admin/v1/retention"_s).json().object();
    QCOMPARE(data.value("source"_L1).toString(), u"data"_s);
    QCOMPARE(data.value("rules"_L1), objectOf(teamRules()).value("rules"_L1));

    QVERIFY(server.send("DELETE", u"/admin/v1/retention"_s).status == 200);
    QCOMPARE(rulesInForce(server), configured);
}

void TestRetentionApi::previewListsExactlyTheExpectedTagsAndARunRemovesThem()
{
    AdminServer server;
    QCOMPARE(start(server), QString());
    Pushes pushes;
    const QString app = u"team/app"_s, tool = u"team/app/tool"_s, other = u"other/app"_s;
    QCOMPARE(
        pushes.pushAll(server.registry(), {app + u":a:v1.0.0"_s, app + u":b:v1.1.0"_s, app + u":c:v2.0.0"_s,
                                           app + u":d:v2.1.0-rc.1"_s, app + u":c:latest"_s, app + u":a:dev"_s,
                                           tool + u":e:v0.1.0"_s, tool + u":f:v0.2.0"_s,
                                           other + u":g:v1.0.0"_s, other + u":h:v0.9.0"_s}),
        QString());
    QCOMPARE(store(server, teamRules()), QString());

    // Sorted as the test sorts what it gets: '/' before ':' before '@'.
    const QStringList deleted{tool + u":v0.1.0 (rule 0): not the highest version"_s,
                              app + u":v1.0.0 (rule 0): not the highest version"_s,
                              app + u":v1.1.0 (rule 0): not the highest version"_s};
    const QStringList kept{tool + u":v0.2.0 (rule 0): the highest version"_s,
                           app + u":v2.0.0 (rule 0): the highest version"_s,
                           app + u"@a: digest shared with kept tag dev"_s};
    const QJsonObject plan = preview(server);
    const QByteArray planText = QJsonDocument(plan).toJson();
    QCOMPARE(plan.value("source"_L1).toString(), u"data"_s);
    QCOMPARE(pushes.describe(plan.value("delete"_L1)), deleted);
    QCOMPARE(pushes.describe(plan.value("keep"_L1)), kept);
    const QRegularExpression rfc3339(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"_s);
    QVERIFY2(rfc3339.match(plan.value("time"_L1).toString()).hasMatch(), planText.constData());
    for (const QJsonValue& value : plan.value("delete"_L1).toArray()) {
        const QJsonObject decision = value.toObject();
        QVERIFY2(rfc3339.match(decision.value("pushed"_L1).toString()).hasMatch(), planText.constData());
        const QString tag = decision.value("tag"_L1).toString();
        QCOMPARE(decision.value("digest"_L1).toString(),
                 pushes.image(tag == "v1.0.0"_L1   ? u"a"_s
                              : tag == "v1.1.0"_L1 ? u"b"_s
                                                   : u"e"_s)
                     .digest());
    }

    // A preview of rules in the body, before they are stored.
    const QJsonObject proposed = preview(server, R"({"rules": [{"repositories": ")" + other.toUtf8() +
                                                     R"(", "keep": {"highest_versions": 1}}]})");
    QCOMPARE(proposed.value("source"_L1).toString(), u"request"_s);
    QCOMPARE(pushes.describe(proposed.value("delete"_L1)),
             QStringList{other + u":v0.9.0 (rule 0): not the highest version"_s});

    const QJsonObject job = run(server);
    QCOMPARE(job.value("state"_L1).toString(), u"done"_s);
    QCOMPARE(job.value("trigger"_L1).toString(), u"api"_s);
    const QJsonObject result = job.value("result"_L1).toObject();
    QCOMPARE(result.value("planned"_L1).toInt(), 3);
    QCOMPARE(pushes.describe(result.value("removed"_L1)), deleted);
    QCOMPARE(result.value("skipped"_L1).toArray().size(), 0);

    // Exactly those went; every other tag still pulls, and the shared image too.
    const std::map<QString, QStringList> tagsLeft{
        {app, {u"dev"_s, u"latest"_s, u"v2.0.0"_s, u"v2.1.0-rc.1"_s}},
        {tool, {u"v0.2.0"_s}},
        {other, {u"v0.9.0"_s, u"v1.0.0"_s}}};
    const std::map<QString, QString> imageOf{
        {u"dev"_s, u"a"_s},    {u"latest"_s, u"c"_s}, {u"v2.0.0"_s, u"c"_s}, {u"v2.1.0-rc.1"_s, u"d"_s},
        {u"v0.2.0"_s, u"f"_s}, {u"v0.9.0"_s, u"h"_s}, {u"v1.0.0"_s, u"g"_s}};
    for (const auto& [repository, tags] : tagsLeft) {
        const HttpResponse list = server.registry().get(u"/v2/"_s + repository + u"/tags/list"_s);
        QStringList listed;
        for (const QJsonValue& tag : list.json().object().value("tags"_L1).toArray())
            listed.append(tag.toString());
        QCOMPARE(listed, tags);
        for (const QString& tag : tags) {
            const Image& image = pushes.image(imageOf.at(tag));
            const HttpResponse manifest =
                server.registry().get(manifestPath(repository, tag), {{"Accept", image.mediaType.toUtf8()}});
            QVERIFY2(manifest.status == 200 && manifest.body == image.manifest,
                     qPrintable(manifest.describe()));
            const HttpResponse config =
                server.registry().get(blobPath(repository, sha256Digest(image.config)));
            QVERIFY2(config.status == 200 && config.body == image.config, qPrintable(config.describe()));
        }
    }
    for (const QString& gone : {u"v1.0.0"_s, u"v1.1.0"_s}) {
        const HttpResponse manifest = server.registry().get(manifestPath(app, gone));
        QVERIFY2(manifest.status == 404 && manifest.errorCode() == "MANIFEST_UNKNOWN",
                 qPrintable(manifest.describe()));
    }

    // One log line per removed tag, naming it.
    QStringList logged;
    for (const QJsonObject& line : logLines(server.process(), "retention removed tag"_L1)) {
        logged.append(line.value("repository"_L1).toString() + u':' + line.value("tag"_L1).toString() + u' ' +
                      line.value("digest"_L1).toString() + u" rule "_s +
                      QString::number(line.value("rule"_L1).toInt()) + u' ' +
                      line.value("trigger"_L1).toString());
    }
    logged.sort();
    QCOMPARE(logged, (QStringList{tool + u":v0.1.0 "_s + pushes.image(u"e"_s).digest() + u" rule 0 api"_s,
                                  app + u":v1.0.0 "_s + pushes.image(u"a"_s).digest() + u" rule 0 api"_s,
                                  app + u":v1.1.0 "_s + pushes.image(u"b"_s).digest() + u" rule 0 api"_s}));

    // Nothing more to do.
    const QJsonObject again = preview(server);
    QVERIFY(again.value("delete"_L1).isArray());
    QCOMPARE(again.value("delete"_L1).toArray().size(), 0);
}

void TestRetentionApi::badRulesAreRefusedAndTheOldOnesKept_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("detail"); // the start of the error's detail

    QTest::newRow("negative count")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {"most_recent": 1}},
                                    {"repositories": "b", "keep": {"most_recent": -2}}]})")
        << u"rules[1].keep.most_recent: must be a whole number of at least 0, got -2"_s;
    QTest::newRow("bad glob")
        << QByteArray(R"({"rules": [{"repositories": "team/[x", "keep": {"most_recent": 1}}]})")
        << u"rules[0].repositories: bad glob"_s;
    QTest::newRow("bad regular expression")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"include": "v(("}, "keep": {"most_recent": 1}}]})")
        << u"rules[0].tags.include: bad regular expression"_s;
    QTest::newRow("unknown field")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {"most_recent": 1}, "older_than": 3}]})")
        << u"rules[0].older_than: unknown field"_s;
    QTest::newRow("bad protected pattern")
        << QByteArray(R"({"protect": ["["]})") << u"protect[0]: bad glob"_s;
    QTest::newRow("not JSON") << QByteArray("rules: []") << u"not valid JSON"_s;
    QTest::newRow("a list") << QByteArray("[]") << u"expected an object"_s;
    QTest::newRow("catastrophic backtracking")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"include": "(a+)+$"}, "keep": {"most_recent": 1}}]})")
        << u"rules[0].tags.include: bad regular expression \"(a+)+$\": matching \"aaaa"_s;
    QTest::newRow("negative schedule") << QByteArray(R"({"rules": [], "schedule_seconds": -1})")
                                       << u"schedule_seconds: must be a whole number of at least 0, got -1"_s;
    QTest::newRow("schedule beyond a century")
        << QByteArray(R"({"rules": [], "schedule_seconds": 3153600001})")
        << u"schedule_seconds: must be at most 3153600000, got 3153600001"_s;
}

void TestRetentionApi::badRulesAreRefusedAndTheOldOnesKept()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, detail);
    AdminServer server;
    QCOMPARE(startWithTeamRules(server), QString());
    const QJsonObject before = server.send("GET", u"/admin/v1/retention"_s).json().object();

    for (const QString& path : {u"/admin/v1/retention"_s, u"/admin/v1/retention/preview"_s}) {
        const HttpResponse response = server.send(path.endsWith("preview"_L1) ? "POST" : "PUT", path, body);
        QVERIFY2(response.status == 400, qPrintable(response.describe()));
        QCOMPARE(checkErrorBody(response), QString());
        const QString got =
            response.json().object().value("errors"_L1)[0].toObject().value("detail"_L1).toString();
        QVERIFY2(got.startsWith(detail), qPrintable(got));
    }
    QCOMPARE(server.send("GET", u"/admin/v1/retention"_s).json().object(), before);
}

void TestRetentionApi::tokenIsRequired_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::newRow("GET rules") << QByteArray("GET") << u"/admin/v1/retention"_s;
    QTest::newRow("PUT rules") << QByteArray("PUT") << u"/admin/v1/retention"_s;
    QTest::newRow("DELETE rules") << QByteArray("DELETE") << u"/admin/v1/retention"_s;
    QTest::newRow("preview") << QByteArray("POST") << u"/admin/v1/retention/preview"_s;
    QTest::newRow("run") << QByteArray("POST") << u"/admin/v1/retention/run"_s;
    QTest::newRow("a run's state") << QByteArray("GET") << u"/admin/v1/retention/run/1"_s;
    QTest::newRow("a preview's state") << QByteArray("GET") << u"/admin/v1/retention/preview/1"_s;
    QTest::newRow("cancel a preview") << QByteArray("DELETE") << u"/admin/v1/retention/preview/1"_s;
}

void TestRetentionApi::tokenIsRequired()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    AdminServer server;
    QCOMPARE(startWithTeamRules(server), QString());
    for (const HttpClient::Headers& headers : {HttpClient::Headers{}, bearer("not-the-token")}) {
        const HttpResponse response = server.admin().send(
            method, path, method == "PUT" ? QByteArray(R"({"rules": []})") : QByteArray(), headers);
        QVERIFY2(response.status == 401, qPrintable(response.describe()));
        QCOMPARE(response.header("WWW-Authenticate"), QByteArray(R"(Bearer realm="berthd-admin")"));
    }
    QCOMPARE(server.send("GET", u"/admin/v1/retention"_s).json().object().value("source"_L1).toString(),
             u"data"_s);
    QCOMPARE(logLines(server.process(), "retention run finished"_L1).size(), 0);
}

void TestRetentionApi::runsAreRefusedWhereNothingMayBeDeleted_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("putStatus");
    QTest::newRow("deletes disabled")
        << u"REGISTRY_STORAGE_DELETE_ENABLED"_s << u"deletes are disabled on this registry"_s << 200;
    QTest::newRow("read-only") << u"REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED"_s
                               << u"the registry is in read-only mode"_s << 405;
}

void TestRetentionApi::runsAreRefusedWhereNothingMayBeDeleted()
{
    QFETCH(QString, variable);
    QFETCH(QString, message);
    QFETCH(int, putStatus);
    AdminServer server;
    QCOMPARE(start(server), QString());
    Pushes pushes;
    const QString app = u"team/app"_s;
    QCOMPARE(pushes.pushAll(server.registry(), {app + u":a:v1.0.0"_s, app + u":b:v2.0.0"_s}), QString());
    QCOMPARE(store(server, teamRules()), QString());

    server.process().setEnvironmentVariable(variable,
                                            variable.contains("READONLY"_L1) ? u"true"_s : u"false"_s);
    QCOMPARE(start(server, "berth:\n  retention:\n    schedule: 1s\n"), QString());
    const HttpResponse refused = server.send("POST", u"/admin/v1/retention/run"_s);
    QVERIFY2(refused.status == 405 && refused.errorCode() == "UNSUPPORTED", qPrintable(refused.describe()));
    QCOMPARE(refused.json().object().value("errors"_L1)[0].toObject().value("message"_L1).toString(),
             message);
    QVERIFY2(refused.body.contains("previews work"), refused.body.constData());
    const HttpResponse stored = server.send("PUT", u"/admin/v1/retention"_s, teamRules());
    QVERIFY2(stored.status == putStatus, qPrintable(stored.describe()));
    // A schedule would only fail: refused as runs are.
    const HttpResponse scheduled =
        server.send("PUT", u"/admin/v1/retention"_s, withSchedule(teamRules(), 60));
    QVERIFY2(scheduled.status == 405 && scheduled.errorCode() == "UNSUPPORTED",
             qPrintable(scheduled.describe()));

    // Previews still work; the schedule is off, and says so once.
    QCOMPARE(pushes.describe(preview(server).value("delete"_L1)),
             QStringList{app + u":v1.0.0 (rule 0): not the highest version"_s});
    QCOMPARE(
        server.send("GET", u"/admin/v1/retention"_s).json().object().value("schedule_seconds"_L1).toInt(-1),
        0);
    const auto off = logLines(server.process(), "scheduled retention runs off"_L1);
    QCOMPARE(off.size(), 1);
    QCOMPARE(off.first().value("reason"_L1).toString(), message);
    QCOMPARE(logLines(server.process(), "retention run finished"_L1).size(), 0);
    const HttpResponse tag = server.registry().get(manifestPath(app, u"v1.0.0"_s));
    QVERIFY2(tag.status == 200, qPrintable(tag.describe()));
}

// Rules from config.yml run every second: the newest tag stays, each older one is removed
// and logged, while tags are still being pushed.
void TestRetentionApi::scheduledRunsRemoveAndLog()
{
    AdminServer server;
    const QString app = u"scheduled/app"_s;
    const QByteArray config = "berth:\n  retention:\n    schedule: 1s\n    rules:\n      - repositories: \"" +
                              app.toUtf8() + "\"\n        keep: {most_recent: 1}\n";
    QCOMPARE(start(server, config), QString());
    Pushes pushes;
    // In name order, so that equal push times (a coarse file system clock) rank the same way.
    QCOMPARE(pushes.pushAll(server.registry(), {app + u":a:t1"_s, app + u":b:t2"_s, app + u":c:t3"_s}),
             QString());

    const auto removed = [&] {
        QStringList tags;
        for (const QJsonObject& line : logLines(server.process(), "retention removed tag"_L1)) {
            if (line.value("trigger"_L1).toString() == "schedule"_L1)
                tags.append(line.value("tag"_L1).toString());
        }
        tags.sort();
        return tags;
    };
    QTRY_COMPARE_WITH_TIMEOUT(removed(), (QStringList{u"t1"_s, u"t2"_s}), scheduleTimeoutMs);
    const HttpResponse list = server.registry().get(u"/v2/"_s + app + u"/tags/list"_s);
    QCOMPARE(list.json().object().value("tags"_L1).toArray(), QJsonArray{u"t3"_s});
    for (const QJsonObject& line : logLines(server.process(), "retention removed tag"_L1)) {
        QCOMPARE(line.value("repository"_L1).toString(), app);
        QCOMPARE(line.value("rule"_L1).toInt(-1), 0);
        QCOMPARE(line.value("reason"_L1).toString(), u"not the most recently pushed"_s);
        QCOMPARE(line.value("digest"_L1).toString(),
                 pushes.image(line.value("tag"_L1).toString() == "t1"_L1 ? u"a"_s : u"b"_s).digest());
    }
    QVERIFY(!logLines(server.process(), "retention run finished"_L1).isEmpty());
}

// A schedule PUT through the API applies at once, with no restart: runs every second remove
// and log, 0 stops them, and the schedule stays through a restart, over config.yml's.
void TestRetentionApi::scheduleSetThroughTheApiRunsStopsAndIsKept()
{
    AdminServer server;
    QCOMPARE(start(server), QString());
    const QString app = u"scheduled/app"_s;
    const QByteArray rules =
        R"({"rules": [{"repositories": ")" + app.toUtf8() + R"(", "keep": {"most_recent": 1}}]})";
    Pushes pushes;
    QCOMPARE(pushes.pushAll(server.registry(), {app + u":a:t1"_s, app + u":b:t2"_s, app + u":c:t3"_s}),
             QString());
    QCOMPARE(store(server, rules), QString());
    QCOMPARE(scheduledRuns(server), 0);

    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    HttpResponse response = server.send("PUT", u"/admin/v1/retention"_s, withSchedule(rules, 1));
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    QJsonObject settings = response.json().object();
    QCOMPARE(settings.value("schedule_seconds"_L1).toInt(), 1);
    QCOMPARE(settings.value("schedule_source"_L1).toString(), u"data"_s);
    const QDateTime nextRun = QDateTime::fromString(settings.value("next_run"_L1).toString(), Qt::ISODate);
    QVERIFY2(nextRun >= before && nextRun <= before.addSecs(10),
             qPrintable(settings.value("next_run"_L1).toString()));

    const auto removed = [&server] {
        QStringList tags;
        for (const QJsonObject& line : logLines(server.process(), "retention removed tag"_L1))
            tags.append(line.value("tag"_L1).toString() + u' ' + line.value("trigger"_L1).toString());
        tags.sort();
        return tags;
    };
    QTRY_COMPARE_WITH_TIMEOUT(removed(), (QStringList{u"t1 schedule"_s, u"t2 schedule"_s}),
                              scheduleTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(scheduledRuns(server) >= 2, scheduleTimeoutMs); // again and again

    // 0 stops them: at most the run going when it was set still ends.
    response = server.send("PUT", u"/admin/v1/retention"_s, withSchedule(rules, 0));
    QVERIFY2(response.status == 200, qPrintable(response.describe()));
    QCOMPARE(response.json().object().value("next_run"_L1), QJsonValue(QJsonValue::Null));
    const qsizetype runsWhenStopped = scheduledRuns(server);
    QTest::qWait(3000);
    const qsizetype runsAfterwards = scheduledRuns(server);
    QVERIFY2(runsAfterwards <= runsWhenStopped + 1,
             qPrintable(u"%1 runs, then %2"_s.arg(runsWhenStopped).arg(runsAfterwards)));
    QCOMPARE(pushes.push(server.registry(), app, u"d"_s, u"t4"_s), QString());
    QTest::qWait(3000);
    QCOMPARE(scheduledRuns(server), runsAfterwards);
    QCOMPARE(server.registry().get(manifestPath(app, u"t3"_s)).status, 200);

    // Kept through a restart, and over config.yml's schedule; the first run is due at start.
    QCOMPARE(store(server, withSchedule(rules, 3600)), QString());
    const qsizetype runsBeforeRestart = scheduledRuns(server); // berthd's output accumulates
    QCOMPARE(start(server, "berth:\n  retention:\n    schedule: 24h\n"), QString());
    settings = rulesInForce(server);
    QCOMPARE(settings.value("schedule_seconds"_L1).toInt(), 3600);
    QCOMPARE(settings.value("schedule_source"_L1).toString(), u"data"_s);
    QTRY_COMPARE_WITH_TIMEOUT(removed(), (QStringList{u"t1 schedule"_s, u"t2 schedule"_s, u"t3 schedule"_s}),
                              scheduleTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(scheduledRuns(server), runsBeforeRestart + 1, scheduleTimeoutMs);

    // Forgetting the stored rules brings config.yml's schedule back.
    response = server.send("DELETE", u"/admin/v1/retention"_s);
    QCOMPARE(response.json().object().value("schedule_seconds"_L1).toInt(), 86400);
    QCOMPARE(response.json().object().value("schedule_source"_L1).toString(), u"config"_s);
}

// A preview runs as a job like a run: 202 and where to watch it, progress over the
// repositories, the preview document as its result; stopping one that ended changes
// nothing, unknown ids are 404.
void TestRetentionApi::previewsAreJobs()
{
    AdminServer server;
    QCOMPARE(startWithTeamRules(server), QString());
    Pushes pushes;
    QCOMPARE(pushes.pushAll(server.registry(), {u"team/a:a:v1.0.0"_s, u"team/a:b:v2.0.0"_s,
                                                u"team/b:c:v1.0.0"_s, u"other/c:d:v1.0.0"_s}),
             QString());

    const HttpResponse started = server.send("POST", u"/admin/v1/retention/preview"_s);
    QVERIFY2(started.status == 202, qPrintable(started.describe()));
    const QString id = started.json().object().value("id"_L1).toString();
    QCOMPARE(QString::fromUtf8(started.header("Location")), u"/admin/v1/retention/preview/"_s + id);
    QJsonObject job;
    QTRY_VERIFY_WITH_TIMEOUT(
        (job = server.send("GET", u"/admin/v1/retention/preview/"_s + id).json().object())
                .value("state"_L1)
                .toString() != "running"_L1,
        jobTimeoutMs);
    QCOMPARE(job.value("state"_L1).toString(), u"done"_s);
    QCOMPARE(job.value("phase"_L1).toString(), u"done"_s);
    QCOMPARE(job.value("total"_L1).toInt(), 3); // repositories
    QCOMPARE(job.value("done"_L1).toInt(), 3);
    const QJsonObject result = job.value("result"_L1).toObject();
    QCOMPARE(QStringList(result.keys()), (QStringList{u"delete"_s, u"keep"_s, u"source"_s, u"time"_s}));
    QCOMPARE(pushes.describe(result.value("delete"_L1)),
             QStringList{u"team/a:v1.0.0 (rule 0): not the highest version"_s});

    HttpResponse cancelled = server.send("DELETE", u"/admin/v1/retention/preview/"_s + id);
    QCOMPARE(cancelled.status, 202);
    QCOMPARE(server.send("GET", u"/admin/v1/retention/preview/"_s + id)
                 .json()
                 .object()
                 .value("state"_L1)
                 .toString(),
             u"done"_s);
    for (const QByteArray& method : {QByteArray("GET"), QByteArray("DELETE")}) {
        const HttpResponse unknown = server.send(method, u"/admin/v1/retention/preview/999"_s);
        QVERIFY2(unknown.status == 404 && unknown.errorCode() == "NAME_UNKNOWN",
                 qPrintable(unknown.describe()));
    }
    const HttpResponse wrongMethod = server.send("PUT", u"/admin/v1/retention/preview"_s);
    QCOMPARE(wrongMethod.status, 405);
}

// "(.*a){25}" passes the probes of validation but tries every way of placing 25 a's in a
// tag of 24: Boost.Regex gives up within its bound, so the preview and the run fail at once,
// naming the rule and the tag, and the registry answers meanwhile.
void TestRetentionApi::catastrophicExpressionsFailTheJobNotTheServer()
{
    AdminServer server;
    QCOMPARE(start(server), QString());
    const QString tag(24, u'a');
    Pushes pushes;
    QCOMPARE(pushes.pushAll(server.registry(), {u"app:a:v1"_s, QString(u"app:b:"_s + tag)}), QString());
    QCOMPARE(
        store(
            server,
            R"({"rules": [{"repositories": "app", "tags": {"include": "(.*a){25}"}, "keep": {"most_recent": 0}}]})"),
        QString());

    QElapsedTimer timer;
    timer.start();
    const QString expected =
        u"invalid retention rules: rules[0].tags.include: matching \"%1\" (24 characters) exceeded the complexity bound"_s
            .arg(tag);
    for (const QString& jobs : {u"/admin/v1/retention/preview"_s, u"/admin/v1/retention/run"_s}) {
        const QJsonObject job = server.runJob(jobs, {}, jobTimeoutMs);
        QCOMPARE(job.value("state"_L1).toString(), u"failed"_s);
        QVERIFY2(job.value("error"_L1).toString().startsWith(expected),
                 qPrintable(job.value("error"_L1).toString()));
        QVERIFY(!job.contains("result"_L1));
        const HttpResponse alive = server.registry().get(u"/v2/"_s);
        QCOMPARE(alive.status, 200);
    }
    QVERIFY2(timer.elapsed() < 10000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
    const auto failed = logLines(server.process(), "retention run failed"_L1);
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().value("error"_L1).toString().startsWith(expected),
             qPrintable(failed.first().value("error"_L1).toString()));
    const HttpResponse list = server.registry().get(u"/v2/app/tags/list"_s);
    QCOMPARE(list.json().object().value("tags"_L1).toArray().size(), 2);
}

// skopeo pushes a tag (copying an image already in berthd under a new name), and the
// rules judge it like any other.
void TestRetentionApi::tagPushedBySkopeo()
{
    if (QStandardPaths::findExecutable(u"skopeo"_s).isEmpty())
        QSKIP("skopeo is not installed (Debian package skopeo)");
    AdminServer server;
    QCOMPARE(start(server), QString());
    Pushes pushes;
    const QString app = u"team/app"_s;
    QCOMPARE(pushes.pushAll(server.registry(), {app + u":a:v1.0.0"_s, app + u":b:v1.1.0"_s}), QString());
    const QString registry = u"docker://"_s + server.process().hostPort() + u'/';
    const FinishedCommand copied =
        runCommand(u"skopeo"_s,
                   {u"--registries.d"_s, m_containers.filePath(u"registries.d"_s), u"--insecure-policy"_s,
                    u"copy"_s, u"--src-tls-verify=false"_s, u"--dest-tls-verify=false"_s,
                    u"--preserve-digests"_s, registry + app + u":v1.0.0"_s, registry + app + u":v3.0.0"_s},
                   skopeoTimeoutMs);
    QVERIFY2(copied.succeeded(), qPrintable(copied.describe()));

    const QJsonObject previewed = preview(server, R"({"rules": [{"repositories": ")" + app.toUtf8() +
                                                      R"(", "keep": {"highest_versions": 1}}]})");
    QCOMPARE(pushes.describe(previewed.value("delete"_L1)),
             (QStringList{app + u":v1.0.0 (rule 0): not the highest version"_s,
                          app + u":v1.1.0 (rule 0): not the highest version"_s}));
    QCOMPARE(pushes.describe(previewed.value("keep"_L1)),
             (QStringList{app + u":v3.0.0 (rule 0): the highest version"_s,
                          app + u"@a: digest shared with kept tag v3.0.0"_s}));
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestRetentionApi)
#include "TestRetentionApi.moc"
