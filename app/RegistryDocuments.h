#pragma once
// Reads the documents of a registry's /v2/ API into the console's types, with no I/O:
// listing pages and their Link header, manifests (digest verified, parsed by berth_oci),
// image configs and referrers. A failure is a short description of what is wrong.

#include "app/RegistryTypes.h"
#include "support/Expected.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QLatin1StringView>
#include <QStringList>
#include <QUrl>

namespace berth::app {

class RegistryDocuments
{
    Q_DECLARE_TR_FUNCTIONS(berth::app::RegistryDocuments)

public:
    template <class T> using Read = berth::Expected<T, QString>;

    // {"repositories": [...]} or {"name": "...", "tags": [...]}: `key` names the list. A Link
    // header with rel="next" means there is more, from its `last` parameter on.
    static Read<ListingPage> listingPage(const QByteArray& body, QLatin1StringView key,
                                         const QByteArray& link);
    // The target of rel="next" in a Link header; empty when there is none.
    static QUrl nextLink(const QByteArray& link);

    // `expectedDigests`: what the content must hash to (the requested digest, the registry's
    // Docker-Content-Digest); the first one, else the content's SHA-256, becomes its digest.
    static Read<Manifest> manifest(const QByteArray& body, const QByteArray& contentType,
                                   const QStringList& expectedDigests);
    static Read<ImageConfig> imageConfig(const QByteArray& body, const QString& digest);
    // The descriptors of a referrers answer (an OCI index).
    static Read<QList<Descriptor>> referrers(const QByteArray& body);

    // Empty when `content` hashes to `digest`, else what is wrong.
    static QString digestProblem(const QByteArray& content, const QString& digest);
};

} // namespace berth::app
