// ServerSupervisor against the real berthd ($BERTHD): start and readiness, the admin
// token handed over through the environment, restarts after kill -9 and giving up after
// repeated crashes, stop and destruction, a taken port, settings applied with a restart,
// berthd exiting with a console that is killed, and the ways a start can fail.

#include "RegistryFixtures.h"
#include "app/ServerSupervisor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;
using berth::app::LocalServerSettings;
using berth::app::RestartPolicy;
using berth::app::ServerSupervisor;
using State = berth::app::ServerSupervisor::State;

namespace berth::test {

namespace {

constexpr int readyTimeoutMs = 30000;
constexpr int stopTimeoutMs = 15000;
// Long enough for a restart loop to show itself with the fast policy below.
constexpr int quietPeriodMs = 1500;
constexpr auto superviseArgument = "--supervise-until-killed";

// Which berthd a supervisor is given.
enum class Berthd
{
    Real,
    Located,
    Missing,
    NotExecutable,
    NotAProgram
};

// When a test calls stop().
enum class StopMoment
{
    AfterStart,
    OnStarting,
    OnCrashed
};

// Restarts quickly so the tests stay fast; gives up at the third crash within a minute.
RestartPolicy fastRestartPolicy()
{
    return RestartPolicy({.firstDelay = std::chrono::milliseconds(100),
                          .maxDelay = std::chrono::milliseconds(400),
                          .maxCrashes = 3,
                          .window = std::chrono::seconds(60)});
}

// Free ports on loopback, folders inside `folder`.
LocalServerSettings settingsIn(const QString& folder)
{
    LocalServerSettings settings;
    settings.listenAddress = u"127.0.0.1"_s;
    settings.port = 0;
    settings.adminPort = 0;
    settings.storageFolder = folder + u"/storage"_s;
    settings.dataFolder = folder + u"/data"_s;
    return settings;
}

QByteArray procFile(qint64 pid, const char* name)
{
    QFile file(u"/proc/%1/%2"_s.arg(pid).arg(QLatin1StringView(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A zombie counts as gone: a container's init may never reap an orphan.
bool isProcessAlive(qint64 pid)
{
    const QByteArray stat = procFile(pid, "stat");
    const qsizetype nameEnd = stat.lastIndexOf(") ");
    if (pid <= 0 || nameEnd < 0)
        return false;
    const char state = stat.at(nameEnd + 2);
    return state != 'Z' && state != 'X';
}

bool canListenOn(quint16 port)
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, port);
}

quint16 portOf(const QString& address)
{
    return address.mid(address.lastIndexOf(u':') + 1).toUShort();
}

// The child mode of this binary: supervises a berthd, prints its pid once it runs, and
// waits to be killed.
int superviseUntilKilled(const QString& folder)
{
    ServerSupervisor supervisor(settingsIn(folder), RegistryProcess::berthdPath());
    QObject::connect(&supervisor, &ServerSupervisor::stateChanged, &supervisor, [&supervisor](State state) {
        if (state == State::Running)
            std::printf("pid %lld\n", static_cast<long long>(supervisor.processId()));
        else if (state == State::Failed)
            std::printf("failed %s\n", qPrintable(supervisor.failureReason()));
        std::fflush(stdout);
    });
    supervisor.start();
    return QCoreApplication::exec();
}

} // namespace

} // namespace berth::test

Q_DECLARE_METATYPE(berth::test::Berthd)
Q_DECLARE_METATYPE(berth::test::StopMoment)

namespace berth::test {

class TestServerSupervisor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void startsAndBecomesReady();
    void adminApiAcceptsOnlyItsToken();
    void tokenIsInTheEnvironmentNotTheCommandLine();
    void restartsAfterKill();
    void givesUpAfterRepeatedCrashes();
    void stopEndsTheProcessAndFreesThePort();
    void restartReplacesTheProcess();
    void stopCancelsAStartOrARestart_data();
    void stopCancelsAStartOrARestart();
    void portInUseFailsAtOnce_data();
    void portInUseFailsAtOnce();
    void appliedSettingsRestartOnTheNewPort();
    void destructionStopsBerthd();
    void berthdExitsWhenTheConsoleIsKilled();
    void startFailsWithAReason_data();
    void startFailsWithAReason();
    void readinessTimeoutCountsAsACrash();
    void hungServerIsKilled_data();
    void hungServerIsKilled();

private:
    ServerSupervisor& create(const LocalServerSettings& settings, const QString& berthdPath);
    ServerSupervisor& create()
    {
        return create(settingsIn(m_directory->path()), RegistryProcess::berthdPath());
    }
    bool waitForState(State state, int timeoutMs = readyTimeoutMs);
    // Waits until the supervisor has gone through `count` states since it was created.
    bool waitForTransitions(qsizetype count, int timeoutMs = readyTimeoutMs);
    bool startAndWaitUntilRunning();
    QString describe() const;
    // An executable shell script standing in for berthd; empty when it cannot be written.
    QString writeScript(const QString& name, const QByteArray& body) const;

