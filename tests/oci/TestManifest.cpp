// Manifest parsing: the four supported kinds, the checks that refuse bad documents, and
// media type detection for stored manifests.

#include "oci/Manifest.h"
#include "oci/MediaType.h"

#include <QElapsedTimer>
#include <QTest>

using namespace berth::oci;

Q_DECLARE_METATYPE(berth::oci::ErrorCode)
Q_DECLARE_METATYPE(berth::oci::ManifestKind)

// Declared before the fixtures: moc loses its place in multi-line raw strings holding "//".
class TestManifest : public QObject
{
    Q_OBJECT

private slots:
    void kinds_data();
    void kinds();
    void ociImageFields();
    void ociIndexFields();
    void dockerImageFields();
    void dockerListFields();
    void subjectAndArtifactType_data();
    void subjectAndArtifactType();
    void nullOptionalFieldsAreAbsent();
    void invalid_data();
    void invalid();
    void deepNestingRefusedQuickly_data();
    void deepNestingRefusedQuickly();
    void nestingLimitBoundary();
    void sizeLimit();
    void referencedBlobs();
    void detectMediaType_data();
    void detectMediaType();
    void mediaTypeHelpers();
};

namespace {

std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

QByteArray bytes(std::string_view text)
{
    return {text.data(), static_cast<qsizetype>(text.size())};
}

QByteArray digestText(char fill)
{
    return QByteArray("sha256:") + QByteArray(64, fill);
}

Digest digestOf(char fill)
{
    return Digest::parse(view(digestText(fill))).value();
}

// Test documents name digests @A..@D; this fills them in.
QByteArray doc(const char* text)
{
    QByteArray out(text);
    for (char fill : {'a', 'b', 'c', 'd'}) {
        const char placeholder[] = {'@', static_cast<char>(fill - 'a' + 'A'), '\0'};
        out.replace(placeholder, digestText(fill));
    }
    return out;
}

const QByteArray ociManifestType = bytes(media::ociManifest);
const QByteArray ociIndexType = bytes(media::ociIndex);
const QByteArray dockerManifestType = bytes(media::dockerManifest);
const QByteArray dockerListType = bytes(media::dockerManifestList);

const QByteArray ociImage = doc(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "@A", "size": 1469},
  "layers": [
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "@B", "size": 3370706},
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "@C", "size": 0,
     "annotations": {"org.opencontainers.image.title": "hello.txt"}}
  ],
  "annotations": {"org.opencontainers.image.created": "2026-01-01T00:00:00Z"}
})");

const QByteArray ociIndex = doc(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@A", "size": 7143,
     "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@B", "size": 7682,
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@C", "size": 1234,
     "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.1935"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@D", "size": 840,
     "annotations": {"vnd.docker.reference.type": "attestation-manifest"}}
  ]
})");

const QByteArray dockerImage = doc(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
  "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": "@A"},
  "layers": [
    {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654, "digest": "@B"},
    {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "size": 1000, "digest": "@C",
     "urls": ["https://example.invalid/layer.tar.gz"]}
  ]
})");

const QByteArray dockerList = doc(R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7143, "digest": "@A",
     "platform": {"architecture": "ppc64le", "os": "linux"}},
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7682, "digest": "@B",
     "platform": {"architecture": "amd64", "os": "linux", "features": ["sse4"]}}
  ]
})");

// A minimal OCI image without a mediaType field, with `layer` as its only layer.
QByteArray imageWithLayer(const char* layer)
{
    return doc(R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json",)"
               R"("digest":"@A","size":2},"layers":[)") +
           doc(layer) + "]}";
}

const char* const goodLayer =
    R"({"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"@B","size":5})";

QByteArray nested(int depth, const char* open, const char* close)
{
    return QByteArray(open).repeated(depth) + QByteArray(close).repeated(depth);
}

} // namespace

