// The authenticator over a real htpasswd file and real bcrypt: which passwords verify, what
// a refusal says, that a check never runs on the event loop that asked for it, and that a
// success is remembered until the users change.

#include "Htpasswd.h"
#include "RegistryFixtures.h"
#include "http/BasicAuthenticator.h"

#include <QTemporaryDir>
#include <QTest>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace berth::test {

namespace {

namespace asio = boost::asio;

// Slow enough (some 200 ms) that a check on the event loop would hold back a 10 ms timer.
constexpr int slowCost = 12;

std::string text(const QByteArray& bytes)
{
    return bytes.toStdString();
}

struct Attempt
{
    std::optional<oci::Result<std::string>> result;
    bool timerFiredFirst = false; // a 10 ms timer on the same event loop fired before the answer
};

// Authenticates `authorization` on an event loop of its own, beside a 10 ms timer.
Attempt authenticate(http::BasicAuthenticator& authenticator, const std::string& authorization)
{
    asio::io_context loop;
    Attempt attempt;
    asio::steady_timer timer(loop, 10ms);
    timer.async_wait(
        [&attempt](const boost::system::error_code&) { attempt.timerFiredFirst = !attempt.result; });
    const auto ask = [&]() -> asio::awaitable<void> {
        attempt.result = co_await authenticator.authenticate(authorization);
    };
    asio::co_spawn(loop, ask, asio::detached);
    loop.run();
    return attempt;
}

} // namespace

class TestBasicAuthenticator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void verify_data();
    void verify();
    void refusals_data();
    void refusals();
    void checksRunOffTheEventLoop();
    void successIsRememberedUntilTheUsersChange();

private:
    QTemporaryDir m_dir;
    Logger m_logger{stderr};
    std::unique_ptr<http::HtpasswdFile> m_users;
    std::unique_ptr<http::BasicAuthenticator> m_authenticator;
};

void TestBasicAuthenticator::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(u"htpasswd"_s);
    QVERIFY(
        writeFile(path, "slow:" + bcryptHash("slow-password", slowCost) + '\n' + htpasswdLine("fast", "pw")));
    auto opened = http::HtpasswdFile::open(path.toStdString(), m_logger);
    QVERIFY2(opened, opened ? "" : opened.error().c_str());
    m_users = std::move(*opened);
    m_authenticator = std::make_unique<http::BasicAuthenticator>("unit", *m_users, m_logger);
    QCOMPARE(m_authenticator->challenge(), "Basic realm=\"unit\"");
}

void TestBasicAuthenticator::verify_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<bool>("matches");

    const QByteArray hash = bcryptHash("s3cret");
    QVERIFY(hash.startsWith("$2b$05$"));
    QTest::newRow("right password") << "s3cret"_ba << hash << true;
    QTest::newRow("$2y$, as htpasswd -B writes it") << "s3cret"_ba
                                                    << "$2y$" + hash.mid(4) << true;
    QTest::newRow("$2a$") << "s3cret"_ba
                          << "$2a$" + hash.mid(4) << true;
    QTest::newRow("wrong password") << "s3creT"_ba << hash << false;
    QTest::newRow("empty password") << QByteArray() << hash << false;
    QTest::newRow("a NUL, then more") << QByteArray("s3cret\0x", 8) << hash << false;
    QTest::newRow("hash cut short") << "s3cret"_ba << hash.left(50) << false;
    QTest::newRow("empty hash") << "s3cret"_ba << QByteArray() << false;
}

void TestBasicAuthenticator::verify()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, hash);
    QFETCH(bool, matches);
    QCOMPARE(http::BasicAuthenticator::verify(text(password), text(hash)), matches);
}

void TestBasicAuthenticator::refusals_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("detail");

    QTest::newRow("none") << QByteArray() << u"no credentials"_s;
    QTest::newRow("malformed") << "Basic %%%%"_ba << u"not valid base64"_s;
    QTest::newRow("wrong password") << basicAuthorization("fast", "guess")
                                    << u"invalid user name or password"_s;
    QTest::newRow("unknown user") << basicAuthorization("nobody", "pw") << u"invalid user name or password"_s;
}

void TestBasicAuthenticator::refusals()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QString, detail);

    const Attempt attempt = authenticate(*m_authenticator, text(authorization));
    QVERIFY(attempt.result);
    QVERIFY(!*attempt.result);
    const auto& error = attempt.result->error();
    QCOMPARE(error.code, oci::ErrorCode::Unauthorized);
    QCOMPARE(error.message, "authentication required");
    QVERIFY2(QString::fromStdString(error.detail).contains(detail), error.detail.c_str());
}

void TestBasicAuthenticator::checksRunOffTheEventLoop()
{
    // A wrong password is never remembered, so every attempt runs bcrypt; the loop that
    // waits for it goes on with its other work.
    const Attempt attempt = authenticate(*m_authenticator, text(basicAuthorization("slow", "wrong")));
    QVERIFY(attempt.result && !*attempt.result);
    QVERIFY(attempt.timerFiredFirst);
}

void TestBasicAuthenticator::successIsRememberedUntilTheUsersChange()
{
    const std::string authorization = text(basicAuthorization("slow", "slow-password"));
    const Attempt first = authenticate(*m_authenticator, authorization);
    QVERIFY(first.result && *first.result);
    QCOMPARE(**first.result, "slow");
    QVERIFY(first.timerFiredFirst); // bcrypt ran

    // Answered from memory at once, before the 10 ms timer.
    const Attempt again = authenticate(*m_authenticator, authorization);
    QVERIFY(again.result && *again.result);
    QVERIFY(!again.timerFiredFirst);

    // New users (the same slow user, hashed anew): bcrypt runs again.
    const QString path = m_dir.filePath(u"htpasswd"_s);
    QVERIFY(writeFile(path, "slow:" + bcryptHash("slow-password", slowCost) + '\n'));
    QTRY_VERIFY_WITH_TIMEOUT(m_users->current().users->size() == 1, 5000);
    const Attempt afterChange = authenticate(*m_authenticator, authorization);
    QVERIFY(afterChange.result && *afterChange.result);
    QVERIFY(afterChange.timerFiredFirst);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestBasicAuthenticator)
#include "TestBasicAuthenticator.moc"
