// berthd as a process: its command line, its log lines, /healthz, shutdown on SIGTERM and
// on stdin closing, start-up failures, and the read-only and upload-purging modes. These
// are properties of the berthd binary, so this always runs berthd, whatever
// BERTH_TEST_REGISTRY says.

#include "CommandRunner.h"
#include "RegistryFixtures.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonParseError>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr auto berthd = RegistryProcess::Kind::Berthd;
constexpr qsizetype kibibyte = 1024;
constexpr qsizetype mebibyte = 1024 * kibibyte;

using Finished = FinishedCommand;

// Runs berthd with `arguments` to completion; kills it after `timeoutMs`.
Finished runBerthd(const QStringList& arguments, int timeoutMs = 10000)
{
    return runCommand(RegistryProcess::berthdPath(), arguments, timeoutMs);
}

QByteArray yamlQuoted(const QString& path)
{
    return '"' + path.toUtf8().replace('\\', "\\\\").replace('"', "\\\"") + '"';
}

// A valid config.yml with the filesystem driver at `root`, listening on 127.0.0.1:`port`;
// http is the last section, so lines such as "  draintimeout: 5s" can be appended to it.
QByteArray configFor(const QString& root, quint16 port)
{
    return "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + yamlQuoted(root) +
           "\nhttp:\n  addr: 127.0.0.1:" + QByteArray::number(port) + "\n";
}

// Reads `process`'s stdout until its "listening" log line and returns the port in its addr,
// 0 when it does not come within `timeoutMs`.
quint16 waitForListening(QProcess& process, int timeoutMs = 10000)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        while (process.canReadLine()) {
            const QJsonObject line = QJsonDocument::fromJson(process.readLine()).object();
            if (line.value("msg"_L1).toString() == "listening"_L1)
                return quint16(line.value("addr"_L1).toString().section(u':', -1).toUInt());
        }
        if (process.state() == QProcess::NotRunning)
            return 0;
        process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return 0;
}

// A fresh connection to `registry` gets 200 for GET /v2/.
bool answersGetV2(const RegistryProcess& registry)
{
    const QByteArray request = rawRequest("GET", "/v2/", registry.hostPort(), {{"Connection", "close"}});
    return parseRawResponse(sendRawRequest(registry.port(), request)).status == 200;
}

// An OCI error body with a code and a non-empty message.
bool isOciError(const HttpResponse& response, const QByteArray& code)
{
    const QJsonArray errors = response.json().object().value("errors"_L1).toArray();
    return response.errorCode() == code && !errors.isEmpty() &&
           !errors.first().toObject().value("message"_L1).toString().isEmpty();
}

} // namespace

class TestServerProcess : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void version();
    void help();
    void commandLineErrors_data();
    void commandLineErrors();
    void configCheckValid();
    void configCheckInvalid_data();
    void configCheckInvalid();
    void serveRefusesInvalidConfig_data();
    void serveRefusesInvalidConfig();

    void logLinesAreJson();
    void healthFollowsStorage_data();
    void healthFollowsStorage();
    void sigtermDrainsRequestsInFlight();
    void pipelinedReadsAndWrites_data();
    void pipelinedReadsAndWrites();
    void connectionPersistence_data();
    void connectionPersistence();
    void slowBodyWithinIdleTimeout();
    void pullLeavesTheLoopToOthers();
    void pullFromDisk_data();
    void pullFromDisk();
    void exitOnStdinClose();
    void portInUse();
    void readOnlyServesPulls();
    void readOnlyRefusesWrites_data();
    void readOnlyRefusesWrites();
    void uploadPurging();

private:
    // Writes `content` to a new file in the test's directory and returns its path.
    QString writeFile(const QString& name, const QByteArray& content);
    // A berthd for the current test function; cleanup() stops it.
    RegistryProcess& newRegistry();
    // Starts (or restarts, after a crash) the read-only berthd the read-only tests share.
    bool startReadOnly();
    void checkReadOnlyPulls();

    QTemporaryDir m_dir;
    std::unique_ptr<RegistryProcess> m_registry;
    std::unique_ptr<RegistryProcess> m_readOnly;
    QString m_readOnlyRepo;
    Image m_readOnlyImage;
    QString m_readOnlyUpload; // path and query of an upload session
};

void TestServerProcess::initTestCase()
{
    QVERIFY2(QFileInfo(RegistryProcess::berthdPath()).isExecutable(), "BERTHD is not set to an executable");
    QVERIFY(m_dir.isValid());
}

void TestServerProcess::cleanup()
{
    if (QTest::currentTestFailed()) {
        if (m_registry)
            printOutputTail(*m_registry);
        else if (m_readOnly)
            printOutputTail(*m_readOnly);
    }
    m_registry.reset();
}

RegistryProcess& TestServerProcess::newRegistry()
{
    m_registry = std::make_unique<RegistryProcess>(berthd);
    return *m_registry;
}

