// Metrics as Prometheus reads them: the exact text of counters, label escaping, latency
// buckets that are cumulative and end in +Inf = _count, the in-flight gauge, sizes.

#include "http/Metrics.h"

#include <QStringList>
#include <QTest>
#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace berth::test {

namespace {

using http::Endpoint;
using http::MeteredRequest;
using http::Metrics;

const auto started = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'250));

MeteredRequest request(Endpoint endpoint, std::string_view method, unsigned status,
                       std::chrono::nanoseconds duration = 1ms)
{
    MeteredRequest request;
    request.endpoint = endpoint;
    request.method = method;
    request.status = status;
    request.duration = duration;
    return request;
}

void record(Metrics& metrics, const MeteredRequest& request)
{
    metrics.started(request.endpoint);
    metrics.finished(request);
}

// The lines of one metric family: its # HELP and # TYPE, then its samples.
QStringList family(const Metrics& metrics, const QString& name)
{
    QStringList lines;
    bool inFamily = false;
    for (const auto& line : QString::fromStdString(metrics.render()).split(u'\n', Qt::SkipEmptyParts)) {
        if (line.startsWith(u"# HELP "))
            inFamily = line.startsWith(u"# HELP " + name + u' ');
        if (inFamily)
            lines.append(line);
    }
    return lines;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void requestsCountedPerLabels();
    void nothingRecordedShowsNoSeries();
    void methodsAndStatuses_data();
    void methodsAndStatuses();
    void latencyBucketsAreCumulative();
    void latencyBucketBounds_data();
    void latencyBucketBounds();
    void inFlightGauge();
    void sizes();
    void escapeLabelValue_data();
    void escapeLabelValue();
    void buildInfoAndStartTime();
};

void TestMetrics::requestsCountedPerLabels()
{
    Metrics metrics("1.0", started);
    record(metrics, request(Endpoint::Manifest, "GET", 200));
    record(metrics, request(Endpoint::Blob, "HEAD", 404));
    record(metrics, request(Endpoint::Manifest, "GET", 200));
    record(metrics, request(Endpoint::UploadStart, "POST", 202));

    QCOMPARE(family(metrics, u"registry_http_requests_total"_s),
             QStringList({
                 u"# HELP registry_http_requests_total Total number of HTTP requests made."_s,
                 u"# TYPE registry_http_requests_total counter"_s,
                 u"registry_http_requests_total{code=\"200\",handler=\"manifest\",method=\"get\"} 2"_s,
                 u"registry_http_requests_total{code=\"404\",handler=\"blob\",method=\"head\"} 1"_s,
                 u"registry_http_requests_total{code=\"202\",handler=\"blob_upload\",method=\"post\"} 1"_s,
             }));
}

void TestMetrics::nothingRecordedShowsNoSeries()
{
    const Metrics metrics("1.0", started);
    QCOMPARE(family(metrics, u"registry_http_requests_total"_s).size(), 2);
    QCOMPARE(family(metrics, u"registry_http_request_duration_seconds"_s).size(), 2);
    QCOMPARE(family(metrics, u"registry_http_response_size_bytes"_s).size(), 2);
}

void TestMetrics::methodsAndStatuses_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<unsigned>("status");
    QTest::addColumn<QString>("labels");

    QTest::newRow("PUT 201") << u"PUT"_s << 201u << u"code=\"201\",handler=\"tags\",method=\"put\""_s;
    QTest::newRow("PATCH 416") << u"PATCH"_s << 416u << u"code=\"416\",handler=\"tags\",method=\"patch\""_s;
    QTest::newRow("DELETE 202") << u"DELETE"_s << 202u
                                << u"code=\"202\",handler=\"tags\",method=\"delete\""_s;
    QTest::newRow("OPTIONS 405") << u"OPTIONS"_s << 405u
                                 << u"code=\"405\",handler=\"tags\",method=\"options\""_s;
    QTest::newRow("unknown method") << u"BREW"_s << 501u
                                    << u"code=\"501\",handler=\"tags\",method=\"other\""_s;
    QTest::newRow("lowest status") << u"GET"_s << 100u << u"code=\"100\",handler=\"tags\",method=\"get\""_s;
    QTest::newRow("highest status") << u"GET"_s << 599u << u"code=\"599\",handler=\"tags\",method=\"get\""_s;
}

