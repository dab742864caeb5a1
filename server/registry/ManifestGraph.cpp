#include "registry/ManifestGraph.h"

#include "registry/DigestDirectories.h"
#include "registry/Layout.h"
#include "registry/StorageAccess.h"

namespace berth::registry {

oci::Result<Revisions> readRevisions(storage::StorageDriver& driver, BlobStore& blobs,
                                     std::string_view repository)
{
    // The digest is the directory's name; the link's stat says that the revision was
    // completed, and when.
    auto digests = digestDirectories(driver, layout::manifestRevisionsDirectory(repository));
    if (!digests)
        return unexpected(std::move(digests).error());
    Revisions revisions;
    for (const auto& digest : *digests) {
        auto link = driver.stat(layout::manifestRevisionLink(repository, digest));
        if (!link) {
            if (link.error().kind == storage::ErrorKind::NotFound)
                continue; // deleted meanwhile, or cut short
            return unexpected(storageFailure(link.error()));
        }
        std::optional<oci::Manifest> manifest;
        if (auto content = blobs.readSmall(digest)) {
            if (auto parsed = oci::parseManifest(*content, {}))
                manifest = std::move(parsed).value();
        }
        revisions.emplace(digest, Revision{digest, std::move(manifest), link->modified});
    }
    return revisions;
}

std::set<oci::Digest> liveRevisions(const Revisions& revisions, const std::vector<oci::Digest>& tagged,
                                    bool deleteUntagged, std::chrono::system_clock::time_point youngest)
{
    std::set<oci::Digest> live;
    std::vector<oci::Digest> pending(tagged.begin(), tagged.end());
    for (const auto& [digest, revision] : revisions) {
        if (!deleteUntagged || revision.linked > youngest)
            pending.push_back(digest);
    }
    for (bool grew = true; grew;) {
        while (!pending.empty()) {
            const auto digest = pending.back();
            pending.pop_back();
            if (!live.insert(digest).second)
                continue;
            const auto found = revisions.find(digest);
            if (found != revisions.end() && found->second.manifest) {
                for (const auto& child : found->second.manifest->manifests)
                    pending.push_back(child.digest);
            }
        }
        // An artifact (signature, SBOM) lives as long as its subject does.
        grew = false;
        for (const auto& [digest, revision] : revisions) {
            if (!live.contains(digest) && revision.manifest && revision.manifest->subject &&
                live.contains(revision.manifest->subject->digest)) {
                pending.push_back(digest);
                grew = true;
            }
        }
    }
    return live;
}

} // namespace berth::registry
