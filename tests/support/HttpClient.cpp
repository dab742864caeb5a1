#include "HttpClient.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <memory>

using namespace Qt::StringLiterals;

namespace berth::test {

QByteArray HttpResponse::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool HttpResponse::hasHeader(const QByteArray& name) const
{
    for (const auto& header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QJsonDocument HttpResponse::json() const
{
    return QJsonDocument::fromJson(body);
}

QByteArray HttpResponse::errorCode() const
{
    const QJsonArray errors = json().object().value("errors"_L1).toArray();
    if (errors.isEmpty())
        return {};
    return errors.first().toObject().value("code"_L1).toString().toUtf8();
}

QString HttpResponse::describe() const
{
    if (status == 0)
        return u"no response: "_s + networkError;
    return u"%1 %2"_s.arg(status).arg(QString::fromUtf8(body.left(600)));
}

QUrl HttpClient::resolve(const QString& pathAndQuery) const
{
    if (pathAndQuery.startsWith("http://"_L1) || pathAndQuery.startsWith("https://"_L1))
        return QUrl::fromEncoded(pathAndQuery.toUtf8(), QUrl::StrictMode);
    return QUrl::fromEncoded(m_base.toEncoded() + pathAndQuery.toUtf8(), QUrl::StrictMode);
}

HttpResponse HttpClient::send(const QByteArray& method, const QString& pathAndQuery,
                              const QByteArray& body, const Headers& headers)
{
    QNetworkRequest request(resolve(pathAndQuery));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // HTTP/1.1 only: the registry's clients speak it, and raw tests compare against it.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(m_timeoutMs);
    bool hasContentType = false;
    for (const auto& [name, value] : m_defaultHeaders + headers) {
        request.setRawHeader(name, value);
        hasContentType = hasContentType || name.compare("Content-Type", Qt::CaseInsensitive) == 0;
    }
    // Without this Qt would label bodies as form data.
    if (!hasContentType && (method == "PUT" || method == "POST" || method == "PATCH"))
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));

    std::unique_ptr<QNetworkReply> reply;
    if (method == "GET" && body.isEmpty())
        reply.reset(m_manager.get(request));
    else if (method == "HEAD")
        reply.reset(m_manager.head(request)); // Qt only skips the body for a real HEAD
    else if (method == "PUT")
        reply.reset(m_manager.put(request, body));
    else if (method == "POST")
        reply.reset(m_manager.post(request, body));
    else if (method == "DELETE" && body.isEmpty())
        reply.reset(m_manager.deleteResource(request));
    else
        reply.reset(m_manager.sendCustomRequest(request, method, body));

    if (!reply->isFinished()) {
        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
    }

    HttpResponse response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.headers = reply->rawHeaderPairs();
    response.body = reply->readAll();
    if (response.status == 0)
        response.networkError = reply->errorString();
    return response;
}

QByteArray sendRawRequest(quint16 port, const QByteArray& bytes, int timeoutMs)
{
    RawConnection connection;
    const QDeadlineTimer deadline(timeoutMs);
    if (!connection.connectTo(port, timeoutMs) || !connection.write(bytes))
        return connection.pending();
    connection.waitForClosed(int(deadline.remainingTime()));
    return connection.pending();
}

QByteArray rawRequest(const QByteArray& method, const QByteArray& target, const QString& hostPort,
                      const HttpClient::Headers& headers, const QByteArray& body)
{
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: " + hostPort.toUtf8() + "\r\n";
    bool framed = false;
    for (const auto& [name, value] : headers) {
        request += name + ": " + value + "\r\n";
        framed = framed || name.compare("Content-Length", Qt::CaseInsensitive) == 0
                 || name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0;
    }
    if (!framed && !(body.isEmpty() && (method == "GET" || method == "HEAD")))
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return request + "\r\n" + body;
}

QByteArray chunkedBody(const QByteArray& data, qsizetype chunkSize)
{
    QByteArray body;
    for (qsizetype offset = 0; offset < data.size(); offset += chunkSize) {
        const QByteArray chunk = data.mid(offset, chunkSize);
        body += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    }
    return body + "0\r\n\r\n";
}

namespace {

struct Head
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    qsizetype bodyStart = 0;

    QByteArray header(const QByteArray& name) const
    {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

std::optional<Head> parseHead(const QByteArray& buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    Head head;
    head.bodyStart = end + 4;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.first().startsWith("HTTP/"))
        return std::nullopt;
    head.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            head.headers.append({lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed()});
    }
    return head;
}

// Decodes a chunked body starting at `pos`; returns the decoded body and the end offset.
std::optional<std::pair<QByteArray, qsizetype>> decodeChunked(const QByteArray& buffer, qsizetype pos)
{
    QByteArray body;
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return std::nullopt;
        QByteArray sizeField = buffer.mid(pos, lineEnd - pos);
        if (const qsizetype semicolon = sizeField.indexOf(';'); semicolon >= 0)
            sizeField.truncate(semicolon);
        bool ok = false;
        const qsizetype size = sizeField.trimmed().toLongLong(&ok, 16);
        if (!ok)
            return std::nullopt;
        pos = lineEnd + 2;
        if (size == 0) {
            // Trailers end with an empty line.
            const qsizetype trailerEnd = buffer.indexOf("\r\n", pos);
            if (trailerEnd < 0)
                return std::nullopt;
            if (trailerEnd == pos)
                return std::pair{body, pos + 2};
            const qsizetype end = buffer.indexOf("\r\n\r\n", pos);
            if (end < 0)
                return std::nullopt;
            return std::pair{body, end + 4};
        }
        if (buffer.size() < pos + size + 2)
            return std::nullopt;
        body += buffer.mid(pos, size);
        pos += size + 2;
    }
}

