#include "ClientSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace berth::test {

QString ContainersHome::setUp()
{
    if (!m_dir.isValid())
        return u"cannot create a temporary directory: "_s + m_dir.errorString();
    for (const QString& dir : {u"registries.d"_s, u"run"_s, u"tmp"_s, u"config"_s}) {
        if (!QDir(m_dir.path()).mkpath(dir))
            return u"cannot create "_s + m_dir.filePath(dir);
    }
    for (const auto& [name, content] :
         {std::pair{u"registries.conf"_s, QByteArray("unqualified-search-registries = []\n")},
          std::pair{u"containers.conf"_s, QByteArray()},
          // podman refuses a REGISTRY_AUTH_FILE that does not exist.
          std::pair{u"auth.json"_s, QByteArray("{\"auths\":{}}\n")}}) {
        if (QString error = writeFile(name, content); !error.isEmpty())
            return error;
    }
    return {};
}

QString ContainersHome::writeFile(const QString& name, const QByteArray& content) const
{
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        return u"cannot write "_s + file.fileName();
    return {};
}

QProcessEnvironment ContainersHome::environment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOME"_s, m_dir.path());
    environment.insert(u"XDG_RUNTIME_DIR"_s, m_dir.filePath(u"run"_s));
    environment.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
    environment.insert(u"TMPDIR"_s, m_dir.filePath(u"tmp"_s));
    environment.insert(u"CONTAINERS_REGISTRIES_CONF"_s, m_dir.filePath(u"registries.conf"_s));
    environment.insert(u"CONTAINERS_CONF"_s, m_dir.filePath(u"containers.conf"_s));
    environment.insert(u"REGISTRY_AUTH_FILE"_s, m_dir.filePath(u"auth.json"_s));
    for (const QString& proxy : {u"http_proxy"_s, u"https_proxy"_s, u"HTTP_PROXY"_s, u"HTTPS_PROXY"_s,
                                 u"all_proxy"_s, u"ALL_PROXY"_s})
        environment.remove(proxy);
    return environment;
}

std::unique_ptr<QProcess> startClient(const QString& program, const QStringList& arguments,
                                      const QProcessEnvironment& environment, const QString& workingDirectory)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(environment);
    process->setProgram(program);
    process->setArguments(arguments);
    if (!workingDirectory.isEmpty())
        process->setWorkingDirectory(workingDirectory);
    process->setStandardInputFile(QProcess::nullDevice());
    process->start();
    return process;
}

QString waitClient(QProcess& process, int timeoutMs, QByteArray* output)
{
    const QString command = process.program() + u' ' + process.arguments().join(u' ');
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return command + u" did not finish within %1 ms; stderr:\n"_s.arg(timeoutMs) +
               QString::fromUtf8(process.readAllStandardError());
    }
    if (output)
        *output = process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return command + u" exited with %1; stderr:\n"_s.arg(process.exitCode()) +
               QString::fromUtf8(process.readAllStandardError());
    return {};
}

std::optional<QByteArray> runTool(const QString& program, const QStringList& arguments,
                                  const QByteArray& input)
{
    QProcess process;
    process.start(program, arguments);
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0)
        return std::nullopt;
    return process.readAllStandardOutput();
}

QJsonArray digestsToJson(const QList<QByteArray>& digests)
{
    QJsonArray array;
    for (const QByteArray& digest : digests)
        array.append(QString::fromLatin1(digest));
    return array;
}

QString registryName(RegistryProcess::Kind kind)
{
    return kind == RegistryProcess::Kind::Distribution ? u"docker-registry"_s : u"berthd"_s;
}

QString compareUnpackedLayers(const QByteArray& manifestBytes, const BlobSource& blobs, const Image& expected)
{
    const QJsonDocument manifest = QJsonDocument::fromJson(manifestBytes);
    const std::optional<QByteArray> config = blobs(manifest[u"config"_s][u"digest"_s].toString().toLatin1());
    if (!config)
        return u"the config is missing or does not match its digest"_s;
    if (QJsonDocument::fromJson(*config)[u"rootfs"_s][u"diff_ids"_s] !=
        digestsToJson(expected.layerDigests()))
        return u"the config has other diff_ids than were pushed"_s;
    const QJsonArray layers = manifest[u"layers"_s].toArray();
    if (layers.size() != expected.layers.size())
        return u"the manifest has %1 layers, expected %2"_s.arg(layers.size()).arg(expected.layers.size());
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const QByteArray digest = layers.at(i)[u"digest"_s].toString().toLatin1();
        const std::optional<QByteArray> compressed = blobs(digest);
        if (!compressed)
            return u"layer %1 (%2) is missing or does not match its digest"_s.arg(i).arg(
                QString::fromLatin1(digest));
        if (runTool(u"gzip"_s, {u"-dc"_s}, *compressed) != expected.layers.at(i).bytes)
            return u"layer %1 (%2) does not unpack to the pushed tar"_s.arg(i).arg(
                QString::fromLatin1(digest));
    }
    return {};
}

QString compareUnpackedLayers(const OciLayout& layout, const QString& tag, const Image& expected)
{
    const QByteArray manifestDigest = layout.descriptor(tag).value(u"digest").toString().toLatin1();
    const std::optional<QByteArray> manifest = layout.blob(manifestDigest);
    if (!manifest)
        return u"no intact manifest for %1 in %2"_s.arg(tag, layout.directory());
    if (QString error = compareUnpackedLayers(
            *manifest, [&layout](const QByteArray& digest) { return layout.blob(digest); }, expected);
        !error.isEmpty())
        return u"%1 in %2: %3"_s.arg(tag, layout.directory(), error);
    return {};
}

} // namespace berth::test
