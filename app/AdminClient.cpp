#include "app/AdminClient.h"

#include "app/AdminDocuments.h"
#include "app/NetworkFailure.h"
#include "app/RegistryErrors.h"
#include "app/RegistryUrl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QUrlQuery>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace berth::app {

struct AdminRequest
{
    QByteArray method = "GET";
    QString path = {}; // below /admin/v1/, e.g. "gc/<id>"
    QUrlQuery query = {};
    QByteArray body = {}; // JSON
    // What a 404 means for this request: the job or thing asked about is unknown. Empty: it
    // can only mean the server lacks the endpoint.
    QString notFound = {};
};

struct AdminResponse
{
    int status = 0;
    QUrl url;
    QByteArray body;
    bool isSuccess() const { return status >= 200 && status < 300; }
};

struct AdminClient::Exchange
{
    QPointer<QNetworkReply> reply;
    std::function<void(RegistryResult<AdminResponse>)> handler;
};

namespace {

constexpr auto prefix = "/admin/v1/"_L1;

using Kind = RegistryError::Kind;

// The admin API's errors have the registry's shape; their detail says what was wrong with
// a request ("rules[1].keep.most_recent: must be ...").
struct AdminError
{
    QString code;
    QString message;
    QString detail;
};

AdminError firstAdminError(const QByteArray& body)
{
    const QJsonArray errors = QJsonDocument::fromJson(body).object().value("errors"_L1).toArray();
    const QJsonObject first = errors.isEmpty() ? QJsonObject() : errors.first().toObject();
    const QJsonValue detail = first.value("detail"_L1);
    return {first.value("code"_L1).toString(), first.value("message"_L1).toString(),
            detail.isString() ? detail.toString() : QString()};
}

RegistryError failure(const AdminResponse& response, const QString& notFound)
{
    const QString host = registryHostAndPort(response.url);
    const AdminError error = firstAdminError(response.body);
    if (response.status == 401)
        return {Kind::Unauthorized, AdminClient::tr("The admin API of %1 refused the admin token.").arg(host),
                401, error.code};
    if (response.status == 404 && (notFound.isEmpty() || error.message == "no such endpoint"_L1))
        return {Kind::Unsupported,
                AdminClient::tr("%1 does not offer %2; it may run an older version of berthd.")
                    .arg(host, response.url.path()),
                404, error.code};
    if (response.status == 404)
        return {Kind::NotFound, notFound, 404, error.code};
    if (response.status == 400 && !error.message.isEmpty()) {
        const QString reason = error.detail.isEmpty() ? error.message : error.detail;
        return {Kind::Server, AdminClient::tr("%1 refused the request: %2.").arg(host, reason), 400,
                error.code};
    }
    return RegistryErrors::fromResponse(response.status, response.body, {}, response.url);
}

// The answer of a request that returns a document, read by `read`.
template <class T>
auto documentReader(AdminDocuments::Read<T> (*read)(const QByteArray&), const QString& notFound = {})
{
    return [read, notFound](const AdminResponse& response) -> RegistryResult<T> {
        if (!response.isSuccess())
            return unexpected(failure(response, notFound));
        auto document = read(response.body);
        if (!document)
            return unexpected(RegistryErrors::badResponse(response.url, document.error()));
        return std::move(document).value();
    };
}

RegistryResult<void> acceptance(const AdminResponse& response, const QString& notFound)
{
    if (!response.isSuccess())
        return unexpected(failure(response, notFound));
    return {};
}

QString unknownJob(const QUrl& adminUrl, const QString& id)
{
    return AdminClient::tr("%1 no longer knows the job %2; the server may have restarted.")
        .arg(registryHostAndPort(adminUrl), id);
}

} // namespace

AdminClient::AdminClient(const QUrl& adminUrl, QByteArray token, QNetworkAccessManager* network,
                         QObject* parent)
    : QObject(parent), m_adminUrl(normalizedRegistryUrl(adminUrl)), m_token(std::move(token)),
      m_network(network)
{
}

AdminClient::~AdminClient()
{
    abortAll();
}

template <class T>
void AdminClient::send(const AdminRequest& request, QObject* context, Callback<T> done,
                       Interpreter<T> interpret)
{
    QUrl url = m_adminUrl;
    url.setPath(m_adminUrl.path() + prefix + request.path);
    url.setQuery(request.query);
    QNetworkRequest message(url);
    // The token goes to this listener only, never where a redirect points.
    message.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    message.setTransferTimeout(static_cast<int>(m_timeout.count()));
    message.setRawHeader("Authorization", "Bearer " + m_token);
    message.setRawHeader("Accept", "application/json");
    if (!request.body.isEmpty())
        message.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));

    QNetworkReply* reply = m_network->sendCustomRequest(message, request.method, request.body);
    auto& exchange = *m_exchanges.emplace_back(std::make_unique<Exchange>());
    exchange.reply = reply;
    exchange.handler = [context = QPointer(context), done = std::move(done),
                        interpret = std::move(interpret)](RegistryResult<AdminResponse> response) {
        RegistryResult<T> result = response ? interpret(*response) : unexpected(response.error());
        // Later, on the context's thread, and only while it lives.
        if (context)
            QMetaObject::invokeMethod(
                context.data(), [done, result = std::move(result)] { done(result); }, Qt::QueuedConnection);
    };
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finish(reply); });
}

