#pragma once
// What went wrong talking to a registry, in words a person understands: one place turns
// network failures, certificate problems and the registry's answers (HTTP status and OCI
// error body {"errors":[{"code","message"}]}) into RegistryErrors.

#include "app/RegistryTypes.h"

#include <QCoreApplication>
#include <QList>
#include <QNetworkReply>
#include <QSslError>
#include <QUrl>

namespace berth::app {

// What a request was about, for the messages: "team/app", "team/app:v1", "team/app@sha256:...".
struct RequestSubject
{
    QString repository;
    QString reference; // a tag or a digest; empty for repository-wide requests
    QString text() const;
};

class RegistryErrors
{
    Q_DECLARE_TR_FUNCTIONS(berth::app::RegistryErrors)

public:
    // The connection to `url` failed (refused, timed out, reset, unknown host...).
    static RegistryError network(QNetworkReply::NetworkError error, const QString& detail, const QUrl& url);
    // `url`'s certificate was not accepted, for these reasons.
    static RegistryError untrustedCertificate(const QList<QSslError>& errors, const QUrl& url);
    // 401 and no credentials to try.
    static RegistryError credentialsNeeded(const QUrl& url);
    // 401 after trying the credentials.
    static RegistryError credentialsRefused(const QUrl& url);
    static RegistryError unsupportedChallenge(const QUrl& url, const QString& scheme);
    // An answer the console cannot read; `problem` says what is wrong with it.
    static RegistryError badResponse(const QUrl& url, const QString& problem);
    static RegistryError cancelled();
    // Names that cannot be on any registry, refused before a request is made.
    static RegistryError invalidRepository(const QString& name);
    static RegistryError invalidReference(const QString& reference);
    // GET /v2/ answered 404.
    static RegistryError notARegistry(const QUrl& url);
    // A registry's answer that is not a success (status >= 300).
    static RegistryError fromResponse(int status, const QByteArray& body, const RequestSubject& subject,
                                      const QUrl& url);

    // What some refusals mean for one operation; `error` is what fromResponse() said.
    static RegistryError deletingDisabled(RegistryError error, const QUrl& url);
    static RegistryError tagDeletionUnsupported(RegistryError error, const QUrl& url);
    static RegistryError referrersUnsupported(RegistryError error, const QUrl& url);
};

} // namespace berth::app
