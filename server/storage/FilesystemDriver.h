#pragma once
// Stores files in a directory tree on a local (POSIX) filesystem, one file per path, so an
// existing CNCF Distribution root such as /var/lib/registry can be served as it is.
//
// Small files are replaced atomically: a temporary file in the hidden folder
// "<root>/.berth-tmp" (same filesystem, so rename(2) is atomic) is written, fsynced and
// renamed over the target. Readers and writers stream through a file descriptor, so
// content of any size never sits in memory. Safe for concurrent use from many threads, and
// several processes may share one root.

#include "storage/StorageDriver.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace berth::storage {

class FilesystemDriver final : public StorageDriver
{
public:
    // Hidden folder below the root for temporary files; never listed, refused as a path.
    static constexpr std::string_view temporaryFolder = ".berth-tmp";
    // Temporary files older than this are left over from a crash and removed at start;
    // younger ones may belong to another process using the same root.
    static constexpr std::chrono::minutes staleTemporaryAge{15};

    // Opens the store at `root`, creating the directory when missing, and removes stale
    // temporary files.
    static StorageResult<std::unique_ptr<FilesystemDriver>> create(const std::string& root);

    // Absolute path of the root directory.
    const std::string& root() const { return m_root; }

    std::string_view name() const override { return "filesystem"; }
    StorageResult<std::string> getContent(std::string_view path) override;
    StorageResult<void> putContent(std::string_view path, std::string_view content) override;
    StorageResult<std::unique_ptr<FileReader>> reader(std::string_view path, std::uint64_t offset) override;
    StorageResult<std::unique_ptr<FileWriter>> writer(std::string_view path, bool append) override;
    StorageResult<FileInfo> stat(std::string_view path) override;
    StorageResult<std::vector<std::string>> list(std::string_view path) override;
    StorageResult<void> move(std::string_view source, std::string_view destination) override;
    // Written in the temporary folder, then renamed into place.
    StorageResult<bool> createDirectory(std::string_view path, std::span<const NewFile> files) override;
    StorageResult<void> remove(std::string_view path) override;
    StorageResult<void> walk(std::string_view path,
                             const std::function<WalkAction(const FileInfo&)>& visitor) override;
    std::optional<std::uint64_t> freeSpace() const override;
    std::optional<std::uint64_t> totalSpace() const override;

private:
    explicit FilesystemDriver(std::string root);

    // A fresh name inside the temporary folder, unique across threads and processes.
    std::string temporaryPath();
    // Where `path` lives on disk; `path` must be valid.
    std::string nativePath(std::string_view path) const;
    // InvalidPath unless `path` is valid, outside the temporary folder, and (unless
    // `rootAllowed`) not the root.
    std::optional<StorageError> checkPath(std::string_view path, bool rootAllowed) const;
    // Sorted names in the directory `path`, each after `prefix`, without the temporary folder.
    StorageResult<std::vector<std::string>> readDirectory(std::string_view path,
                                                          std::string_view prefix = {}) const;
    // True when the visitor stopped the walk.
    StorageResult<bool> walkDirectory(std::string_view path,
                                      const std::function<WalkAction(const FileInfo&)>& visitor);

    std::string m_root; // absolute, without a trailing '/'
    std::string m_temporaryRoot;
    std::string m_instanceToken; // random, tells this process's temporary files apart
    std::atomic<std::uint64_t> m_nextTemporary{0};
};

} // namespace berth::storage
