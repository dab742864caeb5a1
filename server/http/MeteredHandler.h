#pragma once
// Counts what another listener's handler answers: wraps each request in an Exchange that
// notes the status and the bytes read and sent, times the whole request, and hands the
// figures to Metrics. The endpoint comes from the Router, as Distribution labels a series
// by its route.

#include "http/Exchange.h"
#include "http/Metrics.h"

namespace berth::http {

class MeteredHandler final : public RequestHandler
{
public:
    MeteredHandler(RequestHandler& handler, Metrics& metrics) : m_handler(handler), m_metrics(metrics) {}

    boost::asio::awaitable<void> handle(Exchange& exchange) override;

private:
    RequestHandler& m_handler;
    Metrics& m_metrics;
};

} // namespace berth::http
