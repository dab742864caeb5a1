// The router: request targets to endpoints, names, arguments and query parameters, and
// the percent-coding it relies on. An encoded '/' or ".." stays inside its segment.

#include "http/Router.h"
#include "oci/Names.h"

#include <QStringList>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

using http::Endpoint;

QByteArray nameOf(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::Base:
        return "Base"_ba;
    case Endpoint::Catalog:
        return "Catalog"_ba;
    case Endpoint::Tags:
        return "Tags"_ba;
    case Endpoint::Manifest:
        return "Manifest"_ba;
    case Endpoint::Blob:
        return "Blob"_ba;
    case Endpoint::UploadStart:
        return "UploadStart"_ba;
    case Endpoint::Upload:
        return "Upload"_ba;
    case Endpoint::Referrers:
        return "Referrers"_ba;
    case Endpoint::Health:
        return "Health"_ba;
    case Endpoint::NotFound:
        return "NotFound"_ba;
    }
    return "?"_ba;
}

QByteArray toBytes(std::string_view text)
{
    return {text.data(), static_cast<qsizetype>(text.size())};
}

std::string_view viewOf(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// "key=value" for every parameter, in the route's (sorted) order.
QList<QByteArray> queryOf(const http::Route& route)
{
    QList<QByteArray> pairs;
    for (const auto& [key, value] : route.query)
        pairs.append(QByteArray(toBytes(key) + '=' + toBytes(value)));
    return pairs;
}

const QByteArray digest = "sha256:" + QByteArray(64, 'a');
const QByteArray uuid = "0f1e2d3c-4b5a-4697-8877-665544332211"_ba;

} // namespace

class TestRouter : public QObject
{
    Q_OBJECT

private slots:
    void route_data();
    void route();
    void firstParameterWins();
    void percentDecode_data();
    void percentDecode();
    void percentEncode_data();
    void percentEncode();
    void percentEncodeRoundTrips();
};

