#include "ByteSize.h"

#include <array>
#include <charconv>
#include <utility>

namespace berth::config {

namespace {

constexpr std::array<std::pair<std::string_view, std::uint64_t>, 9> units{{
    {"B", 1},
    {"KB", 1000ULL},
    {"MB", 1000ULL * 1000},
    {"GB", 1000ULL * 1000 * 1000},
    {"TB", 1000ULL * 1000 * 1000 * 1000},
    {"KiB", 1ULL << 10},
    {"MiB", 1ULL << 20},
    {"GiB", 1ULL << 30},
    {"TiB", 1ULL << 40},
}};

std::string quoted(std::string_view text) { return '"' + std::string(text) + '"'; }

} // namespace

Expected<std::uint64_t, std::string> parseByteSize(std::string_view text)
{
    std::uint64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end == text.data())
        return unexpected("expected a size such as 512MiB or 10GiB, got " + quoted(text));
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    if (unit.empty())
        return number;
    for (const auto& [name, factor] : units) {
        if (unit == name) {
            if (number > UINT64_MAX / factor)
                return unexpected("size " + quoted(text) + " is too large");
            return number * factor;
        }
    }
    return unexpected("unknown unit " + quoted(unit) + " in size " + quoted(text) +
                      "; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB");
}

std::string formatByteSize(std::uint64_t bytes)
{
    // The largest binary unit that divides it exactly, so it reads back the same.
    for (auto unit = units.rbegin(); unit != units.rend(); ++unit) {
        if (unit->first.ends_with("iB") && bytes != 0 && bytes % unit->second == 0)
            return std::to_string(bytes / unit->second) + std::string(unit->first);
    }
    return std::to_string(bytes) + "B";
}

} // namespace berth::config
