#include "ServerSupervisor.h"

#include "app/LocalServerConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <array>
#include <string.h> // sigabbrev_np

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

// A graceful stop (stdin closed) gets this long before SIGTERM, and SIGTERM this long
// before SIGKILL.
constexpr int stopGraceMs = 5000;
constexpr int terminateGraceMs = 2000;
constexpr int recentLineLimit = 200;
constexpr int adminTokenBytes = 32;

QByteArray generateAdminToken()
{
    std::array<quint32, adminTokenBytes / sizeof(quint32)> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char*>(words.data()), adminTokenBytes).toHex();
}

// berthd sees the console's environment, minus the REGISTRY_* overrides that would
// silently change the generated config, plus the admin token.
QProcessEnvironment berthdEnvironment(const QByteArray& adminToken)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString& name : environment.keys()) {
        if (name.startsWith("REGISTRY_"_L1))
            environment.remove(name);
    }
    environment.insert(u"BERTHD_ADMIN_TOKEN"_s, QString::fromLatin1(adminToken));
    return environment;
}

// The URL of a "host:port" that berthd listens on; wildcard hosts are reached on loopback.
QUrl urlOf(const QString& address)
{
    const qsizetype colon = address.lastIndexOf(u':');
    if (address.isEmpty() || colon < 0)
        return {};
    QString host = address.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty() || host == "0.0.0.0"_L1)
        host = u"127.0.0.1"_s;
    else if (host == "::"_L1)
        host = u"::1"_s;
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(host);
    url.setPort(address.mid(colon + 1).toInt());
    return url;
}

// "SIGKILL" for 9.
QString signalName(int signal)
{
    const char* abbreviation = sigabbrev_np(signal);
    return abbreviation ? u"SIG"_s + QString::fromLatin1(abbreviation) : QString::number(signal);
}

// What berthd says when it cannot bind, on stderr and in its "cannot start" log line.
const QRegularExpression& portInUsePattern()
{
    static const QRegularExpression pattern(
        uR"((admin API: )?cannot listen on (\S+):(\d+): the port is already in use)"_s);
    return pattern;
}

} // namespace

ServerSupervisor::ServerSupervisor(LocalServerSettings settings, QString berthdPath, QObject* parent)
    : QObject(parent), m_settings(std::move(settings)), m_berthdPath(std::move(berthdPath)),
      m_adminToken(generateAdminToken())
{
    m_readinessTimer.setSingleShot(true);
    m_restartTimer.setSingleShot(true);
    connect(&m_readinessTimer, &QTimer::timeout, this, &ServerSupervisor::readinessTimedOut);
    connect(&m_restartTimer, &QTimer::timeout, this, &ServerSupervisor::launch);
}

ServerSupervisor::~ServerSupervisor()
{
    QProcess* process = m_run.process;
    if (!process || process->state() == QProcess::NotRunning)
        return;
    // Nobody is left to hear about this process's end.
    process->disconnect(this);
    process->closeWriteChannel();
    if (process->waitForFinished(stopGraceMs))
        return;
    process->terminate();
    if (!process->waitForFinished(terminateGraceMs)) {
        process->kill();
        process->waitForFinished(terminateGraceMs);
    }
}

QString ServerSupervisor::locateBerthd()
{
    const QDir directory(QCoreApplication::applicationDirPath());
    for (const QString& candidate : {u"berthd"_s, u"../libexec/berth/berthd"_s}) {
        const QFileInfo file(directory.filePath(candidate));
        if (file.isFile() && file.isExecutable())
            return QDir::cleanPath(file.filePath());
    }
    return {};
}

QUrl ServerSupervisor::registryUrl() const
{
    return urlOf(m_address);
}

QUrl ServerSupervisor::adminUrl() const
{
    return urlOf(m_adminAddress);
}

qint64 ServerSupervisor::processId() const
{
    return m_run.process ? m_run.process->processId() : 0;
}

void ServerSupervisor::start()
{
    if (m_run.process) {
        // Running or starting already; a stop in progress is followed by a start.
        if (m_run.stopRequested)
            m_startAfterStop = true;
        return;
    }
    m_restartTimer.stop();
    m_restartPolicy.reset();
    launch();
}