    std::unique_ptr<QTemporaryDir> m_directory;
    std::unique_ptr<ServerSupervisor> m_supervisor;
    QList<State> m_states; // every state the supervisor entered, in order
    QStringList m_reasons; // failureReason() as each state was entered
};

void TestServerSupervisor::initTestCase()
{
    const QString berthd = RegistryProcess::berthdPath();
    QVERIFY2(QFileInfo(berthd).isExecutable(), qPrintable(u"BERTHD is not an executable: "_s + berthd));
}

void TestServerSupervisor::init()
{
    m_directory = std::make_unique<QTemporaryDir>();
    QVERIFY(m_directory->isValid());
    m_states.clear();
    m_reasons.clear();
}

void TestServerSupervisor::cleanup()
{
    if (QTest::currentTestFailed() && m_supervisor) {
        qWarning().noquote() << describe();
        for (const QString& line :
             m_supervisor->recentLogLines().mid(qMax(0, m_supervisor->recentLogLines().size() - 40)))
            qWarning().noquote() << "berthd:" << line;
    }
    m_supervisor.reset();
    m_directory.reset();
}

ServerSupervisor& TestServerSupervisor::create(const LocalServerSettings& settings, const QString& berthdPath)
{
    m_supervisor = std::make_unique<ServerSupervisor>(settings, berthdPath);
    m_supervisor->setRestartPolicy(fastRestartPolicy());
    ServerSupervisor& supervisor = *m_supervisor;
    connect(&supervisor, &ServerSupervisor::stateChanged, &supervisor, [this, &supervisor](State state) {
        m_states.append(state);
        m_reasons.append(supervisor.failureReason());
    });
    return supervisor;
}

bool TestServerSupervisor::waitForState(State state, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_supervisor->state() == state; }, timeoutMs);
}

bool TestServerSupervisor::waitForTransitions(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_states.size() >= count; }, timeoutMs);
}

bool TestServerSupervisor::startAndWaitUntilRunning()
{
    if (!m_supervisor)
        create();
    m_supervisor->start();
    return waitForState(State::Running);
}

QString TestServerSupervisor::describe() const
{
    QStringList states;
    for (State state : m_states)
        states.append(QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(state))));
    return u"states: %1; reason: %2"_s.arg(states.join(u", "_s), m_supervisor->failureReason());
}

QString TestServerSupervisor::writeScript(const QString& name, const QByteArray& body) const
{
    QFile script(m_directory->filePath(name));
    if (!script.open(QIODevice::WriteOnly) || script.write("#!/bin/sh\n" + body) < 0)
        return {};
    script.close();
    return script.setPermissions(script.permissions() | QFile::ExeOwner) ? script.fileName() : QString();
}

