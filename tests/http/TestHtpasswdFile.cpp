// htpasswd files: which lines are users, which are refused and how the error names the
// line; and a running server's copy following the file as an operator edits it.

#include "http/HtpasswdFile.h"

#include <QFile>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

// The form of a bcrypt hash; the parser never verifies one.
const QByteArray hash = "$2y$05$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234"_ba;

QStringList userNames(const http::HtpasswdUsers& users)
{
    QStringList names;
    for (const auto& [user, userHash] : users)
        names.append(QString::fromStdString(user));
    return names;
}

void writeFile(const QString& path, const QByteArray& contents)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(contents), contents.size());
}

// What a Logger wrote to a temporary file.
QByteArray logged(std::FILE* file)
{
    std::fflush(file);
    std::rewind(file);
    QByteArray text;
    char buffer[4096];
    while (const auto count = std::fread(buffer, 1, sizeof buffer, file))
        text.append(buffer, static_cast<qsizetype>(count));
    return text;
}

} // namespace

class TestHtpasswdFile : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void openNamesAMissingFile();
    void openNamesAMalformedLine();
    void followsTheFile();
    void keepsTheLastGoodUsers();

private:
    QTemporaryDir m_dir;
};

void TestHtpasswdFile::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("users");
    QTest::addColumn<QString>("error"); // empty: parses

    const QByteArray fiftyNine = hash.left(59);
    QTest::newRow("one user") << "alice:" + hash + '\n' << QStringList{u"alice"_s} << QString();
    QTest::newRow("no final line break") << "alice:" + hash << QStringList{u"alice"_s} << QString();
    QTest::newRow("empty file") << QByteArray() << QStringList() << QString();
    QTest::newRow("comments and blank lines")
        << "# team\n\nalice:" + hash + "\n   \n  # an indented comment\nbob:" + hash
        << QStringList{u"alice"_s, u"bob"_s} << QString();
    QTest::newRow("CRLF and surrounding spaces") << "  alice:" + hash + " \r\n\tbob:" + hash + "\r\n"
                                                 << QStringList{u"alice"_s, u"bob"_s} << QString();
    QTest::newRow("$2a$ and $2b$") << "a:$2a$" + hash.mid(4) + "\nb:$2b$" + hash.mid(4)
                                   << QStringList{u"a"_s, u"b"_s} << QString();
    QTest::newRow("a later line for a user wins")
        << "alice:" + hash + "\nalice:" + hash << QStringList{u"alice"_s} << QString();
    QTest::newRow("no colon") << "alice:" + hash + "\nbob\n"
                              << QStringList()
                              << u"users.htpasswd line 2: expected user:hash, found no ':'"_s;
    QTest::newRow("empty user name") << "\n:" + hash << QStringList()
                                     << u"users.htpasswd line 2: empty user name"_s;
    QTest::newRow("line numbers count comments")
        << "# a\n\n# b\nalice:" + hash + "\ncarol:secret" << QStringList()
        << u"users.htpasswd line 5: user \"carol\": not a bcrypt hash"_s;
    QTest::newRow("plain text password") << "alice:secret"_ba << QStringList()
                                         << u"users.htpasswd line 1: user \"alice\": not a bcrypt hash"_s;
    QTest::newRow("apr1 MD5") << "alice:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/"_ba << QStringList()
                              << u"line 1: user \"alice\": not a bcrypt hash"_s;
    QTest::newRow("SHA-1") << "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="_ba << QStringList()
                           << u"line 1: user \"alice\": not a bcrypt hash"_s;
    QTest::newRow("SHA-512 crypt") << "alice:$6$salt$abc"_ba << QStringList() << u"not a bcrypt hash"_s;
    QTest::newRow("empty hash") << "alice:"_ba << QStringList() << u"not a bcrypt hash"_s;
    QTest::newRow("bcrypt cut short") << "alice:" + fiftyNine << QStringList() << u"malformed bcrypt hash"_s;
    QTest::newRow("bcrypt with a foreign character")
        << "alice:" + fiftyNine + '!' << QStringList() << u"malformed bcrypt hash"_s;
    QTest::newRow("bcrypt cost out of range")
        << "alice:$2y$99$" + hash.mid(7) << QStringList() << u"bcrypt cost 99 out of range"_s;
}

