#include "registry/StorageHistory.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"
#include "registry/WordReader.h"

#include <algorithm>

namespace berth::registry {

namespace {

constexpr std::string_view header = "berth-storage-history 1";

std::string encode(const std::deque<StorageSample>& samples)
{
    std::string text(header);
    text += '\n';
    for (const auto& sample : samples) {
        const auto& totals = sample.totals;
        const auto seconds =
            std::chrono::duration_cast<std::chrono::seconds>(sample.time.time_since_epoch()).count();
        text += "sample";
        for (const std::int64_t number :
             {seconds, std::int64_t(totals.bytesOnDisk), std::int64_t(totals.blobs),
              std::int64_t(totals.unreferencedBytes), std::int64_t(totals.manifests),
              std::int64_t(totals.tags), std::int64_t(totals.repositories),
              std::int64_t(totals.uploadSessions), std::int64_t(totals.uploadBytes)})
            text += ' ' + std::to_string(number);
        text += '\n';
        for (const auto& repository : sample.repositories)
            text += "repository " + repository.name + ' ' + std::to_string(repository.logicalBytes) + ' ' +
                    std::to_string(repository.uniqueBytes) + '\n';
    }
    return text;
}

std::optional<std::deque<StorageSample>> decode(std::string_view text)
{
    if (takeLine(text) != header)
        return std::nullopt;
    std::deque<StorageSample> samples;
    while (!text.empty()) {
        const auto line = takeLine(text);
        if (!line)
            return std::nullopt;
        WordReader words(*line);
        const auto kind = words.next();
        if (kind == "sample") {
            const auto seconds = words.number<std::int64_t>();
            StorageSample sample;
            auto& totals = sample.totals;
            for (auto* field :
                 {&totals.bytesOnDisk, &totals.blobs, &totals.unreferencedBytes, &totals.manifests,
                  &totals.tags, &totals.repositories, &totals.uploadSessions, &totals.uploadBytes}) {
                const auto number = words.number<std::uint64_t>();
                if (!number)
                    return std::nullopt;
                *field = *number;
            }
            if (!seconds || !words.atEnd())
                return std::nullopt;
            sample.time = std::chrono::system_clock::time_point(std::chrono::seconds(*seconds));
            samples.push_back(std::move(sample));
        } else if (kind == "repository" && !samples.empty()) {
            const auto name = words.next();
            const auto logical = words.number<std::uint64_t>();
            const auto unique = words.number<std::uint64_t>();
            if (!name || !logical || !unique || !words.atEnd())
                return std::nullopt;
            samples.back().repositories.push_back({std::string(*name), *logical, *unique});
        } else {
            return std::nullopt;
        }
    }
    return samples;
}

} // namespace

oci::Result<void> StorageHistory::load()
{
    auto text = m_driver.getContent(layout::storageHistory());
    if (!text) {
        if (text.error().kind == storage::ErrorKind::NotFound)
            return {};
        return unexpected(storageFailure(text.error()));
    }
    auto samples = decode(*text);
    if (!samples)
        return oci::fail(oci::ErrorCode::Internal, "the storage history is unreadable; it starts again",
                         layout::storageHistory());
    while (samples->size() > m_maxSamples)
        samples->pop_front();
    const std::scoped_lock lock(m_mutex);
    m_samples = std::move(*samples);
    return {};
}

oci::Result<void> StorageHistory::record(const StorageStatistics& statistics,
                                         std::chrono::system_clock::time_point time)
{
    StorageSample sample{std::chrono::floor<std::chrono::seconds>(time), statistics.totals, {}};
    std::vector<const RepositoryStatistics*> largest;
    largest.reserve(statistics.repositories.size());
    for (const auto& repository : statistics.repositories)
        largest.push_back(&repository);
    const auto kept = std::min(largest.size(), m_repositoriesPerSample);
    std::partial_sort(largest.begin(), largest.begin() + std::ptrdiff_t(kept), largest.end(),
                      [](const RepositoryStatistics* a, const RepositoryStatistics* b) {
                          return a->logicalBytes != b->logicalBytes ? a->logicalBytes > b->logicalBytes
                                                                    : a->name < b->name;
                      });
    for (std::size_t i = 0; i < kept; ++i)
        sample.repositories.push_back({largest[i]->name, largest[i]->logicalBytes, largest[i]->uniqueBytes});

    const std::scoped_lock lock(m_mutex);
    m_samples.push_back(std::move(sample));
    while (m_samples.size() > m_maxSamples)
        m_samples.pop_front();
    return orStorageFailure(m_driver.putContent(layout::storageHistory(), encode(m_samples)));
}

std::vector<StorageSample> StorageHistory::since(std::chrono::system_clock::time_point since) const
{
    const std::scoped_lock lock(m_mutex);
    const auto first = std::find_if(m_samples.begin(), m_samples.end(),
                                    [since](const StorageSample& sample) { return sample.time >= since; });
    return {first, m_samples.end()};
}

} // namespace berth::registry