QString TestServerProcess::writeFile(const QString& name, const QByteArray& content)
{
    QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestServerProcess::version()
{
    const Finished run = runBerthd({u"--version"_s});
    QVERIFY2(run.exited && run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.out, QByteArray("berthd " BERTH_VERSION "\n"));
    QCOMPARE(run.err, QByteArray());
}

void TestServerProcess::help()
{
    const Finished run = runBerthd({u"--help"_s});
    QVERIFY2(run.exited && run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(run.out.contains("serve") && run.out.contains("config check"), run.out.constData());
    // Every config key is listed.
    QVERIFY2(run.out.contains("storage.delete.enabled"), run.out.constData());
}

void TestServerProcess::commandLineErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");

    QTest::newRow("unknown command") << QStringList{u"frobnicate"_s}
                                     << QByteArray("unknown command \"frobnicate\"");
    QTest::newRow("near miss") << QStringList{u"serv"_s} << QByteArray("did you mean serve?");
    QTest::newRow("unknown option") << QStringList{u"serve"_s, u"--verbose"_s}
                                    << QByteArray("unknown option \"--verbose\"");
    QTest::newRow("config without subcommand")
        << QStringList{u"config"_s} << QByteArray("needs a subcommand");
    QTest::newRow("config check without file")
        << QStringList{u"config"_s, u"check"_s} << QByteArray("needs the config file");
}

void TestServerProcess::commandLineErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);

    const Finished run = runBerthd(arguments);
    QVERIFY2(run.exited && run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(message), qPrintable(run.describe()));
    QCOMPARE(run.out, QByteArray());
}

void TestServerProcess::configCheckValid()
{
    const QString path = writeFile(u"valid.yml"_s, configFor(m_dir.filePath(u"valid-root"_s), 5000));
    const Finished run = runBerthd({u"config"_s, u"check"_s, path});
    QVERIFY2(run.exited && run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(run.out.contains("configuration is valid"), qPrintable(run.describe()));
    QCOMPARE(run.err, QByteArray());
}

void TestServerProcess::configCheckInvalid_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArrayList>("stdoutHas");
    QTest::addColumn<QByteArrayList>("stderrHas");

    const QByteArray head = "version: 0.1\n"
                            "storage:\n"
                            "  filesystem:\n"
                            "    rootdirectory: /var/lib/registry\n";
    QTest::newRow("bad boolean") << QByteArray(head + "  delete:\n    enabled: maybe\n") << 1
                                 << QByteArrayList{}
                                 << QByteArrayList{"storage.delete.enabled", "\"maybe\"", "(line 6)"};
    QTest::newRow("bad duration") << QByteArray(head +
                                                "http:\n  addr: 127.0.0.1:5000\n  draintimeout: soon\n")
                                  << 1 << QByteArrayList{} << QByteArrayList{"http.draintimeout", "\"soon\""};
    QTest::newRow("bad port") << QByteArray(head + "http:\n  addr: 127.0.0.1:99999\n") << 1
                              << QByteArrayList{} << QByteArrayList{"http.addr", "99999"};
    QTest::newRow("two storage drivers") << QByteArray(head + "  inmemory: {}\n") << 1 << QByteArrayList{}
                                         << QByteArrayList{"storage", "exactly one storage driver"};
    QTest::newRow("YAML syntax error") << QByteArray(head + "http:\n  addr: [127.0.0.1:5000\n") << 1
                                       << QByteArrayList{} << QByteArrayList{"YAML syntax error", "line"};
    // Unknown keys are warned about, not refused, as Distribution does.
    QTest::newRow("unknown key") << QByteArray(head + "log:\n  colour: true\n") << 0
                                 << QByteArrayList{"warning:", "log.colour", "unknown key",
                                                   "configuration is valid"}
                                 << QByteArrayList{};
}

void TestServerProcess::configCheckInvalid()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, exitCode);
    QFETCH(QByteArrayList, stdoutHas);
    QFETCH(QByteArrayList, stderrHas);

    const QString path = writeFile(u"check.yml"_s, yaml);
    const Finished run = runBerthd({u"config"_s, u"check"_s, path});
    QVERIFY2(run.exited && run.exitCode == exitCode, qPrintable(run.describe()));
    for (const QByteArray& text : stdoutHas)
        QVERIFY2(run.out.contains(text),
                 qPrintable(u"stdout lacks '%1'; %2"_s.arg(QString::fromUtf8(text), run.describe())));
    for (const QByteArray& text : stderrHas)
        QVERIFY2(run.err.contains(text),
                 qPrintable(u"stderr lacks '%1'; %2"_s.arg(QString::fromUtf8(text), run.describe())));
    // The message starts with the file it is about.
    if (!stderrHas.isEmpty())
        QVERIFY2(run.err.startsWith(QByteArray(path.toUtf8() + ": ")), qPrintable(run.describe()));
}

