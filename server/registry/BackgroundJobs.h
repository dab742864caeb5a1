#pragma once
// Long work started on request (garbage collection, retention runs) and run on a thread
// of its own, so the registry keeps serving: each job can be watched while it runs and
// cancelled, and the most recent ones are remembered for their results.
//
// Report must have a `bool cancelled`, set when the work stopped because it was asked to.

#include "oci/Error.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace berth::registry {

enum class JobState
{
    Running,
    Done,
    Failed,
    Cancelled
};

// "running", "done", "failed", "cancelled".
inline std::string_view toString(JobState state)
{
    switch (state) {
    case JobState::Running:
        return "running";
    case JobState::Done:
        return "done";
    case JobState::Failed:
        return "failed";
    case JobState::Cancelled:
        return "cancelled";
    }
    return "failed";
}

template <class Options, class Progress, class Report> struct BackgroundJob
{
    using State = JobState;

    std::string id;
    Options options;
    State state = State::Running;
    Progress progress;
    std::optional<Report> report; // when Done or Cancelled
    std::string error;            // when Failed
};

template <class Options, class Progress, class Report> class BackgroundJobs
{
public:
    using Job = BackgroundJob<Options, Progress, Report>;
    using ProgressCallback = std::function<void(const Progress&)>;
    // The work of one job; it polls `cancel` between items.
    using Work = std::function<oci::Result<Report>(const Options&, const ProgressCallback&,
                                                   const std::atomic<bool>& cancel)>;

    explicit BackgroundJobs(Work work) : m_work(std::move(work)) {}
    ~BackgroundJobs() { cancelAndWait(); }
    BackgroundJobs(const BackgroundJobs&) = delete;
    BackgroundJobs& operator=(const BackgroundJobs&) = delete;

    // Starts a job; returns its id.
    std::string start(const Options& options)
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

    // A copy of the job's state; std::nullopt for unknown ids.
    std::optional<Job> find(const std::string& id) const
    {
        const std::scoped_lock lock(m_mutex);
        const auto* entry = lookup(id);
        return entry ? std::optional<Job>(entry->job) : std::nullopt;
    }

    // Asks a running job to stop; false for unknown ids.
    bool cancel(const std::string& id)
    {
        const std::scoped_lock lock(m_mutex);
        auto* entry = lookup(id);
        if (entry)
            entry->cancelRequested = true;
        return entry != nullptr;
    }

protected:
    // Cancels what still runs and waits for it. A subclass whose work uses its own members
    // calls this in its destructor, before those members go.
    void cancelAndWait()
    {
        std::map<std::uint64_t, std::unique_ptr<Entry>> entries;
        {
            const std::scoped_lock lock(m_mutex);
            for (auto& [number, entry] : m_entries)
                entry->cancelRequested = true;
            entries.swap(m_entries);
        }
        for (auto& [number, entry] : entries) {
            if (entry->worker.joinable())
                entry->worker.join();
        }
    }

private:
    struct Entry
    {
        Job job;
        std::atomic<bool> cancelRequested{false};
        std::thread worker;
    };
    static constexpr std::size_t remembered = 32;

    void execute(Entry& entry)
    {
        const ProgressCallback progress = [this, &entry](const Progress& state) {
            const std::scoped_lock lock(m_mutex);
            entry.job.progress = state;
        };
        auto report = m_work(entry.job.options, progress, entry.cancelRequested);
        const std::scoped_lock lock(m_mutex);
        if (!report) {
            entry.job.state = JobState::Failed;
            entry.job.error = report.error().message + ": " + report.error().detail;
            return;
        }
        entry.job.state = report->cancelled ? JobState::Cancelled : JobState::Done;
        entry.job.report = std::move(report).value();
    }

    // Finished jobs beyond the most recent few go; running ones always stay.
    void forgetOldJobs()
    {
        while (m_entries.size() >= remembered) {
            auto oldest = std::find_if(m_entries.begin(), m_entries.end(), [](const auto& item) {
                return item.second->job.state != JobState::Running;
            });
            if (oldest == m_entries.end())
                return;
            if (oldest->second->worker.joinable())
                oldest->second->worker.join(); // finished: returns at once
            m_entries.erase(oldest);
        }
    }

    Entry* lookup(const std::string& id) const
    {
        for (const auto& [number, entry] : m_entries) {
            if (entry->job.id == id)
                return entry.get();
        }
        return nullptr;
    }

    Work m_work;
    mutable std::mutex m_mutex;
    std::uint64_t m_nextId = 1;
    std::map<std::uint64_t, std::unique_ptr<Entry>> m_entries;
};

} // namespace berth::registry
