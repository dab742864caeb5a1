// The log view's model: berthd's JSON lines (real ones from a running berthd, and odd
// ones) parsed into columns, a ring that keeps the newest lines, level and text filters,
// and lines added in batches rather than one by one.

#include "HttpClient.h"
#include "RegistryProcess.h"
#include "ui/LogFilterModel.h"
#include "ui/LogModel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using berth::ui::LogFilterModel;
using berth::ui::LogLevel;
using berth::ui::LogLine;
using berth::ui::LogModel;

namespace berth::test {

// Declared before any raw string literal: moc misreads some of them.
class TestLogModel : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void parsesRealBerthdLines();
    void columnsShowTheFields();
    void ringKeepsTheNewest_data();
    void ringKeepsTheNewest();
    void pendingLinesAreBounded();
    void filters_data();
    void filters();
    void filterFollowsNewLines();
    void appendsInBatches();
    void clear();
};

namespace {

const QDateTime receivedAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);

QByteArray numberedLine(int number, const char* level = "info")
{
    return R"({"time":"2026-11-27T22:01:13.135Z","level":")" + QByteArray(level) + R"(","msg":"line )" +
           QByteArray::number(number) + R"("})";
}

// A model with no timer delay worth waiting for, checked by QAbstractItemModelTester.
struct CheckedModel
{
    explicit CheckedModel(qsizetype capacity = LogModel::defaultCapacity)
        : model(capacity), filter(&model), modelTester(&model), filterTester(&filter)
    {
    }
    void append(int first, int count, const char* level = "info")
    {
        for (int number = first; number < first + count; ++number)
            model.appendLine(numberedLine(number, level));
    }
    QStringList messages() const
    {
        QStringList result;
        for (int row = 0; row < model.rowCount(); ++row)
            result.append(model.line(row).message);
        return result;
    }

    LogModel model;
    LogFilterModel filter;
    QAbstractItemModelTester modelTester;
    QAbstractItemModelTester filterTester;
};

QStringList numberedMessages(int first, int count)
{
    QStringList result;
    for (int number = first; number < first + count; ++number)
        result.append(u"line "_s + QString::number(number));
    return result;
}

} // namespace