void TestServerProcess::serveRefusesInvalidConfig_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("key");

    const QByteArray valid = configFor(m_dir.filePath(u"serve-root"_s), 0);
    QTest::newRow("bad boolean") << QByteArray(valid + "  relativeurls: maybe\n")
                                 << QByteArray("http.relativeurls");
    QTest::newRow("bad duration") << QByteArray(valid + "  draintimeout: 3 days\n")
                                  << QByteArray("http.draintimeout");
}

void TestServerProcess::serveRefusesInvalidConfig()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, key);

    const Finished run = runBerthd({u"serve"_s, writeFile(u"serve.yml"_s, yaml)});
    QVERIFY2(run.exited && run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY2(run.elapsedMs < 3000, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(key), qPrintable(run.describe()));
    QVERIFY2(!run.out.contains("listening"), qPrintable(run.describe()));
}

void TestServerProcess::logLinesAreJson()
{
    RegistryProcess& registry = newRegistry();
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    const QString repo = uniqueRepository(u"logs"_s);
    QCOMPARE(pushBlob(client, repo, randomBytes(1000)), QString());
    const QString missing = blobPath(repo, unknownDigest());
    QCOMPARE(client.get(missing).status, 404);
    QCOMPARE(client.head(manifestPath(repo, u"latest"_s)).status, 404);
    registry.stop(); // the shutdown lines are checked too
    QCOMPARE(registry.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(registry.process().exitCode(), 0);

    QList<QByteArray> lines = registry.output().split('\n');
    QVERIFY(lines.endsWith(QByteArray())); // every line ends with a newline
    lines.removeLast();
    static const QSet<QString> levels{u"debug"_s, u"info"_s, u"warn"_s, u"error"_s};
    QSet<QString> requestIds;
    bool listening = false;
    bool sawMissing = false;
    for (const QByteArray& line : std::as_const(lines)) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(), line.constData());
        const QJsonObject object = document.object();
        QVERIFY2(QDateTime::fromString(object.value("time"_L1).toString(), Qt::ISODateWithMs).isValid(),
                 line.constData());
        QVERIFY2(levels.contains(object.value("level"_L1).toString()), line.constData());
        const QString msg = object.value("msg"_L1).toString();
        QVERIFY2(!msg.isEmpty(), line.constData());

        if (msg == "listening"_L1 && !listening) {
            listening = true;
            QCOMPARE(object.value("addr"_L1).toString(), registry.hostPort());
        }
        if (msg != "request"_L1)
            continue;
        QVERIFY2(listening, "a request was logged before the listening line");
        const QString requestId = object.value("request_id"_L1).toString();
        QVERIFY2(!requestId.isEmpty() && !requestIds.contains(requestId), line.constData());
        requestIds.insert(requestId);
        QVERIFY2(!object.value("method"_L1).toString().isEmpty(), line.constData());
        QVERIFY2(object.value("path"_L1).toString().startsWith(u'/'), line.constData());
        for (const auto key : {"status"_L1, "bytes"_L1, "duration_ms"_L1})
            QVERIFY2(object.value(key).isDouble() && object.value(key).toDouble() >= 0, line.constData());
        QVERIFY2(object.value("repository"_L1).isString(), line.constData());
        if (object.value("path"_L1).toString() == missing) {
            sawMissing = true;
            QCOMPARE(object.value("status"_L1).toInt(), 404);
            QCOMPARE(object.value("method"_L1).toString(), u"GET"_s);
            QCOMPARE(object.value("repository"_L1).toString(), repo);
            QVERIFY(object.value("bytes"_L1).toInt() > 0); // the error body
        }
    }
    QVERIFY2(listening, "no listening line");
    QVERIFY2(sawMissing, "the 404 request was not logged");
}

void TestServerProcess::healthFollowsStorage_data()
{
    QTest::addColumn<bool>("fileInItsPlace");
    QTest::newRow("root gone") << false;
    QTest::newRow("root replaced by a file") << true;
}

void TestServerProcess::healthFollowsStorage()
{
    QFETCH(bool, fileInItsPlace);
    RegistryProcess& registry = newRegistry();
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    const HttpResponse healthy = client.get(u"/healthz"_s);
    QCOMPARE(healthy.status, 200);
    QCOMPARE(healthy.json().object(), QJsonObject({{"status"_L1, "ok"_L1}}));

    // The root directory is gone (an unmounted volume), perhaps with a file in its place.
    const QString root = registry.storageRoot();
    const QString moved = root + u".moved"_s;
    QVERIFY(QDir().rename(root, moved));
    if (fileInItsPlace) {
        QFile blocker(root);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
    }

    const HttpResponse unhealthy = client.get(u"/healthz"_s);
    QCOMPARE(unhealthy.status, 503);
    QVERIFY2(unhealthy.json().isObject(), unhealthy.body.constData());
    QVERIFY(registry.isRunning());
    QCOMPARE(client.get(u"/v2/"_s).status, 200);

    QVERIFY(!fileInItsPlace || QFile::remove(root));
    QVERIFY(QDir().rename(moved, root));
    const HttpResponse recovered = client.get(u"/healthz"_s);
    QCOMPARE(recovered.status, 200);
    QCOMPARE(recovered.json().object(), QJsonObject({{"status"_L1, "ok"_L1}}));
}

