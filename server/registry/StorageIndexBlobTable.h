#pragma once
// Every digest the storage index refers to, numbered once, with the size of its blob while
// the store holds it; and every media type, numbered once. Repositories and images then hold
// 4-byte numbers instead of digests: at 10,000 repositories the same few digests appear in
// each repository's, image's and layer's lists, and an oci::Digest costs about 120 bytes
// (its hex on the heap) where a number costs 4. A digest is kept once, as its raw bytes.
//
// Numbers are never reused: a digest no repository reaches and the store no longer holds
// keeps its number until the table is compacted (see compacted() in StorageStatistics.h).
// Garbage collection uses one as a compact set of the digests it marks.

#include "oci/Digest.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

using BlobNumber = std::uint32_t;
using TypeNumber = std::uint32_t;

class BlobTable
{
public:
    // The number of `digest`, numbering it when new.
    BlobNumber number(const oci::Digest& digest);
    std::optional<BlobNumber> find(const oci::Digest& digest) const;
    oci::Digest digest(BlobNumber number) const;
    // Whether the digest numbered `a` comes before `b`'s, as oci::Digest orders them.
    bool less(BlobNumber a, BlobNumber b) const;
    // How many digests are numbered: numbers run from 0 to count() - 1.
    std::size_t count() const { return m_sizes.size(); }

    // The size of the blob's data file; std::nullopt when the store does not hold it.
    std::optional<std::uint64_t> size(BlobNumber number) const;
    void setSize(BlobNumber number, std::optional<std::uint64_t> size);
    // How many blobs the store holds.
    std::size_t stored() const { return m_stored; }

    // The number of `mediaType`, numbering it when new.
    TypeNumber type(std::string_view mediaType);
    const std::string& typeName(TypeNumber number) const { return *m_typeNames[number]; }
    std::size_t typeCount() const { return m_typeNames.size(); }

    // Equal when they number the same digests and media types the same way, with the same sizes.
    bool operator==(const BlobTable& other) const;

private:
    std::string_view bytesOf(BlobNumber number) const;
    std::size_t slotOf(std::string_view bytes) const; // where `bytes` is, or the free slot it would take
    void grow();

    std::string m_bytes;                  // every digest's raw bytes, one after the other
    std::vector<std::uint32_t> m_offsets; // where each number's bytes start in m_bytes; one more at the end
    std::vector<std::uint64_t> m_sizes;   // by number; absentSize when the store does not hold it
    std::vector<BlobNumber> m_slots;      // open addressing: numbers by a hash of their bytes
    std::size_t m_stored = 0;
    std::map<std::string, TypeNumber, std::less<>> m_types;
    std::vector<const std::string*> m_typeNames; // keys of m_types, by number
};

} // namespace berth::registry
