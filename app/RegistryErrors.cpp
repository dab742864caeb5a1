#include "app/RegistryErrors.h"

#include "app/RegistryUrl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

using Kind = RegistryError::Kind;

struct OciError
{
    QString code;
    QString message;
};

// errors[0] of an OCI error body; empty when the body is something else.
OciError firstOciError(const QByteArray& body)
{
    const QJsonArray errors = QJsonDocument::fromJson(body).object().value("errors"_L1).toArray();
    const QJsonObject first = errors.isEmpty() ? QJsonObject() : errors.first().toObject();
    return {first.value("code"_L1).toString(), first.value("message"_L1).toString()};
}

// The names a certificate is valid for, as a person would read them.
QString certificateNames(const QSslCertificate& certificate)
{
    const auto alternatives = certificate.subjectAlternativeNames();
    QStringList names = alternatives.values(QSsl::DnsEntry) + alternatives.values(QSsl::IpAddressEntry);
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.join(", "_L1);
}

} // namespace

QString RequestSubject::text() const
{
    if (reference.isEmpty())
        return repository;
    return repository + (reference.contains(u':') ? u'@' : u':') + reference;
}

RegistryError RegistryErrors::network(QNetworkReply::NetworkError error, const QString& detail,
                                      const QUrl& url)
{
    const QString host = registryHostAndPort(url);
    QString message;
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        message = tr("Cannot connect to %1: connection refused.").arg(host);
        break;
    case QNetworkReply::HostNotFoundError:
        message = tr("Cannot connect to %1: the host name is unknown.").arg(host);
        break;
    // A transfer timeout aborts the reply; the client's own aborts never get here.
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        message = tr("%1 did not answer in time (timed out).").arg(host);
        break;
    case QNetworkReply::RemoteHostClosedError:
        message = tr("%1 closed the connection before answering.").arg(host);
        break;
    case QNetworkReply::SslHandshakeFailedError:
        message = tr("Cannot make a secure connection to %1: %2.").arg(host, detail);
        break;
    default:
        message = tr("Cannot talk to %1: %2.").arg(host, detail);
        break;
    }
    return {Kind::Network, message, 0, {}};
}

RegistryError RegistryErrors::untrustedCertificate(const QList<QSslError>& errors, const QUrl& url)
{
    QStringList reasons;
    for (const QSslError& error : errors) {
        QString reason;
        switch (error.error()) {
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
            reason = tr("it is self-signed");
            break;
        case QSslError::CertificateExpired:
            reason =
                tr("it expired on %1").arg(error.certificate().expiryDate().date().toString(Qt::ISODate));
            break;
        case QSslError::CertificateNotYetValid:
            reason = tr("it is not valid before %1")
                         .arg(error.certificate().effectiveDate().date().toString(Qt::ISODate));
            break;
        case QSslError::HostNameMismatch:
            reason = tr("it is for %1, not for %2").arg(certificateNames(error.certificate()), url.host());
            break;
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
            reason = tr("it is signed by an authority this computer does not trust");
            break;
        case QSslError::CertificateRevoked:
            reason = tr("it has been revoked");
            break;
        default:
            reason = error.errorString();
            break;
        }
        if (!reasons.contains(reason))
            reasons.append(reason);
    }
    return {
        Kind::Tls,
        tr("The certificate of %1 is not trusted: %2.").arg(registryHostAndPort(url), reasons.join("; "_L1)),
        0,
        {}};
}

RegistryError RegistryErrors::credentialsNeeded(const QUrl& url)
{
    return {
        Kind::Unauthorized, tr("%1 needs a username and password.").arg(registryHostAndPort(url)), 401, {}};
}

RegistryError RegistryErrors::credentialsRefused(const QUrl& url)
{
    return {Kind::Unauthorized,
            tr("%1 refused the username or password.").arg(registryHostAndPort(url)),
            401,
            {}};
}

RegistryError RegistryErrors::unsupportedChallenge(const QUrl& url, const QString& scheme)
{
    return {Kind::Unauthorized,
            tr("%1 asks for a kind of sign-in the console does not support (%2).")
                .arg(registryHostAndPort(url), scheme.isEmpty() ? tr("none named") : scheme),
            401,
            {}};
}

