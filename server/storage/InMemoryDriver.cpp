#include "storage/InMemoryDriver.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

namespace berth::storage {

namespace {

constexpr std::string_view driverName = "inmemory";

struct StoredFile
{
    std::string data;
    std::chrono::system_clock::time_point modified;
    bool stored = false; // false once removed or replaced; a writer may still hold it
};
using FileHandle = std::shared_ptr<StoredFile>;

StorageError makeError(ErrorKind kind, std::string_view path, std::string detail)
{
    return StorageError{kind, std::string(driverName), std::string(path), std::move(detail)};
}

berth::Unexpected<StorageError> failure(ErrorKind kind, std::string_view path, std::string detail)
{
    return berth::unexpected(makeError(kind, path, std::move(detail)));
}

std::optional<StorageError> checkPath(std::string_view path, bool rootAllowed)
{
    if (!isValidStoragePath(path))
        return makeError(ErrorKind::InvalidPath, path, "malformed path");
    if (path == "/" && !rootAllowed)
        return makeError(ErrorKind::InvalidPath, path, "the root is a directory");
    return std::nullopt;
}

// "/a" -> "/a/", and the root stays "/": every path below starts with it.
std::string directoryPrefix(std::string_view path)
{
    std::string prefix(path);
    if (prefix != "/")
        prefix += '/';
    return prefix;
}

} // namespace

struct InMemoryDriver::State
{
    // Directories are not stored: they are implied by the files below them.
    using FileMap = std::map<std::string, FileHandle, std::less<>>;

    std::mutex mutex;
    FileMap files;
    std::optional<std::uint64_t> capacity;
    std::uint64_t used = 0;
    Clock clock = [] { return std::chrono::system_clock::now(); };
    std::chrono::system_clock::time_point created = clock();

    // Everything below needs `mutex` held.

    FileHandle find(std::string_view path) const
    {
        const auto it = files.find(path);
        return it == files.end() ? nullptr : it->second;
    }

    // The files below the directory `path`, as a range of `files`.
    std::pair<FileMap::const_iterator, FileMap::const_iterator> below(std::string_view path) const
    {
        const std::string prefix = directoryPrefix(path);
        auto end = files.lower_bound(prefix);
        const auto begin = end;
        while (end != files.end() && end->first.starts_with(prefix))
            ++end;
        return {begin, end};
    }

    bool isDirectory(std::string_view path) const
    {
        if (path == "/")
            return true;
        const std::string prefix = directoryPrefix(path);
        const auto it = files.lower_bound(prefix);
        return it != files.end() && it->first.starts_with(prefix);
    }

    // The file at `path`: NotFound when absent, InvalidPath for a directory.
    StorageResult<FileHandle> lookupFile(std::string_view path) const
    {
        if (FileHandle file = find(path))
            return file;
        if (isDirectory(path))
            return failure(ErrorKind::InvalidPath, path, "is a directory");
        return failure(ErrorKind::NotFound, path, "no such file");
    }

    // A file may be written at `path` unless a directory is there or a parent is a file.
    std::optional<StorageError> checkWritable(std::string_view path) const
    {
        for (std::size_t slash = path.find('/', 1); slash != std::string_view::npos;
             slash = path.find('/', slash + 1)) {
            if (find(path.substr(0, slash)))
                return makeError(ErrorKind::InvalidPath, path, "a parent is a file");
        }
        if (isDirectory(path))
            return makeError(ErrorKind::InvalidPath, path, "is a directory");
        return std::nullopt;
    }

    bool fits(std::uint64_t added, std::uint64_t released) const
    {
        return !capacity || used - released + added <= *capacity;
    }

    // Puts `file` at `path`, replacing what was there.
    void store(std::string_view path, FileHandle file)
    {
        file->stored = true;
        used += file->data.size();
        const auto it = files.find(path);
        if (it == files.end()) {
            files.emplace(path, std::move(file));
        } else {
            release(*it->second);
            it->second = std::move(file);
        }
    }

