#pragma once
// How the console shows the local server's state, the same in the sidebar and in the
// server pane: a word for it and a coloured dot.

#include "app/ServerSupervisor.h"

#include <QCoreApplication>
#include <QIcon>
#include <QString>

namespace berth::ui {

class ServerStateDisplay
{
    Q_DECLARE_TR_FUNCTIONS(ServerStateDisplay)

public:
    // "Running", "Stopped"...
    static QString name(app::ServerSupervisor::State state);
    static QIcon icon(app::ServerSupervisor::State state);
};

} // namespace berth::ui
