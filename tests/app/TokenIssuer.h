#pragma once
// A token server for docker-registry's `auth.token`, as Docker's token specification
// describes it, on a QTcpServer inside the test: GET /token?service=...&scope=... with Basic
// credentials answers {"token": <RS256 JWT granting the scopes asked for>, "expires_in"}.
// The JWT carries its certificate (x5c), which the registry trusts through rootcertbundle.
// Counts the tokens it issues, so a test can see a client cache them.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrl>
#include <memory>

class QTcpSocket;

namespace berth::test {

class TokenIssuer : public QObject
{
    Q_OBJECT

public:
    static constexpr QLatin1StringView service{"berth-test-registry"};
    static constexpr QLatin1StringView issuer{"berth-test-issuer"};

    TokenIssuer(QString username, QString password);
    ~TokenIssuer() override;

    // Makes the signing key and its self-signed certificate (openssl CLI) and listens on a
    // loopback port. Returns what went wrong, or empty.
    QString start();

    QUrl realm() const;
    // The registry's auth: section (top-level YAML) for this issuer.
    QByteArray registryConfig() const;
    // Tokens issued so far, and the scope parameters of every request.
    int issuedCount() const { return m_issued; }
    QStringList requestedScopes() const { return m_requestedScopes; }

private:
    void serve(QTcpSocket* socket);
    QByteArray answer(const QByteArray& request);
    QByteArray token(const QString& subject, const QStringList& scopes) const;

    QString m_username;
    QString m_password;
    QTemporaryDir m_dir;
    QTcpServer m_server;
    QByteArray m_certificateDer;
    struct Key;
    std::unique_ptr<Key> m_key;
    int m_issued = 0;
    QStringList m_requestedScopes;
};

} // namespace berth::test
