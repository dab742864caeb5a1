#pragma once
// What the registry's bounded caches share: a stamp of each entry's last use, which readers
// take under a shared lock, and the search for the entry used least lately when one must go.

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace berth::registry {

class UseClock
{
public:
    std::uint64_t now() { return m_now.fetch_add(1, std::memory_order_relaxed) + 1; }

private:
    std::atomic<std::uint64_t> m_now{0};
};

class UseStamp
{
public:
    void touch(UseClock& clock) const { m_last.store(clock.now(), std::memory_order_relaxed); }
    std::uint64_t last() const { return m_last.load(std::memory_order_relaxed); }

private:
    mutable std::atomic<std::uint64_t> m_last{0};
};

// The entry of a map whose values have a UseStamp `used` that was used least lately.
template <class Entries> typename Entries::iterator leastRecentlyUsed(Entries& entries)
{
    return std::min_element(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.second.used.last() < b.second.used.last();
    });
}

} // namespace berth::registry
