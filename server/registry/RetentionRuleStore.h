#pragma once
// Where the retention rules in force come from. Rules PUT through the admin API are kept
// in berthd's data (layout::retentionRules(), replaced atomically, so they survive
// restarts and move with the storage) and win; while the data holds none, those of
// config.yml (berth.retention) apply.

#include "oci/Error.h"
#include "registry/RetentionRules.h"
#include "storage/StorageDriver.h"

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
    };

    RetentionRuleStore(storage::StorageDriver& driver, std::optional<RetentionRules> configured)
        : m_driver(driver), m_configured(std::move(configured))
    {
    }

    // The rules in force. Internal when the stored file cannot be read or is not valid.
    oci::Result<Current> current() const;
    // Stores `rules` in the data, where they win over config.yml's.
    oci::Result<void> store(const RetentionRules& rules);
    // Forgets the stored rules, so config.yml's apply again.
    oci::Result<void> forget();

private:
    storage::StorageDriver& m_driver;
    std::optional<RetentionRules> m_configured;
};

// "none", "config", "data", "request".
std::string_view toString(RetentionRuleStore::Source source);

} // namespace berth::registry
