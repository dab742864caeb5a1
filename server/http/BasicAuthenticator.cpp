#include "http/BasicAuthenticator.h"

#include "http/BasicCredentials.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <crypt.h>
#include <openssl/crypto.h>

namespace berth::http {

namespace asio = boost::asio;

namespace {

// Enough to keep bcrypt off the event loops; a burst of first logins waits its turn here.
constexpr std::size_t bcryptThreads = 2;

} // namespace

BasicAuthenticator::BasicAuthenticator(const std::string& realm, HtpasswdFile& users, Logger& logger)
    : m_challenge("Basic realm=\"" + realm + '"'), m_users(users), m_logger(logger),
      m_pool(std::make_unique<asio::thread_pool>(bcryptThreads))
{
}

BasicAuthenticator::~BasicAuthenticator()
{
    m_pool->join();
}

bool BasicAuthenticator::verify(const std::string& password, const std::string& hash)
{
    // crypt reads a C string: a password with a NUL in it would be checked cut short.
    if (password.find('\0') != std::string::npos)
        return false;
    auto data = std::make_unique<crypt_data>(); // zeroed, as crypt_rn asks
    const char* computed = crypt_rn(password.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
    const std::string_view result = computed ? computed : "";
    // Constant time, so the hash cannot be learnt byte by byte from response times.
    const bool matches = !result.empty() && result.size() == hash.size() &&
                         CRYPTO_memcmp(result.data(), hash.data(), hash.size()) == 0;
    OPENSSL_cleanse(data.get(), sizeof(crypt_data));
    return matches;
}

Unexpected<oci::Error> BasicAuthenticator::refuse(std::string detail)
{
    return oci::fail(oci::ErrorCode::Unauthorized, "authentication required", std::move(detail));
}

asio::awaitable<oci::Result<std::string>> BasicAuthenticator::authenticate(const std::string& authorization)
{
    auto credentials = parseBasicAuthorization(authorization);
    if (!credentials) {
        // Clients ask without credentials first and send them after the challenge: no news.
        if (!authorization.empty())
            m_logger.info("authentication failed", {{"error", credentials.error()}});
        co_return refuse(std::move(credentials).error());
    }
    const auto& user = credentials->user;
    const auto users = m_users.current();
    if (m_verified.contains(user, credentials->password, users.generation))
        co_return user;

    const auto entry = users.users->find(user);
    const bool known = entry != users.users->end();
    // An unknown name is checked against another user's hash, so that it costs as much as
    // a wrong password and response times do not tell which names exist.
    const std::string hash = known                  ? entry->second
                             : users.users->empty() ? std::string()
                                                    : users.users->begin()->second;
    bool matches = false;
    if (!hash.empty()) {
        const auto check = [password = credentials->password, hash]() -> asio::awaitable<bool> {
            co_return verify(password, hash);
        };
        matches = co_await asio::co_spawn(*m_pool, check, asio::use_awaitable);
    }
    if (!known || !matches) {
        m_logger.warn("authentication failed", {{"user", user}, {"error", "invalid user name or password"}});
        co_return refuse("invalid user name or password");
    }
    m_verified.add(user, credentials->password, users.generation);
    co_return user;
}

} // namespace berth::http
