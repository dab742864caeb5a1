#pragma once
// The manifests served lately, by digest: their bytes and media type, so that a manifest
// GET or HEAD reads neither the blob nor parses its JSON again. A digest names its content
// for good, so nothing here goes stale; whether a repository still holds the manifest is
// decided by its links, which ManifestStore reads from storage on every request. Bounded:
// once more than `capacity` bytes are held, the manifests served least lately are dropped.

#include "oci/Digest.h"
#include "registry/LeastRecentlyUsed.h"

#include <cstddef>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>

namespace berth::registry {

struct CachedManifest
{
    std::string mediaType;
    std::string content;
};

class ManifestCache
{
public:
    // Some thousand manifests of a few KiB.
    static constexpr std::size_t defaultCapacity = 4 << 20;

    explicit ManifestCache(std::size_t capacity = defaultCapacity) : m_capacity(capacity) {}

    // The manifest stored under `digest`, or null when it is not held.
    std::shared_ptr<const CachedManifest> find(const oci::Digest& digest) const;
    // Holds `manifest`, whose bytes hash to `digest`; one larger than the whole cache is not held.
    void insert(const oci::Digest& digest, std::shared_ptr<const CachedManifest> manifest);

    // Bytes of content held, for tests and figures.
    std::size_t size() const;

private:
    struct Entry
    {
        std::shared_ptr<const CachedManifest> manifest;
        UseStamp used;
    };

    // Drops the manifests served least lately until the bytes fit. Under m_mutex, exclusively.
    void evict();

    const std::size_t m_capacity;
    mutable UseClock m_clock;
    mutable std::shared_mutex m_mutex; // guards everything below
    std::map<oci::Digest, Entry> m_entries;
    std::size_t m_size = 0; // bytes of content in m_entries
};

} // namespace berth::registry
