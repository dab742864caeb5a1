#pragma once
// The repositories in storage, and the n/last pagination the catalog and tag lists share.
//
// The names are kept in memory, sorted, so that a catalog page is a lookup however many
// repositories there are. The index is read from storage on first use (see RepositoryTree;
// callers wait meanwhile), then kept current from StorageChanges: after each change to a
// repository's manifests or tags, whether it still exists is read again. Changes made while
// the index is being read are read again once it is complete, so none is lost. Another
// process writing the same storage is seen after a restart, as with the storage index.

#include "oci/Error.h"
#include "registry/StorageChanges.h"
#include "storage/StorageDriver.h"

#include <atomic>
#include <cstddef>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace berth::registry {

struct Page
{
    std::vector<std::string> items;
    bool hasMore = false; // items remain after the last one returned
};

// The entries of sorted `all` strictly after `last` (all of them when empty), at most `limit`.
Page paginate(const std::vector<std::string>& all, std::optional<std::size_t> limit, std::string_view last);

class Catalog
{
public:
    Catalog(storage::StorageDriver& driver, StorageChanges& changes);
    ~Catalog(); // stops and waits for a read started by loadInBackground()
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    // Reads the index on a thread of its own now rather than on first use, so that a
    // server's first catalog request finds it ready or nearly. Call once.
    void loadInBackground();

    // Every repository holding at least one manifest revision or tag, in lexical order.
    oci::Result<std::vector<std::string>> repositories();
    // The repositories strictly after `last`, at most `limit`, as paginate() cuts them.
    oci::Result<Page> page(std::optional<std::size_t> limit, std::string_view last);

private:
    using Names = std::set<std::string, std::less<>>;

    // Reads the index from storage unless it is complete.
    oci::Result<void> load();
    void repositoryChanged(std::string_view repository);
    // Reads again whether `repository` exists; under m_mutex, held exclusively.
    void refresh(const std::string& repository);

    storage::StorageDriver& m_driver;
    std::thread m_loader;
    std::atomic<bool> m_stopping{false};
    std::mutex m_loading;      // one reader of the whole tree at a time
    std::shared_mutex m_mutex; // guards everything below
    bool m_loaded = false;
    bool m_scanning = false;
    Names m_names;
    Names m_changedDuringScan;
};

} // namespace berth::registry
