#include "http/Response.h"

#include "support/Logger.h"

namespace berth::http {

unsigned httpStatus(oci::ErrorCode code)
{
    using enum oci::ErrorCode;
    switch (code) {
    case BlobUnknown:
    case BlobUploadUnknown:
    case ManifestUnknown:
    case NameUnknown:
        return 404;
    case BlobUploadInvalid:
    case DigestInvalid:
    case ManifestBlobUnknown:
    case ManifestInvalid:
    case NameInvalid:
    case SizeInvalid:
        return 400;
    case Unauthorized:
        return 401;
    case Denied:
        return 403;
    case Unsupported:
        return 405;
    case PayloadTooLarge:
        return 413;
    case RangeInvalid:
        return 416;
    case TooManyRequests:
        return 429;
    case Internal:
        return 500;
    case Unavailable:
        return 503;
    case StorageFull:
        return 507;
    }
    return 500;
}

Response errorResponse(const oci::Error& error)
{
    std::string body = R"({"errors":[{"code":)";
    appendJsonString(body, oci::codeName(error.code));
    body += R"(,"message":)";
    appendJsonString(body, error.message);
    if (!error.detail.empty()) {
        body += R"(,"detail":)";
        appendJsonString(body, error.detail);
    }
    body += "}]}";
    return jsonResponse(httpStatus(error.code), std::move(body));
}

oci::Error methodNotAllowed(std::string_view method)
{
    return {oci::ErrorCode::Unsupported, "the operation is unsupported", std::string(method) + " is not allowed here"};
}

Response jsonResponse(unsigned status, std::string body)
{
    Response response;
    response.status = status;
    response.contentType = "application/json";
    response.body = std::move(body);
    return response;
}

} // namespace berth::http
