#include "registry/CollectionJobs.h"

#include <algorithm>

namespace berth::registry {

CollectionJobs::~CollectionJobs()
{
    std::map<std::uint64_t, std::unique_ptr<Entry>> entries;
    {
        const std::scoped_lock lock(m_mutex);
        for (auto& [id, entry] : m_entries)
            entry->cancelRequested = true;
        entries.swap(m_entries);
    }
    for (auto& [id, entry] : entries) {
        if (entry->worker.joinable())
            entry->worker.join();
    }
}

std::string CollectionJobs::start(const CollectionOptions& options)
{
    const std::scoped_lock lock(m_mutex);
    forgetOldJobs();
    const auto number = m_nextId++;
    auto entry = std::make_unique<Entry>();
    entry->job.id = std::to_string(number);
    entry->job.options = options;
    auto& started = *entry;
    m_entries.emplace(number, std::move(entry));
    started.worker = std::thread([this, &started] { execute(started); });
    return started.job.id;
}

void CollectionJobs::execute(Entry& entry)
{
    GarbageCollector collector(m_registry);
    auto report = collector.run(
        entry.job.options,
        [this, &entry](const CollectionProgress& progress) {
            const std::scoped_lock lock(m_mutex);
            entry.job.progress = progress;
        },
        &entry.cancelRequested);
    const std::scoped_lock lock(m_mutex);
    if (!report) {
        entry.job.state = CollectionJob::State::Failed;
        entry.job.error = report.error().message + ": " + report.error().detail;
        return;
    }
    entry.job.state = report->cancelled ? CollectionJob::State::Cancelled : CollectionJob::State::Done;
    entry.job.report = std::move(report).value();
}

void CollectionJobs::forgetOldJobs()
{
    // Finished jobs beyond the most recent few go; running ones always stay.
    while (m_entries.size() >= remembered) {
        auto oldest = std::find_if(m_entries.begin(), m_entries.end(), [](const auto& item) {
            return item.second->job.state != CollectionJob::State::Running;
        });
        if (oldest == m_entries.end())
            return;
        if (oldest->second->worker.joinable())
            oldest->second->worker.join(); // finished: returns at once
        m_entries.erase(oldest);
    }
}

std::optional<CollectionJob> CollectionJobs::find(const std::string& id) const
{
    const std::scoped_lock lock(m_mutex);
    for (const auto& [number, entry] : m_entries) {
        if (entry->job.id == id)
            return entry->job;
    }
    return std::nullopt;
}

bool CollectionJobs::cancel(const std::string& id)
{
    const std::scoped_lock lock(m_mutex);
    for (auto& [number, entry] : m_entries) {
        if (entry->job.id == id) {
            entry->cancelRequested = true;
            return true;
        }
    }
    return false;
}

} // namespace berth::registry
