#pragma once
// Keeps garbage collection from deleting a blob that a push is making reachable.
//
// Every step that makes a blob reachable (committing an upload, mounting, storing a
// manifest and checking what it references) runs under a shared lock and records the
// digests it touches while a collection runs. The collector deletes each blob under the
// exclusive lock, and only if nothing touched it since the collection began; so a blob
// is either deleted before a push looks at it (the push then sees it missing and fails
// cleanly) or kept.

#include "oci/Digest.h"

#include <mutex>
#include <set>
#include <shared_mutex>

namespace berth::registry {

class CollectionGuard
{
public:
    // Held while blobs are checked and linked. Not re-entrant: take it once per operation.
    std::shared_lock<std::shared_mutex> lockForCommit() { return std::shared_lock(m_commits); }
    // Records that a push relies on `digest`; call while holding lockForCommit().
    void touch(const oci::Digest& digest);

    // The collector's side. One collection at a time: a second one waits for the first.
    void beginCollection();
    void endCollection();
    std::unique_lock<std::shared_mutex> lockForDelete() { return std::unique_lock(m_commits); }
    // Whether a push touched `digest` since beginCollection(); call under lockForDelete().
    bool touchedDuringCollection(const oci::Digest& digest) const;

private:
    std::shared_mutex m_commits;
    std::mutex m_oneCollection; // held from beginCollection() to endCollection()
    mutable std::mutex m_touchedMutex;
    bool m_collecting = false;
    std::set<oci::Digest> m_touched;
};

// A collection from construction to destruction, however the collector leaves.
class CollectionScope
{
public:
    explicit CollectionScope(CollectionGuard& guard) : m_guard(guard) { m_guard.beginCollection(); }
    ~CollectionScope() { m_guard.endCollection(); }
    CollectionScope(const CollectionScope&) = delete;
    CollectionScope& operator=(const CollectionScope&) = delete;

private:
    CollectionGuard& m_guard;
};

} // namespace berth::registry
