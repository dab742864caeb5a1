#pragma once
// OrderedWork for many small pieces (a directory to list, a repository to read): the
// workers take them in chunks of consecutive pieces and hand over a chunk's results at
// once, so that threads meet once per chunk rather than once per piece. The consumer
// still receives every piece's result in order.

#include "registry/OrderedWork.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace berth::registry {

// Storage calls block: a few threads keep the device (or the cores, for a page cache) busy.
inline unsigned storageThreads()
{
    return std::clamp(std::thread::hardware_concurrency(), 2u, 4u);
}

template <class Result> class OrderedChunks
{
public:
    OrderedChunks(std::size_t count, unsigned threads, std::function<Result(std::size_t)> work)
        : m_chunkSize(chunkSize(count, threads)),
          m_chunks((count + m_chunkSize - 1) / m_chunkSize, threads,
                   [this, count, work = std::move(work)](std::size_t chunk) {
                       const std::size_t first = chunk * m_chunkSize;
                       const std::size_t last = std::min(count, first + m_chunkSize);
                       std::vector<Result> results;
                       results.reserve(last - first);
                       for (std::size_t piece = first; piece < last; ++piece)
                           results.push_back(work(piece));
                       return results;
                   })
    {
    }

    // The result of the next piece, waiting for it. Call at most `count` times.
    Result next()
    {
        if (m_position == m_chunk.size()) {
            m_chunk = m_chunks.next();
            m_position = 0;
        }
        return std::move(m_chunk[m_position++]);
    }

private:
    // Chunks small enough that every thread gets several (a slow piece then holds up little),
    // large enough that handing them over costs nothing next to the pieces themselves.
    static std::size_t chunkSize(std::size_t count, unsigned threads)
    {
        constexpr std::size_t largest = 64;
        return std::clamp<std::size_t>(count / (std::size_t{std::max(threads, 1u)} * 8), 1, largest);
    }

    const std::size_t m_chunkSize;
    OrderedWork<std::vector<Result>> m_chunks; // after m_chunkSize: its workers read it at once
    std::vector<Result> m_chunk;               // the chunk being handed out
    std::size_t m_position = 0;
};

} // namespace berth::registry
