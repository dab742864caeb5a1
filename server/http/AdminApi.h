#pragma once
// berthd's admin API (/admin/v1/...) for the console and scripts: server information and
// garbage collection jobs. Served on its own loopback listener; every request must carry
// the admin bearer token.

#include "http/Exchange.h"
#include "registry/CollectionJobs.h"

#include <chrono>
#include <string>

namespace berth::http {

struct AdminOptions
{
    std::string token;
    std::string version;
    std::string storageDriver;
    std::string redactedConfig; // config.yml text with secrets replaced
};

class AdminApi final : public RequestHandler
{
public:
    AdminApi(registry::CollectionJobs& jobs, AdminOptions options)
        : m_jobs(jobs), m_options(std::move(options)), m_started(std::chrono::steady_clock::now())
    {
    }

    boost::asio::awaitable<void> handle(Exchange& exchange) override;

private:
    boost::asio::awaitable<oci::Result<Response>> dispatch(Exchange& exchange);
    bool authorized(const Exchange& exchange) const;
    Response info() const;
    boost::asio::awaitable<oci::Result<Response>> startCollection(Exchange& exchange);
    oci::Result<Response> collection(std::string_view method, const std::string& id);

    registry::CollectionJobs& m_jobs;
    AdminOptions m_options;
    std::chrono::steady_clock::time_point m_started;
};

} // namespace berth::http
