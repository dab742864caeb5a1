#include "registry/ManifestStore.h"

#include "oci/MediaType.h"
#include "registry/Layout.h"
#include "registry/StorageAccess.h"

namespace berth::registry {

namespace {

oci::Error manifestUnknown(std::string detail)
{
    return {oci::ErrorCode::ManifestUnknown, "manifest unknown to registry", std::move(detail)};
}

std::string describe(const oci::Reference& reference)
{
    if (const auto* tag = std::get_if<std::string>(&reference))
        return *tag;
    return std::get<oci::Digest>(reference).toString();
}

// The directory holding a link file: removing it removes the link entirely.
std::string linkDirectory(const std::string& linkPath)
{
    return linkPath.substr(0, linkPath.rfind('/'));
}

} // namespace

oci::Result<bool> ManifestStore::hasRevision(std::string_view repository, const oci::Digest& digest)
{
    // The link's path names the digest, and links are written whole (see writeLink): that it
    // exists says all. One stat instead of an open, a read and a close on every manifest read.
    return exists(m_driver, layout::manifestRevisionLink(repository, digest));
}

oci::Result<oci::Digest> ManifestStore::resolve(std::string_view repository, const oci::Reference& reference)
{
    std::optional<oci::Digest> digest;
    if (const auto* tag = std::get_if<std::string>(&reference)) {
        auto target = m_tags.current(repository, *tag);
        if (!target)
            return unexpected(std::move(target).error());
        digest = std::move(target).value();
    } else {
        digest = std::get<oci::Digest>(reference);
    }
    // A tag pointing at a deleted revision resolves to nothing, as in Distribution.
    if (digest) {
        auto present = hasRevision(repository, *digest);
        if (!present)
            return unexpected(std::move(present).error());
        if (*present)
            return *digest;
    }
    return unexpected(manifestUnknown(describe(reference)));
}

oci::Result<StoredManifest> ManifestStore::get(std::string_view repository, const oci::Reference& reference)
{
    auto found = find(repository, reference);
    if (!found)
        return unexpected(std::move(found).error());
    const auto& [digest, manifest] = *found;
    return StoredManifest{digest, manifest->mediaType, manifest->content};
}

oci::Result<BlobInfo> ManifestStore::stat(std::string_view repository, const oci::Reference& reference)
{
    auto found = find(repository, reference);
    if (!found)
        return unexpected(std::move(found).error());
    return BlobInfo{found->first, found->second->content.size()};
}

oci::Result<std::pair<oci::Digest, std::shared_ptr<const CachedManifest>>>
ManifestStore::find(std::string_view repository, const oci::Reference& reference)
{
    auto digest = resolve(repository, reference);
    if (!digest)
        return unexpected(std::move(digest).error());
    if (auto cached = m_cache.find(*digest))
        return std::pair{std::move(digest).value(), std::move(cached)};
    auto content = m_blobs.readSmall(*digest);
    if (!content) {
        if (content.error().code == oci::ErrorCode::BlobUnknown)
            return unexpected(manifestUnknown(describe(reference)));
        return unexpected(std::move(content).error());
    }
    auto mediaType = oci::detectManifestMediaType(*content);
    auto manifest = std::make_shared<const CachedManifest>(
        CachedManifest{std::move(mediaType), std::move(content).value()});
    m_cache.insert(*digest, manifest);
    return std::pair{std::move(digest).value(), std::move(manifest)};
}

oci::Result<void> ManifestStore::checkReferences(std::string_view repository, const oci::Manifest& manifest)
{
    for (const auto& blob : manifest.referencedBlobs()) {
        auto linked = m_blobs.stat(repository, blob);
        if (!linked) {
            if (linked.error().code == oci::ErrorCode::BlobUnknown)
                return oci::fail(oci::ErrorCode::ManifestBlobUnknown,
                                 "manifest references a blob unknown to registry", blob.toString());
            return unexpected(std::move(linked).error());
        }
    }
    for (const auto& child : manifest.manifests) {
        auto present = hasRevision(repository, child.digest);
        if (!present)
            return unexpected(std::move(present).error());
        if (!*present)
            return oci::fail(oci::ErrorCode::ManifestBlobUnknown,
                             "index references a manifest unknown to this repository",
                             child.digest.toString());
    }
    return {};
}

oci::Result<PushedManifest> ManifestStore::put(std::string_view repository, const oci::Reference& reference,
                                               std::string_view content, std::string_view contentType)
{
    auto manifest = oci::parseManifest(content, contentType);
    if (!manifest)
        return unexpected(std::move(manifest).error());

    const auto* pushedDigest = std::get_if<oci::Digest>(&reference);
    const auto digest = oci::Digest::ofBytes(content, pushedDigest ? pushedDigest->algorithm()
                                                                   : oci::DigestAlgorithm::Sha256);
    if (pushedDigest && *pushedDigest != digest)
        return oci::fail(oci::ErrorCode::DigestInvalid,
                         "manifest digest does not match the digest in the URL",
                         "expected " + pushedDigest->toString() + ", got " + digest.toString());

    // From the check of what it references until it is linked, nothing it relies on may
    // be collected.
    const auto lock = m_guard.lockForCommit();
    m_guard.touch(digest);
    for (const auto& blob : manifest->referencedBlobs())
        m_guard.touch(blob);
    for (const auto& child : manifest->manifests)
        m_guard.touch(child.digest);
    auto referenced = checkReferences(repository, *manifest);
    if (!referenced)
        return unexpected(std::move(referenced).error());

    // Order matters for crash safety: bytes first, then the revision link, then the
    // referrer index and the tag, so nothing ever points at content that is not there.
    const RepositoryChangeScope change(m_changes, repository);
    auto stored = m_blobs.putSmall(content, digest);
    if (!stored)
        return unexpected(std::move(stored).error());
    auto revision = writeLink(m_driver, layout::manifestRevisionLink(repository, digest), digest);
    if (!revision)
        return unexpected(std::move(revision).error());
    if (manifest->subject) {
        auto indexed =
            writeLink(m_driver, layout::referrerLink(repository, manifest->subject->digest, digest), digest);
        if (!indexed)
            return unexpected(std::move(indexed).error());
    }
    if (const auto* tag = std::get_if<std::string>(&reference)) {
        auto tagged = m_tags.tag(repository, *tag, digest);
        if (!tagged)
            return unexpected(std::move(tagged).error());
    }
    std::optional<oci::Digest> subject;
    if (manifest->subject)
        subject = manifest->subject->digest;
    return PushedManifest{digest, std::move(subject)};
}

oci::Result<void> ManifestStore::remove(std::string_view repository, const oci::Digest& digest)
{
    auto present = hasRevision(repository, digest);
    if (!present)
        return unexpected(std::move(present).error());
    if (!*present)
        return unexpected(manifestUnknown(digest.toString()));

    const RepositoryChangeScope change(m_changes, repository);
    auto tags = m_tags.tagsOf(repository, digest);
    if (!tags)
        return unexpected(std::move(tags).error());
    for (const auto& tag : *tags) {
        auto untagged = m_tags.untag(repository, tag);
        if (!untagged)
            return untagged;
    }
    if (auto content = m_blobs.readSmall(digest)) {
        if (auto manifest = oci::parseManifest(*content, {}); manifest && manifest->subject) {
            auto unindexed = removeIfPresent(
                m_driver, linkDirectory(layout::referrerLink(repository, manifest->subject->digest, digest)));
            if (!unindexed)
                return unindexed;
        }
    }
    return removeIfPresent(m_driver, linkDirectory(layout::manifestRevisionLink(repository, digest)));
}

oci::Result<std::vector<oci::Descriptor>> ManifestStore::referrers(std::string_view repository,
                                                                   const oci::Digest& subject,
                                                                   std::string_view artifactType)
{
    std::vector<oci::Descriptor> found;
    auto algorithms = m_driver.list(layout::referrersDirectory(repository, subject));
    if (!algorithms) {
        if (algorithms.error().kind == storage::ErrorKind::NotFound)
            return found;
        return unexpected(storageFailure(algorithms.error()));
    }
    for (const auto& algorithmDirectory : *algorithms) {
        auto links = orStorageFailure(m_driver.list(algorithmDirectory));
        if (!links)
            return unexpected(std::move(links).error());
        for (const auto& linkDirectoryPath : *links) {
            auto referrer = readLink(m_driver, linkDirectoryPath + "/link");
            if (!referrer)
                return unexpected(std::move(referrer).error());
            if (!*referrer)
                continue;
            auto present = hasRevision(repository, **referrer);
            auto content = m_blobs.readSmall(**referrer);
            if (!present || !*present || !content)
                continue; // deleted meanwhile
            auto manifest = oci::parseManifest(*content, {});
            if (!manifest || (!artifactType.empty() && manifest->artifactType != artifactType))
                continue;
            found.push_back(oci::Descriptor{manifest->mediaType,
                                            **referrer,
                                            static_cast<std::int64_t>(content->size()),
                                            manifest->artifactType,
                                            std::nullopt,
                                            manifest->annotations,
                                            {}});
        }
    }
    return found;
}

} // namespace berth::registry