RegistryError RegistryErrors::badResponse(const QUrl& url, const QString& problem)
{
    return {Kind::BadResponse,
            tr("%1 sent an answer the console cannot read: %2.").arg(registryHostAndPort(url), problem),
            0,
            {}};
}

RegistryError RegistryErrors::cancelled()
{
    return {Kind::Cancelled, tr("The request was cancelled."), 0, {}};
}

RegistryError RegistryErrors::invalidRepository(const QString& name)
{
    return {Kind::NotFound, tr("\"%1\" is not a valid repository name.").arg(name), 0, {}};
}

RegistryError RegistryErrors::invalidReference(const QString& reference)
{
    return {Kind::NotFound, tr("\"%1\" is not a valid tag or digest.").arg(reference), 0, {}};
}

RegistryError RegistryErrors::notARegistry(const QUrl& url)
{
    return {Kind::BadResponse,
            tr("%1 does not answer as a container registry (nothing at /v2/).").arg(registryHostAndPort(url)),
            404,
            {}};
}

RegistryError RegistryErrors::fromResponse(int status, const QByteArray& body, const RequestSubject& subject,
                                           const QUrl& url)
{
    const OciError oci = firstOciError(body);
    const QString host = registryHostAndPort(url);
    QString said = oci.message.trimmed(); // the registry's own words, after ours
    if (said.endsWith(u'.'))
        said.chop(1);
    if (!said.isEmpty())
        said.prepend(u": "_s);
    RegistryError error{Kind::Server, {}, status, oci.code};
    if (oci.code == "NAME_UNKNOWN"_L1) {
        error.kind = Kind::NotFound;
        error.message = tr("Repository %1 does not exist on %2.").arg(subject.repository, host);
    } else if (oci.code == "MANIFEST_UNKNOWN"_L1) {
        error.kind = Kind::NotFound;
        error.message = tr("%1 does not exist on %2.").arg(subject.text(), host);
    } else if (oci.code == "BLOB_UNKNOWN"_L1) {
        error.kind = Kind::NotFound;
        error.message =
            tr("Blob %1 does not exist in %2 on %3.").arg(subject.reference, subject.repository, host);
    } else if (oci.code == "NAME_INVALID"_L1) {
        error.message = tr("%1 is not a valid repository name for %2.").arg(subject.repository, host);
    } else if (oci.code == "UNAUTHORIZED"_L1 || status == 401) {
        error.kind = Kind::Unauthorized;
        error.message = tr("%1 refused the request: not signed in%2.").arg(host, said);
    } else if (oci.code == "DENIED"_L1 || status == 403) {
        error.kind = Kind::Forbidden;
        error.message = tr("%1 does not allow this for %2%3.").arg(host, subject.text(), said);
    } else if (oci.code == "UNSUPPORTED"_L1 || status == 405) {
        error.kind = Kind::Unsupported;
        error.message = tr("%1 does not support this%2.").arg(host, said);
    } else if (oci.code == "TOOMANYREQUESTS"_L1 || status == 429) {
        error.message = tr("%1 is receiving too many requests; try again later.").arg(host);
    } else if (status == 404) {
        error.kind = Kind::NotFound;
        error.message = tr("%1 has nothing at %2.").arg(host, url.path());
    } else if (status >= 500) {
        error.message = tr("%1 failed with an internal error (HTTP %2)%3.").arg(host).arg(status).arg(said);
    } else {
        error.message = tr("%1 refused the request (HTTP %2)%3.").arg(host).arg(status).arg(said);
    }
    return error;
}

RegistryError RegistryErrors::deletingDisabled(RegistryError error, const QUrl& url)
{
    error.kind = Kind::Unsupported;
    error.message = tr("Deleting is disabled on this registry (%1).").arg(registryHostAndPort(url));
    return error;
}

RegistryError RegistryErrors::tagDeletionUnsupported(RegistryError error, const QUrl& url)
{
    error.kind = Kind::Unsupported;
    error.message = tr("%1 cannot delete a tag on its own; deleting the manifest removes every tag that "
                       "points to it.")
                        .arg(registryHostAndPort(url));
    return error;
}

RegistryError RegistryErrors::referrersUnsupported(RegistryError error, const QUrl& url)
{
    error.kind = Kind::Unsupported;
    error.message = tr("%1 does not offer the referrers API.").arg(registryHostAndPort(url));
    return error;
}

} // namespace berth::app
