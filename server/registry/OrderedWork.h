#pragma once
// Independent pieces of work 0, 1, 2 ... run on a few threads, their results handed to one
// consumer in order: for a pass over many repositories whose storage calls would otherwise
// wait for each other. Workers stay at most `window` results ahead of the consumer, so
// memory stays bounded however many pieces there are; destroying the object stops them
// after the pieces they are running.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace berth::registry {

template <class Result> class OrderedWork
{
public:
    OrderedWork(std::size_t count, unsigned threads, std::function<Result(std::size_t)> work,
                std::size_t window = 64)
        : m_count(count), m_work(std::move(work)), m_slots(std::max<std::size_t>(window, 1))
    {
        const auto workers = std::min<std::size_t>(std::max(threads, 1u), count);
        for (std::size_t i = 0; i < workers; ++i)
            m_threads.emplace_back([this] { run(); });
    }
    ~OrderedWork()
    {
        {
            const std::scoped_lock lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        for (auto& thread : m_threads)
            thread.join();
    }
    OrderedWork(const OrderedWork&) = delete;
    OrderedWork& operator=(const OrderedWork&) = delete;

    // The result of the next piece, waiting for it. Call at most `count` times.
    Result next()
    {
        std::unique_lock lock(m_mutex);
        auto& slot = m_slots[m_consumed % m_slots.size()];
        m_changed.wait(lock, [&slot] { return slot.has_value(); });
        Result result = std::move(*slot);
        slot.reset();
        ++m_consumed;
        lock.unlock();
        m_changed.notify_all();
        return result;
    }

private:
    void run()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_changed.wait(lock, [this] {
                return m_stopping || m_next >= m_count || m_next < m_consumed + m_slots.size();
            });
            if (m_stopping || m_next >= m_count)
                return;
            const std::size_t index = m_next++;
            lock.unlock();
            Result result = m_work(index);
            lock.lock();
            m_slots[index % m_slots.size()] = std::move(result);
            m_changed.notify_all();
        }
    }

    const std::size_t m_count;
    const std::function<Result(std::size_t)> m_work;
    std::mutex m_mutex; // guards everything below
    std::condition_variable m_changed;
    std::vector<std::optional<Result>> m_slots; // piece i goes to slot i % size
    std::size_t m_next = 0;                     // the next piece a worker takes
    std::size_t m_consumed = 0;                 // pieces handed to the consumer
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace berth::registry
