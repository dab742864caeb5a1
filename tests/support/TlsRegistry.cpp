#include "TlsRegistry.h"

#include "CommandRunner.h"
#include "RegistryProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>
#include <csignal>
#include <sys/prctl.h>
#include <utility>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace berth::test {

QString TlsRegistry::start(const CertificateSubject& subject)
{
    if (!m_dir.isValid())
        return u"cannot create a temporary directory"_s;
    if (QString error = makeCertificate(subject); !error.isEmpty())
        return error;
    m_port = RegistryProcess::freePort();
    const QByteArray config = "version: 0.1\n"
                              "storage:\n"
                              "  filesystem:\n"
                              "    rootdirectory: " +
                              m_dir.filePath(u"storage"_s).toUtf8() +
                              "\n"
                              "http:\n"
                              "  addr: 127.0.0.1:" +
                              QByteArray::number(m_port) +
                              "\n"
                              "  tls:\n"
                              "    certificate: " +
                              certificatePath().toUtf8() +
                              "\n"
                              "    key: " +
                              keyPath().toUtf8() + "\n";
    QFile configFile(m_dir.filePath(u"config.yml"_s));
    if (!configFile.open(QIODevice::WriteOnly) || configFile.write(config) != config.size())
        return u"cannot write "_s + configFile.fileName();
    configFile.close();

    m_process.setProgram(u"docker-registry"_s);
    m_process.setArguments({u"serve"_s, configFile.fileName()});
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_dir.filePath(u"output.log"_s));
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process.start();
    if (!m_process.waitForStarted(5000))
        return u"cannot start docker-registry: "_s + m_process.errorString();
    const QDeadlineTimer deadline(15s);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        if (probe.waitForConnected(500))
            return {};
        QTest::qWait(50);
    }
    return u"docker-registry with TLS did not listen on %1: %2"_s.arg(m_port).arg(output());
}

void TlsRegistry::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QUrl TlsRegistry::baseUrl() const
{
    return QUrl(u"https://127.0.0.1:%1"_s.arg(m_port));
}

QSslCertificate TlsRegistry::certificate() const
{
    return QSslCertificate::fromPath(certificatePath()).value(0);
}

QString TlsRegistry::output() const
{
    QFile file(m_dir.filePath(u"output.log"_s));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll().right(4000)) : QString();
}

QString TlsRegistry::makeCertificate(const CertificateSubject& subject)
{
    const QStringList request{u"-newkey"_s,
                              u"rsa:2048"_s,
                              u"-nodes"_s,
                              u"-keyout"_s,
                              keyPath(),
                              u"-subj"_s,
                              u"/CN="_s + subject.commonName,
                              u"-addext"_s,
                              u"subjectAltName="_s + subject.alternativeNames};
    QList<QStringList> steps;
    if (!subject.expired) {
        steps.append(QStringList{u"req"_s, u"-x509"_s, u"-days"_s, u"2"_s, u"-out"_s, certificatePath()} +
                     request);
    } else {
        const QByteArray dir = m_dir.path().toUtf8();
        const QByteArray caConfig = "[ca]\ndefault_ca = selfsigned\n"
                                    "[selfsigned]\ndatabase = " +
                                    dir + "/index.txt\nnew_certs_dir = " + dir +
                                    "\nrand_serial = yes\ndefault_md = sha256\npolicy = anything\n"
                                    "copy_extensions = copy\n"
                                    "[anything]\ncommonName = supplied\n";
        for (const auto& [name, content] :
             {std::pair{u"ca.cnf"_s, caConfig}, std::pair{u"index.txt"_s, QByteArray()}}) {
            QFile file(m_dir.filePath(name));
            if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
                return u"cannot write "_s + file.fileName();
        }
        steps.append(QStringList{u"req"_s, u"-new"_s, u"-out"_s, m_dir.filePath(u"request.pem"_s)} + request);
        steps.append({u"ca"_s, u"-batch"_s, u"-selfsign"_s, u"-config"_s, m_dir.filePath(u"ca.cnf"_s),
                      u"-keyfile"_s, keyPath(), u"-in"_s, m_dir.filePath(u"request.pem"_s), u"-out"_s,
                      certificatePath(), u"-startdate"_s, u"20200101000000Z"_s, u"-enddate"_s,
                      u"20200102000000Z"_s});
    }
    for (const QStringList& arguments : steps) {
        const FinishedCommand made = runCommand(u"openssl"_s, arguments, 60000);
        if (!made.succeeded())
            return u"openssl "_s + arguments.join(u' ') + u": "_s + made.describe();
    }
    return {};
}

} // namespace berth::test
