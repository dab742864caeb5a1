#include "registry/RetentionRuleStore.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

#include <boost/json.hpp>

namespace berth::registry {

oci::Result<std::optional<RetentionSettings>> RetentionRuleStore::stored() const
{
    const auto path = layout::retentionRules();
    auto text = m_driver.getContent(path);
    if (!text) {
        if (text.error().kind != storage::ErrorKind::NotFound)
            return unexpected(storageFailure(text.error()));
        return std::optional<RetentionSettings>();
    }
    auto settings = parseRetentionSettings(*text);
    if (!settings)
        return oci::fail(oci::ErrorCode::Internal, "the stored retention rules are not valid",
                         path + ": " + settings.error().describe());
    return std::optional<RetentionSettings>(std::move(settings).value());
}

oci::Result<RetentionRuleStore::Current> RetentionRuleStore::current() const
{
    auto settings = stored();
    if (!settings)
        return unexpected(std::move(settings).error());
    Current result;
    if (*settings) {
        result.rules = std::move((*settings)->rules);
        result.source = Source::Data;
    } else if (m_configured) {
        result.rules = *m_configured;
        result.source = Source::Config;
    }
    if (*settings && (*settings)->schedule) {
        result.schedule = *(*settings)->schedule;
        result.scheduleSource = Source::Data;
    } else if (m_configuredSchedule.count() > 0) {
        result.schedule = m_configuredSchedule;
        result.scheduleSource = Source::Config;
    }
    return result;
}

oci::Result<void> RetentionRuleStore::store(const RetentionSettings& settings)
{
    const std::scoped_lock lock(m_mutex);
    auto kept = settings;
    if (!kept.schedule) {
        auto previous = stored();
        if (!previous)
            return unexpected(std::move(previous).error());
        if (*previous)
            kept.schedule = (*previous)->schedule;
    }
    // One file for both, so a crash leaves the old pair or the new one.
    auto written = orStorageFailure(
        m_driver.putContent(layout::retentionRules(), boost::json::serialize(toJson(kept)) + '\n'));
    if (written)
        changed();
    return written;
}

oci::Result<void> RetentionRuleStore::forget()
{
    const std::scoped_lock lock(m_mutex);
    auto removed = removeIfPresent(m_driver, layout::retentionRules());
    if (removed)
        changed();
    return removed;
}

void RetentionRuleStore::setListener(Listener listener)
{
    const std::scoped_lock lock(m_mutex);
    m_listener = std::move(listener);
}

void RetentionRuleStore::changed()
{
    if (!m_listener)
        return;
    if (auto now = current())
        m_listener(*now);
}

std::string_view toString(RetentionRuleStore::Source source)
{
    switch (source) {
    case RetentionRuleStore::Source::None:
        return "none";
    case RetentionRuleStore::Source::Config:
        return "config";
    case RetentionRuleStore::Source::Data:
        return "data";
    case RetentionRuleStore::Source::Request:
        return "request";
    }
    return "none";
}

} // namespace berth::registry
