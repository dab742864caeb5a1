#pragma once
// Blob uploads in progress. Bytes are hashed as they are appended, so completing an upload
// never reads the data again; a session survives across requests (chunked and resumed
// uploads) and across a restart of berthd (then its data is hashed once on first use).

#include "registry/BlobStore.h"
#include "registry/RepositoryTree.h"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace berth::registry {

class UploadSession
{
public:
    UploadSession(std::string repository, std::string uuid, std::chrono::system_clock::time_point started,
                  oci::Hasher hasher, std::unique_ptr<storage::FileWriter> writer);

    const std::string& repository() const { return m_repository; }
    const std::string& uuid() const { return m_uuid; }
    std::chrono::system_clock::time_point started() const { return m_started; }
    std::uint64_t size() const { return m_writer->size(); }

    // Appends bytes to the data and the running hash.
    oci::Result<void> append(std::span<const std::byte> bytes);

private:
    friend class UploadSessions;
    friend class UploadLease;

    std::string m_repository;
    std::string m_uuid;
    std::chrono::system_clock::time_point m_started;
    oci::Hasher m_hasher;
    std::unique_ptr<storage::FileWriter> m_writer;
    std::mutex m_inUse; // one request at a time per session
    // A write failed: the driver closed the writer and dropped the data, so the session is dead.
    bool m_failed = false;
};

class UploadSessions;

// Exclusive use of a session by one request; released when destroyed. A session whose
// write failed is discarded then, so a full disk gets its space back at once.
class UploadLease
{
public:
    UploadLease(UploadSessions& owner, std::shared_ptr<UploadSession> session,
                std::unique_lock<std::mutex> lock)
        : m_owner(&owner), m_session(std::move(session)), m_lock(std::move(lock))
    {
    }
    UploadLease(UploadLease&&) noexcept = default;
    UploadLease& operator=(UploadLease&&) noexcept = default;
    ~UploadLease();

    UploadSession* operator->() const { return m_session.get(); }
    UploadSession& operator*() const { return *m_session; }

private:
    UploadSessions* m_owner;
    std::shared_ptr<UploadSession> m_session;
    std::unique_lock<std::mutex> m_lock;
};

class UploadSessions
{
public:
    UploadSessions(storage::StorageDriver& driver, BlobStore& blobs) : m_driver(driver), m_blobs(blobs) {}

    // Starts a session; returns its id.
    oci::Result<std::string> create(std::string_view repository);
    // The session for exclusive use. BlobUploadUnknown when there is none; BlobUploadInvalid
    // when another request is using it right now.
    oci::Result<UploadLease> acquire(std::string_view repository, std::string_view uuid);
    // Checks the data against `expected`, then makes it a blob of the repository and ends
    // the session. On DigestInvalid nothing is stored and the session is gone.
    oci::Result<BlobInfo> complete(UploadLease lease, const oci::Digest& expected);
    // Ends a session and deletes its data. BlobUploadUnknown when there is none.
    oci::Result<void> cancel(std::string_view repository, std::string_view uuid);

    // An upload as storage holds it, whether or not this process has seen it.
    struct StoredUpload
    {
        std::string repository;
        std::string uuid;
        std::uint64_t size = 0; // bytes received so far
        std::chrono::system_clock::time_point started;
        std::chrono::system_clock::time_point lastActive; // the newest of its start and its last write
    };
    // Every upload in storage.
    oci::Result<std::vector<StoredUpload>> stored();
    // The uploads in the "_uploads" directories among `reserved`, from a walk of the
    // repository tree that the caller made for more than uploads (see reservedDirectories).
    std::vector<StoredUpload> storedIn(const std::vector<ReservedDirectory>& reserved);

    struct PurgeReport
    {
        std::size_t purged = 0;  // removed, or that would be in a dry run
        std::size_t inUse = 0;   // old but a request is writing to it right now
        std::uint64_t bytes = 0; // data of the purged ones
    };
    // Removes uploads started before `cutoff` (abandoned by their clients) with their data.
    oci::Result<PurgeReport> purgeStarted(std::chrono::system_clock::time_point cutoff, bool dryRun);
    // Removes the uploads in `reserved` (as storedIn() finds them) that nothing was written
    // to since `cutoff`.
    oci::Result<PurgeReport> purgeIdle(const std::vector<ReservedDirectory>& reserved,
                                       std::chrono::system_clock::time_point cutoff, bool dryRun);

    // True for ids this registry hands out (so an id from a URL is a safe path component).
    static bool isValidUuid(std::string_view uuid);

private:
    friend class UploadLease;

    static std::string key(std::string_view repository, std::string_view uuid);
    oci::Result<std::shared_ptr<UploadSession>> restore(std::string_view repository, std::string_view uuid);
    oci::Result<oci::Hasher> hashStoredData(const std::string& path, oci::DigestAlgorithm algorithm);
    oci::Result<void> discard(const UploadSession& session);
    // Removes every one of `uploads` that `expired` picks, except those a request is using.
    oci::Result<PurgeReport> purge(const std::vector<StoredUpload>& uploads,
                                   const std::function<bool(const StoredUpload&)>& expired, bool dryRun);
    // When an upload on disk started: its startedat file, else the directory's mtime.
    std::chrono::system_clock::time_point startTime(const storage::FileInfo& uploadDirectory);

    storage::StorageDriver& m_driver;
    BlobStore& m_blobs;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::shared_ptr<UploadSession>> m_sessions;
};

} // namespace berth::registry
