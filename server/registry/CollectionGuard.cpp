#include "registry/CollectionGuard.h"

namespace berth::registry {

void CollectionGuard::touch(const oci::Digest& digest)
{
    const std::scoped_lock lock(m_touchedMutex);
    if (m_collecting)
        m_touched.insert(digest);
}

void CollectionGuard::beginCollection()
{
    m_oneCollection.lock();
    // Commits in flight finish first, so marking sees what they did; every later one is
    // recorded.
    const std::unique_lock commits(m_commits);
    const std::scoped_lock lock(m_touchedMutex);
    m_collecting = true;
    m_touched.clear();
}

void CollectionGuard::endCollection()
{
    {
        const std::scoped_lock lock(m_touchedMutex);
        m_collecting = false;
        m_touched.clear();
    }
    m_oneCollection.unlock();
}

bool CollectionGuard::touchedDuringCollection(const oci::Digest& digest) const
{
    const std::scoped_lock lock(m_touchedMutex);
    return m_touched.contains(digest);
}

} // namespace berth::registry