void TestRouter::route_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("endpoint");
    QTest::addColumn<QByteArray>("repository");
    QTest::addColumn<QByteArray>("argument");
    QTest::addColumn<QList<QByteArray>>("query");
    QTest::addColumn<bool>("validName"); // what name validation later says of the repository

    const auto row = [](const char* name, const QByteArray& target, const QByteArray& endpoint,
                        const QByteArray& repository = {}, const QByteArray& argument = {},
                        const QList<QByteArray>& query = {}) {
        QTest::newRow(name) << target << endpoint << repository << argument << query
                            << oci::isValidRepositoryName(viewOf(repository));
    };
    const auto invalidName = [](const char* name, const QByteArray& target, const QByteArray& endpoint,
                                const QByteArray& repository, const QByteArray& argument = {}) {
        QTest::newRow(name) << target << endpoint << repository << argument << QList<QByteArray>() << false;
    };

    // Every endpoint.
    row("base", "/v2/", "Base");
    row("base without slash", "/v2", "Base");
    row("base with query", "/v2/?probe=1", "Base", {}, {}, {"probe=1"});
    row("catalog", "/v2/_catalog", "Catalog");
    row("catalog paged", "/v2/_catalog?n=10&last=a%2Fb", "Catalog", {}, {}, {"last=a/b", "n=10"});
    row("tags", "/v2/app/tags/list", "Tags", "app");
    row("tags paged", "/v2/app/tags/list?last=v1&n=2", "Tags", "app", {}, {"last=v1", "n=2"});
    row("manifest by tag", "/v2/app/manifests/latest", "Manifest", "app", "latest");
    row("manifest by digest", "/v2/app/manifests/" + digest, "Manifest", "app", digest);
    row("manifest, encoded colon", "/v2/app/manifests/sha256%3A" + QByteArray(64, 'a'), "Manifest", "app",
        digest);
    row("blob", "/v2/app/blobs/" + digest, "Blob", "app", digest);
    row("upload start", "/v2/app/blobs/uploads/", "UploadStart", "app");
    row("upload start without trailing slash", "/v2/app/blobs/uploads", "UploadStart", "app");
    row("monolithic upload", "/v2/app/blobs/uploads/?digest=" + digest, "UploadStart", "app", {},
        {"digest=" + digest});
    row("mount", "/v2/app/blobs/uploads/?from=a%2Fb&mount=sha256%3A" + QByteArray(64, 'a'), "UploadStart",
        "app", {}, {"from=a/b", "mount=" + digest});
    row("mount, reordered", "/v2/app/blobs/uploads/?mount=sha256%3A" + QByteArray(64, 'a') + "&from=a%2Fb",
        "UploadStart", "app", {}, {"from=a/b", "mount=" + digest});
    row("upload", "/v2/app/blobs/uploads/" + uuid, "Upload", "app", uuid);
    row("upload with state and digest", "/v2/app/blobs/uploads/" + uuid + "?_state=x&digest=sha256%3Aab",
        "Upload", "app", uuid, {"_state=x", "digest=sha256:ab"});
    row("upload, query reordered", "/v2/app/blobs/uploads/" + uuid + "?digest=sha256%3Aab&_state=x", "Upload",
        "app", uuid, {"_state=x", "digest=sha256:ab"});
    row("referrers", "/v2/app/referrers/" + digest, "Referrers", "app", digest);
    row("referrers filtered", "/v2/app/referrers/" + digest + "?artifactType=application%2Fvnd.x%2Bjson",
        "Referrers", "app", digest, {"artifactType=application/vnd.x+json"});
    row("health", "/healthz", "Health");
    row("health with query", "/healthz?verbose", "Health", {}, {}, {"verbose="});

    // Nested names, and names whose components look like the keywords.
    row("nested tags", "/v2/a/b/c/tags/list", "Tags", "a/b/c");
    row("nested manifest", "/v2/a/b/c/manifests/v1", "Manifest", "a/b/c", "v1");
    row("nested blob", "/v2/a/b/c/blobs/" + digest, "Blob", "a/b/c", digest);
    row("nested upload start", "/v2/a/b/c/blobs/uploads/", "UploadStart", "a/b/c");
    row("nested upload", "/v2/a/b/c/blobs/uploads/" + uuid, "Upload", "a/b/c", uuid);
    row("nested referrers", "/v2/a/b/c/referrers/" + digest, "Referrers", "a/b/c", digest);
    row("repository blobs/manifests", "/v2/blobs/manifests/manifests/latest", "Manifest", "blobs/manifests",
        "latest");
    row("repository x/tags", "/v2/x/tags/tags/list", "Tags", "x/tags");
    row("repository tags/list", "/v2/tags/list/tags/list", "Tags", "tags/list");
    row("repository blobs/uploads, tags", "/v2/blobs/uploads/tags/list", "Tags", "blobs/uploads");
    row("repository manifests, blob", "/v2/manifests/blobs/" + digest, "Blob", "manifests", digest);
    row("repository a/blobs, upload start", "/v2/a/blobs/blobs/uploads/", "UploadStart", "a/blobs");
    row("repository uploads, upload", "/v2/uploads/blobs/uploads/" + uuid, "Upload", "uploads", uuid);
    row("repository referrers", "/v2/referrers/referrers/" + digest, "Referrers", "referrers", digest);
    row("repository blobs/uploads, manifest", "/v2/x/blobs/uploads/manifests/v1", "Manifest",
        "x/blobs/uploads", "v1");
    row("tag named like a keyword", "/v2/app/manifests/manifests", "Manifest", "app", "manifests");

    // Percent-coding: '+' is a space only in the query; escapes never make new segments.
    row("plus in query is a space", "/v2/_catalog?last=a+b", "Catalog", {}, {}, {"last=a b"});
    row("encoded plus in query", "/v2/_catalog?last=a%2Bb", "Catalog", {}, {}, {"last=a+b"});
    row("plus in path stays", "/v2/app/manifests/v1+build", "Manifest", "app", "v1+build");
    row("encoded ampersand and equals in query", "/v2/_catalog?last=a%26n%3D1&n=2", "Catalog", {}, {},
        {"last=a&n=1", "n=2"});
    row("equals in query value", "/v2/_catalog?last=a=b", "Catalog", {}, {}, {"last=a=b"});
    row("empty query pairs", "/v2/_catalog?&&n=1&", "Catalog", {}, {}, {"n=1"});
    row("encoded question mark in path", "/v2/app/manifests/v1%3Fn=1", "Manifest", "app", "v1?n=1");
    // Same name as "/v2/a/b/...": decoding happens per segment, after the endpoint is chosen.
    row("encoded slash in repository", "/v2/a%2Fb/manifests/v1", "Manifest", "a/b", "v1");
    row("encoded slashes hide keywords", "/v2/a%2Fmanifests%2Fv1/tags/list", "Tags", "a/manifests/v1");
    invalidName("encoded slash and dots", "/v2/a%2F..%2F..%2Fb/manifests/v1", "Manifest", "a/../../b", "v1");
    invalidName("encoded dot-dot segment", "/v2/%2E%2E/tags/list", "Tags", "..");
    invalidName("lower-case encoded dot-dot", "/v2/a/%2e%2e/manifests/v1", "Manifest", "a/..", "v1");
    invalidName("plain dot-dot segment", "/v2/a/../b/tags/list", "Tags", "a/../b");
    invalidName("encoded leading slash", "/v2/%2Fetc/tags/list", "Tags", "/etc");
    invalidName("encoded NUL", "/v2/a%00b/tags/list", "Tags", QByteArray("a\0b", 3));
    invalidName("empty name", "/v2//manifests/v1", "Manifest", "", "v1");
    invalidName("upper case name", "/v2/App/tags/list", "Tags", "App");
    invalidName("catalog as a name", "/v2/_catalog/tags/list", "Tags", "_catalog");
    row("encoded slash in tag", "/v2/app/manifests/..%2F..%2Fx", "Manifest", "app", "../../x");
    row("encoded dot-dot as upload id", "/v2/app/blobs/uploads/%2E%2E", "Upload", "app", "..");
    row("encoded slash in digest", "/v2/app/blobs/sha256%2F..", "Blob", "app", "sha256/..");

    // Malformed escapes: in the path the target is refused, in the query the pair is dropped.
    row("bad escape in name", "/v2/a%zz/tags/list", "NotFound");
    row("bad escape in argument", "/v2/app/manifests/v%4", "NotFound");
    row("lone percent", "/v2/app/manifests/%", "NotFound");
    row("bad escape in catalog", "/v2/_cat%alog", "NotFound");
    row("bad escape in query value", "/v2/_catalog?n=%zz&last=b", "Catalog", {}, {}, {"last=b"});
    row("bad escape in query key", "/v2/_catalog?%g0=1&n=2", "Catalog", {}, {}, {"n=2"});
    row("truncated escape in query", "/v2/_catalog?n=2&last=%4", "Catalog", {}, {}, {"n=2"});

    // Shapes that are no endpoint.
    row("missing name before manifests", "/v2/manifests/latest", "NotFound");
    row("missing name before tags", "/v2/tags/list", "NotFound");
    row("missing name before uploads", "/v2/blobs/uploads/", "NotFound");
    row("catalog with trailing slash", "/v2/_catalog/", "NotFound");
    row("tags with trailing slash", "/v2/app/tags/list/", "NotFound");
    row("manifest with trailing slash", "/v2/app/manifests/latest/", "NotFound");
    row("upload with trailing slash", "/v2/app/blobs/uploads/" + uuid + '/', "NotFound");
    row("upload with extra segment", "/v2/app/blobs/uploads/" + uuid + "/x", "NotFound");
    row("name only", "/v2/app", "NotFound");
    row("unknown keyword", "/v2/app/layers/" + digest, "NotFound");

    // Targets outside /v2 and /healthz.
    row("empty target", "", "NotFound");
    row("root", "/", "NotFound");
    row("asterisk", "*", "NotFound");
    row("v2 without leading slash", "v2/", "NotFound");
    row("v2 prefix of a longer word", "/v2x/", "NotFound");
    row("upper-case V2", "/V2/", "NotFound");
    row("v1", "/v1/", "NotFound");
    row("v3", "/v3/_catalog", "NotFound");
    row("admin API", "/admin/v1/stats", "NotFound");
    row("v2 below another path", "/x/v2/", "NotFound");
    row("dot-dot before v2", "/../v2/", "NotFound");
    row("encoded v2", "/%76%32/", "NotFound");
    row("absolute form", "http://127.0.0.1/v2/", "NotFound");
    row("health with trailing slash", "/healthz/", "NotFound");
    row("health below v2", "/v2/healthz", "NotFound");
}

