#pragma once
// Where everything lives in storage: the same layout as CNCF Distribution, so a storage
// root can move between berthd and Distribution in either direction.
//
//   /docker/registry/v2/
//     blobs/sha256/<hex[0:2]>/<hex>/data                    the bytes of every blob and manifest
//     repositories/<name>/
//       _layers/sha256/<hex>/link                            blob linked into the repository
//       _manifests/revisions/sha256/<hex>/link               manifest stored in the repository
//       _manifests/tags/<tag>/current/link                   what the tag points to now
//       _manifests/tags/<tag>/index/sha256/<hex>/link        every digest the tag ever pointed to
//       _uploads/<uuid>/data                                 bytes of an upload in progress
//       _uploads/<uuid>/startedat                            RFC 3339 start time
//       _referrers/sha256/<subject hex>/sha256/<hex>/link    berthd only: manifests whose subject
//                                                            is <subject>; Distribution ignores it
// A link file holds the digest string ("sha256:<hex>").
//
// berthd's own files live beside that tree, where Distribution never looks:
//
//   /berth/
//     storage-index                                         per-repository usage, rebuilt from the
//                                                           tree when missing or not closed cleanly
//     storage-history                                       usage samples over time
//     retention-rules.json                                  the retention rules PUT through the admin API

#include "oci/Digest.h"

#include <optional>
#include <string>
#include <string_view>

namespace berth::registry::layout {

std::string root();
std::string blobsRoot();
std::string blobDirectory(const oci::Digest& digest);
std::string blobData(const oci::Digest& digest);
// The digest whose blobData() `path` is; std::nullopt for any other path.
std::optional<oci::Digest> digestOfBlobData(std::string_view path);

std::string repositoriesRoot();
std::string repository(std::string_view name);

std::string layerLink(std::string_view name, const oci::Digest& digest);

std::string manifestsDirectory(std::string_view name);
std::string manifestRevisionLink(std::string_view name, const oci::Digest& digest);
std::string manifestRevisionsDirectory(std::string_view name);

std::string tagsDirectory(std::string_view name);
std::string tagDirectory(std::string_view name, std::string_view tag);
std::string tagCurrentLink(std::string_view name, std::string_view tag);
std::string tagIndexLink(std::string_view name, std::string_view tag, const oci::Digest& digest);

std::string uploadDirectory(std::string_view name, std::string_view uuid);
std::string uploadData(std::string_view name, std::string_view uuid);
std::string uploadStartedAt(std::string_view name, std::string_view uuid);

std::string referrersDirectory(std::string_view name, const oci::Digest& subject);
std::string referrerLink(std::string_view name, const oci::Digest& subject, const oci::Digest& referrer);

std::string berthRoot();
std::string storageIndex();
std::string storageHistory();
std::string retentionRules();

// Reserved directory names inside a repository; a catalog walk does not descend into them.
inline constexpr std::string_view layersDirName = "_layers";
inline constexpr std::string_view manifestsDirName = "_manifests";
inline constexpr std::string_view uploadsDirName = "_uploads";

} // namespace berth::registry::layout
