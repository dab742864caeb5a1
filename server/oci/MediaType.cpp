#include "oci/MediaType.h"

#include <algorithm>
#include <array>

namespace berth::oci::media {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

bool isAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char toLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return toLower(x) == toLower(y); });
}

constexpr std::array manifestTypes{ociManifest, ociIndex, dockerManifest, dockerManifestList};

} // namespace

std::string_view essence(std::string_view mediaType)
{
    mediaType = mediaType.substr(0, mediaType.find(';'));
    while (!mediaType.empty() && isSpace(mediaType.front()))
        mediaType.remove_prefix(1);
    while (!mediaType.empty() && isSpace(mediaType.back()))
        mediaType.remove_suffix(1);
    return mediaType;
}

std::string_view canonicalManifestMediaType(std::string_view mediaType)
{
    const auto bare = essence(mediaType);
    for (auto type : manifestTypes) {
        if (equalsIgnoringCase(bare, type))
            return type;
    }
    return {};
}

bool isManifestMediaType(std::string_view mediaType)
{
    return !canonicalManifestMediaType(mediaType).empty();
}

bool isIndexMediaType(std::string_view mediaType)
{
    const auto type = canonicalManifestMediaType(mediaType);
    return type == ociIndex || type == dockerManifestList;
}

bool isSchema1MediaType(std::string_view mediaType)
{
    const auto bare = essence(mediaType);
    return equalsIgnoringCase(bare, dockerSchema1) || equalsIgnoringCase(bare, dockerSchema1Signed);
}

bool isGenericMediaType(std::string_view mediaType)
{
    const auto bare = essence(mediaType);
    return equalsIgnoringCase(bare, "application/json") ||
           equalsIgnoringCase(bare, "application/octet-stream");
}

bool isValidMediaType(std::string_view mediaType)
{
    // [A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}
    const auto isRestrictedName = [](std::string_view name) {
        if (name.empty() || name.size() > 127 || !isAlnum(name.front()))
            return false;
        return std::all_of(name.begin() + 1, name.end(), [](char c) {
            return isAlnum(c) || std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
        });
    };
    const auto slash = mediaType.find('/');
    if (slash == std::string_view::npos)
        return false;
    return isRestrictedName(mediaType.substr(0, slash)) && isRestrictedName(mediaType.substr(slash + 1));
}

} // namespace berth::oci::media
