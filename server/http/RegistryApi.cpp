#include "http/RegistryApi.h"

#include "http/BasicAuthenticator.h"
#include "oci/MediaType.h"
#include "oci/Names.h"
#include "support/Logger.h"

#include <charconv>

namespace berth::http {

namespace asio = boost::asio;

namespace {

// The largest page a client can ask for; without n, the catalog is paged at this size too.
constexpr std::size_t maxPageSize = 10000;
constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

oci::Result<std::string> validRepository(const std::string& name)
{
    if (!oci::isValidRepositoryName(name))
        return oci::fail(oci::ErrorCode::NameInvalid, "invalid repository name", oci::quotedInput(name));
    return name;
}

oci::Error deleteDisabled()
{
    return {oci::ErrorCode::Unsupported, "deletes are disabled on this registry",
            "set storage.delete.enabled: true to allow them"};
}

// With authentication on, everything below /v2/ needs credentials; /healthz does not.
bool needsCredentials(std::string_view target)
{
    const auto path = target.substr(0, target.find('?'));
    return path == "/v2" || path.starts_with("/v2/");
}

bool isWrite(std::string_view method)
{
    return method == "PUT" || method == "POST" || method == "PATCH" || method == "DELETE";
}

// Allow for a 405 at `endpoint`: its methods, less those the registry's options refuse
// with 405 too (writes when it is read-only, deleting content when deletes are disabled).
std::string allowHeader(Endpoint endpoint, const registry::RegistryOptions& options)
{
    const bool deletesContent = endpoint == Endpoint::Manifest || endpoint == Endpoint::Blob;
    std::string allowed;
    for (const std::string_view method : allowedMethods(endpoint)) {
        if ((options.readOnly && isWrite(method)) ||
            (deletesContent && !options.deleteEnabled && method == "DELETE"))
            continue;
        if (!allowed.empty())
            allowed += ", ";
        allowed += method;
    }
    return allowed;
}

// Requests that store new bytes; under disk pressure they wait, while mounts and deletes
// (which free space) go on.
bool consumesSpace(const Route& route, std::string_view method)
{
    switch (route.endpoint) {
    case Endpoint::UploadStart:
        return method == "POST" && !route.parameter("mount");
    case Endpoint::Upload:
        return method == "PATCH" || method == "PUT";
    case Endpoint::Manifest:
        return method == "PUT";
    default:
        return false;
    }
}

std::optional<std::uint64_t> parseNumber(std::string_view text)
{
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

struct ListRequest
{
    std::optional<std::size_t> limit;
    std::string last;
};

oci::Result<ListRequest> listRequest(const Route& route, std::optional<std::size_t> defaultLimit)
{
    ListRequest request{defaultLimit, route.parameter("last").value_or("")};
    if (auto n = route.parameter("n")) {
        auto value = parseNumber(*n);
        if (!value)
            return oci::fail(oci::ErrorCode::SizeInvalid, "n must be a non-negative integer", oci::quotedInput(*n));
        request.limit = static_cast<std::size_t>(std::min<std::uint64_t>(*value, maxPageSize));
    }
    return request;
}

// {"<key>":[...]} with optional leading fields already rendered, e.g. "\"name\":\"x\",".
std::string jsonList(std::string_view prefix, std::string_view key, const std::vector<std::string>& items)
{
    std::size_t size = prefix.size() + key.size() + 8;
    for (const auto& item : items)
        size += item.size() + 3; // quoted, and a comma
    std::string body;
    body.reserve(size);
    body += '{';
    body += prefix;
    appendJsonString(body, key);
    body += ":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            body += ',';
        appendJsonString(body, items[i]);
    }
    body += "]}";
    return body;
}

Response pagedList(const std::string& path, std::string_view prefix, std::string_view key,
                   const registry::Page& page)
{
    auto response = jsonResponse(200, jsonList(prefix, key, page.items));
    if (page.hasMore && !page.items.empty()) {
        response.header("Link", "<" + path + "?last=" + percentEncode(page.items.back()) +
                                    "&n=" + std::to_string(page.items.size()) + ">; rel=\"next\"");
    }
    return response;
}

void appendDescriptor(std::string& out, const oci::Descriptor& descriptor)
{
    out += "{\"mediaType\":";
    appendJsonString(out, descriptor.mediaType);
    out += ",\"digest\":";
    appendJsonString(out, descriptor.digest.toString());
    out += ",\"size\":" + std::to_string(descriptor.size);
    if (!descriptor.artifactType.empty()) {
        out += ",\"artifactType\":";
        appendJsonString(out, descriptor.artifactType);
    }
    if (!descriptor.annotations.empty()) {
        out += ",\"annotations\":{";
        bool first = true;
        for (const auto& [name, value] : descriptor.annotations) {
            if (!std::exchange(first, false))
                out += ',';
            appendJsonString(out, name);
            out += ':';
            appendJsonString(out, value);
        }
        out += '}';
    }
    out += '}';
}

// True when the client's Accept header rules out `mediaType`. Only OCI types are refused,
// as CNCF Distribution does, so clients that predate OCI never get a document they cannot
// read; Docker types and clients that send no Accept always get the manifest.
bool acceptRefuses(std::string_view accept, std::string_view mediaType)
{
    if (accept.empty() || (mediaType != oci::media::ociManifest && mediaType != oci::media::ociIndex))
        return false;
    while (!accept.empty()) {
        const auto comma = accept.find(',');
        const auto item = oci::media::essence(accept.substr(0, comma));
        if (item == mediaType || item == "*/*" || item == "application/*")
            return false;
        accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
    }
    return true;
}

struct ByteRange
{
    std::uint64_t first = 0;
    std::uint64_t last = 0; // inclusive
};

// Parses a single "bytes=a-b", "bytes=a-" or "bytes=-n" against a blob of `size` bytes.
// std::nullopt: unsatisfiable. A range this cannot parse is ignored (the whole blob).
std::optional<ByteRange> parseRange(std::string_view header, std::uint64_t size, bool& present)
{
    present = false;
    constexpr std::string_view prefix = "bytes=";
    if (!header.starts_with(prefix) || header.find(',') != std::string_view::npos)
        return ByteRange{0, size == 0 ? 0 : size - 1};
    const auto spec = header.substr(prefix.size());
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos)
        return ByteRange{0, size == 0 ? 0 : size - 1};
    const auto firstText = spec.substr(0, dash);
    const auto lastText = spec.substr(dash + 1);
    present = true;
    if (firstText.empty()) { // suffix: the last n bytes
        auto count = parseNumber(lastText);
        if (!count || *count == 0 || size == 0)
            return std::nullopt;
        return ByteRange{size - std::min(*count, size), size - 1};
    }
    auto first = parseNumber(firstText);
    auto last = lastText.empty() ? std::optional<std::uint64_t>(size - 1) : parseNumber(lastText);
    if (!first || !last || *first > *last || *first >= size)
        return std::nullopt;
    return ByteRange{*first, std::min(*last, size - 1)};
}

// "Content-Range: <start>-<end>" of a PATCH (optionally "bytes " prefixed).
std::optional<ByteRange> parseContentRange(std::string_view header)
{
    if (header.starts_with("bytes "))
        header.remove_prefix(6);
    const auto dash = header.find('-');
    if (dash == std::string_view::npos)
        return std::nullopt;
    auto first = parseNumber(header.substr(0, dash));
    auto last = parseNumber(header.substr(dash + 1));
    if (!first || !last || *last < *first)
        return std::nullopt;
    return ByteRange{*first, *last};
}

} // namespace

