// CredentialStore against a real Secret Service: CTest runs this binary in a private D-Bus
// session with a fresh, unlocked gnome-keyring in a temporary HOME (berth_add_test's KEYRING).
// Every secret written is read back by a second store and by libsecret's secret-tool, so the
// test fails unless the keychain really holds it; nothing may reach a file in plain text.

#include "CommandRunner.h"
#include "app/CredentialStore.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

constexpr int keychainTimeoutMs = 30000;

struct ReadResult
{
    Credentials credentials;
    QString error;
    bool answered = false;
};

} // namespace

class TestCredentialStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void roundTrip_data();
    void roundTrip();
    void missingEntryReadsEmpty();
    void overwrite();
    void registriesAreApart();
    void sameRegistrySpelledDifferently();
    void remove();
    void removeMissingEntry();
    void deadContextGetsNoAnswer();
    void noPlainTextOnDisk();

private:
    // Each call uses a store of its own: what one store wrote, another must read.
    QString write(const QUrl& registry, const Credentials& credentials);
    ReadResult read(const QUrl& registry);
    QString remove(const QUrl& registry);
    // What libsecret holds for the registry, as secret-tool prints it; nullopt if nothing.
    std::optional<QByteArray> secretToolLookup(const QUrl& registry) const;
    QUrl uniqueRegistry() const;

    QString m_service;
};

void TestCredentialStore::initTestCase()
{
    if (QStandardPaths::findExecutable(u"secret-tool"_s).isEmpty())
        QFAIL("secret-tool is missing (Debian package libsecret-tools)");
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("no D-Bus session: run this test through CTest, which starts one with gnome-keyring");
    // A service of this run's own, so that runs and other programs' entries stay apart.
    m_service = u"berth-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QUrl TestCredentialStore::uniqueRegistry() const
{
    return QUrl(u"https://registry-%1.example.com:5000"_s.arg(QUuid::createUuid().toString(QUuid::Id128)));
}

QString TestCredentialStore::write(const QUrl& registry, const Credentials& credentials)
{
    CredentialStore store(m_service);
    std::optional<QString> error;
    store.write(registry, credentials, this, [&error](const QString& message) { error = message; });
    if (!QTest::qWaitFor([&error] { return error.has_value(); }, keychainTimeoutMs))
        return u"the keychain did not answer a write"_s;
    return *error;
}

ReadResult TestCredentialStore::read(const QUrl& registry)
{
    CredentialStore store(m_service);
    ReadResult result;
    store.read(registry, this, [&result](const Credentials& credentials, const QString& error) {
        result = {credentials, error, true};
    });
    if (!QTest::qWaitFor([&result] { return result.answered; }, keychainTimeoutMs))
        result.error = u"the keychain did not answer a read"_s;
    return result;
}

QString TestCredentialStore::remove(const QUrl& registry)
{
    CredentialStore store(m_service);
    std::optional<QString> error;
    store.remove(registry, this, [&error](const QString& message) { error = message; });
    if (!QTest::qWaitFor([&error] { return error.has_value(); }, keychainTimeoutMs))
        return u"the keychain did not answer a removal"_s;
    return *error;
}

std::optional<QByteArray> TestCredentialStore::secretToolLookup(const QUrl& registry) const
{
    // QtKeychain's libsecret schema: "server" is the service, "user" the key.
    const test::FinishedCommand lookup = test::runCommand(
        u"secret-tool"_s, {u"lookup"_s, u"server"_s, m_service, u"user"_s, registry.toString()},
        keychainTimeoutMs);
    if (!lookup.succeeded())
        return std::nullopt;
    return lookup.out;
}

void TestCredentialStore::roundTrip_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("secret");

    QTest::newRow("password") << u"alice"_s << u"correct horse battery staple"_s;
    QTest::newRow("identity token, no username") << QString() << u"eyJhbGciOiJSUzI1NiJ9.e30.c2ln"_s;
    QTest::newRow("quotes, backslashes, newline") << u"o'brien"_s << u"a\"b\\c\nd"_s;
    QTest::newRow("not ascii") << u"j\u00fcrgen"_s << u"\u5bc6\u7801-\u00e9t\u00e9-\U0001F511"_s;
    QTest::newRow("username only") << u"bob"_s << QString();
}