void TestManifest::kinds_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<ManifestKind>("kind");
    QTest::addColumn<QByteArray>("mediaType");

    QTest::newRow("oci image") << ociImage << ociManifestType << ManifestKind::Image << ociManifestType;
    QTest::newRow("oci index") << ociIndex << ociIndexType << ManifestKind::Index << ociIndexType;
    QTest::newRow("docker image") << dockerImage << dockerManifestType << ManifestKind::Image
                                  << dockerManifestType;
    QTest::newRow("docker list") << dockerList << dockerListType << ManifestKind::Index << dockerListType;

    QTest::newRow("no content type, own mediaType")
        << dockerImage << QByteArray() << ManifestKind::Image << dockerManifestType;
    QTest::newRow("application/json, own mediaType")
        << dockerList << QByteArray("application/json") << ManifestKind::Index << dockerListType;
    QTest::newRow("octet-stream, own mediaType")
        << ociIndex << QByteArray("application/octet-stream") << ManifestKind::Index << ociIndexType;
    QTest::newRow("content type with parameters")
        << ociImage << QByteArray(ociManifestType + "; charset=utf-8") << ManifestKind::Image
        << ociManifestType;
    QTest::newRow("content type in other case")
        << ociImage << ociManifestType.toUpper() << ManifestKind::Image << ociManifestType;

    const QByteArray bareImage = imageWithLayer(goodLayer);
    const QByteArray bareIndex = doc(R"({"schemaVersion":2,"manifests":[]})");
    QTest::newRow("image without mediaType, declared")
        << bareImage << ociManifestType << ManifestKind::Image << ociManifestType;
    QTest::newRow("image sniffed") << bareImage << QByteArray() << ManifestKind::Image << ociManifestType;
    QTest::newRow("image sniffed from json")
        << bareImage << QByteArray("application/json") << ManifestKind::Image << ociManifestType;
    QTest::newRow("empty index sniffed") << bareIndex << QByteArray() << ManifestKind::Index << ociIndexType;
}

void TestManifest::kinds()
{
    QFETCH(QByteArray, document);
    QFETCH(QByteArray, contentType);
    QFETCH(ManifestKind, kind);
    QFETCH(QByteArray, mediaType);

    const auto manifest = parseManifest(view(document), view(contentType));
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());
    QVERIFY(manifest->kind == kind);
    QCOMPARE(QByteArray::fromStdString(manifest->mediaType), mediaType);
    if (kind == ManifestKind::Image) {
        QVERIFY(manifest->config.has_value());
        QVERIFY(manifest->manifests.empty());
    } else {
        QVERIFY(!manifest->config.has_value());
        QVERIFY(manifest->layers.empty());
    }
}

void TestManifest::ociImageFields()
{
    const auto manifest = parseManifest(view(ociImage), view(ociManifestType));
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());

    QVERIFY(manifest->config);
    QCOMPARE(QByteArray::fromStdString(manifest->config->mediaType), bytes(media::ociConfig));
    QVERIFY(manifest->config->digest == digestOf('a'));
    QCOMPARE(manifest->config->size, std::int64_t{1469});
    QVERIFY(!manifest->config->platform);

    QCOMPARE(manifest->layers.size(), std::size_t{2});
    QCOMPARE(QByteArray::fromStdString(manifest->layers[0].mediaType),
             QByteArray("application/vnd.oci.image.layer.v1.tar+gzip"));
    QVERIFY(manifest->layers[0].digest == digestOf('b'));
    QCOMPARE(manifest->layers[0].size, std::int64_t{3370706});
    QVERIFY(manifest->layers[0].annotations.empty());
    QCOMPARE(manifest->layers[1].size, std::int64_t{0});
    QCOMPARE(QByteArray::fromStdString(manifest->layers[1].annotations.at("org.opencontainers.image.title")),
             QByteArray("hello.txt"));

    QCOMPARE(QByteArray::fromStdString(manifest->annotations.at("org.opencontainers.image.created")),
             QByteArray("2026-01-01T00:00:00Z"));
    QCOMPARE(QByteArray::fromStdString(manifest->artifactType), bytes(media::ociConfig));
    QVERIFY(!manifest->subject);
}