std::string RegistryApi::url(std::string_view path) const { return m_options.externalUrl + std::string(path); }

asio::awaitable<void> RegistryApi::handle(Exchange& exchange)
{
    const Route route = http::route(exchange.target());
    if (!route.repository.empty())
        exchange.setRepository(route.repository);
    auto result = co_await dispatch(exchange, route);
    Response response = result ? std::move(result).value() : errorResponse(result.error());
    if (response.status == 405) // RFC 9110: a 405 lists what the resource does answer
        response.header("Allow", allowHeader(route.endpoint, m_registry.options()));
    if (response.status == 401 && m_authenticator)
        response.header("WWW-Authenticate", m_authenticator->challenge());
    if (!response.isAlreadySent())
        co_await exchange.respond(std::move(response));
}

asio::awaitable<oci::Result<Response>> RegistryApi::dispatch(Exchange& exchange, const Route& route)
{
    // Decided on the headers, before one byte of a body is read.
    if (m_authenticator && needsCredentials(exchange.target())) {
        const auto authorization = exchange.header("Authorization");
        auto user = co_await m_authenticator->authenticate(authorization);
        if (!user)
            co_return unexpected(std::move(user).error());
        exchange.setUser(*user);
    }
    if (m_registry.options().readOnly && isWrite(exchange.method()))
        co_return oci::fail(oci::ErrorCode::Unsupported, "the registry is in read-only mode",
                            "pulls work; pushes and deletes do not");
    if (consumesSpace(route, exchange.method())) {
        auto admitted = m_registry.diskPressure().admitWrite();
        if (!admitted)
            co_return unexpected(std::move(admitted).error());
    }
    oci::Result<Response> result = oci::fail(oci::ErrorCode::NameUnknown, "no such endpoint",
                                             oci::quotedInput(exchange.target()));
    switch (route.endpoint) {
    case Endpoint::Base:
        result = base(exchange);
        break;
    case Endpoint::Health:
        result = health(exchange);
        break;
    case Endpoint::Catalog:
        result = catalog(exchange, route);
        break;
    case Endpoint::Tags:
        result = tags(exchange, route);
        break;
    case Endpoint::Referrers:
        result = referrers(exchange, route);
        break;
    case Endpoint::Manifest:
        result = co_await manifest(exchange, route);
        break;
    case Endpoint::Blob:
        result = co_await blob(exchange, route);
        break;
    case Endpoint::UploadStart:
        result = co_await startUpload(exchange, route);
        break;
    case Endpoint::Upload:
        result = co_await upload(exchange, route);
        break;
    case Endpoint::NotFound:
        break;
    }
    co_return result;
}