    void release(StoredFile& file)
    {
        file.stored = false;
        used -= file.data.size();
    }

    void erase(FileMap::const_iterator first, FileMap::const_iterator last)
    {
        for (auto it = first; it != last; ++it)
            release(*it->second);
        files.erase(first, last);
    }

    std::optional<FileInfo> infoOf(std::string_view path) const
    {
        if (const FileHandle file = find(path))
            return FileInfo{std::string(path), file->data.size(), false, file->modified};
        const auto [begin, end] = below(path);
        if (path != "/" && begin == end)
            return std::nullopt;
        // A directory changes whenever something below it does.
        auto modified = path == "/" ? created : std::chrono::system_clock::time_point{};
        for (auto it = begin; it != end; ++it)
            modified = std::max(modified, it->second->modified);
        return FileInfo{std::string(path), 0, true, modified};
    }

    // Full paths of the direct children of the directory `path`, sorted.
    std::vector<std::string> children(std::string_view path) const
    {
        const std::string prefix = directoryPrefix(path);
        std::vector<std::string> result;
        const auto [begin, end] = below(path);
        for (auto it = begin; it != end; ++it) {
            const std::string_view child =
                std::string_view(it->first).substr(0, it->first.find('/', prefix.size()));
            if (result.empty() || result.back() != child)
                result.emplace_back(child);
        }
        // "/d/a-b" sorts before "/d/a/x" but the child "/d/a" before "/d/a-b".
        std::sort(result.begin(), result.end());
        result.erase(std::unique(result.begin(), result.end()), result.end());
        return result;
    }

    // Paths below the directory `path` in walk order: depth first, sorted.
    void collectWalk(std::string_view path, std::vector<std::string>& out) const
    {
        for (std::string& child : children(path)) {
            const bool directory = !find(child);
            out.push_back(std::move(child));
            if (directory)
                collectWalk(std::string(out.back()), out);
        }
    }
};

class InMemoryDriver::Reader final : public FileReader
{
public:
    Reader(std::shared_ptr<State> state, FileHandle file, std::uint64_t offset, std::uint64_t size)
        : m_state(std::move(state)), m_file(std::move(file)), m_offset(offset), m_size(size)
    {
    }

    StorageResult<std::size_t> read(std::span<std::byte> buffer) override
    {
        const std::lock_guard lock(m_state->mutex);
        const std::string& data = m_file->data;
        if (m_offset >= data.size())
            return std::size_t{0};
        const std::size_t count = std::min<std::uint64_t>(buffer.size(), data.size() - m_offset);
        std::memcpy(buffer.data(), data.data() + m_offset, count);
        m_offset += count;
        return count;
    }
    std::uint64_t size() const override { return m_size; }

private:
    std::shared_ptr<State> m_state;
    FileHandle m_file;
    std::uint64_t m_offset;
    std::uint64_t m_size; // at open, like a file descriptor's stat
};

class InMemoryDriver::Writer final : public FileWriter
{
public:
    Writer(std::shared_ptr<State> state, std::string path, FileHandle file)
        : m_state(std::move(state)), m_path(std::move(path)), m_file(std::move(file)),
          m_size(m_file->data.size())
    {
    }

    StorageResult<void> write(std::span<const std::byte> bytes) override
    {
        const std::lock_guard lock(m_state->mutex);
        if (!m_file)
            return closedFailure();
        if (m_file->stored && !m_state->fits(bytes.size(), 0)) {
            discard();
            return failure(ErrorKind::NoSpace, m_path, "capacity exhausted");
        }
        m_file->data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        m_file->modified = m_state->clock();
        if (m_file->stored)
            m_state->used += bytes.size();
        m_size += bytes.size();
        return {};
    }

    std::uint64_t size() const override { return m_size; }

    StorageResult<void> commit() override
    {
        const std::lock_guard lock(m_state->mutex);
        if (!m_file)
            return closedFailure();
        return {};
    }

