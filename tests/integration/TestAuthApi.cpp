// HTTP Basic authentication with an htpasswd file (auth.htpasswd), against a real registry:
// berthd, or CNCF Distribution with BERTH_TEST_REGISTRY=distribution. Every /v2/ request
// without valid credentials gets 401, a Basic challenge and UNAUTHORIZED, decided before a
// body is read; good credentials push and pull; users added to the file log in without a
// restart; and berthd refuses htpasswd files it cannot use, naming the line.

#include "CommandRunner.h"
#include "Htpasswd.h"
#include "RegistryFixtures.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <tuple>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

const QByteArray realm = "berth-test-realm"_ba;
const QByteArray challenge = "Basic realm=\"berth-test-realm\""_ba;
const QByteArray user = "alice"_ba;
const QByteArray password = "through-the-looking-glass"_ba;

} // namespace

class TestAuthApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void refusedWithoutValidCredentials_data();
    void refusedWithoutValidCredentials();
    void pushAndPullWithCredentials();
    void accessLogNamesTheUser();
    void bodyOfARefusedPatchIsNeverRead();
    void usersFollowTheFile();
    void healthNeedsNoCredentials();
    void configCheckRefusesUnusableFiles_data();
    void configCheckRefusesUnusableFiles();

private:
    QString htpasswdPath() const { return m_dir.filePath(u"htpasswd"_s); }
    // GET /v2/ with these credentials on a fresh client.
    int baseStatus(const QByteArray& name, const QByteArray& secret);

    QTemporaryDir m_dir;
    TestRegistry m_registry;
    std::unique_ptr<HttpClient> m_client; // sends alice's credentials
    QString m_repository;
    Image m_image;
};

void TestAuthApi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QByteArray entry = htpasswdLine(user, password);
    QVERIFY2(entry.startsWith(QByteArray(user + ":$2b$05$")), entry.constData());
    QVERIFY(writeFile(htpasswdPath(), "# test users\n\n" + entry));
    QVERIFY2(m_registry.start(htpasswdConfig(realm, htpasswdPath())), qPrintable(m_registry.errorString()));
    m_client = std::make_unique<HttpClient>(m_registry.process().baseUrl());
    m_client->setDefaultHeaders({{"Authorization", basicAuthorization(user, password)}});

    m_repository = uniqueRepository(u"auth"_s);
    m_image = makeImage();
    QCOMPARE(pushImage(*m_client, m_repository, m_image, u"v1"_s), QString());
}

void TestAuthApi::cleanup()
{
    // The server is still up and still lets alice in.
    const int status = baseStatus(user, password);
    if (status != 200 || QTest::currentTestFailed())
        printOutputTail(m_registry.process());
    QCOMPARE(status, 200);
}

int TestAuthApi::baseStatus(const QByteArray& name, const QByteArray& secret)
{
    HttpClient client(m_registry.process().baseUrl());
    return client.get(u"/v2/"_s, {{"Authorization", basicAuthorization(name, secret)}}).status;
}

void TestAuthApi::refusedWithoutValidCredentials_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("authorization"); // empty: none sent

    // Content that is there, so a 401 is not a 404 in disguise.
    const QList<std::tuple<const char*, QByteArray, QString, QByteArray>> requests{
        {"GET /v2/", "GET", u"/v2/"_s, {}},
        {"HEAD blob", "HEAD", blobPath(m_repository, sha256Digest(m_image.layers.first())), {}},
        {"POST upload", "POST", uploadsPath(m_repository), {}},
        {"PUT manifest", "PUT", manifestPath(m_repository, u"v2"_s), m_image.manifest},
    };
    const QList<std::pair<const char*, QByteArray>> credentials{
        {"no credentials", {}},
        {"wrong password", basicAuthorization(user, "guessed")},
        {"password differing in case", basicAuthorization(user, password.toUpper())},
        {"unknown user", basicAuthorization("mallory", password)},
        {"bearer token", "Bearer eyJhbGciOiJub25lIn0.e30."_ba},
        {"bad base64", "Basic !!not-base64!!"_ba},
        {"no colon", "Basic " + QByteArray(user + password).toBase64()},
        {"absurdly long", basicAuthorization(user, QByteArray(20000, 'x'))},
    };
    for (const auto& [requestName, method, path, body] : requests) {
        for (const auto& [credentialName, authorization] : credentials)
            QTest::addRow("%s, %s", requestName, credentialName) << method << path << body << authorization;
    }
}

