#include "storage/FilesystemDriver.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <random>
#include <set>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace berth::storage {

namespace {

constexpr std::string_view driverName = "filesystem";
// The C structs share their names with functions, hence the aliases.
using FileStatus = struct stat;
using FilesystemStatus = struct statvfs;
// A concurrent remove() may prune a directory between our mkdir and our use of it (or
// between two of our mkdirs); each attempt starts over from the top.
constexpr int parentAttempts = 16;

// Owns a file descriptor.
class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }
    void reset(int fd = -1)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }
    // Closes, returning 0 or errno: some filesystems report deferred write errors here.
    int close()
    {
        const int result = ::close(std::exchange(m_fd, -1));
        return result == 0 ? 0 : errno;
    }

private:
    int m_fd = -1;
};

enum class Access
{
    Read,
    Write
};

berth::Unexpected<StorageError> failure(ErrorKind kind, std::string_view path, std::string detail)
{
    return berth::unexpected(
        StorageError{kind, std::string(driverName), std::string(path), std::move(detail)});
}

// Maps errno to the contract's kinds. A parent that is a file means "absent" to a reader,
// and a conflicting path to a writer.
berth::Unexpected<StorageError> systemFailure(int error, std::string_view path, Access access)
{
    ErrorKind kind = ErrorKind::Io;
    switch (error) {
    case ENOENT:
        kind = ErrorKind::NotFound;
        break;
    case ENOTDIR:
        kind = access == Access::Read ? ErrorKind::NotFound : ErrorKind::InvalidPath;
        break;
    case EISDIR:
    case ENAMETOOLONG:
        kind = ErrorKind::InvalidPath;
        break;
    case ENOSPC:
    case EDQUOT:
        kind = ErrorKind::NoSpace;
        break;
    default:
        break;
    }
    return failure(kind, path, std::generic_category().message(error));
}

std::chrono::system_clock::time_point toTimePoint(const timespec& time)
{
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(time.tv_sec) + std::chrono::nanoseconds(time.tv_nsec)));
}

FileInfo toFileInfo(std::string path, const FileStatus& status)
{
    FileInfo info;
    info.path = std::move(path);
    info.isDirectory = S_ISDIR(status.st_mode);
    info.size = info.isDirectory ? 0 : static_cast<std::uint64_t>(status.st_size);
    info.modified = toTimePoint(status.st_mtim);
    return info;
}

std::string parentOf(const std::string& nativePath)
{
    const std::size_t slash = nativePath.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? std::string("/") : nativePath.substr(0, slash);
}

// Returns 0 or errno, like the helpers below.
int syncDirectory(const std::string& directory)
{
    const UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        return errno;
    return ::fsync(fd.get()) == 0 ? 0 : errno;
}

int writeAll(int fd, std::span<const std::byte> bytes)
{
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            return errno;
        if (written == 0)
            return EIO; // no progress and no error: do not spin
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
    return 0;
}

ssize_t readRetrying(int fd, void* buffer, std::size_t size)
{
    ssize_t count = 0;
    do {
        count = ::read(fd, buffer, size);
    } while (count < 0 && errno == EINTR);
    return count;
}

// mkdir -p for `directory`, skipping its first `existing` characters (known to exist).
// New entries are fsynced so that a write acknowledged later survives a crash.
int makeDirectories(const std::string& directory, std::size_t existing)
{
    std::size_t end = existing;
    while (end < directory.size()) {
        end = std::min(directory.find('/', end + 1), directory.size());
        const std::string prefix = directory.substr(0, end);
        if (::mkdir(prefix.c_str(), 0777) == 0) {
            if (const int error = syncDirectory(parentOf(prefix)))
                return error;
        } else if (errno != EEXIST) {
            return errno;
        }
    }
    return 0;
}

// Runs `operation` (0 or errno) on `target`; when a parent directory is missing, creates
// the parents below `root` and tries again.
template <class Operation>
int withParents(const std::string& root, const std::string& target, Operation operation)
{
    int error = operation();
    for (int attempt = 1; error == ENOENT && attempt < parentAttempts; ++attempt) {
        error = makeDirectories(parentOf(target), root.size());
        if (error == 0)
            error = operation();
    }
    return error;
}