void TestMetrics::methodsAndStatuses()
{
    QFETCH(QString, method);
    QFETCH(unsigned, status);
    QFETCH(QString, labels);

    Metrics metrics("1.0", started);
    const auto methodText = method.toStdString();
    record(metrics, request(Endpoint::Tags, methodText, status));
    const auto lines = family(metrics, u"registry_http_requests_total"_s);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.last(), u"registry_http_requests_total{"_s + labels + u"} 1"_s);
}

void TestMetrics::latencyBucketsAreCumulative()
{
    Metrics metrics("1.0", started);
    for (const std::chrono::nanoseconds duration : {500us, 1000us, 3000us, 3000us, 700000us})
        record(metrics, request(Endpoint::Catalog, "GET", 200, duration));
    record(metrics, request(Endpoint::Catalog, "GET", 200, 70s)); // beyond the last bound

    const QString labels = u"handler=\"catalog\",method=\"get\""_s;
    const QString bucket = u"registry_http_request_duration_seconds_bucket{"_s + labels + u",le=\""_s;
    QStringList expected{
        u"# HELP registry_http_request_duration_seconds The HTTP request latencies in seconds."_s,
        u"# TYPE registry_http_request_duration_seconds histogram"_s};
    const QList<QPair<QString, int>> cumulative{
        {u"0.001"_s, 2}, {u"0.0025"_s, 2}, {u"0.005"_s, 4}, {u"0.01"_s, 4}, {u"0.025"_s, 4}, {u"0.05"_s, 4},
        {u"0.1"_s, 4},   {u"0.25"_s, 4},   {u"0.5"_s, 4},   {u"1"_s, 5},    {u"2.5"_s, 5},   {u"5"_s, 5},
        {u"10"_s, 5},    {u"25"_s, 5},     {u"60"_s, 5},    {u"+Inf"_s, 6}};
    for (const auto& [bound, count] : cumulative)
        expected.append(bucket + bound + u"\"} "_s + QString::number(count));
    expected.append(u"registry_http_request_duration_seconds_sum{"_s + labels + u"} 70.7075"_s);
    expected.append(u"registry_http_request_duration_seconds_count{"_s + labels + u"} 6"_s);
    QCOMPARE(family(metrics, u"registry_http_request_duration_seconds"_s), expected);
}

void TestMetrics::latencyBucketBounds_data()
{
    QTest::addColumn<qint64>("microseconds");
    QTest::addColumn<QString>("firstBound"); // the smallest le that counts it

    QTest::newRow("zero") << qint64(0) << u"0.001"_s;
    QTest::newRow("exactly 1 ms") << qint64(1000) << u"0.001"_s; // le means "at most"
    QTest::newRow("just above 1 ms") << qint64(1001) << u"0.0025"_s;
    QTest::newRow("exactly 1 s") << qint64(1'000'000) << u"1"_s;
    QTest::newRow("exactly 60 s") << qint64(60'000'000) << u"60"_s;
    QTest::newRow("over 60 s") << qint64(60'000'001) << u"+Inf"_s;
}

void TestMetrics::latencyBucketBounds()
{
    QFETCH(qint64, microseconds);
    QFETCH(QString, firstBound);

    Metrics metrics("1.0", started);
    record(metrics, request(Endpoint::Base, "GET", 200, std::chrono::microseconds(microseconds)));
    QString counted;
    for (const auto& line : family(metrics, u"registry_http_request_duration_seconds"_s)) {
        if (line.contains(u"_bucket{"_s) && line.endsWith(u"} 1"_s)) {
            counted = line.section(u"le=\""_s, 1).section(u'"', 0, 0);
            break;
        }
    }
    QCOMPARE(counted, firstBound);
}

