#pragma once
// RFC 3339 timestamps, as Distribution writes them into "startedat" files.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace berth {

// "2026-11-27T21:30:00Z" (UTC, second precision).
std::string formatRfc3339(std::chrono::system_clock::time_point time);
// Accepts "YYYY-MM-DDTHH:MM:SS" with optional fraction and a "Z" or "+hh:mm" offset.
std::optional<std::chrono::system_clock::time_point> parseRfc3339(std::string_view text);

} // namespace berth
