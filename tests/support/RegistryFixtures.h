#pragma once
// What the integration tests share: the registry under test (chosen by the environment),
// unique names, random content, manifest builders and "push a blob / an image" steps.
// Push helpers return an empty string on success and what went wrong otherwise, so a
// test writes QCOMPARE(pushBlob(...), QString()) and sees the reason on failure.

#include "HttpClient.h"
#include "RegistryProcess.h"

#include <QByteArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace berth::test {

namespace media {
inline constexpr QLatin1StringView OciManifest{"application/vnd.oci.image.manifest.v1+json"};
inline constexpr QLatin1StringView OciIndex{"application/vnd.oci.image.index.v1+json"};
inline constexpr QLatin1StringView OciConfig{"application/vnd.oci.image.config.v1+json"};
inline constexpr QLatin1StringView OciLayer{"application/vnd.oci.image.layer.v1.tar+gzip"};
inline constexpr QLatin1StringView OciEmpty{"application/vnd.oci.empty.v1+json"};
inline constexpr QLatin1StringView DockerManifest{"application/vnd.docker.distribution.manifest.v2+json"};
inline constexpr QLatin1StringView DockerList{"application/vnd.docker.distribution.manifest.list.v2+json"};
inline constexpr QLatin1StringView DockerConfig{"application/vnd.docker.container.image.v1+json"};
inline constexpr QLatin1StringView DockerLayer{"application/vnd.docker.image.rootfs.diff.tar.gzip"};
inline constexpr QLatin1StringView DockerSchema1Signed{"application/vnd.docker.distribution.manifest.v1+prettyjws"};
} // namespace media

// The registry a test binary runs against: berthd, or the reference CNCF Distribution
// when BERTH_TEST_REGISTRY=distribution.
class TestRegistry
{
public:
    TestRegistry();

    // Starts the process with `extraConfig` appended to its config.yml.
    bool start(const QByteArray& extraConfig = {});
    QString errorString() const { return m_process.errorString(); }
    bool isReference() const { return m_process.kind() == RegistryProcess::Kind::Distribution; }
    RegistryProcess& process() { return m_process; }
    HttpClient& client() { return *m_client; }
    quint16 port() const { return m_process.port(); }

    // GET /v2/ on a fresh connection answers 200.
    bool isServing();
    // For cleanup(): whether the server still serves; prints the tail of its output when
    // the test failed or it does not.
    bool checkAfterTest();

private:
    RegistryProcess m_process;
    std::unique_ptr<HttpClient> m_client;
};

// Prints the last `lineCount` lines of what the process printed, as warnings (for a
// failed test).
void printOutputTail(const RegistryProcess& process, int lineCount = 40);

// A repository name no other test uses, e.g. "itest/blob-3f9a0c1d".
QString uniqueRepository(const QString& area);
QByteArray randomBytes(qsizetype size);
QString sha256Digest(const QByteArray& data); // "sha256:<hex>"
// A well-formed digest of content that is nowhere.
QString unknownDigest();

QString blobPath(const QString& repo, const QString& digest);
QString manifestPath(const QString& repo, const QString& reference);
QString uploadsPath(const QString& repo); // "/v2/<repo>/blobs/uploads/"
// Appends query parameters (already encoded) to a URL that may have a query already.
QString withQuery(const QString& url, const QString& query);
// Path and query of a Location header, to put in a raw request line.
QByteArray requestTarget(const HttpClient& client, const QByteArray& location);
// Replaces the file at `path` with `contents` (an htpasswd file, a config.yml); false on failure.
bool writeFile(const QString& path, const QByteArray& contents);

struct Descriptor
{
    QString mediaType;
    QString digest;
    qint64 size = 0;
    QString artifactType;
    QJsonObject annotations;
    QJsonObject platform;

    static Descriptor of(const QString& mediaType, const QByteArray& content);
    QJsonObject toJson() const;
};

// Manifest bodies in compact JSON; the digest of the exact bytes is what gets pushed.
QByteArray imageManifestJson(const QString& mediaType, const Descriptor& config,
                             const QList<Descriptor>& layers,
                             const std::optional<Descriptor>& subject = std::nullopt,
                             const QString& artifactType = {}, const QJsonObject& annotations = {});
QByteArray indexJson(const QString& mediaType, const QList<Descriptor>& manifests,
                     const std::optional<Descriptor>& subject = std::nullopt,
                     const QString& artifactType = {}, const QJsonObject& annotations = {});

// An image (OCI or Docker schema 2) with random content, not yet pushed.
struct Image
{
    QString mediaType;
    QByteArray config;
    QList<QByteArray> layers;
    QByteArray manifest;

    QString digest() const { return sha256Digest(manifest); }
    Descriptor descriptor() const { return Descriptor::of(mediaType, manifest); }
};
Image makeImage(const QString& manifestMediaType = media::OciManifest, int layerCount = 1,
                qsizetype layerSize = 512);
// An OCI artifact manifest about `subject`: empty config, one random layer.
Image makeArtifact(const Descriptor& subject, const QString& artifactType,
                   const QJsonObject& annotations = {});

// Monolithic upload (POST, then PUT with the whole body).
QString pushBlob(HttpClient& client, const QString& repo, const QByteArray& data);
// Chunked upload: POST, then `chunks` PATCHes with Content-Range, then PUT ?digest=.
QString pushBlobInChunks(HttpClient& client, const QString& repo, const QByteArray& data, int chunks);
HttpResponse putManifest(HttpClient& client, const QString& repo, const QString& reference,
                         const QString& mediaType, const QByteArray& body);
// Config and layers, then the manifest under `reference` (its digest when empty).
QString pushImage(HttpClient& client, const QString& repo, const Image& image,
                  const QString& reference = {});
// A manifest whose blobs are already there (an index, an artifact without new blobs...).
QString pushManifest(HttpClient& client, const QString& repo, const QString& mediaType,
                     const QByteArray& body, const QString& reference = {});

} // namespace berth::test
