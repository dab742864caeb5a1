#pragma once
// Validation of the names in request paths: repository names and tags, per the spec's
// grammar. Anything that passes is safe to use as a storage path component: no "..",
// no empty components, no leading or trailing separators.

#include "oci/Digest.h"

#include <string_view>
#include <variant>

namespace berth::oci {

inline constexpr std::size_t maxRepositoryNameLength = 255;
inline constexpr std::size_t maxTagLength = 128;

// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*, at most 255 chars.
bool isValidRepositoryName(std::string_view name);
// [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}
bool isValidTag(std::string_view tag);

// A manifest reference in a URL: a tag or a digest.
using Reference = std::variant<std::string, Digest>;

// Text with a ':' is a digest (DigestInvalid when malformed or of an unsupported algorithm), anything else
// must be a valid tag (ManifestInvalid with "invalid tag" otherwise).
Result<Reference> parseReference(std::string_view text);

} // namespace berth::oci
