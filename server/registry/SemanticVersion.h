#pragma once
// A semantic version (semver.org 2.0.0) as a tag spells it, for retention rules that keep
// the highest versions: an optional leading "v", MAJOR.MINOR.PATCH without leading zeros,
// an optional pre-release ("-rc.1") and build metadata ("+build.5"). Precedence is the
// specification's: numbers compare numerically, a pre-release ranks below its release,
// identifiers compare one by one (numeric below alphanumeric), build metadata is ignored.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

class SemanticVersion
{
public:
    // std::nullopt for anything else: "latest", "1.2", "01.2.3", "1.2.3-", "1.2.3-01".
    static std::optional<SemanticVersion> parse(std::string_view text);

    std::uint64_t major() const { return m_major; }
    std::uint64_t minor() const { return m_minor; }
    std::uint64_t patch() const { return m_patch; }
    const std::vector<std::string>& preRelease() const { return m_preRelease; }

    // Equal precedence is equivalence, not identity: "v1.0.0" and "1.0.0+b1" are equivalent.
    friend std::weak_ordering operator<=>(const SemanticVersion& a, const SemanticVersion& b);
    friend bool operator==(const SemanticVersion& a, const SemanticVersion& b) { return std::is_eq(a <=> b); }

private:
    std::uint64_t m_major = 0;
    std::uint64_t m_minor = 0;
    std::uint64_t m_patch = 0;
    std::vector<std::string> m_preRelease;
};

} // namespace berth::registry
