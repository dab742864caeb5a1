// The Authorization header of HTTP Basic authentication: what is read as a user and a
// password, and what is refused, with a reason that never repeats the password; and how
// long, and for which users, credentials that passed a check are remembered.

#include "http/BasicCredentials.h"
#include "http/VerifiedCredentials.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

QByteArray basic(const QByteArray& credentials)
{
    return "Basic " + credentials.toBase64();
}

} // namespace

class TestBasicCredentials : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void verifiedCredentialsExpire();
    void verifiedCredentialsAreForgottenWhenUsersChange();
    void verifiedCredentialsAreBounded();
};

void TestBasicCredentials::parse_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QString>("error"); // empty: accepted

    QTest::newRow("user and password") << basic("alice:s3cret") << "alice"_ba
                                       << "s3cret"_ba << QString();
    QTest::newRow("scheme in any case") << "bAsIc " + QByteArray("alice:pw").toBase64() << "alice"_ba
                                        << "pw"_ba << QString();
    QTest::newRow("password with colons") << basic("alice:a:b:c") << "alice"_ba
                                          << "a:b:c"_ba << QString();
    QTest::newRow("empty password") << basic("alice:") << "alice"_ba << QByteArray() << QString();
    QTest::newRow("one padding character") << basic("alice:pw1") << "alice"_ba
                                           << "pw1"_ba << QString();
    QTest::newRow("no padding needed") << basic("alice:pw12") << "alice"_ba
                                       << "pw12"_ba << QString();
    QTest::newRow("UTF-8 user") << basic("zoë:pw") << "zoë"_ba
                                << "pw"_ba << QString();

    QTest::newRow("missing") << QByteArray() << QByteArray() << QByteArray() << u"no credentials"_s;
    QTest::newRow("bearer token") << "Bearer abc.def.ghi"_ba << QByteArray() << QByteArray()
                                  << u"not Basic authentication"_s;
    QTest::newRow("scheme only") << "Basic"_ba << QByteArray() << QByteArray()
                                 << u"not Basic authentication"_s;
    QTest::newRow("scheme glued to the token") << "Basic" + QByteArray("alice:pw").toBase64() << QByteArray()
                                               << QByteArray() << u"not Basic authentication"_s;
    QTest::newRow("empty token") << "Basic "_ba << QByteArray() << QByteArray() << u"not valid base64"_s;
    QTest::newRow("not base64") << "Basic alice:s3cret"_ba << QByteArray() << QByteArray()
                                << u"not valid base64"_s;
    QTest::newRow("length not a multiple of 4")
        << "Basic YWxpY2U6cHc"_ba << QByteArray() << QByteArray() << u"not valid base64"_s;
    QTest::newRow("padding in the middle")
        << "Basic YQ==YWxpY2U6cHc="_ba << QByteArray() << QByteArray() << u"not valid base64"_s;
    QTest::newRow("three padding characters")
        << "Basic YW==="_ba << QByteArray() << QByteArray() << u"not valid base64"_s;
    QTest::newRow("URL-safe alphabet")
        << "Basic " + QByteArray("a?>:pw").toBase64(QByteArray::Base64UrlEncoding) << QByteArray()
        << QByteArray() << u"not valid base64"_s;
    QTest::newRow("no colon") << basic("alices3cret") << QByteArray() << QByteArray() << u"no ':'"_s;
    QTest::newRow("empty user name") << basic(":s3cret") << QByteArray() << QByteArray()
                                     << u"empty user name"_s;
    QTest::newRow("absurdly long") << basic("alice:" + QByteArray(8000, 's')) << QByteArray() << QByteArray()
                                   << u"longer than 4096 bytes"_s;
}

void TestBasicCredentials::parse()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, user);
    QFETCH(QByteArray, password);
    QFETCH(QString, error);

    const auto parsed =
        http::parseBasicAuthorization(std::string_view(header.constData(), std::size_t(header.size())));
    if (error.isEmpty()) {
        QVERIFY2(parsed, parsed ? "" : parsed.error().c_str());
        QCOMPARE(QByteArray::fromStdString(parsed->user), user);
        QCOMPARE(QByteArray::fromStdString(parsed->password), password);
        return;
    }
    QVERIFY(!parsed);
    const auto message = QString::fromStdString(parsed.error());
    QVERIFY2(message.contains(error), qPrintable(message));
    QVERIFY2(!message.contains(u"s3cret"_s), qPrintable(message));
}

void TestBasicCredentials::verifiedCredentialsExpire()
{
    using namespace std::chrono_literals;
    http::VerifiedCredentials verified(16, 5min);
    const auto start = http::VerifiedCredentials::Clock::now();
    QVERIFY(!verified.contains("alice", "pw", 1, start));
    verified.add("alice", "pw", 1, start);
    QVERIFY(verified.contains("alice", "pw", 1, start + 4min));
    QVERIFY(!verified.contains("alice", "other", 1, start));
    QVERIFY(!verified.contains("bob", "pw", 1, start));
    // "user:password" is what is remembered, and a name has no ':'.
    QVERIFY(!verified.contains("alice:pw", "", 1, start));
    QVERIFY(!verified.contains("alice", "pw", 1, start + 5min));
    QVERIFY(!verified.contains("alice", "pw", 1, start));
}

void TestBasicCredentials::verifiedCredentialsAreForgottenWhenUsersChange()
{
    http::VerifiedCredentials verified;
    verified.add("alice", "pw", 1);
    QVERIFY(verified.contains("alice", "pw", 1));
    QVERIFY(!verified.contains("alice", "pw", 2));
    // A check that read the users before they changed adds nothing.
    verified.add("alice", "pw", 1);
    QVERIFY(!verified.contains("alice", "pw", 2));
    QVERIFY(!verified.contains("alice", "pw", 1));
}

void TestBasicCredentials::verifiedCredentialsAreBounded()
{
    using namespace std::chrono_literals;
    http::VerifiedCredentials verified(3, 5min);
    const auto start = http::VerifiedCredentials::Clock::now();
    for (int i = 0; i < 4; ++i)
        verified.add("user" + std::to_string(i), "pw", 1, start + std::chrono::seconds(i));
    // The first one added went to make room.
    QVERIFY(!verified.contains("user0", "pw", 1, start + 10s));
    for (int i = 1; i < 4; ++i)
        QVERIFY(verified.contains("user" + std::to_string(i), "pw", 1, start + 10s));
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestBasicCredentials)
#include "TestBasicCredentials.moc"
