#pragma once
// What a handler answers, independent of the HTTP library, and the one table that maps
// the registry's error codes to HTTP statuses and the spec's JSON error body.

#include "oci/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::http {

struct Response
{
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string contentType; // empty: no Content-Type
    std::string body;
    // For HEAD and for file bodies sent separately: the Content-Length to announce.
    std::optional<std::uint64_t> contentLength;

    // What a handler returns when it has streamed its answer itself (a file body).
    static Response alreadySent()
    {
        Response response;
        response.status = 0;
        return response;
    }
    bool isAlreadySent() const { return status == 0; }

    Response& header(std::string name, std::string value)
    {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

unsigned httpStatus(oci::ErrorCode code);

// {"errors":[{"code":"...","message":"...","detail":"..."}]} with the matching status.
Response errorResponse(const oci::Error& error);

// A small JSON body.
Response jsonResponse(unsigned status, std::string body);

// The endpoint exists but not for this method (405 UNSUPPORTED).
oci::Error methodNotAllowed(std::string_view method);

} // namespace berth::http
