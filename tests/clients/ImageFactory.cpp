#include "ImageFactory.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>
#include <algorithm>
#include <cstring>
#include <vector>

namespace berth::test {

namespace {

const QString refNameAnnotation = QStringLiteral("org.opencontainers.image.ref.name");

QByteArray randomBytes(qint64 size)
{
    std::vector<quint32> words(static_cast<size_t>((size + 3) / 4));
    QRandomGenerator::global()->fillRange(words.data(), static_cast<qsizetype>(words.size()));
    return QByteArray(reinterpret_cast<const char*>(words.data()), size);
}

QString randomHex(int bytes)
{
    return QString::fromLatin1(randomBytes(bytes).toHex());
}

QByteArray compactJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Writes `value` as zero-padded octal filling `width - 1` characters plus a NUL.
void writeOctal(char* field, int width, qint64 value)
{
    const QByteArray digits = QByteArray::number(value, 8).rightJustified(width - 1, '0');
    std::memcpy(field, digits.constData(), static_cast<size_t>(width - 1));
    field[width - 1] = '\0';
}

// Copies `text` into a header field; the zeroed header terminates it where the field has room.
void writeText(char* field, QByteArrayView text)
{
    std::copy(text.begin(), text.end(), field);
}

// Appends one ustar entry (header, content, padding to the 512-byte block).
void appendTarEntry(QByteArray& tar, const QByteArray& name, char type, const QByteArray& content)
{
    Q_ASSERT(name.size() < 100);
    char header[512] = {};
    writeText(header, name);
    writeOctal(header + 100, 8, type == '5' ? 0755 : 0644);
    writeOctal(header + 108, 8, 0); // uid
    writeOctal(header + 116, 8, 0); // gid
    writeOctal(header + 124, 12, content.size());
    writeOctal(header + 136, 12, QDateTime::currentSecsSinceEpoch());
    header[156] = type;
    writeText(header + 257, "ustar"); // magic, NUL-terminated by the zeroed header
    writeText(header + 263, "00");    // version
    writeText(header + 265, "root");  // uname
    writeText(header + 297, "root");  // gname
    // The checksum is computed with its own field read as eight spaces.
    std::memset(header + 148, ' ', 8);
    unsigned sum = 0;
    for (const char c : header)
        sum += static_cast<unsigned char>(c);
    writeOctal(header + 148, 7, sum);
    header[155] = ' ';
    tar.append(header, sizeof header);
    tar.append(content);
    tar.append((512 - content.size() % 512) % 512, '\0');
}

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

} // namespace

QByteArray Blob::digest() const
{
    return "sha256:" + QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QJsonObject Blob::descriptor() const
{
    return {{QStringLiteral("mediaType"), QString::fromLatin1(mediaType)},
            {QStringLiteral("digest"), QString::fromLatin1(digest())},
            {QStringLiteral("size"), bytes.size()}};
}

QList<QByteArray> Image::layerDigests() const
{
    QList<QByteArray> digests;
    for (const Blob& layer : layers)
        digests.append(layer.digest());
    return digests;
}

Blob ImageFactory::randomLayer(qint64 payloadBytes, int fileCount)
{
    // A random directory name keeps even an empty layer distinct from every other one.
    const QByteArray directory = "berth-" + randomHex(8).toLatin1() + '/';
    QByteArray tar;
    appendTarEntry(tar, directory, '5', {});
    for (int i = 0; i < fileCount; ++i)
        appendTarEntry(tar, directory + "file-" + QByteArray::number(i) + ".bin", '0',
                       randomBytes(payloadBytes / fileCount));
    tar.append(1024, '\0'); // end-of-archive marker: two zero blocks
    return {mediatype::ociLayerTar, tar};
}

Image ImageFactory::image(const QList<Blob>& layers, const Platform& platform)
{
    QJsonArray diffIds;
    QJsonArray history;
    QJsonArray layerDescriptors;
    const QString created = now();
    for (const Blob& layer : layers) {
        diffIds.append(QString::fromLatin1(layer.digest())); // uncompressed: diff_id == digest
        history.append(QJsonObject{{QStringLiteral("created"), created},
                                   {QStringLiteral("created_by"),
                                    QStringLiteral("berth ImageFactory layer %1").arg(history.size())}});
        layerDescriptors.append(layer.descriptor());
    }
    const QJsonObject config{
        {QStringLiteral("created"), created},
        {QStringLiteral("architecture"), platform.architecture},
        {QStringLiteral("os"), platform.os},
        {QStringLiteral("config"),
         QJsonObject{
             {QStringLiteral("Env"), QJsonArray{QStringLiteral("PATH=/usr/bin:/bin")}},
             {QStringLiteral("Cmd"), QJsonArray{QStringLiteral("/bin/sh")}},
             // Makes the config (and so the manifest) unique even over shared layers.
             {QStringLiteral("Labels"), QJsonObject{{QStringLiteral("org.berth.test.id"), randomHex(16)}}}}},
        {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                               {QStringLiteral("diff_ids"), diffIds}}},
        {QStringLiteral("history"), history}};

    Image image;
    image.platform = platform;
    image.layers = layers;
    image.config = {mediatype::ociConfig, compactJson(config)};
    const QJsonObject manifest{{QStringLiteral("schemaVersion"), 2},
                               {QStringLiteral("mediaType"), QString::fromLatin1(mediatype::ociManifest)},
                               {QStringLiteral("config"), image.config.descriptor()},
                               {QStringLiteral("layers"), layerDescriptors}};
    image.manifest = {mediatype::ociManifest, compactJson(manifest)};
    return image;
}

Image ImageFactory::randomImage(int layerCount, qint64 layerBytes, const Platform& platform)
{
    QList<Blob> layers;
    for (int i = 0; i < layerCount; ++i)
        layers.append(randomLayer(layerBytes));
    return image(layers, platform);
}

ImageIndex ImageFactory::index(const QList<Image>& images)
{
    QJsonArray manifests;
    for (const Image& image : images) {
        QJsonObject descriptor = image.manifest.descriptor();
        descriptor.insert(QStringLiteral("platform"),
                          QJsonObject{{QStringLiteral("architecture"), image.platform.architecture},
                                      {QStringLiteral("os"), image.platform.os}});
        manifests.append(descriptor);
    }
    const QJsonObject index{{QStringLiteral("schemaVersion"), 2},
                            {QStringLiteral("mediaType"), QString::fromLatin1(mediatype::ociIndex)},
                            {QStringLiteral("manifests"), manifests}};
    return {images, {mediatype::ociIndex, compactJson(index)}};
}

QString OciLayout::reference(const QString& tag) const
{
    return QStringLiteral("oci:") + m_directory + u':' + tag;
}

QString OciLayout::write(const Image& image, const QString& tag)
{
    for (const Blob& blob : image.layers + QList<Blob>{image.config, image.manifest}) {
        if (QString error = writeBlob(blob); !error.isEmpty())
            return error;
    }
    return this->tag(image.manifest.descriptor(), tag);
}

QString OciLayout::write(const ImageIndex& index, const QString& tag)
{
    for (const Image& image : index.images) {
        if (QString error = write(image, {}); !error.isEmpty())
            return error;
    }
    if (QString error = writeBlob(index.index); !error.isEmpty())
        return error;
    return this->tag(index.index.descriptor(), tag);
}

QString OciLayout::writeBlob(const Blob& blob)
{
    const QByteArray hex = blob.digest().mid(qsizetype(sizeof "sha256:") - 1);
    const QString blobDir = m_directory + QStringLiteral("/blobs/sha256");
    if (!QDir().mkpath(blobDir))
        return QStringLiteral("cannot create ") + blobDir;
    QFile file(blobDir + u'/' + QString::fromLatin1(hex));
    if (!file.open(QIODevice::WriteOnly) || file.write(blob.bytes) != blob.bytes.size())
        return QStringLiteral("cannot write ") + file.fileName() + QStringLiteral(": ") + file.errorString();
    return {};
}

// Adds `descriptor` to index.json under `tag` (untagged if `tag` is empty: its blobs are
// then only reachable through an index written later).
QString OciLayout::tag(const QJsonObject& descriptor, const QString& tag)
{
    if (tag.isEmpty())
        return {};
    QFile layoutFile(m_directory + QStringLiteral("/oci-layout"));
    if (!layoutFile.open(QIODevice::WriteOnly) || layoutFile.write(R"({"imageLayoutVersion":"1.0.0"})") < 0)
        return QStringLiteral("cannot write ") + layoutFile.fileName();

    const QString indexPath = m_directory + QStringLiteral("/index.json");
    QJsonObject index{{QStringLiteral("schemaVersion"), 2}};
    if (QFile existing(indexPath); existing.open(QIODevice::ReadOnly))
        index = QJsonDocument::fromJson(existing.readAll()).object();
    QJsonArray manifests;
    for (const QJsonValue value : index.value(QStringLiteral("manifests")).toArray()) {
        if (value[QStringLiteral("annotations")][refNameAnnotation].toString() != tag)
            manifests.append(value);
    }
    QJsonObject tagged = descriptor;
    tagged.insert(QStringLiteral("annotations"), QJsonObject{{refNameAnnotation, tag}});
    manifests.append(tagged);
    index.insert(QStringLiteral("manifests"), manifests);

    QSaveFile indexFile(indexPath);
    if (!indexFile.open(QIODevice::WriteOnly) || indexFile.write(compactJson(index)) < 0 ||
        !indexFile.commit())
        return QStringLiteral("cannot write ") + indexPath;
    return {};
}

QJsonObject OciLayout::descriptor(const QString& tag) const
{
    QFile file(m_directory + QStringLiteral("/index.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonArray manifests =
        QJsonDocument::fromJson(file.readAll())[QStringLiteral("manifests")].toArray();
    for (const QJsonValue value : manifests) {
        if (value[QStringLiteral("annotations")][refNameAnnotation].toString() == tag)
            return value.toObject();
    }
    return {};
}

std::optional<QByteArray> OciLayout::blob(const QByteArray& digest) const
{
    const qsizetype colon = digest.indexOf(':');
    QFile file(m_directory + QStringLiteral("/blobs/") + QString::fromLatin1(digest.left(colon)) + u'/' +
               QString::fromLatin1(digest.mid(colon + 1)));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QByteArray bytes = file.readAll();
    if (Blob{{}, bytes}.digest() != digest)
        return std::nullopt;
    return bytes;
}

QString OciLayout::compare(const QString& tag, const Image& expected) const
{
    if (QString error = compareTag(tag, expected.manifest); !error.isEmpty())
        return error;
    return compareImage(expected.manifest.digest(), expected);
}

QString OciLayout::compare(const QString& tag, const ImageIndex& expected) const
{
    if (QString error = compareTag(tag, expected.index); !error.isEmpty())
        return error;
    if (QString error = compareBlob("index", expected.index.digest(), expected.index); !error.isEmpty())
        return error;
    for (const Image& image : expected.images) {
        if (QString error = compareImage(image.manifest.digest(), image); !error.isEmpty())
            return image.platform.architecture + QStringLiteral(": ") + error;
    }
    return {};
}

QString OciLayout::compareTag(const QString& tag, const Blob& expected) const
{
    QJsonObject actual = descriptor(tag);
    if (actual.isEmpty())
        return QStringLiteral("no tag %1 in %2/index.json").arg(tag, m_directory);
    actual.remove(QStringLiteral("annotations")); // holds the tag itself
    if (actual != expected.descriptor())
        return QStringLiteral("tag %1 has descriptor %2, expected %3")
            .arg(tag, QString::fromUtf8(compactJson(actual)),
                 QString::fromUtf8(compactJson(expected.descriptor())));
    return {};
}

QString OciLayout::compareImage(const QByteArray& manifestDigest, const Image& expected) const
{
    if (QString error = compareBlob("manifest", manifestDigest, expected.manifest); !error.isEmpty())
        return error;
    if (QString error = compareBlob("config", expected.config.digest(), expected.config); !error.isEmpty())
        return error;
    for (qsizetype i = 0; i < expected.layers.size(); ++i) {
        const Blob& layer = expected.layers.at(i);
        if (QString error = compareBlob("layer " + QByteArray::number(i), layer.digest(), layer);
            !error.isEmpty())
            return error;
    }
    return {};
}

QString OciLayout::compareBlob(const QByteArray& what, const QByteArray& digest, const Blob& expected) const
{
    const QString name = QString::fromLatin1(what);
    if (digest != expected.digest())
        return QStringLiteral("%1 is %2, expected %3")
            .arg(name, QString::fromLatin1(digest), QString::fromLatin1(expected.digest()));
    const std::optional<QByteArray> bytes = blob(digest);
    if (!bytes)
        return QStringLiteral("%1 %2 is missing from %3 or does not match its digest")
            .arg(name, QString::fromLatin1(digest), m_directory);
    if (*bytes != expected.bytes)
        return QStringLiteral("%1 %2 differs from what was pushed").arg(name, QString::fromLatin1(digest));
    return {};
}

} // namespace berth::test
