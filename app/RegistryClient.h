#pragma once
// Talks to one registry's /v2/ API (berthd, CNCF Distribution, zot, Harbor...): listings
// page by page, manifests, image configs, referrers and deletions. Handles the auth
// challenge itself (Basic, and the Bearer token flow of WWW-Authenticate: Bearer
// realm=...,service=...,scope=...), caching tokens per scope. Everything is asynchronous.

#include "app/Credentials.h"
#include "app/RegistryTransport.h"
#include "app/RegistryTypes.h"

#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QUrl>
#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace berth::app {

class RegistryClient : public QObject
{
    Q_OBJECT

public:
    template <class T> using Callback = std::function<void(RegistryResult<T>)>;

    // baseUrl: scheme, host and port ("http://127.0.0.1:5000"); /v2/ is added. `network`
    // must outlive the client.
    RegistryClient(QUrl baseUrl, QNetworkAccessManager* network, QObject* parent = nullptr);
    ~RegistryClient() override;

    QUrl baseUrl() const;
    // "127.0.0.1:5000", as used in pull commands.
    QString hostAndPort() const;
    void setCredentials(const Credentials& credentials);
    // Accept this certificate (the user said so) for this registry from now on.
    void trustCertificate(const QSslCertificate& certificate);
    // The certificate of the last Tls failure, for the user to inspect and trust.
    QSslCertificate untrustedCertificate() const;
    // How long a transfer may stall before it fails as timed out (30 s unless set).
    void setTimeout(std::chrono::milliseconds timeout);

    // Every call answers exactly once, on the thread of `context` and never from inside the
    // call, unless `context` is destroyed first (then never). Requests still running when the
    // client is destroyed are aborted and answer Kind::Cancelled.
    void ping(QObject* context, Callback<void> done); // GET /v2/
    void listRepositories(const QString& last, int pageSize, QObject* context, Callback<ListingPage> done);
    void listTags(const QString& repository, const QString& last, int pageSize, QObject* context,
                  Callback<ListingPage> done);
    // reference: a tag or a digest. Accepts OCI and Docker images and indexes.
    void fetchManifest(const QString& repository, const QString& reference, QObject* context,
                       Callback<Manifest> done);
    void fetchImageConfig(const QString& repository, const QString& configDigest, QObject* context,
                          Callback<ImageConfig> done);
    // Kind::Unsupported when the registry has no referrers API.
    void fetchReferrers(const QString& repository, const QString& digest, QObject* context,
                        Callback<QList<Descriptor>> done);
    // Deletes only the tag (OCI 1.1 DELETE of a tag reference). Kind::Unsupported when the
    // registry refuses to delete tags on their own; the caller may then offer deleteManifest.
    void deleteTag(const QString& repository, const QString& tag, QObject* context, Callback<void> done);
    // Deletes the manifest and with it every tag pointing at it.
    void deleteManifest(const QString& repository, const QString& digest, QObject* context,
                        Callback<void> done);

private:
    // Turns the registry's answer into the caller's result.
    template <class T> using Interpreter = std::function<RegistryResult<T>(const RegistryResponse&)>;

    template <class T>
    void send(const RegistryRequest& request, QObject* context, Callback<T> done, Interpreter<T> interpret);
    template <class T>
    static void answer(const QPointer<QObject>& context, const Callback<T>& done, RegistryResult<T> result);
    // The answer to a request refused before it is sent.
    template <class T> static void refuse(QObject* context, const Callback<T>& done, RegistryError error);
    struct ReferrersFetch;
    void fetchReferrersPage(ReferrersFetch fetch);
    // DELETE /v2/<repository>/manifests/<reference>, unless `invalid` says why not.
    void deleteReference(const QString& repository, const QString& reference,
                         const std::optional<RegistryError>& invalid, QObject* context, Callback<void> done);

    RegistryTransport m_transport;
};

} // namespace berth::app
