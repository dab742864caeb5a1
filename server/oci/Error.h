#pragma once
// The error codes of the OCI Distribution Specification, and the error value the registry
// returns. The HTTP layer maps each code to its status in one table.

#include "support/Expected.h"

#include <string>
#include <string_view>

namespace berth::oci {

enum class ErrorCode {
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    // Not in the spec's table, but needed to answer truthfully.
    RangeInvalid,       // 416: Content-Range out of order, or an unsatisfiable Range
    PayloadTooLarge,    // 413: manifest over the size limit
    StorageFull,        // 507: no space left; nothing partial becomes visible
    Unavailable,        // 503: e.g. uploads refused under disk pressure
    Internal,           // 500: storage failure with a message for the operator
};

// The spec's name for the code, e.g. "BLOB_UNKNOWN".
std::string_view codeName(ErrorCode code);

struct Error
{
    ErrorCode code;
    std::string message;
    std::string detail = {};
};

template <class T>
using Result = berth::Expected<T, Error>;

// Client input quoted for an error message, shortened so that a huge name or digest
// cannot bloat responses and logs: "abc" -> "\"abc\"".
std::string quotedInput(std::string_view text);

inline Unexpected<Error> fail(ErrorCode code, std::string message, std::string detail = {})
{
    return {Error{code, std::move(message), std::move(detail)}};
}

} // namespace berth::oci
