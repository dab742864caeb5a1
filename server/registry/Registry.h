#pragma once
// The registry's services over one storage driver, wired together once.

#include "registry/BlobStore.h"
#include "registry/Catalog.h"
#include "registry/DiskPressure.h"
#include "registry/ManifestStore.h"
#include "registry/StorageChanges.h"
#include "registry/TagStore.h"
#include "registry/UploadSessions.h"

namespace berth::registry {

struct RegistryOptions
{
    bool deleteEnabled = true;
    bool readOnly = false; // serve pulls, refuse every write
    std::uint64_t minFreeSpace = 0; // refuse uploads below this many free bytes; 0: never
};

class Registry
{
public:
    Registry(storage::StorageDriver& driver, RegistryOptions options)
        : m_driver(driver), m_options(options), m_blobs(driver, m_guard, m_changes),
          m_tags(driver, m_changes), m_manifests(driver, m_blobs, m_tags, m_guard, m_changes),
          m_uploads(driver, m_blobs), m_catalog(driver, m_changes),
          m_diskPressure(driver, options.minFreeSpace)
    {
    }

    storage::StorageDriver& driver() { return m_driver; }
    const RegistryOptions& options() const { return m_options; }
    BlobStore& blobs() { return m_blobs; }
    TagStore& tags() { return m_tags; }
    ManifestStore& manifests() { return m_manifests; }
    UploadSessions& uploads() { return m_uploads; }
    Catalog& catalog() { return m_catalog; }
    CollectionGuard& collectionGuard() { return m_guard; }
    DiskPressure& diskPressure() { return m_diskPressure; }
    StorageChanges& changes() { return m_changes; }

private:
    storage::StorageDriver& m_driver;
    RegistryOptions m_options;
    CollectionGuard m_guard;
    StorageChanges m_changes;
    BlobStore m_blobs;
    TagStore m_tags;
    ManifestStore m_manifests;
    UploadSessions m_uploads;
    Catalog m_catalog;
    DiskPressure m_diskPressure;
};

} // namespace berth::registry