void TestServerProcess::sigtermDrainsRequestsInFlight()
{
    RegistryProcess& registry = newRegistry();
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    const QString repo = uniqueRepository(u"drain"_s);
    const HttpResponse started = client.send("POST", uploadsPath(repo));
    QCOMPARE(started.status, 202);

    RawConnection idle;
    QVERIFY(idle.connectTo(registry.port()));
    QVERIFY(idle.write(rawRequest("GET", "/v2/", registry.hostPort())));
    QCOMPARE(idle.readResponse().status, 200);

    // Half of a PATCH body is on its way when the signal comes.
    const QByteArray body = randomBytes(256 * kibibyte);
    const qsizetype half = body.size() / 2;
    RawConnection upload;
    QVERIFY(upload.connectTo(registry.port()));
    QVERIFY(upload.write(rawRequest("PATCH", requestTarget(client, started.header("Location")),
                                    registry.hostPort(),
                                    {{"Content-Type", "application/octet-stream"},
                                     {"Content-Length", QByteArray::number(body.size())}}) +
                         body.left(half)));
    QTest::qWait(200); // berthd is reading the body now

    registry.process().terminate(); // SIGTERM
    QVERIFY2(idle.waitForClosed(1000), "an idle keep-alive connection stayed open after SIGTERM");

    RawConnection late;
    if (late.connectTo(registry.port(), 1000)) {
        late.write(rawRequest("GET", "/v2/", registry.hostPort()));
        const HttpResponse answer = late.readResponse(2000);
        QVERIFY2(answer.status == 0,
                 qPrintable(u"a connection made after SIGTERM was served: "_s + answer.describe()));
    }
    QVERIFY2(registry.isRunning(), "berthd exited with a request in flight");

    QElapsedTimer timer;
    timer.start();
    QVERIFY(upload.write(body.mid(half)));
    const HttpResponse patched = upload.readResponse(5000);
    QVERIFY2(patched.status == 202, qPrintable(patched.describe()));
    QCOMPARE(patched.header("Range"), "0-" + QByteArray::number(body.size() - 1));
    QVERIFY2(registry.process().waitForFinished(5000), "berthd did not exit within 5 s of its last request");
    QCOMPARE(registry.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(registry.process().exitCode(), 0);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(u"exit took %1 ms"_s.arg(timer.elapsed())));
    QVERIFY(registry.output().contains(R"("msg":"shutting down","reason":"SIGTERM")"));
}

void TestServerProcess::pipelinedReadsAndWrites_data()
{
    // Reads are served on the event loop that accepted the connection, writes on the
    // shared pool: the connection, and the requests already read, move over at the first
    // write.
    QTest::addColumn<QByteArrayList>("methods");
    QTest::addColumn<QList<int>>("statuses");
    QTest::newRow("read, write, read") << QByteArrayList{"GET", "PATCH", "GET"} << QList<int>{200, 202, 200};
    QTest::newRow("write first") << QByteArrayList{"PATCH", "GET"} << QList<int>{202, 200};
    QTest::newRow("write, cancel, read")
        << QByteArrayList{"PATCH", "DELETE", "GET"} << QList<int>{202, 204, 200};
}

void TestServerProcess::pipelinedReadsAndWrites()
{
    QFETCH(QByteArrayList, methods);
    QFETCH(QList<int>, statuses);
    RegistryProcess& registry = newRegistry();
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    const HttpResponse started = client.send("POST", uploadsPath(uniqueRepository(u"pipelined"_s)));
    QCOMPARE(started.status, 202);
    const QByteArray upload = requestTarget(client, started.header("Location"));
    const QByteArray body = randomBytes(64 * kibibyte);

    QByteArray requests; // all written at once: later requests arrive with the first
    for (const QByteArray& method : methods) {
        if (method == "PATCH")
            requests += rawRequest(method, upload, registry.hostPort(),
                                   {{"Content-Type", "application/octet-stream"}}, body);
        else if (method == "DELETE")
            requests += rawRequest(method, upload, registry.hostPort());
        else
            requests += rawRequest(method, "/v2/", registry.hostPort());
    }
    RawConnection connection;
    QVERIFY(connection.connectTo(registry.port()));
    QVERIFY(connection.write(requests));
    for (qsizetype i = 0; i < methods.size(); ++i) {
        const HttpResponse response = connection.readResponse(10000);
        QVERIFY2(response.status == statuses.at(i),
                 qPrintable(QString::fromLatin1(methods.at(i)) + u": "_s + response.describe()));
    }
    // The connection stays usable wherever it ended up.
    QVERIFY(connection.write(rawRequest("GET", "/v2/", registry.hostPort())));
    QCOMPARE(connection.readResponse(10000).status, 200);
}

