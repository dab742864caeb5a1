#include "http/MeteredHandler.h"

namespace berth::http {

namespace {

// Forwards everything to the connection's Exchange, noting the status and body bytes.
class MeteredExchange final : public Exchange
{
public:
    explicit MeteredExchange(Exchange& exchange) : m_exchange(exchange) {}

    unsigned status() const { return m_status; }
    std::uint64_t requestBytes() const { return m_requestBytes; }
    std::uint64_t responseBytes() const { return m_responseBytes; }

    std::string_view method() const override { return m_exchange.method(); }
    std::string_view target() const override { return m_exchange.target(); }
    std::string header(std::string_view name) const override { return m_exchange.header(name); }
    std::optional<std::uint64_t> contentLength() const override { return m_exchange.contentLength(); }

    boost::asio::awaitable<oci::Result<std::uint64_t>> readBody(const BodySink& sink,
                                                                std::uint64_t limit) override
    {
        auto read = co_await m_exchange.readBody(sink, limit);
        if (read)
            m_requestBytes += *read;
        co_return read;
    }

    boost::asio::awaitable<void> respond(Response&& response) override
    {
        m_status = response.status;
        // A HEAD answer announces its body but never sends it.
        if (method() != "HEAD")
            m_responseBytes += response.body.size();
        co_await m_exchange.respond(std::move(response));
    }

    boost::asio::awaitable<void> respondWithFile(Response&& response, storage::FileReader& reader,
                                                 std::uint64_t length) override
    {
        m_status = response.status;
        m_responseBytes += length;
        co_await m_exchange.respondWithFile(std::move(response), reader, length);
    }

    void setRepository(std::string_view repository) override { m_exchange.setRepository(repository); }
    void setUser(std::string_view user) override { m_exchange.setUser(user); }

private:
    Exchange& m_exchange;
    unsigned m_status = 0;
    std::uint64_t m_requestBytes = 0;
    std::uint64_t m_responseBytes = 0;
};

// Takes a request out of the in-flight gauge however handle() ends.
class InFlight
{
public:
    InFlight(Metrics& metrics, Endpoint endpoint) : m_metrics(metrics), m_endpoint(endpoint)
    {
        m_metrics.started(endpoint);
    }
    ~InFlight()
    {
        if (!m_finished)
            m_metrics.abandoned(m_endpoint);
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

    void finish(const MeteredRequest& request)
    {
        m_finished = true;
        m_metrics.finished(request);
    }

private:
    Metrics& m_metrics;
    Endpoint m_endpoint;
    bool m_finished = false;
};

} // namespace

boost::asio::awaitable<void> MeteredHandler::handle(Exchange& exchange)
{
    const auto started = std::chrono::steady_clock::now();
    const auto endpoint = route(exchange.target()).endpoint;
    MeteredExchange metered(exchange);
    InFlight inFlight(m_metrics, endpoint);
    co_await m_handler.handle(metered);
    if (metered.status() == 0)
        co_return; // nothing was answered: no status to count it under
    MeteredRequest request;
    request.endpoint = endpoint;
    request.method = exchange.method();
    request.status = metered.status();
    request.requestBytes = metered.requestBytes();
    request.responseBytes = metered.responseBytes();
    request.duration = std::chrono::steady_clock::now() - started;
    inFlight.finish(request);
}

} // namespace berth::http
