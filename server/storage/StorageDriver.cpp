#include "storage/StorageDriver.h"

#include <algorithm>
#include <set>

namespace berth::storage {

namespace {

std::string_view describe(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::NotFound:
        return "not found";
    case ErrorKind::InvalidPath:
        return "invalid path";
    case ErrorKind::InvalidOffset:
        return "invalid offset";
    case ErrorKind::NoSpace:
        return "no space left on device";
    case ErrorKind::Io:
        return "input/output error";
    }
    return "input/output error";
}

} // namespace

std::string StorageError::message() const
{
    std::string text = driver;
    if (!path.empty()) {
        text += ": ";
        text += path;
    }
    text += ": ";
    text += detail.empty() ? describe(kind) : std::string_view(detail);
    return text;
}

bool isValidStoragePath(std::string_view path)
{
    if (path.empty() || path.front() != '/')
        return false;
    if (path == "/")
        return true;
    // Every component after a '/' must be a real name; this also refuses "//" and a trailing '/'.
    std::size_t start = 1;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view component = path.substr(start, end - start);
        if (component.empty() || component == "." || component == ".." ||
            component.find('\0') != std::string_view::npos)
            return false;
        start = end + 1;
    }
    return true;
}

StorageResult<std::vector<std::string>> newFilePaths(std::string_view driver, std::string_view directory,
                                                     std::span<const NewFile> files)
{
    const auto invalid = [&](std::string detail) {
        return berth::unexpected(StorageError{ErrorKind::InvalidPath, std::string(driver),
                                              std::string(directory), std::move(detail)});
    };
    if (files.empty())
        return invalid("no files to create the directory with");
    std::vector<std::string> paths;
    paths.reserve(files.size());
    for (const auto& file : files) {
        std::string path(directory);
        path += '/';
        path += file.path;
        if (file.path.empty() || !isValidStoragePath(path))
            return invalid("malformed file path \"" + file.path + "\"");
        paths.push_back(std::move(path));
    }
    const std::set<std::string_view> unique(paths.begin(), paths.end());
    if (unique.size() != paths.size())
        return invalid("the same file twice");
    for (const std::string_view path : unique) {
        for (auto slash = path.find('/', directory.size() + 1); slash != std::string_view::npos;
             slash = path.find('/', slash + 1)) {
            if (unique.contains(path.substr(0, slash)))
                return invalid("a file where another needs a directory: " + std::string(path));
        }
    }
    return paths;
}

} // namespace berth::storage
