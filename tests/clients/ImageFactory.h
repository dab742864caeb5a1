#pragma once
// Generates OCI images with fresh random content for real-client tests, and reads and
// writes them as OCI image layouts (oci-layout, index.json, blobs/sha256/...), the form
// `skopeo copy oci:DIR:TAG` consumes and produces.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace berth::test {

namespace mediatype {
inline constexpr char ociManifest[] = "application/vnd.oci.image.manifest.v1+json";
inline constexpr char ociIndex[] = "application/vnd.oci.image.index.v1+json";
inline constexpr char ociConfig[] = "application/vnd.oci.image.config.v1+json";
inline constexpr char ociLayerTar[] = "application/vnd.oci.image.layer.v1.tar";
} // namespace mediatype

// One content-addressed blob: its bytes and the media type it is referenced with.
struct Blob
{
    QByteArray mediaType;
    QByteArray bytes;

    QByteArray digest() const; // "sha256:<hex>"
    QJsonObject descriptor() const;
};

struct Platform
{
    QString os = QStringLiteral("linux");
    QString architecture = QStringLiteral("amd64");
};

// A single-platform image. Layers are uncompressed tars, so each diff_id is the layer digest.
struct Image
{
    Platform platform;
    QList<Blob> layers;
    Blob config;
    Blob manifest;

    QList<QByteArray> layerDigests() const;
};

// A multi-platform image: an OCI index over single-platform images.
struct ImageIndex
{
    QList<Image> images;
    Blob index;
};

// Generates images whose content no earlier image or test run has had.
class ImageFactory
{
public:
    // A valid uncompressed tar of `fileCount` regular files in one directory, about
    // `payloadBytes` of random content in total.
    static Blob randomLayer(qint64 payloadBytes, int fileCount = 3);

    // An image over the given layers, with a config whose diff_ids and history match them.
    static Image image(const QList<Blob>& layers, const Platform& platform = {});

    // An image of `layerCount` fresh random layers of about `layerBytes` each.
    static Image randomImage(int layerCount, qint64 layerBytes, const Platform& platform = {});

    static ImageIndex index(const QList<Image>& images);
};

// An OCI image layout directory on disk.
class OciLayout
{
public:
    explicit OciLayout(QString directory) : m_directory(std::move(directory)) {}

    QString directory() const { return m_directory; }
    // The skopeo reference "oci:DIR:TAG".
    QString reference(const QString& tag) const;

    // Write the blobs and tag the top-level manifest in index.json, keeping other tags.
    // Return an error description, empty on success.
    QString write(const Image& image, const QString& tag);
    QString write(const ImageIndex& index, const QString& tag);

    // The descriptor index.json holds for `tag`, empty if there is none.
    QJsonObject descriptor(const QString& tag) const;
    // A blob's bytes; nullopt if it is missing or does not hash to its digest.
    std::optional<QByteArray> blob(const QByteArray& digest) const;

    // Compare what `tag` holds here with an expected image, descriptor, manifest, config
    // and every layer byte for byte. Return a description of the first mismatch, or empty.
    QString compare(const QString& tag, const Image& expected) const;
    QString compare(const QString& tag, const ImageIndex& expected) const;

private:
    QString writeBlob(const Blob& blob);
    QString tag(const QJsonObject& descriptor, const QString& tag);
    QString compareTag(const QString& tag, const Blob& expected) const;
    QString compareBlob(const QByteArray& what, const QByteArray& digest, const Blob& expected) const;
    QString compareImage(const QByteArray& manifestDigest, const Image& expected) const;

    QString m_directory;
};

} // namespace berth::test
