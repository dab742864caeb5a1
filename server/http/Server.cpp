// All of berthd's Beast and Asio code lives in this file: it is the slow one to compile.

#include "http/Server.h"

#include "support/Random.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/intrusive/list.hpp>

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <list>
#include <cerrno>
#include <thread>

namespace berth::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace intrusive = boost::intrusive;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t headerLimit = 64 * 1024;
constexpr std::size_t bodyChunkSize = 1 << 20;
// Body reads in a row taken straight from the socket before the event loop gets a turn.
constexpr unsigned readsPerTurn = 16;
// The most one sendfile(2) call sends. A client that keeps up (on loopback, a fast LAN)
// never fills the socket buffer, and one call for a whole blob would hold the event loop
// until its last byte: nginx's sendfile_max_chunk, for the same reason.
constexpr std::uint64_t sendfilePiece = 2 << 20;
// After refusing a request whose body was not read, keep reading (and discarding) this
// long so the client sees the answer instead of a connection reset.
constexpr auto lingerTime = std::chrono::seconds(2);
constexpr std::uint64_t lingerBytes = 64 << 20;

auto withError(boost::system::error_code& error) { return asio::redirect_error(asio::use_awaitable, error); }

bool isTimeout(const boost::system::error_code& error) { return error == beast::error::timeout; }

// What one sendfile(2) call did: the bytes sent, or the errno of its failure.
struct SendResult
{
    ssize_t sent = 0;
    int error = 0;
};

// Whether sending `length` bytes of `fd` from `offset` would find them in the page cache,
// judged by the first and the last: RWF_NOWAIT reads only what needs no disk. A file system
// that cannot tell counts as cached (sendfile then reads it where it is called, as before).
bool inPageCache(int fd, std::uint64_t offset, std::size_t length)
{
    std::byte probe;
    iovec vector{&probe, 1};
    for (const auto at : {offset, offset + length - 1}) {
        if (::preadv2(fd, &vector, 1, static_cast<off_t>(at), RWF_NOWAIT) < 0 && errno == EAGAIN)
            return false;
    }
    return true;
}

std::string processPrefix()
{
    // A prefix that is not random only makes request ids less unique across restarts.
    std::array<unsigned char, 4> bytes{};
    fillRandom(bytes);
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned char byte : bytes) {
        text.push_back(hex[byte >> 4]);
        text.push_back(hex[byte & 0x0f]);
    }
    return text;
}

} // namespace

// A connection as the event loop serving it knows it.
class LoopMember : public intrusive::list_base_hook<intrusive::link_mode<intrusive::auto_unlink>>
{
public:
    // Ends the connection if it waits for a request. On the loop's thread.
    virtual void closeIfIdle() = 0;

protected:
    ~LoopMember() = default;
};

// An io_context run by a single thread. The connections on it need no strand and their
// completions no hand-off between threads; and while its thread is busy, packets that
// arrive for its sockets wake nobody.
struct EventLoop
{
    explicit EventLoop(bool forWrites) : servesWrites(forWrites) {}

    const bool servesWrites;
    // Before the context: connections it still holds when destroyed count themselves out.
    std::atomic<std::size_t> connections{0};
    // Its connections, for a graceful shutdown; used on the loop's own thread only.
    intrusive::list<LoopMember, intrusive::constant_time_size<false>> members;
    asio::io_context context{1};
    std::list<tcp::acceptor> acceptors; // a list: acceptors must not move while accepting
    // Runs until stopped, even with no connection or acceptor.
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(context);
    std::thread thread;
};

// What every connection shares: options, the API, the logger, and the bookkeeping a
// graceful shutdown needs.
struct ServerState
{
    ServerState(ServerOptions serverOptions, Logger& log) : options(std::move(serverOptions)), logger(log) {}

    const ServerOptions options;
    Logger& logger;
    const std::string requestIdPrefix = processPrefix();
    std::atomic<std::uint64_t> nextRequest{1};
    std::atomic<bool> draining{false};
    std::atomic<std::size_t> connectionCount{0};

    // Where requests that may block on storage for long (uploads, deletes) are served.
    std::vector<EventLoop*> writeLoops;
    // Where a blob's bytes that are not in the page cache are sent from, so that a read
    // loop never waits for the disk.
    asio::thread_pool diskReads{2};

    EventLoop& leastBusyWriteLoop()
    {
        return **std::min_element(
            writeLoops.begin(), writeLoops.end(),
            [](const auto* one, const auto* other) { return one->connections < other->connections; });
    }

    std::string newRequestId() { return requestIdPrefix + "-" + std::to_string(nextRequest++); }
};