void TestLogModel::parse_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("level");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<double>("durationMs");
    QTest::addColumn<QString>("repository");
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("details");

    const QDateTime logged(QDate(2026, 11, 27), QTime(22, 1, 13, 135), Qt::UTC);
    const auto info = static_cast<int>(LogLevel::Info);
    const auto unknown = static_cast<int>(LogLevel::Unknown);

    QTest::newRow("access log")
        << QByteArray(
               R"({"time":"2026-11-27T22:01:13.135Z","level":"info","msg":"request","request_id":"5b3a6f69-4",)"
               R"("method":"GET","path":"/v2/team/app/blobs/sha256:ab","status":200,"bytes":3000346,)"
               R"("duration_ms":1.281,"repository":"team/app","remote":"127.0.0.1:36512"})")
        << info << u"request"_s << u"GET"_s << u"/v2/team/app/blobs/sha256:ab"_s << 200 << 1.281
        << u"team/app"_s << logged << u"bytes=3000346  remote=127.0.0.1:36512  request_id=5b3a6f69-4"_s;
    QTest::newRow("listening")
        << QByteArray(
               R"({"time":"2026-11-27T22:01:13.135Z","level":"info","msg":"listening","addr":"127.0.0.1:5000"})")
        << info << u"listening"_s << QString() << QString() << 0 << -1.0 << QString() << logged
        << u"addr=127.0.0.1:5000"_s;
    QTest::newRow("server error")
        << QByteArray(R"({"time":"2026-11-27T22:01:13.135Z","level":"error","msg":"request","method":"PUT",)"
                      R"("path":"/v2/a/manifests/1","status":500,"duration_ms":0.000,"repository":"a"})")
        << static_cast<int>(LogLevel::Error) << u"request"_s << u"PUT"_s << u"/v2/a/manifests/1"_s << 500
        << 0.0 << u"a"_s << logged << QString();
    QTest::newRow("warning spelled out")
        << QByteArray(
               R"({"time":"2026-11-27T22:01:13.135Z","level":"warning","msg":"configuration","warning":"unknown key x"})")
        << static_cast<int>(LogLevel::Warn) << u"configuration"_s << QString() << QString() << 0 << -1.0
        << QString() << logged << u"warning=unknown key x"_s;
    QTest::newRow("escapes and unicode")
        << QByteArray(R"({"time":"2026-11-27T22:01:13.135Z","level":"debug","msg":"a\"b\\c\nd \u4ed3"})")
        << static_cast<int>(LogLevel::Debug) << u"a\"b\\c\nd \u4ed3"_s << QString() << QString() << 0 << -1.0
        << QString() << logged << QString();
    QTest::newRow("other value types")
        << QByteArray(
               R"({"time":"2026-11-27T22:01:13.135Z","level":"info","msg":"x","ok":true,"n":null,"list":[1,"a"],"o":{"k":2}})")
        << info << u"x"_s << QString() << QString() << 0 << -1.0 << QString() << logged
        << u"list=[1,\"a\"]  n=null  o={\"k\":2}  ok=true"_s;
    QTest::newRow("wrong types")
        << QByteArray(R"({"time":12,"level":7,"msg":"odd","method":1,"status":"200","duration_ms":"fast"})")
        << unknown << u"odd"_s << QString() << QString() << 0 << -1.0 << QString() << receivedAt << QString();
    QTest::newRow("no fields") << QByteArray("{}") << unknown << QString() << QString() << QString() << 0
                               << -1.0 << QString() << receivedAt << QString();
    QTest::newRow("carriage return") << QByteArray("{\"level\":\"info\",\"msg\":\"m\"}\r\n") << info << u"m"_s
                                     << QString() << QString() << 0 << -1.0 << QString() << receivedAt
                                     << QString();
    QTest::newRow("stderr text") << QByteArray("berthd: cannot open config.yml: No such file or directory")
                                 << unknown << u"berthd: cannot open config.yml: No such file or directory"_s
                                 << QString() << QString() << 0 << -1.0 << QString() << receivedAt
                                 << QString();
    QTest::newRow("truncated json")
        << QByteArray(R"({"time":"2026-11-27T22:01:13.135Z","level":"info","msg":"requ)") << unknown
        << QString::fromUtf8(R"({"time":"2026-11-27T22:01:13.135Z","level":"info","msg":"requ)") << QString()
        << QString() << 0 << -1.0 << QString() << receivedAt << QString();
    QTest::newRow("json array") << QByteArray(R"(["level","error"])") << unknown
                                << QString::fromUtf8(R"(["level","error"])") << QString() << QString() << 0
                                << -1.0 << QString() << receivedAt << QString();
    QTest::newRow("empty") << QByteArray() << unknown << QString() << QString() << QString() << 0 << -1.0
                           << QString() << receivedAt << QString();
    QTest::newRow("invalid utf-8") << QByteArray("bad \xff\xfe bytes") << unknown
                                   << u"bad \ufffd\ufffd bytes"_s << QString() << QString() << 0 << -1.0
                                   << QString() << receivedAt << QString();
}

void TestLogModel::parse()
{
    QFETCH(QByteArray, line);
    QFETCH(int, level);
    QFETCH(QString, message);
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(double, durationMs);
    QFETCH(QString, repository);
    QFETCH(QDateTime, time);
    QFETCH(QString, details);

    const LogLine parsed = ui::parseLogLine(line, receivedAt);
    QCOMPARE(static_cast<int>(parsed.level), level);
    QCOMPARE(parsed.message, message);
    QCOMPARE(parsed.method, method);
    QCOMPARE(parsed.path, path);
    QCOMPARE(parsed.status, status);
    QCOMPARE(parsed.durationMs, durationMs);
    QCOMPARE(parsed.repository, repository);
    QCOMPARE(parsed.time, time);
    QCOMPARE(parsed.details, details);
    QByteArray withoutNewline = line;
    while (withoutNewline.endsWith('\n') || withoutNewline.endsWith('\r'))
        withoutNewline.chop(1);
    QCOMPARE(parsed.raw, withoutNewline);
}

