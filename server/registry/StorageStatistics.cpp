#include "registry/StorageStatistics.h"

#include <algorithm>

namespace berth::registry {

namespace {

using ReachCounts = std::unordered_map<oci::Digest, std::uint32_t, DigestHash>;

std::uint32_t countOf(const ReachCounts& counts, const oci::Digest& digest)
{
    const auto found = counts.find(digest);
    return found != counts.end() ? found->second : 0;
}

// Largest first; ties in a fixed order, so that equal figures list the same way every time.
bool largerImage(const ImageStatistics& a, const ImageStatistics& b)
{
    if (a.bytes != b.bytes)
        return a.bytes > b.bytes;
    if (a.repository != b.repository)
        return a.repository < b.repository;
    return a.digest < b.digest;
}

bool largerLayer(const LayerStatistics& a, const LayerStatistics& b)
{
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.digest < b.digest;
}

// The `limit` first of `items` in `order`, copied.
template <class Item, class Order>
std::vector<Item> firstOf(std::vector<const Item*> sorted, std::size_t limit, Order order)
{
    const auto kept = std::min(limit, sorted.size());
    std::partial_sort(sorted.begin(), sorted.begin() + std::ptrdiff_t(kept), sorted.end(),
                      [&order](const Item* a, const Item* b) { return order(*a, *b); });
    std::vector<Item> first;
    first.reserve(kept);
    for (std::size_t i = 0; i < kept; ++i)
        first.push_back(*sorted[i]);
    return first;
}

class Sizes
{
public:
    explicit Sizes(const BlobSizes& blobs) : m_blobs(blobs) {}

    std::uint64_t operator()(const oci::Digest& digest) const
    {
        const auto found = m_blobs.find(digest);
        return found != m_blobs.end() ? found->second : std::uint64_t{0}; // referenced, but not in the store
    }

private:
    const BlobSizes& m_blobs;
};

std::vector<ImageStatistics> imagesOf(const std::string& repository, const RepositoryUsage& usage,
                                      const ReachCounts& imagesReaching, const Sizes& sizeOf)
{
    std::vector<ImageStatistics> images;
    images.reserve(usage.images.size());
    for (const auto& image : usage.images) {
        ImageStatistics statistics{repository, image.digest, image.mediaType, image.tags, 0, 0, image.pushed};
        for (const auto& digest : image.blobs) {
            const auto size = sizeOf(digest);
            statistics.bytes += size;
            if (countOf(imagesReaching, digest) == 1)
                statistics.uniqueBytes += size;
        }
        images.push_back(std::move(statistics));
    }
    std::sort(images.begin(), images.end(), largerImage);
    return images;
}

std::vector<LayerStatistics> largestLayers(const RepositoryUsages& usages, const ReachCounts& imagesReaching,
                                           const ReachCounts& repositoriesReaching, const BlobSizes& blobs)
{
    std::unordered_map<oci::Digest, LayerStatistics, DigestHash> layers;
    for (const auto& [name, usage] : usages) {
        for (const auto& layer : usage.layers) {
            const auto size = blobs.find(layer.digest);
            if (size == blobs.end())
                continue; // not in the store: nothing on disk to show
            auto [found, added] = layers.try_emplace(
                layer.digest, LayerStatistics{layer.digest, layer.mediaType, size->second, 0, 0});
            if (added) {
                found->second.images = countOf(imagesReaching, layer.digest);
                found->second.repositories = countOf(repositoriesReaching, layer.digest);
            } else {
                found->second.mediaType = std::min(found->second.mediaType, layer.mediaType);
            }
        }
    }
    std::vector<const LayerStatistics*> all;
    all.reserve(layers.size());
    for (const auto& [digest, layer] : layers)
        all.push_back(&layer);
    return firstOf(std::move(all), largestListed, largerLayer);
}

} // namespace

const RepositoryStatistics* StorageStatistics::repository(std::string_view name) const
{
    const auto found = std::lower_bound(repositories.begin(), repositories.end(), name,
                                        [](const RepositoryStatistics& repository, std::string_view wanted) {
                                            return repository.name < wanted;
                                        });
    return found != repositories.end() && found->name == name ? &*found : nullptr;
}

StorageStatistics computeStatistics(const RepositoryUsages& usages, const BlobSizes& blobs,
                                    UploadTotals uploads)
{
    // How many repositories, and how many images, reach each blob.
    ReachCounts reachedBy;
    ReachCounts imagesReaching;
    reachedBy.reserve(blobs.size());
    imagesReaching.reserve(blobs.size());
    for (const auto& [name, usage] : usages) {
        for (const auto& digest : usage.blobs)
            ++reachedBy[digest];
        for (const auto& image : usage.images) {
            for (const auto& digest : image.blobs)
                ++imagesReaching[digest];
        }
    }
    const Sizes sizeOf(blobs);

    StorageStatistics statistics;
    auto& totals = statistics.totals;
    statistics.repositories.reserve(usages.size());
    for (const auto& [name, usage] : usages) {
        RepositoryStatistics repository{name,
                                        0,
                                        0,
                                        0,
                                        usage.tags,
                                        usage.manifests,
                                        usage.blobs.size(),
                                        usage.lastPush,
                                        imagesOf(name, usage, imagesReaching, sizeOf)};
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
    // Pointers only once the vector no longer grows.
    std::vector<const ImageStatistics*> allImages;
    for (const auto& repository : statistics.repositories) {
        for (const auto& image : repository.images)
            allImages.push_back(&image);
    }
    statistics.largestImages = firstOf(std::move(allImages), largestListed, largerImage);
    statistics.largestLayers = largestLayers(usages, imagesReaching, reachedBy, blobs);

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
