#pragma once
// Refuses new uploads while the store's free space is below a minimum, so a registry
// never fills its disk to the last byte; reads go on. Checked on every write request
// (statvfs is cheap) and periodically, so the pressure lifts by itself once space is back.

#include "oci/Error.h"
#include "storage/StorageDriver.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

namespace berth::registry {

class DiskPressure
{
public:
    // Told when the pressure starts or lifts, with the free bytes then.
    using Listener = std::function<void(bool underPressure, std::uint64_t freeBytes)>;

    // A minimum of 0 turns the check off.
    DiskPressure(storage::StorageDriver& driver, std::uint64_t minimumFree)
        : m_driver(driver), m_minimumFree(minimumFree)
    {
    }

    void setListener(Listener listener) { m_listener = std::move(listener); }

    // Ok, or StorageFull saying how much is free and what the minimum is.
    oci::Result<void> admitWrite();
    // Measures again; true while under pressure.
    bool check();

    struct State
    {
        std::optional<std::uint64_t> freeBytes; // std::nullopt when the driver cannot tell
        std::optional<std::uint64_t> totalBytes;
        std::uint64_t minimumFree = 0; // 0: the check is off
        bool underPressure = false;    // uploads are refused
    };
    // Measures again and says where the store stands, for the admin API.
    State state();

private:
    storage::StorageDriver& m_driver;
    const std::uint64_t m_minimumFree;
    Listener m_listener;
    std::mutex m_transition; // listeners hear transitions in order
    bool m_underPressure = false;
    std::uint64_t m_lastFree = 0;
};

} // namespace berth::registry