void TestManifest::ociIndexFields()
{
    const auto manifest = parseManifest(view(ociIndex), view(ociIndexType));
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());

    QCOMPARE(manifest->manifests.size(), std::size_t{4});
    const auto& amd64 = manifest->manifests[0];
    QVERIFY(amd64.digest == digestOf('a'));
    QCOMPARE(amd64.size, std::int64_t{7143});
    QVERIFY(amd64.platform);
    QCOMPARE(QByteArray::fromStdString(amd64.platform->architecture), QByteArray("amd64"));
    QCOMPARE(QByteArray::fromStdString(amd64.platform->os), QByteArray("linux"));
    QVERIFY(amd64.platform->variant.empty());

    QCOMPARE(QByteArray::fromStdString(manifest->manifests[1].platform->variant), QByteArray("v8"));
    QCOMPARE(QByteArray::fromStdString(manifest->manifests[2].platform->osVersion),
             QByteArray("10.0.17763.1935"));
    QVERIFY(!manifest->manifests[3].platform);
    QCOMPARE(QByteArray::fromStdString(manifest->manifests[3].annotations.at("vnd.docker.reference.type")),
             QByteArray("attestation-manifest"));

    QVERIFY(manifest->artifactType.empty());
    QVERIFY(manifest->referencedBlobs().empty());
}

void TestManifest::dockerImageFields()
{
    const auto manifest = parseManifest(view(dockerImage), view(dockerManifestType));
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());
    QCOMPARE(QByteArray::fromStdString(manifest->config->mediaType), bytes(media::dockerConfig));
    QCOMPARE(QByteArray::fromStdString(manifest->artifactType), bytes(media::dockerConfig));
    QCOMPARE(manifest->layers.size(), std::size_t{2});
    QVERIFY(manifest->layers[0].urls.empty());
    QCOMPARE(manifest->layers[1].urls.size(), std::size_t{1});
    QCOMPARE(QByteArray::fromStdString(manifest->layers[1].urls.front()),
             QByteArray("https://example.invalid/layer.tar.gz"));
}

void TestManifest::dockerListFields()
{
    const auto manifest = parseManifest(view(dockerList), view(dockerListType));
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());
    QCOMPARE(manifest->manifests.size(), std::size_t{2});
    QCOMPARE(QByteArray::fromStdString(manifest->manifests[0].mediaType), dockerManifestType);
    QCOMPARE(QByteArray::fromStdString(manifest->manifests[0].platform->architecture), QByteArray("ppc64le"));
    QVERIFY(manifest->manifests[1].digest == digestOf('b'));
}

void TestManifest::subjectAndArtifactType_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QByteArray>("artifactType");
    QTest::addColumn<bool>("hasSubject");

    QTest::newRow("artifact with subject") << doc(R"({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.example.sbom.v1+json",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "@A", "size": 2, "data": "e30="},
        "layers": [{"mediaType": "application/spdx+json", "digest": "@B", "size": 100}],
        "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@D", "size": 7682}
    })") << QByteArray("application/vnd.example.sbom.v1+json")
                                           << true;
    QTest::newRow("artifact type from config") << doc(R"({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "digest": "@A", "size": 2},
        "layers": [{"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip", "digest": "@B", "size": 1}],
        "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@D", "size": 1}
    })") << QByteArray("application/vnd.cncf.helm.config.v1+json")
                                               << true;
    QTest::newRow("index with artifact type") << doc(R"({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
        "artifactType": "application/vnd.example.signatures",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "@A", "size": 5}],
        "subject": {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": "@D", "size": 300}
    })") << QByteArray("application/vnd.example.signatures")
                                              << true;
    QTest::newRow("index without artifact type") << ociIndex << QByteArray() << false;
    QTest::newRow("image without subject") << ociImage << bytes(media::ociConfig) << false;
}