void TestServerProcess::connectionPersistence_data()
{
    // What the client asked for, and the Connection header the answer must carry so that
    // the client knows whether to send its next request on the same connection.
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("connection");
    QTest::addColumn<QByteArray>("answered");
    QTest::addColumn<bool>("staysOpen");
    QTest::newRow("HTTP/1.1") << QByteArray("HTTP/1.1") << QByteArray() << QByteArray() << true;
    QTest::newRow("HTTP/1.1, close")
        << QByteArray("HTTP/1.1") << QByteArray("close") << QByteArray("close") << false;
    QTest::newRow("HTTP/1.0") << QByteArray("HTTP/1.0") << QByteArray() << QByteArray("close") << false;
    // ab -k and other HTTP/1.0 clients reuse a connection only when told it persists.
    QTest::newRow("HTTP/1.0, keep-alive")
        << QByteArray("HTTP/1.0") << QByteArray("keep-alive") << QByteArray("keep-alive") << true;
}

void TestServerProcess::connectionPersistence()
{
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, connection);
    QFETCH(QByteArray, answered);
    QFETCH(bool, staysOpen);
    RegistryProcess& registry = newRegistry();
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    QByteArray request = "GET /v2/ " + version + "\r\nHost: " + registry.hostPort().toLatin1() + "\r\n";
    if (!connection.isEmpty())
        request += "Connection: " + connection + "\r\n";
    request += "\r\n";

    RawConnection client;
    QVERIFY(client.connectTo(registry.port()));
    for (int round = 0; round < (staysOpen ? 2 : 1); ++round) {
        QVERIFY(client.write(request));
        const HttpResponse response = client.readResponse(10000);
        QVERIFY2(response.status == 200, qPrintable(response.describe()));
        QCOMPARE(response.header("Connection").toLower(), answered);
    }
    QCOMPARE(client.waitForClosed(staysOpen ? 500 : 10000), !staysOpen);
}

// A body that trickles in, more slowly than a read buffer fills but never silent for the
// idle timeout, is taken whole: the timeout is for a client that stopped, not a slow one.
void TestServerProcess::slowBodyWithinIdleTimeout()
{
    RegistryProcess& registry = newRegistry();
    registry.setExtraConfig("berth:\n  http:\n    idletimeout: 1s\n");
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    const QString repository = uniqueRepository(u"slow"_s);
    const HttpResponse started = client.send("POST", uploadsPath(repository));
    QCOMPARE(started.status, 202);
    const QByteArray body = randomBytes(64 * kibibyte);
    const QString digest = sha256Digest(body);
    QByteArray target = requestTarget(client, started.header("Location"));
    target += (target.contains('?') ? "&digest=" : "?digest=") + digest.toLatin1();
    const QByteArray head = rawRequest("PUT", target, registry.hostPort(),
                                       {{"Content-Type", "application/octet-stream"},
                                        {"Content-Length", QByteArray::number(body.size())}});

    RawConnection connection;
    QVERIFY(connection.connectTo(registry.port()));
    QVERIFY(connection.write(head));
    constexpr qsizetype pieces = 8; // 8 x 400 ms: three times the idle timeout in all
    for (qsizetype piece = 0; piece < pieces; ++piece) {
        QTest::qWait(400);
        QVERIFY(connection.write(body.mid(piece * body.size() / pieces, body.size() / pieces)));
    }
    const HttpResponse stored = connection.readResponse(10000);
    QVERIFY2(stored.status == 201, qPrintable(stored.describe()));
    QCOMPARE(client.get(u"/v2/%1/blobs/%2"_s.arg(repository, digest)).body, body);
}

namespace {

// Sends `request` to 127.0.0.1:`port` and reads the answer to its end as fast as the
// kernel hands it over, from a thread of its own: a client on a fast network.
class FastReader
{
public:
    FastReader(quint16 port, QByteArray request) : m_thread([this, port, request] { run(port, request); }) {}
    ~FastReader()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

    bool waitForFirstBytes(std::chrono::milliseconds timeout) const
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!m_received && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return m_received > 0;
    }
    // The bytes of the answer received so far.
    qint64 received() const { return m_received; }
    // Whether the connection has ended, however it did.
    bool ended() const { return m_ended; }
    // Waits for the end of the answer and returns all its bytes' count.
    qint64 finish()
    {
        m_thread.join();
        return m_received;
    }

private:
    void run(quint16 port, const QByteArray& request)
    {
        const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(socket, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
            ::send(socket, request.constData(), std::size_t(request.size()), 0) == request.size()) {
            std::vector<char> buffer(4 * mebibyte);
            while (const auto count = ::recv(socket, buffer.data(), buffer.size(), 0)) {
                if (count < 0)
                    break;
                m_received += count;
            }
        }
        ::close(socket);
        m_ended = true;
    }

    std::atomic<qint64> m_received{0};
    std::atomic<bool> m_ended{false};
    std::thread m_thread;
};

} // namespace

