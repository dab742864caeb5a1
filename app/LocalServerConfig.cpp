#include "LocalServerConfig.h"

#include <QDir>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

// Shorter than the supervisor's grace period, so a stop drains requests instead of
// being cut off by a kill.
constexpr auto drainTimeout = "3s";

QString userDataFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
}

// A YAML double-quoted scalar: any path or address stays one value.
QByteArray quoted(const QString& value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\t', "\\t");
    return '"' + out + '"';
}

} // namespace

QString LocalServerConfig::dataFolder() const
{
    return m_settings.dataFolder.isEmpty() ? userDataFolder() : m_settings.dataFolder;
}

QString LocalServerConfig::storageFolder() const
{
    return m_settings.storageFolder.isEmpty() ? userDataFolder() + u"/registry"_s : m_settings.storageFolder;
}

QString LocalServerConfig::configPath() const
{
    return QDir(dataFolder()).filePath(u"config.yml"_s);
}

QString LocalServerConfig::listenAddress() const
{
    const QString& host = m_settings.listenAddress;
    const bool ipv6 = host.contains(u':') && !host.startsWith(u'[');
    return (ipv6 ? u'[' + host + u']' : host) + u':' + QString::number(m_settings.port);
}

QByteArray LocalServerConfig::yaml() const
{
    return "# Written by berth for the registry server it runs; rewritten at every start.\n"
           "version: 0.1\n"
           "log:\n"
           "  level: info\n"
           "storage:\n"
           "  filesystem:\n"
           "    rootdirectory: " +
           quoted(storageFolder()) +
           "\n"
           "  delete:\n"
           "    enabled: true\n"
           "http:\n"
           "  addr: " +
           quoted(listenAddress()) +
           "\n"
           "  draintimeout: " +
           drainTimeout +
           "\n"
           "admin:\n"
           "  addr: 127.0.0.1:" +
           QByteArray::number(m_settings.adminPort) + '\n';
}

Expected<QString, QString> LocalServerConfig::write() const
{
    for (const QString& folder : {dataFolder(), storageFolder()}) {
        if (folder.isEmpty() || !QDir().mkpath(folder))
            return unexpected(tr("Cannot create the folder \"%1\".").arg(folder));
    }
    QSaveFile file(configPath());
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml()) < 0 || !file.commit())
        return unexpected(tr("Cannot write \"%1\": %2").arg(configPath(), file.errorString()));
    return configPath();
}

} // namespace berth::app