void TestMetrics::inFlightGauge()
{
    Metrics metrics("1.0", started);
    metrics.started(Endpoint::Blob);
    metrics.started(Endpoint::Blob);
    metrics.started(Endpoint::Upload);
    const auto line = [&metrics](const QString& handler) {
        for (const auto& sample : family(metrics, u"registry_http_in_flight_requests"_s)) {
            if (sample.startsWith(u"registry_http_in_flight_requests{handler=\""_s + handler + u"\"} "_s))
                return sample.section(u' ', 1);
        }
        return QString();
    };
    QCOMPARE(line(u"blob"_s), u"2"_s);
    QCOMPARE(line(u"blob_upload_chunk"_s), u"1"_s);
    QCOMPARE(line(u"manifest"_s), u"0"_s);
    metrics.finished(request(Endpoint::Blob, "GET", 200));
    metrics.abandoned(Endpoint::Blob);
    QCOMPARE(line(u"blob"_s), u"0"_s);
    QCOMPARE(line(u"blob_upload_chunk"_s), u"1"_s);
}

void TestMetrics::sizes()
{
    Metrics metrics("1.0", started);
    auto upload = request(Endpoint::Upload, "PUT", 201);
    upload.requestBytes = 1000;
    record(metrics, upload);
    upload.requestBytes = 24;
    upload.responseBytes = 5;
    record(metrics, upload);

    QCOMPARE(family(metrics, u"registry_http_request_size_bytes"_s),
             QStringList({
                 u"# HELP registry_http_request_size_bytes The HTTP request sizes in bytes."_s,
                 u"# TYPE registry_http_request_size_bytes histogram"_s,
                 u"registry_http_request_size_bytes_bucket{handler=\"blob_upload_chunk\",le=\"+Inf\"} 2"_s,
                 u"registry_http_request_size_bytes_sum{handler=\"blob_upload_chunk\"} 1024"_s,
                 u"registry_http_request_size_bytes_count{handler=\"blob_upload_chunk\"} 2"_s,
             }));
    QCOMPARE(family(metrics, u"registry_http_response_size_bytes"_s).at(3),
             u"registry_http_response_size_bytes_sum{handler=\"blob_upload_chunk\"} 5"_s);
}

void TestMetrics::escapeLabelValue_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("escaped");

    QTest::newRow("plain") << "1.2.3"_ba
                           << "1.2.3"_ba;
    QTest::newRow("quote") << "a\"b"_ba
                           << "a\\\"b"_ba;
    QTest::newRow("backslash") << "a\\b"_ba
                               << "a\\\\b"_ba;
    QTest::newRow("line feed") << "a\nb"_ba
                               << "a\\nb"_ba;
    QTest::newRow("all, twice") << "\\\"\n\\\"\n"_ba
                                << "\\\\\\\"\\n\\\\\\\"\\n"_ba;
    QTest::newRow("other bytes stay") << "tab\there \xc3\xa9"_ba
                                      << "tab\there \xc3\xa9"_ba;
}

void TestMetrics::escapeLabelValue()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, escaped);

    QCOMPARE(QByteArray::fromStdString(http::escapeLabelValue(value.toStdString())), escaped);
}

void TestMetrics::buildInfoAndStartTime()
{
    const Metrics metrics("2.0 \"dev\"\nbuild", started);
    QCOMPARE(family(metrics, u"berthd_build_info"_s),
             QStringList({u"# HELP berthd_build_info The version of berthd serving."_s,
                          u"# TYPE berthd_build_info gauge"_s,
                          u"berthd_build_info{version=\"2.0 \\\"dev\\\"\\nbuild\"} 1"_s}));
    QCOMPARE(family(metrics, u"process_start_time_seconds"_s).last(),
             u"process_start_time_seconds 1700000000.25"_s);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestMetrics)
#include "TestMetrics.moc"
