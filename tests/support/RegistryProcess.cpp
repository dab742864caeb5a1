#include "RegistryProcess.h"

#include "HttpClient.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QThread>

#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int StopGraceMs = 5000;

QByteArray yamlQuoted(const QString& value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"");
    return '"' + out + '"';
}

} // namespace

RegistryProcess::RegistryProcess(Kind kind) : m_kind(kind) {}

RegistryProcess::~RegistryProcess()
{
    stop();
}

RegistryProcess::Kind RegistryProcess::kindFromEnvironment()
{
    return qEnvironmentVariable("BERTH_TEST_REGISTRY") == "distribution"_L1 ? Kind::Distribution
                                                                              : Kind::Berthd;
}

QString RegistryProcess::berthdPath()
{
    return qEnvironmentVariable("BERTHD");
}

quint16 RegistryProcess::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

QString RegistryProcess::hostPort() const
{
    return u"127.0.0.1:%1"_s.arg(m_port);
}

QUrl RegistryProcess::baseUrl() const
{
    return QUrl(u"http://"_s + hostPort());
}

QString RegistryProcess::storageRoot() const
{
    return m_storageRoot.isEmpty() ? m_workDir.filePath(u"storage"_s) : m_storageRoot;
}

QString RegistryProcess::configPath() const
{
    return m_workDir.filePath(u"config.yml"_s);
}

QString RegistryProcess::outputPath() const
{
    return m_workDir.filePath(u"output.log"_s);
}

QByteArray RegistryProcess::output() const
{
    QFile file(outputPath());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void RegistryProcess::setEnvironmentVariable(const QString& name, const QString& value)
{
    if (value.isNull())
        m_environment.remove(name);
    else
        m_environment.insert(name, value);
}

bool RegistryProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QByteArray RegistryProcess::configYaml() const
{
    QByteArray yaml = "version: 0.1\n"
                      "log:\n"
                      "  level: info\n"
                      "storage:\n"
                      "  filesystem:\n"
                      "    rootdirectory: " + yamlQuoted(storageRoot()) + "\n"
                      "  delete:\n"
                      "    enabled: true\n"
                      + m_storageConfig
                      + "http:\n"
                      "  addr: " + hostPort().toUtf8() + "\n"
                      + m_httpConfig;
    yaml += m_extraConfig;
    if (!yaml.endsWith('\n'))
        yaml += '\n';
    return yaml;
}

bool RegistryProcess::start(int timeoutMs)
{
    stop();
    m_error.clear();
    if (!m_workDir.isValid()) {
        m_error = u"cannot create a temporary directory: "_s + m_workDir.errorString();
        return false;
    }
    QString program;
    if (m_kind == Kind::Berthd) {
        program = berthdPath();
        if (program.isEmpty() || !QFileInfo(program).isExecutable()) {
            m_error = u"BERTHD is not set to an executable: '%1'"_s.arg(program);
            return false;
        }
    } else {
        program = u"docker-registry"_s;
    }
    QDir().mkpath(storageRoot());

    // The free port can be taken between probing and binding; try a few ports.
    const QDeadlineTimer deadline(timeoutMs);
    for (int attempt = 0; attempt < 3; ++attempt) {
        m_port = freePort();
        QFile config(configPath());
        if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate) || config.write(configYaml()) < 0) {
            m_error = u"cannot write "_s + configPath();
            return false;
        }
        config.close();

        m_process = std::make_unique<QProcess>();
        m_process->setProgram(program);
        m_process->setArguments({u"serve"_s, configPath()});
        m_process->setWorkingDirectory(m_workDir.path());
        m_process->setProcessEnvironment(m_environment);
        // A file, not a pipe: a chatty server never blocks on a full pipe while the test waits.
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setStandardOutputFile(outputPath(), QIODevice::Append);
        m_process->setStandardInputFile(QProcess::nullDevice());
        // The kernel kills the server if the test process dies without running destructors.
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_process->start();
        if (!m_process->waitForStarted(5000)) {
            m_error = u"cannot start %1: %2"_s.arg(program, m_process->errorString());
            m_process.reset();
            return false;
        }

        while (!deadline.hasExpired()) {
            if (m_process->state() == QProcess::NotRunning)
                break;
            const HttpResponse probe =
                parseRawResponse(sendRawRequest(m_port,
                                                "GET /v2/ HTTP/1.1\r\nHost: " + hostPort().toUtf8()
                                                    + "\r\nConnection: close\r\n\r\n",
                                                1000));
            if (probe.status == 200 || probe.status == 401)
                return true;
            QThread::msleep(50);
            m_process->waitForFinished(0); // lets QProcess notice an exit
        }

        const QByteArray log = output();
        if (isRunning()) {
            m_error = u"%1 did not answer GET /v2/ within %2 ms:\n%3"_s.arg(program)
                          .arg(timeoutMs)
                          .arg(QString::fromUtf8(log.right(4000)));
            stop();
            return false;
        }
        m_error = u"%1 exited with code %2:\n%3"_s.arg(program)
                      .arg(m_process->exitCode())
                      .arg(QString::fromUtf8(log.right(4000)));
        m_process.reset();
        if (!log.contains("address already in use") && !log.contains("Address already in use"))
            return false;
    }
    return false;
}

void RegistryProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(StopGraceMs)) {
            m_process->kill();
            m_process->waitForFinished(StopGraceMs);
        }
    }
}

void RegistryProcess::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(StopGraceMs);
    }
}

} // namespace berth::test
