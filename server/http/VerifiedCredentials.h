#pragma once
// Credentials that passed a bcrypt check lately, so a client that sends them with every
// request pays for bcrypt once. Remembered by an HMAC of "user:password" under a key made
// fresh for each process, never by the password; a bounded number, each for a few minutes,
// and all forgotten when the users change. Thread-safe.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string_view>

namespace berth::http {

class VerifiedCredentials
{
public:
    using Clock = std::chrono::steady_clock;

    explicit VerifiedCredentials(std::size_t capacity = 1024,
                                 Clock::duration lifetime = std::chrono::minutes(5));

    // Whether `user`/`password` passed a check within the lifetime, with the users of
    // `generation` (see HtpasswdFile::Snapshot).
    bool contains(std::string_view user, std::string_view password, std::uint64_t generation,
                  Clock::time_point now = Clock::now());
    void add(std::string_view user, std::string_view password, std::uint64_t generation,
             Clock::time_point now = Clock::now());

private:
    using Key = std::array<unsigned char, 32>; // HMAC-SHA256

    Key keyOf(std::string_view user, std::string_view password) const;
    // Forgets everything when `generation` is newer than the entries; false when it is older
    // (a request that read the users just before they changed).
    bool isCurrent(std::uint64_t generation);

    const std::size_t m_capacity;
    const Clock::duration m_lifetime;
    std::array<unsigned char, 32> m_secret{};
    const bool m_enabled; // false when the kernel gave no random key: nothing is remembered
    std::mutex m_mutex;
    std::map<Key, Clock::time_point> m_expiries;
    std::uint64_t m_generation = 0;
};

} // namespace berth::http
