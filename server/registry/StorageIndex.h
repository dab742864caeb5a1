#pragma once
// Storage statistics that answer at once on a registry of any size. What each repository
// reaches and every blob's size are kept in memory, brought up to date from the registry's
// StorageChanges when asked (only the repositories that changed are read again), and saved
// to storage (layout::storageIndex) when berthd stops. At start a saved index is loaded and
// its file removed, so that only a clean stop leaves one; with none (first start, berthd
// was killed, another program collected garbage), the index is rebuilt from storage in the
// background and statistics() says how far the build is meanwhile.
//
// The file keeps stamps (StorageStamp) of the blob store and of each repository as they
// were when it was saved. A loaded index compares them with storage's and reads again what
// another program changed while berthd was stopped: the blob sizes, repositories added,
// changed or gone. `berthd garbage-collect` still removes the file, which costs a rebuild.

#include "registry/Registry.h"
#include "registry/StorageIndexFile.h"
#include "registry/StorageStatistics.h"
#include "registry/UsageScanner.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace berth::registry {

class StorageIndex
{
public:
    // Upload figures are measured again, in the background, when older than `uploadsMaxAge`
    // (measuring them walks every repository).
    explicit StorageIndex(Registry& registry,
                          std::chrono::milliseconds uploadsMaxAge = std::chrono::seconds(5));
    ~StorageIndex(); // stops a build in progress; withdraws a saved index that changes made stale
    StorageIndex(const StorageIndex&) = delete;
    StorageIndex& operator=(const StorageIndex&) = delete;

    // Loads or rebuilds the index on a thread of its own; call once.
    void open();
    // Saves the index for the next start. Call when the registry stops serving; should
    // anything change storage after all (a collection finishing), the destructor removes it.
    oci::Result<void> close();

    struct State
    {
        bool building = false;
        std::uint64_t done = 0;  // repositories read so far while building
        std::uint64_t total = 0; // repositories to read
        // When not building: the figures, measured now (upload figures up to about
        // uploadsMaxAge ago).
        std::shared_ptr<const StorageStatistics> statistics;
    };

    // Failed when the build failed (it is retried on the next call) or storage fails.
    oci::Result<State> state();
    // Waits until open() has loaded or built the index; false on timeout.
    bool waitUntilOpen(std::chrono::milliseconds timeout);

    // Removes a saved index, for whoever changes storage without keeping the index.
    static oci::Result<void> invalidate(storage::StorageDriver& driver);

private:
    void startBuild();
    void build();
    oci::Result<void> rebuild();
    bool loadSaved();
    // Makes `usage`, loaded or built, the index's.
    void install(StorageUsage usage);
    // Reads again what changed in storage since `content` was saved.
    oci::Result<void> catchUp(StorageIndexContent& content);
    // Reads `name` into `usage` again, and the size of each blob it reaches that `usage` lacks.
    oci::Result<void> readAgain(StorageUsage& usage, const std::string& name);
    void measureUploads();
    void startUploadsMeasurement();
    // Reads again what changed since the last call; under m_mutex.
    oci::Result<void> applyChanges();

    Registry& m_registry;
    UsageScanner m_scanner;
    const std::chrono::milliseconds m_uploadsMaxAge;

    std::mutex m_mutex; // guards everything below
    std::condition_variable m_opened;
    bool m_building = false;
    bool m_open = false;
    bool m_saved = false;
    std::string m_buildError;
    std::atomic<std::uint64_t> m_done{0};
    std::atomic<std::uint64_t> m_total{0};
    std::atomic<bool> m_stopping{false};
    StorageUsage m_usage;
    std::size_t m_numberedWhenCompact = 0; // digests the table numbered when last loaded, built or compacted
    UploadTotals m_uploads;
    std::chrono::steady_clock::time_point m_uploadsMeasured;
    bool m_measuringUploads = false;
    std::shared_ptr<const StorageStatistics> m_statistics; // null when something changed since
    std::thread m_builder;
    std::thread m_uploadsMeasurer;
};

} // namespace berth::registry
