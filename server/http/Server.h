#pragma once
// berthd's HTTP server: accepts connections on one address and serves the registry API
// on them. Beast and Asio stay inside Server.cpp (they compile slowly), so this header
// shows only what main needs.

#include "http/Exchange.h"
#include "support/Expected.h"
#include "support/Logger.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace berth::http {

struct ServerOptions
{
    // A client must finish its request headers this long after their first byte.
    std::chrono::milliseconds headerTimeout{std::chrono::seconds(10)};
    // An idle keep-alive connection, or a body that stops arriving, is closed after this.
    std::chrono::milliseconds idleTimeout{std::chrono::seconds(60)};
    // SIGTERM waits this long for requests in flight before exiting anyway.
    std::chrono::milliseconds drainTimeout{std::chrono::seconds(30)};
    std::size_t maxConnections = 4096;
    // Added to every response (config http.headers).
    std::vector<std::pair<std::string, std::string>> extraHeaders;
    bool accessLog = true;
};

class Server
{
public:
    Server(ServerOptions options, Logger& logger);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds `address`:`port` and serves `handler` there; returns the port bound (useful
    // with port 0), or a message naming the address and the reason. Call before run().
    Expected<std::uint16_t, std::string> listen(const std::string& address, std::uint16_t port,
                                                RequestHandler& handler);
    // Serves until SIGTERM/SIGINT (or stdin closing, when asked), then drains and returns.
    // Connections are accepted by `readLoops` threads, each with an event loop of its own,
    // and served there while they read (GET, HEAD). At a request that may block on storage
    // for long (uploads, deletes), a connection moves to the least busy of `writeLoops`
    // other such threads, so that a long commit never holds up the reads.
    void run(unsigned readLoops, unsigned writeLoops);
    // Runs `task` on the server's maintenance threads now and then every `interval` until shutdown;
    // call before run(). For maintenance such as purging abandoned uploads.
    void every(std::chrono::milliseconds interval, std::function<void()> task);
    // Exit when standard input reaches end of file: the console's pipe closing means the
    // console is gone.
    void stopWhenStdinCloses();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace berth::http
