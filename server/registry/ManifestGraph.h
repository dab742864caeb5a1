#pragma once
// The manifests stored in one repository and which of them tags keep alive: what garbage
// collection and retention both need to decide that an untagged manifest may go. A tag
// keeps its manifest, an index keeps its children, a subject keeps its referrers
// (signatures, SBOMs), and a manifest pushed recently enough keeps itself, since a
// multi-platform push sends its children by digest before the index that tags them.

#include "oci/Manifest.h"
#include "registry/BlobStore.h"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

namespace berth::registry {

struct Revision
{
    oci::Digest digest;
    std::optional<oci::Manifest> manifest;        // none when its content is missing or unreadable
    std::chrono::system_clock::time_point linked; // when its revision link was written
};

using Revisions = std::map<oci::Digest, Revision>;

// Every manifest revision of `repository`; none for a repository without manifests.
oci::Result<Revisions> readRevisions(storage::StorageDriver& driver, BlobStore& blobs,
                                     std::string_view repository);

// The revisions that must stay when `tagged` are the digests tags point to: those, what
// they reach, and (with deleteUntagged) those linked after `youngest`; without
// deleteUntagged, all of them.
std::set<oci::Digest> liveRevisions(const Revisions& revisions, const std::vector<oci::Digest>& tagged,
                                    bool deleteUntagged, std::chrono::system_clock::time_point youngest);

} // namespace berth::registry
