#pragma once
// The user name and password of an "Authorization: Basic <base64(user:password)>" header
// (RFC 7617), read strictly: anything else is refused with what was wrong, and the
// message never repeats the password.

#include "support/Expected.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace berth::http {

struct BasicCredentials
{
    std::string user;
    std::string password;
};

// Longer headers are refused unread; bcrypt reads only the first 72 bytes of a password.
inline constexpr std::size_t maxBasicAuthorizationSize = 4096;

Expected<BasicCredentials, std::string> parseBasicAuthorization(std::string_view header);

} // namespace berth::http
