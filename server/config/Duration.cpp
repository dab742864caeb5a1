#include "Duration.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace berth::config {

namespace {

struct Unit
{
    std::string_view name;
    std::int64_t nanoseconds;
};

// Longest names first where one is a prefix of another ("ms" before "m").
constexpr std::array units{
    Unit{"ns", 1},          Unit{"us", 1'000},        Unit{"\u00b5s", 1'000}, // micro sign
    Unit{"\u03bcs", 1'000},                                                   // Greek mu
    Unit{"ms", 1'000'000},  Unit{"s", 1'000'000'000}, Unit{"m", 60'000'000'000}, Unit{"h", 3'600'000'000'000},
};

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::string inQuotes(std::string_view text)
{
    return '"' + std::string(text) + '"';
}

} // namespace

Expected<std::chrono::milliseconds, std::string> parseDuration(std::string_view text)
{
    const auto invalid = [&] { return unexpected("invalid duration " + inQuotes(text)); };
    constexpr auto maximum = std::numeric_limits<std::int64_t>::max();

    std::string_view rest = text;
    if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
        if (rest.front() == '-' && rest != "-0")
            return unexpected("negative duration " + inQuotes(text) + " is not allowed");
        rest.remove_prefix(1);
    }
    if (rest == "0")
        return std::chrono::milliseconds{0};
    if (rest.empty())
        return invalid();

    std::int64_t total = 0; // nanoseconds
    while (!rest.empty()) {
        std::int64_t whole = 0;
        std::size_t digits = 0;
        while (digits < rest.size() && isDigit(rest[digits])) {
            const int digit = rest[digits] - '0';
            if (whole > (maximum - digit) / 10)
                return invalid();
            whole = whole * 10 + digit;
            ++digits;
        }
        const bool hadWhole = digits > 0;
        rest.remove_prefix(digits);

        std::string_view fraction;
        if (!rest.empty() && rest.front() == '.') {
            rest.remove_prefix(1);
            std::size_t length = 0;
            while (length < rest.size() && isDigit(rest[length]))
                ++length;
            fraction = rest.substr(0, length);
            rest.remove_prefix(length);
        }
        if (!hadWhole && fraction.empty())
            return invalid();

        std::size_t unitLength = 0;
        while (unitLength < rest.size() && rest[unitLength] != '.' && !isDigit(rest[unitLength]))
            ++unitLength;
        const std::string_view unitName = rest.substr(0, unitLength);
        rest.remove_prefix(unitLength);
        if (unitName.empty())
            return unexpected("missing unit in duration " + inQuotes(text) + " (use ms, s, m or h)");
        const Unit* unit = nullptr;
        for (const auto& candidate : units) {
            if (candidate.name == unitName)
                unit = &candidate;
        }
        if (!unit) {
            return unexpected("unknown unit " + inQuotes(unitName) + " in duration " + inQuotes(text) +
                              " (use ms, s, m or h)");
        }

        if (whole > maximum / unit->nanoseconds)
            return invalid();
        std::int64_t part = whole * unit->nanoseconds;
        if (!fraction.empty()) {
            // Integer digits rather than strtod, which would follow the process locale's
            // decimal separator. Rounded so "0.3s" is 300ms, not 299.999999ms.
            long double numerator = 0;
            long double scale = 1;
            for (const char c : fraction.substr(0, 18)) {
                numerator = numerator * 10 + (c - '0');
                scale *= 10;
            }
            const auto extra = std::llround(numerator / scale * static_cast<long double>(unit->nanoseconds));
            if (extra > maximum - part)
                return invalid();
            part += extra;
        }
        if (total > maximum - part)
            return invalid();
        total += part;
    }

    if (total > 0 && total < 1'000'000)
        return unexpected("duration " + inQuotes(text) + " is below the 1ms resolution berthd uses");
    return std::chrono::milliseconds{total / 1'000'000};
}

std::string formatDuration(std::chrono::milliseconds duration)
{
    using namespace std::chrono;
    if (duration <= milliseconds::zero())
        return "0s";
    std::string text;
    const auto append = [&](auto count, std::string_view unit) {
        if (count > 0)
            text += std::to_string(count) + std::string(unit);
    };
    append(duration_cast<hours>(duration).count(), "h");
    append(duration_cast<minutes>(duration % hours{1}).count(), "m");
    append(duration_cast<seconds>(duration % minutes{1}).count(), "s");
    append((duration % seconds{1}).count(), "ms");
    return text;
}

} // namespace berth::config
