#pragma once
// The tag names of the repositories listed lately, sorted in memory, so that a tags list is
// a lookup rather than a directory listing.
//
// A repository's names are read on its first listing (nothing is read at start, so an idle
// server holds none; a repository without tags is not held, as storage alone says whether
// it still exists) and kept current by TagStore, which refreshes a tag after each write or
// removal of it; retention and garbage collection remove tags through TagStore too. A refresh
// reads the tag's presence again under the index's lock, so that of two changes racing, the
// later read decides. A listing read while a tag of its repository changed may miss the
// change: it answers the request that read it but is not kept. Bounded: once more than
// `capacity` names are held, the repositories listed least lately are dropped. A whole list
// rendered once (as a response body) is kept with the names until they change.

#include "registry/Catalog.h"
#include "registry/LeastRecentlyUsed.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

class TagIndex
{
public:
    // About 3 MiB of short names: a few repositories of 10,000 tags or many small ones.
    static constexpr std::size_t defaultCapacity = 100'000;

    explicit TagIndex(std::size_t capacity = defaultCapacity) : m_capacity(capacity) {}

    // Reads a repository's tag names from storage, sorted.
    using Reader = std::function<oci::Result<std::vector<std::string>>()>;
    // Whether a tag exists in storage now.
    using Presence = std::function<oci::Result<bool>()>;

    // The tags of `repository` strictly after `last`, at most `limit`, as paginate() cuts
    // them; `read` fills the index when the repository is not held. Its errors are returned.
    oci::Result<Page> page(std::string_view repository, std::optional<std::size_t> limit,
                           std::string_view last, const Reader& read);
    // Every tag of `repository` as `render` makes of the sorted names. It is kept with them
    // and made again only once they change, so a repository listed whole again and again
    // costs one copy of its response body instead of a rendering of every name.
    using Renderer = std::function<std::string(const std::vector<std::string>&)>;
    oci::Result<std::shared_ptr<const std::string>> rendered(std::string_view repository, const Reader& read,
                                                             const Renderer& render);
    // After `tag` of `repository` was written or removed in storage, however that ended.
    void refresh(std::string_view repository, std::string_view tag, const Presence& present);

    // Names held over all repositories, for tests and figures.
    std::size_t size() const;

private:
    struct Entry
    {
        std::vector<std::string> names;
        std::shared_ptr<const std::string> rendered; // of `names`; empty until asked for, and after a change
        UseStamp used;
    };
    using Entries = std::map<std::string, Entry, std::less<>>;

    // A repository being read from storage, and the refreshes of it meanwhile.
    struct Reading
    {
        unsigned readers = 0;
        std::uint64_t changes = 0;
    };

    // Reads `repository` with `read`, and keeps the names unless a refresh raced the read.
    oci::Result<std::vector<std::string>> load(std::string_view repository, const Reader& read);
    // Drops the repositories used least lately until the names fit. Under m_mutex, exclusively.
    void evict();

    const std::size_t m_capacity;
    UseClock m_clock;
    mutable std::shared_mutex m_mutex; // guards everything below
    Entries m_entries;
    std::size_t m_size = 0; // names in m_entries
    std::map<std::string, Reading, std::less<>> m_reading;
};

} // namespace berth::registry
