#include "registry/RetentionRuleStore.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

#include <boost/json.hpp>

namespace berth::registry {

oci::Result<RetentionRuleStore::Current> RetentionRuleStore::current() const
{
    const auto path = layout::retentionRules();
    auto stored = m_driver.getContent(path);
    if (!stored) {
        if (stored.error().kind != storage::ErrorKind::NotFound)
            return unexpected(storageFailure(stored.error()));
        if (m_configured)
            return Current{*m_configured, Source::Config};
        return Current{};
    }
    auto rules = parseRetentionRules(*stored);
    if (!rules)
        return oci::fail(oci::ErrorCode::Internal, "the stored retention rules are not valid",
                         path + ": " + rules.error().describe());
    return Current{std::move(rules).value(), Source::Data};
}

oci::Result<void> RetentionRuleStore::store(const RetentionRules& rules)
{
    return orStorageFailure(
        m_driver.putContent(layout::retentionRules(), boost::json::serialize(toJson(rules)) + '\n'));
}

oci::Result<void> RetentionRuleStore::forget()
{
    return removeIfPresent(m_driver, layout::retentionRules());
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
