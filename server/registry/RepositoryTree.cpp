#include "registry/RepositoryTree.h"

#include "registry/Layout.h"
#include "registry/OrderedChunks.h"
#include "registry/StorageAccess.h"

#include <algorithm>

namespace berth::registry {

namespace {

// A directory of the tree; `prefix` is its repository name followed by '/', empty at the root.
struct TreeDirectory
{
    std::string path;
    std::string prefix;
};

// The entries of `directory`, sorted: reserved directories go to `reserved` (repository,
// name, path), the others to `nested` (as a TreeDirectory). Either returns false to stop. Nothing when the
// directory is gone meanwhile, or is a stray file where a directory was expected.
template <class Reserved, class Nested>
oci::Result<bool> forEachEntry(storage::StorageDriver& driver, const TreeDirectory& directory,
                               const Reserved& reserved, const Nested& nested)
{
    auto children = driver.list(directory.path);
    if (!children) {
        const auto kind = children.error().kind;
        if (kind == storage::ErrorKind::NotFound || kind == storage::ErrorKind::InvalidPath)
            return true;
        return unexpected(storageFailure(children.error()));
    }
    const std::string_view repository =
        std::string_view(directory.prefix).substr(0, directory.prefix.size() - 1);
    for (auto& child : *children) {
        const std::string_view name = std::string_view(child).substr(child.rfind('/') + 1);
        // Reserved directories hold repository data, never nested repositories.
        if (name.starts_with('_')) {
            if (!directory.prefix.empty() && !reserved(repository, name, child))
                return false;
            continue;
        }
        std::string prefix = directory.prefix;
        prefix += name;
        prefix += '/';
        if (!nested(TreeDirectory{std::move(child), std::move(prefix)}))
            return false;
    }
    return true;
}

oci::Result<bool> visitBelow(storage::StorageDriver& driver, const TreeDirectory& directory,
                             const ReservedDirectoryVisitor& visitor)
{
    oci::Result<bool> below = true; // what the walk below a nested directory ended with
    auto visited = forEachEntry(
        driver, directory,
        [&](std::string_view repository, std::string_view name, const std::string& path) {
            return visitor(repository, name, path);
        },
        [&](const TreeDirectory& child) {
            below = visitBelow(driver, child, visitor);
            return below && *below;
        });
    if (!visited || *visited)
        return visited;
    // Stopped: by the visitor itself, or by the walk below a nested directory (which may have failed).
    return below && *below ? oci::Result<bool>(false) : below;
}

// One directory's entries, as a level of the parallel walk collects them.
struct Entries
{
    std::vector<TreeDirectory> nested;
    std::vector<ReservedDirectory> reserved;
};

oci::Result<Entries> entriesOf(storage::StorageDriver& driver, const TreeDirectory& directory,
                               const std::vector<std::string_view>& names)
{
    Entries entries;
    auto read = forEachEntry(
        driver, directory,
        [&](std::string_view repository, std::string_view name, const std::string& path) {
            if (std::find(names.begin(), names.end(), name) != names.end())
                entries.reserved.push_back({std::string(repository), std::string(name), path});
            return true;
        },
        [&](TreeDirectory child) {
            entries.nested.push_back(std::move(child));
            return true;
        });
    if (!read)
        return unexpected(std::move(read).error());
    return entries;
}

} // namespace

oci::Result<bool> visitReservedDirectories(storage::StorageDriver& driver,
                                           const ReservedDirectoryVisitor& visitor)
{
    return visitBelow(driver, TreeDirectory{layout::repositoriesRoot(), {}}, visitor);
}

oci::Result<std::vector<ReservedDirectory>> reservedDirectories(storage::StorageDriver& driver,
                                                                const std::vector<std::string_view>& names)
{
    std::vector<ReservedDirectory> found;
    std::vector<TreeDirectory> level{{layout::repositoriesRoot(), {}}};
    while (!level.empty()) {
        std::vector<TreeDirectory> next;
        { // the readers end before the level they read is replaced
            OrderedChunks<oci::Result<Entries>> reading(
                level.size(), storageThreads(),
                [&](std::size_t index) { return entriesOf(driver, level[index], names); });
            for (std::size_t index = 0; index < level.size(); ++index) {
                auto entries = reading.next();
                if (!entries)
                    return unexpected(std::move(entries).error());
                std::move(entries->nested.begin(), entries->nested.end(), std::back_inserter(next));
                std::move(entries->reserved.begin(), entries->reserved.end(), std::back_inserter(found));
            }
        }
        level = std::move(next);
    }
    std::sort(found.begin(), found.end(), [](const ReservedDirectory& left, const ReservedDirectory& right) {
        return std::tie(left.repository, left.name) < std::tie(right.repository, right.name);
    });
    return found;
}

} // namespace berth::registry
