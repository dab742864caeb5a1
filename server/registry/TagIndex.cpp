#include "registry/TagIndex.h"

#include <algorithm>
#include <mutex>

namespace berth::registry {

oci::Result<Page> TagIndex::page(std::string_view repository, std::optional<std::size_t> limit,
                                 std::string_view last, const Reader& read)
{
    {
        const std::shared_lock lock(m_mutex);
        if (const auto entry = m_entries.find(repository); entry != m_entries.end()) {
            entry->second.used.touch(m_clock);
            return paginate(entry->second.names, limit, last);
        }
    }
    auto names = load(repository, read);
    if (!names)
        return unexpected(std::move(names).error());
    return paginate(*names, limit, last);
}

oci::Result<std::shared_ptr<const std::string>> TagIndex::rendered(std::string_view repository,
                                                                   const Reader& read, const Renderer& render)
{
    {
        const std::shared_lock lock(m_mutex);
        if (const auto entry = m_entries.find(repository);
            entry != m_entries.end() && entry->second.rendered) {
            entry->second.used.touch(m_clock);
            return entry->second.rendered;
        }
    }
    {
        const std::scoped_lock lock(m_mutex); // exclusively: the rendering is stored
        if (const auto entry = m_entries.find(repository); entry != m_entries.end()) {
            entry->second.used.touch(m_clock);
            if (!entry->second.rendered)
                entry->second.rendered = std::make_shared<const std::string>(render(entry->second.names));
            return entry->second.rendered;
        }
    }
    // Rendered once the names are held: by then a refresh may have changed them.
    auto names = load(repository, read);
    if (!names)
        return unexpected(std::move(names).error());
    return std::make_shared<const std::string>(render(*names));
}

oci::Result<std::vector<std::string>> TagIndex::load(std::string_view repository, const Reader& read)
{
    std::uint64_t changesBefore = 0;
    {
        const std::scoped_lock lock(m_mutex);
        auto& reading = m_reading[std::string(repository)];
        ++reading.readers;
        changesBefore = reading.changes;
    }
    auto names = read();
    const std::scoped_lock lock(m_mutex);
    const auto reading = m_reading.find(repository);
    const bool raced = reading->second.changes != changesBefore;
    if (--reading->second.readers == 0)
        m_reading.erase(reading);
    // No tags: whether the repository still exists is for storage to say on each listing.
    if (!names || names->empty() || raced || names->size() > m_capacity || m_entries.contains(repository))
        return names;
    auto& entry = m_entries.try_emplace(std::string(repository)).first->second;
    entry.names = *names;
    entry.used.touch(m_clock);
    m_size += names->size();
    evict();
    return names;
}

void TagIndex::refresh(std::string_view repository, std::string_view tag, const Presence& present)
{
    const std::scoped_lock lock(m_mutex);
    if (const auto reading = m_reading.find(repository); reading != m_reading.end())
        ++reading->second.changes;
    const auto entry = m_entries.find(repository);
    if (entry == m_entries.end())
        return;
    auto& names = entry->second.names;
    const auto exists = present();
    if (!exists) { // unknown now: read the whole repository again on its next listing
        m_size -= names.size();
        m_entries.erase(entry);
        return;
    }
    const auto position = std::lower_bound(names.begin(), names.end(), tag);
    const bool listed = position != names.end() && *position == tag;
    if (*exists != listed)
        entry->second.rendered.reset();
    if (*exists && !listed) {
        names.emplace(position, tag);
        ++m_size;
        evict();
    } else if (!*exists && listed) {
        names.erase(position);
        --m_size;
        if (names.empty()) // the repository may be gone with its last tag
            m_entries.erase(entry);
    }
}

std::size_t TagIndex::size() const
{
    const std::shared_lock lock(m_mutex);
    return m_size;
}

void TagIndex::evict()
{
    while (m_size > m_capacity) {
        const auto oldest = leastRecentlyUsed(m_entries);
        m_size -= oldest->second.names.size();
        m_entries.erase(oldest);
    }
}

} // namespace berth::registry
