#pragma once
// What the console knows about a registry's content, in Qt types for models and views.
// Filled by RegistryClient from the registry's answers (manifests parsed by berth_oci).

#include "support/Expected.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace berth::app {

// Why a request failed, in words a person understands (message), plus what a program
// needs to react (kind, HTTP status, the OCI error code when the registry sent one).
struct RegistryError
{
    enum class Kind {
        Network,      // connection refused, reset, timed out, DNS
        Tls,          // certificate not trusted; RegistryClient::untrustedCertificate() says which
        Unauthorized, // 401 after trying the credentials we have (or none)
        Forbidden,    // 403
        NotFound,     // 404 (repository, tag, manifest, blob)
        Unsupported,  // the registry does not offer this (e.g. tag deletion, referrers, delete disabled)
        Server,       // 5xx or an OCI error that fits nothing above
        BadResponse,  // an answer the client cannot read
        Cancelled,
    };
    Kind kind = Kind::Server;
    QString message;
    int httpStatus = 0;
    QString ociCode; // e.g. MANIFEST_UNKNOWN
};

template <class T>
using RegistryResult = berth::Expected<T, RegistryError>;

// One page of a listing fetched with n/last. `last` is what to ask for next; empty when
// the listing is complete.
struct ListingPage
{
    QStringList names;
    QString last;
};

struct Platform
{
    QString os;
    QString architecture;
    QString variant;
    QString text() const; // "linux/arm64/v8"
};

struct Descriptor
{
    QString mediaType;
    QString digest;
    qint64 size = 0;
    QString artifactType;
    Platform platform; // index entries only
    QMap<QString, QString> annotations;
};

struct Manifest
{
    QString digest;    // of `raw`, as the registry's Docker-Content-Digest says (verified)
    QString mediaType;
    QByteArray raw;
    bool isIndex = false;
    QString artifactType;
    Descriptor config;          // images
    QList<Descriptor> layers;   // images
    QList<Descriptor> children; // indexes: one per platform
    // Images: config + layers. Indexes: the sum of the children's manifest sizes
    // (their images' sizes need one more request each).
    qint64 totalSize() const;
    QStringList platforms() const; // indexes: children's platform texts
};

struct HistoryEntry
{
    QDateTime created;
    QString createdBy; // the command that built the layer
    QString comment;
    bool emptyLayer = false;
};

struct ImageConfig
{
    QDateTime created;
    QString os;
    QString architecture;
    QList<HistoryEntry> history;
    QByteArray raw;
};

} // namespace berth::app
