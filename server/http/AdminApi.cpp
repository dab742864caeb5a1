#include "http/AdminApi.h"

#include "http/RetentionJson.h"
#include "http/Router.h"
#include "support/Time.h"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>

#include <openssl/crypto.h>

#include <algorithm>
#include <initializer_list>
#include <map>

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

bool isBlank(std::string_view body)
{
    return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The methods the admin resource at `path` (below the prefix) answers, for the Allow header
// of a 405: a read-only registry keeps its rules, and one that may not delete runs no retention.
std::string_view allowedMethods(std::string_view path, const registry::RegistryOptions& options)
{
    if (path == "retention/run")
        return registry::retentionRefusal(options) ? "" : "POST";
    if (path == "gc" || path == "retention/preview")
        return "POST";
    if (path.starts_with("gc/") || path.starts_with("retention/run/") ||
        path.starts_with("retention/preview/"))
        return "GET, DELETE"; // jobs
    if (path == "retention")
        return options.readOnly ? "GET" : "GET, PUT, DELETE";
    return "GET"; // info, storage, storage/history
}

// The whole request body; the admin API's are small JSON documents.
asio::awaitable<oci::Result<std::string>> readBody(Exchange& exchange)
{
    std::string body;
    const Exchange::BodySink collect = [&body](std::span<const std::byte> bytes) -> oci::Result<void> {
        body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return {};
    };
    auto received = co_await exchange.readBody(collect, maxBodySize);
    if (!received)
        co_return unexpected(std::move(received).error());
    co_return body;
}

// 202 with the new job's id and where to watch it.
Response jobStarted(std::string_view jobs, const std::string& id)
{
    auto response = jsonAnswer(202, json::object{{"id", id}});
    response.header("Location", std::string(prefix) + std::string(jobs) + '/' + id);
    return response;
}

// GET describes a job; DELETE asks it to stop.
template <class Jobs, class Describe>
oci::Result<Response> jobRequest(Jobs& jobs, std::string_view method, const std::string& id,
                                 std::string_view what, const Describe& describe)
{
    const auto unknown =
        oci::fail(oci::ErrorCode::NameUnknown, "no such " + std::string(what), oci::quotedInput(id));
    if (method == "GET") {
        const auto job = jobs.find(id);
        if (!job)
            return unknown;
        return jsonAnswer(200, describe(*job));
    }
    if (method == "DELETE") {
        if (!jobs.cancel(id))
            return unknown;
        Response response;
        response.status = 202;
        return response;
    }
    return unexpected(methodNotAllowed(method));
}

// A rule document and schedule from a request body; what else GET answers with ("source",
// "schedule_source", "next_run") may come back and is ignored.
oci::Result<registry::RetentionSettings> retentionSettingsIn(std::string_view body)
{
    boost::system::error_code error;
    auto document = json::parse(body, error);
    if (error)
        return unexpected(badRequest("not valid JSON: " + error.message()));
    if (auto* object = document.if_object()) {
        for (const auto* reported : {"source", "schedule_source", "next_run"})
            object->erase(reported);
    }
    auto settings = registry::parseRetentionSettings(document);
    if (!settings)
        return oci::fail(oci::ErrorCode::SizeInvalid, "invalid retention rules", settings.error().describe());
    return std::move(settings).value();
}

std::string_view phaseName(registry::CollectionProgress::Phase phase)
{
    switch (phase) {
    case registry::CollectionProgress::Phase::Marking:
        return "marking";
    case registry::CollectionProgress::Phase::Sweeping:
        return "sweeping";
    case registry::CollectionProgress::Phase::PurgingUploads:
        return "purging_uploads";
    case registry::CollectionProgress::Phase::Done:
        return "done";
    }
    return "done";
}

json::object describe(const registry::CollectionJob& job)
{
    json::object out{{"id", job.id},
                     {"state", registry::toString(job.state)},
                     {"dry_run", job.options.dryRun},
                     {"delete_untagged", job.options.deleteUntagged},
                     {"grace_period_seconds", job.options.gracePeriod.count()},
                     {"phase", phaseName(job.progress.phase)},
                     {"done", job.progress.done},
                     {"total", job.progress.total},
                     {"bytes_reclaimed", job.progress.bytesReclaimed},
                     {"upload_age_seconds", job.options.uploadAge.count()},
                     {"uploads_deleted", job.progress.uploadsDeleted},
                     {"upload_bytes_reclaimed", job.progress.uploadBytesReclaimed}};
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
                                     {"blobs_in_grace_period", job.report->blobsInGracePeriod},
                                     {"uploads_deleted", job.report->uploadsDeleted},
                                     {"upload_bytes_reclaimed", job.report->uploadBytesReclaimed},
                                     {"uploads_in_use", job.report->uploadsInUse}};
    }
    return out;
}

