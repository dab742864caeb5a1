#pragma once
// What the real-client tests (skopeo, podman) share: a private configuration for the
// containers tools, running them, and checks of images whose layers a client recompressed.

#include "ImageFactory.h"
#include "RegistryProcess.h"

#include <QByteArray>
#include <QJsonArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <functional>
#include <memory>
#include <optional>

// Fails the test with the message when `expr` yields a non-empty error description.
#define BERTH_VERIFY_OK(expr)                                                                                \
    do {                                                                                                     \
        const QString berthError_ = (expr);                                                                  \
        QVERIFY2(berthError_.isEmpty(), qPrintable(berthError_));                                            \
    } while (false)

namespace berth::test {

// A throwaway HOME for the containers tools: only fully qualified names, no user or system
// registries.conf, credentials, signature lookaside or proxies, so nothing outside is contacted.
class ContainersHome
{
public:
    // Creates the directories and the configuration (an empty containers.conf); returns an
    // error description, or empty.
    QString setUp();

    QString path() const { return m_dir.path(); }
    QString filePath(const QString& name) const { return m_dir.filePath(name); }
    // Writes a file in the home; returns an error description, or empty.
    QString writeFile(const QString& name, const QByteArray& content) const;
    // The system environment pointed at this home, without proxies.
    QProcessEnvironment environment() const;

private:
    QTemporaryDir m_dir;
};

// Starts `program` (a client such as skopeo or podman) with `environment`.
std::unique_ptr<QProcess> startClient(const QString& program, const QStringList& arguments,
                                      const QProcessEnvironment& environment,
                                      const QString& workingDirectory = {});
// Waits for a started client; returns a description of its failure (with its stderr), or empty.
QString waitClient(QProcess& process, int timeoutMs, QByteArray* output = nullptr);

// Runs a helper program to completion, feeding it `input`; nullopt if it fails.
std::optional<QByteArray> runTool(const QString& program, const QStringList& arguments,
                                  const QByteArray& input = {});

QJsonArray digestsToJson(const QList<QByteArray>& digests);
QString registryName(RegistryProcess::Kind kind); // "berthd" or "docker-registry"

// A blob's bytes by digest; nullopt if it is missing or does not hash to its digest.
using BlobSource = std::function<std::optional<QByteArray>(const QByteArray& digest)>;

// Checks an image manifest whose layers a client may have recompressed: the config keeps
// the pushed diff_ids and every layer, once gunzipped, is the pushed tar. Returns a
// description of the first mismatch, or empty.
QString compareUnpackedLayers(const QByteArray& manifest, const BlobSource& blobs, const Image& expected);
// The same for what `tag` holds in an OCI layout.
QString compareUnpackedLayers(const OciLayout& layout, const QString& tag, const Image& expected);

} // namespace berth::test