namespace {

template <class Stream>
class Connection;

// One request on a connection and its response: the Exchange that handlers see.
template <class Stream>
class BeastExchange final : public Exchange
{
public:
    BeastExchange(Connection<Stream>& connection, bhttp::request_parser<bhttp::empty_body>& parser)
        : m_connection(connection), m_headerParser(parser), m_request(&parser.get()),
          m_chunked(parser.chunked()), m_declaredLength(parser.content_length().value_or(0)),
          m_clientKeepAlive(parser.get().keep_alive()), m_bodyConsumed(parser.is_done())
    {
    }

    std::string_view method() const override { return m_request->method_string(); }
    std::string_view target() const override { return m_request->target(); }

    std::string header(std::string_view name) const override
    {
        std::string merged;
        const auto [first, last] = m_request->equal_range(name);
        for (auto field = first; field != last; ++field) {
            if (!merged.empty())
                merged += ", ";
            merged += field->value();
        }
        return merged;
    }

    std::optional<std::uint64_t> contentLength() const override
    {
        if (m_chunked)
            return std::nullopt;
        return m_declaredLength;
    }

    asio::awaitable<oci::Result<std::uint64_t>> readBody(const BodySink& sink, std::uint64_t limit) override;
    asio::awaitable<void> respond(Response&& response) override;
    asio::awaitable<void> respondWithFile(Response&& response, storage::FileReader& reader,
                                          std::uint64_t length) override;
    void setRepository(std::string_view repository) override { m_repository = repository; }
    void setUser(std::string_view user) override { m_user = user; }

    bool keepAlive() const { return m_clientKeepAlive && m_bodyConsumed && !m_broken; }
    bool bodyConsumed() const { return m_bodyConsumed; }
    bool broken() const { return m_broken; }
    unsigned status() const { return m_status; }
    std::uint64_t bytesSent() const { return m_bytesSent; }
    const std::string& repository() const { return m_repository; }
    const std::string& user() const { return m_user; }

private:
    // The status line and header fields, formatted straight into one string: Beast's
    // fields container and serializer cost more than the rest of a small response.
    std::string responseHead(const Response& response, std::optional<std::uint64_t> contentLength) const;
    asio::awaitable<oci::Result<std::uint64_t>> readSizedBody(const BodySink& sink, std::uint64_t length);
    asio::awaitable<oci::Result<std::uint64_t>> readChunkedBody(const BodySink& sink, std::uint64_t limit);
    // Reads what the socket has, waiting (within the idle timeout) only when it has
    // nothing; 0 when the client is gone.
    asio::awaitable<std::size_t> receiveSome(std::span<std::byte> buffer);
    // The socket's descriptor, or -1 for a stream that has none.
    int nativeSocket();
    asio::awaitable<void> sendFileDescriptor(int fd, std::uint64_t length);
    asio::awaitable<void> copyFile(storage::FileReader& reader, std::uint64_t length);
    oci::Error clientGone()
    {
        m_broken = true;
        return {oci::ErrorCode::BlobUploadInvalid, "the client stopped sending the request body",
                "connection closed or timed out before the body was complete"};
    }

    Connection<Stream>& m_connection;
    bhttp::request_parser<bhttp::empty_body>& m_headerParser;
    // A chunked body needs a parser of its own, which takes the header over from
    // m_headerParser; it lives here so the request head stays readable afterwards.
    std::optional<bhttp::request_parser<bhttp::buffer_body>> m_bodyParser;
    const bhttp::request_header<>* m_request;
    const bool m_chunked;
    const std::uint64_t m_declaredLength;
    const bool m_clientKeepAlive;
    bool m_bodyConsumed;
    bool m_broken = false;
    bool m_continueSent = false;
    unsigned m_status = 0;
    unsigned m_readsInTurn = 0;
    std::uint64_t m_bytesSent = 0;
    std::string m_repository;
    std::string m_user; // who the request authenticated as, if anyone
};

template <class Stream>
class Connection final : public LoopMember
{
public:
    // `loop`: the event loop whose context `stream` belongs to.
    Connection(Stream stream, const tcp::endpoint& peer, ServerState& state, RequestHandler& handler,
               EventLoop& loop)
        : m_stream(std::move(stream)), m_state(state), m_handler(handler), m_peer(peer), m_loop(loop)
    {
        ++m_state.connectionCount;
        ++m_loop.connections;
    }
    ~Connection()
    {
        --m_state.connectionCount;
        --m_loop.connections;
    }

    void closeIfIdle() override
    {
        if (m_idle)
            beast::get_lowest_layer(m_stream).cancel();
    }

    static asio::awaitable<void> serve(std::unique_ptr<Connection> self);

