#pragma once
// The digests that tags pointed to when a manifest request last read them, so that a GET or
// HEAD by tag reads no tag link. TagStore forgets a tag after each write or removal of it
// (retention and garbage collection remove tags through it too); a read that raced such a
// change answers its request but is not kept. Bounded: once more than `capacity` tags are
// held, those read least lately are dropped.

#include "oci/Digest.h"
#include "registry/LeastRecentlyUsed.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace berth::registry {

class TagTargets
{
public:
    // About 1 MiB.
    static constexpr std::size_t defaultCapacity = 10'000;

    explicit TagTargets(std::size_t capacity = defaultCapacity) : m_capacity(capacity) {}

    // Reads a tag's link from storage: its digest, std::nullopt when the tag does not exist.
    using Reader = std::function<oci::Result<std::optional<oci::Digest>>()>;

    // The digest `tag` points to: from memory, or read with `read` (and then held, when the
    // tag exists and no change to it raced the read).
    oci::Result<std::optional<oci::Digest>> resolve(std::string_view repository, std::string_view tag,
                                                    const Reader& read);
    // After `tag` was written or removed in storage, however that ended.
    void forget(std::string_view repository, std::string_view tag);

    // Tags held, for tests and figures.
    std::size_t size() const;

private:
    struct Entry
    {
        explicit Entry(oci::Digest target) : digest(std::move(target)) {}

        oci::Digest digest;
        UseStamp used;
    };

    const std::size_t m_capacity;
    UseClock m_clock;
    mutable std::shared_mutex m_mutex;                   // guards everything below
    std::map<std::string, Entry, std::less<>> m_entries; // by "<repository>:<tag>"
    std::uint64_t m_changes = 0;                         // calls of forget(), to spot a read that raced one
};

} // namespace berth::registry
