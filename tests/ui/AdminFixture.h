#pragma once
// What the tests of the Storage and Retention pages share: berthd with its admin API open
// (AdminServer) and an AdminClient on it, images pushed over HTTP that share layers,
// where a blob lives on disk, widgets found by their accessible names as AT-SPI finds
// them, and screenshots for a person to look at.

#include "AdminServer.h"
#include "RegistryFixtures.h"
#include "WidgetLookup.h"
#include "app/AdminClient.h"

#include <QNetworkAccessManager>
#include <QWidget>
#include <memory>

namespace berth::test {

class AdminFixture
{
public:
    // Starts berthd with `extraConfig` (top-level YAML) and a client on its admin API;
    // returns an error description, or empty.
    QString start(const QByteArray& extraConfig = {});

    AdminServer& server() { return *m_server; }
    HttpClient& registry() { return m_server->registry(); }
    app::AdminClient* client() const { return m_client.get(); }
    // The data file of a blob in the filesystem storage.
    QString blobFile(const QString& digest) const;

private:
    std::unique_ptr<AdminServer> m_server;
    QNetworkAccessManager m_network;
    std::unique_ptr<app::AdminClient> m_client;
};

// An OCI image whose layers are `shared` (another image's layer) and one of its own.
Image imageSharing(const QByteArray& shared, qsizetype ownLayerSize = 2048);

// The classes of the focusable widgets shown under `root` (itself included) that a screen
// reader has no name for.
QStringList unnamedControls(const QWidget* root);

// Grabs `widget` into /tmp/berth-screens/<name>.png; returns an error description, or empty.
QString saveScreenshot(QWidget* widget, const QString& name);

} // namespace berth::test
