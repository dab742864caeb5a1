// The referrers API of OCI Distribution v1.1: GET /v2/<name>/referrers/<digest> lists the
// manifests whose subject is <digest>, optionally filtered by artifactType.

#include "RegistryFixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr auto SbomType = "application/vnd.example.sbom.v1"_L1;
constexpr auto SignatureType = "application/vnd.example.signature.v1"_L1;

QString referrersPath(const QString& repo, const QString& digest)
{
    return u"/v2/%1/referrers/%2"_s.arg(repo, digest);
}

// The descriptors of a referrers response, by digest.
QMap<QString, QJsonObject> descriptorsByDigest(const HttpResponse& response)
{
    QMap<QString, QJsonObject> descriptors;
    for (const QJsonValue& value : response.json().object().value("manifests"_L1).toArray())
        descriptors.insert(value.toObject().value("digest"_L1).toString(), value.toObject());
    return descriptors;
}

// What is wrong with a referrers response, empty if it is a 200 with an OCI index.
QString indexProblem(const HttpResponse& response)
{
    if (response.status != 200)
        return response.describe();
    if (response.header("Content-Type") != QByteArray(media::OciIndex.data()))
        return u"Content-Type "_s + QString::fromUtf8(response.header("Content-Type"));
    const QJsonObject index = response.json().object();
    if (index.value("schemaVersion"_L1).toInt() != 2 || index.value("mediaType"_L1).toString() != media::OciIndex
        || !index.value("manifests"_L1).isArray())
        return u"not an OCI index: "_s + QString::fromUtf8(response.body.left(300));
    return {};
}

// What differs between a listed descriptor and what was expected, empty if nothing.
QString descriptorProblem(const QMap<QString, QJsonObject>& listed, const QString& digest, const QString& mediaType,
                          qint64 size, const QString& artifactType, const QJsonObject& annotations)
{
    if (!listed.contains(digest))
        return digest + u" is not listed"_s;
    const QJsonObject descriptor = listed.value(digest);
    const QString listedType = descriptor.value("artifactType"_L1).toString();
    if (descriptor.value("mediaType"_L1).toString() != mediaType || descriptor.value("size"_L1).toInteger() != size
        || descriptor.contains("artifactType"_L1) == artifactType.isEmpty() || listedType != artifactType
        || descriptor.value("annotations"_L1).toObject() != annotations)
        return u"%1 is listed as %2"_s.arg(digest, QString::fromUtf8(QJsonDocument(descriptor).toJson(QJsonDocument::Compact)));
    return {};
}

} // namespace

class TestReferrersApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void listsReferrers();
    void filterByArtifactType_data();
    void filterByArtifactType();
    void unknownSubject();
    void referrerBeforeSubject();
    void deletedReferrerDisappears();
    void otherRepositoryNotListed();
    void invalidDigest_data();
    void invalidDigest();

private:
    TestRegistry m_registry;
};

void TestReferrersApi::initTestCase()
{
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));
    if (m_registry.isReference())
        QSKIP("Distribution 2.8 predates OCI v1.1 and has no referrers API");
}

void TestReferrersApi::cleanup()
{
    QVERIFY2(m_registry.checkAfterTest(), "the registry stopped answering GET /v2/");
}