    Stream& stream() { return m_stream; }
    beast::flat_buffer& buffer() { return m_buffer; }
    ServerState& state() { return m_state; }
    std::span<std::byte> chunk()
    {
        if (m_chunk.empty())
            m_chunk.resize(bodyChunkSize);
        return m_chunk;
    }

private:
    bool startsReadOnlyRequest() const;
    void moveToWriteLoop();
    const std::string& remote();
    asio::awaitable<bool> awaitRequest();
    asio::awaitable<void> refuseMalformed(const boost::system::error_code& error);
    asio::awaitable<void> lingeringClose();
    void logRequest(const BeastExchange<Stream>& exchange, std::chrono::steady_clock::time_point started,
                    const std::string& requestId);

    Stream m_stream;
    ServerState& m_state;
    RequestHandler& m_handler;
    beast::flat_buffer m_buffer;
    std::vector<std::byte> m_chunk;
    const tcp::endpoint m_peer;
    std::string m_remote; // m_peer as text, made when first logged
    EventLoop& m_loop;
    bool m_idle = true;
};

template <class Stream>
std::string BeastExchange<Stream>::responseHead(const Response& response,
                                                std::optional<std::uint64_t> contentLength) const
{
    std::string head;
    head.reserve(512);
    const auto add = [&head](std::string_view name, std::string_view value) {
        head.append(name).append(": ").append(value).append("\r\n");
    };
    // Fields written below from the response itself win over headers of the same name.
    const auto replaced = [&response, &contentLength](std::string_view name) {
        return (!response.contentType.empty() && beast::iequals(name, "Content-Type")) ||
               (contentLength && beast::iequals(name, "Content-Length"));
    };
    head.append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
    head.append(bhttp::obsolete_reason(static_cast<bhttp::status>(response.status))).append("\r\n");
    add("Server", "berthd");
    add("Docker-Distribution-API-Version", "registry/2.0");
    for (const auto& [name, value] : m_connection.state().options.extraHeaders) {
        if (!replaced(name))
            add(name, value);
    }
    for (const auto& [name, value] : response.headers) {
        if (!replaced(name))
            add(name, value);
    }
    if (!response.contentType.empty())
        add("Content-Type", response.contentType);
    if (contentLength)
        add("Content-Length", std::to_string(*contentLength));
    if (!keepAlive() || m_connection.state().draining)
        add("Connection", "close");
    else if (m_request->version() < 11) // an HTTP/1.0 client closes unless told otherwise
        add("Connection", "keep-alive");
    return head.append("\r\n");
}

template <class Stream>
asio::awaitable<void> BeastExchange<Stream>::respond(Response&& response)
{
    std::optional<std::uint64_t> contentLength;
    if (response.status != 204 && response.status >= 200)
        contentLength = response.contentLength.value_or(response.body.size());
    const auto head = responseHead(response, contentLength);
    // A HEAD answer announces the length of the body a GET would carry, but never sends it.
    const auto body =
        m_request->method() == bhttp::verb::head ? asio::const_buffer() : asio::buffer(response.body);
    const std::array buffers{asio::buffer(head), body};
    m_status = response.status;

    auto& stream = m_connection.stream();
    beast::get_lowest_layer(stream).expires_after(m_connection.state().options.idleTimeout);
    boost::system::error_code error;
    m_bytesSent += co_await asio::async_write(stream, buffers, withError(error));
    if (error)
        m_broken = true;
}

template <class Stream>
asio::awaitable<void> BeastExchange<Stream>::respondWithFile(Response&& response, storage::FileReader& reader,
                                                             std::uint64_t length)
{
    const auto head = responseHead(response, length);
    m_status = response.status;

    auto& stream = m_connection.stream();
    beast::get_lowest_layer(stream).expires_after(m_connection.state().options.idleTimeout);
    boost::system::error_code error;
    const auto headBuffer = asio::buffer(head);
    m_bytesSent += co_await asio::async_write(stream, headBuffer, withError(error));
    if (error) {
        m_broken = true;
        co_return;
    }
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        if (reader.nativeHandle() >= 0) {
            co_await sendFileDescriptor(reader.nativeHandle(), length);
            co_return;
        }
    }
    co_await copyFile(reader, length);
}

