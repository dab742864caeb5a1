#pragma once
// Bearer tokens from a registry's token server, kept per scope until shortly before they
// expire, so that listing 100 pages asks the token server once and not 100 times.

#include <QDeadlineTimer>
#include <QHash>
#include <QString>
#include <chrono>

namespace berth::app {

class TokenCache
{
public:
    // The token server's default when its answer has no expires_in (distribution spec).
    static constexpr std::chrono::seconds defaultLifetime{60};

    // The token for `scope`, empty when there is none or it is about to expire.
    QString token(const QString& scope) const;
    void insert(const QString& scope, const QString& token, std::chrono::seconds lifetime);
    void clear() { m_entries.clear(); }

private:
    struct Entry
    {
        QString token;
        QDeadlineTimer expiry;
    };
    QHash<QString, Entry> m_entries;
};

} // namespace berth::app
