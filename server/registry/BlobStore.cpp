#include "registry/BlobStore.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

namespace berth::registry {

namespace {

oci::Error blobUnknown(const oci::Digest& digest)
{
    return {oci::ErrorCode::BlobUnknown, "blob unknown to registry", digest.toString()};
}

} // namespace

oci::Result<std::optional<BlobInfo>> BlobStore::statGlobal(const oci::Digest& digest)
{
    auto info = m_driver.stat(layout::blobData(digest));
    if (!info) {
        if (info.error().kind == storage::ErrorKind::NotFound)
            return std::optional<BlobInfo>{};
        return unexpected(storageFailure(info.error()));
    }
    return std::optional<BlobInfo>{BlobInfo{digest, info->size}};
}

oci::Result<BlobInfo> BlobStore::stat(std::string_view repository, const oci::Digest& digest)
{
    auto linked = readLink(m_driver, layout::layerLink(repository, digest));
    if (!linked)
        return unexpected(std::move(linked).error());
    if (!*linked || **linked != digest)
        return unexpected(blobUnknown(digest));
    auto global = statGlobal(digest);
    if (!global)
        return unexpected(std::move(global).error());
    if (!*global)
        return unexpected(blobUnknown(digest));
    return **global;
}

oci::Result<std::unique_ptr<storage::FileReader>> BlobStore::open(std::string_view repository,
                                                                   const oci::Digest& digest, std::uint64_t offset)
{
    auto info = stat(repository, digest);
    if (!info)
        return unexpected(std::move(info).error());
    auto reader = m_driver.reader(layout::blobData(digest), offset);
    if (!reader) {
        if (reader.error().kind == storage::ErrorKind::NotFound)
            return unexpected(blobUnknown(digest));
        if (reader.error().kind == storage::ErrorKind::InvalidOffset)
            return oci::fail(oci::ErrorCode::RangeInvalid, "requested range not satisfiable");
        return unexpected(storageFailure(reader.error()));
    }
    return std::move(reader).value();
}

oci::Result<void> BlobStore::unlink(std::string_view repository, const oci::Digest& digest)
{
    auto info = stat(repository, digest);
    if (!info)
        return unexpected(std::move(info).error());
    // Remove the link's directory (".../_layers/sha256/<hex>"), not just the file.
    const auto link = layout::layerLink(repository, digest);
    return removeIfPresent(m_driver, link.substr(0, link.rfind('/')));
}

oci::Result<BlobInfo> BlobStore::link(std::string_view repository, BlobInfo info)
{
    auto written = writeLink(m_driver, layout::layerLink(repository, info.digest), info.digest);
    if (!written)
        return unexpected(std::move(written).error());
    return info;
}

oci::Result<BlobInfo> BlobStore::mount(std::string_view repository, const oci::Digest& digest,
                                       std::string_view sourceRepository)
{
    const auto lock = m_guard.lockForCommit();
    m_guard.touch(digest);
    if (!sourceRepository.empty()) {
        auto source = stat(sourceRepository, digest);
        if (!source)
            return unexpected(std::move(source).error());
        return link(repository, *source);
    }
    auto global = statGlobal(digest);
    if (!global)
        return unexpected(std::move(global).error());
    if (!*global)
        return unexpected(blobUnknown(digest));
    return link(repository, **global);
}

oci::Result<BlobInfo> BlobStore::commit(std::string_view repository, std::string_view dataPath,
                                        const oci::Digest& digest)
{
    const auto lock = m_guard.lockForCommit();
    m_guard.touch(digest);
    auto existing = statGlobal(digest);
    if (!existing)
        return unexpected(std::move(existing).error());
    if (*existing) {
        auto dropped = removeIfPresent(m_driver, dataPath);
        if (!dropped)
            return unexpected(std::move(dropped).error());
        return link(repository, **existing);
    }
    const auto target = layout::blobData(digest);
    auto moved = orStorageFailure(m_driver.move(dataPath, target));
    if (!moved)
        return unexpected(std::move(moved).error());
    auto info = orStorageFailure(m_driver.stat(target));
    if (!info)
        return unexpected(std::move(info).error());
    m_changes.blobStored(digest, info->size);
    return link(repository, BlobInfo{digest, info->size});
}

oci::Result<BlobInfo> BlobStore::putSmall(std::string_view content, const oci::Digest& digest)
{
    auto existing = statGlobal(digest);
    if (!existing)
        return unexpected(std::move(existing).error());
    if (*existing)
        return **existing;
    auto written = orStorageFailure(m_driver.putContent(layout::blobData(digest), content));
    if (!written)
        return unexpected(std::move(written).error());
    m_changes.blobStored(digest, content.size());
    return BlobInfo{digest, content.size()};
}

oci::Result<std::string> BlobStore::readSmall(const oci::Digest& digest)
{
    auto content = m_driver.getContent(layout::blobData(digest));
    if (!content) {
        if (content.error().kind == storage::ErrorKind::NotFound)
            return unexpected(blobUnknown(digest));
        return unexpected(storageFailure(content.error()));
    }
    return std::move(content).value();
}

} // namespace berth::registry