// Reads {"dry_run", "delete_untagged", "grace_period_seconds", "upload_age_seconds"} over
// `options`; every field is optional.
oci::Result<registry::CollectionOptions> collectionOptions(std::string_view body,
                                                           registry::CollectionOptions options)
{
    if (isBlank(body))
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
        } else if (key == "grace_period_seconds" || key == "upload_age_seconds") {
            const auto seconds = value.to_number<std::int64_t>(error);
            if (error || seconds < 0)
                return unexpected(badRequest(std::string(key) + " must be a non-negative integer"));
            (key == "grace_period_seconds" ? options.gracePeriod : options.uploadAge) =
                std::chrono::seconds(seconds);
        } else {
            return unexpected(badRequest("unknown field " + oci::quotedInput(key)));
        }
    }
    return options;
}

oci::Error badQuery(std::string detail)
{
    return {oci::ErrorCode::SizeInvalid, "invalid query", std::move(detail)};
}

using QueryParameters = std::map<std::string, std::string, std::less<>>;

// The decoded parameters of a query string, each one of `allowed` and given at most once.
oci::Result<QueryParameters> queryParameters(std::string_view query,
                                             std::initializer_list<std::string_view> allowed)
{
    QueryParameters parameters;
    for (const auto& pair : queryPairs(query)) {
        auto key = percentDecode(pair.name, true);
        auto value = percentDecode(pair.value, true);
        if (!key || !value)
            return unexpected(badQuery("malformed percent-encoding in " + oci::quotedInput(pair.name)));
        if (std::find(allowed.begin(), allowed.end(), *key) == allowed.end()) {
            std::string known;
            for (const auto name : allowed)
                known += (known.empty() ? "" : ", ") + std::string(name);
            return unexpected(badQuery("unknown parameter " + oci::quotedInput(*key) +
                                       (known.empty() ? "; this endpoint takes none" : "; known: " + known)));
        }
        if (!parameters.emplace(std::move(*key), std::move(*value)).second)
            return unexpected(
                badQuery("parameter " + oci::quotedInput(pair.name) + " given twice"));
    }
    return parameters;
}

json::value optionalNumber(const std::optional<std::uint64_t>& number)
{
    return number ? json::value(*number) : json::value(nullptr);
}

json::value timeOrNull(std::chrono::system_clock::time_point time)
{
    return time == std::chrono::system_clock::time_point{} ? json::value(nullptr)
                                                           : json::value(formatRfc3339(time));
}

json::object describe(const registry::DiskPressure::State& disk)
{
    return json::object{{"free_bytes", optionalNumber(disk.freeBytes)},
                        {"total_bytes", optionalNumber(disk.totalBytes)},
                        {"min_free_bytes", disk.minimumFree},
                        {"under_pressure", disk.underPressure}};
}

json::object describe(const registry::StorageTotals& totals)
{
    return json::object{{"bytes_on_disk", totals.bytesOnDisk},
                        {"blobs", totals.blobs},
                        {"unreferenced_bytes", totals.unreferencedBytes},
                        {"manifests", totals.manifests},
                        {"tags", totals.tags},
                        {"repositories", totals.repositories},
                        {"upload_sessions", totals.uploadSessions},
                        {"upload_bytes", totals.uploadBytes}};
}

