#include "app/RegistryClient.h"

#include "app/RegistryDocuments.h"
#include "app/RegistryErrors.h"
#include "app/RegistryUrl.h"
#include "oci/MediaType.h"
#include "oci/Names.h"

#include <QMetaObject>
#include <optional>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

// A referrers list longer than this many pages is cut short rather than read forever.
constexpr int maxReferrersPages = 100;

QByteArray latin1(std::string_view text)
{
    return {text.data(), static_cast<qsizetype>(text.size())};
}

const QByteArrayList manifestMediaTypes{latin1(oci::media::ociManifest), latin1(oci::media::ociIndex),
                                        latin1(oci::media::dockerManifest),
                                        latin1(oci::media::dockerManifestList)};

QString pullScope(const QString& repository)
{
    return u"repository:%1:pull"_s.arg(repository);
}

QUrlQuery listingQuery(const QString& last, int pageSize)
{
    QUrlQuery query;
    if (pageSize > 0)
        query.addQueryItem(u"n"_s, QString::number(pageSize));
    if (!last.isEmpty())
        query.addQueryItem(u"last"_s, last);
    return query;
}

bool isDigest(const QString& reference)
{
    return reference.contains(u':');
}

// Names that cannot be on any registry are refused before they go into a URL.
std::optional<RegistryError> invalidName(const QString& repository, const QString& reference = {})
{
    if (!oci::isValidRepositoryName(repository.toStdString()))
        return RegistryErrors::invalidRepository(repository);
    if (!reference.isEmpty() && !oci::parseReference(reference.toStdString()))
        return RegistryErrors::invalidReference(reference);
    return std::nullopt;
}

std::optional<RegistryError> invalidDigest(const QString& repository, const QString& digest)
{
    return isDigest(digest) ? invalidName(repository, digest) : RegistryErrors::invalidReference(digest);
}

std::optional<RegistryError> invalidTag(const QString& repository, const QString& tag)
{
    return isDigest(tag) ? RegistryErrors::invalidReference(tag) : invalidName(repository, tag);
}

RegistryError failure(const RegistryResponse& response, const RequestSubject& subject = {})
{
    return RegistryErrors::fromResponse(response.status, response.body, subject, response.url);
}

template <class T>
RegistryResult<T> read(RegistryDocuments::Read<T> document, const RegistryResponse& response)
{
    if (!document)
        return unexpected(RegistryErrors::badResponse(response.url, document.error()));
    return std::move(document).value();
}

RegistryResult<ListingPage> readListing(const RegistryResponse& response, const RequestSubject& subject,
                                        QLatin1StringView key, const QString& requestedLast)
{
    if (!response.isSuccess())
        return unexpected(failure(response, subject));
    RegistryResult<ListingPage> page =
        read(RegistryDocuments::listingPage(response.body, key, response.header("Link")), response);
    // A registry that points at the same page again has nothing more to give.
    if (page && page->last == requestedLast)
        page->last.clear();
    return page;
}

RegistryResult<void> readDeletion(const RegistryResponse& response, const RequestSubject& subject)
{
    if (response.isSuccess())
        return {};
    RegistryError error = failure(response, subject);
    if (response.status == 405)
        return unexpected(RegistryErrors::deletingDisabled(std::move(error), response.url));
    // Distribution 2.8 takes a tag for a malformed digest (400 DIGEST_INVALID); others say UNSUPPORTED.
    if (response.status == 400 && !isDigest(subject.reference))
        return unexpected(RegistryErrors::tagDeletionUnsupported(std::move(error), response.url));
    return unexpected(std::move(error));
}

} // namespace

// The state of fetchReferrers() across the pages of a long answer.
struct RegistryClient::ReferrersFetch
{
    RegistryRequest request;
    RequestSubject subject;
    QList<Descriptor> collected;
    int pagesLeft = maxReferrersPages;
    QPointer<QObject> context;
    Callback<QList<Descriptor>> done;
};

RegistryClient::RegistryClient(QUrl baseUrl, QNetworkAccessManager* network, QObject* parent)
    : QObject(parent), m_transport(baseUrl, network)
{
}