// A client that takes a blob as fast as berthd sends it never fills the socket buffer, so
// berthd must stop of its own accord now and then: other connections of the same event
// loop are answered during the pull, not after its last byte.
void TestServerProcess::pullLeavesTheLoopToOthers()
{
    RegistryProcess& registry = newRegistry();
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    const QString repository = uniqueRepository(u"pull"_s);
    const QByteArray blob = randomBytes(256 * mebibyte);
    QCOMPARE(pushBlob(client, repository, blob), QString());
    const QByteArray target = u"/v2/%1/blobs/%2"_s.arg(repository, sha256Digest(blob)).toLatin1();
    const QByteArray pullRequest = rawRequest("GET", target, registry.hostPort(), {{"Connection", "close"}});
    // Requests on another connection, one after the other while the blob is pulled a few
    // times: how much of the blob went out while each waited for its answer.
    RawConnection other;
    QVERIFY(other.connectTo(registry.port()));
    qint64 longestWait = 0;
    for (int round = 0; round < 4; ++round) {
        FastReader pull(registry.port(), pullRequest);
        QVERIFY2(pull.waitForFirstBytes(std::chrono::seconds(10)), "the blob's first bytes did not come");
        while (!pull.ended() && pull.received() < blob.size()) {
            const qint64 before = pull.received();
            QVERIFY(other.write(rawRequest("GET", "/v2/", registry.hostPort())));
            QCOMPARE(other.readResponse(10000).status, 200);
            longestWait = std::max(longestWait, pull.received() - before);
        }
        const qint64 pulled = pull.finish();
        QVERIFY2(pulled > blob.size(), qPrintable(u"the pull ended after %1 bytes"_s.arg(pulled)));
    }
    // Answered between two pieces, a request waits for a piece and what the socket buffers
    // hold; held up by the pull, for as long as the client kept up with it.
    QVERIFY2(longestWait < 48 * mebibyte,
             qPrintable(u"a GET /v2/ waited while %1 MiB were sent"_s.arg(longestWait / mebibyte)));
}

void TestServerProcess::pullFromDisk_data()
{
    QTest::addColumn<QByteArray>("range"); // the Range header; empty for the whole blob
    QTest::addColumn<qsizetype>("first");
    QTest::addColumn<qsizetype>("last");
    constexpr qsizetype size = 24 * mebibyte;
    QTest::newRow("whole blob") << QByteArray() << qsizetype(0) << size - 1;
    QTest::newRow("range across pieces") << QByteArray("bytes=3000001-17000000") << qsizetype(3000001)
                                         << qsizetype(17000000);
    QTest::newRow("last bytes") << QByteArray("bytes=-5000000") << size - 5000000 << size - 1;
}

// Bytes that are not in the page cache are sent from a thread that may wait for the disk,
// not from the event loop: they arrive whole and in order all the same, ranges included.
void TestServerProcess::pullFromDisk()
{
    QFETCH(QByteArray, range);
    QFETCH(qsizetype, first);
    QFETCH(qsizetype, last);
    RegistryProcess& registry = newRegistry();
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    const QString repository = uniqueRepository(u"cold"_s);
    const QByteArray blob = randomBytes(24 * mebibyte);
    const QString digest = sha256Digest(blob);
    QCOMPARE(pushBlob(client, repository, blob), QString());

    // Stored and synced: dropping the file's pages leaves its bytes on disk only.
    const QString hex = digest.mid(u"sha256:"_s.size());
    const QString data =
        registry.storageRoot() + u"/docker/registry/v2/blobs/sha256/%1/%2/data"_s.arg(hex.left(2), hex);
    const int file = ::open(QFile::encodeName(data).constData(), O_RDONLY | O_CLOEXEC);
    QVERIFY2(file >= 0, qPrintable(data));
    QCOMPARE(::posix_fadvise(file, 0, 0, POSIX_FADV_DONTNEED), 0);
    ::close(file);

    HttpClient::Headers headers;
    if (!range.isEmpty())
        headers.append({"Range", range});
    const HttpResponse pulled = client.get(u"/v2/%1/blobs/%2"_s.arg(repository, digest), headers);
    QCOMPARE(pulled.status, range.isEmpty() ? 200 : 206);
    QCOMPARE(pulled.body.size(), last - first + 1);
    QVERIFY2(pulled.body == blob.mid(first, last - first + 1), "the bytes pulled differ from those pushed");
}

void TestServerProcess::exitOnStdinClose()
{
    const QString config = writeFile(u"stdin.yml"_s, configFor(m_dir.filePath(u"stdin-root"_s), 0));
    QProcess process;
    process.setProgram(RegistryProcess::berthdPath());
    process.setArguments({u"serve"_s, u"--exit-on-stdin-close"_s, config});
    process.start(); // stdin is a pipe the test holds
    QVERIFY(process.waitForStarted());
    const quint16 port = waitForListening(process);
    QVERIFY2(port != 0, process.readAllStandardError().constData());
    const HttpResponse serving = parseRawResponse(sendRawRequest(
        port, rawRequest("GET", "/v2/", u"127.0.0.1:%1"_s.arg(port), {{"Connection", "close"}})));
    QCOMPARE(serving.status, 200);

    QElapsedTimer timer;
    timer.start();
    process.closeWriteChannel();
    const bool finished = process.waitForFinished(2000);
    if (!finished) {
        process.kill();
        process.waitForFinished();
    }
    QVERIFY2(finished, "berthd still ran 2 s after its stdin closed");
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardOutput().contains("standard input closed"));
}

