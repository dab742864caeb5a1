#pragma once
// The debug listener's one endpoint (http.debug.prometheus.path, /metrics by default):
// GET or HEAD there answers Metrics in Prometheus's text format; anything else is 404.

#include "http/Exchange.h"
#include "http/Metrics.h"

#include <string>

namespace berth::http {

class MetricsApi final : public RequestHandler
{
public:
    MetricsApi(const Metrics& metrics, std::string path) : m_metrics(metrics), m_path(std::move(path)) {}

    boost::asio::awaitable<void> handle(Exchange& exchange) override;

private:
    const Metrics& m_metrics;
    std::string m_path;
};

} // namespace berth::http
