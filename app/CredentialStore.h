#pragma once
// Keeps registry credentials in the system keychain (QtKeychain: Secret Service, KWallet,
// macOS Keychain, Windows Credential Store), never in QSettings. One entry per registry URL.

#include "app/RegistryClient.h"

#include <QObject>

#include <functional>

namespace berth::app {

class CredentialStore : public QObject
{
    Q_OBJECT

public:
    // service: the keychain's service name; tests pass their own to stay apart.
    explicit CredentialStore(QString service = QStringLiteral("berth"), QObject* parent = nullptr);

    // Each answers once on `context`'s thread. An error message is for the user (e.g. "no
    // keychain is available"); reading a registry with no entry gives empty Credentials.
    void read(const QUrl& registry, QObject* context,
              std::function<void(Credentials credentials, QString error)> done);
    void write(const QUrl& registry, const Credentials& credentials, QObject* context,
               std::function<void(QString error)> done);
    void remove(const QUrl& registry, QObject* context, std::function<void(QString error)> done);

private:
    QString m_service;
};

} // namespace berth::app
