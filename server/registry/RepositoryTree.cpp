#include "registry/RepositoryTree.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

namespace berth::registry {

namespace {

// `prefix` is the repository name of `path` followed by '/', empty at the root.
oci::Result<bool> visitBelow(storage::StorageDriver& driver, const std::string& path,
                             const std::string& prefix, const ReservedDirectoryVisitor& visitor)
{
    auto children = driver.list(path);
    if (!children) {
        // Gone meanwhile, or a stray file where a directory was expected: nothing below.
        const auto kind = children.error().kind;
        if (kind == storage::ErrorKind::NotFound || kind == storage::ErrorKind::InvalidPath)
            return true;
        return unexpected(storageFailure(children.error()));
    }
    for (const auto& child : *children) {
        const std::string_view name = std::string_view(child).substr(child.rfind('/') + 1);
        // Reserved directories hold repository data, never nested repositories.
        if (name.starts_with('_')) {
            if (!prefix.empty() &&
                !visitor(std::string_view(prefix).substr(0, prefix.size() - 1), name, child))
                return false;
            continue;
        }
        std::string nested = prefix;
        nested += name;
        nested += '/';
        if (auto visited = visitBelow(driver, child, nested, visitor); !visited || !*visited)
            return visited;
    }
    return true;
}

} // namespace

oci::Result<bool> visitReservedDirectories(storage::StorageDriver& driver,
                                           const ReservedDirectoryVisitor& visitor)
{
    return visitBelow(driver, layout::repositoriesRoot(), {}, visitor);
}

} // namespace berth::registry