void TestManifest::subjectAndArtifactType()
{
    QFETCH(QByteArray, document);
    QFETCH(QByteArray, artifactType);
    QFETCH(bool, hasSubject);

    const auto manifest = parseManifest(view(document), {});
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());
    QCOMPARE(QByteArray::fromStdString(manifest->artifactType), artifactType);
    QCOMPARE(manifest->subject.has_value(), hasSubject);
    if (hasSubject)
        QVERIFY(manifest->subject->digest == digestOf('d'));
}

void TestManifest::nullOptionalFieldsAreAbsent()
{
    const QByteArray document = doc(R"({
        "schemaVersion": 2, "mediaType": null, "artifactType": null, "subject": null, "annotations": null,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "@A", "size": 2,
                   "urls": null, "annotations": null},
        "layers": []
    })");
    const auto manifest = parseManifest(view(document), view(ociManifestType));
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());
    QVERIFY(!manifest->subject);
    QVERIFY(manifest->layers.empty());
}

void TestManifest::invalid_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QByteArray>("messagePart");

    const auto invalid = ErrorCode::ManifestInvalid;
    const QByteArray schema1 = "Docker schema 1 manifests are not supported; push schema 2 or OCI";
    const QByteArray schema1Document = R"({"schemaVersion":1,"name":"a","tag":"b","architecture":"amd64",
        "fsLayers":[],"history":[],"signatures":[]})";

    QTest::newRow("schema 1 content type")
        << schema1Document << bytes(media::dockerSchema1) << invalid << schema1;
    QTest::newRow("schema 1 signed content type")
        << schema1Document << bytes(media::dockerSchema1Signed) << invalid << schema1;
    QTest::newRow("schema 1 as json")
        << schema1Document << QByteArray("application/json") << invalid << schema1;
    // A GET could only sniff it back as an OCI type, so the pushed type would be lost.
    const QByteArray dockerMessage = "a Docker manifest must declare its mediaType";
    QTest::newRow("docker list without mediaType field")
        << QByteArray(R"({"schemaVersion":2,"manifests":[]})") << bytes(media::dockerManifestList) << invalid
        << dockerMessage;
    QTest::newRow("docker image without mediaType field")
        << QByteArray(R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:)" +
                      QByteArray(64, 'a') + R"(","size":2},"layers":[]})")
        << bytes(media::dockerManifest) << invalid << dockerMessage;
    QTest::newRow("schema 1 mediaType field")
        << QByteArray(R"({"schemaVersion":2,"mediaType":")" + bytes(media::dockerSchema1) + R"("})")
        << QByteArray() << invalid << schema1;

    QTest::newRow("empty body") << QByteArray() << ociManifestType << invalid << QByteArray("not valid JSON");
    QTest::newRow("truncated") << ociImage.left(ociImage.size() / 2) << ociManifestType << invalid
                               << QByteArray("not valid JSON");
    QTest::newRow("trailing garbage")
        << QByteArray(ociImage + "x") << ociManifestType << invalid << QByteArray("not valid JSON");
    QTest::newRow("comment") << QByteArray("// hi\n" + ociImage) << ociManifestType << invalid
                             << QByteArray("not valid JSON");
    QTest::newRow("invalid utf-8") << QByteArray("{\"schemaVersion\":2,\"x\":\"\xff\"}") << ociManifestType
                                   << invalid << QByteArray("not valid JSON");
    QTest::newRow("array") << QByteArray("[]") << ociManifestType << invalid << QByteArray("JSON object");
    QTest::newRow("string") << QByteArray("\"manifest\"") << ociManifestType << invalid
                            << QByteArray("JSON object");

    QTest::newRow("no schemaVersion")
        << QByteArray(R"({"config":{}})") << ociManifestType << invalid << QByteArray("schemaVersion");
    QTest::newRow("schemaVersion 3") << QByteArray(R"({"schemaVersion":3})") << ociManifestType << invalid
                                     << QByteArray("schemaVersion");
    QTest::newRow("schemaVersion string") << QByteArray(R"({"schemaVersion":"2"})") << ociManifestType
                                          << invalid << QByteArray("schemaVersion");

    QTest::newRow("unsupported content type")
        << ociImage << QByteArray("text/html") << invalid << QByteArray("text/html");
    QTest::newRow("config media type as content type")
        << ociImage << bytes(media::ociConfig) << invalid << bytes(media::ociConfig);
    QTest::newRow("mediaType differs from content type")
        << dockerImage << ociManifestType << invalid << QByteArray("does not match");
    QTest::newRow("index mediaType pushed as image")
        << ociIndex << ociManifestType << invalid << QByteArray("does not match");
    QTest::newRow("oci image pushed as docker")
        << ociImage << dockerManifestType << invalid << QByteArray("does not match");
    QTest::newRow("unsupported own mediaType")
        << doc(R"({"schemaVersion":2,
        "mediaType":"application/vnd.oci.artifact.manifest.v1+json","blobs":[]})")
        << QByteArray() << invalid << QByteArray("application/vnd.oci.artifact.manifest.v1+json");
    QTest::newRow("mediaType not a string")
        << QByteArray(R"({"schemaVersion":2,"mediaType":5,"manifests":[]})") << QByteArray() << invalid
        << QByteArray("mediaType");
    QTest::newRow("shape unknown") << QByteArray(R"({"schemaVersion":2})") << QByteArray() << invalid
                                   << QByteArray("cannot tell");

    QTest::newRow("image without config")
        << doc(R"({"schemaVersion":2,"layers":[]})") << ociManifestType << invalid << QByteArray("config");
    QTest::newRow("image without layers") << doc(R"({"schemaVersion":2,
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"@A","size":2}})")
                                          << ociManifestType << invalid << QByteArray("layers");
    QTest::newRow("layers not an array") << doc(R"({"schemaVersion":2,
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"@A","size":2},"layers":{}})")
                                         << ociManifestType << invalid << QByteArray("layers");
    QTest::newRow("image with manifests") << doc(R"({"schemaVersion":2,"manifests":[],
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"@A","size":2},"layers":[]})")
                                          << ociManifestType << invalid << QByteArray("manifests");
    QTest::newRow("index with layers") << doc(R"({"schemaVersion":2,"manifests":[],"layers":[]})")
                                       << ociIndexType << invalid << QByteArray("layers");
    QTest::newRow("index without manifests")
        << doc(R"({"schemaVersion":2})") << ociIndexType << invalid << QByteArray("manifests");

    QTest::newRow("bad digest in layer")
        << imageWithLayer(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar",
        "digest":"sha256:1234","size":5})")
        << ociManifestType << ErrorCode::DigestInvalid << QByteArray("layers[0].digest");
    QTest::newRow("upper-case digest in layer")
        << imageWithLayer(
               QByteArray(R"({"mediaType":"a/b","size":5,"digest":")" + digestText('a').toUpper() + R"("})")
                   .constData())
        << ociManifestType << ErrorCode::DigestInvalid << QByteArray("layers[0].digest");
    QTest::newRow("unknown algorithm in layer")
        << imageWithLayer(R"({"mediaType":"a/b","size":5,
        "digest":"md5:d41d8cd98f00b204e9800998ecf8427e"})")
        << ociManifestType << ErrorCode::DigestInvalid << QByteArray("md5");
    QTest::newRow("bad digest in config")
        << doc(R"({"schemaVersion":2,
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:","size":2},"layers":[]})")
        << ociManifestType << ErrorCode::DigestInvalid << QByteArray("config.digest");
    QTest::newRow("bad digest in subject")
        << doc(R"({"schemaVersion":2,"manifests":[],
        "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:zz","size":2}})")
        << ociIndexType << ErrorCode::DigestInvalid << QByteArray("subject.digest");
    QTest::newRow("missing digest") << imageWithLayer(R"({"mediaType":"a/b","size":5})") << ociManifestType
                                    << invalid << QByteArray("layers[0].digest");
    QTest::newRow("negative size") << imageWithLayer(R"({"mediaType":"a/b","digest":"@B","size":-1})")
                                   << ociManifestType << invalid << QByteArray("layers[0].size");
    QTest::newRow("fractional size") << imageWithLayer(R"({"mediaType":"a/b","digest":"@B","size":1.5})")
                                     << ociManifestType << invalid << QByteArray("layers[0].size");
    QTest::newRow("size as string") << imageWithLayer(R"({"mediaType":"a/b","digest":"@B","size":"5"})")
                                    << ociManifestType << invalid << QByteArray("layers[0].size");
    QTest::newRow("size beyond int64") << imageWithLayer(R"({"mediaType":"a/b","digest":"@B",
        "size":18446744073709551615})") << ociManifestType
                                       << invalid << QByteArray("layers[0].size");
    QTest::newRow("missing size") << imageWithLayer(R"({"mediaType":"a/b","digest":"@B"})") << ociManifestType
                                  << invalid << QByteArray("layers[0].size");
    QTest::newRow("missing descriptor mediaType")
        << imageWithLayer(R"({"digest":"@B","size":5})") << ociManifestType << invalid
        << QByteArray("layers[0].mediaType");
    QTest::newRow("malformed descriptor mediaType")
        << imageWithLayer(R"({"mediaType":"tar","digest":"@B","size":5})") << ociManifestType << invalid
        << QByteArray("layers[0].mediaType");
    QTest::newRow("descriptor not an object")
        << imageWithLayer(R"("@B")") << ociManifestType << invalid << QByteArray("layers[0]");
    QTest::newRow("second layer bad") << imageWithLayer(R"({"mediaType":"a/b","digest":"@B","size":5},
        {"mediaType":"a/b","digest":"@C","size":-5})")
                                      << ociManifestType << invalid << QByteArray("layers[1].size");
    QTest::newRow("annotation value not a string") << doc(R"({"schemaVersion":2,"manifests":[],
        "annotations":{"a":1}})") << ociIndexType << invalid
                                                   << QByteArray("annotations");
    QTest::newRow("urls not strings")
        << imageWithLayer(R"({"mediaType":"a/b","digest":"@B","size":5,"urls":[1]})") << ociManifestType
        << invalid << QByteArray("urls");
    QTest::newRow("invalid artifactType")
        << doc(R"({"schemaVersion":2,"manifests":[],"artifactType":"sbom"})") << ociIndexType << invalid
        << QByteArray("artifactType");
    QTest::newRow("platform without os") << doc(R"({"schemaVersion":2,"manifests":[
        {"mediaType":"a/b","digest":"@A","size":1,"platform":{"architecture":"amd64"}}]})")
                                         << ociIndexType << invalid << QByteArray("manifests[0].platform.os");
    QTest::newRow("subject not an object") << doc(R"({"schemaVersion":2,"manifests":[],"subject":"@A"})")
                                           << ociIndexType << invalid << QByteArray("subject");
}

