#pragma once
// Manifests of a repository: validated on the way in (every referenced blob and child
// manifest must exist), stored as blobs, reachable by digest and by tag, and indexed by
// their subject for the referrers API. Reads check the repository's links in storage each
// time and take the bytes from a ManifestCache.

#include "oci/Manifest.h"
#include "oci/Names.h"
#include "registry/BlobStore.h"
#include "registry/ManifestCache.h"
#include "registry/TagStore.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace berth::registry {

struct StoredManifest
{
    oci::Digest digest;
    std::string mediaType;
    std::string content;
};

struct PushedManifest
{
    oci::Digest digest;
    std::optional<oci::Digest> subject;
};

class ManifestStore
{
public:
    ManifestStore(storage::StorageDriver& driver, BlobStore& blobs, TagStore& tags, CollectionGuard& guard,
                  StorageChanges& changes)
        : m_driver(driver), m_blobs(blobs), m_tags(tags), m_guard(guard), m_changes(changes)
    {
    }

    // ManifestUnknown when the tag or digest is not in the repository.
    oci::Result<StoredManifest> get(std::string_view repository, const oci::Reference& reference);
    // Digest and size without reading the content, for HEAD.
    oci::Result<BlobInfo> stat(std::string_view repository, const oci::Reference& reference);

    // Validates and stores `content`; tags it when `reference` is a tag.
    oci::Result<PushedManifest> put(std::string_view repository, const oci::Reference& reference,
                                    std::string_view content, std::string_view contentType);

    // Deletes a manifest and every tag pointing at it. ManifestUnknown when absent.
    oci::Result<void> remove(std::string_view repository, const oci::Digest& digest);

    // Manifests in the repository whose subject is `subject`, optionally only those of
    // one artifact type, as index descriptors.
    oci::Result<std::vector<oci::Descriptor>>
    referrers(std::string_view repository, const oci::Digest& subject, std::string_view artifactType);

private:
    oci::Result<oci::Digest> resolve(std::string_view repository, const oci::Reference& reference);
    // The digest `reference` resolves to in the repository, with the manifest's bytes and
    // media type from the cache or, the first time, from storage.
    oci::Result<std::pair<oci::Digest, std::shared_ptr<const CachedManifest>>>
    find(std::string_view repository, const oci::Reference& reference);
    oci::Result<void> checkReferences(std::string_view repository, const oci::Manifest& manifest);
    oci::Result<bool> hasRevision(std::string_view repository, const oci::Digest& digest);

    storage::StorageDriver& m_driver;
    BlobStore& m_blobs;
    TagStore& m_tags;
    CollectionGuard& m_guard;
    StorageChanges& m_changes;
    ManifestCache m_cache;
};

} // namespace berth::registry
