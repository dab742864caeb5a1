// berthd: parses the command line and wires configuration, storage, registry and HTTP
// server together. Everything it does is in the libraries.

#include "config/CommandLine.h"
#include "config/Config.h"
#include "http/AdminApi.h"
#include "http/BasicAuthenticator.h"
#include "http/MeteredHandler.h"
#include "http/Metrics.h"
#include "http/MetricsApi.h"
#include "http/RegistryApi.h"
#include "http/Server.h"
#include "registry/CollectionJobs.h"
#include "registry/GarbageCollector.h"
#include "registry/Registry.h"
#include "registry/RetentionJobs.h"
#include "registry/RetentionRuleStore.h"
#include "registry/RetentionSchedule.h"
#include "registry/StorageHistory.h"
#include "registry/StorageIndex.h"
#include "storage/FilesystemDriver.h"
#include "storage/InMemoryDriver.h"

#include <malloc.h>

#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <thread>

namespace {

using namespace berth;

template <class... Handlers>
struct Overloaded : Handlers...
{
    using Handlers::operator()...;
};

// Shutdown waits this long for requests in flight when http.draintimeout is not set.
constexpr auto defaultDrainTimeout = std::chrono::seconds(30);

config::ConfigResult loadConfig(const std::optional<std::string>& path)
{
    return path ? config::loadConfigFile(*path) : config::loadDefaultConfig();
}

storage::StorageResult<std::unique_ptr<storage::StorageDriver>> makeDriver(const config::StorageDriverConfig& driver)
{
    if (const auto* filesystem = std::get_if<config::FilesystemDriverConfig>(&driver)) {
        auto created = storage::FilesystemDriver::create(filesystem->rootDirectory);
        if (!created)
            return unexpected(std::move(created).error());
        return std::unique_ptr<storage::StorageDriver>(std::move(created).value());
    }
    return std::unique_ptr<storage::StorageDriver>(std::make_unique<storage::InMemoryDriver>());
}

http::ServerOptions serverOptions(const config::Config& config)
{
    http::ServerOptions options;
    options.headerTimeout = config.berth.http.headerTimeout;
    options.idleTimeout = config.berth.http.idleTimeout;
    options.drainTimeout = config.http.drainTimeout.count() > 0 ? config.http.drainTimeout
                                                                 : std::chrono::milliseconds(defaultDrainTimeout);
    options.maxConnections = static_cast<std::size_t>(config.berth.http.maxConnections);
    for (const auto& [name, values] : config.http.headers) {
        for (const auto& value : values)
            options.extraHeaders.emplace_back(name, value);
    }
    options.accessLog = !config.log.accessLogDisabled;
    return options;
}

// auth.htpasswd's users and the authenticator checking requests against them; both null
// without authentication.
struct Authentication
{
    std::unique_ptr<http::HtpasswdFile> users;
    std::unique_ptr<http::BasicAuthenticator> authenticator;
};

// A missing, unreadable or malformed htpasswd file stops the start, naming the file's line.
Expected<Authentication, std::string> makeAuthentication(const config::AuthConfig& auth, Logger& logger)
{
    Authentication authentication;
    if (!auth.htpasswd)
        return authentication;
    auto users = http::HtpasswdFile::open(auth.htpasswd->path, logger);
    if (!users)
        return unexpected("auth.htpasswd.path: " + users.error());
    authentication.users = std::move(*users);
    authentication.authenticator =
        std::make_unique<http::BasicAuthenticator>(auth.htpasswd->realm, *authentication.users, logger);
    // berthd has no TLS: Basic credentials are only as safe as the proxy in front of it.
    logger.info("htpasswd authentication on; serve it behind a TLS-terminating proxy",
                {{"file", auth.htpasswd->path}, {"realm", auth.htpasswd->realm}});
    return authentication;
}

// An empty host listens on every interface, as Distribution's ":5000" does.
std::string listenHost(const config::ListenAddress& address)
{
    return address.host.empty() ? "0.0.0.0" : address.host;
}

std::string storageDescription(const config::StorageDriverConfig& driver)
{
    if (const auto* filesystem = std::get_if<config::FilesystemDriverConfig>(&driver))
        return filesystem->rootDirectory;
    return "memory";
}

void purgeUploads(registry::Registry& registry, Logger& logger, const config::UploadPurgingConfig& purging)
{
    const auto cutoff = std::chrono::system_clock::now() - purging.age;
    auto report = registry.uploads().purgeStarted(cutoff, purging.dryRun);
    if (!report) {
        logger.error("upload purge failed", {{"error", report.error().detail}});
    } else if (report->purged > 0 || report->inUse > 0) {
        logger.info(purging.dryRun ? "upload purge (dry run)" : "upload purge",
                    {{"purged", report->purged}, {"in_use", report->inUse}});
    }
}

// Adds a sample to the storage history; none while the index is still being built.
void recordStorageSample(registry::StorageIndex& index, registry::StorageHistory& history, Logger& logger)
{
    auto state = index.state();
    if (!state) {
        logger.error("storage statistics failed",
                     {{"error", state.error().message + ": " + state.error().detail}});
        return;
    }
    if (state->building)
        return;
    if (auto recorded = history.record(*state->statistics, std::chrono::system_clock::now()); !recorded)
        logger.error("storage history not saved", {{"error", recorded.error().detail}});
}

int serve(const config::ServeCommand& command)
{
    auto loaded = loadConfig(command.configPath);
    if (!loaded) {
        std::fprintf(stderr, "berthd: invalid configuration: %s\n", loaded.error().describe().c_str());
        return 1;
    }
    const auto& config = loaded->config;
    if (config.http.tls.enabled()) {
        // Serving plain HTTP to clients that were promised TLS would be worse than not starting.
        std::fprintf(stderr, "berthd: invalid configuration: http.tls: TLS is not supported by this version of "
                             "berthd yet; terminate TLS in a reverse proxy or remove http.tls\n");
        return 1;
    }
    Logger logger(stdout, config.log.level);
    for (const auto& warning : loaded->warnings)
        logger.warn("configuration", {{"warning", warning}});
    auto authentication = makeAuthentication(config.auth, logger);
    if (!authentication) {
        std::fprintf(stderr, "berthd: invalid configuration: %s\n", authentication.error().c_str());
        return 1;
    }

    auto driver = makeDriver(config.storage.driver);
    if (!driver) {
        logger.error("cannot open storage", {{"error", driver.error().message()}});
        std::fprintf(stderr, "berthd: cannot open storage: %s\n", driver.error().message().c_str());
        return 1;
    }
    registry::Registry registry(**driver, registry::RegistryOptions{config.storage.deleteEnabled,
                                                                    config.storage.readOnly,
                                                                    config.berth.storage.minFreeSpace});
    const auto minimumFree = config.berth.storage.minFreeSpace;
    registry.diskPressure().setListener([&logger, minimumFree](bool underPressure, std::uint64_t freeBytes) {
        if (underPressure)
            logger.warn("disk pressure: uploads paused", {{"free_bytes", freeBytes}, {"min_free_bytes", minimumFree}});
        else
            logger.info("disk pressure lifted: uploads resume", {{"free_bytes", freeBytes}});
    });
    registry.catalog().loadInBackground(); // ready, or nearly, by the first catalog request
    registry::StorageIndex storageIndex(registry);
    storageIndex.open();
    registry::StorageHistory storageHistory(**driver);
    if (auto history = storageHistory.load(); !history)
        logger.warn(history.error().message, {{"file", history.error().detail}});
    registry::RetentionRuleStore retentionRules(
        **driver, config.berth.retention.rules,
        std::chrono::ceil<std::chrono::seconds>(config.berth.retention.schedule));
    if (auto rules = retentionRules.current(); !rules) // serve anyway: a PUT of new rules mends it
        logger.error(rules.error().message, {{"error", rules.error().detail}});
    std::string externalUrl = config.http.host;
    while (externalUrl.ends_with('/'))
        externalUrl.pop_back();
    http::RegistryApi api(registry, http::ApiOptions{externalUrl}, authentication->authenticator.get());
    // Metered only when scraped: without a debug listener requests are not counted at all.
    const auto& debug = config.http.debug;
    const bool metricsServed = debug.addr && debug.prometheusEnabled;
    http::Metrics metrics(BERTH_VERSION, std::chrono::system_clock::now());
    http::MeteredHandler meteredApi(api, metrics);
    http::MetricsApi metricsApi(metrics, debug.prometheusPath);
    http::Server server(serverOptions(config), logger);
    const auto cannotStart = [&logger](const std::string& why) {
        logger.error("cannot start", {{"error", why}});
        std::fprintf(stderr, "berthd: %s\n", why.c_str());
        return 1;
    };

    std::signal(SIGPIPE, SIG_IGN); // a client that disconnects must not kill the server
    const auto& registryAddress = config.http.addr;
    auto port = server.listen(listenHost(registryAddress), registryAddress.port,
                              metricsServed ? static_cast<http::RequestHandler&>(meteredApi) : api);
    if (!port)
        return cannotStart(port.error());
    if (metricsServed) {
        auto debugPort = server.listen(listenHost(*debug.addr), debug.addr->port, metricsApi);
        if (!debugPort)
            return cannotStart("http.debug.addr: " + debugPort.error());
        auto listening = *debug.addr;
        listening.port = *debugPort;
        logger.info("metrics listening", {{"addr", config::toString(listening)}, {"path", debug.prometheusPath}});
    }

    // The environment wins, so the console can hand its token over without a command line.
    const char* tokenFromEnvironment = std::getenv("BERTHD_ADMIN_TOKEN");
    const std::string adminToken =
        tokenFromEnvironment && *tokenFromEnvironment ? tokenFromEnvironment : config.admin.token;
    registry::CollectionJobs collections(registry);
    registry::RetentionJobs retentionJobs(registry, logger);
    registry::RetentionPreviews retentionPreviews(registry);
    // With deletes disabled or read-only, scheduled runs would only fail: they stay off.
    const auto retentionRefusal = registry::retentionRefusal(registry.options());
    registry::RetentionSchedule retentionSchedule(retentionRules, retentionJobs, logger, retentionRefusal);
    registry::CollectionOptions collectionDefaults;
    collectionDefaults.uploadAge =
        std::chrono::duration_cast<std::chrono::seconds>(config.storage.uploadPurging.age);
    const auto historyInterval =
        config.storage.readOnly ? std::chrono::milliseconds(0) : config.berth.storage.historyInterval;
    http::AdminApi admin(
        collections, http::AdminStorage{storageIndex, storageHistory, registry.diskPressure()},
        http::AdminRetention{retentionRules, retentionJobs, retentionPreviews, retentionSchedule, registry},
        http::AdminOptions{adminToken, BERTH_VERSION, std::string((*driver)->name()),
                           config::redactedYaml(config), collectionDefaults, historyInterval});
    if (adminToken.empty()) {
        logger.info("admin API off: set admin.token or BERTHD_ADMIN_TOKEN to turn it on");
    } else {
        auto adminPort = server.listen(config.admin.addr.host, config.admin.addr.port, admin);
        if (!adminPort)
            return cannotStart("admin API: " + adminPort.error());
        auto listening = config.admin.addr;
        listening.port = *adminPort;
        logger.info("admin API listening", {{"addr", config::toString(listening)}});
    }
    if (const auto& purging = config.storage.uploadPurging; purging.enabled && !config.storage.readOnly)
        server.every(purging.interval, [&registry, &logger, purging] { purgeUploads(registry, logger, purging); });
    if (historyInterval.count() > 0)
        server.every(historyInterval, [&storageIndex, &storageHistory, &logger] {
            recordStorageSample(storageIndex, storageHistory, logger);
        });
    // Each second, so an interval set through the admin API applies at once.
    if (!retentionRefusal)
        server.every(std::chrono::seconds(1), [&retentionSchedule] { retentionSchedule.tick(); });
    if (minimumFree > 0) // notice (and log) when space comes back even without traffic
        server.every(std::chrono::seconds(10), [&registry] { registry.diskPressure().check(); });
    if (command.exitOnStdinClose)
        server.stopWhenStdinCloses();
    auto listening = config.http.addr;
    listening.port = *port;
    const auto address = config::toString(listening);
    // The console waits for this line to know the registry is ready.
    logger.info("listening", {{"addr", address},
                              {"version", BERTH_VERSION},
                              {"storage", storageDescription(config.storage.driver)},
                              {"delete_enabled", config.storage.deleteEnabled}});
    // A read loop for every two cores. Most of a read's CPU is the kernel's TCP work, which
    // one loop drives at some 35,000 manifests or 2.5 GB/s of blobs; with a loop per core
    // the loops preempt each other and the clients sharing the machine, and the slowest
    // answers wait for it (p99 of HEADs closing their connection on 2 cores: 7.0 ms with
    // two loops, 4.0 ms with one). Storage calls block the thread they run on, so there are
    // more write loops (for uploads and deletes) than cores.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    server.run(std::max(1u, cores / 2), std::max(4u, 2 * cores));
    // A read-only registry may be collected by another program meanwhile: rebuild next time.
    if (auto saved = config.storage.readOnly ? oci::Result<void>{} : storageIndex.close(); !saved)
        logger.warn("storage index not saved; the next start rebuilds it", {{"error", saved.error().detail}});
    return 0;
}

int checkConfig(const config::ConfigCheckCommand& command)
{
    auto loaded = config::loadConfigFile(command.configPath);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", command.configPath.c_str(), loaded.error().describe().c_str());
        return 1;
    }
    if (const auto& htpasswd = loaded->config.auth.htpasswd) {
        if (auto users = http::HtpasswdFile::read(htpasswd->path); !users) {
            std::fprintf(stderr, "%s: auth.htpasswd.path: %s\n", command.configPath.c_str(),
                         users.error().c_str());
            return 1;
        }
    }
    for (const auto& warning : loaded->warnings)
        std::printf("warning: %s\n", warning.c_str());
    std::printf("%s: configuration is valid\n", command.configPath.c_str());
    return 0;
}