// Whatever a running berthd writes parses as JSON with a level, and its access log line
// for a request fills the request's columns.
void TestLogModel::parsesRealBerthdLines()
{
    RegistryProcess registry;
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    HttpClient client(registry.baseUrl());
    QCOMPARE(client.get(u"/v2/"_s).status, 200);
    QCOMPARE(client.get(u"/v2/no/such/manifests/latest"_s).status, 404);

    QList<QByteArray> lines;
    QTRY_VERIFY_WITH_TIMEOUT((lines = registry.output().split('\n')).size() > 3 &&
                                 registry.output().contains("/v2/no/such/manifests/latest"),
                             20000);
    LogModel model;
    QAbstractItemModelTester tester(&model);
    for (const auto& line : lines) {
        if (!line.isEmpty())
            model.appendLine(line);
    }
    model.flush();
    QVERIFY(model.rowCount() >= 3);

    bool sawListening = false;
    int requestsSeen = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const LogLine& line = model.line(row);
        QVERIFY2(line.level != LogLevel::Unknown, line.raw.constData());
        QVERIFY2(line.time.isValid() && line.time.timeSpec() == Qt::UTC, line.raw.constData());
        sawListening |= line.message == u"listening" && line.details.contains(u"addr=127.0.0.1:"_s);
        if (line.path == u"/v2/") {
            ++requestsSeen;
            QCOMPARE(line.method, u"GET"_s);
            QCOMPARE(line.status, 200);
            QVERIFY(line.durationMs >= 0);
        } else if (line.path == u"/v2/no/such/manifests/latest") {
            ++requestsSeen;
            QCOMPARE(line.status, 404);
            QCOMPARE(line.repository, u"no/such"_s);
            QVERIFY(line.details.contains(u"remote=127.0.0.1:"_s));
        }
    }
    QVERIFY(sawListening);
    QVERIFY(requestsSeen >= 2);
}

void TestLogModel::columnsShowTheFields()
{
    CheckedModel checked;
    checked.model.appendLine(
        R"({"time":"2026-11-27T22:01:13.135Z","level":"error","msg":"request","method":"GET","path":"/v2/",)"
        R"("status":503,"duration_ms":12.5,"repository":"team/app","bytes":12})");
    checked.model.appendLine("plain text");
    checked.model.flush();

    const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return checked.model.index(row, column).data(role);
    };
    QCOMPARE(checked.model.columnCount(), int(LogModel::ColumnCount));
    QCOMPARE(cell(0, LogModel::Time).toString(),
             QDateTime(QDate(2026, 11, 27), QTime(22, 1, 13, 135), Qt::UTC)
                 .toLocalTime()
                 .toString(u"HH:mm:ss.zzz"_s));
    QCOMPARE(cell(0, LogModel::Level).toString(), u"error"_s);
    QCOMPARE(cell(0, LogModel::Message).toString(), u"request"_s);
    QCOMPARE(cell(0, LogModel::Method).toString(), u"GET"_s);
    QCOMPARE(cell(0, LogModel::Path).toString(), u"/v2/"_s);
    QCOMPARE(cell(0, LogModel::Status).toInt(), 503);
    QCOMPARE(cell(0, LogModel::Duration).toString(), u"12.500 ms"_s);
    QCOMPARE(cell(0, LogModel::Repository).toString(), u"team/app"_s);
    QCOMPARE(cell(0, LogModel::Details).toString(), u"bytes=12"_s);
    QCOMPARE(checked.model.line(0).summary(),
             cell(0, LogModel::Time).toString().left(8) + u" error request GET /v2/ 503  bytes=12"_s);
    QCOMPARE(checked.model.line(1).summary().mid(8), u" plain text"_s);
    QVERIFY(cell(0, LogModel::Level, Qt::ForegroundRole).isValid());
    QCOMPARE(cell(1, LogModel::Message).toString(), u"plain text"_s);
    QCOMPARE(cell(1, LogModel::Level).toString(), QString());
    QVERIFY(!cell(1, LogModel::Status).isValid());
    QVERIFY(!cell(1, LogModel::Duration).isValid());
    QCOMPARE(cell(1, 0, LogModel::RawLineRole).toByteArray(), QByteArray("plain text"));
    for (int column = 0; column < LogModel::ColumnCount; ++column)
        QVERIFY(!checked.model.headerData(column, Qt::Horizontal).toString().isEmpty());
}

