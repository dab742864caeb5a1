#pragma once
// berthd's admin API (/admin/v1/...) for the console and scripts: server information,
// garbage collection jobs, storage statistics and their history, retention rules with
// their previews and runs. Served on its own loopback listener; every request must carry
// the admin bearer token.

#include "http/Exchange.h"
#include "registry/CollectionJobs.h"
#include "registry/DiskPressure.h"
#include "registry/RetentionJobs.h"
#include "registry/RetentionRuleStore.h"
#include "registry/RetentionSchedule.h"
#include "registry/StorageHistory.h"
#include "registry/StorageIndex.h"

#include <chrono>
#include <string>

namespace berth::http {

struct AdminOptions
{
    std::string token;
    std::string version;
    std::string storageDriver;
    std::string redactedConfig; // config.yml text with secrets replaced
    registry::CollectionOptions collectionDefaults; // for what a POST /admin/v1/gc body leaves out
    std::chrono::milliseconds historyInterval{0};   // how often storage is sampled; 0: never
};

// Where the storage goes, and how much room is left.
struct AdminStorage
{
    registry::StorageIndex& index;
    registry::StorageHistory& history;
    registry::DiskPressure& disk;
};

// The retention rules in force, the runs that carry them out and the previews of them.
struct AdminRetention
{
    registry::RetentionRuleStore& rules;
    registry::RetentionJobs& jobs;
    registry::RetentionPreviews& previews;
    registry::RetentionSchedule& schedule; // how often the rules in force run by themselves
    registry::Registry& registry;          // its options say whether runs may delete
};

class AdminApi final : public RequestHandler
{
public:
    AdminApi(registry::CollectionJobs& jobs, AdminStorage storage, AdminRetention retention,
             AdminOptions options)
        : m_jobs(jobs), m_storage(storage), m_retention(retention), m_options(std::move(options)),
          m_started(std::chrono::steady_clock::now())
    {
    }

    boost::asio::awaitable<void> handle(Exchange& exchange) override;

private:
    boost::asio::awaitable<oci::Result<Response>> dispatch(Exchange& exchange);
    bool authorized(const Exchange& exchange) const;
    Response info() const;
    oci::Result<Response> storage(std::string_view query);
    // GET /admin/v1/storage/repositories/<name>: the repository's images.
    oci::Result<Response> storageRepository(std::string_view name, std::string_view query);
    oci::Result<Response> storageHistory(std::string_view query) const;
    boost::asio::awaitable<oci::Result<Response>> startCollection(Exchange& exchange);
    oci::Result<Response> collection(std::string_view method, const std::string& id);
    // /admin/v1/retention and below; `path` is what follows "retention".
    oci::Result<Response> retention(std::string_view method, std::string_view path, std::string_view body);
    oci::Result<Response> retentionRules(std::string_view method, std::string_view body);
    oci::Result<Response> startRetentionPreview(std::string_view body);
    oci::Result<Response> startRetentionRun(std::string_view body);

    registry::CollectionJobs& m_jobs;
    AdminStorage m_storage;
    AdminRetention m_retention;
    AdminOptions m_options;
    std::chrono::steady_clock::time_point m_started;
};

} // namespace berth::http