void ServerSupervisor::stop()
{
    m_restartTimer.stop();
    m_startAfterStop = false;
    if (m_run.process) {
        requestStop();
        return;
    }
    m_failureReason.clear();
    setState(State::Stopped);
}

void ServerSupervisor::restart()
{
    if (!m_run.process) {
        start();
        return;
    }
    m_restartPolicy.reset();
    m_startAfterStop = true;
    requestStop();
}

void ServerSupervisor::applySettings(const LocalServerSettings& settings)
{
    m_settings = settings;
    if (m_state != State::Stopped)
        restart();
}

void ServerSupervisor::launch()
{
    m_failureReason.clear();
    setState(State::Starting);
    if (m_state != State::Starting) // a slot connected to stateChanged stopped it already
        return;
    const auto program = berthdProgram();
    if (!program) {
        fail(program.error());
        return;
    }
    const LocalServerConfig config(m_settings);
    const auto configPath = config.write();
    if (!configPath) {
        fail(configPath.error());
        return;
    }

    auto* process = new QProcess(this);
    m_run = Run{};
    m_run.process = process;
    process->setProgram(*program);
    // The write channel stays open: closing it is how berthd is stopped gracefully, and
    // it closes by itself when the console dies, so berthd never outlives it.
    process->setArguments({u"serve"_s, *configPath, u"--exit-on-stdin-close"_s});
    process->setProcessEnvironment(berthdEnvironment(m_adminToken));
    process->setWorkingDirectory(config.dataFolder());
    connect(process, &QProcess::readyReadStandardOutput, this,
            [this] { readLines(QProcess::StandardOutput); });
    connect(process, &QProcess::readyReadStandardError, this, [this] { readLines(QProcess::StandardError); });
    connect(process, &QProcess::finished, this, &ServerSupervisor::processFinished);
    connect(process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            processFailedToStart();
    });
    m_readinessTimer.start(m_readinessTimeout);
    process->start(QIODevice::ReadWrite);
}

Expected<QString, QString> ServerSupervisor::berthdProgram() const
{
    if (m_berthdPath.isEmpty()) {
        const QString located = locateBerthd();
        if (!located.isEmpty())
            return located;
        const QString here = QCoreApplication::applicationDirPath();
        return unexpected(tr("berthd, the registry server, was not found beside berth in %1 or in %2.")
                              .arg(here, QDir::cleanPath(here + u"/../libexec/berth"_s)));
    }
    const QFileInfo file(m_berthdPath);
    if (!file.exists())
        return unexpected(tr("berthd, the registry server, was not found at %1.").arg(m_berthdPath));
    if (!file.isFile() || !file.isExecutable())
        return unexpected(tr("%1 is not an executable program.").arg(m_berthdPath));
    return m_berthdPath;
}

void ServerSupervisor::requestStop()
{
    if (m_run.stopRequested)
        return;
    m_run.stopRequested = true;
    m_readinessTimer.stop();
    QProcess* process = m_run.process;
    process->closeWriteChannel();
    // The timers die with the process object, so they never touch a later one.
    QTimer::singleShot(stopGraceMs, process, [process] {
        process->terminate();
        QTimer::singleShot(terminateGraceMs, process, [process] { process->kill(); });
    });
}

void ServerSupervisor::readLines(QProcess::ProcessChannel channel, bool untilEnd)
{
    QProcess& process = *m_run.process;
    process.setReadChannel(channel);
    while (process.canReadLine())
        handleLine(process.readLine(), channel);
    if (untilEnd && process.bytesAvailable() > 0) // a last line without its newline
        handleLine(process.readAll(), channel);
}

void ServerSupervisor::handleLine(QByteArray line, QProcess::ProcessChannel channel)
{
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return;
    remember(line);
    emit logLine(line);

    if (line.contains("already in use")) {
        if (const auto match = portInUsePattern().match(QString::fromUtf8(line)); match.hasMatch()) {
            m_run.busyPort = match.captured(3).toUShort();
            m_run.busyPortIsAdmin = match.hasCaptured(1);
        }
    }
    if (channel == QProcess::StandardError) {
        m_run.lastError = QString::fromUtf8(line.startsWith("berthd: ") ? line.mid(8) : line);
    } else {
        const QJsonObject entry = QJsonDocument::fromJson(line).object();
        const QString message = entry.value("msg"_L1).toString();
        if (entry.value("level"_L1).toString() == "error"_L1)
            m_run.lastError = entry.contains("error"_L1) ? entry.value("error"_L1).toString() : message;
        if (message == "admin API listening"_L1) {
            m_adminAddress = entry.value("addr"_L1).toString();
        } else if (message == "listening"_L1 && m_state == State::Starting && !m_run.stopRequested) {
            m_readinessTimer.stop();
            m_address = entry.value("addr"_L1).toString();
            setState(State::Running);
        }
    }
}

