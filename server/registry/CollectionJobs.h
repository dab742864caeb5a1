#pragma once
// Garbage collections started on request (the admin API) and run on a thread of their
// own, so the registry keeps serving; each can be watched and cancelled. The most recent
// jobs are remembered for their results.

#include "registry/GarbageCollector.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace berth::registry {

struct CollectionJob
{
    enum class State { Running, Done, Failed, Cancelled };

    std::string id;
    CollectionOptions options;
    State state = State::Running;
    CollectionProgress progress;
    std::optional<CollectionReport> report; // when Done or Cancelled
    std::string error;                      // when Failed
};

class CollectionJobs
{
public:
    explicit CollectionJobs(Registry& registry) : m_registry(registry) {}
    ~CollectionJobs(); // cancels what still runs and waits for it
    CollectionJobs(const CollectionJobs&) = delete;
    CollectionJobs& operator=(const CollectionJobs&) = delete;

    // Starts a collection; returns its id. Collections queue behind each other.
    std::string start(const CollectionOptions& options);
    // A copy of the job's state; std::nullopt for unknown ids.
    std::optional<CollectionJob> find(const std::string& id) const;
    // Asks a running job to stop; false for unknown ids.
    bool cancel(const std::string& id);

private:
    struct Entry
    {
        CollectionJob job;
        std::atomic<bool> cancelRequested{false};
        std::thread worker;
    };
    static constexpr std::size_t remembered = 32;

    void execute(Entry& entry);
    void forgetOldJobs();

    Registry& m_registry;
    mutable std::mutex m_mutex;
    std::uint64_t m_nextId = 1;
    std::map<std::uint64_t, std::unique_ptr<Entry>> m_entries;
};

} // namespace berth::registry