void TestServerSupervisor::startsAndBecomesReady()
{
    // A folder name that needs quoting in YAML reaches berthd intact.
    LocalServerSettings settings = settingsIn(m_directory->path());
    settings.storageFolder = m_directory->filePath(uR"(my "images" \ here: #1)"_s);
    ServerSupervisor& supervisor = create(settings, RegistryProcess::berthdPath());
    QSignalSpy lines(&supervisor, &ServerSupervisor::logLine);
    QCOMPARE(supervisor.state(), State::Stopped);
    QCOMPARE(supervisor.processId(), 0);
    supervisor.start();
    QCOMPARE(supervisor.state(), State::Starting);
    QVERIFY2(waitForState(State::Running), qPrintable(describe()));
    QCOMPARE(m_states, (QList<State>{State::Starting, State::Running}));

    QVERIFY(supervisor.address().startsWith("127.0.0.1:"_L1));
    QVERIFY(portOf(supervisor.address()) != 0);
    QCOMPARE(supervisor.registryUrl().port(), portOf(supervisor.address()));
    HttpClient client(supervisor.registryUrl());
    const HttpResponse response = client.get(u"/v2/"_s);
    QVERIFY2(response.status == 200, qPrintable(response.describe()));

    // Every line reaches the signal and the recent lines, the ready line among them.
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lines.size(), supervisor.recentLogLines().size());
    const auto listening = std::find_if(lines.cbegin(), lines.cend(), [](const QList<QVariant>& arguments) {
        return arguments.first().toByteArray().contains("\"msg\":\"listening\"");
    });
    QVERIFY(listening != lines.cend());
    QCOMPARE(supervisor.recentLogLines().at(listening - lines.cbegin()),
             QString::fromUtf8(listening->first().toByteArray()));
    const QJsonObject ready = QJsonDocument::fromJson(listening->first().toByteArray()).object();
    QCOMPARE(ready.value("msg"_L1).toString(), u"listening"_s);
    QCOMPARE(ready.value("addr"_L1).toString(), supervisor.address());
    QCOMPARE(ready.value("storage"_L1).toString(), settings.storageFolder);
    QCOMPARE(ready.value("delete_enabled"_L1).toBool(), true);

    const QString configPath = QDir(supervisor.settings().dataFolder).filePath(u"config.yml"_s);
    QVERIFY2(QFileInfo::exists(configPath), qPrintable(configPath));
    QVERIFY(QFileInfo(supervisor.settings().storageFolder).isDir());
}

void TestServerSupervisor::adminApiAcceptsOnlyItsToken()
{
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    const ServerSupervisor& supervisor = *m_supervisor;
    QCOMPARE(supervisor.adminToken().size(), 64);
    QVERIFY(supervisor.adminUrl().isValid());
    QVERIFY(supervisor.adminUrl().port() != supervisor.registryUrl().port());

    HttpClient admin(supervisor.adminUrl());
    const auto withToken = [](const QByteArray& token) {
        return HttpClient::Headers{{"Authorization", "Bearer " + token}};
    };
    const HttpResponse accepted = admin.get(u"/admin/v1/info"_s, withToken(supervisor.adminToken()));
    QVERIFY2(accepted.status == 200, qPrintable(accepted.describe()));
    QCOMPARE(admin.get(u"/admin/v1/info"_s, withToken(QByteArray(64, 'a'))).status, 401);
    QCOMPARE(admin.get(u"/admin/v1/info"_s).status, 401);

    // Each console run has its own token.
    const ServerSupervisor other(settingsIn(m_directory->path()), RegistryProcess::berthdPath());
    QVERIFY(other.adminToken() != supervisor.adminToken());
}

void TestServerSupervisor::tokenIsInTheEnvironmentNotTheCommandLine()
{
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    const qint64 pid = m_supervisor->processId();
    const QByteArray token = m_supervisor->adminToken();
    const QByteArray commandLine = procFile(pid, "cmdline");
    QVERIFY(commandLine.contains("serve"));
    QVERIFY(commandLine.contains("--exit-on-stdin-close"));
    QVERIFY(!commandLine.contains(token));
    QVERIFY(procFile(pid, "environ").split('\0').contains("BERTHD_ADMIN_TOKEN=" + token));
    // Nor in the config file that anyone who can read the data folder may read.
    QFile config(QDir(m_supervisor->settings().dataFolder).filePath(u"config.yml"_s));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(!config.readAll().contains(token));
}