void TestServerProcess::portInUse()
{
    QTcpServer holder;
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
    const QString config =
        writeFile(u"taken.yml"_s, configFor(m_dir.filePath(u"taken-root"_s), holder.serverPort()));
    const Finished run = runBerthd({u"serve"_s, config});
    QVERIFY2(run.exited && run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY2(run.err.contains("already in use") && run.err.contains(QByteArray::number(holder.serverPort())),
             qPrintable(run.describe()));
}

bool TestServerProcess::startReadOnly()
{
    // A crashed process may still be dumping core, so ask it rather than its state.
    if (m_readOnly && m_readOnly->isRunning() && answersGetV2(*m_readOnly))
        return true;
    if (!m_readOnly) {
        // Content is pushed by a writable berthd, which then restarts read-only on the same root.
        m_readOnly = std::make_unique<RegistryProcess>(berthd);
        if (!m_readOnly->start())
            return false;
        m_readOnlyRepo = uniqueRepository(u"readonly"_s);
        m_readOnlyImage = makeImage();
        HttpClient client(m_readOnly->baseUrl());
        if (const QString error = pushImage(client, m_readOnlyRepo, m_readOnlyImage, u"v1"_s);
            !error.isEmpty()) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        const HttpResponse started = client.send("POST", uploadsPath(m_readOnlyRepo));
        if (started.status != 202)
            return false;
        m_readOnlyUpload = QString::fromUtf8(requestTarget(client, started.header("Location")));
        m_readOnly->setStorageConfig("  maintenance:\n"
                                     "    readonly:\n"
                                     "      enabled: true\n");
    }
    return m_readOnly->start();
}

void TestServerProcess::checkReadOnlyPulls()
{
    HttpClient client(m_readOnly->baseUrl());
    const HttpResponse manifest =
        client.get(manifestPath(m_readOnlyRepo, u"v1"_s), {{"Accept", media::OciManifest.data()}});
    QCOMPARE(manifest.status, 200);
    QCOMPARE(manifest.body, m_readOnlyImage.manifest);
    QCOMPARE(client.head(manifestPath(m_readOnlyRepo, m_readOnlyImage.digest())).status, 200);
    for (const QByteArray& blob : {m_readOnlyImage.config, m_readOnlyImage.layers.first()}) {
        const HttpResponse pulled = client.get(blobPath(m_readOnlyRepo, sha256Digest(blob)));
        QCOMPARE(pulled.status, 200);
        QCOMPARE(pulled.body, blob);
    }
    const HttpResponse tags = client.get(u"/v2/%1/tags/list"_s.arg(m_readOnlyRepo));
    QCOMPARE(tags.status, 200);
    QCOMPARE(tags.json().object().value("tags"_L1).toArray(), QJsonArray({u"v1"_s}));
}

void TestServerProcess::readOnlyServesPulls()
{
    QVERIFY2(startReadOnly(), qPrintable(m_readOnly ? m_readOnly->errorString() : QString()));
    checkReadOnlyPulls();
}

void TestServerProcess::readOnlyRefusesWrites_data()
{
    // Targets and queries name what the fixture holds: {repo}, {upload} (a session started
    // before the restart), {manifest} (the tagged manifest's digest), {layer} (one of its
    // blobs), {body} (the digest of the request body).
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("withBody");

    const QString uploads = u"/v2/{repo}/blobs/uploads/"_s;
    QTest::newRow("start upload") << QByteArray("POST") << uploads << QString() << false;
    QTest::newRow("monolithic upload") << QByteArray("POST") << uploads << u"digest={body}"_s << true;
    QTest::newRow("mount") << QByteArray("POST") << u"/v2/{repo}-copy/blobs/uploads/"_s
                           << u"mount={layer}&from={repo}"_s << false;
    QTest::newRow("patch upload") << QByteArray("PATCH") << u"{upload}"_s << QString() << true;
    QTest::newRow("finish upload") << QByteArray("PUT") << u"{upload}"_s << u"digest={body}"_s << true;
    QTest::newRow("cancel upload") << QByteArray("DELETE") << u"{upload}"_s << QString() << false;
    QTest::newRow("push manifest") << QByteArray("PUT") << u"/v2/{repo}/manifests/v2"_s << QString() << true;
    QTest::newRow("delete manifest") << QByteArray("DELETE") << u"/v2/{repo}/manifests/{manifest}"_s
                                     << QString() << false;
    QTest::newRow("delete tag") << QByteArray("DELETE") << u"/v2/{repo}/manifests/v1"_s << QString() << false;
    QTest::newRow("delete blob") << QByteArray("DELETE") << u"/v2/{repo}/blobs/{layer}"_s << QString()
                                 << false;
}

void TestServerProcess::readOnlyRefusesWrites()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, target);
    QFETCH(QString, query);
    QFETCH(bool, withBody);

    QVERIFY2(startReadOnly(), qPrintable(m_readOnly ? m_readOnly->errorString() : QString()));
    const QByteArray body = withBody ? m_readOnlyImage.manifest : QByteArray();
    const auto fill = [&](QString text) {
        return text.replace("{upload}"_L1, m_readOnlyUpload)
            .replace("{repo}"_L1, m_readOnlyRepo)
            .replace("{body}"_L1, sha256Digest(body))
            .replace("{manifest}"_L1, m_readOnlyImage.digest())
            .replace("{layer}"_L1, sha256Digest(m_readOnlyImage.layers.first()));
    };
    const QString url = query.isEmpty() ? fill(target) : withQuery(fill(target), fill(query));

    HttpClient client(m_readOnly->baseUrl());
    const HttpResponse refused =
        client.send(method, url, body, {{"Content-Type", media::OciManifest.data()}});
    QVERIFY2(refused.status == 405, qPrintable(refused.describe()));
    QVERIFY2(isOciError(refused, "UNSUPPORTED"), qPrintable(refused.describe()));
    QVERIFY(refused.header("Content-Type").startsWith("application/json"));

    QTest::qWait(100); // a crash after the answer takes a moment to show
    QVERIFY2(m_readOnly->isRunning() && answersGetV2(*m_readOnly),
             "berthd stopped serving after refusing a write");
    // Nothing changed.
    checkReadOnlyPulls();
}

