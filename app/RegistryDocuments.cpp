#include "app/RegistryDocuments.h"

#include "oci/Digest.h"
#include "oci/Manifest.h"
#include "oci/MediaType.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

QString text(const std::string& value)
{
    return QString::fromStdString(value);
}

Descriptor toDescriptor(const oci::Descriptor& descriptor)
{
    Descriptor result;
    result.mediaType = text(descriptor.mediaType);
    result.digest = text(descriptor.digest.toString());
    result.size = descriptor.size;
    result.artifactType = text(descriptor.artifactType);
    if (descriptor.platform)
        result.platform = {text(descriptor.platform->os), text(descriptor.platform->architecture),
                           text(descriptor.platform->variant)};
    for (const auto& [key, value] : descriptor.annotations)
        result.annotations.insert(text(key), text(value));
    return result;
}

QList<Descriptor> toDescriptors(const std::vector<oci::Descriptor>& descriptors)
{
    QList<Descriptor> result;
    result.reserve(static_cast<qsizetype>(descriptors.size()));
    for (const auto& descriptor : descriptors)
        result.append(toDescriptor(descriptor));
    return result;
}

// berth_oci falls back to the config's media type for an image's artifactType (as the
// referrers API lists it); for a plain image that says nothing, so it is left out here.
QString artifactTypeOf(const oci::Manifest& manifest)
{
    const std::string_view type = manifest.artifactType;
    return type == oci::media::ociConfig || type == oci::media::dockerConfig ? QString()
                                                                             : text(manifest.artifactType);
}

// RFC 3339 as Go writes it ("2024-05-01T12:34:56.123456789Z"); Qt reads milliseconds only.
QDateTime parseTime(const QString& value)
{
    static const QRegularExpression extraDigits(u"(\\.\\d{3})\\d+"_s);
    return QDateTime::fromString(QString(value).replace(extraDigits, u"\\1"_s), Qt::ISODateWithMs);
}

} // namespace

QUrl RegistryDocuments::nextLink(const QByteArray& link)
{
    // Link: <url>; rel="next", possibly among other links; rel may hold several relations.
    static const QRegularExpression entry(u"<([^>]*)>\\s*;([^,]*)"_s);
    static const QRegularExpression relation(u"\\brel\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;]+))"_s,
                                             QRegularExpression::CaseInsensitiveOption);
    for (const QRegularExpressionMatch& match : entry.globalMatch(QString::fromLatin1(link))) {
        const QRegularExpressionMatch rel = relation.match(match.captured(2));
        const QString relations = rel.captured(1) + rel.captured(2); // quoted or not
        if (relations.split(u' ', Qt::SkipEmptyParts).contains(u"next"_s, Qt::CaseInsensitive))
            return QUrl::fromEncoded(match.captured(1).toLatin1());
    }
    return {};
}

RegistryDocuments::Read<ListingPage>
RegistryDocuments::listingPage(const QByteArray& body, QLatin1StringView key, const QByteArray& link)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return unexpected(tr("the listing is not a JSON object"));
    const QJsonValue list = document.object().value(key);
    if (!list.isArray() && !list.isNull() && !list.isUndefined()) // null: a repository without tags
        return unexpected(tr("\"%1\" in the listing is not a list").arg(key));
    ListingPage page;
    for (const QJsonValue name : list.toArray()) {
        if (!name.isString())
            return unexpected(tr("\"%1\" in the listing holds something other than names").arg(key));
        page.names.append(name.toString());
    }
    if (const QUrl next = nextLink(link); !next.isEmpty()) {
        page.last = QUrlQuery(next).queryItemValue(u"last"_s, QUrl::FullyDecoded);
        if (page.last.isEmpty() && !page.names.isEmpty())
            page.last = page.names.last();
    }
    return page;
}

QString RegistryDocuments::digestProblem(const QByteArray& content, const QString& digest)
{
    const auto expected = oci::Digest::parse(digest.toStdString());
    if (!expected)
        return tr("%1 is not a digest the console can check").arg(digest);
    if (oci::Digest::ofBytes(view(content), expected->algorithm()) != *expected)
        return tr("the content does not match its digest %1").arg(digest);
    return {};
}

RegistryDocuments::Read<Manifest> RegistryDocuments::manifest(const QByteArray& body,
                                                              const QByteArray& contentType,
                                                              const QStringList& expectedDigests)
{
    for (const QString& digest : expectedDigests) {
        if (QString problem = digestProblem(body, digest); !problem.isEmpty())
            return unexpected(problem);
    }
    const auto parsed = oci::parseManifest(view(body), view(contentType));
    if (!parsed)
        return unexpected(tr("the manifest is not valid: %1").arg(text(parsed.error().message)));

    Manifest manifest;
    manifest.digest = expectedDigests.isEmpty() ? text(oci::Digest::ofBytes(view(body)).toString())
                                                : expectedDigests.first();
    manifest.mediaType = text(parsed->mediaType);
    manifest.raw = body;
    manifest.isIndex = parsed->kind == oci::ManifestKind::Index;
    manifest.artifactType = artifactTypeOf(*parsed);
    if (parsed->config)
        manifest.config = toDescriptor(*parsed->config);
    manifest.layers = toDescriptors(parsed->layers);
    manifest.children = toDescriptors(parsed->manifests);
    return manifest;
}

RegistryDocuments::Read<ImageConfig> RegistryDocuments::imageConfig(const QByteArray& body,
                                                                    const QString& digest)
{
    if (QString problem = digestProblem(body, digest); !problem.isEmpty())
        return unexpected(problem);
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return unexpected(tr("the image config is not a JSON object"));
    const QJsonObject root = document.object();
    ImageConfig config;
    config.created = parseTime(root.value("created"_L1).toString());
    config.os = root.value("os"_L1).toString();
    config.architecture = root.value("architecture"_L1).toString();
    for (const QJsonValue value : root.value("history"_L1).toArray()) {
        const QJsonObject entry = value.toObject();
        config.history.append({parseTime(entry.value("created"_L1).toString()),
                               entry.value("created_by"_L1).toString(), entry.value("comment"_L1).toString(),
                               entry.value("empty_layer"_L1).toBool()});
    }
    config.raw = body;
    return config;
}

RegistryDocuments::Read<QList<Descriptor>> RegistryDocuments::referrers(const QByteArray& body)
{
    const auto parsed = oci::parseManifest(view(body), oci::media::ociIndex);
    if (!parsed)
        return unexpected(
            tr("the referrers list is not a valid OCI index: %1").arg(text(parsed.error().message)));
    return toDescriptors(parsed->manifests);
}

} // namespace berth::app
