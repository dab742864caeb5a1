#include "app/TokenCache.h"

#include <algorithm>

namespace berth::app {

QString TokenCache::token(const QString& scope) const
{
    const auto entry = m_entries.constFind(scope);
    return entry == m_entries.cend() || entry->expiry.hasExpired() ? QString() : entry->token;
}

void TokenCache::insert(const QString& scope, const QString& token, std::chrono::seconds lifetime)
{
    // Stop using a token a little early, so that it does not expire on the way.
    const std::chrono::seconds margin = std::min(lifetime / 4, std::chrono::seconds(10));
    m_entries.insert(scope, Entry{token, QDeadlineTimer(lifetime - margin)});
}

} // namespace berth::app
