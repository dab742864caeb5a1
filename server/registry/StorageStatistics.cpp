#include "registry/StorageStatistics.h"

#include <algorithm>
#include <optional>

namespace berth::registry {

namespace {

// How many repositories, or images, reach each blob, by number.
using ReachCounts = std::vector<std::uint32_t>;

// Largest first; ties in a fixed order, so that equal figures list the same way every time.
bool largerImage(const ImageStatistics& a, const ImageStatistics& b)
{
    if (a.bytes != b.bytes)
        return a.bytes > b.bytes;
    if (a.repository != b.repository)
        return a.repository < b.repository;
    return a.digest < b.digest;
}

std::vector<ImageStatistics> imagesOf(const std::string& repository, const RepositoryUsage& usage,
                                      const ReachCounts& imagesReaching, const BlobTable& blobs)
{
    std::vector<ImageStatistics> images;
    images.reserve(usage.images.size());
    for (const auto& image : usage.images) {
        ImageStatistics statistics{
            repository,  blobs.digest(image.digest), blobs.typeName(image.mediaType), image.tags, 0, 0,
            image.pushed};
        for (const auto number : image.blobs) {
            const auto size = blobs.size(number).value_or(0); // referenced, but not in the store: 0
            statistics.bytes += size;
            if (imagesReaching[number] == 1)
                statistics.uniqueBytes += size;
        }
        images.push_back(std::move(statistics));
    }
    std::sort(images.begin(), images.end(), largerImage);
    return images;
}

std::vector<ImageStatistics> largestImages(const std::vector<RepositoryStatistics>& repositories)
{
    std::vector<const ImageStatistics*> all;
    for (const auto& repository : repositories) {
        for (const auto& image : repository.images)
            all.push_back(&image);
    }
    const auto kept = std::min(largestListed, all.size());
    std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(kept), all.end(),
                      [](const ImageStatistics* a, const ImageStatistics* b) { return largerImage(*a, *b); });
    std::vector<ImageStatistics> first;
    first.reserve(kept);
    for (std::size_t i = 0; i < kept; ++i)
        first.push_back(*all[i]);
    return first;
}

std::vector<LayerStatistics> largestLayers(const StorageUsage& usage, const ReachCounts& imagesReaching,
                                           const ReachCounts& repositoriesReaching)
{
    const auto& blobs = usage.blobs;
    // The least media type the repositories give each layer the store holds.
    std::vector<const std::string*> types(blobs.count(), nullptr);
    std::vector<BlobNumber> layers;
    for (const auto& [name, repository] : usage.repositories) {
        for (const auto& layer : repository.layers) {
            if (!blobs.size(layer.digest))
                continue; // not in the store: nothing on disk to show
            auto& type = types[layer.digest];
            const auto& given = blobs.typeName(layer.mediaType);
            if (!type)
                layers.push_back(layer.digest);
            if (!type || given < *type)
                type = &given;
        }
    }
    const auto kept = std::min(largestListed, layers.size());
    std::partial_sort(layers.begin(), layers.begin() + std::ptrdiff_t(kept), layers.end(),
                      [&blobs](BlobNumber a, BlobNumber b) {
                          const auto sizeA = *blobs.size(a);
                          const auto sizeB = *blobs.size(b);
                          return sizeA != sizeB ? sizeA > sizeB : blobs.less(a, b);
                      });
    std::vector<LayerStatistics> first;
    first.reserve(kept);
    for (std::size_t i = 0; i < kept; ++i) {
        const auto number = layers[i];
        first.push_back({blobs.digest(number), *types[number], *blobs.size(number), imagesReaching[number],
                         repositoriesReaching[number]});
    }
    return first;
}

// `numbers` as `renumber` maps them, distinct and sorted.
template <class Renumber>
std::vector<BlobNumber> renumbered(const std::vector<BlobNumber>& numbers, Renumber& renumber)
{
    std::vector<BlobNumber> mapped;
    mapped.reserve(numbers.size());
    for (const auto number : numbers)
        mapped.push_back(renumber(number));
    std::sort(mapped.begin(), mapped.end());
    return mapped;
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

StorageUsage compacted(const StorageUsage& usage)
{
    const auto& old = usage.blobs;
    StorageUsage fresh;
    std::vector<std::optional<BlobNumber>> numbers(old.count());
    const auto blob = [&](BlobNumber number) {
        auto& renumbered = numbers[number];
        if (!renumbered) {
            renumbered = fresh.blobs.number(old.digest(number));
            fresh.blobs.setSize(*renumbered, old.size(number));
        }
        return *renumbered;
    };
    const auto type = [&](TypeNumber number) { return fresh.blobs.type(old.typeName(number)); };
    for (BlobNumber number = 0; number < old.count(); ++number) {
        if (old.size(number))
            blob(number);
    }
    for (const auto& [name, repository] : usage.repositories) {
        RepositoryUsage copy{repository.tags,
                             repository.manifests,
                             repository.lastPush,
                             renumbered(repository.blobs, blob),
                             {},
                             {}};
        copy.images.reserve(repository.images.size());
        for (const auto& image : repository.images)
            copy.images.push_back({blob(image.digest), type(image.mediaType), image.tags, image.pushed,
                                   renumbered(image.blobs, blob)});
        copy.layers.reserve(repository.layers.size());
        for (const auto& layer : repository.layers)
            copy.layers.push_back({blob(layer.digest), type(layer.mediaType)});
        fresh.repositories.emplace_hint(fresh.repositories.end(), name, std::move(copy));
    }
    return fresh;
}

StorageStatistics computeStatistics(const StorageUsage& usage, UploadTotals uploads)
{
    const auto& blobs = usage.blobs;
    ReachCounts reachedBy(blobs.count());
    ReachCounts imagesReaching(blobs.count());
    for (const auto& [name, repository] : usage.repositories) {
        for (const auto number : repository.blobs)
            ++reachedBy[number];
        for (const auto& image : repository.images) {
            for (const auto number : image.blobs)
                ++imagesReaching[number];
        }
    }

    StorageStatistics statistics;
    auto& totals = statistics.totals;
    statistics.repositories.reserve(usage.repositories.size());
    for (const auto& [name, repository] : usage.repositories) {
        RepositoryStatistics figures{name,
                                     0,
                                     0,
                                     0,
                                     repository.tags,
                                     repository.manifests,
                                     repository.blobs.size(),
                                     repository.lastPush,
                                     imagesOf(name, repository, imagesReaching, blobs)};
        for (const auto number : repository.blobs) {
            const auto size = blobs.size(number).value_or(0);
            figures.logicalBytes += size;
            if (reachedBy[number] == 1)
                figures.uniqueBytes += size;
        }
        figures.sharedBytes = figures.logicalBytes - figures.uniqueBytes;
        totals.manifests += repository.manifests;
        totals.tags += repository.tags;
        statistics.repositories.push_back(std::move(figures));
    }
    statistics.largestImages = largestImages(statistics.repositories);
    statistics.largestLayers = largestLayers(usage, imagesReaching, reachedBy);

    totals.repositories = usage.repositories.size();
    totals.blobs = blobs.stored();
    for (BlobNumber number = 0; number < blobs.count(); ++number) {
        const auto size = blobs.size(number);
        totals.bytesOnDisk += size.value_or(0);
        if (size && reachedBy[number] == 0)
            totals.unreferencedBytes += *size;
    }
    totals.uploadSessions = uploads.sessions;
    totals.uploadBytes = uploads.bytes;
    return statistics;
}

} // namespace berth::registry