void TestServerProcess::uploadPurging()
{
    RegistryProcess& registry = newRegistry();
    registry.setStorageConfig("  maintenance:\n"
                              "    uploadpurging:\n"
                              "      enabled: true\n"
                              "      age: 1s\n"
                              "      interval: 1s\n"
                              "      dryrun: false\n");
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    const QString repo = uniqueRepository(u"purge"_s);

    const HttpResponse abandoned = client.send("POST", uploadsPath(repo));
    QCOMPARE(abandoned.status, 202);
    const QString abandonedUrl = QString::fromUtf8(abandoned.header("Location"));
    QCOMPARE(client.send("PATCH", abandonedUrl, randomBytes(1000)).status, 202);
    const QString directory =
        registry.storageRoot() + u"/docker/registry/v2/repositories/%1/_uploads/%2"_s.arg(
                                     repo, QString::fromUtf8(abandoned.header("Docker-Upload-UUID")));
    QVERIFY2(QFileInfo(directory).isDir(), qPrintable(directory));

    // An upload whose one request lasts longer than the purge age: in use, so never purged.
    const QByteArray data = randomBytes(64 * kibibyte);
    const HttpResponse active = client.send("POST", uploadsPath(repo));
    QCOMPARE(active.status, 202);
    const QByteArray target = requestTarget(
        client,
        withQuery(QString::fromUtf8(active.header("Location")), u"digest="_s + sha256Digest(data)).toUtf8());
    RawConnection slow;
    QVERIFY(slow.connectTo(registry.port()));
    QVERIFY(slow.write(rawRequest("PUT", target, registry.hostPort(),
                                  {{"Content-Type", "application/octet-stream"},
                                   {"Content-Length", QByteArray::number(data.size())}})));
    constexpr int slices = 8;
    for (int i = 0; i < slices; ++i) {
        QTest::qWait(400);
        QVERIFY(slow.write(data.mid(i * data.size() / slices, data.size() / slices)));
    }
    const HttpResponse finished = slow.readResponse();
    QVERIFY2(finished.status == 201, qPrintable(finished.describe()));
    const HttpResponse pulled = client.get(blobPath(repo, sha256Digest(data)));
    QCOMPARE(pulled.status, 200);
    QCOMPARE(pulled.body, data);

    QTRY_VERIFY2_WITH_TIMEOUT(!QFileInfo::exists(directory), qPrintable(directory + u" is still there"_s),
                              5000);
    const HttpResponse status = client.get(abandonedUrl);
    QCOMPARE(status.status, 404);
    QVERIFY2(isOciError(status, "BLOB_UPLOAD_UNKNOWN"), qPrintable(status.describe()));
    // A purge ran while the slow request held its session, and spared it.
    bool spared = false;
    for (const QByteArray& line : registry.output().split('\n')) {
        const QJsonObject entry = QJsonDocument::fromJson(line).object();
        spared =
            spared || (entry.value("msg"_L1) == "upload purge"_L1 && entry.value("in_use"_L1).toInt() >= 1);
    }
    QVERIFY2(spared, "no purge found the slow upload in use");
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestServerProcess)
#include "TestServerProcess.moc"
