#pragma once
// Carries requests to one registry over HTTP(S) for RegistryClient: answers the registry's
// auth challenge (Basic, or a Bearer token from its token server, cached per scope), follows
// redirects (without credentials when they lead to another host), accepts a certificate that
// does not verify only when the user trusted exactly that one, and turns failures into
// RegistryErrors. What an answer means is the client's business.

#include "app/Credentials.h"
#include "app/RegistryTypes.h"
#include "app/TokenCache.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QUrl>
#include <QUrlQuery>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

class QNetworkAccessManager;

namespace berth::app {

struct AuthChallenge;

struct RegistryRequest
{
    QByteArray method = "GET";
    QString path = {}; // "/v2/_catalog"
    QUrlQuery query = {};
    QByteArrayList accept = {}; // media types, most wanted first
    QString scope = {};         // the token scope it needs, e.g. "repository:team/app:pull"
};

struct RegistryResponse
{
    int status = 0;
    QUrl url; // where the answer came from, after redirects
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(QByteArrayView name) const; // case-insensitive, empty if absent
    bool isSuccess() const { return status >= 200 && status < 300; }
};

class RegistryTransport : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(RegistryResult<RegistryResponse>)>;

    RegistryTransport(const QUrl& baseUrl, QNetworkAccessManager* network, QObject* parent = nullptr);
    ~RegistryTransport() override; // abort()

    QUrl baseUrl() const { return m_baseUrl; }
    void setCredentials(const Credentials& credentials);
    void trustCertificate(const QSslCertificate& certificate);
    QSslCertificate untrustedCertificate() const { return m_untrustedCertificate; }
    // How long a transfer may stall before it fails as timed out.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // Calls `handler` once, later, from this object's thread: with the registry's answer
    // (any status, but 401 only when the credentials did not get past it) or with the
    // error that kept it from answering.
    void send(RegistryRequest request, Handler handler);
    // Aborts every request in flight; their handlers get Kind::Cancelled.
    void abort();

private:
    struct Exchange;
    enum class Scheme
    {
        None,
        Basic,
        Bearer
    };

    void issue(Exchange& exchange, const QByteArray& method, const QUrl& url,
               const QByteArray& authorization);
    // Sends the request again from the start, with other credentials.
    void retry(Exchange& exchange, const QByteArray& authorization);
    void onSslErrors(Exchange& exchange, const QList<QSslError>& errors);
    void onFinished(Exchange& exchange);
    void onAnswer(Exchange& exchange, const RegistryResponse& response);
    void onChallenge(Exchange& exchange, const RegistryResponse& response);
    void fetchToken(Exchange& exchange, const AuthChallenge& challenge);
    void onToken(Exchange& exchange, const RegistryResponse& response);
    void finish(Exchange& exchange, RegistryResult<RegistryResponse> result);

    QUrl urlFor(const RegistryRequest& request) const;
    bool isRegistryOrigin(const QUrl& url) const;
    // What to send up front, from what earlier challenges taught us.
    QByteArray authorizationFor(const RegistryRequest& request) const;
    QByteArray basicAuthorization() const;

    QUrl m_baseUrl;
    QNetworkAccessManager* m_network; // the caller's; outlives this
    Credentials m_credentials;
    Scheme m_scheme = Scheme::None;
    TokenCache m_tokens;
    QList<QSslCertificate> m_trustedCertificates;
    QSslCertificate m_untrustedCertificate;
    std::chrono::milliseconds m_timeout{30000};
    std::vector<std::unique_ptr<Exchange>> m_exchanges;
    // Requests that wait for the token another request is fetching, by scope: one fetch
    // serves a burst of requests (a page of tag details) instead of one fetch each.
    QHash<QString, QList<Exchange*>> m_tokenWaiters;
};

} // namespace berth::app
