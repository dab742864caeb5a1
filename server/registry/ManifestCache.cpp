#include "registry/ManifestCache.h"

#include <mutex>

namespace berth::registry {

std::shared_ptr<const CachedManifest> ManifestCache::find(const oci::Digest& digest) const
{
    const std::shared_lock lock(m_mutex);
    const auto entry = m_entries.find(digest);
    if (entry == m_entries.end())
        return nullptr;
    entry->second.used.touch(m_clock);
    return entry->second.manifest;
}

void ManifestCache::insert(const oci::Digest& digest, std::shared_ptr<const CachedManifest> manifest)
{
    const auto bytes = manifest->content.size();
    if (bytes > m_capacity)
        return;
    const std::scoped_lock lock(m_mutex);
    auto [entry, inserted] = m_entries.try_emplace(digest);
    if (!inserted)
        return; // the same bytes, held already
    entry->second.manifest = std::move(manifest);
    entry->second.used.touch(m_clock);
    m_size += bytes;
    evict();
}

std::size_t ManifestCache::size() const
{
    const std::shared_lock lock(m_mutex);
    return m_size;
}

void ManifestCache::evict()
{
    while (m_size > m_capacity) {
        const auto oldest = leastRecentlyUsed(m_entries);
        m_size -= oldest->second.manifest->content.size();
        m_entries.erase(oldest);
    }
}

} // namespace berth::registry
