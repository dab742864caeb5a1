#pragma once
// What the registry's services changed in storage, for whoever keeps figures derived from
// it (the storage index): repositories whose manifests or tags changed, blobs stored and
// deleted. Each change is recorded after it reached storage, so whoever takes it reads the
// new state. Nothing is recorded until someone starts listening.

#include "oci/Digest.h"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace berth::registry {

class StorageChanges
{
public:
    struct Pending
    {
        std::set<std::string> repositories;
        // The latest of each blob: its size when stored, std::nullopt when deleted.
        std::map<oci::Digest, std::optional<std::uint64_t>> blobs;
    };

    // Records from now on.
    void startRecording();
    // Also tells `observer` of every repository change, recording or not, on the thread that
    // made it. One observer (the catalog), set before the registry serves.
    void observeRepositories(std::function<void(std::string_view)> observer);

    void repositoryChanged(std::string_view repository);
    void blobStored(const oci::Digest& digest, std::uint64_t size);
    void blobDeleted(const oci::Digest& digest);

    // Everything recorded since the last take(); bounded by the number of repositories and blobs.
    Pending take();

private:
    std::function<void(std::string_view)> m_repositoryObserver;
    std::mutex m_mutex;
    bool m_recording = false;
    Pending m_pending;
};

// Records that `repository` changed when it goes out of scope, however the change ended.
class RepositoryChangeScope
{
public:
    RepositoryChangeScope(StorageChanges& changes, std::string_view repository)
        : m_changes(changes), m_repository(repository)
    {
    }
    ~RepositoryChangeScope() { m_changes.repositoryChanged(m_repository); }
    RepositoryChangeScope(const RepositoryChangeScope&) = delete;
    RepositoryChangeScope& operator=(const RepositoryChangeScope&) = delete;

private:
    StorageChanges& m_changes;
    std::string_view m_repository;
};

} // namespace berth::registry
