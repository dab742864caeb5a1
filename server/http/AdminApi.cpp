#include "http/AdminApi.h"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>

#include <openssl/crypto.h>

namespace berth::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view prefix = "/admin/v1/";
constexpr std::uint64_t maxBodySize = 64 * 1024;

Response jsonAnswer(unsigned status, const json::value& value)
{
    return jsonResponse(status, json::serialize(value));
}

oci::Error badRequest(std::string detail)
{
    return {oci::ErrorCode::SizeInvalid, "invalid request body", std::move(detail)};
}

std::string_view phaseName(registry::CollectionProgress::Phase phase)
{
    switch (phase) {
    case registry::CollectionProgress::Phase::Marking:
        return "marking";
    case registry::CollectionProgress::Phase::Sweeping:
        return "sweeping";
    case registry::CollectionProgress::Phase::Done:
        return "done";
    }
    return "done";
}

std::string_view stateName(registry::CollectionJob::State state)
{
    switch (state) {
    case registry::CollectionJob::State::Running:
        return "running";
    case registry::CollectionJob::State::Done:
        return "done";
    case registry::CollectionJob::State::Failed:
        return "failed";
    case registry::CollectionJob::State::Cancelled:
        return "cancelled";
    }
    return "failed";
}

json::object describe(const registry::CollectionJob& job)
{
    json::object out{{"id", job.id},
                     {"state", stateName(job.state)},
                     {"dry_run", job.options.dryRun},
                     {"delete_untagged", job.options.deleteUntagged},
                     {"grace_period_seconds", job.options.gracePeriod.count()},
                     {"phase", phaseName(job.progress.phase)},
                     {"done", job.progress.done},
                     {"total", job.progress.total},
                     {"bytes_reclaimed", job.progress.bytesReclaimed}};
    if (!job.error.empty())
        out["error"] = job.error;
    if (job.report) {
        json::array manifests;
        for (const auto& manifest : job.report->manifestsDeleted)
            manifests.push_back(json::object{{"repository", manifest.repository}, {"digest", manifest.digest.toString()}});
        json::array blobs;
        for (const auto& blob : job.report->blobsDeleted)
            blobs.push_back(json::string(blob.toString()));
        out["result"] = json::object{{"manifests_deleted", std::move(manifests)},
                                     {"blobs_deleted", std::move(blobs)},
                                     {"bytes_reclaimed", job.report->bytesReclaimed},
                                     {"blobs_kept", job.report->blobsKept},
                                     {"blobs_in_grace_period", job.report->blobsInGracePeriod}};
    }
    return out;
}

// Reads {"dry_run", "delete_untagged", "grace_period_seconds"}; every field is optional.
oci::Result<registry::CollectionOptions> collectionOptions(std::string_view body)
{
    registry::CollectionOptions options;
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return options;
    boost::system::error_code error;
    const auto document = json::parse(body, error);
    if (error || !document.is_object())
        return unexpected(badRequest("expected a JSON object"));
    for (const auto& [key, value] : document.as_object()) {
        if (key == "dry_run" || key == "delete_untagged") {
            if (!value.is_bool())
                return unexpected(badRequest(std::string(key) + " must be true or false"));
            (key == "dry_run" ? options.dryRun : options.deleteUntagged) = value.as_bool();
        } else if (key == "grace_period_seconds") {
            const auto seconds = value.to_number<std::int64_t>(error);
            if (error || seconds < 0)
                return unexpected(badRequest("grace_period_seconds must be a non-negative integer"));
            options.gracePeriod = std::chrono::seconds(seconds);
        } else {
            return unexpected(badRequest("unknown field " + oci::quotedInput(key)));
        }
    }
    return options;
}

} // namespace

asio::awaitable<void> AdminApi::handle(Exchange& exchange)
{
    auto result = co_await dispatch(exchange);
    Response response = result ? std::move(result).value() : errorResponse(result.error());
    if (response.status == 401)
        response.header("WWW-Authenticate", R"(Bearer realm="berthd-admin")");
    co_await exchange.respond(std::move(response));
}

bool AdminApi::authorized(const Exchange& exchange) const
{
    const auto presented = exchange.header("Authorization");
    constexpr std::string_view scheme = "bearer ";
    if (presented.size() != scheme.size() + m_options.token.size() ||
        !boost::algorithm::iequals(std::string_view(presented).substr(0, scheme.size()), scheme))
        return false;
    // Constant time, so the token cannot be guessed byte by byte from response times.
    return CRYPTO_memcmp(presented.data() + scheme.size(), m_options.token.data(), m_options.token.size()) == 0;
}

asio::awaitable<oci::Result<Response>> AdminApi::dispatch(Exchange& exchange)
{
    if (!authorized(exchange))
        co_return oci::fail(oci::ErrorCode::Unauthorized, "authentication required",
                            "send Authorization: Bearer <admin token>");
    auto path = exchange.target().substr(0, exchange.target().find('?'));
    if (!path.starts_with(prefix))
        co_return oci::fail(oci::ErrorCode::NameUnknown, "no such endpoint", oci::quotedInput(path));
    path.remove_prefix(prefix.size());
    const auto method = exchange.method();
    if (path == "info") {
        if (method != "GET")
            co_return unexpected(methodNotAllowed(method));
        co_return info();
    }
    if (path == "gc") {
        if (method != "POST")
            co_return unexpected(methodNotAllowed(method));
        co_return co_await startCollection(exchange);
    }
    if (path.starts_with("gc/"))
        co_return collection(method, std::string(path.substr(3)));
    co_return oci::fail(oci::ErrorCode::NameUnknown, "no such endpoint", oci::quotedInput(path));
}

Response AdminApi::info() const
{
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - m_started);
    return jsonAnswer(200, json::object{{"version", m_options.version},
                                        {"uptime_seconds", uptime.count()},
                                        {"storage_driver", m_options.storageDriver},
                                        {"config", m_options.redactedConfig}});
}

asio::awaitable<oci::Result<Response>> AdminApi::startCollection(Exchange& exchange)
{
    std::string body;
    const Exchange::BodySink collect = [&](std::span<const std::byte> bytes) -> oci::Result<void> {
        body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return {};
    };
    auto received = co_await exchange.readBody(collect, maxBodySize);
    if (!received)
        co_return unexpected(std::move(received).error());
    auto options = collectionOptions(body);
    if (!options)
        co_return unexpected(std::move(options).error());
    const auto id = m_jobs.start(*options);
    auto response = jsonAnswer(202, json::object{{"id", id}});
    response.header("Location", std::string(prefix) + "gc/" + id);
    co_return response;
}

oci::Result<Response> AdminApi::collection(std::string_view method, const std::string& id)
{
    const auto unknown = oci::fail(oci::ErrorCode::NameUnknown, "no such garbage collection job",
                                   oci::quotedInput(id));
    if (method == "GET") {
        const auto job = m_jobs.find(id);
        if (!job)
            return unknown;
        return jsonAnswer(200, describe(*job));
    }
    if (method == "DELETE") {
        if (!m_jobs.cancel(id))
            return unknown;
        Response response;
        response.status = 202;
        return response;
    }
    return unexpected(methodNotAllowed(method));
}

} // namespace berth::http