void TestManifest::invalid()
{
    QFETCH(QByteArray, document);
    QFETCH(QByteArray, contentType);
    QFETCH(ErrorCode, code);
    QFETCH(QByteArray, messagePart);

    const auto manifest = parseManifest(view(document), view(contentType));
    QVERIFY(!manifest);
    const auto& error = manifest.error();
    QVERIFY2(error.code == code, error.message.c_str());
    QVERIFY2(error.message.find(view(messagePart)) != std::string::npos, error.message.c_str());
}

void TestManifest::deepNestingRefusedQuickly_data()
{
    QTest::addColumn<QByteArray>("document");

    QTest::newRow("10,000 arrays") << nested(10000, "[", "]");
    QTest::newRow("10,000 objects") << nested(10000, R"({"a":)", "}");
    QTest::newRow("10,000 arrays unterminated") << QByteArray(10000, '[');
    QTest::newRow("deep inside annotations") << QByteArray(
        R"({"schemaVersion":2,"manifests":[],"annotations":{"a":)" + nested(10000, "[", "]") + "}}");
    QTest::newRow("1,000,000 arrays") << QByteArray(1000000, '[');
}

void TestManifest::deepNestingRefusedQuickly()
{
    QFETCH(QByteArray, document);

    QElapsedTimer timer;
    timer.start();
    const auto manifest = parseManifest(view(document), view(ociIndexType));
    QVERIFY(!manifest);
    QVERIFY2(manifest.error().code == ErrorCode::ManifestInvalid, manifest.error().message.c_str());
    QVERIFY2(manifest.error().message.find("nested deeper") != std::string::npos,
             manifest.error().message.c_str());
    QVERIFY2(timer.elapsed() < 1000, "deep nesting took a second or more to refuse");
    QVERIFY(detectManifestMediaType(view(document)).empty());
}

