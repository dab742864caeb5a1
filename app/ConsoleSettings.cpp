#include "app/ConsoleSettings.h"

#include <QSettings>

namespace berth::app {

namespace {

const QString languageKey = QStringLiteral("language");
const QString listenAddressKey = QStringLiteral("localServer/listenAddress");
const QString portKey = QStringLiteral("localServer/port");
const QString adminPortKey = QStringLiteral("localServer/adminPort");
const QString storageFolderKey = QStringLiteral("localServer/storageFolder");
const QString geometryKey = QStringLiteral("window/geometry");
const QString stateKey = QStringLiteral("window/state");

// A stored port outside 1..65535 (edited by hand) falls back to the default.
quint16 readPort(const QSettings& settings, const QString& key, quint16 fallback)
{
    bool ok = false;
    const int port = settings.value(key).toInt(&ok);
    return ok && port > 0 && port <= 65535 ? static_cast<quint16>(port) : fallback;
}

} // namespace

ConsoleSettings::ConsoleSettings(QSettings* settings) : m_settings(settings) {}

QString ConsoleSettings::language() const
{
    return m_settings->value(languageKey).toString();
}

void ConsoleSettings::setLanguage(const QString& language)
{
    m_settings->setValue(languageKey, language);
}

LocalServerSettings ConsoleSettings::localServer() const
{
    const LocalServerSettings defaults;
    LocalServerSettings server = defaults;
    server.listenAddress = m_settings->value(listenAddressKey, defaults.listenAddress).toString();
    server.port = readPort(*m_settings, portKey, defaults.port);
    server.adminPort = readPort(*m_settings, adminPortKey, defaults.adminPort);
    server.storageFolder = m_settings->value(storageFolderKey).toString();
    return server;
}

void ConsoleSettings::setLocalServer(const LocalServerSettings& server)
{
    m_settings->setValue(listenAddressKey, server.listenAddress);
    m_settings->setValue(portKey, server.port);
    m_settings->setValue(adminPortKey, server.adminPort);
    m_settings->setValue(storageFolderKey, server.storageFolder);
}

QByteArray ConsoleSettings::windowGeometry() const
{
    return m_settings->value(geometryKey).toByteArray();
}

QByteArray ConsoleSettings::windowState() const
{
    return m_settings->value(stateKey).toByteArray();
}

void ConsoleSettings::setWindowLayout(const QByteArray& geometry, const QByteArray& state)
{
    m_settings->setValue(geometryKey, geometry);
    m_settings->setValue(stateKey, state);
}

} // namespace berth::app
