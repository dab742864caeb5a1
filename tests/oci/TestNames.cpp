// Repository names, tags and manifest references as they arrive in request paths.

#include "oci/Names.h"

#include <QTest>

using namespace berth::oci;

Q_DECLARE_METATYPE(berth::oci::ErrorCode)

namespace {

std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// A valid name of exactly `length` characters made of several path components.
QByteArray nameOfLength(qsizetype length)
{
    QByteArray name;
    while (name.size() < length)
        name += (name.size() % 10 == 9) ? '/' : 'a';
    if (name.endsWith('/'))
        name.back() = 'b';
    return name;
}

} // namespace

class TestNames : public QObject
{
    Q_OBJECT

private slots:
    void repositoryName_data();
    void repositoryName();
    void tag_data();
    void tag();
    void referenceTag();
    void referenceDigest();
    void referenceInvalid_data();
    void referenceInvalid();
};

void TestNames::repositoryName_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("valid");

    QTest::newRow("single letter") << QByteArray("a") << true;
    QTest::newRow("single digit") << QByteArray("0") << true;
    QTest::newRow("plain") << QByteArray("ubuntu") << true;
    QTest::newRow("two components") << QByteArray("library/ubuntu") << true;
    QTest::newRow("many components") << QByteArray("a/b/c/d/e") << true;
    QTest::newRow("dot") << QByteArray("foo.bar") << true;
    QTest::newRow("underscore") << QByteArray("foo_bar") << true;
    QTest::newRow("double underscore") << QByteArray("foo__bar") << true;
    QTest::newRow("dash") << QByteArray("foo-bar") << true;
    QTest::newRow("many dashes") << QByteArray("foo---bar") << true;
    QTest::newRow("mixed separators") << QByteArray("my-org/my.app_v2/x__y") << true;
    QTest::newRow("255 characters") << nameOfLength(255) << true;

    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("256 characters") << nameOfLength(256) << false;
    QTest::newRow("upper case") << QByteArray("Ubuntu") << false;
    QTest::newRow("upper case component") << QByteArray("library/UBUNTU") << false;
    QTest::newRow("dot dot") << QByteArray("..") << false;
    QTest::newRow("dot") << QByteArray(".") << false;
    QTest::newRow("traversal in middle") << QByteArray("a/../b") << false;
    QTest::newRow("traversal at start") << QByteArray("../a") << false;
    QTest::newRow("traversal at end") << QByteArray("a/..") << false;
    QTest::newRow("current directory") << QByteArray("a/./b") << false;
    QTest::newRow("encoded traversal") << QByteArray("%2e%2e") << false;
    QTest::newRow("encoded traversal component") << QByteArray("a/%2e%2e/b") << false;
    QTest::newRow("encoded slash") << QByteArray("a%2fb") << false;
    QTest::newRow("leading slash") << QByteArray("/a") << false;
    QTest::newRow("trailing slash") << QByteArray("a/") << false;
    QTest::newRow("double slash") << QByteArray("a//b") << false;
    QTest::newRow("only slash") << QByteArray("/") << false;
    QTest::newRow("leading dot") << QByteArray(".a") << false;
    QTest::newRow("trailing dot") << QByteArray("a.") << false;
    QTest::newRow("leading dash") << QByteArray("-a") << false;
    QTest::newRow("trailing dash") << QByteArray("a-") << false;
    QTest::newRow("leading underscore") << QByteArray("_a") << false;
    QTest::newRow("trailing underscore") << QByteArray("a__") << false;
    QTest::newRow("separator after slash") << QByteArray("a/-b") << false;
    QTest::newRow("triple underscore") << QByteArray("a___b") << false;
    QTest::newRow("double dot") << QByteArray("a..b") << false;
    QTest::newRow("dot underscore") << QByteArray("a._b") << false;
    QTest::newRow("dot dash") << QByteArray("a.-b") << false;
    QTest::newRow("dash dot") << QByteArray("a-.b") << false;
    QTest::newRow("space") << QByteArray("a b") << false;
    QTest::newRow("backslash") << QByteArray("a\\b") << false;
    QTest::newRow("colon") << QByteArray("a:b") << false;
    QTest::newRow("at sign") << QByteArray("a@b") << false;
    QTest::newRow("nul byte") << QByteArray("a\0b", 3) << false;
    QTest::newRow("non-ascii") << QByteArray("caf\xc3\xa9") << false;
}

