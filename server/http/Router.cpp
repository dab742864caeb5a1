#include "http/Router.h"

#include <vector>

namespace berth::http {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::multimap<std::string, std::string> parseQuery(std::string_view query)
{
    std::multimap<std::string, std::string> parameters;
    for (const auto& pair : queryPairs(query)) {
        auto key = percentDecode(pair.name, true);
        auto value = percentDecode(pair.value, true);
        if (key && value)
            parameters.emplace(std::move(*key), std::move(*value));
    }
    return parameters;
}

// Joins segments [0, count) back into a repository name.
std::string joinName(const std::vector<std::string>& segments, std::size_t count)
{
    std::string name;
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0)
            name += '/';
        name += segments[i];
    }
    return name;
}

Route matchRegistryPath(const std::vector<std::string>& segments)
{
    Route result;
    const auto n = segments.size();
    const auto at = [&](std::size_t fromEnd) -> const std::string& { return segments[n - fromEnd]; };
    if (n == 0 || (n == 1 && segments[0].empty())) {
        result.endpoint = Endpoint::Base;
    } else if (n == 1 && at(1) == "_catalog") {
        result.endpoint = Endpoint::Catalog;
    } else if (n >= 3 && at(2) == "tags" && at(1) == "list") {
        result = {Endpoint::Tags, joinName(segments, n - 2), {}, {}};
    } else if (n >= 3 && at(2) == "manifests") {
        result = {Endpoint::Manifest, joinName(segments, n - 2), at(1), {}};
    } else if (n >= 3 && at(2) == "referrers") {
        result = {Endpoint::Referrers, joinName(segments, n - 2), at(1), {}};
    } else if (n >= 3 && at(2) == "blobs" && at(1) == "uploads") {
        result = {Endpoint::UploadStart, joinName(segments, n - 2), {}, {}};
    } else if (n >= 4 && at(3) == "blobs" && at(2) == "uploads") {
        // ".../blobs/uploads/" (trailing slash) starts an upload; anything else names one.
        result = {
            at(1).empty() ? Endpoint::UploadStart : Endpoint::Upload, joinName(segments, n - 3), at(1), {}};
    } else if (n >= 3 && at(2) == "blobs") {
        result = {Endpoint::Blob, joinName(segments, n - 2), at(1), {}};
    }
    return result;
}

} // namespace

std::optional<std::string> Route::parameter(std::string_view name) const
{
    const auto found = query.find(std::string(name));
    if (found == query.end())
        return std::nullopt;
    return found->second;
}

std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace)
{
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size())
                return std::nullopt;
            const int high = hexValue(text[i + 1]);
            const int low = hexValue(text[i + 2]);
            if (high < 0 || low < 0)
                return std::nullopt;
            decoded.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            decoded.push_back(' ');
        } else {
            decoded.push_back(c);
        }
    }
    return decoded;
}

std::string percentEncode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string encoded;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~' || c == '/') {
            encoded.push_back(c);
        } else {
            encoded.push_back('%');
            encoded.push_back(hex[byte >> 4]);
            encoded.push_back(hex[byte & 0x0f]);
        }
    }
    return encoded;
}

std::vector<QueryPair> queryPairs(std::string_view query)
{
    std::vector<QueryPair> pairs;
    while (!query.empty()) {
        const auto end = query.find('&');
        const auto pair = query.substr(0, end);
        query = end == std::string_view::npos ? std::string_view{} : query.substr(end + 1);
        if (pair.empty())
            continue;
        const auto equals = pair.find('=');
        pairs.push_back({pair.substr(0, equals),
                         equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1)});
    }
    return pairs;
}

Route route(std::string_view target)
{
    const auto questionMark = target.find('?');
    const auto path = target.substr(0, questionMark);
    const auto query =
        questionMark == std::string_view::npos ? std::string_view{} : target.substr(questionMark + 1);

    Route result;
    if (path == "/healthz") {
        result.endpoint = Endpoint::Health;
    } else if (path == "/v2" || path.starts_with("/v2/")) {
        std::vector<std::string> segments;
        std::string_view rest = path.size() > 4 ? path.substr(4) : std::string_view{};
        bool malformed = false;
        for (;;) {
            const auto slash = rest.find('/');
            auto segment = percentDecode(rest.substr(0, slash), false);
            if (!segment) {
                malformed = true;
                break;
            }
            segments.push_back(std::move(*segment));
            if (slash == std::string_view::npos)
                break;
            rest = rest.substr(slash + 1);
        }
        if (!malformed)
            result = matchRegistryPath(segments);
    }
    result.query = parseQuery(query);
    return result;
}

std::span<const std::string_view> allowedMethods(Endpoint endpoint)
{
    static constexpr std::string_view read[] = {"GET", "HEAD"};
    static constexpr std::string_view list[] = {"GET"};
    static constexpr std::string_view manifest[] = {"GET", "HEAD", "PUT", "DELETE"};
    static constexpr std::string_view blob[] = {"GET", "HEAD", "DELETE"};
    static constexpr std::string_view uploadStart[] = {"POST"};
    static constexpr std::string_view upload[] = {"GET", "PATCH", "PUT", "DELETE"};
    switch (endpoint) {
    case Endpoint::Base:
    case Endpoint::Health:
        return read;
    case Endpoint::Catalog:
    case Endpoint::Tags:
    case Endpoint::Referrers:
        return list;
    case Endpoint::Manifest:
        return manifest;
    case Endpoint::Blob:
        return blob;
    case Endpoint::UploadStart:
        return uploadStart;
    case Endpoint::Upload:
        return upload;
    case Endpoint::NotFound:
        break;
    }
    return {};
}

} // namespace berth::http
