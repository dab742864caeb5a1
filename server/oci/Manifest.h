#pragma once
// Parsing and validating manifest documents (no I/O): OCI image manifest, OCI image index,
// Docker v2 schema 2 and Docker manifest list. Schema 1 is refused.

#include "oci/Digest.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::oci {

inline constexpr std::size_t maxManifestSize = 4 * 1024 * 1024;
inline constexpr unsigned maxJsonDepth = 64;

struct Platform
{
    std::string architecture;
    std::string os;
    std::string variant;
    std::string osVersion;
};

struct Descriptor
{
    std::string mediaType;
    Digest digest;
    std::int64_t size = 0;
    std::string artifactType;
    std::optional<Platform> platform;          // index entries only
    std::map<std::string, std::string> annotations;
    // Where a foreign or non-distributable layer can be fetched from instead; the
    // registry decides whether such a layer must also exist locally.
    std::vector<std::string> urls;
};

enum class ManifestKind { Image, Index };

struct Manifest
{
    ManifestKind kind = ManifestKind::Image;
    std::string mediaType;     // effective media type (declared, or sniffed from the content)
    std::string artifactType;  // artifactType, else config.mediaType for images (for referrers)
    std::optional<Descriptor> config;   // images
    std::vector<Descriptor> layers;     // images
    std::vector<Descriptor> manifests;  // indexes
    std::optional<Descriptor> subject;
    std::map<std::string, std::string> annotations;

    // Every blob the manifest references that must exist in the repository
    // (config and layers, not index children).
    std::vector<Digest> referencedBlobs() const;
};

// Parses `bytes` pushed with Content-Type `contentType` (may be empty: then the content's
// own mediaType field, else its shape, decides). Checks:
//  - size <= maxManifestSize (PayloadTooLarge), valid JSON object with depth <= maxJsonDepth
//    (ManifestInvalid), schemaVersion 2 (schema 1 -> ManifestInvalid "schema 1 ... not supported");
//  - a mediaType field, if present, matches contentType (ManifestInvalid);
//  - descriptors have mediaType, a valid digest (DigestInvalid) and a non-negative size.
Result<Manifest> parseManifest(std::string_view bytes, std::string_view contentType);

// The media type of stored manifest bytes, for Content-Type on GET: the mediaType field,
// else sniffed (config -> OCI manifest, manifests -> OCI index). Empty when unparseable.
std::string detectManifestMediaType(std::string_view bytes);

} // namespace berth::oci
