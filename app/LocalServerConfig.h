#pragma once
// The config.yml the console's own berthd runs with, made from the user's settings:
// where it listens, where it stores images, and its admin API on loopback. The admin
// token is not in it; the supervisor hands that over through the environment.

#include "app/LocalServerSettings.h"
#include "support/Expected.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace berth::app {

class LocalServerConfig
{
    Q_DECLARE_TR_FUNCTIONS(LocalServerConfig)

public:
    explicit LocalServerConfig(LocalServerSettings settings) : m_settings(std::move(settings)) {}

    // The settings' folders, or the defaults under the user's data directory.
    QString dataFolder() const;
    QString storageFolder() const;
    QString configPath() const; // <dataFolder>/config.yml
    // "host:port" for http.addr, with brackets around an IPv6 host.
    QString listenAddress() const;

    QByteArray yaml() const;
    // Creates the folders and writes yaml() to configPath(). Returns configPath(), or why
    // it could not, in words for the user.
    Expected<QString, QString> write() const;

private:
    LocalServerSettings m_settings;
};

} // namespace berth::app