oci::Result<Response> RegistryApi::base(Exchange& exchange)
{
    if (exchange.method() != "GET" && exchange.method() != "HEAD")
        return unexpected(methodNotAllowed(exchange.method()));
    return jsonResponse(200, "{}");
}

oci::Result<Response> RegistryApi::health(Exchange& exchange)
{
    if (exchange.method() != "GET" && exchange.method() != "HEAD")
        return unexpected(methodNotAllowed(exchange.method()));
    // A root that is gone (an unmounted volume) or unreadable makes the registry unhealthy.
    auto root = m_registry.driver().stat("/");
    if (!root || !root->isDirectory) {
        std::string body = R"({"status":"unhealthy","storage":)";
        appendJsonString(body, root ? "the storage root is not a directory" : root.error().message());
        return jsonResponse(503, body + "}");
    }
    return jsonResponse(200, R"({"status":"ok"})");
}

oci::Result<Response> RegistryApi::catalog(Exchange& exchange, const Route& route)
{
    if (exchange.method() != "GET")
        return unexpected(methodNotAllowed(exchange.method()));
    auto request = listRequest(route, maxPageSize);
    if (!request)
        return unexpected(std::move(request).error());
    auto page = m_registry.catalog().page(request->limit, request->last);
    if (!page)
        return unexpected(std::move(page).error());
    return pagedList("/v2/_catalog", {}, "repositories", *page);
}

oci::Result<Response> RegistryApi::tags(Exchange& exchange, const Route& route)
{
    if (exchange.method() != "GET")
        return unexpected(methodNotAllowed(exchange.method()));
    auto repository = validRepository(route.repository);
    if (!repository)
        return unexpected(std::move(repository).error());
    auto request = listRequest(route, std::nullopt);
    if (!request)
        return unexpected(std::move(request).error());
    std::string prefix = "\"name\":";
    appendJsonString(prefix, *repository);
    prefix += ',';
    if (!request->limit && request->last.empty()) { // the whole list: the same body until a tag changes
        const auto render = [&prefix](const std::vector<std::string>& names) {
            return jsonList(prefix, "tags", names);
        };
        auto body = m_registry.tags().rendered(*repository, render);
        if (!body)
            return unexpected(std::move(body).error());
        return jsonResponse(200, **body);
    }
    auto page = m_registry.tags().page(*repository, request->limit, request->last);
    if (!page)
        return unexpected(std::move(page).error());
    return pagedList("/v2/" + *repository + "/tags/list", prefix, "tags", *page);
}