void TestNames::repositoryName()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidRepositoryName(view(name)), valid);
}

void TestNames::tag_data()
{
    QTest::addColumn<QByteArray>("tag");
    QTest::addColumn<bool>("valid");

    QTest::newRow("latest") << QByteArray("latest") << true;
    QTest::newRow("version") << QByteArray("v1.2.3-rc.1") << true;
    QTest::newRow("single digit") << QByteArray("1") << true;
    QTest::newRow("single underscore") << QByteArray("_") << true;
    QTest::newRow("leading underscore") << QByteArray("_private") << true;
    QTest::newRow("upper case") << QByteArray("Release_2024.01") << true;
    QTest::newRow("trailing separators") << QByteArray("a.-_") << true;
    QTest::newRow("128 characters") << QByteArray(128, 'x') << true;

    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("129 characters") << QByteArray(129, 'x') << false;
    QTest::newRow("leading dot") << QByteArray(".hidden") << false;
    QTest::newRow("leading dash") << QByteArray("-rc") << false;
    QTest::newRow("dot dot") << QByteArray("..") << false;
    QTest::newRow("slash") << QByteArray("a/b") << false;
    QTest::newRow("colon") << QByteArray("a:b") << false;
    QTest::newRow("at sign") << QByteArray("a@b") << false;
    QTest::newRow("space") << QByteArray("my tag") << false;
    QTest::newRow("plus") << QByteArray("1.0+build") << false;
    QTest::newRow("nul byte") << QByteArray("a\0b", 3) << false;
    QTest::newRow("non-ascii") << QByteArray("t\xc3\xa4g") << false;
}

void TestNames::tag()
{
    QFETCH(QByteArray, tag);
    QFETCH(bool, valid);
    QCOMPARE(isValidTag(view(tag)), valid);
}

void TestNames::referenceTag()
{
    const auto reference = parseReference("v1.0");
    QVERIFY(reference);
    QVERIFY(std::holds_alternative<std::string>(*reference));
    QCOMPARE(QByteArray::fromStdString(std::get<std::string>(*reference)), QByteArray("v1.0"));
}

void TestNames::referenceDigest()
{
    const std::string text = "sha256:" + std::string(64, 'c');
    const auto reference = parseReference(text);
    QVERIFY(reference);
    QVERIFY(std::holds_alternative<Digest>(*reference));
    QCOMPARE(QByteArray::fromStdString(std::get<Digest>(*reference).toString()),
             QByteArray::fromStdString(text));
}

void TestNames::referenceInvalid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<ErrorCode>("code");

    QTest::newRow("empty") << QByteArray() << ErrorCode::ManifestInvalid;
    QTest::newRow("leading dot") << QByteArray(".latest") << ErrorCode::ManifestInvalid;
    QTest::newRow("too long tag") << QByteArray(129, 'x') << ErrorCode::ManifestInvalid;
    QTest::newRow("traversal") << QByteArray("..") << ErrorCode::ManifestInvalid;
    QTest::newRow("short digest") << QByteArray("sha256:abc") << ErrorCode::DigestInvalid;
    QTest::newRow("tag with empty digest part") << QByteArray("latest:") << ErrorCode::DigestInvalid;
    QTest::newRow("tag with colon") << QByteArray("latest:1") << ErrorCode::DigestInvalid;
    QTest::newRow("unknown algorithm")
        << QByteArray("md5:d41d8cd98f00b204e9800998ecf8427e") << ErrorCode::DigestInvalid;
}

void TestNames::referenceInvalid()
{
    QFETCH(QByteArray, text);
    QFETCH(ErrorCode, code);

    const auto reference = parseReference(view(text));
    QVERIFY(!reference);
    QVERIFY2(reference.error().code == code, reference.error().message.c_str());
    if (code == ErrorCode::ManifestInvalid)
        QVERIFY2(reference.error().message.find("invalid tag") != std::string::npos,
                 reference.error().message.c_str());
}

QTEST_APPLESS_MAIN(TestNames)
#include "TestNames.moc"
