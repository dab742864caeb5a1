#include "http/MetricsApi.h"

namespace berth::http {

namespace {

Response textResponse(unsigned status, std::string contentType, std::string body)
{
    Response response;
    response.status = status;
    response.contentType = std::move(contentType);
    response.body = std::move(body);
    return response;
}

} // namespace

boost::asio::awaitable<void> MetricsApi::handle(Exchange& exchange)
{
    const auto target = exchange.target();
    const auto path = target.substr(0, target.find('?'));
    const auto method = exchange.method();
    Response response;
    if (path != m_path)
        response = textResponse(404, "text/plain; charset=utf-8", "404 page not found\n");
    else if (method != "GET" && method != "HEAD")
        response = textResponse(405, "text/plain; charset=utf-8", "405 method not allowed\n")
                       .header("Allow", "GET, HEAD");
    else
        response = textResponse(200, "text/plain; version=0.0.4; charset=utf-8", m_metrics.render());
    co_await exchange.respond(std::move(response));
}

} // namespace berth::http
