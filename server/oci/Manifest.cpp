#include "oci/Manifest.h"

#include "oci/MediaType.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <limits>
#include <set>

namespace berth::oci {

namespace json = boost::json;

namespace {

constexpr std::string_view schema1Refused =
    "Docker schema 1 manifests are not supported; push schema 2 or OCI";

Unexpected<Error> invalid(std::string message)
{
    return fail(ErrorCode::ManifestInvalid, std::move(message));
}

template <class T> Unexpected<Error> errorOf(Result<T>&& result)
{
    return {std::move(result).error()};
}

std::string_view view(const json::string& text)
{
    return {text.data(), text.size()};
}

std::string path(std::string_view where, std::string_view key)
{
    return where.empty() ? std::string(key) : std::string(where) + "." + std::string(key);
}

// A field that is present and not null: null reads as absent, as Go clients treat it.
const json::value* field(const json::object& object, std::string_view key)
{
    const auto* value = object.if_contains(key);
    return (value != nullptr && !value->is_null()) ? value : nullptr;
}

Result<std::string> optionalString(const json::object& object, std::string_view key, std::string_view where)
{
    const auto* value = field(object, key);
    if (value == nullptr)
        return std::string();
    if (!value->is_string())
        return invalid(path(where, key) + " must be a string");
    return std::string(view(value->get_string()));
}

Result<std::string> requiredString(const json::object& object, std::string_view key, std::string_view where)
{
    if (field(object, key) == nullptr)
        return invalid(path(where, key) + " is required");
    return optionalString(object, key, where);
}

Result<std::string> optionalMediaType(const json::object& object, std::string_view key,
                                      std::string_view where)
{
    auto type = optionalString(object, key, where);
    if (type && !type->empty() && !media::isValidMediaType(*type))
        return invalid(path(where, key) + " " + quotedInput(*type) + " is not a valid media type");
    return type;
}

Result<std::map<std::string, std::string>> parseAnnotations(const json::object& object,
                                                            std::string_view where)
{
    std::map<std::string, std::string> annotations;
    const auto* value = field(object, "annotations");
    if (value == nullptr)
        return annotations;
    const auto* entries = value->if_object();
    if (entries == nullptr)
        return invalid(path(where, "annotations") + " must be an object");
    for (const auto& entry : *entries) {
        const auto* text = entry.value().if_string();
        if (text == nullptr)
            return invalid(path(where, "annotations") + " values must be strings");
        annotations.emplace(std::string(entry.key()), std::string(view(*text)));
    }
    return annotations;
}

Result<std::vector<std::string>> parseUrls(const json::object& object, std::string_view where)
{
    std::vector<std::string> urls;
    const auto* value = field(object, "urls");
    if (value == nullptr)
        return urls;
    const auto* entries = value->if_array();
    if (entries == nullptr)
        return invalid(path(where, "urls") + " must be an array of strings");
    for (const auto& entry : *entries) {
        const auto* text = entry.if_string();
        if (text == nullptr)
            return invalid(path(where, "urls") + " must be an array of strings");
        urls.emplace_back(view(*text));
    }
    return urls;
}

Result<Platform> parsePlatform(const json::value& value, const std::string& where)
{
    const auto* object = value.if_object();
    if (object == nullptr)
        return invalid(where + " must be an object");
    auto architecture = requiredString(*object, "architecture", where);
    if (!architecture)
        return errorOf(std::move(architecture));
    auto os = requiredString(*object, "os", where);
    if (!os)
        return errorOf(std::move(os));
    auto variant = optionalString(*object, "variant", where);
    if (!variant)
        return errorOf(std::move(variant));
    auto osVersion = optionalString(*object, "os.version", where);
    if (!osVersion)
        return errorOf(std::move(osVersion));
    return Platform{.architecture = std::move(architecture).value(),
                    .os = std::move(os).value(),
                    .variant = std::move(variant).value(),
                    .osVersion = std::move(osVersion).value()};
}

Result<std::int64_t> parseSize(const json::object& object, std::string_view where)
{
    const auto* value = field(object, "size");
    if (value == nullptr)
        return invalid(path(where, "size") + " is required");
    if (value->is_int64() && value->get_int64() >= 0)
        return value->get_int64();
    if (value->is_uint64() && value->get_uint64() <= std::uint64_t{std::numeric_limits<std::int64_t>::max()})
        return static_cast<std::int64_t>(value->get_uint64());
    return invalid(path(where, "size") + " must be a non-negative integer");
}

Result<Descriptor> parseDescriptor(const json::value& value, const std::string& where, bool withPlatform)
{
    const auto* object = value.if_object();
    if (object == nullptr)
        return invalid(where + " must be an object");

    auto mediaType = requiredString(*object, "mediaType", where);
    if (!mediaType)
        return errorOf(std::move(mediaType));
    if (!media::isValidMediaType(*mediaType))
        return invalid(where + ".mediaType " + quotedInput(*mediaType) + " is not a valid media type");

    auto digestText = requiredString(*object, "digest", where);
    if (!digestText)
        return errorOf(std::move(digestText));
    // Any bad digest here is DIGEST_INVALID, an unknown algorithm included: the registry
    // could not verify the blob it names.
    auto digest = Digest::parse(*digestText);
    if (!digest)
        return fail(ErrorCode::DigestInvalid, where + ".digest: " + digest.error().message);

    auto size = parseSize(*object, where);
    if (!size)
        return errorOf(std::move(size));
    auto artifactType = optionalMediaType(*object, "artifactType", where);
    if (!artifactType)
        return errorOf(std::move(artifactType));
    auto annotations = parseAnnotations(*object, where);
    if (!annotations)
        return errorOf(std::move(annotations));
    auto urls = parseUrls(*object, where);
    if (!urls)
        return errorOf(std::move(urls));

    std::optional<Platform> platform;
    if (const auto* platformValue = field(*object, "platform"); withPlatform && platformValue != nullptr) {
        auto parsed = parsePlatform(*platformValue, where + ".platform");
        if (!parsed)
            return errorOf(std::move(parsed));
        platform = std::move(parsed).value();
    }

    return Descriptor{.mediaType = std::move(mediaType).value(),
                      .digest = std::move(digest).value(),
                      .size = *size,
                      .artifactType = std::move(artifactType).value(),
                      .platform = std::move(platform),
                      .annotations = std::move(annotations).value(),
                      .urls = std::move(urls).value()};
}

Result<std::vector<Descriptor>> parseDescriptorArray(const json::object& root, std::string_view key,
                                                     bool withPlatform)
{
    const auto* value = field(root, key);
    if (value == nullptr || !value->is_array())
        return invalid(std::string(key) + " must be an array");
    std::vector<Descriptor> descriptors;
    const auto& entries = value->get_array();
    descriptors.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        auto descriptor =
            parseDescriptor(entries[i], std::string(key) + "[" + std::to_string(i) + "]", withPlatform);
        if (!descriptor)
            return errorOf(std::move(descriptor));
        descriptors.push_back(std::move(descriptor).value());
    }
    return descriptors;
}

Result<void> parseImageFields(const json::object& root, Manifest& manifest)
{
    // An image that also lists manifests could be read as an index by another client.
    if (field(root, "manifests") != nullptr)
        return invalid("an image manifest must not have a manifests field");
    const auto* config = field(root, "config");
    if (config == nullptr)
        return invalid("config is required in an image manifest");
    auto configDescriptor = parseDescriptor(*config, "config", false);
    if (!configDescriptor)
        return errorOf(std::move(configDescriptor));
    auto layers = parseDescriptorArray(root, "layers", false);
    if (!layers)
        return errorOf(std::move(layers));
    manifest.config = std::move(configDescriptor).value();
    manifest.layers = std::move(layers).value();
    return {};
}

Result<void> parseIndexFields(const json::object& root, Manifest& manifest)
{
    if (field(root, "config") != nullptr || field(root, "layers") != nullptr)
        return invalid("an index must not have config or layers fields");
    auto manifests = parseDescriptorArray(root, "manifests", true);
    if (!manifests)
        return errorOf(std::move(manifests));
    manifest.manifests = std::move(manifests).value();
    return {};
}

// The manifest type a Content-Type declares, or empty when it leaves that to the document.
Result<std::string_view> declaredType(std::string_view contentType)
{
    const auto bare = media::essence(contentType);
    if (bare.empty() || media::isGenericMediaType(bare))
        return std::string_view();
    if (media::isSchema1MediaType(bare))
        return invalid(std::string(schema1Refused));
    const auto type = media::canonicalManifestMediaType(bare);
    if (type.empty())
        return invalid("Content-Type " + quotedInput(bare) + " is not a supported manifest media type");
    return type;
}

// What the document's shape says it is, for documents without a mediaType field.
std::string_view sniffedType(const json::object& root)
{
    if (field(root, "manifests") != nullptr)
        return media::ociIndex;
    if (field(root, "config") != nullptr)
        return media::ociManifest;
    return {};
}

std::optional<std::int64_t> integerField(const json::object& root, std::string_view key)
{
    const auto* value = field(root, key);
    if (value != nullptr && value->is_int64())
        return value->get_int64();
    return std::nullopt;
}

json::value parseJson(std::string_view bytes, json::storage_ptr storage, json::error_code& error)
{
    json::parse_options options;
    options.max_depth = maxJsonDepth; // Boost's parser keeps its own stack, so deep input fails fast
    return json::parse(json::string_view(bytes.data(), bytes.size()), error, std::move(storage), options);
}

} // namespace

