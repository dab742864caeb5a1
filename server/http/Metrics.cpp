#include "http/Metrics.h"

#include <algorithm>
#include <charconv>

namespace berth::http {

namespace {

// Lower case, as Go's promhttp writes them, which is what Distribution's series carry.
constexpr std::array<std::string_view, 8> methodNames{"get",   "head",   "put",     "post",
                                                      "patch", "delete", "options", "other"};
constexpr unsigned firstStatus = 100;

std::string number(double value)
{
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    return std::string(text, end);
}

void appendHeader(std::string& out, std::string_view name, std::string_view type, std::string_view help)
{
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void appendSample(std::string& out, std::string_view name, std::string_view labels, std::string_view value)
{
    out.append(name);
    if (!labels.empty())
        out.append("{").append(labels).append("}");
    out.append(" ").append(value).append("\n");
}

std::string handlerLabel(std::string_view handler)
{
    return "handler=\"" + std::string(handler) + '"';
}

double seconds(std::uint64_t nanoseconds)
{
    return static_cast<double>(nanoseconds) / 1e9;
}

} // namespace

Metrics::Metrics(std::string version, std::chrono::system_clock::time_point started)
    : m_version(std::move(version)),
      // Whole milliseconds divided once, so the text is as short as the time is precise.
      m_startedSeconds(
          static_cast<double>(
              std::chrono::duration_cast<std::chrono::milliseconds>(started.time_since_epoch()).count()) /
          1e3),
      m_requests(std::make_unique<Cell[]>(endpoints * methods * statuses)),
      m_latencies(std::make_unique<Latency[]>(endpoints * methods))
{
}

std::string_view Metrics::handlerName(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::Base:
        return "base";
    case Endpoint::Catalog:
        return "catalog";
    case Endpoint::Tags:
        return "tags";
    case Endpoint::Manifest:
        return "manifest";
    case Endpoint::Blob:
        return "blob";
    case Endpoint::UploadStart:
        return "blob_upload";
    case Endpoint::Upload:
        return "blob_upload_chunk";
    case Endpoint::Referrers:
        return "referrers";
    case Endpoint::Health:
        return "health";
    case Endpoint::NotFound:
        break;
    }
    return "not_found";
}

std::size_t Metrics::methodIndex(std::string_view method)
{
    static constexpr std::array<std::string_view, methods - 1> upperCase{"GET",   "HEAD",   "PUT",    "POST",
                                                                         "PATCH", "DELETE", "OPTIONS"};
    return static_cast<std::size_t>(std::find(upperCase.begin(), upperCase.end(), method) -
                                    upperCase.begin());
}

void Metrics::started(Endpoint endpoint)
{
    m_inFlight[static_cast<std::size_t>(endpoint)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::abandoned(Endpoint endpoint)
{
    m_inFlight[static_cast<std::size_t>(endpoint)].fetch_sub(1, std::memory_order_relaxed);
}

void Metrics::finished(const MeteredRequest& request)
{
    const auto endpoint = static_cast<std::size_t>(request.endpoint);
    const auto method = methodIndex(request.method);
    const auto status =
        std::clamp(request.status, firstStatus, firstStatus + unsigned(statuses) - 1) - firstStatus;
    m_inFlight[endpoint].fetch_sub(1, std::memory_order_relaxed);
    m_requests[(endpoint * methods + method) * statuses + status].fetch_add(1, std::memory_order_relaxed);

    auto& latency = m_latencies[endpoint * methods + method];
    const double elapsed = std::chrono::duration<double>(request.duration).count();
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(durationBuckets.begin(), durationBuckets.end(), elapsed) - durationBuckets.begin());
    latency.counts[bucket].fetch_add(1, std::memory_order_relaxed);
    latency.nanoseconds.fetch_add(static_cast<std::uint64_t>(request.duration.count()),
                                  std::memory_order_relaxed);

    auto& sizes = m_sizes[endpoint];
    sizes.requests.fetch_add(1, std::memory_order_relaxed);
    sizes.requestBytes.fetch_add(request.requestBytes, std::memory_order_relaxed);
    sizes.responseBytes.fetch_add(request.responseBytes, std::memory_order_relaxed);
}

std::string Metrics::render() const
{
    std::string out;
    out.reserve(16 * 1024);
    renderRequests(out);
    renderLatencies(out);
    constexpr std::string_view inFlight = "registry_http_in_flight_requests";
    appendHeader(out, inFlight, "gauge", "The in-flight HTTP requests");
    for (std::size_t endpoint = 0; endpoint < endpoints; ++endpoint)
        appendSample(out, inFlight, handlerLabel(handlerName(static_cast<Endpoint>(endpoint))),
                     std::to_string(m_inFlight[endpoint].load(std::memory_order_relaxed)));
    renderSizes(out);
    appendHeader(out, "berthd_build_info", "gauge", "The version of berthd serving.");
    appendSample(out, "berthd_build_info", "version=\"" + escapeLabelValue(m_version) + '"', "1");
    appendHeader(out, "process_start_time_seconds", "gauge",
                 "Start time of the process since unix epoch in seconds.");
    appendSample(out, "process_start_time_seconds", {}, number(m_startedSeconds));
    return out;
}

// Only the series that have counted something, as a Go CounterVec shows them.
void Metrics::renderRequests(std::string& out) const
{
    constexpr std::string_view name = "registry_http_requests_total";
    appendHeader(out, name, "counter", "Total number of HTTP requests made.");
    for (std::size_t endpoint = 0; endpoint < endpoints; ++endpoint) {
        for (std::size_t method = 0; method < methods; ++method) {
            for (std::size_t status = 0; status < statuses; ++status) {
                const auto count = m_requests[(endpoint * methods + method) * statuses + status].load(
                    std::memory_order_relaxed);
                if (count == 0)
                    continue;
                const auto labels = "code=\"" + std::to_string(firstStatus + status) + "\"," +
                                    handlerLabel(handlerName(static_cast<Endpoint>(endpoint))) +
                                    ",method=\"" + std::string(methodNames[method]) + '"';
                appendSample(out, name, labels, std::to_string(count));
            }
        }
    }
}

void Metrics::renderLatencies(std::string& out) const
{
    constexpr std::string_view name = "registry_http_request_duration_seconds";
    appendHeader(out, name, "histogram", "The HTTP request latencies in seconds.");
    for (std::size_t endpoint = 0; endpoint < endpoints; ++endpoint) {
        for (std::size_t method = 0; method < methods; ++method) {
            const auto& latency = m_latencies[endpoint * methods + method];
            // Read each bucket once: the +Inf bucket and _count are the same sum even while
            // requests go on being recorded.
            std::array<std::uint64_t, buckets> counts{};
            for (std::size_t bucket = 0; bucket < buckets; ++bucket)
                counts[bucket] = latency.counts[bucket].load(std::memory_order_relaxed);
            const auto nanoseconds = latency.nanoseconds.load(std::memory_order_relaxed);
            std::uint64_t cumulative = 0;
            for (const auto count : counts)
                cumulative += count;
            if (cumulative == 0)
                continue;
            const auto labels = handlerLabel(handlerName(static_cast<Endpoint>(endpoint))) + ",method=\"" +
                                std::string(methodNames[method]) + '"';
            cumulative = 0;
            for (std::size_t bucket = 0; bucket < buckets; ++bucket) {
                cumulative += counts[bucket];
                const auto bound = bucket < durationBuckets.size() ? number(durationBuckets[bucket]) : "+Inf";
                appendSample(out, std::string(name) + "_bucket", labels + ",le=\"" + bound + '"',
                             std::to_string(cumulative));
            }
            appendSample(out, std::string(name) + "_sum", labels, number(seconds(nanoseconds)));
            appendSample(out, std::string(name) + "_count", labels, std::to_string(cumulative));
        }
    }
}

// Distribution's size histograms, with the +Inf bucket only: sum and count are what a
// rate of bytes needs.
void Metrics::renderSizes(std::string& out) const
{
    const auto histogram = [&](std::string_view name, std::string_view help, const Cell Sizes::*bytes) {
        appendHeader(out, name, "histogram", help);
        for (std::size_t endpoint = 0; endpoint < endpoints; ++endpoint) {
            const auto& sizes = m_sizes[endpoint];
            const auto count = sizes.requests.load(std::memory_order_relaxed);
            if (count == 0)
                continue;
            const auto labels = handlerLabel(handlerName(static_cast<Endpoint>(endpoint)));
            appendSample(out, std::string(name) + "_bucket", labels + ",le=\"+Inf\"", std::to_string(count));
            appendSample(out, std::string(name) + "_sum", labels,
                         std::to_string((sizes.*bytes).load(std::memory_order_relaxed)));
            appendSample(out, std::string(name) + "_count", labels, std::to_string(count));
        }
    };
    histogram("registry_http_request_size_bytes", "The HTTP request sizes in bytes.", &Sizes::requestBytes);
    histogram("registry_http_response_size_bytes", "The HTTP response sizes in bytes.",
              &Sizes::responseBytes);
}

std::string escapeLabelValue(std::string_view value)
{
    std::string escaped;
    escaped.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

} // namespace berth::http