void TestManifest::nestingLimitBoundary()
{
    // The limit counts the root object; annotations already sit two levels down.
    const auto withDepth = [](int depth) -> QByteArray {
        return QByteArray(R"({"schemaVersion":2,"manifests":[],"annotations":{"a":)") +
               nested(depth - 2, "[", "]") + "}}";
    };
    const auto atLimit = parseManifest(view(withDepth(maxJsonDepth)), view(ociIndexType));
    QVERIFY(!atLimit);
    QVERIFY2(atLimit.error().message.find("nested deeper") == std::string::npos,
             atLimit.error().message.c_str());
    const auto beyond = parseManifest(view(withDepth(maxJsonDepth + 1)), view(ociIndexType));
    QVERIFY(!beyond);
    QVERIFY2(beyond.error().message.find("nested deeper") != std::string::npos,
             beyond.error().message.c_str());
}

void TestManifest::sizeLimit()
{
    // Whitespace padding keeps the document valid, so only the size decides.
    QByteArray atLimit = ociImage;
    atLimit.append(QByteArray(static_cast<qsizetype>(maxManifestSize) - atLimit.size(), ' '));
    QCOMPARE(atLimit.size(), static_cast<qsizetype>(maxManifestSize));
    const auto accepted = parseManifest(view(atLimit), view(ociManifestType));
    QVERIFY2(accepted, accepted ? "" : accepted.error().message.c_str());

    const QByteArray overLimit = atLimit + ' ';
    QElapsedTimer timer;
    timer.start();
    const auto refused = parseManifest(view(overLimit), view(ociManifestType));
    QVERIFY(!refused);
    QVERIFY2(refused.error().code == ErrorCode::PayloadTooLarge, refused.error().message.c_str());
    QCOMPARE(bytes(codeName(refused.error().code)), QByteArray("SIZE_INVALID"));
    QVERIFY(timer.elapsed() < 100);

    // Refused on size even when the bytes are not JSON at all.
    const auto garbage = parseManifest(view(QByteArray(qsizetype{5} * 1024 * 1024, '\xff')), {});
    QVERIFY(!garbage);
    QVERIFY(garbage.error().code == ErrorCode::PayloadTooLarge);
}