bool hasNoBody(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

} // namespace

std::optional<qsizetype> completeResponseLength(const QByteArray& buffer, bool closed)
{
    const std::optional<Head> head = parseHead(buffer);
    if (!head)
        return std::nullopt;
    if (hasNoBody(head->status))
        return head->bodyStart;
    if (head->header("Transfer-Encoding").toLower().contains("chunked")) {
        const auto chunked = decodeChunked(buffer, head->bodyStart);
        if (!chunked)
            return std::nullopt;
        return chunked->second;
    }
    const QByteArray length = head->header("Content-Length");
    if (!length.isEmpty()) {
        const qsizetype end = head->bodyStart + length.trimmed().toLongLong();
        if (buffer.size() < end)
            return std::nullopt;
        return end;
    }
    if (!closed)
        return std::nullopt;
    return buffer.size();
}

namespace {

HttpResponse parseOne(const QByteArray& raw)
{
    HttpResponse response;
    const std::optional<Head> head = parseHead(raw);
    if (!head)
        return response;
    response.status = head->status;
    response.headers = head->headers;
    if (hasNoBody(head->status))
        return response;
    if (head->header("Transfer-Encoding").toLower().contains("chunked")) {
        if (const auto chunked = decodeChunked(raw, head->bodyStart))
            response.body = chunked->first;
        return response;
    }
    const QByteArray length = head->header("Content-Length");
    response.body = length.isEmpty() ? raw.mid(head->bodyStart)
                                     : raw.mid(head->bodyStart, length.trimmed().toLongLong());
    return response;
}

} // namespace

HttpResponse parseRawResponse(const QByteArray& raw)
{
    qsizetype pos = 0;
    HttpResponse last;
    while (pos < raw.size()) {
        const QByteArray rest = raw.mid(pos);
        const std::optional<qsizetype> length = completeResponseLength(rest, true);
        if (!length || *length == 0)
            break;
        HttpResponse response = parseOne(rest.left(*length));
        if (response.status >= 200 || last.status == 0)
            last = std::move(response);
        pos += *length;
    }
    if (last.status == 0)
        last.networkError = u"no complete HTTP response in %1 bytes"_s.arg(raw.size());
    return last;
}

bool RawConnection::connectTo(quint16 port, int timeoutMs)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(timeoutMs);
}

bool RawConnection::write(const QByteArray& bytes)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState)
        return false;
    if (m_socket.write(bytes) != bytes.size())
        return false;
    while (m_socket.bytesToWrite() > 0) {
        if (!m_socket.waitForBytesWritten(5000))
            return false;
    }
    return true;
}

void RawConnection::readAvailable()
{
    m_buffer += m_socket.readAll();
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        m_closed = true;
}

HttpResponse RawConnection::readResponse(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        readAvailable();
        if (const std::optional<qsizetype> length = completeResponseLength(m_buffer, m_closed)) {
            HttpResponse response = parseOne(m_buffer.left(*length));
            m_buffer.remove(0, *length);
            return response;
        }
        if (m_closed || deadline.hasExpired() || !m_socket.waitForReadyRead(int(deadline.remainingTime()))) {
            readAvailable();
            if (const std::optional<qsizetype> length = completeResponseLength(m_buffer, true);
                length && (m_closed || m_socket.state() != QAbstractSocket::ConnectedState)) {
                HttpResponse response = parseOne(m_buffer.left(*length));
                m_buffer.remove(0, *length);
                return response;
            }
            HttpResponse failed;
            failed.networkError = m_closed ? u"connection closed"_s : u"timed out"_s;
            return failed;
        }
    }
}

bool RawConnection::waitForClosed(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_closed) {
        readAvailable();
        if (m_closed || deadline.hasExpired())
            break;
        if (!m_socket.waitForReadyRead(int(deadline.remainingTime()))) {
            readAvailable();
            m_closed = m_closed || m_socket.state() != QAbstractSocket::ConnectedState;
            if (!m_closed && deadline.hasExpired())
                break;
        }
    }
    return m_closed;
}

bool RawConnection::isOpen() const
{
    return !m_closed && m_socket.state() == QAbstractSocket::ConnectedState;
}

void RawConnection::close()
{
    m_socket.abort();
    m_closed = true;
}

} // namespace berth::test
