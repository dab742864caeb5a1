#pragma once
// One RegistryClient per registry, made when the registry is first selected and kept while
// it stays in the sidebar, so going back to it reuses its tokens and trusted certificate.
// A new client gets its credentials from the keychain before it is handed out.

#include "app/Credentials.h"
#include "app/RegistryDirectory.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;

namespace berth::app {
class CredentialStore;
class RegistryClient;
} // namespace berth::app

namespace berth::ui {

class RegistryClientPool : public QObject
{
    Q_OBJECT

public:
    // keychainError: why the credentials could not be read (the client then has none), for
    // the user; empty when all went well.
    using Ready = std::function<void(app::RegistryClient* client, const QString& keychainError)>;

    // network and credentials: not owned; must outlive the pool.
    RegistryClientPool(QNetworkAccessManager* network, app::CredentialStore* credentials,
                       QObject* parent = nullptr);

    // Answers once, on `context` (never if it is destroyed first), with the client for
    // `entry`. A new one is made with the entry's trusted certificate and, when
    // `useKeychain`, the credentials saved for it (a keychain error is reported once).
    void acquire(const app::RegistryEntry& entry, bool useKeychain, QObject* context, Ready ready);
    // Makes or updates the client for `entry` with credentials the caller already has (a
    // registry just added or edited), so no keychain read races the write.
    void prepare(const app::RegistryEntry& entry, const app::Credentials& credentials);
    // The client for `url` if it has been made, else nullptr.
    app::RegistryClient* find(const QUrl& url) const;
    // Drops the client for `url` (deleted once the event loop gets to it).
    void forget(const QUrl& url);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Ready ready;
    };
    struct Slot
    {
        app::RegistryClient* client = nullptr;
        bool ready = false;
        QList<Waiter> waiting;
    };

    app::RegistryClient* makeClient(const app::RegistryEntry& entry);
    void markReady(const QUrl& url, const QString& keychainError);

    QNetworkAccessManager* m_network;
    app::CredentialStore* m_credentials;
    QHash<QUrl, Slot> m_slots;
};

} // namespace berth::ui
