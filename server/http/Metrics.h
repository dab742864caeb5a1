#pragma once
// berthd's Prometheus metrics: requests, latencies and sizes per endpoint, kept in cells
// built up front so that recording a request costs a few relaxed atomic increments (no
// lookup, no lock, no allocation), and rendered as the text exposition format only when
// scraped. Names and labels follow CNCF Distribution's (registry_http_*), so dashboards
// made for it work unchanged.

#include "http/Router.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace berth::http {

// One answered request, as the metrics see it.
struct MeteredRequest
{
    Endpoint endpoint = Endpoint::NotFound;
    std::string_view method;
    unsigned status = 0;
    std::uint64_t requestBytes = 0;  // body bytes read
    std::uint64_t responseBytes = 0; // body bytes sent
    std::chrono::nanoseconds duration{0};
};

class Metrics
{
public:
    Metrics(std::string version, std::chrono::system_clock::time_point started);
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    // A request to `endpoint` began; pair with finished().
    void started(Endpoint endpoint);
    void finished(const MeteredRequest& request);
    // A request that ended without an answer (the client went away): in flight no more.
    void abandoned(Endpoint endpoint);

    // The Prometheus text exposition format (version 0.0.4).
    std::string render() const;

    // The handler label of `endpoint`: Distribution's route name, '-' written as '_'.
    static std::string_view handlerName(Endpoint endpoint);
    // Upper bounds of the latency histogram's buckets, in seconds (+Inf not included).
    static constexpr std::array<double, 15> durationBuckets{
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60};

private:
    using Cell = std::atomic<std::uint64_t>;
    static constexpr std::size_t endpoints = static_cast<std::size_t>(Endpoint::NotFound) + 1;
    static constexpr std::size_t methods = 8;                          // the last is every other method
    static constexpr std::size_t statuses = 500;                       // 100 to 599
    static constexpr std::size_t buckets = durationBuckets.size() + 1; // and +Inf
    struct Latency
    {
        std::array<Cell, buckets> counts{}; // per bucket, not cumulative
        Cell nanoseconds{0};
    };
    struct Sizes
    {
        Cell requests{0};
        Cell requestBytes{0};
        Cell responseBytes{0};
    };

    static std::size_t methodIndex(std::string_view method);
    void renderRequests(std::string& out) const;
    void renderLatencies(std::string& out) const;
    void renderSizes(std::string& out) const;

    std::string m_version;
    double m_startedSeconds = 0;
    std::unique_ptr<Cell[]> m_requests;     // [endpoint][method][status]
    std::unique_ptr<Latency[]> m_latencies; // [endpoint][method]
    std::array<Sizes, endpoints> m_sizes{};
    std::array<std::atomic<std::int64_t>, endpoints> m_inFlight{};
};

// A label value with backslash, double quote and line feed escaped, as the format wants.
std::string escapeLabelValue(std::string_view value);

} // namespace berth::http