template <class Stream>
asio::awaitable<void> BeastExchange<Stream>::sendFileDescriptor(int fd, std::uint64_t length)
{
    // sendfile(2) moves the bytes in the kernel: no copies through user space.
    auto& socket = m_connection.stream().socket();
    socket.non_blocking(true);
    auto position = static_cast<std::uint64_t>(std::max<off_t>(::lseek(fd, 0, SEEK_CUR), 0));
    std::uint64_t remaining = length;
    while (remaining > 0) {
        const auto piece = static_cast<std::size_t>(std::min(remaining, sendfilePiece));
        const auto send = [&socket, fd, piece] {
            const auto sent = ::sendfile(socket.native_handle(), fd, nullptr, piece);
            return SendResult{sent, sent < 0 ? errno : 0}; // errno is the calling thread's
        };
        SendResult result;
        if (inPageCache(fd, position, piece)) {
            result = send();
        } else {
            // The disk is read on a thread of the pool while the loop goes on.
            auto& pool = m_connection.state().diskReads;
            const auto sendThere = [&send]() -> asio::awaitable<SendResult> { co_return send(); };
            result = co_await asio::co_spawn(pool, sendThere, asio::use_awaitable);
        }
        if (result.sent > 0) {
            remaining -= static_cast<std::uint64_t>(result.sent);
            position += static_cast<std::uint64_t>(result.sent);
            m_bytesSent += static_cast<std::uint64_t>(result.sent);
            // The other connections on this loop get their turn between pieces.
            co_await asio::post(socket.get_executor(), asio::use_awaitable);
            continue;
        }
        if (result.error == EINTR)
            continue;
        if (result.error == EAGAIN || result.error == EWOULDBLOCK) {
            asio::steady_timer timer(socket.get_executor(), m_connection.state().options.idleTimeout);
            auto woke = co_await (socket.async_wait(tcp::socket::wait_write, asio::as_tuple(asio::use_awaitable)) ||
                                  timer.async_wait(asio::as_tuple(asio::use_awaitable)));
            if (woke.index() == 0 && !std::get<0>(std::get<0>(woke)))
                continue;
        }
        // A peer that went away, a stall past the timeout, or a file shorter than promised.
        m_broken = true;
        co_return;
    }
}

template <class Stream>
asio::awaitable<void> BeastExchange<Stream>::copyFile(storage::FileReader& reader, std::uint64_t length)
{
    auto buffer = m_connection.chunk();
    std::uint64_t remaining = length;
    auto& stream = m_connection.stream();
    while (remaining > 0) {
        auto count = reader.read(buffer.first(static_cast<std::size_t>(std::min<std::uint64_t>(remaining, buffer.size()))));
        if (!count || *count == 0) {
            m_broken = true;
            co_return;
        }
        beast::get_lowest_layer(stream).expires_after(m_connection.state().options.idleTimeout);
        boost::system::error_code error;
        co_await asio::async_write(stream, asio::buffer(buffer.data(), *count), withError(error));
        if (error) {
            m_broken = true;
            co_return;
        }
        remaining -= *count;
        m_bytesSent += *count;
    }
}

template <class Stream>
asio::awaitable<oci::Result<std::uint64_t>> BeastExchange<Stream>::readBody(const BodySink& sink, std::uint64_t limit)
{
    if (m_bodyConsumed)
        co_return std::uint64_t{0};
    if (m_broken)
        co_return unexpected(clientGone());
    auto& stream = m_connection.stream();
    if (!m_continueSent && beast::iequals(header("Expect"), "100-continue")) {
        m_continueSent = true;
        static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
        beast::get_lowest_layer(stream).expires_after(m_connection.state().options.idleTimeout);
        boost::system::error_code error;
        co_await asio::async_write(stream, asio::buffer(interim.data(), interim.size()), withError(error));
        if (error)
            co_return unexpected(clientGone());
    }
    if (m_chunked)
        co_return co_await readChunkedBody(sink, limit);
    const auto length = m_declaredLength;
    if (length > limit)
        co_return oci::fail(oci::ErrorCode::PayloadTooLarge, "request body too large",
                            "at most " + std::to_string(limit) + " bytes are accepted here");
    co_return co_await readSizedBody(sink, length);
}

template <class Stream>
asio::awaitable<oci::Result<std::uint64_t>> BeastExchange<Stream>::readSizedBody(const BodySink& sink,
                                                                                std::uint64_t length)
{
    // With a known length the body goes from the socket straight into one large buffer and
    // on to the sink: no parser in between, no small copies.
    auto& buffer = m_connection.buffer();
    std::uint64_t remaining = length;
    const auto buffered = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), remaining));
    if (buffered > 0) {
        auto data = buffer.data();
        auto accepted = sink(std::span(static_cast<const std::byte*>(data.data()), buffered));
        buffer.consume(buffered);
        remaining -= buffered;
        if (!accepted) {
            m_broken = true;
            co_return unexpected(std::move(accepted).error());
        }
    }
    auto chunk = m_connection.chunk();
    while (remaining > 0) {
        const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, chunk.size()));
        const auto count = co_await receiveSome(chunk.first(wanted));
        if (count == 0)
            co_return unexpected(clientGone());
        remaining -= count;
        auto accepted = sink(chunk.first(count));
        if (!accepted) {
            m_broken = true; // the rest of the body is still on the wire
            co_return unexpected(std::move(accepted).error());
        }
    }
    m_bodyConsumed = true;
    co_return length;
}

