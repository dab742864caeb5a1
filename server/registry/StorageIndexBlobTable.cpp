#include "registry/StorageIndexBlobTable.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace berth::registry {

namespace {

constexpr std::uint64_t absentSize = std::numeric_limits<std::uint64_t>::max();
constexpr BlobNumber freeSlot = std::numeric_limits<BlobNumber>::max();

std::uint8_t hexValue(char c)
{
    return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10);
}

// A digest's raw bytes, without a heap allocation: a parsed digest's hex is lower-case, of
// even length, and at most 128 digits.
class RawBytes
{
public:
    explicit RawBytes(const oci::Digest& digest) : m_size(digest.hex().size() / 2)
    {
        const auto& hex = digest.hex();
        for (std::size_t i = 0; i < m_size; ++i)
            m_bytes[i] = static_cast<char>(hexValue(hex[2 * i]) << 4 | hexValue(hex[2 * i + 1]));
    }
    std::string_view view() const { return {m_bytes.data(), m_size}; }

private:
    std::array<char, 64> m_bytes{};
    std::size_t m_size;
};

// A digest's bytes are a hash already: their first eight spread evenly.
std::size_t hashOf(std::string_view bytes)
{
    std::uint64_t hash = 0;
    std::memcpy(&hash, bytes.data(), std::min(sizeof hash, bytes.size()));
    return static_cast<std::size_t>(hash);
}

} // namespace

BlobNumber BlobTable::number(const oci::Digest& digest)
{
    if (m_slots.size() < 2 * (count() + 1))
        grow();
    const RawBytes raw(digest);
    const auto bytes = raw.view();
    const auto slot = slotOf(bytes);
    if (m_slots[slot] != freeSlot)
        return m_slots[slot];
    const auto added = static_cast<BlobNumber>(count());
    if (m_offsets.empty())
        m_offsets.push_back(0);
    m_bytes += bytes;
    m_offsets.push_back(static_cast<std::uint32_t>(m_bytes.size()));
    m_sizes.push_back(absentSize);
    m_slots[slot] = added;
    return added;
}

std::optional<BlobNumber> BlobTable::find(const oci::Digest& digest) const
{
    if (m_slots.empty())
        return std::nullopt;
    const auto number = m_slots[slotOf(RawBytes(digest).view())];
    return number != freeSlot ? std::optional(number) : std::nullopt;
}

oci::Digest BlobTable::digest(BlobNumber number) const
{
    const auto bytes = bytesOf(number);
    const auto algorithm = bytes.size() == 32 ? oci::DigestAlgorithm::Sha256 : oci::DigestAlgorithm::Sha512;
    return oci::Digest::ofHash(algorithm,
                               std::span(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
}

bool BlobTable::less(BlobNumber a, BlobNumber b) const
{
    // sha256 before sha512, as the algorithms are declared; the bytes in the order of their hex
    const auto bytesA = bytesOf(a);
    const auto bytesB = bytesOf(b);
    return bytesA.size() != bytesB.size() ? bytesA.size() < bytesB.size() : bytesA < bytesB;
}

std::optional<std::uint64_t> BlobTable::size(BlobNumber number) const
{
    const auto size = m_sizes[number];
    return size != absentSize ? std::optional(size) : std::nullopt;
}

void BlobTable::setSize(BlobNumber number, std::optional<std::uint64_t> size)
{
    auto& kept = m_sizes[number];
    m_stored += std::size_t(size.has_value()) - std::size_t(kept != absentSize);
    kept = size.value_or(absentSize);
}

TypeNumber BlobTable::type(std::string_view mediaType)
{
    if (const auto found = m_types.find(mediaType); found != m_types.end())
        return found->second;
    const auto added = static_cast<TypeNumber>(m_typeNames.size());
    m_typeNames.push_back(&m_types.emplace(std::string(mediaType), added).first->first);
    return added;
}

bool BlobTable::operator==(const BlobTable& other) const
{
    return m_bytes == other.m_bytes && m_offsets == other.m_offsets && m_sizes == other.m_sizes &&
           m_types == other.m_types;
}

std::string_view BlobTable::bytesOf(BlobNumber number) const
{
    return std::string_view(m_bytes).substr(m_offsets[number], m_offsets[number + 1] - m_offsets[number]);
}

std::size_t BlobTable::slotOf(std::string_view bytes) const
{
    const auto mask = m_slots.size() - 1;
    auto slot = hashOf(bytes) & mask;
    while (m_slots[slot] != freeSlot && bytesOf(m_slots[slot]) != bytes)
        slot = (slot + 1) & mask;
    return slot;
}

void BlobTable::grow()
{
    m_slots.assign(std::max<std::size_t>(64, 2 * m_slots.size()), freeSlot);
    for (BlobNumber number = 0; number < count(); ++number)
        m_slots[slotOf(bytesOf(number))] = number;
}

} // namespace berth::registry