oci::Result<Response> RegistryApi::referrers(Exchange& exchange, const Route& route)
{
    if (exchange.method() != "GET")
        return unexpected(methodNotAllowed(exchange.method()));
    auto repository = validRepository(route.repository);
    if (!repository)
        return unexpected(std::move(repository).error());
    auto subject = oci::Digest::parse(route.argument);
    if (!subject)
        return unexpected(std::move(subject).error());
    const auto artifactType = route.parameter("artifactType").value_or("");
    auto found = m_registry.manifests().referrers(*repository, *subject, artifactType);
    if (!found)
        return unexpected(std::move(found).error());

    std::string body = R"({"schemaVersion":2,"mediaType":")";
    body += oci::media::ociIndex;
    body += R"(","manifests":[)";
    for (std::size_t i = 0; i < found->size(); ++i) {
        if (i > 0)
            body += ',';
        appendDescriptor(body, (*found)[i]);
    }
    body += "]}";
    auto response = jsonResponse(200, std::move(body));
    response.contentType = oci::media::ociIndex;
    if (!artifactType.empty())
        response.header("OCI-Filters-Applied", "artifactType");
    return response;
}

asio::awaitable<oci::Result<Response>> RegistryApi::manifest(Exchange& exchange, const Route& route)
{
    auto repository = validRepository(route.repository);
    if (!repository)
        co_return unexpected(std::move(repository).error());
    const auto method = exchange.method();
    auto reference = oci::parseReference(route.argument);
    if (!reference) {
        // A name that cannot be a tag names no manifest: only a push of it is invalid.
        if (method != "PUT" && reference.error().code == oci::ErrorCode::ManifestInvalid)
            co_return oci::fail(oci::ErrorCode::ManifestUnknown, "manifest unknown to registry",
                                reference.error().message);
        co_return unexpected(std::move(reference).error());
    }

    if (method == "GET" || method == "HEAD")
        co_return getManifest(exchange, *repository, *reference);
    if (method == "PUT")
        co_return co_await putManifest(exchange, *repository, *reference);
    if (method == "DELETE")
        co_return deleteManifest(*repository, *reference);
    co_return unexpected(methodNotAllowed(method));
}

oci::Result<Response> RegistryApi::getManifest(Exchange& exchange, const std::string& repository,
                                               const oci::Reference& reference)
{
    auto stored = m_registry.manifests().get(repository, reference);
    if (!stored)
        return unexpected(std::move(stored).error());
    if (acceptRefuses(exchange.header("Accept"), stored->mediaType))
        return oci::fail(oci::ErrorCode::ManifestUnknown, "the manifest's media type is not in the Accept header",
                         stored->mediaType);
    Response response;
    response.contentType = stored->mediaType.empty() ? std::string(oci::media::ociManifest) : stored->mediaType;
    const auto digest = stored->digest.toString();
    response.header("Docker-Content-Digest", digest).header("ETag", "\"" + digest + "\"");
    if (exchange.method() == "HEAD")
        response.contentLength = stored->content.size();
    else
        response.body = std::move(stored->content);
    return response;
}

asio::awaitable<oci::Result<Response>> RegistryApi::putManifest(Exchange& exchange, const std::string& repository,
                                                                 const oci::Reference& reference)
{
    // Refuse an oversized manifest on its declared length, before reading it.
    if (exchange.contentLength().value_or(0) > oci::maxManifestSize)
        co_return oci::fail(oci::ErrorCode::PayloadTooLarge, "manifest too large",
                            "manifests are limited to " + std::to_string(oci::maxManifestSize) + " bytes");
    std::string content;
    const Exchange::BodySink collect = [&](std::span<const std::byte> bytes) -> oci::Result<void> {
        content.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return {};
    };
    auto received = co_await exchange.readBody(collect, oci::maxManifestSize);
    if (!received)
        co_return unexpected(std::move(received).error());

    auto pushed = m_registry.manifests().put(repository, reference, content, exchange.header("Content-Type"));
    if (!pushed)
        co_return unexpected(std::move(pushed).error());
    Response response;
    response.status = 201;
    const auto digest = pushed->digest.toString();
    response.header("Location", url("/v2/" + repository + "/manifests/" + digest))
        .header("Docker-Content-Digest", digest);
    if (pushed->subject)
        response.header("OCI-Subject", pushed->subject->toString());
    co_return response;
}

