#include "ui/RegistryClientPool.h"

#include "app/CredentialStore.h"
#include "app/RegistryClient.h"
#include "app/RegistryUrl.h"

#include <QSslCertificate>

namespace berth::ui {

RegistryClientPool::RegistryClientPool(QNetworkAccessManager* network, app::CredentialStore* credentials,
                                       QObject* parent)
    : QObject(parent), m_network(network), m_credentials(credentials)
{
}

void RegistryClientPool::acquire(const app::RegistryEntry& entry, bool useKeychain, QObject* context,
                                 Ready ready)
{
    const QUrl url = app::normalizedRegistryUrl(entry.url);
    if (auto slot = m_slots.find(url); slot != m_slots.end()) {
        if (slot->ready) {
            // Answered from the event loop, as a new client's answer would be.
            QMetaObject::invokeMethod(
                context,
                [ready = std::move(ready), client = QPointer(slot->client)] {
                    if (client)
                        ready(client, {});
                },
                Qt::QueuedConnection);
        } else {
            slot->waiting.append({context, std::move(ready)});
        }
        return;
    }

    Slot& slot = m_slots[url];
    slot.client = makeClient(entry);
    slot.waiting.append({context, std::move(ready)});
    if (!useKeychain) {
        QMetaObject::invokeMethod(
            this, [this, url] { markReady(url, {}); }, Qt::QueuedConnection);
        return;
    }
    m_credentials->read(url, this, [this, url](const app::Credentials& credentials, const QString& error) {
        if (auto* client = find(url))
            client->setCredentials(credentials);
        markReady(url, error);
    });
}

void RegistryClientPool::prepare(const app::RegistryEntry& entry, const app::Credentials& credentials)
{
    const QUrl url = app::normalizedRegistryUrl(entry.url);
    Slot& slot = m_slots[url];
    if (!slot.client)
        slot.client = makeClient(entry);
    slot.client->setCredentials(credentials);
    markReady(url, {});
}

app::RegistryClient* RegistryClientPool::find(const QUrl& url) const
{
    return m_slots.value(app::normalizedRegistryUrl(url)).client;
}

void RegistryClientPool::forget(const QUrl& url)
{
    const Slot slot = m_slots.take(app::normalizedRegistryUrl(url));
    if (slot.client)
        slot.client->deleteLater();
}

app::RegistryClient* RegistryClientPool::makeClient(const app::RegistryEntry& entry)
{
    auto* client = new app::RegistryClient(app::normalizedRegistryUrl(entry.url), m_network, this);
    for (const QSslCertificate& certificate :
         QSslCertificate::fromData(entry.trustedCertificatePem, QSsl::Pem))
        client->trustCertificate(certificate);
    return client;
}

void RegistryClientPool::markReady(const QUrl& url, const QString& keychainError)
{
    auto slot = m_slots.find(url);
    if (slot == m_slots.end())
        return; // forgotten while its credentials were read
    slot->ready = true;
    // A waiter may acquire or forget clients: nothing of the slot is used after the first call.
    const QPointer<app::RegistryClient> client = slot->client;
    const QList<Waiter> waiting = std::exchange(slot->waiting, {});
    for (const Waiter& waiter : waiting) {
        if (waiter.context && client)
            waiter.ready(client, keychainError);
    }
}

} // namespace berth::ui
