#pragma once
// docker-registry serving HTTPS with a self-signed certificate made by the openssl CLI, for
// tests of what the console does with a certificate the system does not trust.
// RegistryProcess probes its registry with plain HTTP, which a TLS listener answers with
// 400, so this one runs the process itself and waits for the port to accept.

#include <QProcess>
#include <QSslCertificate>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

namespace berth::test {

// What the certificate is made for.
struct CertificateSubject
{
    QString commonName;
    QString alternativeNames; // openssl's subjectAltName syntax, e.g. "IP:127.0.0.1"
    bool expired = false;     // valid for a day in 2020
};

class TlsRegistry
{
public:
    TlsRegistry() = default;
    ~TlsRegistry() { stop(); }
    TlsRegistry(const TlsRegistry&) = delete;
    TlsRegistry& operator=(const TlsRegistry&) = delete;

    // Makes the certificate and starts the registry; returns what went wrong, or empty.
    QString start(const CertificateSubject& subject);
    void stop();

    QUrl baseUrl() const; // "https://127.0.0.1:PORT"
    QSslCertificate certificate() const;
    // The end of what the registry printed, for a failure message.
    QString output() const;

private:
    // A key and a self-signed certificate for it, by `openssl req -x509`, or for dates in the
    // past (which req cannot set) by `openssl ca -selfsign` over a request.
    QString makeCertificate(const CertificateSubject& subject);
    QString keyPath() const { return m_dir.filePath(QStringLiteral("key.pem")); }
    QString certificatePath() const { return m_dir.filePath(QStringLiteral("certificate.pem")); }

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace berth::test
