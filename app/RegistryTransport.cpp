#include "app/RegistryTransport.h"

#include "app/AuthChallenge.h"
#include "app/NetworkFailure.h"
#include "app/RegistryErrors.h"
#include "app/RegistryUrl.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QPointer>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

constexpr int maxRedirects = 5;

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

QByteArray bearerAuthorization(const QString& token)
{
    return token.isEmpty() ? QByteArray() : "Bearer " + token.toUtf8();
}

} // namespace

QByteArray RegistryResponse::header(QByteArrayView name) const
{
    QByteArrayList values;
    for (const auto& [key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            values.append(value);
    return values.join(", ");
}

// One request as the caller sees it, through redirects, challenges and a token fetch.
struct RegistryTransport::Exchange
{
    RegistryRequest request;
    Handler handler;
    QPointer<QNetworkReply> reply;
    QList<QSslError> sslErrors; // of the reply in flight, when its certificate was refused
    QByteArray authorization;   // sent with the request in flight
    int redirects = 0;
    bool fetchingToken = false; // the reply in flight is the token server's
    bool tokenFetched = false;  // one token fetch per request
    QString challengeScope;     // the scope the registry's challenge asked for
};

RegistryTransport::RegistryTransport(const QUrl& baseUrl, QNetworkAccessManager* network, QObject* parent)
    : QObject(parent), m_baseUrl(normalizedRegistryUrl(baseUrl)), m_network(network)
{
}

RegistryTransport::~RegistryTransport()
{
    abort();
}

void RegistryTransport::setCredentials(const Credentials& credentials)
{
    m_credentials = credentials;
    m_tokens.clear(); // they were granted to the previous identity
}

void RegistryTransport::trustCertificate(const QSslCertificate& certificate)
{
    if (!certificate.isNull() && !m_trustedCertificates.contains(certificate))
        m_trustedCertificates.append(certificate);
}

void RegistryTransport::send(RegistryRequest request, Handler handler)
{
    Exchange& exchange = *m_exchanges.emplace_back(std::make_unique<Exchange>());
    exchange.request = std::move(request);
    exchange.handler = std::move(handler);
    issue(exchange, exchange.request.method, urlFor(exchange.request), authorizationFor(exchange.request));
}

void RegistryTransport::abort()
{
    m_tokenWaiters.clear(); // every waiter is among the exchanges ended here
    while (!m_exchanges.empty())
        finish(*m_exchanges.front(), unexpected(RegistryErrors::cancelled()));
}

QUrl RegistryTransport::urlFor(const RegistryRequest& request) const
{
    QUrl url = m_baseUrl;
    url.setPath(m_baseUrl.path() + request.path);
    url.setQuery(request.query);
    return url;
}

bool RegistryTransport::isRegistryOrigin(const QUrl& url) const
{
    const QUrl origin = normalizedRegistryUrl(url);
    return origin.scheme() == m_baseUrl.scheme() && origin.host() == m_baseUrl.host() &&
           origin.port() == m_baseUrl.port();
}

QByteArray RegistryTransport::basicAuthorization() const
{
    return "Basic " + (m_credentials.username + u':' + m_credentials.secret).toUtf8().toBase64();
}

QByteArray RegistryTransport::authorizationFor(const RegistryRequest& request) const
{
    switch (m_scheme) {
    case Scheme::Basic:
        return basicAuthorization();
    case Scheme::Bearer:
        return bearerAuthorization(m_tokens.token(request.scope));
    case Scheme::None:
        break;
    }
    return {};
}

void RegistryTransport::issue(Exchange& exchange, const QByteArray& method, const QUrl& url,
                              const QByteArray& authorization)
{
    QNetworkRequest request(url);
    // Redirects are followed here, so that credentials never go to another host.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(static_cast<int>(m_timeout.count()));
    // Credentials go only where this class puts them, never from Qt's cache for the host.
    request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    const QByteArrayList accept =
        exchange.fetchingToken ? QByteArrayList{"application/json"} : exchange.request.accept;
    if (!accept.isEmpty())
        request.setRawHeader("Accept", accept.join(", "));
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    if (!exchange.fetchingToken)
        exchange.authorization = authorization;
    exchange.sslErrors.clear();

    QNetworkReply* reply = m_network->sendCustomRequest(request, method);
    exchange.reply = reply;
    connect(reply, &QNetworkReply::sslErrors, this,
            [this, &exchange](const QList<QSslError>& errors) { onSslErrors(exchange, errors); });
    connect(reply, &QNetworkReply::finished, this, [this, &exchange] { onFinished(exchange); });
}

void RegistryTransport::retry(Exchange& exchange, const QByteArray& authorization)
{
    exchange.redirects = 0;
    issue(exchange, exchange.request.method, urlFor(exchange.request), authorization);
}

void RegistryTransport::onSslErrors(Exchange& exchange, const QList<QSslError>& errors)
{
    QSslCertificate peer = exchange.reply->sslConfiguration().peerCertificate();
    if (peer.isNull() && !errors.isEmpty())
        peer = errors.first().certificate();
    if (!peer.isNull() && m_trustedCertificates.contains(peer)) {
        exchange.reply->ignoreSslErrors(errors);
        return;
    }
    exchange.sslErrors = errors;
    m_untrustedCertificate = peer;
}

void RegistryTransport::onFinished(Exchange& exchange)
{
    QNetworkReply* reply = exchange.reply;
    reply->disconnect(this);
    reply->deleteLater();
    exchange.reply = nullptr;

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid() || isTransferFailure(reply->error())) {
        if (!exchange.sslErrors.isEmpty())
            return finish(exchange,
                          unexpected(RegistryErrors::untrustedCertificate(exchange.sslErrors, reply->url())));
        return finish(exchange, unexpected(RegistryErrors::network(reply->error(), reply->errorString(),
                                                                   reply->url())));
    }
    const RegistryResponse response{status.toInt(), reply->url(), reply->readAll(), reply->rawHeaderPairs()};
    if (exchange.fetchingToken)
        onToken(exchange, response);
    else
        onAnswer(exchange, response);
}

void RegistryTransport::onAnswer(Exchange& exchange, const RegistryResponse& response)
{
    const QByteArray location = response.header("Location");
    if (isRedirect(response.status) && !location.isEmpty()) {
        if (++exchange.redirects > maxRedirects)
            return finish(exchange,
                          unexpected(RegistryErrors::badResponse(response.url, tr("too many redirects"))));
        const QUrl target = response.url.resolved(QUrl::fromEncoded(location));
        const QByteArray method = response.status == 303 ? QByteArray("GET") : exchange.request.method;
        return issue(exchange, method, target,
                     isRegistryOrigin(target) ? exchange.authorization : QByteArray());
    }
    if (response.status == 401 && isRegistryOrigin(response.url))
        return onChallenge(exchange, response);
    finish(exchange, response);
}

void RegistryTransport::onChallenge(Exchange& exchange, const RegistryResponse& response)
{
    const QList<AuthChallenge> challenges = AuthChallenge::parse(response.header("WWW-Authenticate"));
    const auto bearer =
        std::find_if(challenges.cbegin(), challenges.cend(), [](const AuthChallenge& challenge) {
            return challenge.isBearer() && !challenge.parameter(u"realm"_s).isEmpty();
        });
    const auto basic = std::find_if(challenges.cbegin(), challenges.cend(),
                                    [](const AuthChallenge& challenge) { return challenge.isBasic(); });
    const RegistryError refused = m_credentials.isEmpty() ? RegistryErrors::credentialsNeeded(response.url)
                                                          : RegistryErrors::credentialsRefused(response.url);
    if (bearer != challenges.cend()) {
        m_scheme = Scheme::Bearer;
        // Another request may have fetched the token for this scope meanwhile.
        const QByteArray cached = bearerAuthorization(m_tokens.token(bearer->parameter(u"scope"_s)));
        if (!cached.isEmpty() && cached != exchange.authorization)
            return retry(exchange, cached);
        if (exchange.tokenFetched)
            return finish(exchange, unexpected(refused));
        exchange.tokenFetched = true;
        const QString scope = bearer->parameter(u"scope"_s);
        if (const auto fetching = m_tokenWaiters.find(scope); fetching != m_tokenWaiters.end())
            return fetching->append(&exchange);
        m_tokenWaiters.insert(scope, {});
        return fetchToken(exchange, *bearer);
    }
    if (basic != challenges.cend()) {
        if (m_credentials.isEmpty())
            return finish(exchange, unexpected(refused));
        m_scheme = Scheme::Basic;
        if (basicAuthorization() != exchange.authorization)
            return retry(exchange, basicAuthorization());
        return finish(exchange, unexpected(refused));
    }
    finish(exchange, unexpected(RegistryErrors::unsupportedChallenge(
                         response.url, challenges.isEmpty() ? QString() : challenges.first().scheme)));
}

void RegistryTransport::fetchToken(Exchange& exchange, const AuthChallenge& challenge)
{
    exchange.fetchingToken = true;
    exchange.challengeScope = challenge.parameter(u"scope"_s);

    // GET realm?service=...&scope=...: anonymous, or with the credentials as Basic.
    QUrl url(challenge.parameter(u"realm"_s));
    QUrlQuery query(url);
    if (const QString service = challenge.parameter(u"service"_s); !service.isEmpty())
        query.addQueryItem(u"service"_s, service);
    for (const QString& scope : exchange.challengeScope.split(u' ', Qt::SkipEmptyParts))
        query.addQueryItem(u"scope"_s, scope);
    if (!m_credentials.username.isEmpty())
        query.addQueryItem(u"account"_s, m_credentials.username);
    url.setQuery(query);
    issue(exchange, "GET", url, m_credentials.isEmpty() ? QByteArray() : basicAuthorization());
}

void RegistryTransport::onToken(Exchange& exchange, const RegistryResponse& response)
{
    // A failure ends the requests waiting for this token too (finish() sees fetchingToken).
    if (response.status == 401 || response.status == 403)
        return finish(exchange,
                      unexpected(m_credentials.isEmpty() ? RegistryErrors::credentialsNeeded(m_baseUrl)
                                                         : RegistryErrors::credentialsRefused(m_baseUrl)));
    if (!response.isSuccess())
        return finish(exchange, unexpected(RegistryErrors::fromResponse(response.status, response.body, {},
                                                                        response.url)));

    const QJsonObject answer = QJsonDocument::fromJson(response.body).object();
    QString token = answer.value("token"_L1).toString();
    if (token.isEmpty())
        token = answer.value("access_token"_L1).toString();
    if (token.isEmpty())
        return finish(exchange, unexpected(RegistryErrors::badResponse(
                                    response.url, tr("the token server sent no token"))));
    const int expiresIn = answer.value("expires_in"_L1).toInt();
    const std::chrono::seconds lifetime =
        expiresIn > 0 ? std::chrono::seconds(expiresIn) : TokenCache::defaultLifetime;
    m_tokens.insert(exchange.challengeScope, token, lifetime);
    if (exchange.request.scope != exchange.challengeScope)
        m_tokens.insert(exchange.request.scope, token, lifetime);
    exchange.fetchingToken = false;
    const QList<Exchange*> waiting = m_tokenWaiters.take(exchange.challengeScope);
    retry(exchange, bearerAuthorization(token));
    for (Exchange* waiter : waiting)
        retry(*waiter, bearerAuthorization(token));
}

void RegistryTransport::finish(Exchange& exchange, RegistryResult<RegistryResponse> result)
{
    const auto found =
        std::find_if(m_exchanges.begin(), m_exchanges.end(),
                     [&exchange](const auto& candidate) { return candidate.get() == &exchange; });
    if (found == m_exchanges.end())
        return; // ended already
    // The requests waiting for the token this one was fetching end the same way.
    const QList<Exchange*> waiting =
        exchange.fetchingToken ? m_tokenWaiters.take(exchange.challengeScope) : QList<Exchange*>();
    const std::unique_ptr<Exchange> finished = std::move(*found);
    m_exchanges.erase(found);
    if (finished->reply) {
        finished->reply->disconnect(this);
        finished->reply->abort();
        finished->reply->deleteLater();
    }
    // Last: the handlers may send new requests.
    finished->handler(result);
    for (Exchange* waiter : waiting)
        finish(*waiter, result);
}

} // namespace berth::app
