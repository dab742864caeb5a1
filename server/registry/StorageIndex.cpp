#include "registry/StorageIndex.h"

#include "registry/Layout.h"
#include "registry/OrderedChunks.h"
#include "registry/StorageAccess.h"
#include "registry/StorageIndexFile.h"

#include <algorithm>

namespace berth::registry {

namespace {

oci::Error indexFailure(std::string detail)
{
    return {oci::ErrorCode::Internal, "the storage index could not be built", std::move(detail)};
}

} // namespace

StorageIndex::StorageIndex(Registry& registry, std::chrono::milliseconds uploadsMaxAge)
    : m_registry(registry), m_scanner(registry), m_uploadsMaxAge(uploadsMaxAge)
{
}

StorageIndex::~StorageIndex()
{
    m_stopping = true;
    if (m_builder.joinable())
        m_builder.join();
    if (m_uploadsMeasurer.joinable())
        m_uploadsMeasurer.join();
    const auto late = m_registry.changes().take();
    if (m_saved && (!late.repositories.empty() || !late.blobs.empty()))
        (void)invalidate(m_registry.driver());
}

void StorageIndex::open()
{
    // Recording starts before anything is read, so a change made while the index loads or
    // builds is applied afterwards.
    m_registry.changes().startRecording();
    const std::scoped_lock lock(m_mutex);
    startBuild();
}

void StorageIndex::startBuild()
{
    m_building = true;
    m_buildError.clear();
    m_done = 0;
    m_total = 0;
    if (m_builder.joinable())
        m_builder.join(); // a finished build: it left m_building false before it ended
    m_builder = std::thread([this] { build(); });
}

void StorageIndex::build()
{
    const auto built = loadSaved() ? oci::Result<void>{} : rebuild();
    if (built)
        measureUploads(); // so that the first answer has them
    const std::scoped_lock lock(m_mutex);
    m_building = false;
    m_open = built.hasValue();
    if (!built)
        m_buildError =
            built.error().message + (built.error().detail.empty() ? "" : ": " + built.error().detail);
    m_opened.notify_all();
}

bool StorageIndex::loadSaved()
{
    auto& driver = m_registry.driver();
    const auto text = driver.getContent(layout::storageIndex());
    if (!text)
        return false;
    auto content = decodeStorageIndex(*text);
    // Only a clean stop leaves the file: without it, a crash from now on means a rebuild.
    const auto removed = removeIfPresent(driver, layout::storageIndex());
    if (!content || !removed || !catchUp(*content))
        return false;
    const std::scoped_lock lock(m_mutex);
    m_usages = std::move(content->usages);
    m_blobs = std::move(content->blobs);
    m_statistics.reset();
    return true;
}

void StorageIndex::measureUploads()
{
    // A failure keeps the figures measured last; the next call tries again.
    const auto uploads = m_scanner.uploads();
    const std::scoped_lock lock(m_mutex);
    m_measuringUploads = false;
    m_uploadsMeasured = std::chrono::steady_clock::now();
    if (uploads && *uploads != m_uploads) {
        m_uploads = *uploads;
        m_statistics.reset();
    }
}

void StorageIndex::startUploadsMeasurement()
{
    m_measuringUploads = true;
    if (m_uploadsMeasurer.joinable())
        m_uploadsMeasurer.join(); // a finished one: it cleared m_measuringUploads before it ended
    m_uploadsMeasurer = std::thread([this] { measureUploads(); });
}

oci::Result<void> StorageIndex::catchUp(StorageIndexContent& content)
{
    auto present = m_scanner.blobDirectories();
    if (!present)
        return unexpected(std::move(present).error());
    if (present->stamp != content.stamps.blobs) {
        // Blobs never change: those gone are dropped, new ones measured.
        BlobSizes blobs;
        blobs.reserve(present->digests.size());
        for (const auto& digest : present->digests) {
            if (const auto known = content.blobs.find(digest); known != content.blobs.end()) {
                blobs.insert(*known);
            } else if (auto info = m_registry.blobs().statGlobal(digest); !info) {
                return unexpected(std::move(info).error());
            } else if (*info) {
                blobs.emplace(digest, (*info)->size);
            }
        }
        content.blobs = std::move(blobs);
    }
    auto names = m_registry.catalog().repositories();
    if (!names)
        return unexpected(std::move(names).error());
    std::erase_if(content.usages, [&names](const auto& usage) {
        return !std::binary_search(names->begin(), names->end(), usage.first);
    });
    m_total = names->size();
    // Taking a stamp is a few blocking storage calls: several threads take them.
    OrderedChunks<oci::Result<StorageStamp>> stamps(
        names->size(), storageThreads(), [&](std::size_t index) { return m_scanner.stamp((*names)[index]); });
    for (const auto& name : *names) {
        if (m_stopping)
            return unexpected(indexFailure("berthd is stopping"));
        auto stamp = stamps.next();
        if (!stamp)
            return unexpected(std::move(stamp).error());
        const auto saved = content.stamps.repositories.find(name);
        if (saved == content.stamps.repositories.end() || saved->second != *stamp ||
            !content.usages.contains(name)) {
            if (auto read = readAgain(content.usages, content.blobs, name); !read)
                return read;
        }
        ++m_done;
    }
    return {};
}

oci::Result<void> StorageIndex::readAgain(RepositoryUsages& usages, BlobSizes& blobs, const std::string& name)
{
    auto usage = m_scanner.repository(name);
    if (!usage)
        return unexpected(std::move(usage).error());
    if (!*usage) {
        usages.erase(name);
        return {};
    }
    // Blobs never change, so one the index has not seen (stored before it started
    // recording, by a program that kept no index) is read once.
    for (const auto& digest : (*usage)->blobs) {
        if (blobs.contains(digest))
            continue;
        auto info = m_registry.blobs().statGlobal(digest);
        if (info && *info)
            blobs.emplace(digest, (*info)->size);
    }
    usages.insert_or_assign(name, std::move(**usage));
    return {};
}

oci::Result<void> StorageIndex::rebuild()
{
    auto blobs = m_scanner.blobs();
    if (!blobs)
        return unexpected(std::move(blobs).error());
    auto names = m_registry.catalog().repositories();
    if (!names)
        return unexpected(std::move(names).error());
    m_total = names->size();
    RepositoryUsages usages;
    for (const auto& name : *names) {
        if (m_stopping)
            return unexpected(indexFailure("berthd is stopping"));
        auto usage = m_scanner.repository(name);
        if (!usage)
            return unexpected(std::move(usage).error());
        if (*usage)
            usages.insert_or_assign(name, std::move(**usage));
        ++m_done;
    }
    const std::scoped_lock lock(m_mutex);
    m_usages = std::move(usages);
    m_blobs = std::move(blobs).value();
    m_statistics.reset();
    return {};
}

oci::Result<void> StorageIndex::applyChanges()
{
    auto pending = m_registry.changes().take();
    if (pending.repositories.empty() && pending.blobs.empty())
        return {};
    m_statistics.reset();
    for (auto& [digest, size] : pending.blobs) {
        if (size)
            m_blobs.insert_or_assign(digest, *size);
        else
            m_blobs.erase(digest);
    }
    for (auto name = pending.repositories.begin(); name != pending.repositories.end(); ++name) {
        if (auto read = readAgain(m_usages, m_blobs, *name); !read) {
            // Whatever was not read again stays pending for the next call.
            for (auto rest = name; rest != pending.repositories.end(); ++rest)
                m_registry.changes().repositoryChanged(*rest);
            return read;
        }
    }
    return {};
}

oci::Result<StorageIndex::State> StorageIndex::state()
{
    const std::scoped_lock lock(m_mutex);
    if (m_building)
        return State{true, m_done, m_total, nullptr};
    if (!m_open) {
        if (m_buildError.empty())
            return unexpected(indexFailure("the index was never opened"));
        auto failed = indexFailure(m_buildError);
        startBuild(); // storage may answer again by now
        return unexpected(std::move(failed));
    }
    auto applied = applyChanges();
    if (!applied)
        return unexpected(std::move(applied).error());
    // Measuring uploads walks every repository: the answer does not wait for it.
    if (!m_measuringUploads && std::chrono::steady_clock::now() - m_uploadsMeasured >= m_uploadsMaxAge)
        startUploadsMeasurement();
    if (!m_statistics)
        m_statistics =
            std::make_shared<const StorageStatistics>(computeStatistics(m_usages, m_blobs, m_uploads));
    return State{false, 0, 0, m_statistics};
}

bool StorageIndex::waitUntilOpen(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_opened.wait_for(lock, timeout, [this] { return !m_building; });
    return m_open;
}

oci::Result<void> StorageIndex::close()
{
    const std::scoped_lock lock(m_mutex);
    if (!m_open)
        return {}; // nothing trustworthy to save: the next start rebuilds
    auto applied = applyChanges();
    if (!applied)
        return applied;
    // Stamps of storage as the index reflects it, so that the next start sees what changes after.
    StorageStamps stamps;
    auto blobs = m_scanner.blobDirectories();
    if (!blobs)
        return unexpected(std::move(blobs).error());
    stamps.blobs = blobs->stamp;
    for (const auto& [name, usage] : m_usages) {
        auto stamp = m_scanner.stamp(name);
        if (!stamp)
            return unexpected(std::move(stamp).error());
        stamps.repositories.emplace(name, *stamp);
    }
    auto saved = orStorageFailure(m_registry.driver().putContent(
        layout::storageIndex(), encodeStorageIndex(m_usages, m_blobs, stamps)));
    m_saved = saved.hasValue();
    return saved;
}

oci::Result<void> StorageIndex::invalidate(storage::StorageDriver& driver)
{
    return removeIfPresent(driver, layout::storageIndex());
}

} // namespace berth::registry
