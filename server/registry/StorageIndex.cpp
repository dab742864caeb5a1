#include "registry/StorageIndex.h"

#include "registry/Layout.h"
#include "registry/OrderedChunks.h"
#include "registry/StorageAccess.h"
#include "registry/StorageIndexFile.h"

#include <algorithm>

namespace berth::registry {

namespace {

// How many numbers the blob table may hold beyond twice those in use before it is compacted.
constexpr std::size_t compactionSlack = 4096;

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
    install(std::move(content->usage));
    return true;
}

void StorageIndex::install(StorageUsage usage)
{
    const std::scoped_lock lock(m_mutex);
    m_usage = std::move(usage);
    m_numberedWhenCompact = m_usage.blobs.count();
    m_statistics.reset();
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
        auto& table = content.usage.blobs;
        std::vector<bool> held(table.count());
        for (const auto& digest : present->digests) {
            if (const auto known = table.find(digest); known && table.size(*known)) {
                held[*known] = true;
            } else if (auto info = m_registry.blobs().statGlobal(digest); !info) {
                return unexpected(std::move(info).error());
            } else if (*info) {
                const auto number = table.number(digest);
                table.setSize(number, (*info)->size);
                if (number < held.size())
                    held[number] = true;
            }
        }
        for (BlobNumber number = 0; number < held.size(); ++number) {
            if (!held[number])
                table.setSize(number, std::nullopt);
        }
    }
    auto names = m_registry.catalog().repositories();
    if (!names)
        return unexpected(std::move(names).error());
    std::erase_if(content.usage.repositories, [&names](const auto& usage) {
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
            !content.usage.repositories.contains(name)) {
            if (auto read = readAgain(content.usage, name); !read)
                return read;
        }
        ++m_done;
    }
    return {};
}

oci::Result<void> StorageIndex::readAgain(StorageUsage& usage, const std::string& name)
{
    auto& table = usage.blobs;
    auto repository = m_scanner.repository(name, table);
    if (!repository)
        return unexpected(std::move(repository).error());
    if (!*repository) {
        usage.repositories.erase(name);
        return {};
    }
    // Blobs never change, so one the index has not seen (stored before it started
    // recording, by a program that kept no index) is read once.
    for (const auto number : (*repository)->blobs) {
        if (table.size(number))
            continue;
        auto info = m_registry.blobs().statGlobal(table.digest(number));
        if (info && *info)
            table.setSize(number, (*info)->size);
    }
    usage.repositories.insert_or_assign(name, std::move(**repository));
    return {};
}

oci::Result<void> StorageIndex::rebuild()
{
    StorageUsage usage;
    if (auto blobs = m_scanner.blobs(usage.blobs); !blobs)
        return blobs;
    auto names = m_registry.catalog().repositories();
    if (!names)
        return unexpected(std::move(names).error());
    m_total = names->size();
    for (const auto& name : *names) {
        if (m_stopping)
            return unexpected(indexFailure("berthd is stopping"));
        auto repository = m_scanner.repository(name, usage.blobs);
        if (!repository)
            return unexpected(std::move(repository).error());
        if (*repository)
            usage.repositories.insert_or_assign(usage.repositories.end(), name, std::move(**repository));
        ++m_done;
    }
    install(std::move(usage));
    return {};
}

oci::Result<void> StorageIndex::applyChanges()
{
    auto pending = m_registry.changes().take();
    if (pending.repositories.empty() && pending.blobs.empty())
        return {};
    m_statistics.reset();
    auto& table = m_usage.blobs;
    for (const auto& [digest, size] : pending.blobs) {
        if (size)
            table.setSize(table.number(digest), *size);
        else if (const auto number = table.find(digest))
            table.setSize(*number, std::nullopt);
    }
    for (auto name = pending.repositories.begin(); name != pending.repositories.end(); ++name) {
        if (auto read = readAgain(m_usage, *name); !read) {
            // Whatever was not read again stays pending for the next call.
            for (auto rest = name; rest != pending.repositories.end(); ++rest)
                m_registry.changes().repositoryChanged(*rest);
            return read;
        }
    }
    // Digests of blobs deleted keep their number: once they are as many as those in use,
    // the table is numbered afresh.
    if (table.count() >= 2 * m_numberedWhenCompact + compactionSlack) {
        m_usage = compacted(m_usage);
        m_numberedWhenCompact = m_usage.blobs.count();
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
        m_statistics = std::make_shared<const StorageStatistics>(computeStatistics(m_usage, m_uploads));
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
    for (const auto& [name, repository] : m_usage.repositories) {
        auto stamp = m_scanner.stamp(name);
        if (!stamp)
            return unexpected(std::move(stamp).error());
        stamps.repositories.emplace(name, *stamp);
    }
    auto saved = orStorageFailure(
        m_registry.driver().putContent(layout::storageIndex(), encodeStorageIndex(m_usage, stamps)));
    m_saved = saved.hasValue();
    return saved;
}

oci::Result<void> StorageIndex::invalidate(storage::StorageDriver& driver)
{
    return removeIfPresent(driver, layout::storageIndex());
}

} // namespace berth::registry
