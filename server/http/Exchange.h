#pragma once
// One request and its response, as the API handlers see it. The connection implements it
// over Beast; handlers never touch sockets, so they compile without Beast and read as
// plain registry logic.
//
// The coroutines take references, and callers pass named objects: GCC 12 can destroy a
// temporary that lives across a co_await twice, so none is created there.

#include "http/Response.h"
#include "storage/StorageDriver.h"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace berth::http {

class Exchange
{
public:
    virtual ~Exchange() = default;

    virtual std::string_view method() const = 0;
    virtual std::string_view target() const = 0;
    // Value of a request header; repeated header lines are joined with ", ", as clients
    // send Accept as several lines. Empty when absent.
    virtual std::string header(std::string_view name) const = 0;
    // Declared body length; std::nullopt for a chunked body.
    virtual std::optional<std::uint64_t> contentLength() const = 0;

    using BodySink = std::function<oci::Result<void>(std::span<const std::byte>)>;
    // Streams the request body into `sink` as it arrives, answering "Expect: 100-continue"
    // first. More than `limit` bytes fails with PayloadTooLarge; a client that goes away
    // fails with BlobUploadInvalid. Returns the number of body bytes.
    virtual boost::asio::awaitable<oci::Result<std::uint64_t>> readBody(const BodySink& sink,
                                                                        std::uint64_t limit) = 0;

    virtual boost::asio::awaitable<void> respond(Response&& response) = 0;
    // Sends the response headers, then `length` bytes from `reader` (sendfile where it can).
    virtual boost::asio::awaitable<void> respondWithFile(Response&& response, storage::FileReader& reader,
                                                         std::uint64_t length) = 0;

    // Recorded in the access log line.
    virtual void setRepository(std::string_view repository) = 0;
    virtual void setUser(std::string_view user) = 0;
};

// Answers the requests of one listener: the registry API, or the admin API.
class RequestHandler
{
public:
    virtual ~RequestHandler() = default;
    virtual boost::asio::awaitable<void> handle(Exchange& exchange) = 0;
};

} // namespace berth::http
