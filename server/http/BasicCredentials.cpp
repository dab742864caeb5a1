#include "http/BasicCredentials.h"

#include <boost/algorithm/string/predicate.hpp>

#include <array>
#include <optional>

namespace berth::http {

namespace {

constexpr std::string_view usage = "send Authorization: Basic <base64 of user:password>";

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

// RFC 4648 base64 with its padding, nothing left out and nothing extra.
std::optional<std::string> decodeBase64(std::string_view text)
{
    if (text.empty() || text.size() % 4 != 0)
        return std::nullopt;
    const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
    std::string decoded;
    decoded.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        std::array<int, 4> values{};
        for (std::size_t j = 0; j < 4; ++j) {
            const bool padded = last && j >= 4 - padding;
            values[j] = padded ? 0 : base64Value(text[i + j]);
            if (values[j] < 0)
                return std::nullopt;
        }
        const unsigned bits =
            static_cast<unsigned>(values[0] << 18 | values[1] << 12 | values[2] << 6 | values[3]);
        decoded.push_back(static_cast<char>(bits >> 16));
        if (!last || padding < 2)
            decoded.push_back(static_cast<char>(bits >> 8 & 0xff));
        if (!last || padding < 1)
            decoded.push_back(static_cast<char>(bits & 0xff));
    }
    return decoded;
}

} // namespace

Expected<BasicCredentials, std::string> parseBasicAuthorization(std::string_view header)
{
    if (header.empty())
        return unexpected("no credentials; " + std::string(usage));
    if (header.size() > maxBasicAuthorizationSize)
        return unexpected("the Authorization header is longer than " +
                          std::to_string(maxBasicAuthorizationSize) + " bytes");
    constexpr std::string_view scheme = "basic ";
    if (!boost::algorithm::istarts_with(header, scheme))
        return unexpected("not Basic authentication; " + std::string(usage));
    auto token = header.substr(scheme.size());
    while (token.starts_with(' '))
        token.remove_prefix(1);
    const auto decoded = decodeBase64(token);
    if (!decoded)
        return unexpected("the credentials are not valid base64; " + std::string(usage));
    const auto colon = decoded->find(':');
    if (colon == std::string::npos)
        return unexpected("the credentials have no ':' between user name and password");
    if (colon == 0)
        return unexpected("the credentials have an empty user name");
    return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

} // namespace berth::http
