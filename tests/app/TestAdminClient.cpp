// AdminClient against a real berthd with its admin API open: server information, storage
// statistics read exactly as the API wrote them, the storage history, garbage collection
// jobs (a dry run that keeps the garbage, a collection that deletes it from disk, cancel),
// retention rules stored and read back, refused with the field named, previewed and run;
// and errors in words for a wrong token, a server that is not there and an unknown job.

#include "AdminServer.h"
#include "RegistryFixtures.h"
#include "app/AdminClient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTest>
#include <optional>

using namespace Qt::StringLiterals;
using berth::app::AdminClient;
using berth::app::RegistryError;
using berth::app::RegistryResult;

namespace berth::test {

namespace {

constexpr int answerTimeoutMs = 30000;

// Waits for the one answer of an AdminClient call: `call(context, done)`.
template <class T, class Call> RegistryResult<T> waitFor(Call call)
{
    std::optional<RegistryResult<T>> answer;
    QObject context;
    call(&context, [&answer](RegistryResult<T> result) { answer = std::move(result); });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, answerTimeoutMs))
        return unexpected(RegistryError{RegistryError::Kind::Network, u"no answer in time"_s, 0, {}});
    return *answer;
}

// Follows job `id` until it finishes; `fetch` is the client's call that asks for its status,
// such as AdminClient::collection.
template <class Job>
RegistryResult<Job> finishedJob(AdminClient& client, const QString& id,
                                void (AdminClient::*fetch)(const QString&, QObject*,
                                                           AdminClient::Callback<Job>))
{
    RegistryResult<Job> job = unexpected(RegistryError{});
    const bool finished = QTest::qWaitFor(
        [&] {
            job = waitFor<Job>(
                [&](QObject* context, auto done) { (client.*fetch)(id, context, std::move(done)); });
            return !job || job->progress.isFinished();
        },
        answerTimeoutMs);
    if (!finished)
        return unexpected(RegistryError{RegistryError::Kind::Server, u"the job did not finish"_s, 0, {}});
    return job;
}

RegistryResult<app::CollectionJob> finishedCollection(AdminClient& client, const QString& id)
{
    return finishedJob(client, id, &AdminClient::collection);
}

// Starts a preview of `rules` and follows it until it finishes.
RegistryResult<app::RetentionPreviewJob> finishedPreview(AdminClient& client,
                                                         const app::RetentionRules& rules)
{
    const auto id = waitFor<QString>(
        [&](QObject* context, auto done) { client.startRetentionPreview(rules, context, std::move(done)); });
    if (!id)
        return unexpected(id.error());
    return finishedJob(client, *id, &AdminClient::retentionPreview);
}

QString blobFile(RegistryProcess& process, const QString& digest)
{
    const QString hex = digest.section(u':', 1);
    return process.storageRoot() + u"/docker/registry/v2/blobs/sha256/"_s + hex.left(2) + u'/' + hex +
           u"/data"_s;
}

QString failure(const RegistryResult<void>& result)
{
    return result ? QString() : result.error().message;
}

} // namespace

class TestAdminClient : public QObject
{
    Q_OBJECT

private:
    QString startServer(const QByteArray& extraConfig = {})
    {
        m_server = std::make_unique<AdminServer>();
        if (QString error = m_server->start(randomToken("client-"), {}, {}, extraConfig); !error.isEmpty())
            return error;
        if (QString error = m_server->waitForAdmin(); !error.isEmpty())
            return error;
        m_client = std::make_unique<AdminClient>(QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->adminPort())),
                                                 m_server->token(), &m_network);
        return {};
    }

    QNetworkAccessManager m_network;
    std::unique_ptr<AdminServer> m_server;
    std::unique_ptr<AdminClient> m_client;

