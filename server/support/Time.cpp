#include "support/Time.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace berth {

std::string formatRfc3339(std::chrono::system_clock::time_point time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    const auto length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return {buffer, length};
}

namespace {

bool readNumber(std::string_view text, std::size_t offset, std::size_t width, int& out)
{
    if (offset + width > text.size())
        return false;
    const auto* first = text.data() + offset;
    const auto [end, error] = std::from_chars(first, first + width, out);
    return error == std::errc{} && end == first + width;
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parseRfc3339(std::string_view text)
{
    std::tm parts{};
    int year = 0, month = 0;
    if (!readNumber(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !readNumber(text, 5, 2, month) ||
        text[7] != '-' || !readNumber(text, 8, 2, parts.tm_mday) || (text[10] != 'T' && text[10] != ' ') ||
        !readNumber(text, 11, 2, parts.tm_hour) || text[13] != ':' || !readNumber(text, 14, 2, parts.tm_min) ||
        text[16] != ':' || !readNumber(text, 17, 2, parts.tm_sec))
        return std::nullopt;
    parts.tm_year = year - 1900;
    parts.tm_mon = month - 1;

    std::size_t position = 19;
    if (position < text.size() && text[position] == '.') {
        ++position;
        while (position < text.size() && text[position] >= '0' && text[position] <= '9')
            ++position;
    }
    long offsetSeconds = 0;
    const auto zone = text.substr(position);
    if (zone == "Z" || zone == "z") {
        offsetSeconds = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        int hours = 0, minutes = 0;
        if (!readNumber(zone, 1, 2, hours) || !readNumber(zone, 4, 2, minutes))
            return std::nullopt;
        offsetSeconds = (hours * 3600L + minutes * 60L) * (zone[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    const std::time_t utc = timegm(&parts);
    return std::chrono::system_clock::from_time_t(utc - offsetSeconds);
}

} // namespace berth
