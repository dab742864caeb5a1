#pragma once
// A blocking HTTP client for tests, on QNetworkAccessManager: each call runs an event
// loop until the reply finishes. Redirects are not followed, so Location can be checked.
// For bytes no HTTP library would send (bad framing, several header lines of one name,
// Expect: 100-continue, stalls) there is RawConnection, on a plain QTcpSocket.

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>
#include <QTcpSocket>
#include <QUrl>

#include <optional>

namespace berth::test {

struct HttpResponse
{
    int status = 0;                 // 0 when the connection failed
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;           // empty on success

    QByteArray header(const QByteArray& name) const; // case-insensitive, first match
    bool hasHeader(const QByteArray& name) const;
    QByteArray errorCode() const;   // errors[0].code of an OCI error body, empty if none
    QJsonDocument json() const;     // the body as JSON, null if it is not
    // "status code message" for failure messages.
    QString describe() const;
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

    // The URL a path resolves to (a Location header may be relative or absolute).
    QUrl resolve(const QString& pathAndQuery) const;
    void setTimeout(int ms) { m_timeoutMs = ms; }
    // Sent with every request before the call's own headers (e.g. Authorization).
    void setDefaultHeaders(const Headers& headers) { m_defaultHeaders = headers; }

private:
    QUrl m_base;
    int m_timeoutMs = 30000;
    Headers m_defaultHeaders;
    QNetworkAccessManager m_manager;
};

// Sends raw bytes on a fresh TCP connection and returns everything received until the
// server closes or `timeoutMs` passes; for malformed requests no HTTP library would send.
QByteArray sendRawRequest(quint16 port, const QByteArray& bytes, int timeoutMs = 5000);

// An HTTP/1.1 request as bytes: request line, Host, `headers`, then `body`. Adds
// Content-Length unless `headers` has Content-Length or Transfer-Encoding (the body is then
// sent exactly as given) or the method is GET or HEAD with no body.
QByteArray rawRequest(const QByteArray& method, const QByteArray& target, const QString& hostPort,
                      const HttpClient::Headers& headers = {}, const QByteArray& body = {});

// `data` in HTTP/1.1 chunked transfer coding, in chunks of `chunkSize` bytes.
QByteArray chunkedBody(const QByteArray& data, qsizetype chunkSize);

// Parses the last final (non-1xx) HTTP/1.1 response in `raw`; status 0 if there is none.
HttpResponse parseRawResponse(const QByteArray& raw);

// Length of the first complete response at the start of `buffer` (1xx responses count
// as complete responses of their own), or nothing while more bytes are needed.
// `closed` says the peer has closed, which ends a body without a length.
std::optional<qsizetype> completeResponseLength(const QByteArray& buffer, bool closed);

// One TCP connection driven step by step with blocking calls.
class RawConnection
{
public:
    bool connectTo(quint16 port, int timeoutMs = 5000);
    bool write(const QByteArray& bytes);
    // Reads the next complete response (a 1xx one too); status 0 on timeout or close.
    HttpResponse readResponse(int timeoutMs = 5000);
    // True once the server has closed the connection (waits at most `timeoutMs`).
    bool waitForClosed(int timeoutMs);
    bool isOpen() const;
    // Everything received and not yet consumed by readResponse().
    QByteArray pending() const { return m_buffer; }
    void close();

private:
    void readAvailable();

    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_closed = false;
};

} // namespace berth::test
