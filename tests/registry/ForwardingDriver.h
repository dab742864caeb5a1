#pragma once
// A storage driver that passes every call on to another one, for tests to derive from and
// override only the calls they watch or hold up; and a Gate to hold one up with.

#include "storage/StorageDriver.h"

#include <atomic>
#include <chrono>
#include <semaphore>

namespace berth::test {

// Holds the first thread that passes it until the test releases it.
class Gate
{
public:
    // Called on the way through; only the first caller waits.
    void pass()
    {
        if (m_used.exchange(true))
            return;
        m_held.release();
        m_released.acquire();
    }
    // Whether a caller reached the gate within `timeout`.
    bool waitUntilHeld(std::chrono::milliseconds timeout) { return m_held.try_acquire_for(timeout); }
    void release() { m_released.release(); }

private:
    std::atomic<bool> m_used{false};
    std::binary_semaphore m_held{0};
    std::binary_semaphore m_released{0};
};

class ForwardingDriver : public storage::StorageDriver
{
public:
    explicit ForwardingDriver(storage::StorageDriver& inner) : m_inner(inner) {}

    std::string_view name() const override { return m_inner.name(); }
    storage::StorageResult<std::string> getContent(std::string_view path) override
    {
        return m_inner.getContent(path);
    }
    storage::StorageResult<void> putContent(std::string_view path, std::string_view content) override
    {
        return m_inner.putContent(path, content);
    }
    storage::StorageResult<std::unique_ptr<storage::FileReader>> reader(std::string_view path,
                                                                        std::uint64_t offset) override
    {
        return m_inner.reader(path, offset);
    }
    storage::StorageResult<std::unique_ptr<storage::FileWriter>> writer(std::string_view path,
                                                                        bool append) override
    {
        return m_inner.writer(path, append);
    }
    storage::StorageResult<storage::FileInfo> stat(std::string_view path) override
    {
        return m_inner.stat(path);
    }
    storage::StorageResult<std::vector<std::string>> list(std::string_view path) override
    {
        return m_inner.list(path);
    }
    storage::StorageResult<void> move(std::string_view source, std::string_view destination) override
    {
        return m_inner.move(source, destination);
    }
    storage::StorageResult<bool> createDirectory(std::string_view path,
                                                 std::span<const storage::NewFile> files) override
    {
        return m_inner.createDirectory(path, files);
    }
    storage::StorageResult<void> remove(std::string_view path) override { return m_inner.remove(path); }
    storage::StorageResult<void>
    walk(std::string_view path,
         const std::function<storage::WalkAction(const storage::FileInfo&)>& visitor) override
    {
        return m_inner.walk(path, visitor);
    }
    std::optional<std::uint64_t> freeSpace() const override { return m_inner.freeSpace(); }
    std::optional<std::uint64_t> totalSpace() const override { return m_inner.totalSpace(); }

private:
    storage::StorageDriver& m_inner;
};

} // namespace berth::test