RegistryClient::~RegistryClient()
{
    m_transport.abort(); // while the client is whole: the handlers answer Cancelled
}

QUrl RegistryClient::baseUrl() const
{
    return m_transport.baseUrl();
}

QString RegistryClient::hostAndPort() const
{
    return registryHostAndPort(m_transport.baseUrl());
}

void RegistryClient::setCredentials(const Credentials& credentials)
{
    m_transport.setCredentials(credentials);
}

void RegistryClient::trustCertificate(const QSslCertificate& certificate)
{
    m_transport.trustCertificate(certificate);
}

QSslCertificate RegistryClient::untrustedCertificate() const
{
    return m_transport.untrustedCertificate();
}

void RegistryClient::setTimeout(std::chrono::milliseconds timeout)
{
    m_transport.setTimeout(timeout);
}

template <class T>
void RegistryClient::answer(const QPointer<QObject>& context, const Callback<T>& done,
                            RegistryResult<T> result)
{
    if (context)
        QMetaObject::invokeMethod(
            context.data(), [done, result] { done(result); }, Qt::QueuedConnection);
}

template <class T> void RegistryClient::refuse(QObject* context, const Callback<T>& done, RegistryError error)
{
    answer<T>(context, done, unexpected(std::move(error)));
}

template <class T>
void RegistryClient::send(const RegistryRequest& request, QObject* context, Callback<T> done,
                          Interpreter<T> interpret)
{
    m_transport.send(request, [context = QPointer(context), done = std::move(done),
                               interpret = std::move(interpret)](RegistryResult<RegistryResponse> response) {
        if (!response)
            return answer<T>(context, done, unexpected(response.error()));
        answer<T>(context, done, interpret(*response));
    });
}

void RegistryClient::ping(QObject* context, Callback<void> done)
{
    send<void>({.path = u"/v2/"_s}, context, std::move(done),
               [](const RegistryResponse& response) -> RegistryResult<void> {
                   if (response.status == 404)
                       return unexpected(RegistryErrors::notARegistry(response.url));
                   if (!response.isSuccess())
                       return unexpected(failure(response));
                   return {};
               });
}

void RegistryClient::listRepositories(const QString& last, int pageSize, QObject* context,
                                      Callback<ListingPage> done)
{
    send<ListingPage>({.path = u"/v2/_catalog"_s,
                       .query = listingQuery(last, pageSize),
                       .accept = {"application/json"},
                       .scope = u"registry:catalog:*"_s},
                      context, std::move(done), [last](const RegistryResponse& response) {
                          return readListing(response, {}, "repositories"_L1, last);
                      });
}

void RegistryClient::listTags(const QString& repository, const QString& last, int pageSize, QObject* context,
                              Callback<ListingPage> done)
{
    if (auto error = invalidName(repository))
        return refuse(context, done, *error);
    send<ListingPage>({.path = u"/v2/%1/tags/list"_s.arg(repository),
                       .query = listingQuery(last, pageSize),
                       .accept = {"application/json"},
                       .scope = pullScope(repository)},
                      context, std::move(done), [repository, last](const RegistryResponse& response) {
                          return readListing(response, {repository, {}}, "tags"_L1, last);
                      });
}

void RegistryClient::fetchManifest(const QString& repository, const QString& reference, QObject* context,
                                   Callback<Manifest> done)
{
    if (auto error = invalidName(repository, reference))
        return refuse(context, done, *error);
    const RequestSubject subject{repository, reference};
    send<Manifest>(
        {.path = u"/v2/%1/manifests/%2"_s.arg(repository, reference),
         .accept = manifestMediaTypes,
         .scope = pullScope(repository)},
        context, std::move(done), [subject](const RegistryResponse& response) -> RegistryResult<Manifest> {
            if (!response.isSuccess())
                return unexpected(failure(response, subject));
            // The content must hash to what was asked for and to what the registry says.
            QStringList digests;
            if (isDigest(subject.reference))
                digests.append(subject.reference);
            if (const QByteArray header = response.header("Docker-Content-Digest"); !header.isEmpty())
                digests.append(QString::fromLatin1(header));
            return read(RegistryDocuments::manifest(response.body, response.header("Content-Type"), digests),
                        response);
        });
}

