#pragma once
// Maps a request target to one of the registry's endpoints. Pure string work, no I/O:
// path segments are percent-decoded one by one, so an encoded '/' or ".." can never
// change which endpoint is chosen, and names are validated later by the handlers.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace berth::http {

enum class Endpoint
{
    Base,        // /v2/
    Catalog,     // /v2/_catalog
    Tags,        // /v2/<name>/tags/list
    Manifest,    // /v2/<name>/manifests/<reference>
    Blob,        // /v2/<name>/blobs/<digest>
    UploadStart, // /v2/<name>/blobs/uploads/
    Upload,      // /v2/<name>/blobs/uploads/<uuid>
    Referrers,   // /v2/<name>/referrers/<digest>
    Health,      // /healthz
    NotFound,
};

struct Route
{
    Endpoint endpoint = Endpoint::NotFound;
    std::string repository; // decoded, not yet validated
    std::string argument;   // reference, digest or upload id, decoded
    std::multimap<std::string, std::string> query;

    // First value of a query parameter, decoded; std::nullopt when absent.
    std::optional<std::string> parameter(std::string_view name) const;
};

Route route(std::string_view target);

// The methods `endpoint` answers, in the order the Allow header of a 405 lists them; none
// for NotFound.
std::span<const std::string_view> allowedMethods(Endpoint endpoint);

// One name=value pair of a query string, as sent (not decoded); the value is empty without '='.
struct QueryPair
{
    std::string_view name;
    std::string_view value;
};
// The pairs of a query string in order; empty ones ("a=1&&b=2") are skipped.
std::vector<QueryPair> queryPairs(std::string_view query);

// Percent-decodes `text`; '+' becomes a space when `plusIsSpace` (query strings).
// Returns std::nullopt for a malformed escape.
std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace);
std::string percentEncode(std::string_view text);

} // namespace berth::http
