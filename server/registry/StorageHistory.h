#pragma once
// Storage statistics over time: samples recorded now and then, kept in storage
// (layout::storageHistory) across restarts. Bounded: the newest maxSamples samples, each
// with the totals and the repositoriesPerSample largest repositories (by logical size).
//
// The file, one line per sample and one per repository in it:
//   berth-storage-history 1
//   sample <time, s since the epoch> <bytes on disk> <blobs> <unreferenced bytes> <manifests>
//          <tags> <repositories> <upload sessions> <upload bytes>
//   repository <name> <logical bytes> <unique bytes>

#include "registry/StorageStatistics.h"
#include "storage/StorageDriver.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace berth::registry {

struct RepositorySample
{
    std::string name;
    std::uint64_t logicalBytes = 0;
    std::uint64_t uniqueBytes = 0;

    bool operator==(const RepositorySample&) const = default;
};

struct StorageSample
{
    std::chrono::system_clock::time_point time; // whole seconds
    StorageTotals totals;
    std::vector<RepositorySample> repositories; // largest first

    bool operator==(const StorageSample&) const = default;
};

class StorageHistory
{
public:
    static constexpr std::size_t defaultMaxSamples = 2160; // 90 days of hourly samples
    static constexpr std::size_t defaultRepositoriesPerSample = 100;

    explicit StorageHistory(storage::StorageDriver& driver, std::size_t maxSamples = defaultMaxSamples,
                            std::size_t repositoriesPerSample = defaultRepositoriesPerSample)
        : m_driver(driver), m_maxSamples(maxSamples), m_repositoriesPerSample(repositoriesPerSample)
    {
    }

    // Reads the saved samples. An unreadable file is an error, and the history starts
    // empty (the next record() replaces the file).
    oci::Result<void> load();
    // Appends a sample of `statistics` taken at `time` and saves the history.
    oci::Result<void> record(const StorageStatistics& statistics, std::chrono::system_clock::time_point time);
    // The samples taken at or after `since`, oldest first.
    std::vector<StorageSample> since(std::chrono::system_clock::time_point since) const;

private:
    storage::StorageDriver& m_driver;
    const std::size_t m_maxSamples;
    const std::size_t m_repositoriesPerSample;
    mutable std::mutex m_mutex;
    std::deque<StorageSample> m_samples;
};

} // namespace berth::registry
