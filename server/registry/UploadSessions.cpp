#include "registry/UploadSessions.h"

#include "registry/Layout.h"
#include "registry/RepositoryTree.h"
#include "registry/StorageAccess.h"
#include "support/Random.h"
#include "support/Time.h"

#include <algorithm>
#include <array>
#include <optional>

namespace berth::registry {

namespace {

// Fresh ids that are all taken mean something is wrong with the random generator, not bad luck.
constexpr int createAttempts = 4;

oci::Error uploadUnknown(std::string_view uuid)
{
    return {oci::ErrorCode::BlobUploadUnknown, "blob upload unknown to registry", std::string(uuid)};
}

// An upload id drawn afresh (nothing may reuse it, see create()); nullopt when the random
// generator fails, which must not hand out the same all-zero id to every client.
std::optional<std::string> newUuid()
{
    std::array<unsigned char, 16> bytes{};
    if (!fillRandom(bytes))
        return std::nullopt;
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            text.push_back('-');
        text.push_back(hex[bytes[i] >> 4]);
        text.push_back(hex[bytes[i] & 0x0f]);
    }
    return text;
}

} // namespace

UploadSession::UploadSession(std::string repository, std::string uuid,
                             std::chrono::system_clock::time_point started, oci::Hasher hasher,
                             std::unique_ptr<storage::FileWriter> writer)
    : m_repository(std::move(repository)), m_uuid(std::move(uuid)), m_started(started),
      m_hasher(std::move(hasher)), m_writer(std::move(writer))
{
}

oci::Result<void> UploadSession::append(std::span<const std::byte> bytes)
{
    auto written = orStorageFailure(m_writer->write(bytes));
    if (!written) {
        m_failed = true;
        return written;
    }
    m_hasher.update(bytes);
    return {};
}

UploadLease::~UploadLease()
{
    if (m_session && m_session->m_failed)
        (void)m_owner->discard(*m_session);
}

