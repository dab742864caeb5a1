// berthd's log lines: one JSON object per line whatever a client puts in a path or
// message, since the console and operators' tools parse them line by line.

#include "support/Logger.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

class TestLogger : public QObject
{
    Q_OBJECT

private slots:
    void oneJsonObjectPerLine_data();
    void oneJsonObjectPerLine();
    void fieldTypes();
    void levels_data();
    void levels();
};

void TestLogger::oneJsonObjectPerLine_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("plain") << QByteArray("GET /v2/");
    QTest::newRow("quotes and backslashes") << QByteArray(R"(a "quoted" \path\)");
    QTest::newRow("newline injection") << QByteArray("/v2/x\n{\"level\":\"error\",\"msg\":\"forged\"}");
    QTest::newRow("carriage return and tab") << QByteArray("a\rb\tc");
    QTest::newRow("control bytes") << QByteArray("a\x01\x1f" "b");
    QTest::newRow("utf-8") << QByteArray("r\xc3\xa9pertoire/\xe4\xbb\x93\xe5\xba\x93");
}

void TestLogger::oneJsonObjectPerLine()
{
    QFETCH(QByteArray, text);
    const std::string_view value(text.constData(), static_cast<std::size_t>(text.size()));
    const auto line = Logger::formatLine(LogLevel::Info, value, {{"path", value}});

    QVERIFY(line.ends_with('\n'));
    QCOMPARE(std::count(line.begin(), line.end(), '\n'), 1);
    QJsonParseError error;
    const auto document = QJsonDocument::fromJson(QByteArray::fromStdString(line), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject object = document.object();
    QCOMPARE(object.value("msg"_L1).toString(), QString::fromUtf8(text));
    QCOMPARE(object.value("path"_L1).toString(), QString::fromUtf8(text));
    QCOMPARE(object.value("level"_L1).toString(), u"info"_s);
    QVERIFY(object.value("time"_L1).toString().endsWith(u'Z'));
}

void TestLogger::fieldTypes()
{
    const auto line = Logger::formatLine(LogLevel::Warn, "request",
                                         {{"status", 404}, {"bytes", std::uint64_t{1} << 40}, {"duration_ms", 1.5},
                                          {"keep_alive", true}, {"repository", std::string("team/app")}});
    const QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
    QCOMPARE(object.value("status"_L1).toInt(), 404);
    QCOMPARE(object.value("bytes"_L1).toDouble(), double(std::uint64_t{1} << 40));
    QCOMPARE(object.value("duration_ms"_L1).toDouble(), 1.5);
    QCOMPARE(object.value("keep_alive"_L1).toBool(), true);
    QCOMPARE(object.value("repository"_L1).toString(), u"team/app"_s);
}

void TestLogger::levels_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("known");
    for (const char* name : {"debug", "info", "warn", "warning", "error"})
        QTest::newRow(name) << QByteArray(name) << true;
    QTest::newRow("upper case") << QByteArray("INFO") << false;
    QTest::newRow("unknown") << QByteArray("verbose") << false;
}

void TestLogger::levels()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, known);
    const auto level = parseLogLevel(name.toStdString());
    QCOMPARE(level.has_value(), known);
    if (level && name != "warning")
        QCOMPARE(QByteArray::fromStdString(std::string(toString(*level))), name);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestLogger)
#include "TestLogger.moc"