json::object describe(const registry::RepositoryStatistics& repository)
{
    return json::object{{"name", repository.name},
                        {"logical_bytes", repository.logicalBytes},
                        {"unique_bytes", repository.uniqueBytes},
                        {"shared_bytes", repository.sharedBytes},
                        {"tags", repository.tags},
                        {"manifests", repository.manifests},
                        {"blobs", repository.blobs},
                        {"last_push", timeOrNull(repository.lastPush)}};
}

json::array strings(const std::vector<std::string>& texts)
{
    json::array array;
    array.reserve(texts.size());
    for (const auto& text : texts)
        array.push_back(json::string(text));
    return array;
}

// Within a repository's answer the repository goes without saying.
enum class WithRepository
{
    Yes,
    No
};

json::object describe(const registry::ImageStatistics& image, WithRepository withRepository)
{
    json::object out;
    if (withRepository == WithRepository::Yes)
        out["repository"] = image.repository;
    out["digest"] = image.digest.toString();
    out["media_type"] = image.mediaType;
    out["tags"] = strings(image.tags);
    out["bytes"] = image.bytes;
    out["unique_bytes"] = image.uniqueBytes;
    out["pushed"] = timeOrNull(image.pushed);
    return out;
}

json::array describe(const std::vector<registry::ImageStatistics>& images, WithRepository withRepository)
{
    json::array array;
    array.reserve(images.size());
    for (const auto& image : images)
        array.push_back(describe(image, withRepository));
    return array;
}

json::object describe(const registry::LayerStatistics& layer)
{
    return json::object{{"digest", layer.digest.toString()},
                        {"media_type", layer.mediaType},
                        {"bytes", layer.bytes},
                        {"images", layer.images},
                        {"repositories", layer.repositories}};
}

// {"building": true, "progress"} while the index builds; else {"building": false} and
// what `add` answers from the statistics.
template <class Add> oci::Result<json::object> storageAnswer(registry::StorageIndex& index, const Add& add)
{
    auto state = index.state();
    if (!state)
        return unexpected(std::move(state).error());
    json::object answer{{"building", state->building}};
    if (state->building) {
        answer["progress"] = json::object{{"done", state->done}, {"total", state->total}};
        return answer;
    }
    if (auto added = add(*state->statistics, answer); !added)
        return unexpected(std::move(added).error());
    return answer;
}

json::object describe(const registry::StorageSample& sample)
{
    json::array repositories;
    for (const auto& repository : sample.repositories)
        repositories.push_back(json::object{{"name", repository.name},
                                            {"logical_bytes", repository.logicalBytes},
                                            {"unique_bytes", repository.uniqueBytes}});
    return json::object{{"time", formatRfc3339(sample.time)},
                        {"totals", describe(sample.totals)},
                        {"repositories", std::move(repositories)}};
}

} // namespace

asio::awaitable<void> AdminApi::handle(Exchange& exchange)
{
    auto result = co_await dispatch(exchange);
    Response response = result ? std::move(result).value() : errorResponse(result.error());
    if (response.status == 401)
        response.header("WWW-Authenticate", R"(Bearer realm="berthd-admin")");
    if (response.status == 405) { // RFC 9110: a 405 lists what the resource does answer
        auto path = exchange.target().substr(0, exchange.target().find('?'));
        path.remove_prefix(prefix.size()); // a 405 comes only from a resource below it
        response.header("Allow", std::string(allowedMethods(path, m_retention.registry.options())));
    }
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
    const auto questionMark = exchange.target().find('?');
    auto path = exchange.target().substr(0, questionMark);
    const auto query = questionMark == std::string_view::npos ? std::string_view{}
                                                              : exchange.target().substr(questionMark + 1);
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
    if (path == "retention" || path.starts_with("retention/")) {
        auto body = co_await readBody(exchange);
        if (!body)
            co_return unexpected(std::move(body).error());
        co_return retention(method, path.substr(std::string_view("retention").size()), *body);
    }
    if (path == "storage" || path == "storage/history") {
        if (method != "GET")
            co_return unexpected(methodNotAllowed(method));
        co_return path == "storage" ? storage(query) : storageHistory(query);
    }
    if (constexpr std::string_view repositories = "storage/repositories/"; path.starts_with(repositories)) {
        if (method != "GET")
            co_return unexpected(methodNotAllowed(method));
        co_return storageRepository(path.substr(repositories.size()), query);
    }
    co_return oci::fail(oci::ErrorCode::NameUnknown, "no such endpoint", oci::quotedInput(path));
}

