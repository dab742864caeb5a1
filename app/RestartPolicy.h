#pragma once
// Decides what happens after berthd dies unexpectedly: restart it after a back-off that
// doubles with each recent crash, or give up after too many crashes in a short window,
// so a server that cannot stay up does not restart forever.

#include <QList>
#include <chrono>
#include <optional>

namespace berth::app {

class RestartPolicy
{
public:
    using Clock = std::chrono::steady_clock;

    struct Limits
    {
        std::chrono::milliseconds firstDelay{1000}; // before the restart after a first crash
        std::chrono::milliseconds maxDelay{30000};  // the doubling stops here
        int maxCrashes = 3;                         // this many crashes within `window` give up
        std::chrono::milliseconds window{60000};
    };

    RestartPolicy() = default;
    explicit RestartPolicy(Limits limits) : m_limits(limits) {}

    // Records a crash at `now`. Returns how long to wait before restarting, or nothing
    // when the crashes within the window have reached the limit.
    std::optional<std::chrono::milliseconds> crashed(Clock::time_point now = Clock::now());
    // Forgets past crashes: the user started the server again.
    void reset() { m_crashes.clear(); }

    // Crashes recorded within the window at the last call to crashed().
    int recentCrashes() const { return static_cast<int>(m_crashes.size()); }
    const Limits& limits() const { return m_limits; }

private:
    Limits m_limits;
    QList<Clock::time_point> m_crashes; // within the window, oldest first
};

} // namespace berth::app