void TestRouter::route()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, endpoint);
    QFETCH(QByteArray, repository);
    QFETCH(QByteArray, argument);
    QFETCH(QList<QByteArray>, query);
    QFETCH(bool, validName);

    const http::Route route = http::route(viewOf(target));
    QCOMPARE(nameOf(route.endpoint), endpoint);
    QCOMPARE(toBytes(route.repository), repository);
    QCOMPARE(toBytes(route.argument), argument);
    QCOMPARE(queryOf(route), query);
    QCOMPARE(oci::isValidRepositoryName(route.repository), validName);
}

void TestRouter::firstParameterWins()
{
    const http::Route route = http::route("/v2/_catalog?n=1&last=b&n=2");
    QCOMPARE(route.parameter("n"), std::optional<std::string>("1"));
    QCOMPARE(route.parameter("last"), std::optional<std::string>("b"));
    QCOMPARE(route.parameter("missing"), std::optional<std::string>());
    QCOMPARE(queryOf(route), (QList<QByteArray>{"last=b", "n=1", "n=2"}));
}

void TestRouter::percentDecode_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("plusIsSpace");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("empty") << QByteArray() << false << true << QByteArray();
    QTest::newRow("plain") << "abc"_ba << false << true << "abc"_ba;
    QTest::newRow("upper-case hex") << "%4A%2F"_ba << false << true << "J/"_ba;
    QTest::newRow("lower-case hex") << "%4a%2f"_ba << false << true << "J/"_ba;
    QTest::newRow("escape at the end") << "ab%41"_ba << false << true << "abA"_ba;
    QTest::newRow("escaped percent") << "%2541"_ba << false << true << "%41"_ba;
    QTest::newRow("NUL") << "a%00b"_ba << false << true << QByteArray("a\0b", 3);
    QTest::newRow("high byte") << "%FF"_ba << false << true << "\xff"_ba;
    QTest::newRow("plus kept") << "a+b"_ba << false << true << "a+b"_ba;
    QTest::newRow("plus as space") << "a+b"_ba << true << true << "a b"_ba;
    QTest::newRow("encoded plus") << "a%2Bb"_ba << true << true << "a+b"_ba;
    QTest::newRow("lone percent") << "%"_ba << false << false << QByteArray();
    QTest::newRow("percent at the end") << "abc%"_ba << false << false << QByteArray();
    QTest::newRow("one hex digit") << "%4"_ba << false << false << QByteArray();
    QTest::newRow("one hex digit at the end") << "ab%4"_ba << false << false << QByteArray();
    QTest::newRow("not hex, first") << "%g1"_ba << false << false << QByteArray();
    QTest::newRow("not hex, second") << "%1g"_ba << false << false << QByteArray();
    QTest::newRow("double percent") << "%%41"_ba << false << false << QByteArray();
    QTest::newRow("sign is no hex") << "%+1"_ba << true << false << QByteArray();
}