    StorageResult<void> cancel() override
    {
        const std::lock_guard lock(m_state->mutex);
        if (m_file)
            discard();
        return {};
    }

private:
    berth::Unexpected<StorageError> closedFailure() const
    {
        return failure(ErrorKind::Io, m_path, "writer is closed");
    }

    // Needs the mutex held. Deletes only this writer's file: the path may have been replaced.
    void discard()
    {
        const auto it = m_state->files.find(m_path);
        if (it != m_state->files.end() && it->second == m_file)
            m_state->erase(it, std::next(it));
        m_file.reset();
    }

    std::shared_ptr<State> m_state;
    std::string m_path;
    FileHandle m_file; // null once closed
    std::uint64_t m_size;
};

InMemoryDriver::InMemoryDriver(std::optional<std::uint64_t> capacity, Clock clock)
    : m_state(std::make_shared<State>())
{
    m_state->capacity = capacity;
    if (clock) {
        m_state->clock = std::move(clock);
        m_state->created = m_state->clock();
    }
}

StorageResult<std::string> InMemoryDriver::getContent(std::string_view path)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    const std::lock_guard lock(m_state->mutex);
    auto file = m_state->lookupFile(path);
    if (!file)
        return berth::unexpected(std::move(file).error());
    return (*file)->data;
}

StorageResult<void> InMemoryDriver::putContent(std::string_view path, std::string_view content)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    auto file = std::make_shared<StoredFile>(StoredFile{std::string(content), m_state->clock()});
    const std::lock_guard lock(m_state->mutex);
    if (auto error = m_state->checkWritable(path))
        return berth::unexpected(std::move(*error));
    const FileHandle existing = m_state->find(path);
    if (!m_state->fits(content.size(), existing ? existing->data.size() : 0))
        return failure(ErrorKind::NoSpace, path, "capacity exhausted");
    m_state->store(path, std::move(file));
    return {};
}

StorageResult<std::unique_ptr<FileReader>> InMemoryDriver::reader(std::string_view path, std::uint64_t offset)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    const std::lock_guard lock(m_state->mutex);
    auto file = m_state->lookupFile(path);
    if (!file)
        return berth::unexpected(std::move(file).error());
    const std::uint64_t size = (*file)->data.size();
    if (offset > size)
        return failure(ErrorKind::InvalidOffset, path,
                       "offset " + std::to_string(offset) + " is past the end (" + std::to_string(size) +
                           ")");
    return std::make_unique<Reader>(m_state, std::move(*file), offset, size);
}

StorageResult<std::unique_ptr<FileWriter>> InMemoryDriver::writer(std::string_view path, bool append)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    const std::lock_guard lock(m_state->mutex);
    if (append) {
        auto file = m_state->lookupFile(path);
        if (!file)
            return berth::unexpected(std::move(file).error());
        return std::make_unique<Writer>(m_state, std::string(path), std::move(*file));
    }
    if (auto error = m_state->checkWritable(path))
        return berth::unexpected(std::move(*error));
    auto file = std::make_shared<StoredFile>(StoredFile{{}, m_state->clock()});
    m_state->store(path, file);
    return std::make_unique<Writer>(m_state, std::string(path), std::move(file));
}

StorageResult<FileInfo> InMemoryDriver::stat(std::string_view path)
{
    if (auto error = checkPath(path, true))
        return berth::unexpected(std::move(*error));
    const std::lock_guard lock(m_state->mutex);
    auto info = m_state->infoOf(path);
    if (!info)
        return failure(ErrorKind::NotFound, path, "no such file or directory");
    return std::move(*info);
}

StorageResult<std::vector<std::string>> InMemoryDriver::list(std::string_view path)
{
    if (auto error = checkPath(path, true))
        return berth::unexpected(std::move(*error));
    const std::lock_guard lock(m_state->mutex);
    if (m_state->find(path))
        return failure(ErrorKind::InvalidPath, path, "not a directory");
    if (!m_state->isDirectory(path))
        return failure(ErrorKind::NotFound, path, "no such directory");
    return m_state->children(path);
}

