#pragma once
// What the user can change about the console's own registry server; the supervisor
// applies a change with a restart.

#include <QString>
#include <QtGlobal>

namespace berth::app {

struct LocalServerSettings
{
    QString listenAddress = QStringLiteral("127.0.0.1"); // empty: every interface
    quint16 port = 5000;                                 // 0: any free port
    quint16 adminPort = 5001;                            // on 127.0.0.1; 0: any free port
    QString storageFolder;                               // empty: <user data dir>/registry
    QString dataFolder; // where the generated config.yml lives; empty: the user data dir

    friend bool operator==(const LocalServerSettings&, const LocalServerSettings&) = default;
};

} // namespace berth::app