void TestServerSupervisor::restartsAfterKill()
{
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    HttpClient before(m_supervisor->registryUrl());
    const QString repository = uniqueRepository(u"supervisor"_s);
    const QByteArray content = randomBytes(1024);
    QCOMPARE(pushBlob(before, repository, content), QString());
    const qint64 first = m_supervisor->processId();
    QVERIFY(::kill(static_cast<pid_t>(first), SIGKILL) == 0);

    QVERIFY2(waitForTransitions(5), qPrintable(describe()));
    QCOMPARE(m_states, (QList<State>{State::Starting, State::Running, State::Crashed, State::Starting,
                                     State::Running}));
    QVERIFY2(m_reasons.at(2).contains("signal 9"_L1) && m_reasons.at(2).contains("SIGKILL"_L1),
             qPrintable(m_reasons.at(2)));
    QVERIFY(m_supervisor->failureReason().isEmpty());
    QVERIFY(m_supervisor->processId() != first);
    QVERIFY(!isProcessAlive(first));

    // The new process serves the same storage.
    HttpClient after(m_supervisor->registryUrl());
    const HttpResponse blob = after.head(blobPath(repository, sha256Digest(content)));
    QVERIFY2(blob.status == 200, qPrintable(blob.describe()));
}

void TestServerSupervisor::givesUpAfterRepeatedCrashes()
{
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    for (int crash = 1; crash <= 3; ++crash) {
        QVERIFY2(waitForState(State::Running), qPrintable(describe()));
        const qint64 pid = m_supervisor->processId();
        QVERIFY(::kill(static_cast<pid_t>(pid), SIGKILL) == 0);
        QVERIFY2(QTest::qWaitFor([&] { return m_supervisor->processId() != pid; }, readyTimeoutMs),
                 qPrintable(describe()));
    }
    QVERIFY2(waitForState(State::Failed), qPrintable(describe()));
    const QString reason = m_supervisor->failureReason();
    QVERIFY2(reason.contains("gave up"_L1) && reason.contains("3 times"_L1) && reason.contains("SIGKILL"_L1),
             qPrintable(reason));
    QCOMPARE(m_states.count(State::Crashed), 2);
    QCOMPARE(m_supervisor->processId(), 0);

    // Given up means no more restarts, until the user starts it again.
    QTest::qWait(quietPeriodMs);
    QCOMPARE(m_supervisor->state(), State::Failed);
    m_supervisor->start();
    QVERIFY2(waitForState(State::Running), qPrintable(describe()));
}

void TestServerSupervisor::stopEndsTheProcessAndFreesThePort()
{
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    const qint64 pid = m_supervisor->processId();
    const quint16 port = portOf(m_supervisor->address());
    const quint16 adminPort = quint16(m_supervisor->adminUrl().port());
    QElapsedTimer stopping;
    stopping.start();
    m_supervisor->stop();
    QVERIFY2(waitForState(State::Stopped, stopTimeoutMs), qPrintable(describe()));
    qInfo("stopped in %lld ms", stopping.elapsed());
    QCOMPARE(m_states.last(), State::Stopped);
    QVERIFY(!m_states.contains(State::Crashed));
    QVERIFY(!isProcessAlive(pid));
    QCOMPARE(m_supervisor->processId(), 0);
    QVERIFY(m_supervisor->address().isEmpty());
    QVERIFY(canListenOn(port));
    QVERIFY(canListenOn(adminPort));
    // Stopped the graceful way: berthd saw its standard input close.
    QVERIFY(m_supervisor->recentLogLines().join(u'\n').contains("standard input closed"_L1));

    // Stopping when stopped changes nothing.
    m_supervisor->stop();
    QCOMPARE(m_supervisor->state(), State::Stopped);
}

void TestServerSupervisor::restartReplacesTheProcess()
{
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    const qint64 first = m_supervisor->processId();
    m_supervisor->restart();
    QVERIFY2(waitForTransitions(4), qPrintable(describe()));
    QCOMPARE(m_states, (QList<State>{State::Starting, State::Running, State::Starting, State::Running}));
    QVERIFY(m_supervisor->processId() != first);
    QVERIFY(!isProcessAlive(first));
}

