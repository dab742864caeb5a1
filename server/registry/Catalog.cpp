#include "registry/Catalog.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

#include <algorithm>

namespace berth::registry {

Page paginate(const std::vector<std::string>& all, std::optional<std::size_t> limit, std::string_view last)
{
    auto first = last.empty() ? all.begin() : std::upper_bound(all.begin(), all.end(), last);
    const auto available = static_cast<std::size_t>(all.end() - first);
    const auto count = std::min(available, limit.value_or(available));
    Page page;
    page.items.assign(first, first + static_cast<std::ptrdiff_t>(count));
    page.hasMore = count < available;
    return page;
}

oci::Result<std::vector<std::string>> Catalog::repositories()
{
    const auto root = layout::repositoriesRoot();
    std::vector<std::string> names;
    auto walked = m_driver.walk(root, [&](const storage::FileInfo& entry) {
        if (!entry.isDirectory)
            return storage::WalkAction::Continue;
        const auto slash = entry.path.rfind('/');
        const std::string_view name = std::string_view(entry.path).substr(slash + 1);
        if (name == layout::manifestsDirName)
            names.push_back(entry.path.substr(root.size() + 1, slash - root.size() - 1));
        // Reserved directories hold repository data, never nested repositories.
        return name.starts_with('_') ? storage::WalkAction::SkipDirectory : storage::WalkAction::Continue;
    });
    if (!walked && walked.error().kind != storage::ErrorKind::NotFound)
        return unexpected(storageFailure(walked.error()));
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace berth::registry