void ServerSupervisor::remember(const QByteArray& line)
{
    m_recentLogLines.append(QString::fromUtf8(line));
    if (m_recentLogLines.size() > recentLineLimit)
        m_recentLogLines.removeFirst();
}

void ServerSupervisor::processFinished(int exitCode, QProcess::ExitStatus status)
{
    readLines(QProcess::StandardOutput, true);
    readLines(QProcess::StandardError, true);
    m_readinessTimer.stop();
    const bool wasReady = m_state == State::Running;
    const Run run = std::exchange(m_run, Run{});
    run.process->deleteLater();
    m_address.clear();
    m_adminAddress.clear();

    if (run.stopRequested) {
        if (std::exchange(m_startAfterStop, false))
            launch();
        else
            setState(State::Stopped);
        return;
    }
    if (run.busyPort) {
        // Restarting cannot help until the user frees the port or picks another.
        fail(portInUseReason(*run.busyPort, run.busyPortIsAdmin));
        emit portInUse(*run.busyPort);
        return;
    }
    // A refusal to start (bad settings, unusable storage) says why; trying again would not help.
    if (!wasReady && status == QProcess::NormalExit && exitCode != 0) {
        fail(run.lastError.isEmpty()
                 ? tr("The registry server could not start: berthd exited with code %1.").arg(exitCode)
                 : tr("The registry server could not start: %1").arg(run.lastError));
        return;
    }
    crashed(exitReason(run, exitCode, status));
}

QString ServerSupervisor::portInUseReason(quint16 port, bool admin)
{
    return admin ? tr("Port %1, which the registry's admin API needs on 127.0.0.1, is already in use by "
                      "another "
                      "program. Choose another admin port in the settings.")
                       .arg(port)
                 : tr("Port %1 is already in use by another program, so the registry cannot listen on it. "
                      "Choose another port in the settings.")
                       .arg(port);
}

QString ServerSupervisor::exitReason(const Run& run, int exitCode, QProcess::ExitStatus status) const
{
    QString reason;
    if (run.readinessTimedOut) {
        reason = tr("berthd did not report that it was ready within %1 s, so it was stopped.")
                     .arg(std::chrono::duration<double>(m_readinessTimeout).count());
    } else if (status == QProcess::CrashExit) {
        reason = tr("berthd was killed by signal %1 (%2).").arg(exitCode).arg(signalName(exitCode));
    } else {
        reason = tr("berthd exited with code %1.").arg(exitCode);
    }
    if (!run.lastError.isEmpty())
        reason += u' ' + tr("Its last error: %1").arg(run.lastError);
    return reason;
}

void ServerSupervisor::processFailedToStart()
{
    m_readinessTimer.stop();
    const Run run = std::exchange(m_run, Run{});
    run.process->deleteLater();
    fail(tr("Cannot run %1: %2").arg(run.process->program(), run.process->errorString()));
}

void ServerSupervisor::readinessTimedOut()
{
    m_run.readinessTimedOut = true;
    m_run.process->kill();
}

void ServerSupervisor::crashed(const QString& reason)
{
    const auto delay = m_restartPolicy.crashed();
    if (!delay) {
        const auto window = std::chrono::duration<double>(m_restartPolicy.limits().window).count();
        fail(tr("berthd stopped unexpectedly %1 times within %2 s, so berth gave up restarting it. %3")
                 .arg(m_restartPolicy.recentCrashes())
                 .arg(window)
                 .arg(reason));
        return;
    }
    m_failureReason = reason;
    m_restartTimer.start(*delay);
    setState(State::Crashed);
}

void ServerSupervisor::fail(const QString& reason)
{
    m_restartTimer.stop();
    m_failureReason = reason;
    setState(State::Failed);
}

void ServerSupervisor::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace berth::app
