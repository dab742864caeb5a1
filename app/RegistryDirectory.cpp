#include "app/RegistryDirectory.h"

#include "app/RegistryUrl.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

const QString arrayName = u"registries"_s;
const QString nameKey = u"name"_s;
const QString urlKey = u"url"_s;
const QString usernameKey = u"username"_s;
const QString certificateKey = u"trustedCertificate"_s;

} // namespace

RegistryDirectory::RegistryDirectory(QSettings* settings, QObject* parent)
    : QObject(parent), m_settings(settings)
{
}

QList<RegistryEntry> RegistryDirectory::entries() const
{
    QList<RegistryEntry> entries;
    const int count = m_settings->beginReadArray(arrayName);
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        RegistryEntry entry;
        entry.url = normalizedRegistryUrl(QUrl(m_settings->value(urlKey).toString()));
        if (!entry.url.isValid() || entry.url.isEmpty())
            continue; // an entry edited into nonsense by hand
        entry.name = m_settings->value(nameKey).toString();
        if (entry.name.isEmpty())
            entry.name = registryHostAndPort(entry.url);
        entry.username = m_settings->value(usernameKey).toString();
        entry.trustedCertificatePem = m_settings->value(certificateKey).toString().toLatin1();
        entries.append(entry);
    }
    m_settings->endArray();
    return entries;
}

void RegistryDirectory::save(const RegistryEntry& entry)
{
    RegistryEntry saved = entry;
    saved.url = normalizedRegistryUrl(entry.url);
    if (saved.name.isEmpty())
        saved.name = registryHostAndPort(saved.url);
    QList<RegistryEntry> all = entries();
    const auto same =
        std::find_if(all.begin(), all.end(), [&saved](const RegistryEntry& e) { return e.url == saved.url; });
    if (same != all.end())
        *same = saved;
    else
        all.append(saved);
    write(all);
}

void RegistryDirectory::remove(const QUrl& url)
{
    QList<RegistryEntry> all = entries();
    const QUrl normalized = normalizedRegistryUrl(url);
    if (all.removeIf([&normalized](const RegistryEntry& entry) { return entry.url == normalized; }) > 0)
        write(all);
}

void RegistryDirectory::write(const QList<RegistryEntry>& entries)
{
    m_settings->remove(arrayName); // an array that shrank keeps no stale items
    m_settings->beginWriteArray(arrayName, static_cast<int>(entries.size()));
    for (int i = 0; i < entries.size(); ++i) {
        const RegistryEntry& entry = entries.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(nameKey, entry.name);
        m_settings->setValue(urlKey, entry.url.toString());
        m_settings->setValue(usernameKey, entry.username);
        if (!entry.trustedCertificatePem.isEmpty())
            m_settings->setValue(certificateKey,
                                 QString::fromLatin1(entry.trustedCertificatePem)); // PEM is ASCII
    }
    m_settings->endArray();
    m_settings->sync();
    Q_EMIT changed();
}

} // namespace berth::app
