#pragma once
// Reads from storage what the storage index derives its figures from: what a repository
// and each of its images reach (see StorageStatistics.h), every blob with its size, the
// upload sessions.

#include "registry/Registry.h"
#include "registry/StorageStatistics.h"

#include <optional>
#include <string_view>

namespace berth::registry {

class UsageScanner
{
public:
    explicit UsageScanner(Registry& registry) : m_registry(registry) {}

    // std::nullopt when the repository does not exist (any more).
    oci::Result<std::optional<RepositoryUsage>> repository(std::string_view name);
    oci::Result<BlobSizes> blobs();
    oci::Result<UploadTotals> uploads();

private:
    Registry& m_registry;
};

} // namespace berth::registry