void TestHtpasswdFile::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, users);
    QFETCH(QString, error);

    const auto parsed =
        http::parseHtpasswd(std::string_view(text.constData(), std::size_t(text.size())), "users.htpasswd");
    if (error.isEmpty()) {
        QVERIFY2(parsed, parsed ? "" : parsed.error().c_str());
        QCOMPARE(userNames(*parsed), users);
        for (const auto& [user, userHash] : *parsed)
            QCOMPARE(QByteArray::fromStdString(userHash).right(53), hash.right(53));
        return;
    }
    QVERIFY(!parsed);
    const auto message = QString::fromStdString(parsed.error());
    QVERIFY2(message.contains(error), qPrintable(message));
    // A hash, good or bad, is never repeated in a message.
    QVERIFY2(!message.contains(QString::fromLatin1(hash.mid(7))), qPrintable(message));
    QVERIFY2(!message.contains(u"secret"_s), qPrintable(message));
}

void TestHtpasswdFile::openNamesAMissingFile()
{
    Logger logger(stderr);
    const auto path = m_dir.filePath(u"missing.htpasswd"_s).toStdString();
    const auto opened = http::HtpasswdFile::open(path, logger);
    QVERIFY(!opened);
    QCOMPARE(opened.error(), "cannot read htpasswd file " + path + ": No such file or directory");
}

void TestHtpasswdFile::openNamesAMalformedLine()
{
    Logger logger(stderr);
    const auto path = m_dir.filePath(u"malformed.htpasswd"_s);
    writeFile(path, "alice:" + hash + "\n\nbob:plain\n");
    const auto opened = http::HtpasswdFile::open(path.toStdString(), logger);
    QVERIFY(!opened);
    QCOMPARE(QString::fromStdString(opened.error()),
             path + u" line 3: user \"bob\": not a bcrypt hash (only $2y$, "
                    "$2b$ and $2a$ hashes are accepted; write entries with "
                    "htpasswd -B)"_s);
}

void TestHtpasswdFile::followsTheFile()
{
    Logger logger(stderr);
    const auto path = m_dir.filePath(u"follow.htpasswd"_s);
    writeFile(path, "alice:" + hash + '\n');
    auto opened = http::HtpasswdFile::open(path.toStdString(), logger);
    QVERIFY2(opened, opened ? "" : opened.error().c_str());
    auto& file = **opened;
    const auto start = std::chrono::steady_clock::now();
    const auto first = file.current(start);
    QCOMPARE(userNames(*first.users), QStringList{u"alice"_s});

    writeFile(path, "alice:" + hash + "\nbob:" + hash + '\n');
    // Looked at no more than once per checkInterval.
    QCOMPARE(file.current(start).generation, first.generation);
    const auto later = start + 2 * http::HtpasswdFile::checkInterval;
    const auto second = file.current(later);
    QCOMPARE(userNames(*second.users), (QStringList{u"alice"_s, u"bob"_s}));
    QVERIFY(second.generation > first.generation);
    // Unchanged since: the same users, the same generation.
    QCOMPARE(file.current(later + 2 * http::HtpasswdFile::checkInterval).generation, second.generation);
}

void TestHtpasswdFile::keepsTheLastGoodUsers()
{
    std::FILE* log = std::tmpfile();
    QVERIFY(log);
    Logger logger(log);
    const auto path = m_dir.filePath(u"edited.htpasswd"_s);
    writeFile(path, "alice:" + hash + '\n');
    auto opened = http::HtpasswdFile::open(path.toStdString(), logger);
    QVERIFY2(opened, opened ? "" : opened.error().c_str());
    auto& file = **opened;
    const auto start = std::chrono::steady_clock::now();
    const auto good = file.current(start);

    writeFile(path, "alice:" + hash + "\nbob\n");
    auto now = start + 2 * http::HtpasswdFile::checkInterval;
    const auto afterBadEdit = file.current(now);
    QCOMPARE(afterBadEdit.generation, good.generation);
    QCOMPARE(userNames(*afterBadEdit.users), QStringList{u"alice"_s});
    const QByteArray warning = logged(log);
    QVERIFY2(warning.contains("\"level\":\"warn\""), warning.constData());
    QVERIFY2(warning.contains(QByteArray(path.toUtf8() + " line 2: expected user:hash")),
             warning.constData());
    QVERIFY2(!warning.contains(hash.mid(7)), warning.constData());

    QFile::remove(path);
    now += 2 * http::HtpasswdFile::checkInterval;
    QCOMPARE(file.current(now).generation, good.generation);

    writeFile(path, "carol:" + hash + '\n');
    now += 2 * http::HtpasswdFile::checkInterval;
    const auto mended = file.current(now);
    QVERIFY(mended.generation > good.generation);
    QCOMPARE(userNames(*mended.users), QStringList{u"carol"_s});
    std::fclose(log);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestHtpasswdFile)
#include "TestHtpasswdFile.moc"