void TestServerSupervisor::stopCancelsAStartOrARestart_data()
{
    QTest::addColumn<StopMoment>("moment");
    QTest::addColumn<QList<State>>("expected");
    QTest::newRow("right after start()")
        << StopMoment::AfterStart << QList<State>{State::Starting, State::Stopped};
    QTest::newRow("from a slot as it enters Starting")
        << StopMoment::OnStarting << QList<State>{State::Starting, State::Stopped};
    QTest::newRow("during the back-off after a crash")
        << StopMoment::OnCrashed
        << QList<State>{State::Starting, State::Running, State::Crashed, State::Stopped};
}

void TestServerSupervisor::stopCancelsAStartOrARestart()
{
    QFETCH(StopMoment, moment);
    QFETCH(QList<State>, expected);
    ServerSupervisor& supervisor = create();
    qint64 pid = 0;
    connect(&supervisor, &ServerSupervisor::stateChanged, &supervisor, [&](State state) {
        if ((moment == StopMoment::OnStarting && state == State::Starting) ||
            (moment == StopMoment::OnCrashed && state == State::Crashed))
            supervisor.stop();
        else if (moment == StopMoment::OnCrashed && state == State::Running)
            pid = supervisor.processId();
    });
    supervisor.start();
    if (moment == StopMoment::AfterStart) {
        pid = supervisor.processId();
        QVERIFY(pid != 0);
        supervisor.stop();
    } else if (moment == StopMoment::OnCrashed) {
        QVERIFY2(waitForState(State::Running), qPrintable(describe()));
        QVERIFY(::kill(static_cast<pid_t>(pid), SIGKILL) == 0);
    }
    QVERIFY2(waitForState(State::Stopped, stopTimeoutMs), qPrintable(describe()));
    QTest::qWait(quietPeriodMs);
    QCOMPARE(m_states, expected);
    QCOMPARE(supervisor.processId(), 0);
    QVERIFY(!isProcessAlive(pid));
}

void TestServerSupervisor::portInUseFailsAtOnce_data()
{
    QTest::addColumn<bool>("adminPort");
    QTest::newRow("registry port") << false;
    QTest::newRow("admin port") << true;
}

void TestServerSupervisor::portInUseFailsAtOnce()
{
    QFETCH(bool, adminPort);
    QTcpServer holder;
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
    LocalServerSettings settings = settingsIn(m_directory->path());
    (adminPort ? settings.adminPort : settings.port) = holder.serverPort();
    ServerSupervisor& supervisor = create(settings, RegistryProcess::berthdPath());
    QSignalSpy portInUse(&supervisor, &ServerSupervisor::portInUse);
    supervisor.start();

    QVERIFY2(waitForState(State::Failed), qPrintable(describe()));
    QCOMPARE(portInUse.size(), 1);
    QCOMPARE(portInUse.first().first().value<quint16>(), holder.serverPort());
    const QString reason = supervisor.failureReason();
    QVERIFY2(reason.contains(QString::number(holder.serverPort())) && reason.contains("already in use"_L1),
             qPrintable(reason));
    QCOMPARE(reason.contains("admin"_L1), adminPort);

    QTest::qWait(quietPeriodMs);
    QCOMPARE(m_states, (QList<State>{State::Starting, State::Failed}));
    QCOMPARE(portInUse.size(), 1);
    QCOMPARE(supervisor.processId(), 0);

    // The user picks another port: it starts on that one.
    (adminPort ? settings.adminPort : settings.port) = 0;
    supervisor.applySettings(settings);
    QVERIFY2(waitForState(State::Running), qPrintable(describe()));
    QVERIFY(supervisor.failureReason().isEmpty());
}

