#pragma once
// The registries the user added to the sidebar (name, URL, username, trusted certificate),
// kept in QSettings; their secrets live in CredentialStore. The local registry is not
// stored here: the supervisor owns it.

#include <QList>
#include <QObject>
#include <QSettings>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

namespace berth::app {

struct RegistryEntry
{
    QString name; // shown in the sidebar; defaults to host:port
    QUrl url;
    QString username;
    QByteArray trustedCertificatePem; // a self-signed certificate the user chose to trust
};

class RegistryDirectory : public QObject
{
    Q_OBJECT

public:
    // settings: not owned; must outlive the directory.
    explicit RegistryDirectory(QSettings* settings, QObject* parent = nullptr);

    QList<RegistryEntry> entries() const;
    // Adds or replaces the entry with the same URL.
    void save(const RegistryEntry& entry);
    void remove(const QUrl& url);

Q_SIGNALS:
    void changed();

private:
    void write(const QList<RegistryEntry>& entries);

    QSettings* m_settings;
};

} // namespace berth::app
