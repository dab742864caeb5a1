#pragma once
// Small helpers shared by the registry services: turning storage failures into OCI
// errors, and reading and writing link files.

#include "oci/Digest.h"
#include "storage/StorageDriver.h"

namespace berth::registry {

// NoSpace -> StorageFull, anything else -> Internal; the message names the driver and path
// for the operator. Callers handle NotFound themselves where it has a meaning.
oci::Error storageFailure(const storage::StorageError& error);

template <class T>
oci::Result<T> orStorageFailure(storage::StorageResult<T> result)
{
    if (!result)
        return unexpected(storageFailure(result.error()));
    if constexpr (std::is_void_v<T>)
        return {};
    else
        return std::move(result).value();
}

// Reads the digest in a link file. NotFound is returned as std::nullopt; a link whose
// content is not a digest counts as missing (a torn or foreign file never resolves).
oci::Result<std::optional<oci::Digest>> readLink(storage::StorageDriver& driver, std::string_view path);
oci::Result<void> writeLink(storage::StorageDriver& driver, std::string_view path, const oci::Digest& digest);
// True when the file exists; other failures are errors.
oci::Result<bool> exists(storage::StorageDriver& driver, std::string_view path);
// Removes a path; a missing path is not an error.
oci::Result<void> removeIfPresent(storage::StorageDriver& driver, std::string_view path);

} // namespace berth::registry