void TestRouter::percentDecode()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, plusIsSpace);
    QFETCH(bool, valid);
    QFETCH(QByteArray, decoded);
    const auto result = http::percentDecode(viewOf(text), plusIsSpace);
    QCOMPARE(result.has_value(), valid);
    if (result)
        QCOMPARE(toBytes(*result), decoded);
}

void TestRouter::percentEncode_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("unreserved") << "AZaz09-._~"_ba
                                << "AZaz09-._~"_ba;
    QTest::newRow("slash kept") << "library/app"_ba
                                << "library/app"_ba;
    QTest::newRow("digest") << "sha256:ab"_ba
                            << "sha256%3Aab"_ba;
    QTest::newRow("space and plus") << "a b+c"_ba
                                    << "a%20b%2Bc"_ba;
    QTest::newRow("query characters") << "?&=#%"_ba
                                      << "%3F%26%3D%23%25"_ba;
    QTest::newRow("NUL and high bytes") << QByteArray("\0\x7f\x80\xff", 4) << "%00%7F%80%FF"_ba;
}

void TestRouter::percentEncode()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, encoded);
    QCOMPARE(toBytes(http::percentEncode(viewOf(text))), encoded);
}

void TestRouter::percentEncodeRoundTrips()
{
    QByteArray everyByte;
    for (int byte = 0; byte < 256; ++byte)
        everyByte.append(static_cast<char>(byte));
    const std::string encoded = http::percentEncode(viewOf(everyByte));
    for (const bool plusIsSpace : {false, true}) {
        const auto decoded = http::percentDecode(encoded, plusIsSpace);
        QVERIFY(decoded);
        QCOMPARE(toBytes(*decoded), everyByte);
    }
}

} // namespace berth::test

QTEST_APPLESS_MAIN(berth::test::TestRouter)
#include "TestRouter.moc"