void TestServerSupervisor::appliedSettingsRestartOnTheNewPort()
{
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    const qint64 first = m_supervisor->processId();
    LocalServerSettings settings = m_supervisor->settings();
    // Another program may take a free port before berthd binds it; then pick another.
    for (int attempt = 0; attempt < 3; ++attempt) {
        settings.port = RegistryProcess::freePort();
        QVERIFY(settings.port != 0);
        m_states.clear();
        m_supervisor->applySettings(settings);
        QVERIFY2(QTest::qWaitFor(
                     [&] { return m_states.endsWith(State::Running) || m_states.endsWith(State::Failed); },
                     readyTimeoutMs),
                 qPrintable(describe()));
        if (m_supervisor->state() == State::Running)
            break;
    }
    QCOMPARE(m_states, (QList<State>{State::Starting, State::Running}));
    QCOMPARE(m_supervisor->settings(), settings);
    QCOMPARE(m_supervisor->address(), u"127.0.0.1:%1"_s.arg(settings.port));
    QVERIFY(!isProcessAlive(first));
    HttpClient client(m_supervisor->registryUrl());
    QCOMPARE(client.get(u"/v2/"_s).status, 200);

    // Settings applied while stopped wait for the next start.
    m_supervisor->stop();
    QVERIFY2(waitForState(State::Stopped, stopTimeoutMs), qPrintable(describe()));
    settings.port = 0;
    m_supervisor->applySettings(settings);
    QCOMPARE(m_supervisor->state(), State::Stopped);
    QCOMPARE(m_supervisor->settings(), settings);
}

void TestServerSupervisor::destructionStopsBerthd()
{
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    const qint64 pid = m_supervisor->processId();
    const quint16 port = portOf(m_supervisor->address());
    QElapsedTimer destroying;
    destroying.start();
    m_supervisor.reset();
    qInfo("destroyed in %lld ms", destroying.elapsed());
    QVERIFY(!isProcessAlive(pid));
    QVERIFY(canListenOn(port));
}

void TestServerSupervisor::berthdExitsWhenTheConsoleIsKilled()
{
    QProcess console;
    console.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    console.start(QCoreApplication::applicationFilePath(),
                  {QString::fromLatin1(superviseArgument), m_directory->path()});
    QVERIFY2(QTest::qWaitFor([&] { return console.canReadLine() || console.state() == QProcess::NotRunning; },
                             readyTimeoutMs),
             "the supervising child reported nothing");
    const QByteArray report = console.readLine().trimmed();
    QVERIFY2(report.startsWith("pid "), report.constData());
    const qint64 pid = report.mid(4).toLongLong();
    QVERIFY(isProcessAlive(pid));

    console.kill();
    QVERIFY(console.waitForFinished(stopTimeoutMs));
    QVERIFY2(QTest::qWaitFor([&] { return !isProcessAlive(pid); }, stopTimeoutMs),
             "berthd outlived the console that started it");
}

void TestServerSupervisor::startFailsWithAReason_data()
{
    QTest::addColumn<Berthd>("berthd");
    QTest::addColumn<QString>("listenAddress");
    QTest::addColumn<bool>("storageIsAFile");
    QTest::addColumn<QString>("expected"); // in the reason

    const auto loopback = u"127.0.0.1"_s;
    QTest::newRow("berthd not located")
        << Berthd::Located << loopback << false << u"was not found beside berth"_s;
    QTest::newRow("berthd missing") << Berthd::Missing << loopback << false << u"was not found at /"_s;
    QTest::newRow("berthd not executable")
        << Berthd::NotExecutable << loopback << false << u"is not an executable program"_s;
    QTest::newRow("berthd not a program") << Berthd::NotAProgram << loopback << false << u"Cannot run /"_s;
    QTest::newRow("bad listen address")
        << Berthd::Real << u"not-an-address"_s << false
        << u"could not start: cannot listen on not-an-address:0: not an IP address"_s;
    QTest::newRow("storage folder is a file")
        << Berthd::Real << loopback << true << u"Cannot create the folder"_s;
}

