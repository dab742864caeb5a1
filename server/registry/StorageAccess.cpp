#include "registry/StorageAccess.h"

namespace berth::registry {

oci::Error storageFailure(const storage::StorageError& error)
{
    if (error.kind == storage::ErrorKind::NoSpace)
        return {oci::ErrorCode::StorageFull, "storage is full; nothing was stored", error.message()};
    return {oci::ErrorCode::Internal, "storage failure", error.message()};
}

oci::Result<std::optional<oci::Digest>> readLink(storage::StorageDriver& driver, std::string_view path)
{
    auto content = driver.getContent(path);
    if (!content) {
        if (content.error().kind == storage::ErrorKind::NotFound)
            return std::optional<oci::Digest>{};
        return unexpected(storageFailure(content.error()));
    }
    auto digest = oci::Digest::parse(*content);
    if (!digest)
        return std::optional<oci::Digest>{};
    return std::optional<oci::Digest>{std::move(digest).value()};
}

oci::Result<void> writeLink(storage::StorageDriver& driver, std::string_view path, const oci::Digest& digest)
{
    return orStorageFailure(driver.putContent(path, digest.toString()));
}

oci::Result<bool> exists(storage::StorageDriver& driver, std::string_view path)
{
    auto info = driver.stat(path);
    if (info)
        return true;
    if (info.error().kind == storage::ErrorKind::NotFound)
        return false;
    return unexpected(storageFailure(info.error()));
}

oci::Result<void> removeIfPresent(storage::StorageDriver& driver, std::string_view path)
{
    auto removed = driver.remove(path);
    if (!removed && removed.error().kind != storage::ErrorKind::NotFound)
        return unexpected(storageFailure(removed.error()));
    return {};
}

} // namespace berth::registry