StorageResult<void> InMemoryDriver::move(std::string_view source, std::string_view destination)
{
    if (auto error = checkPath(source, false))
        return berth::unexpected(std::move(*error));
    if (auto error = checkPath(destination, false))
        return berth::unexpected(std::move(*error));
    const std::lock_guard lock(m_state->mutex);
    auto file = m_state->lookupFile(source);
    if (!file)
        return berth::unexpected(std::move(file).error());
    if (source == destination)
        return {};
    if (auto error = m_state->checkWritable(destination))
        return berth::unexpected(std::move(*error));
    const auto it = m_state->files.find(source);
    m_state->erase(it, std::next(it));
    m_state->store(destination, std::move(*file));
    return {};
}

StorageResult<bool> InMemoryDriver::createDirectory(std::string_view path, std::span<const NewFile> files)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    auto paths = newFilePaths(driverName, path, files);
    if (!paths)
        return berth::unexpected(std::move(paths).error());
    std::vector<FileHandle> created;
    std::uint64_t size = 0;
    for (const NewFile& file : files) {
        created.push_back(std::make_shared<StoredFile>(StoredFile{file.content, m_state->clock()}));
        size += file.content.size();
    }
    const std::lock_guard lock(m_state->mutex);
    if (m_state->find(path) || m_state->isDirectory(path))
        return false;
    if (auto error = m_state->checkWritable(path))
        return berth::unexpected(std::move(*error));
    if (!m_state->fits(size, 0))
        return failure(ErrorKind::NoSpace, path, "capacity exhausted");
    for (std::size_t i = 0; i < created.size(); ++i)
        m_state->store((*paths)[i], std::move(created[i]));
    return true;
}

StorageResult<void> InMemoryDriver::remove(std::string_view path)
{
    if (auto error = checkPath(path, false))
        return berth::unexpected(std::move(*error));
    const std::lock_guard lock(m_state->mutex);
    if (const auto it = m_state->files.find(path); it != m_state->files.end()) {
        m_state->erase(it, std::next(it));
        return {};
    }
    const auto [begin, end] = m_state->below(path);
    if (begin == end)
        return failure(ErrorKind::NotFound, path, "no such file or directory");
    m_state->erase(begin, end);
    return {};
}

StorageResult<void> InMemoryDriver::walk(std::string_view path,
                                         const std::function<WalkAction(const FileInfo&)>& visitor)
{
    if (auto error = checkPath(path, true))
        return berth::unexpected(std::move(*error));
    std::vector<std::string> paths;
    {
        const std::lock_guard lock(m_state->mutex);
        if (m_state->find(path))
            return failure(ErrorKind::InvalidPath, path, "not a directory");
        if (!m_state->isDirectory(path))
            return failure(ErrorKind::NotFound, path, "no such directory");
        m_state->collectWalk(path, paths);
    }
    // The visitor runs unlocked: it may well call back into the driver.
    std::string skipped; // prefix of a directory the visitor skipped
    for (const std::string& entry : paths) {
        if (!skipped.empty() && entry.starts_with(skipped))
            continue;
        std::optional<FileInfo> info;
        {
            const std::lock_guard lock(m_state->mutex);
            info = m_state->infoOf(entry);
        }
        if (!info)
            continue; // the visitor removed it
        const WalkAction action = visitor(*info);
        if (action == WalkAction::Stop)
            return {};
        if (action == WalkAction::SkipDirectory && info->isDirectory)
            skipped = directoryPrefix(entry);
    }
    return {};
}

std::optional<std::uint64_t> InMemoryDriver::freeSpace() const
{
    const std::lock_guard lock(m_state->mutex);
    if (!m_state->capacity)
        return std::nullopt;
    return *m_state->capacity - m_state->used;
}

std::optional<std::uint64_t> InMemoryDriver::totalSpace() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->capacity;
}

} // namespace berth::storage