oci::Result<Response> RegistryApi::deleteManifest(const std::string& repository, const oci::Reference& reference)
{
    if (!m_registry.options().deleteEnabled)
        return unexpected(deleteDisabled());
    oci::Result<void> deleted = std::holds_alternative<oci::Digest>(reference)
                                    ? m_registry.manifests().remove(repository, std::get<oci::Digest>(reference))
                                    : m_registry.tags().untag(repository, std::get<std::string>(reference));
    if (!deleted)
        return unexpected(std::move(deleted).error());
    Response response;
    response.status = 202;
    return response;
}

asio::awaitable<oci::Result<Response>> RegistryApi::blob(Exchange& exchange, const Route& route)
{
    auto repository = validRepository(route.repository);
    if (!repository)
        co_return unexpected(std::move(repository).error());
    auto digest = oci::Digest::parse(route.argument);
    if (!digest)
        co_return unexpected(std::move(digest).error());

    const auto method = exchange.method();
    if (method == "GET" || method == "HEAD")
        co_return co_await getBlob(exchange, *repository, *digest);
    if (method == "DELETE") {
        if (!m_registry.options().deleteEnabled)
            co_return unexpected(deleteDisabled());
        auto unlinked = m_registry.blobs().unlink(*repository, *digest);
        if (!unlinked)
            co_return unexpected(std::move(unlinked).error());
        Response response;
        response.status = 202;
        co_return response;
    }
    co_return unexpected(methodNotAllowed(method));
}