void RegistryClient::fetchImageConfig(const QString& repository, const QString& configDigest,
                                      QObject* context, Callback<ImageConfig> done)
{
    if (auto error = invalidDigest(repository, configDigest))
        return refuse(context, done, *error);
    const RequestSubject subject{repository, configDigest};
    send<ImageConfig>(
        {.path = u"/v2/%1/blobs/%2"_s.arg(repository, configDigest), .scope = pullScope(repository)}, context,
        std::move(done), [subject](const RegistryResponse& response) -> RegistryResult<ImageConfig> {
            if (!response.isSuccess())
                return unexpected(failure(response, subject));
            return read(RegistryDocuments::imageConfig(response.body, subject.reference), response);
        });
}

void RegistryClient::fetchReferrers(const QString& repository, const QString& digest, QObject* context,
                                    Callback<QList<Descriptor>> done)
{
    if (auto error = invalidDigest(repository, digest))
        return refuse(context, done, *error);
    ReferrersFetch fetch;
    fetch.request = {.path = u"/v2/%1/referrers/%2"_s.arg(repository, digest),
                     .accept = {latin1(oci::media::ociIndex)},
                     .scope = pullScope(repository)};
    fetch.subject = {repository, digest};
    fetch.context = context;
    fetch.done = std::move(done);
    fetchReferrersPage(std::move(fetch));
}

void RegistryClient::fetchReferrersPage(ReferrersFetch fetch)
{
    RegistryRequest request = fetch.request;
    m_transport.send(std::move(request), [this, fetch = std::move(fetch)](
                                             RegistryResult<RegistryResponse> response) mutable {
        if (!response)
            return answer<QList<Descriptor>>(fetch.context, fetch.done, unexpected(response.error()));
        if (!response->isSuccess()) {
            RegistryError error = failure(*response, fetch.subject);
            // A registry without the API has no such route: 404 without an OCI error of its own.
            if (response->status == 405 || (response->status == 404 && error.ociCode != "NAME_UNKNOWN"_L1 &&
                                            error.ociCode != "MANIFEST_UNKNOWN"_L1))
                error = RegistryErrors::referrersUnsupported(std::move(error), response->url);
            return answer<QList<Descriptor>>(fetch.context, fetch.done, unexpected(std::move(error)));
        }
        RegistryResult<QList<Descriptor>> page =
            read(RegistryDocuments::referrers(response->body), *response);
        if (!page)
            return answer(fetch.context, fetch.done, std::move(page));
        fetch.collected += *page;
        const QUrl next = RegistryDocuments::nextLink(response->header("Link"));
        if (next.isEmpty() || --fetch.pagesLeft == 0)
            return answer<QList<Descriptor>>(fetch.context, fetch.done, fetch.collected);
        fetch.request.query = QUrlQuery(next);
        fetchReferrersPage(std::move(fetch));
    });
}

void RegistryClient::deleteTag(const QString& repository, const QString& tag, QObject* context,
                               Callback<void> done)
{
    deleteReference(repository, tag, invalidTag(repository, tag), context, std::move(done));
}

void RegistryClient::deleteManifest(const QString& repository, const QString& digest, QObject* context,
                                    Callback<void> done)
{
    deleteReference(repository, digest, invalidDigest(repository, digest), context, std::move(done));
}

void RegistryClient::deleteReference(const QString& repository, const QString& reference,
                                     const std::optional<RegistryError>& invalid, QObject* context,
                                     Callback<void> done)
{
    if (invalid)
        return refuse(context, done, *invalid);
    const RequestSubject subject{repository, reference};
    send<void>({.method = "DELETE",
                .path = u"/v2/%1/manifests/%2"_s.arg(repository, reference),
                .scope = u"repository:%1:delete"_s.arg(repository)},
               context, std::move(done),
               [subject](const RegistryResponse& response) { return readDeletion(response, subject); });
}

} // namespace berth::app