Response AdminApi::info() const
{
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - m_started);
    return jsonAnswer(200, json::object{{"version", m_options.version},
                                        {"uptime_seconds", uptime.count()},
                                        {"storage_driver", m_options.storageDriver},
                                        {"disk", describe(m_storage.disk.state())},
                                        {"config", m_options.redactedConfig}});
}

oci::Result<Response> AdminApi::storage(std::string_view query)
{
    auto parameters = queryParameters(query, {});
    if (!parameters)
        return unexpected(std::move(parameters).error());
    auto answer = storageAnswer(
        m_storage.index,
        [](const registry::StorageStatistics& statistics, json::object& out) -> oci::Result<void> {
            json::array repositories;
            repositories.reserve(statistics.repositories.size());
            for (const auto& repository : statistics.repositories)
                repositories.push_back(describe(repository));
            json::array layers;
            for (const auto& layer : statistics.largestLayers)
                layers.push_back(describe(layer));
            out["totals"] = describe(statistics.totals);
            out["repositories"] = std::move(repositories);
            out["largest_images"] = describe(statistics.largestImages, WithRepository::Yes);
            out["largest_layers"] = std::move(layers);
            return {};
        });
    if (!answer)
        return unexpected(std::move(answer).error());
    (*answer)["disk"] = describe(m_storage.disk.state());
    return jsonAnswer(200, json::value(std::move(*answer)));
}

oci::Result<Response> AdminApi::storageRepository(std::string_view name, std::string_view query)
{
    auto parameters = queryParameters(query, {});
    if (!parameters)
        return unexpected(std::move(parameters).error());
    // A client may encode the slashes of a name.
    const auto decoded = percentDecode(name, false);
    auto answer = storageAnswer(
        m_storage.index,
        [&](const registry::StorageStatistics& statistics, json::object& out) -> oci::Result<void> {
            const auto* repository = decoded ? statistics.repository(*decoded) : nullptr;
            if (!repository)
                return oci::fail(oci::ErrorCode::NameUnknown, "repository name not known to registry",
                                 oci::quotedInput(name));
            out["name"] = repository->name;
            out["images"] = describe(repository->images, WithRepository::No);
            return {};
        });
    if (!answer)
        return unexpected(std::move(answer).error());
    return jsonAnswer(200, json::value(std::move(*answer)));
}

oci::Result<Response> AdminApi::storageHistory(std::string_view query) const
{
    auto parameters = queryParameters(query, {"since"});
    if (!parameters)
        return unexpected(std::move(parameters).error());
    std::chrono::system_clock::time_point since;
    if (const auto found = parameters->find("since"); found != parameters->end()) {
        const auto parsed = parseRfc3339(found->second);
        if (!parsed)
            return unexpected(badQuery("since must be an RFC 3339 time such as 2026-01-31T12:00:00Z, got " +
                                       oci::quotedInput(found->second)));
        since = *parsed;
    }
    json::array samples;
    for (const auto& sample : m_storage.history.since(since))
        samples.push_back(describe(sample));
    const auto interval = std::chrono::duration_cast<std::chrono::seconds>(m_options.historyInterval);
    return jsonAnswer(200,
                      json::object{{"interval_seconds", interval.count()}, {"samples", std::move(samples)}});
}