// Removes the now-empty directories above `nativePath`, up to (not including) the root.
void pruneEmptyParents(const std::string& root, const std::string& nativePath)
{
    for (std::string directory = parentOf(nativePath); directory.size() > root.size();
         directory = parentOf(directory)) {
        if (::rmdir(directory.c_str()) != 0)
            return; // not empty: everything above is in use too
    }
}

// Names in the directory open at `directory`, without "." and "..", each after `prefix`,
// sorted. getdents64(2) fills one buffer with many entries; opendir(3) would also stat the
// directory first. Built with their prefix, full paths cost one allocation each, not two.
int readNames(int directory, std::vector<std::string>& names, std::string_view prefix = {})
{
    constexpr std::size_t bufferSize = std::size_t{32} * 1024;
    const auto buffer = std::make_unique_for_overwrite<char[]>(bufferSize); // new[]: aligned for dirent64
    for (;;) {
        const ssize_t count = ::getdents64(directory, buffer.get(), bufferSize);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            return errno;
        if (count == 0)
            break;
        for (ssize_t offset = 0; offset < count;) {
            const auto* entry = reinterpret_cast<const dirent64*>(buffer.get() + offset);
            const std::string_view name = entry->d_name;
            if (name != "." && name != "..") {
                std::string& entry = names.emplace_back();
                entry.reserve(prefix.size() + name.size());
                entry.append(prefix).append(name);
            }
            offset += entry->d_reclen;
        }
    }
    std::sort(names.begin(), names.end());
    return 0;
}

