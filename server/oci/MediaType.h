#pragma once
// Media types of the manifests and blobs a registry meets.

#include <string_view>

namespace berth::oci::media {

inline constexpr std::string_view ociManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view ociIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view ociConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view ociEmpty = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view dockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view dockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view dockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view dockerSchema1Signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
inline constexpr std::string_view dockerConfig = "application/vnd.docker.container.image.v1+json";

// Strips parameters and whitespace: "application/json; charset=utf-8" -> "application/json".
std::string_view essence(std::string_view mediaType);

// The predicates below compare essences case-insensitively, as RFC 6838 asks.
bool isManifestMediaType(std::string_view mediaType); // the four supported manifest types
bool isIndexMediaType(std::string_view mediaType);    // OCI index or Docker manifest list
bool isSchema1MediaType(std::string_view mediaType);

// Content-Types that say nothing about which manifest a body is: application/json,
// application/octet-stream. A push with one of them is judged by the document itself.
bool isGenericMediaType(std::string_view mediaType);

// type "/" subtype as the image spec's schema allows (RFC 6838 restricted names, no
// parameters), for the mediaType and artifactType fields of descriptors.
bool isValidMediaType(std::string_view mediaType);

// The constant above that names the same supported manifest type, else empty:
// "Application/VND.OCI.image.manifest.v1+json; x=y" -> ociManifest.
std::string_view canonicalManifestMediaType(std::string_view mediaType);

} // namespace berth::oci::media