bool UploadSessions::isValidUuid(std::string_view uuid)
{
    if (uuid.size() != 36)
        return false;
    for (std::size_t i = 0; i < uuid.size(); ++i) {
        const char c = uuid[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

std::string UploadSessions::key(std::string_view repository, std::string_view uuid)
{
    std::string text(repository);
    text += '\n';
    text += uuid;
    return text;
}

oci::Result<std::string> UploadSessions::create(std::string_view repository)
{
    const auto now = std::chrono::system_clock::now();
    for (int attempt = 0; attempt < createAttempts; ++attempt) {
        auto uuid = newUuid();
        if (!uuid)
            return oci::fail(oci::ErrorCode::Internal, "cannot start an upload",
                             "the random generator failed");
        // The directory appears whole, and only where none is: two sessions never share one
        // data file, so no upload can truncate or append to another's bytes.
        const auto directory = layout::uploadDirectory(repository, *uuid);
        const auto inDirectory = [&](const std::string& path) { return path.substr(directory.size() + 1); };
        const std::array files{
            storage::NewFile{inDirectory(layout::uploadStartedAt(repository, *uuid)), formatRfc3339(now)},
            storage::NewFile{inDirectory(layout::uploadData(repository, *uuid)), {}}};
        auto created = orStorageFailure(m_driver.createDirectory(directory, files));
        if (!created)
            return unexpected(std::move(created).error());
        if (!*created)
            continue; // the id is taken: draw another
        auto writer = orStorageFailure(m_driver.writer(layout::uploadData(repository, *uuid), true));
        if (!writer) {
            (void)removeIfPresent(m_driver, directory);
            return unexpected(std::move(writer).error());
        }
        auto session = std::make_shared<UploadSession>(std::string(repository), *uuid, now, oci::Hasher{},
                                                       std::move(writer).value());
        const std::scoped_lock lock(m_mutex);
        m_sessions.emplace(key(repository, *uuid), std::move(session));
        return std::move(uuid).value();
    }
    return oci::fail(oci::ErrorCode::Internal, "cannot start an upload", "every new upload id was taken");
}

oci::Result<UploadLease> UploadSessions::acquire(std::string_view repository, std::string_view uuid)
{
    if (!isValidUuid(uuid))
        return unexpected(uploadUnknown(uuid));
    std::shared_ptr<UploadSession> session;
    {
        const std::scoped_lock lock(m_mutex);
        if (auto found = m_sessions.find(key(repository, uuid)); found != m_sessions.end())
            session = found->second;
    }
    if (!session) {
        auto restored = restore(repository, uuid);
        if (!restored)
            return unexpected(std::move(restored).error());
        const std::scoped_lock lock(m_mutex);
        // Another request may have restored it meanwhile; keep the first.
        session = m_sessions.try_emplace(key(repository, uuid), std::move(restored).value()).first->second;
    }
    std::unique_lock inUse(session->m_inUse, std::try_to_lock);
    if (!inUse.owns_lock())
        return oci::fail(oci::ErrorCode::BlobUploadInvalid,
                         "another request is writing to this upload right now", std::string(uuid));
    {
        // It may have been completed or cancelled while we waited for the lock.
        const std::scoped_lock lock(m_mutex);
        if (!m_sessions.contains(key(repository, uuid)))
            return unexpected(uploadUnknown(uuid));
    }
    return UploadLease(*this, std::move(session), std::move(inUse));
}

oci::Result<std::shared_ptr<UploadSession>> UploadSessions::restore(std::string_view repository,
                                                                    std::string_view uuid)
{
    auto startedAt = m_driver.getContent(layout::uploadStartedAt(repository, uuid));
    if (!startedAt) {
        if (startedAt.error().kind == storage::ErrorKind::NotFound)
            return unexpected(uploadUnknown(uuid));
        return unexpected(storageFailure(startedAt.error()));
    }
    const auto dataPath = layout::uploadData(repository, uuid);
    auto hasher = hashStoredData(dataPath, oci::DigestAlgorithm::Sha256);
    if (!hasher)
        return unexpected(std::move(hasher).error());
    auto writer = m_driver.writer(dataPath, true);
    if (!writer) {
        if (writer.error().kind == storage::ErrorKind::NotFound)
            return unexpected(uploadUnknown(uuid));
        return unexpected(storageFailure(writer.error()));
    }
    const auto started = parseRfc3339(*startedAt).value_or(std::chrono::system_clock::now());
    return std::make_shared<UploadSession>(std::string(repository), std::string(uuid), started,
                                           std::move(hasher).value(), std::move(writer).value());
}

oci::Result<oci::Hasher> UploadSessions::hashStoredData(const std::string& path,
                                                        oci::DigestAlgorithm algorithm)
{
    auto reader = m_driver.reader(path, 0);
    if (!reader) {
        if (reader.error().kind == storage::ErrorKind::NotFound)
            return oci::Hasher(algorithm);
        return unexpected(storageFailure(reader.error()));
    }
    oci::Hasher hasher(algorithm);
    std::vector<std::byte> buffer(1 << 20);
    for (;;) {
        auto count = orStorageFailure((*reader)->read(buffer));
        if (!count)
            return unexpected(std::move(count).error());
        if (*count == 0)
            return hasher;
        hasher.update(std::span(buffer).first(*count));
    }
}

oci::Result<BlobInfo> UploadSessions::complete(UploadLease lease, const oci::Digest& expected)
{
    auto& session = *lease;
    auto committed = orStorageFailure(session.m_writer->commit());
    if (!committed) {
        session.m_failed = true;
        return unexpected(std::move(committed).error());
    }
    const auto dataPath = layout::uploadData(session.m_repository, session.m_uuid);

    // A sha512 (or other) digest was asked for: hash the data once more with that algorithm.
    oci::Result<oci::Hasher> hasher = session.m_hasher;
    if (expected.algorithm() != session.m_hasher.algorithm())
        hasher = hashStoredData(dataPath, expected.algorithm());
    if (!hasher)
        return unexpected(std::move(hasher).error());

    const auto actual = hasher->digest();
    if (actual != expected) {
        (void)discard(session);
        return oci::fail(oci::ErrorCode::DigestInvalid, "provided digest did not match uploaded content",
                         "expected " + expected.toString() + ", got " + actual.toString());
    }
    auto blob = m_blobs.commit(session.m_repository, dataPath, expected);
    if (!blob)
        return blob;
    auto discarded = discard(session);
    if (!discarded)
        return unexpected(std::move(discarded).error());
    return blob;
}

oci::Result<void> UploadSessions::cancel(std::string_view repository, std::string_view uuid)
{
    auto lease = acquire(repository, uuid);
    if (!lease)
        return unexpected(std::move(lease).error());
    return discard(**lease);
}

oci::Result<void> UploadSessions::discard(const UploadSession& session)
{
    {
        const std::scoped_lock lock(m_mutex);
        m_sessions.erase(key(session.m_repository, session.m_uuid));
    }
    return removeIfPresent(m_driver, layout::uploadDirectory(session.m_repository, session.m_uuid));
}

std::chrono::system_clock::time_point UploadSessions::startTime(const storage::FileInfo& uploadDirectory)
{
    if (auto startedAt = m_driver.getContent(uploadDirectory.path + "/startedat")) {
        if (auto parsed = parseRfc3339(*startedAt))
            return *parsed;
    }
    return uploadDirectory.modified;
}

oci::Result<std::vector<UploadSessions::StoredUpload>> UploadSessions::stored()
{
    auto reserved = reservedDirectories(m_driver, {layout::uploadsDirName});
    if (!reserved)
        return unexpected(std::move(reserved).error());
    return storedIn(*reserved);
}

std::vector<UploadSessions::StoredUpload>
UploadSessions::storedIn(const std::vector<ReservedDirectory>& reserved)
{
    std::vector<StoredUpload> found;
    for (const auto& directory : reserved) {
        if (directory.name != layout::uploadsDirName)
            continue;
        auto uploads = m_driver.list(directory.path);
        if (!uploads)
            continue; // removed meanwhile
        for (const auto& uploadPath : *uploads) {
            auto info = m_driver.stat(uploadPath);
            if (!info)
                continue;
            StoredUpload upload{
                directory.repository, uploadPath.substr(uploadPath.rfind('/') + 1), 0, startTime(*info), {}};
            upload.lastActive = upload.started;
            if (auto data = m_driver.stat(layout::uploadData(directory.repository, upload.uuid))) {
                upload.size = data->size;
                upload.lastActive = std::max(upload.lastActive, data->modified);
            }
            found.push_back(std::move(upload));
        }
    }
    return found;
}

oci::Result<UploadSessions::PurgeReport>
UploadSessions::purgeStarted(std::chrono::system_clock::time_point cutoff, bool dryRun)
{
    auto uploads = stored();
    if (!uploads)
        return unexpected(std::move(uploads).error());
    return purge(
        *uploads, [cutoff](const StoredUpload& upload) { return upload.started < cutoff; }, dryRun);
}

oci::Result<UploadSessions::PurgeReport>
UploadSessions::purgeIdle(const std::vector<ReservedDirectory>& reserved,
                          std::chrono::system_clock::time_point cutoff, bool dryRun)
{
    return purge(
        storedIn(reserved), [cutoff](const StoredUpload& upload) { return upload.lastActive < cutoff; },
        dryRun);
}

oci::Result<UploadSessions::PurgeReport>
UploadSessions::purge(const std::vector<StoredUpload>& uploads,
                      const std::function<bool(const StoredUpload&)>& expired, bool dryRun)
{
    PurgeReport report;
    for (const auto& upload : uploads) {
        if (!expired(upload))
            continue;
        std::shared_ptr<UploadSession> session;
        {
            const std::scoped_lock lock(m_mutex);
            if (auto found = m_sessions.find(key(upload.repository, upload.uuid)); found != m_sessions.end())
                session = found->second;
        }
        std::unique_lock<std::mutex> inUse;
        if (session) {
            inUse = std::unique_lock(session->m_inUse, std::try_to_lock);
            if (!inUse.owns_lock()) {
                ++report.inUse;
                continue;
            }
        }
        ++report.purged;
        report.bytes += upload.size;
        if (dryRun)
            continue;
        {
            const std::scoped_lock lock(m_mutex);
            m_sessions.erase(key(upload.repository, upload.uuid));
        }
        auto removed = removeIfPresent(m_driver, layout::uploadDirectory(upload.repository, upload.uuid));
        if (!removed)
            return unexpected(std::move(removed).error());
    }
    return report;
}

} // namespace berth::registry
