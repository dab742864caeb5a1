#include "registry/TagTargets.h"

#include <mutex>

namespace berth::registry {

namespace {

// ':' is in no repository name and no tag, so keys of different tags never meet.
std::string keyOf(std::string_view repository, std::string_view tag)
{
    std::string key;
    key.reserve(repository.size() + 1 + tag.size());
    key.append(repository).append(1, ':').append(tag);
    return key;
}

} // namespace

oci::Result<std::optional<oci::Digest>> TagTargets::resolve(std::string_view repository, std::string_view tag,
                                                            const Reader& read)
{
    auto key = keyOf(repository, tag);
    std::uint64_t changesBefore = 0;
    {
        const std::shared_lock lock(m_mutex);
        if (const auto entry = m_entries.find(key); entry != m_entries.end()) {
            entry->second.used.touch(m_clock);
            return std::optional<oci::Digest>(entry->second.digest);
        }
        changesBefore = m_changes;
    }
    auto digest = read();
    if (!digest || !*digest)
        return digest;
    const std::scoped_lock lock(m_mutex);
    if (m_changes != changesBefore)
        return digest;
    auto [entry, inserted] = m_entries.try_emplace(std::move(key), **digest);
    entry->second.used.touch(m_clock);
    if (inserted && m_entries.size() > m_capacity)
        m_entries.erase(leastRecentlyUsed(m_entries));
    return digest;
}

void TagTargets::forget(std::string_view repository, std::string_view tag)
{
    const std::scoped_lock lock(m_mutex);
    ++m_changes;
    if (const auto entry = m_entries.find(keyOf(repository, tag)); entry != m_entries.end())
        m_entries.erase(entry);
}

std::size_t TagTargets::size() const
{
    const std::shared_lock lock(m_mutex);
    return m_entries.size();
}

} // namespace berth::registry