void TestAuthApi::refusedWithoutValidCredentials()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, authorization);

    HttpClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization"_ba, authorization});
    if (method == "PUT")
        headers.append({"Content-Type"_ba, QByteArray(media::OciManifest.latin1())});
    const HttpResponse response = m_registry.client().send(method, path, body, headers);
    QVERIFY2(response.status == 401, qPrintable(response.describe()));
    QCOMPARE(response.header("WWW-Authenticate"), challenge);
    if (method != "HEAD")
        QCOMPARE(response.errorCode(), "UNAUTHORIZED"_ba);
    // Nothing of the refused push became visible.
    if (method == "PUT")
        QCOMPARE(m_client->head(path).status, 404);
}

void TestAuthApi::pushAndPullWithCredentials()
{
    QCOMPARE(m_client->get(u"/v2/"_s).status, 200);
    const HttpClient::Headers accept{{"Accept"_ba, QByteArray(media::OciManifest.latin1())}};
    const HttpResponse manifest = m_client->get(manifestPath(m_repository, u"v1"_s), accept);
    QVERIFY2(manifest.status == 200, qPrintable(manifest.describe()));
    QCOMPARE(manifest.body, m_image.manifest);
    const HttpResponse layer = m_client->get(blobPath(m_repository, sha256Digest(m_image.layers.first())));
    QVERIFY2(layer.status == 200, qPrintable(layer.describe()));
    QCOMPARE(layer.body, m_image.layers.first());
    const HttpResponse tags = m_client->get(u"/v2/%1/tags/list"_s.arg(m_repository));
    QVERIFY2(tags.status == 200, qPrintable(tags.describe()));
    // The same credentials again, as clients send them with every request.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(m_client->head(manifestPath(m_repository, u"v1"_s), accept).status, 200);
}

// berthd's access log says whom a request authenticated as, and names nobody for a refused one.
void TestAuthApi::accessLogNamesTheUser()
{
    if (m_registry.isReference())
        QSKIP("Distribution's access log is a format of its own");
    const QString path = u"/v2/%1/tags/list"_s.arg(uniqueRepository(u"logged"_s));
    QCOMPARE(m_client->get(path).status, 404); // alice's, for a repository that does not exist
    QCOMPARE(m_registry.client().get(path).status, 401);

    QList<QJsonObject> lines;
    const auto logged = [&] {
        lines.clear();
        for (const QByteArray& line : m_registry.process().output().split('\n')) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            if (object.value("msg"_L1) == "request"_L1 && object.value("path"_L1) == path)
                lines.append(object);
        }
        return lines.size() == 2;
    };
    QTRY_VERIFY_WITH_TIMEOUT(logged(), 10000);
    QCOMPARE(lines.at(0).value("status"_L1).toInt(), 404);
    QCOMPARE(lines.at(0).value("user"_L1).toString(), QString::fromLatin1(user));
    QCOMPARE(lines.at(1).value("status"_L1).toInt(), 401);
    QVERIFY2(!lines.at(1).contains("user"_L1), "a refused request names a user");
}

void TestAuthApi::bodyOfARefusedPatchIsNeverRead()
{
    const QString repo = uniqueRepository(u"auth"_s);
    const HttpResponse started = m_client->send("POST", uploadsPath(repo));
    QVERIFY2(started.status == 202, qPrintable(started.describe()));
    const QByteArray target = requestTarget(*m_client, started.header("Location"));
    const QByteArray data = randomBytes(1 << 20);

    // Asked to confirm before the body, the server refuses on the headers alone.
    RawConnection connection;
    QVERIFY(connection.connectTo(m_registry.port()));
    QVERIFY(connection.write(rawRequest("PATCH", target, m_registry.process().hostPort(),
                                        {{"Authorization", basicAuthorization(user, "guessed")},
                                         {"Content-Type", "application/octet-stream"},
                                         {"Content-Length", QByteArray::number(data.size())},
                                         {"Expect", "100-continue"}})));
    const HttpResponse refused = connection.readResponse(10000);
    QVERIFY2(refused.status == 401, qPrintable(refused.describe()));
    QCOMPARE(refused.header("WWW-Authenticate"), challenge);
    QCOMPARE(refused.errorCode(), "UNAUTHORIZED"_ba);
    connection.close();

    // A client that sends the body at once is refused just the same.
    const HttpResponse pushed =
        m_registry.client().send("PATCH", QString::fromUtf8(target), data,
                                 {{"Authorization", basicAuthorization("mallory", password)}});
    QVERIFY2(pushed.status == 401 || pushed.status == 0, qPrintable(pushed.describe()));

    // Not one byte reached the upload, which still takes alice's body.
    const HttpResponse status = m_client->get(QString::fromUtf8(target));
    QVERIFY2(status.status == 204, qPrintable(status.describe()));
    QCOMPARE(status.header("Range"), "0-0"_ba);
    const HttpResponse patched = m_client->send("PATCH", QString::fromUtf8(target), data);
    QVERIFY2(patched.status == 202, qPrintable(patched.describe()));
    QCOMPARE(patched.header("Range"), "0-" + QByteArray::number(data.size() - 1));
}

