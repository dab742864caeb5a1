#pragma once
// Where the retention rules in force, and how often they run by themselves, come from.
// Rules and schedule PUT through the admin API are kept together in berthd's data
// (layout::retentionRules(), replaced atomically, so they survive restarts and move with
// the storage) and win; while the data holds none, those of config.yml (berth.retention)
// apply. A stored file without a schedule (as older berthd wrote) leaves config.yml's.

#include "oci/Error.h"
#include "registry/RetentionRules.h"
#include "storage/StorageDriver.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>

namespace berth::registry {

class RetentionRuleStore
{
public:
    enum class Source
    {
        None,
        Config,
        Data,
        Request // rules a preview came with
    };

    struct Current
    {
        RetentionRules rules;
        Source source = Source::None;
        std::chrono::seconds schedule{0}; // 0: no scheduled runs
        Source scheduleSource = Source::None;
    };

    // Told of the rules in force after every change, in the order of the changes.
    using Listener = std::function<void(const Current&)>;

    RetentionRuleStore(storage::StorageDriver& driver, std::optional<RetentionRules> configured,
                       std::chrono::seconds configuredSchedule = {})
        : m_driver(driver), m_configured(std::move(configured)), m_configuredSchedule(configuredSchedule)
    {
    }

    // The rules in force. Internal when the stored file cannot be read or is not valid.
    oci::Result<Current> current() const;
    // Stores `settings` in the data, where they win over config.yml's; a schedule not said
    // stays as it was.
    oci::Result<void> store(const RetentionSettings& settings);
    // Forgets the stored rules and schedule, so config.yml's apply again.
    oci::Result<void> forget();
    void setListener(Listener listener);

private:
    // What the data holds; std::nullopt when nothing.
    oci::Result<std::optional<RetentionSettings>> stored() const;
    void changed();

    storage::StorageDriver& m_driver;
    std::optional<RetentionRules> m_configured;
    std::chrono::seconds m_configuredSchedule;
    std::mutex m_mutex; // one change at a time, each told to the listener before the next
    Listener m_listener;
};

// "none", "config", "data", "request".
std::string_view toString(RetentionRuleStore::Source source);

} // namespace berth::registry
