#include "registry/StorageStatistics.h"

namespace berth::registry {

StorageStatistics computeStatistics(const RepositoryUsages& usages, const BlobSizes& blobs,
                                    UploadTotals uploads)
{
    // How many repositories reach each blob.
    std::unordered_map<oci::Digest, std::uint32_t, DigestHash> reachedBy;
    reachedBy.reserve(blobs.size());
    for (const auto& [name, usage] : usages) {
        for (const auto& digest : usage.blobs)
            ++reachedBy[digest];
    }
    const auto sizeOf = [&blobs](const oci::Digest& digest) {
        const auto found = blobs.find(digest);
        return found != blobs.end() ? found->second : std::uint64_t{0}; // referenced, but not in the store
    };

    StorageStatistics statistics;
    auto& totals = statistics.totals;
    statistics.repositories.reserve(usages.size());
    for (const auto& [name, usage] : usages) {
        RepositoryStatistics repository{
            name, 0, 0, 0, usage.tags, usage.manifests, usage.blobs.size(), usage.lastPush};
        for (const auto& digest : usage.blobs) {
            const auto size = sizeOf(digest);
            repository.logicalBytes += size;
            if (reachedBy[digest] == 1)
                repository.uniqueBytes += size;
        }
        repository.sharedBytes = repository.logicalBytes - repository.uniqueBytes;
        totals.manifests += usage.manifests;
        totals.tags += usage.tags;
        statistics.repositories.push_back(std::move(repository));
    }
    totals.repositories = usages.size();
    totals.blobs = blobs.size();
    for (const auto& [digest, size] : blobs) {
        totals.bytesOnDisk += size;
        if (!reachedBy.contains(digest))
            totals.unreferencedBytes += size;
    }
    totals.uploadSessions = uploads.sessions;
    totals.uploadBytes = uploads.bytes;
    return statistics;
}

} // namespace berth::registry