void TestCredentialStore::roundTrip()
{
    QFETCH(QString, username);
    QFETCH(QString, secret);
    const QUrl registry = uniqueRegistry();
    const Credentials credentials{username, secret};
    QCOMPARE(write(registry, credentials), QString());

    const ReadResult back = read(registry);
    QCOMPARE(back.error, QString());
    QCOMPARE(back.credentials.username, username);
    QCOMPARE(back.credentials.secret, secret);

    // The Secret Service itself holds it, not some fallback inside the process.
    const std::optional<QByteArray> stored = secretToolLookup(registry);
    QVERIFY2(stored.has_value(), "secret-tool finds no entry for the registry");
    const QJsonObject entry = QJsonDocument::fromJson(*stored).object();
    QCOMPARE(entry.value("username"_L1).toString(), username);
    QCOMPARE(entry.value("secret"_L1).toString(), secret);
}

void TestCredentialStore::missingEntryReadsEmpty()
{
    const ReadResult result = read(uniqueRegistry());
    QCOMPARE(result.error, QString());
    QVERIFY(result.credentials.isEmpty());
}

void TestCredentialStore::overwrite()
{
    const QUrl registry = uniqueRegistry();
    QCOMPARE(write(registry, {u"alice"_s, u"old"_s}), QString());
    QCOMPARE(write(registry, {u"alice"_s, u"new"_s}), QString());
    const ReadResult back = read(registry);
    QCOMPARE(back.error, QString());
    QCOMPARE(back.credentials, (Credentials{u"alice"_s, u"new"_s}));
}

void TestCredentialStore::registriesAreApart()
{
    const QUrl first = uniqueRegistry();
    const QUrl second = uniqueRegistry();
    QCOMPARE(write(first, {u"alice"_s, u"one"_s}), QString());
    QCOMPARE(write(second, {u"bob"_s, u"two"_s}), QString());
    QCOMPARE(read(first).credentials, (Credentials{u"alice"_s, u"one"_s}));
    QCOMPARE(read(second).credentials, (Credentials{u"bob"_s, u"two"_s}));
}

void TestCredentialStore::sameRegistrySpelledDifferently()
{
    const QString host = u"registry-%1.example.com"_s.arg(QUuid::createUuid().toString(QUuid::Id128));
    QCOMPARE(write(QUrl(u"https://"_s + host + u":443/"_s), {u"alice"_s, u"s3cret"_s}), QString());
    QCOMPARE(read(QUrl(u"https://"_s + host.toUpper())).credentials, (Credentials{u"alice"_s, u"s3cret"_s}));
    // Another port is another registry.
    QVERIFY(read(QUrl(u"https://"_s + host + u":5000"_s)).credentials.isEmpty());
}

void TestCredentialStore::remove()
{
    const QUrl registry = uniqueRegistry();
    QCOMPARE(write(registry, {u"alice"_s, u"s3cret"_s}), QString());
    QVERIFY(secretToolLookup(registry).has_value());
    QCOMPARE(remove(registry), QString());
    const ReadResult back = read(registry);
    QCOMPARE(back.error, QString());
    QVERIFY(back.credentials.isEmpty());
    QVERIFY2(!secretToolLookup(registry).has_value(), "secret-tool still finds the entry");
}

void TestCredentialStore::removeMissingEntry()
{
    QCOMPARE(remove(uniqueRegistry()), QString());
}

void TestCredentialStore::deadContextGetsNoAnswer()
{
    const QUrl registry = uniqueRegistry();
    QCOMPARE(write(registry, {u"alice"_s, u"s3cret"_s}), QString());

    CredentialStore store(m_service);
    bool deadAnswered = false;
    auto context = std::make_unique<QObject>();
    store.read(registry, context.get(),
               [&deadAnswered](const Credentials&, const QString&) { deadAnswered = true; });
    context.reset();
    // A read started after it answers after it, on the same keychain connection.
    bool liveAnswered = false;
    store.read(registry, this, [&liveAnswered](const Credentials&, const QString&) { liveAnswered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(liveAnswered, keychainTimeoutMs);
    QTest::qWait(200); // a late answer to the dead context would come now
    QVERIFY(!deadAnswered);
}

void TestCredentialStore::noPlainTextOnDisk()
{
    const QString home = QDir::homePath();
    if (!home.startsWith(QDir::tempPath()))
        QSKIP("HOME is not a temporary directory (run through CTest to check the files)");
    const QString secret = u"plain-text-canary-"_s + QUuid::createUuid().toString(QUuid::Id128);
    QCOMPARE(write(uniqueRegistry(), {u"alice"_s, secret}), QString());

    int files = 0;
    for (QDirIterator it(home, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories); it.hasNext();) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        ++files;
        QVERIFY2(!file.readAll().contains(secret.toUtf8()),
                 qPrintable(file.fileName() + u" holds the secret"_s));
    }
    QVERIFY2(files > 0, "the keyring wrote no file under HOME");
}

} // namespace berth::app

QTEST_GUILESS_MAIN(berth::app::TestCredentialStore)
#include "TestCredentialStore.moc"