// Deletes the file or tree `name` in the directory `parent`. Entries that vanish meanwhile
// are fine: someone else deleted them. Symbolic links are removed, never followed.
int removeTree(int parent, const char* name)
{
    if (::unlinkat(parent, name, 0) == 0 || errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return errno;
    const UniqueFd directory(::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!directory)
        return errno == ENOENT ? 0 : errno;
    std::vector<std::string> names;
    if (const int error = readNames(directory.get(), names))
        return error;
    for (const std::string& child : names) {
        if (const int error = removeTree(directory.get(), child.c_str()))
            return error;
    }
    if (::unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        return errno;
    return 0;
}

// Best effort: a leftover temporary file wastes space but harms nothing, so failing to
// delete one must not stop the server from starting.
void removeStaleTemporaries(const std::string& temporaryRoot)
{
    const UniqueFd directory(::open(temporaryRoot.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    std::vector<std::string> names;
    if (!directory || readNames(directory.get(), names) != 0)
        return;
    const auto now = std::chrono::system_clock::now();
    for (const std::string& name : names) {
        FileStatus status{};
        if (::fstatat(directory.get(), name.c_str(), &status, AT_SYMLINK_NOFOLLOW) == 0 &&
            now - toTimePoint(status.st_mtim) > FilesystemDriver::staleTemporaryAge)
            removeTree(directory.get(), name.c_str());
    }
}

// Writes `files` into the new, empty `directory`, every file and directory entry fsynced.
// Returns 0 or errno.
int writeFiles(const std::string& directory, std::span<const NewFile> files)
{
    std::set<std::string> directories{directory};
    for (const NewFile& file : files) {
        const std::string native = directory + '/' + file.path;
        const std::string parent = parentOf(native);
        if (const int error = makeDirectories(parent, directory.size()))
            return error;
        UniqueFd fd(::open(native.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
        if (!fd)
            return errno;
        int error = writeAll(fd.get(), std::as_bytes(std::span(file.content.data(), file.content.size())));
        if (error == 0 && ::fsync(fd.get()) != 0)
            error = errno;
        if (const int closed = fd.close(); error == 0)
            error = closed;
        if (error != 0)
            return error;
        directories.insert(parent);
    }
    for (const std::string& written : directories) {
        if (const int error = syncDirectory(written))
            return error;
    }
    return 0;
}

std::string randomToken()
{
    std::random_device device;
    const std::uint64_t value = (std::uint64_t{device()} << 32) | device();
    static constexpr std::string_view digits = "0123456789abcdef";
    std::string token(16, '0');
    for (std::size_t i = 0; i < token.size(); ++i)
        token[i] = digits[(value >> (4 * i)) & 0xf];
    return token;
}

std::string childPath(std::string_view directory, std::string_view name)
{
    std::string path(directory);
    if (path != "/")
        path += '/';
    path += name;
    return path;
}

class FilesystemReader final : public FileReader
{
public:
    FilesystemReader(UniqueFd fd, std::string path, std::uint64_t size)
        : m_fd(std::move(fd)), m_path(std::move(path)), m_size(size)
    {
    }

    StorageResult<std::size_t> read(std::span<std::byte> buffer) override
    {
        const ssize_t count = readRetrying(m_fd.get(), buffer.data(), buffer.size());
        if (count < 0)
            return systemFailure(errno, m_path, Access::Read);
        return static_cast<std::size_t>(count);
    }
    std::uint64_t size() const override { return m_size; }
    // read(2) moves the descriptor's offset, so it always matches what was consumed.
    int nativeHandle() const override { return m_fd.get(); }

private:
    UniqueFd m_fd;
    std::string m_path;
    std::uint64_t m_size;
};

class FilesystemWriter final : public FileWriter
{
public:
    FilesystemWriter(std::string root, std::string path, std::string nativePath, UniqueFd fd,
                     std::uint64_t size)
        : m_root(std::move(root)), m_path(std::move(path)), m_nativePath(std::move(nativePath)),
          m_fd(std::move(fd)), m_size(size)
    {
    }

    StorageResult<void> write(std::span<const std::byte> bytes) override
    {
        if (!m_fd)
            return closedFailure();
        if (const int error = writeAll(m_fd.get(), bytes)) {
            discard();
            return systemFailure(error, m_path, Access::Write);
        }
        m_size += bytes.size();
        return {};
    }

    std::uint64_t size() const override { return m_size; }

    StorageResult<void> commit() override
    {
        if (!m_fd)
            return closedFailure();
        int error = ::fsync(m_fd.get()) == 0 ? 0 : errno;
        // The file's directory entry must be durable too; once per writer is enough.
        if (error == 0 && !m_entrySynced) {
            error = syncDirectory(parentOf(m_nativePath));
            m_entrySynced = error == 0;
        }
        if (error != 0) {
            discard();
            return systemFailure(error, m_path, Access::Write);
        }
        return {};
    }

    StorageResult<void> cancel() override
    {
        if (m_fd)
            discard();
        return {};
    }

private:
    berth::Unexpected<StorageError> closedFailure() const
    {
        return failure(ErrorKind::Io, m_path, "writer is closed");
    }

    void discard()
    {
        // Delete only the file this writer wrote: someone may have replaced the path since.
        FileStatus written{};
        FileStatus current{};
        if (::fstat(m_fd.get(), &written) == 0 && ::stat(m_nativePath.c_str(), &current) == 0 &&
            written.st_dev == current.st_dev && written.st_ino == current.st_ino &&
            ::unlink(m_nativePath.c_str()) == 0)
            pruneEmptyParents(m_root, m_nativePath);
        m_fd.reset();
    }

    std::string m_root;
    std::string m_path;
    std::string m_nativePath;
    UniqueFd m_fd;
    std::uint64_t m_size;
    bool m_entrySynced = false;
};

struct OpenedFile
{
    UniqueFd fd;
    std::uint64_t size = 0;
};

// Opens a regular file for reading; a directory at `path` is InvalidPath.
StorageResult<OpenedFile> openRegularFile(const std::string& nativePath, std::string_view path)
{
    UniqueFd fd(::open(nativePath.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return systemFailure(errno, path, Access::Read);
    FileStatus status{};
    if (::fstat(fd.get(), &status) != 0)
        return systemFailure(errno, path, Access::Read);
    if (S_ISDIR(status.st_mode))
        return failure(ErrorKind::InvalidPath, path, "is a directory");
    return OpenedFile{std::move(fd), static_cast<std::uint64_t>(status.st_size)};
}

} // namespace

StorageResult<std::unique_ptr<FilesystemDriver>> FilesystemDriver::create(const std::string& root)
{
    if (root.empty())
        return failure(ErrorKind::InvalidPath, root, "no root directory given");
    if (const int error = makeDirectories(root, 0))
        return systemFailure(error, root, Access::Write);
    const std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(root.c_str(), nullptr), &std::free);
    if (!resolved)
        return systemFailure(errno, root, Access::Read);
    std::string absolute = resolved.get();
    FileStatus status{};
    if (::stat(absolute.c_str(), &status) != 0)
        return systemFailure(errno, root, Access::Read);
    if (!S_ISDIR(status.st_mode))
        return failure(ErrorKind::InvalidPath, root, "not a directory");
    if (absolute == "/")
        absolute.clear(); // paths are appended to the root, and they start with '/'

    std::unique_ptr<FilesystemDriver> driver(new FilesystemDriver(std::move(absolute)));
    const std::string& temporaryRoot = driver->m_temporaryRoot;
    if (::mkdir(temporaryRoot.c_str(), 0777) != 0 && errno != EEXIST)
        return systemFailure(errno, temporaryRoot, Access::Write);
    if (::stat(temporaryRoot.c_str(), &status) != 0)
        return systemFailure(errno, temporaryRoot, Access::Read);
    if (!S_ISDIR(status.st_mode))
        return failure(ErrorKind::Io, temporaryRoot, "not a directory");
    removeStaleTemporaries(temporaryRoot);
    return driver;
}

FilesystemDriver::FilesystemDriver(std::string root)
    : m_root(std::move(root)), m_temporaryRoot(m_root + '/' + std::string(temporaryFolder)),
      m_instanceToken(randomToken())
{
}

std::string FilesystemDriver::temporaryPath()
{
    return m_temporaryRoot + '/' + m_instanceToken + '-' + std::to_string(m_nextTemporary.fetch_add(1));
}

std::string FilesystemDriver::nativePath(std::string_view path) const
{
    if (path == "/")
        return m_root.empty() ? std::string("/") : m_root;
    return m_root + std::string(path);
}

std::optional<StorageError> FilesystemDriver::checkPath(std::string_view path, bool rootAllowed) const
{
    auto invalid = [path](const char* detail) {
        return StorageError{ErrorKind::InvalidPath, std::string(driverName), std::string(path), detail};
    };
    if (!isValidStoragePath(path))
        return invalid("malformed path");
    if (path == "/" && !rootAllowed)
        return invalid("the root is a directory");
    if (path.substr(1, path.find('/', 1) - 1) == temporaryFolder)
        return invalid("reserved for temporary files");
    return std::nullopt;
}

StorageResult<std::vector<std::string>> FilesystemDriver::readDirectory(std::string_view path,
                                                                        std::string_view prefix) const
{
    const std::string directory = nativePath(path);
    const UniqueFd opened(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!opened) {
        FileStatus status{};
        if (errno == ENOTDIR && ::stat(directory.c_str(), &status) == 0)
            return failure(ErrorKind::InvalidPath, path, "not a directory");
        return systemFailure(errno, path, Access::Read);
    }
    std::vector<std::string> names;
    if (const int error = readNames(opened.get(), names, prefix))
        return systemFailure(error, path, Access::Read);
    if (path == "/")
        std::erase(names, std::string(prefix) + std::string(temporaryFolder));
    return names;
}

StorageResult<std::string> FilesystemDriver::getContent(std::string_view path)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    auto file = openRegularFile(nativePath(path), path);
    if (!file)
        return berth::unexpected(std::move(file).error());
    const auto& fd = file->fd;

    // Straight into the string, sized for the whole file and one byte more, so that the
    // second read finds the end; a file that grew meanwhile makes it grow.
    std::string content(static_cast<std::size_t>(file->size) + 1, '\0');
    std::size_t length = 0;
    for (;;) {
        if (length == content.size())
            content.resize(content.size() * 2);
        const ssize_t count = readRetrying(fd.get(), content.data() + length, content.size() - length);
        if (count < 0)
            return systemFailure(errno, path, Access::Read);
        if (count == 0) {
            content.resize(length);
            return content;
        }
        length += static_cast<std::size_t>(count);
    }
}

StorageResult<void> FilesystemDriver::putContent(std::string_view path, std::string_view content)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    const std::string target = nativePath(path);
    const std::string temporary = temporaryPath();

    UniqueFd fd;
    // The temporary folder only goes missing if someone deletes it under us; recreate it.
    int error = withParents(m_root, temporary, [&] {
        fd.reset(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
        return fd ? 0 : errno;
    });
    if (error != 0)
        return systemFailure(error, path, Access::Write);
    error = writeAll(fd.get(), std::as_bytes(std::span(content.data(), content.size())));
    if (error == 0 && ::fsync(fd.get()) != 0)
        error = errno;
    if (const int closed = fd.close(); error == 0)
        error = closed;
    if (error == 0)
        error = withParents(m_root, target,
                            [&] { return ::rename(temporary.c_str(), target.c_str()) == 0 ? 0 : errno; });
    if (error == 0)
        error = syncDirectory(parentOf(target));
    if (error != 0) {
        ::unlink(temporary.c_str());
        pruneEmptyParents(m_root, target); // parents we may have created for nothing
        return systemFailure(error, path, Access::Write);
    }
    return {};
}

StorageResult<std::unique_ptr<FileReader>> FilesystemDriver::reader(std::string_view path,
                                                                    std::uint64_t offset)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    auto file = openRegularFile(nativePath(path), path);
    if (!file)
        return berth::unexpected(std::move(file).error());
    auto& fd = file->fd;
    const auto size = file->size;
    if (offset > size)
        return failure(ErrorKind::InvalidOffset, path,
                       "offset " + std::to_string(offset) + " is past the end (" + std::to_string(size) +
                           ")");
    if (::lseek(fd.get(), static_cast<off_t>(offset), SEEK_SET) < 0)
        return systemFailure(errno, path, Access::Read);
    return std::make_unique<FilesystemReader>(std::move(fd), std::string(path), size);
}

StorageResult<std::unique_ptr<FileWriter>> FilesystemDriver::writer(std::string_view path, bool append)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    std::string target = nativePath(path);
    UniqueFd fd;
    if (append) {
        fd.reset(::open(target.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
        if (!fd)
            return systemFailure(errno, path, Access::Read); // a missing file is NotFound
    } else {
        const int error = withParents(m_root, target, [&] {
            fd.reset(::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
            return fd ? 0 : errno;
        });
        if (error != 0) {
            pruneEmptyParents(m_root, target);
            return systemFailure(error, path, Access::Write);
        }
    }
    FileStatus status{};
    if (::fstat(fd.get(), &status) != 0)
        return systemFailure(errno, path, Access::Read);
    return std::make_unique<FilesystemWriter>(m_root, std::string(path), std::move(target), std::move(fd),
                                              static_cast<std::uint64_t>(status.st_size));
}

StorageResult<FileInfo> FilesystemDriver::stat(std::string_view path)
{
    if (auto error = checkPath(path, true))
        return berth::unexpected(std::move(*error));
    FileStatus status{};
    if (::stat(nativePath(path).c_str(), &status) != 0)
        return systemFailure(errno, path, Access::Read);
    return toFileInfo(std::string(path), status);
}

StorageResult<std::vector<std::string>> FilesystemDriver::list(std::string_view path)
{
    if (auto error = checkPath(path, true))
        return berth::unexpected(std::move(*error));
    return readDirectory(path, childPath(path, ""));
}

StorageResult<void> FilesystemDriver::move(std::string_view source, std::string_view destination)
{
    if (auto error = checkPath(source, false))
        return berth::unexpected(std::move(*error));
    if (auto error = checkPath(destination, false))
        return berth::unexpected(std::move(*error));
    const std::string from = nativePath(source);
    const std::string to = nativePath(destination);
    FileStatus status{};
    if (::lstat(from.c_str(), &status) != 0)
        return systemFailure(errno, source, Access::Read);
    if (S_ISDIR(status.st_mode))
        return failure(ErrorKind::InvalidPath, source, "is a directory; move takes files");
    if (source == destination)
        return {};

    int error = withParents(m_root, to, [&] { return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno; });
    if (error == 0)
        error = syncDirectory(parentOf(to));
    if (error != 0) {
        pruneEmptyParents(m_root, to);
        // Still ENOENT with the parents in place: the source went away meanwhile.
        return systemFailure(error, error == ENOENT ? source : destination, Access::Write);
    }
    pruneEmptyParents(m_root, from);
    return {};
}

StorageResult<bool> FilesystemDriver::createDirectory(std::string_view path, std::span<const NewFile> files)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    if (auto paths = newFilePaths(driverName, path, files); !paths)
        return berth::unexpected(std::move(paths).error());
    const std::string target = nativePath(path);
    FileStatus status{};
    if (::lstat(target.c_str(), &status) == 0)
        return false;

    const std::string staging = temporaryPath();
    // The temporary folder only goes missing if someone deletes it under us; recreate it.
    int error = withParents(m_root, staging, [&] { return ::mkdir(staging.c_str(), 0777) == 0 ? 0 : errno; });
    if (error == 0)
        error = writeFiles(staging, files);
    if (error == 0) {
        error = withParents(m_root, target,
                            [&] { return ::rename(staging.c_str(), target.c_str()) == 0 ? 0 : errno; });
        // Created by someone else meanwhile: rename(2) never replaces a directory holding anything.
        if (error == EEXIST || error == ENOTEMPTY ||
            (error == ENOTDIR && ::lstat(target.c_str(), &status) == 0)) {
            removeTree(AT_FDCWD, staging.c_str());
            return false;
        }
    }
    if (error == 0)
        error = syncDirectory(parentOf(target));
    if (error != 0) {
        removeTree(AT_FDCWD, staging.c_str());
        pruneEmptyParents(m_root, target); // parents we may have created for nothing
        return systemFailure(error, path, Access::Write);
    }
    return true;
}

StorageResult<void> FilesystemDriver::remove(std::string_view path)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    const std::string target = nativePath(path);
    FileStatus status{};
    if (::lstat(target.c_str(), &status) != 0)
        return systemFailure(errno, path, Access::Read);
    int error = 0;
    if (S_ISDIR(status.st_mode)) {
        // Renamed into the temporary folder first, the tree vanishes at once; deleting its
        // contents happens out of sight. Should that rename fail, delete in place.
        const std::string staging = temporaryPath();
        const bool staged = ::rename(target.c_str(), staging.c_str()) == 0;
        error = removeTree(AT_FDCWD, staged ? staging.c_str() : target.c_str());
    } else if (::unlink(target.c_str()) != 0) {
        error = errno;
    }
    if (error != 0)
        return systemFailure(error, path, Access::Read);
    pruneEmptyParents(m_root, target);
    return {};
}

StorageResult<void> FilesystemDriver::walk(std::string_view path,
                                           const std::function<WalkAction(const FileInfo&)>& visitor)
{
    if (auto error = checkPath(path, true))
        return berth::unexpected(std::move(*error));
    auto walked = walkDirectory(path, visitor);
    if (!walked)
        return berth::unexpected(std::move(walked).error());
    return {};
}

StorageResult<bool> FilesystemDriver::walkDirectory(std::string_view path,
                                                    const std::function<WalkAction(const FileInfo&)>& visitor)
{
    auto names = readDirectory(path);
    if (!names)
        return berth::unexpected(std::move(names).error());
    for (const std::string& name : *names) {
        std::string child = childPath(path, name);
        const std::string native = nativePath(child);
        FileStatus status{};
        if (::lstat(native.c_str(), &status) != 0) {
            if (errno == ENOENT)
                continue; // the visitor removed it
            return systemFailure(errno, child, Access::Read);
        }
        // A symbolic link is reported as what it points to, but never descended into: it
        // could point back up the tree.
        const bool descend = S_ISDIR(status.st_mode);
        if (S_ISLNK(status.st_mode) && ::stat(native.c_str(), &status) != 0)
            continue; // dangling
        const FileInfo info = toFileInfo(std::move(child), status);
        const WalkAction action = visitor(info);
        if (action == WalkAction::Stop)
            return true;
        if (descend && action == WalkAction::Continue) {
            auto stopped = walkDirectory(info.path, visitor);
            if (!stopped && stopped.error().kind != ErrorKind::NotFound) // NotFound: the visitor removed it
                return stopped;
            if (stopped && *stopped)
                return true;
        }
    }
    return false;
}

std::optional<std::uint64_t> FilesystemDriver::freeSpace() const
{
    FilesystemStatus status{};
    if (::statvfs(nativePath("/").c_str(), &status) != 0)
        return std::nullopt;
    return std::uint64_t{status.f_bavail} * status.f_frsize;
}

std::optional<std::uint64_t> FilesystemDriver::totalSpace() const
{
    FilesystemStatus status{};
    if (::statvfs(nativePath("/").c_str(), &status) != 0)
        return std::nullopt;
    return std::uint64_t{status.f_blocks} * status.f_frsize;
}

} // namespace berth::storage