asio::awaitable<oci::Result<Response>> RegistryApi::getBlob(Exchange& exchange, const std::string& repository,
                                                             const oci::Digest& digest)
{
    auto info = m_registry.blobs().stat(repository, digest);
    if (!info)
        co_return unexpected(std::move(info).error());

    Response response;
    response.contentType = "application/octet-stream";
    const auto digestText = digest.toString();
    response.header("Docker-Content-Digest", digestText)
        .header("ETag", "\"" + digestText + "\"")
        .header("Accept-Ranges", "bytes");

    bool partial = false;
    const auto range = parseRange(exchange.header("Range"), info->size, partial);
    if (!range) {
        response = errorResponse({oci::ErrorCode::RangeInvalid, "requested range not satisfiable",
                                  "the blob has " + std::to_string(info->size) + " bytes"});
        response.header("Content-Range", "bytes */" + std::to_string(info->size));
        co_return response;
    }
    const std::uint64_t length = info->size == 0 ? 0 : range->last - range->first + 1;
    if (partial) {
        response.status = 206;
        response.header("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                             std::to_string(range->last) + "/" + std::to_string(info->size));
    }
    response.contentLength = length;
    if (exchange.method() == "HEAD")
        co_return response;

    auto reader = m_registry.blobs().open(repository, digest, range->first);
    if (!reader)
        co_return unexpected(std::move(reader).error());
    co_await exchange.respondWithFile(std::move(response), **reader, length);
    co_return Response::alreadySent();
}

Response RegistryApi::uploadProgress(unsigned status, const std::string& repository,
                                     const registry::UploadSession& session)
{
    Response response;
    response.status = status;
    const auto size = session.size();
    response.header("Location", url("/v2/" + repository + "/blobs/uploads/" + session.uuid()))
        .header("Range", "0-" + std::to_string(size == 0 ? 0 : size - 1))
        .header("Docker-Upload-UUID", session.uuid());
    return response;
}

Response RegistryApi::blobCreated(const std::string& repository, const oci::Digest& digest)
{
    Response response;
    response.status = 201;
    const auto digestText = digest.toString();
    response.header("Location", url("/v2/" + repository + "/blobs/" + digestText))
        .header("Docker-Content-Digest", digestText);
    return response;
}

asio::awaitable<oci::Result<Response>> RegistryApi::startUpload(Exchange& exchange, const Route& route)
{
    if (exchange.method() != "POST")
        co_return unexpected(methodNotAllowed(exchange.method()));
    auto repository = validRepository(route.repository);
    if (!repository)
        co_return unexpected(std::move(repository).error());

    if (auto mountText = route.parameter("mount")) {
        auto digest = oci::Digest::parse(*mountText);
        if (!digest)
            co_return unexpected(std::move(digest).error());
        const auto from = route.parameter("from").value_or("");
        if (!from.empty() && !oci::isValidRepositoryName(from))
            co_return oci::fail(oci::ErrorCode::NameInvalid, "invalid repository name in from", oci::quotedInput(from));
        auto mounted = m_registry.blobs().mount(*repository, *digest, from);
        if (mounted)
            co_return blobCreated(*repository, *digest);
        if (mounted.error().code != oci::ErrorCode::BlobUnknown)
            co_return unexpected(std::move(mounted).error());
        // Nothing to mount: the spec asks for an ordinary upload session instead.
    }

    auto uuid = m_registry.uploads().create(*repository);
    if (!uuid)
        co_return unexpected(std::move(uuid).error());
    auto lease = m_registry.uploads().acquire(*repository, *uuid);
    if (!lease)
        co_return unexpected(std::move(lease).error());
    if (const auto digest = route.parameter("digest"))
        co_return co_await finishUpload(exchange, *repository, *lease, digest);
    co_return uploadProgress(202, *repository, **lease);
}

asio::awaitable<oci::Result<void>> RegistryApi::receiveChunk(Exchange& exchange, registry::UploadLease& lease)
{
    std::uint64_t limit = unlimited;
    if (const auto contentRange = exchange.header("Content-Range"); !contentRange.empty()) {
        const auto range = parseContentRange(contentRange);
        if (!range || range->first != lease->size())
            co_return oci::fail(oci::ErrorCode::RangeInvalid, "chunk does not start where the upload ends",
                                "the upload has " + std::to_string(lease->size()) + " bytes; got Content-Range " +
                                    oci::quotedInput(contentRange));
        limit = range->last - range->first + 1;
        if (const auto length = exchange.contentLength(); length && *length != limit)
            co_return oci::fail(oci::ErrorCode::RangeInvalid, "Content-Range and Content-Length disagree",
                                oci::quotedInput(contentRange));
    }
    const Exchange::BodySink append = [&](std::span<const std::byte> bytes) { return lease->append(bytes); };
    auto received = co_await exchange.readBody(append, limit);
    if (!received)
        co_return unexpected(std::move(received).error());
    co_return oci::Result<void>{};
}

asio::awaitable<oci::Result<Response>> RegistryApi::finishUpload(Exchange& exchange, const std::string& repository,
                                                                  registry::UploadLease& lease,
                                                                  const std::optional<std::string>& digestText)
{
    if (!digestText)
        co_return oci::fail(oci::ErrorCode::DigestInvalid, "digest parameter missing",
                            "completing an upload needs ?digest=<algorithm>:<hex>");
    auto digest = oci::Digest::parse(*digestText);
    if (!digest)
        co_return unexpected(std::move(digest).error());
    auto chunk = co_await receiveChunk(exchange, lease);
    if (!chunk)
        co_return unexpected(std::move(chunk).error());
    auto blob = m_registry.uploads().complete(std::move(lease), *digest);
    if (!blob)
        co_return unexpected(std::move(blob).error());
    co_return blobCreated(repository, *digest);
}

asio::awaitable<oci::Result<Response>> RegistryApi::upload(Exchange& exchange, const Route& route)
{
    auto repository = validRepository(route.repository);
    if (!repository)
        co_return unexpected(std::move(repository).error());
    const auto method = exchange.method();
    if (method == "DELETE") {
        auto cancelled = m_registry.uploads().cancel(*repository, route.argument);
        if (!cancelled)
            co_return unexpected(std::move(cancelled).error());
        Response response;
        response.status = 204;
        co_return response;
    }
    if (method != "GET" && method != "PATCH" && method != "PUT")
        co_return unexpected(methodNotAllowed(method));

    auto lease = m_registry.uploads().acquire(*repository, route.argument);
    if (!lease)
        co_return unexpected(std::move(lease).error());
    if (method == "GET")
        co_return uploadProgress(204, *repository, **lease);
    if (method == "PUT") {
        const auto digest = route.parameter("digest");
        co_return co_await finishUpload(exchange, *repository, *lease, digest);
    }

    auto chunk = co_await receiveChunk(exchange, *lease);
    if (!chunk)
        co_return unexpected(std::move(chunk).error());
    co_return uploadProgress(202, *repository, **lease);
}

} // namespace berth::http