void TestReferrersApi::listsReferrers()
{
    HttpClient& client = m_registry.client();
    const QString repo = uniqueRepository(u"referrers"_s);
    const Image subject = makeImage();
    QCOMPARE(pushImage(client, repo, subject, u"v1"_s), QString());

    const QJsonObject sbomAnnotations{{"org.example.sbom.format"_L1, "json"_L1}};
    const Image sbom = makeArtifact(subject.descriptor(), SbomType, sbomAnnotations);
    const QJsonObject signatureAnnotations{{"org.opencontainers.image.created"_L1, "2024-01-01T00:00:00Z"_L1}};
    const Image signature = makeArtifact(subject.descriptor(), SignatureType, signatureAnnotations);
    QCOMPARE(pushImage(m_registry.client(), repo, sbom), QString());
    QCOMPARE(pushImage(m_registry.client(), repo, signature), QString());

    // Without artifactType an image manifest is listed under its config's media type.
    const QString configType = u"application/vnd.example.config.v1+json"_s;
    Image plain = makeImage();
    plain.manifest = imageManifestJson(media::OciManifest, Descriptor::of(configType, plain.config),
                                       {Descriptor::of(media::OciLayer, plain.layers.first())}, subject.descriptor());
    QCOMPARE(pushImage(m_registry.client(), repo, plain), QString());

    // An index referrer without artifactType is listed without one.
    const Image child = makeImage();
    QCOMPARE(pushImage(client, repo, child), QString());
    const QJsonObject indexAnnotations{{"org.example.kind"_L1, "index"_L1}};
    const QByteArray index = indexJson(media::OciIndex, {child.descriptor()}, subject.descriptor(), {}, indexAnnotations);
    QCOMPARE(pushManifest(client, repo, media::OciIndex, index), QString());

    // Neither of these refers to the subject.
    QCOMPARE(pushImage(client, repo, makeImage()), QString());
    QCOMPARE(pushImage(m_registry.client(), repo, makeArtifact(child.descriptor(), SbomType)), QString());

    const HttpResponse response = client.get(referrersPath(repo, subject.digest()));
    QCOMPARE(indexProblem(response), QString());
    const QMap<QString, QJsonObject> listed = descriptorsByDigest(response);
    QCOMPARE(listed.size(), 4);

    QCOMPARE(descriptorProblem(listed, sbom.digest(), media::OciManifest, sbom.manifest.size(), SbomType, sbomAnnotations),
             QString());
    QCOMPARE(descriptorProblem(listed, signature.digest(), media::OciManifest, signature.manifest.size(), SignatureType,
                               signatureAnnotations),
             QString());
    QCOMPARE(descriptorProblem(listed, plain.digest(), media::OciManifest, plain.manifest.size(), configType, {}),
             QString());
    QCOMPARE(descriptorProblem(listed, sha256Digest(index), media::OciIndex, index.size(), {}, indexAnnotations),
             QString());
}

void TestReferrersApi::filterByArtifactType_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("matches");

    QTest::newRow("sbom") << QString(SbomType) << 1;
    QTest::newRow("sbom, percent-encoded") << QString::fromLatin1(QUrl::toPercentEncoding(SbomType)) << 1;
    QTest::newRow("signature") << QString(SignatureType) << 2;
    QTest::newRow("no match") << u"application/vnd.example.none"_s << 0;
}

void TestReferrersApi::filterByArtifactType()
{
    QFETCH(QString, filter);
    QFETCH(int, matches);
    const QString repo = uniqueRepository(u"filter"_s);
    const Image subject = makeImage();
    QCOMPARE(pushImage(m_registry.client(), repo, subject, u"v1"_s), QString());
    QCOMPARE(pushImage(m_registry.client(), repo, makeArtifact(subject.descriptor(), SbomType)), QString());
    QCOMPARE(pushImage(m_registry.client(), repo, makeArtifact(subject.descriptor(), SignatureType)), QString());
    QCOMPARE(pushImage(m_registry.client(), repo, makeArtifact(subject.descriptor(), SignatureType)), QString());

    const HttpResponse response =
        m_registry.client().get(referrersPath(repo, subject.digest()) + u"?artifactType="_s + filter);
    QCOMPARE(indexProblem(response), QString());
    QCOMPARE(response.header("OCI-Filters-Applied"), QByteArrayLiteral("artifactType"));
    const QMap<QString, QJsonObject> listed = descriptorsByDigest(response);
    QCOMPARE(listed.size(), matches);
    const QString expectedType = QUrl::fromPercentEncoding(filter.toUtf8());
    for (const QJsonObject& descriptor : listed)
        QCOMPARE(descriptor.value("artifactType"_L1).toString(), expectedType);
}

