#include "RestartPolicy.h"

#include <algorithm>

namespace berth::app {

std::optional<std::chrono::milliseconds> RestartPolicy::crashed(Clock::time_point now)
{
    m_crashes.removeIf([&](Clock::time_point crash) { return now - crash >= m_limits.window; });
    m_crashes.append(now);
    if (recentCrashes() >= m_limits.maxCrashes)
        return std::nullopt;
    auto delay = m_limits.firstDelay;
    for (int crash = 1; crash < recentCrashes() && delay < m_limits.maxDelay; ++crash)
        delay *= 2;
    return std::min(delay, m_limits.maxDelay);
}

} // namespace berth::app
