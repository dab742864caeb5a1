#pragma once
// HTTP Basic authentication of registry requests against an htpasswd file, decided on the
// Authorization header alone. bcrypt costs tens of milliseconds by design, and an event
// loop that ran it would stall every other connection on that loop: checks run on a small
// thread pool of the authenticator's own while the request's coroutine waits, and a
// success is remembered for a few minutes, so clients that send their credentials with
// every request pay for bcrypt once.

#include "http/HtpasswdFile.h"
#include "http/VerifiedCredentials.h"
#include "oci/Error.h"
#include "support/Logger.h"

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>

namespace boost::asio {
class thread_pool;
}

namespace berth::http {

class BasicAuthenticator
{
public:
    BasicAuthenticator(const std::string& realm, HtpasswdFile& users, Logger& logger);
    ~BasicAuthenticator(); // waits for checks under way
    BasicAuthenticator(const BasicAuthenticator&) = delete;
    BasicAuthenticator& operator=(const BasicAuthenticator&) = delete;

    // The user the Authorization header names and proves, or UNAUTHORIZED saying what was
    // wrong. Resumes on the caller's executor.
    boost::asio::awaitable<oci::Result<std::string>> authenticate(const std::string& authorization);

    // The WWW-Authenticate value of a 401: Basic realm="<realm>".
    const std::string& challenge() const { return m_challenge; }

    // Whether `password` hashes to `hash` under bcrypt (slow on purpose; thread-safe).
    static bool verify(const std::string& password, const std::string& hash);

private:
    Unexpected<oci::Error> refuse(std::string detail);

    const std::string m_challenge;
    HtpasswdFile& m_users;
    Logger& m_logger;
    VerifiedCredentials m_verified;
    std::unique_ptr<boost::asio::thread_pool> m_pool;
};

} // namespace berth::http