std::vector<Digest> Manifest::referencedBlobs() const
{
    std::vector<Digest> blobs;
    std::set<Digest> seen;
    const auto add = [&](const Descriptor& descriptor) {
        if (seen.insert(descriptor.digest).second)
            blobs.push_back(descriptor.digest);
    };
    if (config)
        add(*config);
    for (const auto& layer : layers)
        add(layer);
    return blobs;
}

Result<Manifest> parseManifest(std::string_view bytes, std::string_view contentType)
{
    if (bytes.size() > maxManifestSize) {
        return fail(ErrorCode::PayloadTooLarge, "manifest is " + std::to_string(bytes.size()) +
                                                    " bytes; the limit is " +
                                                    std::to_string(maxManifestSize));
    }
    const auto declared = declaredType(contentType);
    if (!declared)
        return Unexpected<Error>{declared.error()};

    json::monotonic_resource resource;
    json::error_code jsonError;
    const auto document = parseJson(bytes, &resource, jsonError);
    if (jsonError == json::error::too_deep)
        return invalid("manifest JSON is nested deeper than " + std::to_string(maxJsonDepth) + " levels");
    if (jsonError)
        return invalid("manifest is not valid JSON: " + jsonError.message());
    const auto* root = document.if_object();
    if (root == nullptr)
        return invalid("manifest must be a JSON object");

    const auto schemaVersion = integerField(*root, "schemaVersion");
    if (schemaVersion == 1)
        return invalid(std::string(schema1Refused));
    if (schemaVersion != 2)
        return invalid("schemaVersion must be 2");

    auto ownType = optionalString(*root, "mediaType", "");
    if (!ownType)
        return errorOf(std::move(ownType));
    if (media::isSchema1MediaType(*ownType))
        return invalid(std::string(schema1Refused));
    const auto ownCanonical = media::canonicalManifestMediaType(*ownType);
    if (!ownType->empty() && !declared->empty() && ownCanonical != *declared) {
        return invalid("mediaType " + quotedInput(*ownType) +
                       " in the manifest does not match Content-Type " + quotedInput(*declared));
    }
    if (!ownType->empty() && ownCanonical.empty())
        return invalid("mediaType " + quotedInput(*ownType) + " is not a supported manifest media type");

    // Docker's formats always name themselves; without the field, the type would be lost
    // on the way back out (a GET can only sniff OCI types), so refuse it as Distribution does.
    const bool dockerType =
        *declared == media::dockerManifest || *declared == media::dockerManifestList;
    if (dockerType && ownType->empty())
        return invalid("a Docker manifest must declare its mediaType " + quotedInput(*declared));

    Manifest manifest;
    if (!declared->empty())
        manifest.mediaType = *declared;
    else if (!ownCanonical.empty())
        manifest.mediaType = ownCanonical;
    else
        manifest.mediaType = sniffedType(*root);
    if (manifest.mediaType.empty())
        return invalid("cannot tell the manifest type: no Content-Type, mediaType, config or manifests");
    manifest.kind = media::isIndexMediaType(manifest.mediaType) ? ManifestKind::Index : ManifestKind::Image;

    const auto kindFields = manifest.kind == ManifestKind::Index ? parseIndexFields(*root, manifest)
                                                                 : parseImageFields(*root, manifest);
    if (!kindFields)
        return Unexpected<Error>{kindFields.error()};

    auto artifactType = optionalMediaType(*root, "artifactType", "");
    if (!artifactType)
        return errorOf(std::move(artifactType));
    manifest.artifactType = std::move(artifactType).value();
    if (manifest.artifactType.empty() && manifest.config)
        manifest.artifactType = manifest.config->mediaType;

    if (const auto* subject = field(*root, "subject")) {
        auto descriptor = parseDescriptor(*subject, "subject", false);
        if (!descriptor)
            return errorOf(std::move(descriptor));
        manifest.subject = std::move(descriptor).value();
    }

    auto annotations = parseAnnotations(*root, "");
    if (!annotations)
        return errorOf(std::move(annotations));
    manifest.annotations = std::move(annotations).value();
    return manifest;
}

std::string detectManifestMediaType(std::string_view bytes)
{
    if (bytes.size() > maxManifestSize)
        return {};
    json::monotonic_resource resource;
    json::error_code jsonError;
    const auto document = parseJson(bytes, &resource, jsonError);
    const auto* root = document.if_object();
    if (jsonError || root == nullptr)
        return {};

    if (const auto* own = field(*root, "mediaType");
        own != nullptr && own->is_string() && !own->get_string().empty()) {
        const auto canonical = media::canonicalManifestMediaType(view(own->get_string()));
        return std::string(canonical.empty() ? view(own->get_string()) : canonical);
    }
    // Schema 1 manifests may sit in a storage tree taken over from an older registry.
    if (integerField(*root, "schemaVersion") == 1)
        return std::string(field(*root, "signatures") != nullptr ? media::dockerSchema1Signed
                                                                 : media::dockerSchema1);
    return std::string(sniffedType(*root));
}

} // namespace berth::oci