void TestManifest::referencedBlobs()
{
    const auto image = parseManifest(view(ociImage), view(ociManifestType));
    QVERIFY(image);
    const std::vector<Digest> expected{digestOf('a'), digestOf('b'), digestOf('c')};
    QVERIFY(image->referencedBlobs() == expected);

    // The same blob twice (e.g. two identical empty layers) is listed once.
    const auto repeated = parseManifest(view(imageWithLayer(R"({"mediaType":"a/b","digest":"@B","size":5},
        {"mediaType":"a/b","digest":"@B","size":5}, {"mediaType":"a/b","digest":"@A","size":2})")),
                                        {});
    QVERIFY2(repeated, repeated ? "" : repeated.error().message.c_str());
    QCOMPARE(repeated->layers.size(), std::size_t{3});
    const std::vector<Digest> unique{digestOf('a'), digestOf('b')};
    QVERIFY(repeated->referencedBlobs() == unique);

    const auto index = parseManifest(view(ociIndex), {});
    QVERIFY(index);
    QVERIFY(index->referencedBlobs().empty());
}

void TestManifest::detectMediaType_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QByteArray>("mediaType");

    QTest::newRow("oci image") << ociImage << ociManifestType;
    QTest::newRow("oci index") << ociIndex << ociIndexType;
    QTest::newRow("docker image") << dockerImage << dockerManifestType;
    QTest::newRow("docker list") << dockerList << dockerListType;
    QTest::newRow("image without mediaType") << imageWithLayer(goodLayer) << ociManifestType;
    QTest::newRow("index without mediaType")
        << QByteArray(R"({"schemaVersion":2,"manifests":[]})") << ociIndexType;
    QTest::newRow("mediaType in other case")
        << QByteArray(
               R"({"schemaVersion":2,"mediaType":"Application/VND.OCI.Image.Index.v1+json","manifests":[]})")
        << ociIndexType;
    QTest::newRow("signed schema 1") << QByteArray(R"({"schemaVersion":1,"fsLayers":[],"signatures":[]})")
                                     << bytes(media::dockerSchema1Signed);
    QTest::newRow("unsigned schema 1")
        << QByteArray(R"({"schemaVersion":1,"fsLayers":[]})") << bytes(media::dockerSchema1);
    QTest::newRow("not json") << QByteArray("hello") << QByteArray();
    QTest::newRow("array") << QByteArray("[]") << QByteArray();
    QTest::newRow("empty object") << QByteArray("{}") << QByteArray();
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void TestManifest::detectMediaType()
{
    QFETCH(QByteArray, document);
    QFETCH(QByteArray, mediaType);
    QCOMPARE(QByteArray::fromStdString(detectManifestMediaType(view(document))), mediaType);
}

void TestManifest::mediaTypeHelpers()
{
    QCOMPARE(bytes(media::essence("application/json; charset=utf-8")), QByteArray("application/json"));
    QCOMPARE(bytes(media::essence("  application/json  ")), QByteArray("application/json"));
    QVERIFY(media::essence(" ; a=b").empty());
    QVERIFY(media::isManifestMediaType(media::dockerManifestList));
    QVERIFY(media::isManifestMediaType("APPLICATION/vnd.oci.image.manifest.v1+json"));
    QVERIFY(!media::isManifestMediaType(media::dockerSchema1));
    QVERIFY(!media::isManifestMediaType(media::ociConfig));
    QVERIFY(media::isIndexMediaType(media::ociIndex));
    QVERIFY(!media::isIndexMediaType(media::ociManifest));
    QVERIFY(media::isSchema1MediaType(std::string(media::dockerSchema1Signed) + "; charset=utf-8"));
    QVERIFY(media::isGenericMediaType("Application/JSON"));
    QVERIFY(!media::isGenericMediaType(media::ociManifest));
    QVERIFY(media::isValidMediaType("application/vnd.oci.image.layer.v1.tar+gzip"));
    QVERIFY(!media::isValidMediaType("application/"));
    QVERIFY(!media::isValidMediaType("/json"));
    QVERIFY(!media::isValidMediaType("application/json; charset=utf-8"));
    QVERIFY(!media::isValidMediaType("a/b/c"));
    QVERIFY(!media::isValidMediaType(std::string(128, 'a') + "/json"));
    QCOMPARE(bytes(media::canonicalManifestMediaType("application/VND.docker.distribution.manifest.v2+json")),
             dockerManifestType);
}

QTEST_APPLESS_MAIN(TestManifest)
#include "TestManifest.moc"