private Q_SLOTS:
    void init() { QVERIFY2(startServer().isEmpty(), "berthd with its admin API did not start"); }
    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void info()
    {
        const auto info = waitFor<app::AdminInfo>(
            [this](QObject* context, auto done) { m_client->info(context, std::move(done)); });
        QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
        QVERIFY(!info->version.isEmpty());
        QCOMPARE(info->storageDriver, u"filesystem"_s);
        QVERIFY(info->uptimeSeconds >= 0);
        QVERIFY(info->config.contains(u"<redacted>"_s)); // the admin token
        QVERIFY(!info->config.contains(QString::fromLatin1(m_server->token())));
        QVERIFY(info->disk.freeBytes.has_value());
        QVERIFY(!info->disk.underPressure);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<RegistryError::Kind>("kind");
        QTest::addColumn<QString>("words");
        QTest::newRow("wrong token") << u"token"_s << RegistryError::Kind::Unauthorized << u"admin token"_s;
        QTest::newRow("nothing listens")
            << u"port"_s << RegistryError::Kind::Network << u"connection refused"_s;
        QTest::newRow("unknown job") << u"job"_s << RegistryError::Kind::NotFound
                                     << u"no longer knows the job"_s;
        QTest::newRow("no such endpoint")
            << u"path"_s << RegistryError::Kind::Unsupported << u"does not offer"_s;
    }

    void errors()
    {
        QFETCH(QString, what);
        QFETCH(RegistryError::Kind, kind);
        QFETCH(QString, words);
        const QUrl admin(u"http://127.0.0.1:%1"_s.arg(m_server->adminPort()));
        AdminClient wrongToken(admin, "not-the-token", &m_network);
        AdminClient nowhere(QUrl(u"http://127.0.0.1:%1"_s.arg(RegistryProcess::freePort())),
                            m_server->token(), &m_network);
        // Below another path the server has no such endpoints, as an older berthd would not.
        AdminClient older(admin.resolved(QUrl(u"/older"_s)), m_server->token(), &m_network);
        RegistryError error;
        if (what == "job"_L1 || what == "path"_L1) {
            const auto job = waitFor<app::RetentionJob>([&](QObject* context, auto done) {
                (what == "job"_L1 ? *m_client : older)
                    .retentionRun(u"no-such-job"_s, context, std::move(done));
            });
            QVERIFY(!job);
            error = job.error();
        } else {
            const auto info = waitFor<app::AdminInfo>([&](QObject* context, auto done) {
                (what == "token"_L1 ? wrongToken : nowhere).info(context, std::move(done));
            });
            QVERIFY(!info);
            error = info.error();
        }
        QCOMPARE(error.kind, kind);
        QVERIFY2(error.message.contains(words), qPrintable(error.message));
    }

    // Every figure of GET /admin/v1/storage reaches the console as the API wrote it.
    void storageMatchesTheApi()
    {
        const Image first = makeImage(media::OciManifest, 2, 3000);
        Image second = makeImage(media::OciManifest, 1, 5000);
        second.layers.append(first.layers.first()); // shared by both repositories
        second.manifest =
            imageManifestJson(media::OciManifest, Descriptor::of(media::OciConfig, second.config),
                              {Descriptor::of(media::OciLayer, second.layers.at(0)),
                               Descriptor::of(media::OciLayer, second.layers.at(1))});
        QCOMPARE(pushImage(m_server->registry(), u"team/app"_s, first, u"v1"_s), QString());
        QCOMPARE(pushImage(m_server->registry(), u"team/web"_s, second, u"v1"_s), QString());
        QCOMPARE(pushBlob(m_server->registry(), u"team/web"_s, randomBytes(700)), QString()); // unreferenced

        const auto report = waitFor<app::StorageReport>(
            [this](QObject* context, auto done) { m_client->storage(context, std::move(done)); });
        QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
        const QJsonObject json = m_server->send("GET", u"/admin/v1/storage"_s).json().object();
        QVERIFY(!report->building);
        const QJsonObject totals = json.value("totals"_L1).toObject();
        QCOMPARE(report->totals.bytesOnDisk, totals.value("bytes_on_disk"_L1).toInteger());
        QCOMPARE(report->totals.blobs, totals.value("blobs"_L1).toInteger());
        QCOMPARE(report->totals.unreferencedBytes, totals.value("unreferenced_bytes"_L1).toInteger());
        QCOMPARE(report->totals.unreferencedBytes, 700);
        QCOMPARE(report->totals.repositories, 2);
        QCOMPARE(report->totals.tags, 2);
        const QJsonArray repositories = json.value("repositories"_L1).toArray();
        QCOMPARE(report->repositories.size(), repositories.size());
        for (qsizetype i = 0; i < repositories.size(); ++i) {
            const QJsonObject expected = repositories.at(i).toObject();
            const app::RepositoryStorage& repository = report->repositories.at(i);
            QCOMPARE(repository.name, expected.value("name"_L1).toString());
            QCOMPARE(repository.logicalBytes, expected.value("logical_bytes"_L1).toInteger());
            QCOMPARE(repository.uniqueBytes, expected.value("unique_bytes"_L1).toInteger());
            QCOMPARE(repository.sharedBytes, expected.value("shared_bytes"_L1).toInteger());
            QCOMPARE(repository.sharedBytes, first.layers.first().size());
            QCOMPARE(repository.tags, 1);
            QCOMPARE(repository.manifests, 1);
            QVERIFY(repository.lastPush.isValid());
        }
        QCOMPARE(report->disk.freeBytes.has_value(), true);

        // The largest images and layers, and a repository's images, as the API wrote them.
        QVERIFY(report->largestImages && report->largestLayers);
        const QJsonArray images = json.value("largest_images"_L1).toArray();
        QCOMPARE(report->largestImages->size(), images.size());
        QCOMPARE(images.size(), 2);
        for (qsizetype i = 0; i < images.size(); ++i) {
            const app::ImageStorage& image = report->largestImages->at(i);
            QCOMPARE(image.repository, images.at(i)["repository"_L1].toString());
            QCOMPARE(image.digest, images.at(i)["digest"_L1].toString());
            QCOMPARE(image.bytes, images.at(i)["bytes"_L1].toInteger());
            QCOMPARE(image.uniqueBytes, images.at(i)["unique_bytes"_L1].toInteger());
            QCOMPARE(image.sharedBytes(), first.layers.first().size());
            QCOMPARE(image.tags, QStringList{u"v1"_s});
        }
        QCOMPARE(report->largestLayers->size(), json.value("largest_layers"_L1).toArray().size());
        const auto shared = std::find_if(report->largestLayers->cbegin(), report->largestLayers->cend(),
                                         [&first](const app::LayerStorage& layer) {
                                             return layer.digest == sha256Digest(first.layers.first());
                                         });
        QVERIFY(shared != report->largestLayers->cend());
        QCOMPARE(shared->images, 2);
        QCOMPARE(shared->repositories, 2);

        const auto web = waitFor<app::RepositoryImages>([this](QObject* context, auto done) {
            m_client->repositoryImages(u"team/web"_s, context, std::move(done));
        });
        QVERIFY2(web, qPrintable(web ? QString() : web.error().message));
        QCOMPARE(web->name, u"team/web"_s);
        QCOMPARE(web->images.size(), 1);
        QCOMPARE(web->images.first().digest, sha256Digest(second.manifest));
        QCOMPARE(web->images.first().tags, QStringList{u"v1"_s});
        const auto unknown = waitFor<app::RepositoryImages>([this](QObject* context, auto done) {
            m_client->repositoryImages(u"no/such"_s, context, std::move(done));
        });
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().kind, RegistryError::Kind::NotFound);
        QVERIFY2(unknown.error().message.contains(u"no/such"_s), qPrintable(unknown.error().message));
    }

    void storageHistory()
    {
        QVERIFY(startServer("berth:\n  storage:\n    historyinterval: 1s\n").isEmpty());
        QCOMPARE(pushImage(m_server->registry(), u"grow/app"_s, makeImage(), u"v1"_s), QString());
        app::StorageHistory history;
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto answer = waitFor<app::StorageHistory>([this](QObject* context, auto done) {
                    m_client->storageHistory({}, context, std::move(done));
                });
                if (answer)
                    history = *answer;
                return answer && history.samples.size() >= 2 &&
                       history.samples.last().totals.repositories == 1;
            },
            answerTimeoutMs));
        QCOMPARE(history.interval.count(), 1);
        for (qsizetype i = 1; i < history.samples.size(); ++i)
            QVERIFY(history.samples.at(i - 1).time <= history.samples.at(i).time);
        QCOMPARE(history.samples.last().repositories.first().name, u"grow/app"_s);

        // `since` leaves out what came before.
        const QDateTime since = history.samples.last().time;
        const auto later = waitFor<app::StorageHistory>(
            [&](QObject* context, auto done) { m_client->storageHistory(since, context, std::move(done)); });
        QVERIFY(later);
        for (const app::StorageSample& sample : later->samples)
            QVERIFY(sample.time >= since.addMSecs(-999));
        QVERIFY(later->samples.size() < history.samples.size() + 3);
    }

    // A dry run lists the unreferenced blob and keeps it; the collection deletes it from disk.
    void collection()
    {
        const QByteArray orphan = randomBytes(4096);
        QCOMPARE(pushBlob(m_server->registry(), u"gc/app"_s, orphan), QString());
        QCOMPARE(pushImage(m_server->registry(), u"gc/app"_s, makeImage(), u"v1"_s), QString());
        const QString digest = sha256Digest(orphan);
        QVERIFY(QFile::exists(blobFile(m_server->process(), digest)));

        for (const bool dryRun : {true, false}) {
            const app::CollectionOptions options{dryRun, false, std::chrono::seconds(0)};
            const auto id = waitFor<QString>([&](QObject* context, auto done) {
                m_client->startCollection(options, context, std::move(done));
            });
            QVERIFY2(id, qPrintable(id ? QString() : id.error().message));
            const auto job = finishedCollection(*m_client, *id);
            QVERIFY2(job, qPrintable(job ? QString() : job.error().message));
            QCOMPARE(job->progress.state, app::JobProgress::State::Done);
            QCOMPARE(job->options.dryRun, dryRun);
            QVERIFY(job->result.has_value());
            QCOMPARE(job->result->blobsDeleted, QStringList{digest});
            QCOMPARE(job->result->bytesReclaimed, orphan.size());
            QCOMPARE(job->result->blobsKept, 3); // the image's manifest, config and layer
            QCOMPARE(QFile::exists(blobFile(m_server->process(), digest)), dryRun);
        }
    }

    void cancelCollection()
    {
        const auto id = waitFor<QString>(
            [this](QObject* context, auto done) { m_client->startCollection({}, context, std::move(done)); });
        QVERIFY(id);
        const auto cancelled = waitFor<void>(
            [&](QObject* context, auto done) { m_client->cancelCollection(*id, context, std::move(done)); });
        QVERIFY2(cancelled, qPrintable(failure(cancelled)));
        const auto job = finishedCollection(*m_client, *id);
        QVERIFY(job);
        // An empty store may be collected before the cancel arrives.
        QVERIFY(job->progress.state == app::JobProgress::State::Cancelled ||
                job->progress.state == app::JobProgress::State::Done);
    }

    void retentionRules()
    {
        app::RetentionRules rules;
        rules.protect = QStringList{u"latest"_s, u"release-*"_s};
        app::RetentionRule rule;
        rule.repositories = u"team/**"_s;
        rule.include = u"^v"_s;
        rule.exclude = u"-rc"_s;
        rule.keepMostRecent = 5;
        rule.keepHighestVersions = 3;
        rule.keepPushedWithinDays = 30;
        rule.untaggedOlderThanDays = 7;
        app::RetentionRule untagged;
        untagged.repositories = u"**"_s;
        untagged.untaggedOlderThanDays = 14;
        rules.rules = {rule, untagged};

        const auto before = waitFor<app::RetentionSettings>(
            [this](QObject* context, auto done) { m_client->retentionRules(context, std::move(done)); });
        QVERIFY2(before, qPrintable(before ? QString() : before.error().message));
        QCOMPARE(before->source, app::RetentionSettings::Source::None);
        QVERIFY(before->rules.rules.isEmpty());

        const auto stored = waitFor<app::RetentionSettings>([&](QObject* context, auto done) {
            m_client->setRetentionRules(rules, std::chrono::hours(6), context, std::move(done));
        });
        QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message));
        QCOMPARE(stored->schedule, std::optional<std::chrono::seconds>(std::chrono::hours(6)));
        QCOMPARE(stored->scheduleSource, app::RetentionSettings::Source::Data);
        QVERIFY(stored->nextRun > QDateTime::currentDateTimeUtc().addSecs(5 * 3600));
        QCOMPARE(stored->rules, rules);
        QCOMPARE(stored->source, app::RetentionSettings::Source::Data);
        const auto readBack = waitFor<app::RetentionSettings>(
            [this](QObject* context, auto done) { m_client->retentionRules(context, std::move(done)); });
        QVERIFY(readBack);
        QCOMPARE(readBack->rules, rules);
        QCOMPARE(readBack->schedule, stored->schedule);

        // Rules stored without a schedule leave it as it is; 0 turns it off.
        const auto unchanged = waitFor<app::RetentionSettings>([&](QObject* context, auto done) {
            m_client->setRetentionRules(rules, std::nullopt, context, std::move(done));
        });
        QVERIFY(unchanged);
        QCOMPARE(unchanged->schedule, stored->schedule);
        const auto off = waitFor<app::RetentionSettings>([&](QObject* context, auto done) {
            m_client->setRetentionRules(rules, std::chrono::seconds(0), context, std::move(done));
        });
        QVERIFY(off);
        QCOMPARE(off->schedule, std::optional<std::chrono::seconds>(0));
        QVERIFY(!off->nextRun.isValid());
    }

    void invalidRetentionRules_data()
    {
        QTest::addColumn<QString>("include");
        QTest::addColumn<QString>("repositories");
        QTest::addColumn<QString>("field");
        QTest::newRow("bad expression") << u"v(["_s << u"**"_s << u"rules[1].tags.include"_s;
        QTest::newRow("bad glob") << u"^v"_s << u"team/[a"_s << u"rules[1].repositories"_s;
        QTest::newRow("catastrophic backtracking") << u"(v+)+$"_s << u"**"_s << u"rules[1].tags.include"_s;
    }

    void invalidRetentionRules()
    {
        QFETCH(QString, include);
        QFETCH(QString, repositories);
        QFETCH(QString, field);
        app::RetentionRule good;
        good.keepMostRecent = 1;
        app::RetentionRule bad = good;
        bad.include = include;
        bad.repositories = repositories;
        const app::RetentionRules rules{{}, {good, bad}};
        const auto stored = waitFor<app::RetentionSettings>([&](QObject* context, auto done) {
            m_client->setRetentionRules(rules, std::nullopt, context, std::move(done));
        });
        QVERIFY(!stored);
        QVERIFY2(stored.error().message.contains(field), qPrintable(stored.error().message));
        const auto preview = waitFor<QString>([&](QObject* context, auto done) {
            m_client->startRetentionPreview(rules, context, std::move(done));
        });
        QVERIFY(!preview);
        QVERIFY2(preview.error().message.contains(field), qPrintable(preview.error().message));
    }

    // Rules not stored yet preview; stored, a run removes what the preview listed.
    void retentionPreviewAndRun()
    {
        const QStringList tags{u"v1.0.0"_s, u"v1.1.0"_s, u"v2.0.0"_s, u"v2.1.0"_s, u"latest"_s};
        for (const QString& tag : tags)
            QCOMPARE(pushImage(m_server->registry(), u"keep/app"_s, makeImage(), tag), QString());
        app::RetentionRule rule;
        rule.repositories = u"keep/**"_s;
        rule.include = u"^v"_s;
        rule.keepHighestVersions = 2;
        const app::RetentionRules rules{{u"latest"_s}, {rule}};

        const auto job = finishedPreview(*m_client, rules);
        QVERIFY2(job, qPrintable(job ? QString() : job.error().message));
        QCOMPARE(job->progress.state, app::JobProgress::State::Done);
        QCOMPARE(job->progress.total, 1); // repositories read
        QVERIFY(job->result.has_value());
        const auto& preview = job->result;
        // Stopping a preview that ended is no error; stopping an unknown one is.
        QVERIFY(waitFor<void>([&](QObject* context, auto done) {
            m_client->cancelRetentionPreview(job->progress.id, context, std::move(done));
        }));
        QVERIFY(!waitFor<void>([&](QObject* context, auto done) {
            m_client->cancelRetentionPreview(u"999"_s, context, std::move(done));
        }));
        QStringList deleted;
        for (const app::RetentionDecision& decision : preview->deletions) {
            QCOMPARE(decision.repository, u"keep/app"_s);
            QCOMPARE(decision.rule, std::optional<int>(0));
            QVERIFY(!decision.reason.isEmpty());
            QVERIFY(decision.digest.startsWith(u"sha256:"_s));
            deleted.append(decision.tag);
        }
        deleted.sort();
        QCOMPARE(deleted, (QStringList{u"v1.0.0"_s, u"v1.1.0"_s}));
        QCOMPARE(preview->kept.size(), 2); // "latest" is not among the tags the rule selects

        QVERIFY(waitFor<app::RetentionSettings>([&](QObject* context, auto done) {
            m_client->setRetentionRules(rules, std::nullopt, context, std::move(done));
        }));
        const auto id = waitFor<QString>(
            [this](QObject* context, auto done) { m_client->startRetentionRun(context, std::move(done)); });
        QVERIFY2(id, qPrintable(id ? QString() : id.error().message));
        const auto run = finishedJob(*m_client, *id, &AdminClient::retentionRun);
        QVERIFY2(run, qPrintable(run ? QString() : run.error().message));
        QCOMPARE(run->progress.state, app::JobProgress::State::Done);
        QCOMPARE(run->trigger, u"api"_s);
        QVERIFY(run->result.has_value());
        QCOMPARE(run->result->planned, 2);
        QCOMPARE(run->result->removed.size(), 2);
        const QJsonArray listed =
            m_server->registry().get(u"/v2/keep/app/tags/list"_s).json().object().value("tags"_L1).toArray();
        QStringList remaining;
        for (const auto& tag : listed)
            remaining.append(tag.toString());
        remaining.sort();
        QCOMPARE(remaining, (QStringList{u"latest"_s, u"v2.0.0"_s, u"v2.1.0"_s}));
    }
};

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestAdminClient)
#include "TestAdminClient.moc"
