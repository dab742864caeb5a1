#pragma once
// Blobs as a repository sees them: content lives once in the global blob store and is
// visible in a repository only through a link, as in CNCF Distribution.

#include "oci/Digest.h"
#include "registry/CollectionGuard.h"
#include "registry/StorageChanges.h"
#include "storage/StorageDriver.h"

#include <cstdint>
#include <memory>
#include <string_view>

namespace berth::registry {

struct BlobInfo
{
    oci::Digest digest;
    std::uint64_t size = 0;
};

class BlobStore
{
public:
    BlobStore(storage::StorageDriver& driver, CollectionGuard& guard, StorageChanges& changes)
        : m_driver(driver), m_guard(guard), m_changes(changes)
    {
    }

    // Blob linked into `repository`. BlobUnknown when not linked or its data is gone.
    oci::Result<BlobInfo> stat(std::string_view repository, const oci::Digest& digest);
    // Reader over a linked blob from `offset`.
    oci::Result<std::unique_ptr<storage::FileReader>> open(std::string_view repository,
                                                           const oci::Digest& digest, std::uint64_t offset = 0);
    // Unlinks the blob from the repository; its bytes stay until garbage collection.
    oci::Result<void> unlink(std::string_view repository, const oci::Digest& digest);

    // Links an existing blob into `repository`: from `sourceRepository` when given (it must
    // be linked there), else from anywhere in the store. BlobUnknown when there is nothing to mount.
    oci::Result<BlobInfo> mount(std::string_view repository, const oci::Digest& digest,
                                std::string_view sourceRepository);

    // Moves verified upload data at `dataPath` into the store under `digest` and links it.
    // When the blob already exists (a concurrent upload of the same content) the upload's
    // copy is dropped: the stored bytes are the same by construction.
    oci::Result<BlobInfo> commit(std::string_view repository, std::string_view dataPath,
                                 const oci::Digest& digest);

    // Stores small content (manifests) directly. The caller holds the guard's commit lock.
    oci::Result<BlobInfo> putSmall(std::string_view content, const oci::Digest& digest);
    oci::Result<std::string> readSmall(const oci::Digest& digest);

    // Global existence, ignoring repository links.
    oci::Result<std::optional<BlobInfo>> statGlobal(const oci::Digest& digest);

private:
    oci::Result<BlobInfo> link(std::string_view repository, BlobInfo info);

    storage::StorageDriver& m_driver;
    CollectionGuard& m_guard;
    StorageChanges& m_changes;
};

} // namespace berth::registry
