#include "storage/StorageDriver.h"

#include <algorithm>

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

} // namespace berth::storage