std::string formatBytes(std::uint64_t bytes)
{
    char text[32];
    if (bytes < 1024)
        std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

// Offline collection, as Distribution's command: the registry is stopped or read-only,
// so there is no grace period. The running server collects online instead.
int garbageCollect(const config::GarbageCollectCommand& command)
{
    auto loaded = config::loadConfigFile(command.configPath);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", command.configPath.c_str(), loaded.error().describe().c_str());
        return 1;
    }
    auto driver = makeDriver(loaded->config.storage.driver);
    if (!driver) {
        std::fprintf(stderr, "berthd: cannot open storage: %s\n", driver.error().message().c_str());
        return 1;
    }
    registry::Registry registry(**driver, registry::RegistryOptions{});
    if (!command.dryRun) {
        // berthd's storage index would not know what this run deletes.
        if (auto invalidated = registry::StorageIndex::invalidate(**driver); !invalidated) {
            std::fprintf(stderr, "berthd: %s (%s)\n", invalidated.error().message.c_str(),
                         invalidated.error().detail.c_str());
            return 1;
        }
    }
    registry::GarbageCollector collector(registry);
    registry::CollectionOptions options;
    options.dryRun = command.dryRun;
    options.deleteUntagged = command.deleteUntagged;
    options.gracePeriod = std::chrono::seconds(0);
    options.uploadAge =
        std::chrono::duration_cast<std::chrono::seconds>(loaded->config.storage.uploadPurging.age);
    auto phase = registry::CollectionProgress::Phase::Done;
    auto report = collector.run(options, [&phase](const registry::CollectionProgress& progress) {
        if (progress.phase == phase)
            return;
        phase = progress.phase;
        if (phase == registry::CollectionProgress::Phase::Marking)
            std::printf("marking: %llu repositories\n", static_cast<unsigned long long>(progress.total));
        else if (phase == registry::CollectionProgress::Phase::Sweeping)
            std::printf("sweeping: %llu blobs\n", static_cast<unsigned long long>(progress.total));
    });
    if (!report) {
        std::fprintf(stderr, "berthd: garbage collection failed: %s (%s)\n", report.error().message.c_str(),
                     report.error().detail.c_str());
        return 1;
    }
    const char* verb = command.dryRun ? "would delete" : "deleted";
    for (const auto& manifest : report->manifestsDeleted)
        std::printf("%s manifest %s@%s\n", verb, manifest.repository.c_str(), manifest.digest.toString().c_str());
    for (const auto& blob : report->blobsDeleted)
        std::printf("%s blob %s\n", verb, blob.toString().c_str());
    std::printf("%s %zu manifests and %zu blobs, %s; %llu blobs in use\n", verb, report->manifestsDeleted.size(),
                report->blobsDeleted.size(), formatBytes(report->bytesReclaimed).c_str(),
                static_cast<unsigned long long>(report->blobsKept));
    if (report->uploadsDeleted > 0)
        std::printf("%s %llu idle upload sessions, %s\n", verb,
                    static_cast<unsigned long long>(report->uploadsDeleted),
                    formatBytes(report->uploadBytesReclaimed).c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    // glibc hands threads that allocate at the same time up to eight heaps per core and keeps
    // what each frees; one heap per core serves as many threads at once as can run, and keeps
    // less back (peak on 10,000 repositories 23 -> 20 MiB). Set before any thread starts.
    mallopt(M_ARENA_MAX, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    auto command = config::parseCommandLine(argc, argv);
    if (!command) {
        std::fprintf(stderr, "berthd: %s\n", command.error().message.c_str());
        return 2;
    }
    return std::visit(Overloaded{
                          [](const config::ServeCommand& serveCommand) { return serve(serveCommand); },
                          [](const config::ConfigCheckCommand& check) { return checkConfig(check); },
                          [](const config::GarbageCollectCommand& collect) { return garbageCollect(collect); },
                          [](const config::VersionCommand&) {
                              std::printf("berthd %s\n", BERTH_VERSION);
                              return 0;
                          },
                          [](const config::HelpCommand&) {
                              std::fputs(config::helpText().c_str(), stdout);
                              return 0;
                          },
                      },
                      *command);
}
