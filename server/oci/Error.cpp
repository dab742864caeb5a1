#include "oci/Error.h"

namespace berth::oci {

std::string_view codeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BlobUnknown:
        return "BLOB_UNKNOWN";
    case ErrorCode::BlobUploadInvalid:
        return "BLOB_UPLOAD_INVALID";
    case ErrorCode::BlobUploadUnknown:
        return "BLOB_UPLOAD_UNKNOWN";
    case ErrorCode::DigestInvalid:
        return "DIGEST_INVALID";
    case ErrorCode::ManifestBlobUnknown:
        return "MANIFEST_BLOB_UNKNOWN";
    case ErrorCode::ManifestInvalid:
        return "MANIFEST_INVALID";
    case ErrorCode::ManifestUnknown:
        return "MANIFEST_UNKNOWN";
    case ErrorCode::NameInvalid:
        return "NAME_INVALID";
    case ErrorCode::NameUnknown:
        return "NAME_UNKNOWN";
    case ErrorCode::SizeInvalid:
        return "SIZE_INVALID";
    case ErrorCode::Unauthorized:
        return "UNAUTHORIZED";
    case ErrorCode::Denied:
        return "DENIED";
    case ErrorCode::Unsupported:
        return "UNSUPPORTED";
    case ErrorCode::TooManyRequests:
        return "TOOMANYREQUESTS";
    // The codes below are outside the spec's table; these are the names CNCF Distribution
    // sends for the same situations, so clients already recognise them.
    case ErrorCode::RangeInvalid:
        return "RANGE_INVALID";
    case ErrorCode::PayloadTooLarge:
        return "SIZE_INVALID";
    case ErrorCode::StorageFull:
    case ErrorCode::Unavailable:
        return "UNAVAILABLE";
    case ErrorCode::Internal:
        return "UNKNOWN";
    }
    return "UNKNOWN";
}

std::string quotedInput(std::string_view text)
{
    constexpr std::size_t maxShown = 80;
    std::string out = "\"";
    if (text.size() > maxShown) {
        out.append(text.substr(0, maxShown));
        out.append("...");
    } else {
        out.append(text);
    }
    out.push_back('"');
    return out;
}

} // namespace berth::oci
