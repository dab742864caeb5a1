#include "AdminServer.h"

#include "RegistryFixtures.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

namespace berth::test {

QByteArray randomToken(const char* prefix)
{
    return prefix + randomBytes(12).toHex();
}

QByteArray adminSection(const QByteArray& addr, const QByteArray& token)
{
    // Quoted: "[::]:5001" unquoted would be a YAML flow sequence.
    QByteArray yaml = "admin:\n  addr: \"" + addr + "\"\n";
    if (!token.isEmpty())
        yaml += "  token: " + token + "\n";
    return yaml;
}

QByteArray loopbackAddr(quint16 port)
{
    return "127.0.0.1:" + QByteArray::number(port);
}

HttpClient::Headers bearer(const QByteArray& token)
{
    return {{"Authorization", "Bearer " + token}};
}

QString checkErrorBody(const HttpResponse& response)
{
    const QJsonArray errors = response.json().object().value("errors"_L1).toArray();
    if (errors.isEmpty())
        return u"not an error body: "_s + response.describe();
    const QJsonObject first = errors.first().toObject();
    if (first.value("code"_L1).toString().isEmpty() || !first.value("message"_L1).isString())
        return u"error without code or message: "_s + response.describe();
    return {};
}

bool accepts(quint16 port, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(timeoutMs);
}

AdminServer::~AdminServer()
{
    if (m_ownedByTest && QTest::currentTestFailed())
        printOutputTail(m_process);
}

QString AdminServer::start(const QByteArray& configToken, const QString& environmentToken,
                           const QByteArray& httpConfig, const QByteArray& extraConfig)
{
    m_adminPort = RegistryProcess::freePort();
    m_process.setEnvironmentVariable(tokenVariable, environmentToken);
    m_process.setHttpConfig(httpConfig);
    m_process.setExtraConfig(adminSection(loopbackAddr(m_adminPort), configToken) + extraConfig);
    if (!m_process.start())
        return m_process.errorString();
    m_registry = std::make_unique<HttpClient>(m_process.baseUrl());
    m_admin = std::make_unique<HttpClient>(QUrl(u"http://127.0.0.1:%1"_s.arg(m_adminPort)));
    m_token = environmentToken.isEmpty() ? configToken : environmentToken.toUtf8();
    return {};
}

QString AdminServer::waitForAdmin(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (accepts(m_adminPort, 500))
            return {};
        QThread::msleep(50);
    }
    return u"nothing listens on the admin port %1"_s.arg(m_adminPort);
}

HttpResponse AdminServer::send(const QByteArray& method, const QString& path, const QByteArray& body)
{
    HttpClient::Headers headers = bearer(m_token);
    if (!body.isEmpty())
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return m_admin->send(method, path, body, headers);
}

QJsonObject AdminServer::runJob(const QString& path, const QByteArray& body, int timeoutMs)
{
    const HttpResponse started = send("POST", path, body);
    const QString id = started.json().object().value("id"_L1).toString();
    const QString location = QString::fromUtf8(started.header("Location"));
    if (started.status != 202 || id.isEmpty() || m_admin->resolve(location).path() != path + u'/' + id) {
        qWarning("POST %s: %s, Location '%s'", qPrintable(path), qPrintable(started.describe()),
                 qPrintable(location));
        return {};
    }
    QJsonObject job;
    const auto finished = [&] {
        job = send("GET", location).json().object();
        return job.value("state"_L1).toString() != "running"_L1;
    };
    [&] { QTRY_VERIFY_WITH_TIMEOUT(finished(), timeoutMs); }();
    return job;
}

} // namespace berth::test
