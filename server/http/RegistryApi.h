#pragma once
// The OCI Distribution API (and the Docker Registry API v2 it grew from) on top of the
// registry services: decodes what a request asks, calls the registry, and translates the
// result into the spec's statuses, headers and JSON. No socket code here.

#include "http/Exchange.h"
#include "http/Router.h"
#include "registry/Registry.h"

#include <string>

namespace berth::http {

struct ApiOptions
{
    // Absolute base for Location headers ("https://registry.example.com"); empty for
    // relative URLs, which every client resolves against the request URL.
    std::string externalUrl;
};

class BasicAuthenticator;

class RegistryApi final : public RequestHandler
{
public:
    // With an `authenticator`, every request below /v2/ needs credentials it accepts.
    RegistryApi(registry::Registry& registry, ApiOptions options, BasicAuthenticator* authenticator = nullptr)
        : m_registry(registry), m_options(std::move(options)), m_authenticator(authenticator)
    {
    }

    boost::asio::awaitable<void> handle(Exchange& exchange) override;

private:
    boost::asio::awaitable<oci::Result<Response>> dispatch(Exchange& exchange, const Route& route);
    oci::Result<Response> base(Exchange& exchange);
    oci::Result<Response> health(Exchange& exchange);
    oci::Result<Response> catalog(Exchange& exchange, const Route& route);
    oci::Result<Response> tags(Exchange& exchange, const Route& route);
    oci::Result<Response> referrers(Exchange& exchange, const Route& route);
    boost::asio::awaitable<oci::Result<Response>> manifest(Exchange& exchange, const Route& route);
    boost::asio::awaitable<oci::Result<Response>> blob(Exchange& exchange, const Route& route);
    boost::asio::awaitable<oci::Result<Response>> startUpload(Exchange& exchange, const Route& route);
    boost::asio::awaitable<oci::Result<Response>> upload(Exchange& exchange, const Route& route);

    oci::Result<Response> getManifest(Exchange& exchange, const std::string& repository,
                                      const oci::Reference& reference);
    boost::asio::awaitable<oci::Result<Response>> putManifest(Exchange& exchange, const std::string& repository,
                                                              const oci::Reference& reference);
    oci::Result<Response> deleteManifest(const std::string& repository, const oci::Reference& reference);
    boost::asio::awaitable<oci::Result<Response>> getBlob(Exchange& exchange, const std::string& repository,
                                                          const oci::Digest& digest);
    // Appends the request body to the upload, checking Content-Range against its size.
    boost::asio::awaitable<oci::Result<void>> receiveChunk(Exchange& exchange, registry::UploadLease& lease);
    boost::asio::awaitable<oci::Result<Response>> finishUpload(Exchange& exchange, const std::string& repository,
                                                               registry::UploadLease& lease,
                                                               const std::optional<std::string>& digestText);

    Response uploadProgress(unsigned status, const std::string& repository, const registry::UploadSession& session);
    Response blobCreated(const std::string& repository, const oci::Digest& digest);
    std::string url(std::string_view path) const;

    registry::Registry& m_registry;
    ApiOptions m_options;
    BasicAuthenticator* m_authenticator;
};

} // namespace berth::http
