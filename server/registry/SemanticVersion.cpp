#include "registry/SemanticVersion.h"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace berth::registry {

namespace {

bool isDigits(std::string_view text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isIdentifier(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
}

// A numeric part: digits, no leading zero unless it is "0", and small enough to hold.
std::optional<std::uint64_t> number(std::string_view text)
{
    if (!isDigits(text) || (text.size() > 1 && text.front() == '0'))
        return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            return parts;
        text.remove_prefix(at + 1);
    }
}

// Numeric identifiers rank below alphanumeric ones and compare as numbers; having no
// leading zeros, longer means larger.
std::weak_ordering compareIdentifiers(std::string_view a, std::string_view b)
{
    const bool aNumeric = isDigits(a), bNumeric = isDigits(b);
    if (aNumeric != bNumeric)
        return aNumeric ? std::weak_ordering::less : std::weak_ordering::greater;
    if (aNumeric && a.size() != b.size())
        return a.size() <=> b.size();
    return a.compare(b) <=> 0;
}

} // namespace

std::optional<SemanticVersion> SemanticVersion::parse(std::string_view text)
{
    if (text.starts_with('v'))
        text.remove_prefix(1);
    if (const auto plus = text.find('+'); plus != std::string_view::npos) {
        for (const auto identifier : split(text.substr(plus + 1), '.')) {
            if (!isIdentifier(identifier))
                return std::nullopt;
        }
        text = text.substr(0, plus);
    }
    SemanticVersion version;
    if (const auto dash = text.find('-'); dash != std::string_view::npos) {
        for (const auto identifier : split(text.substr(dash + 1), '.')) {
            // Numeric identifiers compare as numbers of any length, but carry no leading zeros.
            if (!isIdentifier(identifier) ||
                (isDigits(identifier) && identifier.size() > 1 && identifier.front() == '0'))
                return std::nullopt;
            version.m_preRelease.emplace_back(identifier);
        }
        text = text.substr(0, dash);
    }
    const auto core = split(text, '.');
    if (core.size() != 3)
        return std::nullopt;
    const auto major = number(core[0]), minor = number(core[1]), patch = number(core[2]);
    if (!major || !minor || !patch)
        return std::nullopt;
    version.m_major = *major;
    version.m_minor = *minor;
    version.m_patch = *patch;
    return version;
}

std::weak_ordering operator<=>(const SemanticVersion& a, const SemanticVersion& b)
{
    if (const auto core =
            std::tie(a.m_major, a.m_minor, a.m_patch) <=> std::tie(b.m_major, b.m_minor, b.m_patch);
        std::is_neq(core))
        return core;
    if (a.m_preRelease.empty() != b.m_preRelease.empty())
        return a.m_preRelease.empty() ? std::weak_ordering::greater : std::weak_ordering::less;
    const auto count = std::min(a.m_preRelease.size(), b.m_preRelease.size());
    for (std::size_t i = 0; i < count; ++i) {
        if (const auto order = compareIdentifiers(a.m_preRelease[i], b.m_preRelease[i]); std::is_neq(order))
            return order;
    }
    return a.m_preRelease.size() <=> b.m_preRelease.size();
}

} // namespace berth::registry
