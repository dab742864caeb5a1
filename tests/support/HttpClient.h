#pragma once
// A blocking HTTP client for tests, on QNetworkAccessManager: each call runs an event
// loop until the reply finishes. Redirects are not followed, so Location can be checked.

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>
#include <QUrl>

namespace berth::test {

struct HttpResponse
{
    int status = 0;                 // 0 when the connection failed
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;           // empty on success

    QByteArray header(const QByteArray& name) const; // case-insensitive, first match
    QByteArray errorCode() const;   // errors[0].code of an OCI error body, empty if none
};

class HttpClient
{
public:
    explicit HttpClient(QUrl base) : m_base(std::move(base)) {}

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    // `pathAndQuery` is appended to the base URL as is (already encoded), or is an absolute URL.
    HttpResponse send(const QByteArray& method, const QString& pathAndQuery,
                      const QByteArray& body = {}, const Headers& headers = {});
    HttpResponse get(const QString& path, const Headers& headers = {}) { return send("GET", path, {}, headers); }
    HttpResponse head(const QString& path, const Headers& headers = {}) { return send("HEAD", path, {}, headers); }

private:
    QUrl m_base;
    QNetworkAccessManager m_manager;
};

// Sends raw bytes on a fresh TCP connection and returns everything received until the
// server closes or `timeoutMs` passes; for malformed requests no HTTP library would send.
QByteArray sendRawRequest(quint16 port, const QByteArray& bytes, int timeoutMs = 5000);

} // namespace berth::test