asio::awaitable<oci::Result<Response>> AdminApi::startCollection(Exchange& exchange)
{
    auto body = co_await readBody(exchange);
    if (!body)
        co_return unexpected(std::move(body).error());
    auto options = collectionOptions(*body, m_options.collectionDefaults);
    if (!options)
        co_return unexpected(std::move(options).error());
    co_return jobStarted("gc", m_jobs.start(*options));
}

oci::Result<Response> AdminApi::collection(std::string_view method, const std::string& id)
{
    return jobRequest(m_jobs, method, id, "garbage collection job",
                      [](const registry::CollectionJob& job) { return describe(job); });
}

oci::Result<Response> AdminApi::retention(std::string_view method, std::string_view path,
                                          std::string_view body)
{
    if (path.empty())
        return retentionRules(method, body);
    if (path == "/preview" || path == "/run") {
        if (method != "POST")
            return unexpected(methodNotAllowed(method));
        return path == "/preview" ? startRetentionPreview(body) : startRetentionRun(body);
    }
    const auto describe = [](const auto& job) { return describeJob(job); };
    if (path.starts_with("/run/"))
        return jobRequest(m_retention.jobs, method, std::string(path.substr(5)), "retention run", describe);
    if (path.starts_with("/preview/")) {
        return jobRequest(m_retention.previews, method, std::string(path.substr(9)), "retention preview",
                          describe);
    }
    return oci::fail(oci::ErrorCode::NameUnknown, "no such endpoint",
                     oci::quotedInput("retention" + std::string(path)));
}

oci::Result<Response> AdminApi::retentionRules(std::string_view method, std::string_view body)
{
    auto& rules = m_retention.rules;
    if (method != "GET" && method != "PUT" && method != "DELETE")
        return unexpected(methodNotAllowed(method));
    if (method != "GET" && m_retention.registry.options().readOnly)
        return oci::fail(oci::ErrorCode::Unsupported, "the registry is in read-only mode",
                         "retention rules are stored with the registry's data");
    if (method == "PUT") {
        auto parsed = retentionSettingsIn(body);
        if (!parsed)
            return unexpected(std::move(parsed).error());
        // Scheduled runs would only fail; say so now rather than in the log every interval.
        if (auto refusal = registry::retentionRefusal(m_retention.registry.options());
            refusal && parsed->schedule && parsed->schedule->count() > 0)
            return unexpected(std::move(*refusal));
        if (auto stored = rules.store(*parsed); !stored)
            return unexpected(std::move(stored).error());
    } else if (method == "DELETE") {
        if (auto forgotten = rules.forget(); !forgotten)
            return unexpected(std::move(forgotten).error());
    }
    auto current = rules.current();
    if (!current)
        return unexpected(std::move(current).error());
    return jsonAnswer(200, describeRules(*current, m_retention.schedule));
}

oci::Result<Response> AdminApi::startRetentionPreview(std::string_view body)
{
    // A body previews those rules instead of the ones in force, before they are stored.
    registry::RetentionPreviewOptions options;
    if (isBlank(body)) {
        auto current = m_retention.rules.current();
        if (!current)
            return unexpected(std::move(current).error());
        options = {std::move(current->rules), current->source};
    } else {
        auto parsed = retentionSettingsIn(body);
        if (!parsed)
            return unexpected(std::move(parsed).error());
        options = {std::move(parsed->rules), registry::RetentionRuleStore::Source::Request};
    }
    return jobStarted("retention/preview", m_retention.previews.start(options));
}

oci::Result<Response> AdminApi::startRetentionRun(std::string_view body)
{
    if (!isBlank(body) && body.find_first_not_of(" \t\r\n{}") != std::string_view::npos)
        return unexpected(badRequest("a run takes no options: it carries out the rules in force"));
    if (auto refusal = registry::retentionRefusal(m_retention.registry.options()))
        return unexpected(std::move(*refusal));
    auto current = m_retention.rules.current();
    if (!current)
        return unexpected(std::move(current).error());
    return jobStarted("retention/run", m_retention.jobs.start({std::move(current->rules), "api"}));
}

} // namespace berth::http
