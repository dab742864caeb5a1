#include "registry/Catalog.h"

#include "registry/Layout.h"
#include "registry/RepositoryTree.h"
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

Catalog::Catalog(storage::StorageDriver& driver, StorageChanges& changes) : m_driver(driver)
{
    changes.observeRepositories([this](std::string_view repository) { repositoryChanged(repository); });
}

Catalog::~Catalog()
{
    m_stopping = true;
    if (m_loader.joinable())
        m_loader.join();
}

void Catalog::loadInBackground()
{
    // A failure is not kept: the first request reads the tree again and answers with it.
    m_loader = std::thread([this] { (void)load(); });
}

oci::Result<std::vector<std::string>> Catalog::repositories()
{
    if (auto loaded = load(); !loaded)
        return unexpected(std::move(loaded).error());
    const std::shared_lock lock(m_mutex);
    return std::vector<std::string>(m_names.begin(), m_names.end());
}

oci::Result<Page> Catalog::page(std::optional<std::size_t> limit, std::string_view last)
{
    if (auto loaded = load(); !loaded)
        return unexpected(std::move(loaded).error());
    const std::shared_lock lock(m_mutex);
    auto name = last.empty() ? m_names.begin() : m_names.upper_bound(last);
    Page page;
    for (; name != m_names.end() && (!limit || page.items.size() < *limit); ++name)
        page.items.push_back(*name);
    page.hasMore = name != m_names.end();
    return page;
}

oci::Result<void> Catalog::load()
{
    {
        const std::shared_lock lock(m_mutex);
        if (m_loaded)
            return {};
    }
    const std::scoped_lock loading(m_loading);
    {
        const std::scoped_lock lock(m_mutex);
        if (m_loaded)
            return {}; // loaded while this caller waited
        m_scanning = true;
        m_changedDuringScan.clear();
    }
    Names names;
    auto scanned = visitReservedDirectories(
        m_driver, [&](std::string_view repository, std::string_view reserved, const std::string&) {
            if (reserved == layout::manifestsDirName)
                names.emplace(repository);
            return !m_stopping;
        });
    const std::scoped_lock lock(m_mutex);
    m_scanning = false;
    if (!scanned)
        return unexpected(std::move(scanned).error());
    if (!*scanned)
        return oci::fail(oci::ErrorCode::Unavailable, "the registry is stopping");
    m_names = std::move(names);
    m_loaded = true;
    for (const auto& repository : std::exchange(m_changedDuringScan, {}))
        refresh(repository);
    return {};
}

void Catalog::repositoryChanged(std::string_view repository)
{
    const std::scoped_lock lock(m_mutex);
    if (m_scanning)
        m_changedDuringScan.emplace(repository);
    else if (m_loaded) // else the first load reads the change
        refresh(std::string(repository));
}

void Catalog::refresh(const std::string& repository)
{
    // Under the lock, so that of two changes racing, the later check decides.
    auto present = exists(m_driver, layout::manifestsDirectory(repository));
    if (!present)
        m_loaded = false; // read the whole tree again next time
    else if (*present)
        m_names.insert(repository);
    else
        m_names.erase(repository);
}

} // namespace berth::registry