void TestAuthApi::usersFollowTheFile()
{
    const QByteArray original = htpasswdLine(user, password);
    const auto restore = qScopeGuard([&] { writeFile(htpasswdPath(), original); });
    QCOMPARE(baseStatus("bob", "first"), 401);

    // Added while the registry runs: bob gets in within a few seconds, alice stays in.
    QVERIFY(writeFile(htpasswdPath(), original + htpasswdLine("bob", "first")));
    QTRY_COMPARE_WITH_TIMEOUT(baseStatus("bob", "first"), 200, 15000);
    QCOMPARE(baseStatus(user, password), 200);

    // A new password: the old one, though it passed a moment ago, stops working.
    QVERIFY(writeFile(htpasswdPath(), original + htpasswdLine("bob", "second")));
    QTRY_COMPARE_WITH_TIMEOUT(baseStatus("bob", "second"), 200, 15000);
    QCOMPARE(baseStatus("bob", "first"), 401);

    if (m_registry.isReference())
        return; // Distribution reads a malformed file as it is; berthd keeps the users it had
    QVERIFY(writeFile(htpasswdPath(), original + "bob:plain-text\n"));
    // The file is looked at when a request comes.
    const auto warned = [this] {
        return baseStatus("bob", "second") == 200 &&
               m_registry.process().output().contains("htpasswd file not read again");
    };
    QTRY_VERIFY_WITH_TIMEOUT(warned(), 15000);
    QVERIFY(!m_registry.process().output().contains("plain-text"));
}

void TestAuthApi::healthNeedsNoCredentials()
{
    if (m_registry.isReference())
        QSKIP("Distribution has no /healthz on its registry port");
    QCOMPARE(m_registry.client().get(u"/healthz"_s).status, 200);
}

void TestAuthApi::configCheckRefusesUnusableFiles_data()
{
    QTest::addColumn<QByteArray>("htpasswd"); // null: no file
    QTest::addColumn<QByteArray>("realmValue");
    QTest::addColumn<QStringList>("expected"); // in what berthd prints

    const QByteArray good = htpasswdLine(user, password);
    QTest::newRow("missing file") << QByteArray() << realm
                                  << QStringList{u"auth.htpasswd.path"_s, u"no such file"_s};
    QTest::newRow("non-bcrypt entry")
        << good + "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n"
        << realm << QStringList{u"auth.htpasswd.path"_s, u"line 2"_s, u"\"bob\""_s, u"not a bcrypt hash"_s};
    QTest::newRow("line without a colon") << "# users\n" + good + "carol\n"
                                          << realm << QStringList{u"line 3"_s, u"expected user:hash"_s};
    QTest::newRow("empty realm") << good << "\"\""_ba
                                 << QStringList{u"auth.htpasswd.realm"_s, u"must not be empty"_s};
}

void TestAuthApi::configCheckRefusesUnusableFiles()
{
    QFETCH(QByteArray, htpasswd);
    QFETCH(QByteArray, realmValue);
    QFETCH(QStringList, expected);
    if (m_registry.isReference())
        QSKIP("config check is berthd's command");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString usersPath = dir.filePath(u"users"_s);
    if (!htpasswd.isNull())
        QVERIFY(writeFile(usersPath, htpasswd));
    const QString configPath = dir.filePath(u"config.yml"_s);
    QVERIFY(writeFile(configPath,
                      "version: 0.1\nstorage:\n  inmemory: {}\n" + htpasswdConfig(realmValue, usersPath)));

    const FinishedCommand check =
        runCommand(RegistryProcess::berthdPath(), {u"config"_s, u"check"_s, configPath}, 30000);
    QVERIFY2(check.exited && check.exitCode == 1, qPrintable(check.describe()));
    const QString printed = QString::fromUtf8(check.err);
    for (const QString& text : expected)
        QVERIFY2(printed.contains(text), qPrintable(check.describe()));
    for (const QByteArray& line : htpasswd.split('\n')) { // never a hash
        const QByteArray hash = line.mid(line.indexOf(':') + 1);
        QVERIFY2(hash.size() < 8 || !check.err.contains(hash), qPrintable(printed));
    }

    // `serve` refuses to start on it in the same words.
    const FinishedCommand serve = runCommand(RegistryProcess::berthdPath(), {u"serve"_s, configPath}, 30000);
    QVERIFY2(serve.exited && serve.exitCode == 1, qPrintable(serve.describe()));
    for (const QString& text : expected)
        QVERIFY2(QString::fromUtf8(serve.err).contains(text), qPrintable(serve.describe()));
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestAuthApi)
#include "TestAuthApi.moc"