void AdminClient::finish(QNetworkReply* reply)
{
    const auto found = std::find_if(m_exchanges.begin(), m_exchanges.end(),
                                    [reply](const auto& exchange) { return exchange->reply == reply; });
    if (found == m_exchanges.end())
        return;
    const std::unique_ptr<Exchange> exchange = std::move(*found);
    m_exchanges.erase(found);
    reply->deleteLater();

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid() || isTransferFailure(reply->error()))
        return exchange->handler(
            unexpected(RegistryErrors::network(reply->error(), reply->errorString(), reply->url())));
    exchange->handler(AdminResponse{status.toInt(), reply->url(), reply->readAll()});
}

void AdminClient::abortAll()
{
    while (!m_exchanges.empty()) {
        const std::unique_ptr<Exchange> exchange = std::move(m_exchanges.back());
        m_exchanges.pop_back();
        if (exchange->reply) {
            exchange->reply->disconnect(this);
            exchange->reply->abort();
            exchange->reply->deleteLater();
        }
        exchange->handler(unexpected(RegistryErrors::cancelled()));
    }
}

void AdminClient::startJob(const AdminRequest& request, QObject* context, Callback<QString> done)
{
    send<QString>(request, context, std::move(done), documentReader(&AdminDocuments::jobId));
}

void AdminClient::info(QObject* context, Callback<AdminInfo> done)
{
    send<AdminInfo>({.path = u"info"_s}, context, std::move(done), documentReader(&AdminDocuments::info));
}

void AdminClient::storage(QObject* context, Callback<StorageReport> done)
{
    send<StorageReport>({.path = u"storage"_s}, context, std::move(done),
                        documentReader(&AdminDocuments::storage));
}

void AdminClient::repositoryImages(const QString& repository, QObject* context,
                                   Callback<RepositoryImages> done)
{
    const QString notFound = tr("%1 has no repository %2.").arg(registryHostAndPort(m_adminUrl), repository);
    send<RepositoryImages>({.path = u"storage/repositories/"_s + repository}, context, std::move(done),
                           documentReader(&AdminDocuments::repositoryImages, notFound));
}

void AdminClient::storageHistory(const QDateTime& since, QObject* context, Callback<StorageHistory> done)
{
    QUrlQuery query;
    if (since.isValid())
        query.addQueryItem(u"since"_s, since.toUTC().toString(Qt::ISODate));
    send<StorageHistory>({.path = u"storage/history"_s, .query = query}, context, std::move(done),
                         documentReader(&AdminDocuments::storageHistory));
}

void AdminClient::startCollection(const CollectionOptions& options, QObject* context, Callback<QString> done)
{
    startJob({.method = "POST", .path = u"gc"_s, .body = AdminDocuments::collectionOptions(options)}, context,
             std::move(done));
}

void AdminClient::collection(const QString& id, QObject* context, Callback<CollectionJob> done)
{
    send<CollectionJob>({.path = u"gc/"_s + id}, context, std::move(done),
                        documentReader(&AdminDocuments::collectionJob, unknownJob(m_adminUrl, id)));
}

void AdminClient::cancelCollection(const QString& id, QObject* context, Callback<void> done)
{
    cancelJob(u"gc"_s, id, context, std::move(done));
}

void AdminClient::cancelJob(const QString& jobs, const QString& id, QObject* context, Callback<void> done)
{
    send<void>({.method = "DELETE", .path = jobs + u'/' + id}, context, std::move(done),
               [notFound = unknownJob(m_adminUrl, id)](const AdminResponse& response) {
                   return acceptance(response, notFound);
               });
}

void AdminClient::retentionRules(QObject* context, Callback<RetentionSettings> done)
{
    send<RetentionSettings>({.path = u"retention"_s}, context, std::move(done),
                            documentReader(&AdminDocuments::retentionSettings));
}

void AdminClient::setRetentionRules(const RetentionRules& rules, std::optional<std::chrono::seconds> schedule,
                                    QObject* context, Callback<RetentionSettings> done)
{
    send<RetentionSettings>(
        {.method = "PUT", .path = u"retention"_s, .body = AdminDocuments::retentionRules(rules, schedule)},
        context, std::move(done), documentReader(&AdminDocuments::retentionSettings));
}

void AdminClient::startRetentionPreview(const std::optional<RetentionRules>& rules, QObject* context,
                                        Callback<QString> done)
{
    startJob({.method = "POST",
              .path = u"retention/preview"_s,
              .body = rules ? AdminDocuments::retentionRules(*rules) : QByteArray()},
             context, std::move(done));
}

void AdminClient::retentionPreview(const QString& id, QObject* context, Callback<RetentionPreviewJob> done)
{
    send<RetentionPreviewJob>(
        {.path = u"retention/preview/"_s + id}, context, std::move(done),
        documentReader(&AdminDocuments::retentionPreviewJob, unknownJob(m_adminUrl, id)));
}

void AdminClient::cancelRetentionPreview(const QString& id, QObject* context, Callback<void> done)
{
    cancelJob(u"retention/preview"_s, id, context, std::move(done));
}

void AdminClient::startRetentionRun(QObject* context, Callback<QString> done)
{
    startJob({.method = "POST", .path = u"retention/run"_s}, context, std::move(done));
}

void AdminClient::retentionRun(const QString& id, QObject* context, Callback<RetentionJob> done)
{
    send<RetentionJob>({.path = u"retention/run/"_s + id}, context, std::move(done),
                       documentReader(&AdminDocuments::retentionJob, unknownJob(m_adminUrl, id)));
}

void AdminClient::cancelRetentionRun(const QString& id, QObject* context, Callback<void> done)
{
    cancelJob(u"retention/run"_s, id, context, std::move(done));
}

} // namespace berth::app
