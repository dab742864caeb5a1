#include "http/VerifiedCredentials.h"

#include "support/Random.h"

#include <algorithm>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string>

namespace berth::http {

VerifiedCredentials::VerifiedCredentials(std::size_t capacity, Clock::duration lifetime)
    : m_capacity(capacity), m_lifetime(lifetime), m_enabled(fillRandom(m_secret))
{
}

VerifiedCredentials::Key VerifiedCredentials::keyOf(std::string_view user, std::string_view password) const
{
    // A user name has no ':', so "user:password" names one pair only.
    std::string joined;
    joined.reserve(user.size() + 1 + password.size());
    joined.append(user).append(1, ':').append(password);
    Key key{};
    unsigned length = 0;
    HMAC(EVP_sha256(), m_secret.data(), static_cast<int>(m_secret.size()),
         reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), key.data(), &length);
    OPENSSL_cleanse(joined.data(), joined.size());
    return key;
}

bool VerifiedCredentials::isCurrent(std::uint64_t generation)
{
    if (generation > m_generation) {
        m_expiries.clear();
        m_generation = generation;
    }
    return generation == m_generation;
}

bool VerifiedCredentials::contains(std::string_view user, std::string_view password, std::uint64_t generation,
                                   Clock::time_point now)
{
    if (!m_enabled)
        return false;
    const auto key = keyOf(user, password);
    const std::lock_guard lock(m_mutex);
    if (!isCurrent(generation))
        return false;
    const auto found = m_expiries.find(key);
    if (found == m_expiries.end())
        return false;
    if (found->second > now)
        return true;
    m_expiries.erase(found);
    return false;
}

void VerifiedCredentials::add(std::string_view user, std::string_view password, std::uint64_t generation,
                              Clock::time_point now)
{
    if (!m_enabled || m_capacity == 0)
        return;
    const auto key = keyOf(user, password);
    const std::lock_guard lock(m_mutex);
    if (!isCurrent(generation))
        return;
    if (m_expiries.size() >= m_capacity && !m_expiries.contains(key)) {
        std::erase_if(m_expiries, [now](const auto& entry) { return entry.second <= now; });
        // All alike in lifetime, so the one expiring first is the one added first.
        if (m_expiries.size() >= m_capacity)
            m_expiries.erase(
                std::min_element(m_expiries.begin(), m_expiries.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; }));
    }
    m_expiries.insert_or_assign(key, now + m_lifetime);
}

} // namespace berth::http
