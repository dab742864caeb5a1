#pragma once
// Durations written the way Go's time.ParseDuration reads them ("500ms", "10s", "1m30s",
// "168h"), because that is what CNCF Distribution's config.yml files contain.

#include "support/Expected.h"

#include <chrono>
#include <string>
#include <string_view>

namespace berth::config {

// Parses a non-negative Go duration. A bare number without a unit is invalid, except "0".
// Sub-millisecond parts are truncated, but a non-zero duration below 1ms is rejected
// rather than silently becoming 0 (which usually means "disabled").
// The error is a sentence fragment such as `missing unit in duration "10"`.
Expected<std::chrono::milliseconds, std::string> parseDuration(std::string_view text);

// Renders a duration that parseDuration reads back unchanged, e.g. "1m30s", "168h", "0s".
std::string formatDuration(std::chrono::milliseconds duration);

} // namespace berth::config
