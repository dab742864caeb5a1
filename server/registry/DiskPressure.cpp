#include "registry/DiskPressure.h"

namespace berth::registry {

bool DiskPressure::check()
{
    if (m_minimumFree == 0)
        return false;
    const auto free = m_driver.freeSpace();
    if (!free) // the driver cannot tell: never refuse on a guess
        return false;
    const bool underPressure = *free < m_minimumFree;
    const std::scoped_lock lock(m_transition);
    m_lastFree = *free;
    if (underPressure != m_underPressure) {
        m_underPressure = underPressure;
        if (m_listener)
            m_listener(underPressure, *free);
    }
    return underPressure;
}

DiskPressure::State DiskPressure::state()
{
    const bool underPressure = check();
    return State{m_driver.freeSpace(), m_driver.totalSpace(), m_minimumFree, underPressure};
}

oci::Result<void> DiskPressure::admitWrite()
{
    if (!check())
        return {};
    std::uint64_t free = 0;
    {
        const std::scoped_lock lock(m_transition);
        free = m_lastFree;
    }
    return oci::fail(oci::ErrorCode::StorageFull, "storage is low on free space; uploads are paused until space is freed",
                     std::to_string(free) + " bytes free, berth.storage.minfreespace is " +
                         std::to_string(m_minimumFree) + " bytes");
}

} // namespace berth::registry
