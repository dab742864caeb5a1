#include "registry/UsageScanner.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

#include <algorithm>
#include <set>

namespace berth::registry {

oci::Result<std::optional<RepositoryUsage>> UsageScanner::repository(std::string_view name)
{
    auto& driver = m_registry.driver();
    auto present = exists(driver, layout::manifestsDirectory(name));
    if (!present)
        return unexpected(std::move(present).error());
    if (!*present)
        return std::optional<RepositoryUsage>{};

    RepositoryUsage usage;
    std::vector<std::string> links;
    auto walked = driver.walk(layout::manifestRevisionsDirectory(name), [&](const storage::FileInfo& entry) {
        if (!entry.isDirectory && entry.path.ends_with("/link")) {
            links.push_back(entry.path);
            usage.lastPush = std::max(usage.lastPush, entry.modified);
        }
        return storage::WalkAction::Continue;
    });
    if (!walked && walked.error().kind != storage::ErrorKind::NotFound)
        return unexpected(storageFailure(walked.error()));

    std::set<oci::Digest> reached;
    for (const auto& link : links) {
        auto digest = readLink(driver, link);
        if (!digest)
            return unexpected(std::move(digest).error());
        if (!*digest)
            continue; // torn or removed meanwhile: no manifest
        ++usage.manifests;
        reached.insert(**digest);
        auto content = m_registry.blobs().readSmall(**digest);
        if (!content) {
            if (content.error().code == oci::ErrorCode::BlobUnknown)
                continue; // its bytes are gone; it reaches nothing more
            return unexpected(std::move(content).error());
        }
        if (auto manifest = oci::parseManifest(*content, {})) {
            for (auto& blob : manifest->referencedBlobs())
                reached.insert(std::move(blob));
        }
    }

    // A tag counts while its current link exists, as in the tag list.
    auto tags = driver.list(layout::tagsDirectory(name));
    if (!tags && tags.error().kind != storage::ErrorKind::NotFound)
        return unexpected(storageFailure(tags.error()));
    for (const auto& tag : tags ? *tags : std::vector<std::string>{}) {
        auto current = driver.stat(tag + "/current/link");
        if (!current) {
            if (current.error().kind == storage::ErrorKind::NotFound)
                continue;
            return unexpected(storageFailure(current.error()));
        }
        ++usage.tags;
        usage.lastPush = std::max(usage.lastPush, current->modified);
    }
    usage.blobs.assign(reached.begin(), reached.end());
    return std::optional<RepositoryUsage>{std::move(usage)};
}

oci::Result<BlobSizes> UsageScanner::blobs()
{
    BlobSizes sizes;
    auto walked = m_registry.driver().walk(layout::blobsRoot(), [&](const storage::FileInfo& entry) {
        if (!entry.isDirectory) {
            if (auto digest = layout::digestOfBlobData(entry.path))
                sizes.insert_or_assign(std::move(*digest), entry.size);
        }
        return storage::WalkAction::Continue;
    });
    if (!walked && walked.error().kind != storage::ErrorKind::NotFound)
        return unexpected(storageFailure(walked.error()));
    return sizes;
}

oci::Result<UploadTotals> UsageScanner::uploads()
{
    auto stored = m_registry.uploads().stored();
    if (!stored)
        return unexpected(std::move(stored).error());
    UploadTotals totals;
    for (const auto& upload : *stored) {
        ++totals.sessions;
        totals.bytes += upload.size;
    }
    return totals;
}

} // namespace berth::registry
