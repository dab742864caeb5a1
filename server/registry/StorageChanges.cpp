#include "registry/StorageChanges.h"

#include <utility>

namespace berth::registry {

void StorageChanges::startRecording()
{
    const std::scoped_lock lock(m_mutex);
    m_recording = true;
}

void StorageChanges::observeRepositories(std::function<void(std::string_view)> observer)
{
    m_repositoryObserver = std::move(observer);
}

void StorageChanges::repositoryChanged(std::string_view repository)
{
    if (m_repositoryObserver)
        m_repositoryObserver(repository);
    const std::scoped_lock lock(m_mutex);
    if (m_recording)
        m_pending.repositories.emplace(repository);
}

void StorageChanges::blobStored(const oci::Digest& digest, std::uint64_t size)
{
    const std::scoped_lock lock(m_mutex);
    if (m_recording)
        m_pending.blobs.insert_or_assign(digest, size);
}

void StorageChanges::blobDeleted(const oci::Digest& digest)
{
    const std::scoped_lock lock(m_mutex);
    if (m_recording)
        m_pending.blobs.insert_or_assign(digest, std::nullopt);
}

StorageChanges::Pending StorageChanges::take()
{
    const std::scoped_lock lock(m_mutex);
    return std::exchange(m_pending, {});
}

} // namespace berth::registry