void TestReferrersApi::unknownSubject()
{
    const QString repo = uniqueRepository(u"referrers"_s);
    QCOMPARE(pushImage(m_registry.client(), repo, makeImage(), u"v1"_s), QString());

    const HttpResponse response = m_registry.client().get(referrersPath(repo, unknownDigest()));
    QCOMPARE(indexProblem(response), QString());
    QVERIFY(response.json().object().value("manifests"_L1).toArray().isEmpty());
}

void TestReferrersApi::referrerBeforeSubject()
{
    // The spec: a registry MUST accept a referrer whose subject is not there yet.
    const QString repo = uniqueRepository(u"early"_s);
    const Image subject = makeImage();
    const Image sbom = makeArtifact(subject.descriptor(), SbomType);
    QCOMPARE(pushImage(m_registry.client(), repo, sbom), QString());

    HttpResponse response = m_registry.client().get(referrersPath(repo, subject.digest()));
    QCOMPARE(indexProblem(response), QString());
    QCOMPARE(descriptorsByDigest(response).keys(), QStringList{sbom.digest()});

    QCOMPARE(pushImage(m_registry.client(), repo, subject, u"v1"_s), QString());
    response = m_registry.client().get(referrersPath(repo, subject.digest()));
    QCOMPARE(indexProblem(response), QString());
    QCOMPARE(descriptorsByDigest(response).keys(), QStringList{sbom.digest()});
}

void TestReferrersApi::deletedReferrerDisappears()
{
    const QString repo = uniqueRepository(u"deleted"_s);
    const Image subject = makeImage();
    QCOMPARE(pushImage(m_registry.client(), repo, subject, u"v1"_s), QString());
    const Image kept = makeArtifact(subject.descriptor(), SbomType);
    const Image removed = makeArtifact(subject.descriptor(), SignatureType);
    QCOMPARE(pushImage(m_registry.client(), repo, kept), QString());
    QCOMPARE(pushImage(m_registry.client(), repo, removed), QString());

    QCOMPARE(m_registry.client().send("DELETE", manifestPath(repo, removed.digest())).status, 202);
    const HttpResponse response = m_registry.client().get(referrersPath(repo, subject.digest()));
    QCOMPARE(indexProblem(response), QString());
    QCOMPARE(descriptorsByDigest(response).keys(), QStringList{kept.digest()});
}

void TestReferrersApi::otherRepositoryNotListed()
{
    const QString owner = uniqueRepository(u"owner"_s);
    const QString other = uniqueRepository(u"other"_s);
    const Image subject = makeImage();
    QCOMPARE(pushImage(m_registry.client(), owner, subject, u"v1"_s), QString());
    QCOMPARE(pushImage(m_registry.client(), other, subject, u"v1"_s), QString());
    QCOMPARE(pushImage(m_registry.client(), owner, makeArtifact(subject.descriptor(), SbomType)), QString());

    const HttpResponse response = m_registry.client().get(referrersPath(other, subject.digest()));
    QCOMPARE(indexProblem(response), QString());
    QVERIFY(response.json().object().value("manifests"_L1).toArray().isEmpty());
}

void TestReferrersApi::invalidDigest_data()
{
    QTest::addColumn<QString>("digest");
    QTest::newRow("not a digest") << u"latest"_s;
    QTest::newRow("short hex") << u"sha256:abc"_s;
    QTest::newRow("not hex") << u"sha256:"_s + QString(64, u'z');
}

void TestReferrersApi::invalidDigest()
{
    // The spec: an invalid request, such as a digest with an invalid syntax, gets 400.
    QFETCH(QString, digest);
    const QString repo = uniqueRepository(u"invalid"_s);
    QCOMPARE(pushImage(m_registry.client(), repo, makeImage(), u"v1"_s), QString());

    const HttpResponse response = m_registry.client().get(referrersPath(repo, digest));
    QCOMPARE(response.status, 400);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestReferrersApi)
#include "TestReferrersApi.moc"
