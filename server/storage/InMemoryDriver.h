#pragma once
// Keeps every file in memory, for tests and for `storage: inmemory` when nothing has to
// survive a restart. Same contract as the filesystem driver, safe for concurrent use.
// An optional capacity makes it run out of space like a full disk, so NoSpace handling
// can be tested anywhere, and an optional clock dates what it writes, so tests can store
// files "pushed" days apart without waiting.

#include "storage/StorageDriver.h"

#include <functional>
#include <memory>

namespace berth::storage {

class InMemoryDriver final : public StorageDriver
{
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // `capacity` bounds the bytes stored; unlimited when absent. `clock` dates every write
    // and is called from any thread; the system clock when empty.
    explicit InMemoryDriver(std::optional<std::uint64_t> capacity = std::nullopt, Clock clock = {});

    std::string_view name() const override { return "inmemory"; }
    StorageResult<std::string> getContent(std::string_view path) override;
    StorageResult<void> putContent(std::string_view path, std::string_view content) override;
    StorageResult<std::unique_ptr<FileReader>> reader(std::string_view path, std::uint64_t offset) override;
    StorageResult<std::unique_ptr<FileWriter>> writer(std::string_view path, bool append) override;
    StorageResult<FileInfo> stat(std::string_view path) override;
    StorageResult<std::vector<std::string>> list(std::string_view path) override;
    StorageResult<void> move(std::string_view source, std::string_view destination) override;
    StorageResult<bool> createDirectory(std::string_view path, std::span<const NewFile> files) override;
    StorageResult<void> remove(std::string_view path) override;
    StorageResult<void> walk(std::string_view path,
                             const std::function<WalkAction(const FileInfo&)>& visitor) override;
    // Room left below the capacity; nullopt when unlimited.
    std::optional<std::uint64_t> freeSpace() const override;
    // The capacity; nullopt when unlimited.
    std::optional<std::uint64_t> totalSpace() const override;

private:
    struct State;
    class Reader;
    class Writer;

    // Shared with readers and writers.
    std::shared_ptr<State> m_state;
};

} // namespace berth::storage
