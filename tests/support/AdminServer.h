#pragma once
// What the admin API tests share: berthd with its admin API on a loopback port of its own,
// clients for both listeners, and helpers for tokens and the admin section of config.yml.

#include "HttpClient.h"
#include "RegistryProcess.h"

#include <QByteArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <memory>

namespace berth::test {

inline constexpr QLatin1StringView tokenVariable{"BERTHD_ADMIN_TOKEN"};

// `prefix` followed by random hex.
QByteArray randomToken(const char* prefix);
// config.yml's admin: section.
QByteArray adminSection(const QByteArray& addr, const QByteArray& token);
QByteArray loopbackAddr(quint16 port); // "127.0.0.1:<port>"
HttpClient::Headers bearer(const QByteArray& token);
// Empty when `response` carries the registry's error shape: {"errors":[{"code","message"}]}.
QString checkErrorBody(const HttpResponse& response);
// Whether something accepts TCP connections on 127.0.0.1:`port`.
bool accepts(quint16 port, int timeoutMs = 2000);

class AdminServer
{
public:
    // A server a test function owns prints its output when the test failed, however the
    // test returned.
    explicit AdminServer(bool ownedByTest = true) : m_ownedByTest(ownedByTest) {}
    ~AdminServer();
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    // `environmentToken` null leaves BERTHD_ADMIN_TOKEN unset; `configToken` empty leaves
    // admin.token out of config.yml; `extraConfig` is more top-level YAML. Called again, it
    // restarts berthd on the same storage, on new ports.
    QString start(const QByteArray& configToken, const QString& environmentToken = {},
                  const QByteArray& httpConfig = {}, const QByteArray& extraConfig = {});

    // Waits until the admin listener accepts connections (berthd opens it after the
    // registry's, which start() waited for).
    QString waitForAdmin(int timeoutMs = 5000);

    RegistryProcess& process() { return m_process; }
    HttpClient& registry() { return *m_registry; }
    HttpClient& admin() { return *m_admin; }
    quint16 adminPort() const { return m_adminPort; }
    QByteArray token() const { return m_token; }

    // A request to the admin API with the token.
    HttpResponse send(const QByteArray& method, const QString& path, const QByteArray& body = {});
    // POSTs `body` to `path`, which starts a job (202, its id, Location `path`/<id>), then
    // polls the job until it no longer runs: its last status, empty (with a warning) on failure.
    QJsonObject runJob(const QString& path, const QByteArray& body = {}, int timeoutMs = 20000);

private:
    bool m_ownedByTest;
    RegistryProcess m_process{RegistryProcess::Kind::Berthd};
    quint16 m_adminPort = 0;
    QByteArray m_token;
    std::unique_ptr<HttpClient> m_registry;
    std::unique_ptr<HttpClient> m_admin;
};

} // namespace berth::test
