#pragma once
// The console's own preferences, kept in QSettings: the interface language, the local
// server's settings and the window layout. Registries live in RegistryDirectory and their
// secrets in CredentialStore.

#include "app/ServerSupervisor.h"

#include <QByteArray>
#include <QString>

class QSettings;

namespace berth::app {

class ConsoleSettings
{
public:
    // settings: not owned; must outlive this object.
    explicit ConsoleSettings(QSettings* settings);

    // A locale name ("en", "zh_CN"), or empty to follow the system's locale.
    QString language() const;
    void setLanguage(const QString& language);

    LocalServerSettings localServer() const;
    void setLocalServer(const LocalServerSettings& server);

    // QMainWindow::saveGeometry() and saveState(), restored at the next start.
    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowLayout(const QByteArray& geometry, const QByteArray& state);

private:
    QSettings* m_settings;
};

} // namespace berth::app