template <class Stream>
int BeastExchange<Stream>::nativeSocket()
{
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>)
        return m_connection.stream().socket().native_handle();
    return -1;
}

template <class Stream>
asio::awaitable<std::size_t> BeastExchange<Stream>::receiveSome(std::span<std::byte> buffer)
{
    // Every so many reads go through the event loop all the same, so that the other
    // connections on it get their turn during a long body.
    if (const int socket = nativeSocket(); socket >= 0 && ++m_readsInTurn < readsPerTurn) {
        // Bytes already in the socket are taken at once: a large body then flows through
        // one thread, without a trip through the scheduler (and a wake-up) for every read.
        const auto received = ::recv(socket, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (received > 0)
            co_return static_cast<std::size_t>(received);
        if (received == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            co_return 0;
    }
    m_readsInTurn = 0;
    auto& stream = m_connection.stream();
    beast::get_lowest_layer(stream).expires_after(m_connection.state().options.idleTimeout);
    boost::system::error_code error;
    const auto count =
        co_await stream.async_read_some(asio::buffer(buffer.data(), buffer.size()), withError(error));
    co_return error ? 0 : count;
}

template <class Stream>
asio::awaitable<oci::Result<std::uint64_t>> BeastExchange<Stream>::readChunkedBody(const BodySink& sink,
                                                                                  std::uint64_t limit)
{
    auto& parser = m_bodyParser.emplace(std::move(m_headerParser));
    m_request = &parser.get();
    parser.body_limit(limit == std::numeric_limits<std::uint64_t>::max() ? boost::optional<std::uint64_t>{}
                                                                          : boost::optional<std::uint64_t>{limit});
    auto chunk = m_connection.chunk();
    auto& stream = m_connection.stream();
    std::uint64_t total = 0;
    while (!parser.is_done()) {
        auto& body = parser.get().body();
        body.data = chunk.data();
        body.size = chunk.size();
        beast::get_lowest_layer(stream).expires_after(m_connection.state().options.idleTimeout);
        boost::system::error_code error;
        co_await bhttp::async_read(stream, m_connection.buffer(), parser, withError(error));
        const auto count = chunk.size() - body.size;
        if (error && error != bhttp::error::need_buffer) {
            m_broken = true;
            if (error == bhttp::error::body_limit)
                co_return oci::fail(oci::ErrorCode::PayloadTooLarge, "request body too large",
                                    "at most " + std::to_string(limit) + " bytes are accepted here");
            if (isTimeout(error) || error == bhttp::error::end_of_stream || error == asio::error::eof ||
                error == bhttp::error::partial_message)
                co_return unexpected(clientGone());
            co_return oci::fail(oci::ErrorCode::BlobUploadInvalid, "malformed chunked request body", error.message());
        }
        total += count;
        if (count > 0) {
            auto accepted = sink(chunk.first(count));
            if (!accepted) {
                m_broken = true;
                co_return unexpected(std::move(accepted).error());
            }
        }
    }
    m_bodyConsumed = true;
    co_return total;
}

template <class Stream>
bool Connection<Stream>::startsReadOnlyRequest() const
{
    const std::string_view start(static_cast<const char*>(m_buffer.data().data()), m_buffer.size());
    return start.starts_with("GET ") || start.starts_with("HEAD ");
}

template <class Stream>
void Connection<Stream>::moveToWriteLoop()
{
    // The socket leaves this loop's reactor for the least busy write loop's; the bytes
    // read so far go with it.
    auto socket = m_stream.release_socket();
    boost::system::error_code error;
    const auto local = socket.local_endpoint(error);
    if (error)
        return; // the client is gone already
    auto& loop = m_state.leastBusyWriteLoop();
    tcp::socket moved(loop.context, local.protocol(), socket.release());
    auto connection =
        std::make_unique<Connection>(Stream(std::move(moved)), m_peer, m_state, m_handler, loop);
    connection->m_buffer = std::move(m_buffer);
    asio::co_spawn(loop.context, serve(std::move(connection)), asio::detached);
}

template <class Stream>
const std::string& Connection<Stream>::remote()
{
    if (m_remote.empty())
        m_remote = m_peer.address().to_string() + ":" + std::to_string(m_peer.port());
    return m_remote;
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::awaitRequest()
{
    // Waiting for a request's first byte falls under the idle timeout; once it has begun,
    // the whole header must arrive within the (shorter) header timeout.
    if (m_buffer.size() > 0) { // pipelined, or handed over from an event loop
        m_idle = false;
        co_return true;
    }
    m_idle = true;
    if (m_state.draining)
        co_return false;
    beast::get_lowest_layer(m_stream).expires_after(m_state.options.idleTimeout);
    boost::system::error_code error;
    const auto count = co_await m_stream.async_read_some(m_buffer.prepare(4096), withError(error));
    m_idle = false;
    if (error)
        co_return false;
    m_buffer.commit(count);
    co_return true;
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::refuseMalformed(const boost::system::error_code& error)
{
    const bool tooLarge = error == bhttp::error::header_limit;
    const auto status = tooLarge ? bhttp::status::request_header_fields_too_large : bhttp::status::bad_request;
    bhttp::response<bhttp::string_body> message{status, 11};
    message.set(bhttp::field::server, "berthd");
    message.set(bhttp::field::content_type, "text/plain");
    message.body() = tooLarge ? "request headers too large\n" : "malformed HTTP request\n";
    message.keep_alive(false);
    message.prepare_payload();
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(2));
    boost::system::error_code writeError;
    co_await bhttp::async_write(m_stream, message, withError(writeError));
    m_state.logger.warn(
        "malformed request refused",
        {{"status", static_cast<int>(status)}, {"error", error.message()}, {"remote", remote()}});
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::lingeringClose()
{
    auto& socket = beast::get_lowest_layer(m_stream).socket();
    boost::system::error_code error;
    socket.shutdown(tcp::socket::shutdown_send, error);
    const auto deadline = std::chrono::steady_clock::now() + lingerTime;
    std::uint64_t discarded = 0;
    auto chunk = this->chunk();
    while (!error && discarded < lingerBytes && std::chrono::steady_clock::now() < deadline) {
        beast::get_lowest_layer(m_stream).expires_at(deadline);
        discarded += co_await m_stream.async_read_some(asio::buffer(chunk.data(), chunk.size()), withError(error));
    }
}

template <class Stream>
void Connection<Stream>::logRequest(const BeastExchange<Stream>& exchange, std::chrono::steady_clock::time_point started,
                                    const std::string& requestId)
{
    if (!m_state.options.accessLog)
        return;
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    const auto level = exchange.status() >= 500 ? LogLevel::Error : LogLevel::Info;
    const std::array fields{LogField{"request_id", requestId},
                            LogField{"method", exchange.method()},
                            LogField{"path", exchange.target()},
                            LogField{"status", exchange.status()},
                            LogField{"bytes", exchange.bytesSent()},
                            LogField{"duration_ms", elapsed.count()},
                            LogField{"repository", exchange.repository()},
                            LogField{"remote", remote()},
                            LogField{"user", exchange.user()}};
    // The user only for a request that authenticated.
    const auto count = exchange.user().empty() ? fields.size() - 1 : fields.size();
    m_state.logger.log(level, "request", std::span(fields).first(count));
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::serve(std::unique_ptr<Connection> self)
{
    try {
        self->m_loop.members.push_back(*self);
        auto& state = self->m_state;
        while (co_await self->awaitRequest()) {
            // Anything but GET and HEAD may write and fsync: on a write loop, a long commit
            // holds up other writes on that loop at most, never the reads.
            if (!self->m_loop.servesWrites && !self->startsReadOnlyRequest()) {
                self->moveToWriteLoop();
                co_return;
            }
            const auto started = std::chrono::steady_clock::now();
            bhttp::request_parser<bhttp::empty_body> parser;
            parser.header_limit(headerLimit);
            parser.body_limit(boost::none); // bodies stream; each endpoint sets its own limit
            beast::get_lowest_layer(self->m_stream).expires_after(state.options.headerTimeout);
            boost::system::error_code error;
            co_await bhttp::async_read_header(self->m_stream, self->m_buffer, parser, withError(error));
            if (error) {
                if (!isTimeout(error) && error != bhttp::error::end_of_stream && error != asio::error::eof &&
                    error != asio::error::connection_reset)
                    co_await self->refuseMalformed(error);
                break;
            }
            const auto requestId = state.newRequestId();
            BeastExchange<Stream> exchange(*self, parser);
            co_await self->m_handler.handle(exchange);
            self->logRequest(exchange, started, requestId);
            if (!exchange.bodyConsumed()) {
                co_await self->lingeringClose();
                break;
            }
            if (!exchange.keepAlive() || state.draining)
                break;
        }
        boost::system::error_code ignored;
        beast::get_lowest_layer(self->m_stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    } catch (const std::exception& failure) {
        self->m_state.logger.error("connection failed",
                                   {{"error", failure.what()}, {"remote", self->remote()}});
    }
}

} // namespace

class Server::Impl
{
public:
    Impl(ServerOptions options, Logger& logger)
        : m_state(std::move(options), logger), m_signals(m_maintenance, SIGINT, SIGTERM)
    {
    }
    ~Impl();

    Expected<std::uint16_t, std::string> listen(const std::string& address, std::uint16_t port,
                                                RequestHandler& handler);
    void run(unsigned readLoops, unsigned writeLoops);
    void stopWhenStdinCloses();
    void every(std::chrono::milliseconds interval, std::function<void()> task);

private:
    struct Listener
    {
        int socket; // bound and listening; each event loop accepts on a duplicate of it
        tcp protocol;
        RequestHandler& handler;
    };

    void startReadLoop(EventLoop& loop);
    void closeListeningSockets();
    asio::awaitable<void> acceptConnections(EventLoop& loop, tcp::acceptor& acceptor,
                                            RequestHandler& handler);
    asio::awaitable<void> watchStdin();
    void beginShutdown(std::string_view reason);
    asio::awaitable<void> drain();

    // Declared first, destroyed last: connections still in the contexts refer to it.
    ServerState m_state;
    // Signals and maintenance tasks.
    asio::io_context m_maintenance;
    std::vector<std::unique_ptr<EventLoop>> m_readLoops;
    std::vector<std::unique_ptr<EventLoop>> m_writeLoops;
    std::vector<Listener> m_listeners;
    asio::signal_set m_signals;
    bool m_watchStdin = false;
};

Server::Impl::~Impl()
{
    closeListeningSockets();
}

void Server::Impl::closeListeningSockets()
{
    for (auto& listener : m_listeners) {
        if (listener.socket >= 0)
            ::close(std::exchange(listener.socket, -1));
    }
}

Expected<std::uint16_t, std::string> Server::Impl::listen(const std::string& host, std::uint16_t port,
                                                          RequestHandler& handler)
{
    const auto where = host + ":" + std::to_string(port);
    boost::system::error_code error;
    const auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, error);
    if (error)
        return unexpected("cannot listen on " + where + ": not an IP address");
    const tcp::endpoint endpoint(address, port);
    tcp::acceptor acceptor(m_maintenance);
    acceptor.open(endpoint.protocol(), error);
    if (!error)
        acceptor.set_option(tcp::acceptor::reuse_address(true), error);
    // Accepted sockets inherit it on Linux: one system call less for every connection.
    if (!error)
        acceptor.set_option(tcp::no_delay(true), error);
    if (!error)
        acceptor.bind(endpoint, error);
    if (!error)
        acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
        if (error == asio::error::address_in_use)
            return unexpected("cannot listen on " + where + ": the port is already in use");
        return unexpected("cannot listen on " + where + ": " + error.message());
    }
    const auto bound = acceptor.local_endpoint().port();
    m_listeners.push_back(Listener{acceptor.release(), endpoint.protocol(), handler});
    return bound;
}

asio::awaitable<void> Server::Impl::acceptConnections(EventLoop& loop, tcp::acceptor& acceptor,
                                                      RequestHandler& handler)
{
    while (acceptor.is_open()) {
        tcp::endpoint peer; // from accept itself: no getpeername for the access log
        auto [error, socket] = co_await acceptor.async_accept(peer, asio::as_tuple(asio::use_awaitable));
        if (error) {
            if (error == asio::error::operation_aborted || !acceptor.is_open())
                break;
            m_state.logger.warn("accept failed", {{"error", error.message()}});
            if (error == asio::error::no_descriptors) { // out of file descriptors: give them time to free up
                asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
                co_await pause.async_wait(asio::use_awaitable);
            }
            continue;
        }
        if (m_state.connectionCount >= m_state.options.maxConnections) {
            m_state.logger.warn("connection refused: too many connections",
                                {{"limit", m_state.options.maxConnections}});
            continue; // the socket closes as it goes out of scope
        }
        auto connection = std::make_unique<Connection<beast::tcp_stream>>(
            beast::tcp_stream(std::move(socket)), peer, m_state, handler, loop);
        asio::co_spawn(loop.context, Connection<beast::tcp_stream>::serve(std::move(connection)),
                       asio::detached);
    }
}

asio::awaitable<void> Server::Impl::watchStdin()
{
    asio::posix::stream_descriptor input(m_maintenance, ::dup(STDIN_FILENO));
    char sink[256];
    for (;;) {
        auto [error, count] =
            co_await input.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
        if (error)
            break;
    }
    beginShutdown("standard input closed");
}

void Server::Impl::beginShutdown(std::string_view reason)
{
    if (m_state.draining.exchange(true))
        return;
    m_state.logger.info("shutting down",
                        {{"reason", reason}, {"connections", m_state.connectionCount.load()}});
    boost::system::error_code ignored;
    for (auto* loops : {&m_readLoops, &m_writeLoops}) {
        for (auto& loop : *loops) {
            asio::post(loop->context, [&loop = *loop] {
                boost::system::error_code closeError;
                for (auto& acceptor : loop.acceptors)
                    acceptor.close(closeError);
                // Busy connections see `draining` once their request is answered.
                for (auto& member : loop.members)
                    member.closeIfIdle();
            });
        }
    }
    m_signals.cancel(ignored);
    asio::co_spawn(m_maintenance, drain(), asio::detached);
}

asio::awaitable<void> Server::Impl::drain()
{
    const auto deadline = std::chrono::steady_clock::now() + m_state.options.drainTimeout;
    asio::steady_timer timer(m_maintenance);
    while (m_state.connectionCount > 0 && std::chrono::steady_clock::now() < deadline) {
        timer.expires_after(std::chrono::milliseconds(20));
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (m_state.connectionCount > 0)
        m_state.logger.warn("drain timeout: closing remaining connections",
                            {{"connections", m_state.connectionCount.load()}});
    for (auto& loop : m_readLoops)
        loop->context.stop();
    for (auto& loop : m_writeLoops)
        loop->context.stop();
    m_maintenance.stop();
}

void Server::Impl::startReadLoop(EventLoop& loop)
{
    for (const auto& listener : m_listeners) {
        auto& acceptor = loop.acceptors.emplace_back(loop.context, listener.protocol, ::dup(listener.socket));
        asio::co_spawn(loop.context, acceptConnections(loop, acceptor, listener.handler), asio::detached);
    }
}

void Server::Impl::run(unsigned readLoops, unsigned writeLoops)
{
    m_signals.async_wait([this](const boost::system::error_code& error, int signal) {
        if (!error)
            beginShutdown(signal == SIGTERM ? "SIGTERM" : "SIGINT");
    });
    if (m_watchStdin)
        asio::co_spawn(m_maintenance, watchStdin(), asio::detached);
    for (unsigned i = 0; i < std::max(1u, readLoops); ++i)
        startReadLoop(*m_readLoops.emplace_back(std::make_unique<EventLoop>(false)));
    // The read loops hold duplicates: once they close theirs, the port stops accepting.
    closeListeningSockets();
    for (unsigned i = 0; i < std::max(1u, writeLoops); ++i)
        m_state.writeLoops.push_back(m_writeLoops.emplace_back(std::make_unique<EventLoop>(true)).get());
    for (auto* loops : {&m_readLoops, &m_writeLoops}) {
        for (auto& loop : *loops)
            loop->thread = std::thread([&context = loop->context] { context.run(); });
    }

    // A second thread, so that a long maintenance task never delays a signal.
    std::thread maintenance([this] { m_maintenance.run(); });
    m_maintenance.run();
    maintenance.join();
    for (auto* loops : {&m_readLoops, &m_writeLoops}) {
        for (auto& loop : *loops)
            loop->thread.join();
    }
    // A send still running there refers to a connection the loops' contexts hold.
    m_state.diskReads.join();
    m_state.logger.info("stopped");
}

void Server::Impl::stopWhenStdinCloses()
{
    m_watchStdin = true;
}

void Server::Impl::every(std::chrono::milliseconds interval, std::function<void()> task)
{
    auto repeat = [](Impl& self, std::chrono::milliseconds period,
                     std::function<void()> work) -> asio::awaitable<void> {
        asio::steady_timer timer(self.m_maintenance);
        while (!self.m_state.draining) {
            work();
            timer.expires_after(period);
            co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
    };
    asio::co_spawn(m_maintenance, repeat(*this, interval, std::move(task)), asio::detached);
}

Server::Server(ServerOptions options, Logger& logger)
    : m_impl(std::make_unique<Impl>(std::move(options), logger))
{
}

Server::~Server() = default;

Expected<std::uint16_t, std::string> Server::listen(const std::string& address, std::uint16_t port,
                                                    RequestHandler& handler)
{
    return m_impl->listen(address, port, handler);
}
void Server::run(unsigned readLoops, unsigned writeLoops)
{
    m_impl->run(readLoops, writeLoops);
}
void Server::stopWhenStdinCloses()
{
    m_impl->stopWhenStdinCloses();
}
void Server::every(std::chrono::milliseconds interval, std::function<void()> task)
{
    m_impl->every(interval, std::move(task));
}

} // namespace berth::http