void TestServerSupervisor::startFailsWithAReason()
{
    QFETCH(Berthd, berthd);
    QFETCH(QString, listenAddress);
    QFETCH(bool, storageIsAFile);
    QFETCH(QString, expected);

    LocalServerSettings settings = settingsIn(m_directory->path());
    settings.listenAddress = listenAddress;
    if (storageIsAFile) {
        QFile file(settings.storageFolder);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    QString program;
    switch (berthd) {
    case Berthd::Real:
        program = RegistryProcess::berthdPath();
        break;
    case Berthd::Located:
        QVERIFY(ServerSupervisor::locateBerthd().isEmpty()); // nothing beside this test binary
        break;
    case Berthd::Missing:
        program = m_directory->filePath(u"nowhere/berthd"_s);
        break;
    case Berthd::NotExecutable: {
        QFile file(m_directory->filePath(u"berthd"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        program = file.fileName();
        break;
    }
    case Berthd::NotAProgram: {
        QFile file(m_directory->filePath(u"berthd"_s));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write("neither a script nor a binary\n") > 0);
        QVERIFY(file.setPermissions(file.permissions() | QFile::ExeOwner));
        program = file.fileName();
        break;
    }
    }
    ServerSupervisor& supervisor = create(settings, program);
    supervisor.start();
    QVERIFY2(waitForState(State::Failed), qPrintable(describe()));
    QVERIFY2(supervisor.failureReason().contains(expected), qPrintable(supervisor.failureReason()));
    QTest::qWait(quietPeriodMs);
    QCOMPARE(m_states, (QList<State>{State::Starting, State::Failed}));
    QCOMPARE(supervisor.processId(), 0);
}

void TestServerSupervisor::readinessTimeoutCountsAsACrash()
{
    // berthd cannot be made to hang before it listens; a script that never says it is ready can.
    const QString fake = writeScript(u"silent-berthd"_s, "exec cat >/dev/null\n");
    QVERIFY(!fake.isEmpty());
    ServerSupervisor& supervisor = create(settingsIn(m_directory->path()), fake);
    supervisor.setReadinessTimeout(std::chrono::milliseconds(500));
    supervisor.start();
    QVERIFY2(waitForState(State::Crashed), qPrintable(describe()));
    QVERIFY2(supervisor.failureReason().contains("ready within 0.5 s"_L1),
             qPrintable(supervisor.failureReason()));
    // It is retried like any crash, and given up on like one.
    QVERIFY2(waitForState(State::Failed), qPrintable(describe()));
    QVERIFY2(supervisor.failureReason().contains("gave up"_L1) &&
                 supervisor.failureReason().contains("ready within 0.5 s"_L1),
             qPrintable(supervisor.failureReason()));
    QCOMPARE(m_states.count(State::Starting), 3);
}

void TestServerSupervisor::hungServerIsKilled_data()
{
    QTest::addColumn<bool>("destroy");
    QTest::newRow("stop()") << false;
    QTest::newRow("destructor") << true;
}

void TestServerSupervisor::hungServerIsKilled()
{
    QFETCH(bool, destroy);
    // berthd always honours a closed stdin and SIGTERM; a script that ignores both stands
    // in for one that hangs.
    const QString fake = writeScript(
        u"stubborn-berthd"_s, "trap '' TERM\n"
                              "echo '{\"level\":\"info\",\"msg\":\"listening\",\"addr\":\"127.0.0.1:1\"}'\n"
                              "while :; do sleep 1; done\n");
    QVERIFY(!fake.isEmpty());
    ServerSupervisor& supervisor = create(settingsIn(m_directory->path()), fake);
    QVERIFY2(startAndWaitUntilRunning(), qPrintable(describe()));
    const qint64 pid = supervisor.processId();

    QElapsedTimer stopping;
    stopping.start();
    if (destroy) {
        m_supervisor.reset();
    } else {
        supervisor.stop();
        QVERIFY2(waitForState(State::Stopped, 4 * stopTimeoutMs), qPrintable(describe()));
    }
    qInfo("killed after %lld ms", stopping.elapsed());
    QVERIFY(!isProcessAlive(pid));
    // It had its grace period (5 s) and SIGTERM's (2 s) before the kill.
    QVERIFY2(stopping.elapsed() >= 6000, qPrintable(QString::number(stopping.elapsed())));
}

} // namespace berth::test

int main(int argc, char* argv[])
{
    QCoreApplication application(argc, argv);
    if (argc == 3 && std::strcmp(argv[1], berth::test::superviseArgument) == 0)
        return berth::test::superviseUntilKilled(QString::fromLocal8Bit(argv[2]));
    berth::test::TestServerSupervisor test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestServerSupervisor.moc"
