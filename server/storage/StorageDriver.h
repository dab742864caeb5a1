#pragma once
// The storage driver interface: bytes at paths, nothing about OCI.
//
// Paths are absolute within the driver ("/docker/registry/v2/blobs/..."), '/'-separated,
// with no empty, "." or ".." components; every method refuses anything else with
// InvalidPath, so no name can escape the storage root. Directories are implicit: they
// exist while something is stored below them and writes create them as needed.
// "/" is the root directory: it always exists, stat, list and walk accept it, and the
// methods that need a file refuse it with InvalidPath. A method that needs a file and finds
// a directory (or needs a directory and finds a file), or would write below a file, also
// returns InvalidPath. Readers and writers must not outlive their driver.

#include "support/Expected.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace berth::storage {

enum class ErrorKind {
    NotFound,      // no such file or directory
    InvalidPath,   // path is malformed or tries to escape the root
    InvalidOffset, // reader offset past the end, or resume at a size that does not match
    NoSpace,       // the device is full; nothing partial was left visible
    Io,            // any other failure of the underlying store
};

struct StorageError
{
    ErrorKind kind;
    std::string driver; // "filesystem", "inmemory", ...
    std::string path;
    std::string detail; // e.g. strerror text

    // "filesystem: /path: detail" for logs and 5xx messages.
    std::string message() const;
};

template <class T>
using StorageResult = berth::Expected<T, StorageError>;

struct FileInfo
{
    std::string path;
    std::uint64_t size = 0; // 0 for directories
    bool isDirectory = false;
    std::chrono::system_clock::time_point modified;
};

// Sequential reader opened at an offset.
class FileReader
{
public:
    virtual ~FileReader() = default;
    // Reads up to buffer.size() bytes; 0 means end of file.
    virtual StorageResult<std::size_t> read(std::span<std::byte> buffer) = 0;
    // Total size of the file (not what is left to read).
    virtual std::uint64_t size() const = 0;
    // An open file descriptor positioned at the current offset, for sendfile(2);
    // -1 when the driver has none. The reader keeps ownership.
    virtual int nativeHandle() const { return -1; }
};

// Appending writer for large content (uploads). Bytes written are not guaranteed durable
// until commit(). A writer opened with append=true resumes at the current size.
// A failed write or commit discards the file (nothing partial stays visible) and closes the
// writer, as cancel() does; every later call on a closed writer fails with Io.
class FileWriter
{
public:
    virtual ~FileWriter() = default;
    virtual StorageResult<void> write(std::span<const std::byte> bytes) = 0;
    // Bytes in the file so far, including those before a resume.
    virtual std::uint64_t size() const = 0;
    // Flushes and fsyncs; the content stays at the writer's path and can be resumed later.
    // A checkpoint: the writer stays open for more writes.
    virtual StorageResult<void> commit() = 0;
    // Discards the file and closes the writer; calling it again does nothing.
    virtual StorageResult<void> cancel() = 0;
};

enum class WalkAction { Continue, SkipDirectory, Stop };

// One file of a directory that createDirectory() makes whole.
struct NewFile
{
    std::string path; // relative to the directory: "a/b", no leading '/'
    std::string content;
};

class StorageDriver
{
public:
    virtual ~StorageDriver() = default;

    // Short name used in errors and logs.
    virtual std::string_view name() const = 0;

    // Whole content of a small file. NotFound when absent.
    virtual StorageResult<std::string> getContent(std::string_view path) = 0;
    // Replaces the file atomically (temp file, fsync, rename): a crash leaves the old
    // content or the new, never a mix. Creates parent directories.
    virtual StorageResult<void> putContent(std::string_view path, std::string_view content) = 0;

    // Reader at `offset`. NotFound when absent, InvalidOffset when offset > size.
    virtual StorageResult<std::unique_ptr<FileReader>> reader(std::string_view path,
                                                              std::uint64_t offset = 0) = 0;
    // Writer for `path`: truncates unless `append`, which resumes at the current size
    // (NotFound when appending to a missing file).
    virtual StorageResult<std::unique_ptr<FileWriter>> writer(std::string_view path, bool append) = 0;

    // File or directory info. NotFound when absent.
    virtual StorageResult<FileInfo> stat(std::string_view path) = 0;
    // Full paths of the direct children of a directory, sorted. NotFound when absent.
    virtual StorageResult<std::vector<std::string>> list(std::string_view path) = 0;
    // Moves a file to `destination` atomically, replacing what is there and creating
    // parent directories. NotFound when the source is absent.
    virtual StorageResult<void> move(std::string_view source, std::string_view destination) = 0;
    // Creates the directory `path` holding `files` (at least one) in one step: nothing of it
    // is visible before all of it is, and a crash leaves all of it or none. Returns false,
    // writing nothing, when something is at `path` already. Creates parent directories.
    virtual StorageResult<bool> createDirectory(std::string_view path, std::span<const NewFile> files) = 0;
    // Deletes a file or a whole directory tree, then prunes now-empty parent directories.
    // NotFound when absent.
    virtual StorageResult<void> remove(std::string_view path) = 0;
    // Depth-first walk below `path` in sorted order; the visitor decides whether to
    // descend. NotFound when `path` is absent. The visitor may change the store: entries
    // removed before they are reached are skipped.
    virtual StorageResult<void> walk(std::string_view path,
                                     const std::function<WalkAction(const FileInfo&)>& visitor) = 0;

    // Free bytes on the device backing the store, when the driver can tell.
    virtual std::optional<std::uint64_t> freeSpace() const { return std::nullopt; }
    // Size of that device in bytes, when the driver can tell.
    virtual std::optional<std::uint64_t> totalSpace() const { return std::nullopt; }
};

// True for "/a/b" and for the root "/": absolute, no empty, "." or ".." components, no
// trailing '/', no NUL.
bool isValidStoragePath(std::string_view path);
// The full paths of createDirectory()'s `files` below `directory`, in their order; InvalidPath
// (naming `driver`) when there are none, or one is malformed, or names the same file as
// another or a directory above it.
StorageResult<std::vector<std::string>> newFilePaths(std::string_view driver, std::string_view directory,
                                                     std::span<const NewFile> files);

} // namespace berth::storage