void TestLogModel::ringKeepsTheNewest_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<QList<int>>("batches"); // lines appended before each flush

    QTest::newRow("under capacity") << 10 << QList<int>{3, 4};
    QTest::newRow("exactly full") << 10 << QList<int>{10};
    QTest::newRow("one batch overflows") << 10 << QList<int>{25};
    QTest::newRow("later batches overflow") << 10 << QList<int>{6, 6, 6};
    QTest::newRow("one at a time") << 3 << QList<int>{1, 1, 1, 1, 1};
    QTest::newRow("capacity one") << 1 << QList<int>{2, 1};
}

void TestLogModel::ringKeepsTheNewest()
{
    QFETCH(int, capacity);
    QFETCH(QList<int>, batches);

    CheckedModel checked(capacity);
    QCOMPARE(checked.model.capacity(), capacity);
    int total = 0;
    for (int size : batches) {
        checked.append(total, size);
        total += size;
        checked.model.flush();
        const int kept = std::min(total, capacity);
        QCOMPARE(checked.model.rowCount(), kept);
        QCOMPARE(checked.messages(), numberedMessages(total - kept, kept));
        QCOMPARE(checked.filter.rowCount(), kept);
    }
}

// However long the UI does not get to flush, the queue holds at most `capacity` lines.
void TestLogModel::pendingLinesAreBounded()
{
    CheckedModel checked(100);
    checked.model.setBatchInterval(std::chrono::hours(1));
    checked.append(0, 100'000);
    checked.model.flush();
    QCOMPARE(checked.messages(), numberedMessages(99'900, 100));
}

void TestLogModel::filters_data()
{
    QTest::addColumn<int>("minimumLevel");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("shown");

    const auto debug = static_cast<int>(LogLevel::Debug);
    QTest::newRow("everything") << debug << QString()
                                << QStringList{u"d"_s, u"i"_s, u"w"_s, u"e"_s, u"text"_s};
    QTest::newRow("info and up") << static_cast<int>(LogLevel::Info) << QString()
                                 << QStringList{u"i"_s, u"w"_s, u"e"_s, u"text"_s};
    QTest::newRow("warnings and errors")
        << static_cast<int>(LogLevel::Warn) << QString() << QStringList{u"w"_s, u"e"_s, u"text"_s};
    QTest::newRow("errors") << static_cast<int>(LogLevel::Error) << QString()
                            << QStringList{u"e"_s, u"text"_s};
    QTest::newRow("path, any case") << debug << u"TEAM/App"_s << QStringList{u"i"_s};
    QTest::newRow("repository") << debug << u"other/repo"_s << QStringList{u"w"_s};
    QTest::newRow("method") << debug << u"delete"_s << QStringList{u"w"_s};
    QTest::newRow("status") << debug << u"404"_s << QStringList{u"w"_s};
    QTest::newRow("other field") << debug << u"addr=127"_s << QStringList{u"d"_s};
    QTest::newRow("level name") << debug << u"error"_s << QStringList{u"e"_s};
    QTest::newRow("stderr text") << debug << u"panic"_s << QStringList{u"text"_s};
    QTest::newRow("text and level") << static_cast<int>(LogLevel::Warn) << u"/v2/"_s << QStringList{u"w"_s};
    QTest::newRow("nothing") << debug << u"no such text"_s << QStringList{};
}

void TestLogModel::filters()
{
    QFETCH(int, minimumLevel);
    QFETCH(QString, text);
    QFETCH(QStringList, shown);

    CheckedModel checked;
    checked.model.appendLine(R"({"level":"debug","msg":"d","addr":"127.0.0.1:5000"})");
    checked.model.appendLine(
        R"({"level":"info","msg":"i","method":"GET","path":"/v2/team/app/tags/list","status":200})");
    checked.model.appendLine(
        R"({"level":"warn","msg":"w","method":"DELETE","path":"/v2/x","status":404,"repository":"other/repo"})");
    checked.model.appendLine(R"({"level":"error","msg":"e"})");
    checked.model.appendLine("text: panic in handler");
    checked.model.flush();

    checked.filter.setMinimumLevel(static_cast<LogLevel>(minimumLevel));
    checked.filter.setText(text);
    QStringList messages;
    for (int row = 0; row < checked.filter.rowCount(); ++row)
        messages.append(checked.filter.index(row, LogModel::Message).data().toString().section(u' ', 0, 0));
    if (!shown.isEmpty() && shown.last() == u"text")
        shown.last() = u"text:"_s;
    QCOMPARE(messages, shown);
}

// New lines that match pass the filter as they arrive; lines the ring drops leave it.
void TestLogModel::filterFollowsNewLines()
{
    CheckedModel checked(4);
    checked.filter.setMinimumLevel(LogLevel::Warn);
    checked.append(0, 2, "info");
    checked.append(2, 2, "error");
    checked.model.flush();
    QCOMPARE(checked.filter.rowCount(), 2);
    checked.append(4, 2, "info");
    checked.model.flush();
    QCOMPARE(checked.filter.rowCount(), 2);
    checked.append(6, 1, "info");
    checked.model.flush();
    QCOMPARE(checked.filter.rowCount(), 1);
    QCOMPARE(checked.filter.index(0, LogModel::Message).data().toString(), u"line 3"_s);
}

// A burst of lines reaches the view as a few insertions, not one per line, and in time.
// No model tester here: the timing is the model's and the filter's alone, as in the page.
void TestLogModel::appendsInBatches()
{
    LogModel model;
    LogFilterModel filter(&model);
    model.setBatchInterval(std::chrono::milliseconds(50));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    constexpr int burst = 20'000;

    QElapsedTimer timer;
    timer.start();
    for (int number = 0; number < burst; ++number)
        model.appendLine(numberedLine(number));
    const qint64 queueMs = timer.elapsed();
    QCOMPARE(model.rowCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), burst, 10000);
    qInfo("%d lines: queued in %lld ms, shown after %lld ms in %lld insertion(s)", burst, queueMs,
          timer.elapsed(), static_cast<long long>(inserted.count()));
    QVERIFY(inserted.count() <= 3);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(filter.rowCount(), burst);
    QCOMPARE(model.line(burst - 1).message, u"line 19999"_s);
}

void TestLogModel::clear()
{
    CheckedModel checked;
    checked.append(0, 5);
    checked.model.flush();
    checked.append(5, 5); // still queued: cleared too
    checked.model.clear();
    QCOMPARE(checked.model.rowCount(), 0);
    checked.model.flush();
    QCOMPARE(checked.model.rowCount(), 0);
    checked.append(10, 1);
    checked.model.flush();
    QCOMPARE(checked.messages(), QStringList{u"line 10"_s});
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestLogModel)
#include "TestLogModel.moc"
