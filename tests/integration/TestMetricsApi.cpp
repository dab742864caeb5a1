// Prometheus metrics on the debug listener (http.debug) of a real registry, berthd or, with
// BERTH_TEST_REGISTRY=distribution, the reference docker-registry: the text parses strictly
// as the exposition format, and requests, pushes and latencies add up exactly.

#include "RegistryFixtures.h"

#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

// http.debug's YAML, as a child of http:.
QByteArray debugSection(quint16 port, bool prometheus)
{
    return "  debug:\n    addr: 127.0.0.1:" + QByteArray::number(port) +
           "\n    prometheus:\n      enabled: " + (prometheus ? "true" : "false") +
           "\n      path: /metrics\n";
}

// One scrape: every sample by its series ("name{labels}" exactly as written), or what made
// the text invalid.
struct Scrape
{
    QMap<QString, double> samples;
    QString error;

    double value(const QString& series) const { return samples.value(series, 0); }
};

// The family a sample belongs to: a histogram's _bucket, _sum and _count are its own.
QString familyOf(const QString& name, const QMap<QString, QString>& types)
{
    for (const auto suffix : {"_bucket"_L1, "_sum"_L1, "_count"_L1}) {
        if (name.endsWith(suffix)) {
            const QString base = name.chopped(suffix.size());
            if (types.value(base) == "histogram"_L1 || types.value(base) == "summary"_L1)
                return base;
        }
    }
    return name;
}

// A strict reader of the text format: every sample line is `name{labels} value`, every
// family has # HELP and # TYPE before its samples and its samples together, and every
// histogram's buckets are cumulative with +Inf equal to _count.
Scrape parseExposition(const QString& text)
{
    static const QRegularExpression sampleLine(
        uR"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)$)re"_s);
    static const QRegularExpression label(uR"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)")re"_s);
    Scrape scrape;
    QMap<QString, QString> types;
    QSet<QString> helped;
    QSet<QString> finished; // families whose samples are behind us
    QString current;
    QMap<QString, double> lastBucket; // per histogram series without le: the previous bucket
    const auto fail = [&scrape](int number, const QString& why, const QString& line) {
        scrape.error = u"line %1: %2: %3"_s.arg(number).arg(why, line);
        return scrape;
    };
    if (!text.endsWith(u'\n'))
        return fail(0, u"no line feed at the end"_s, text.right(40));
    const QStringList lines = text.chopped(1).split(u'\n');
    for (int index = 0; index < lines.size(); ++index) {
        const QString& line = lines[index];
        const int number = index + 1;
        if (line.startsWith(u"# HELP "_s) || line.startsWith(u"# TYPE "_s)) {
            const QStringList parts = line.split(u' ');
            if (parts.size() < 4)
                return fail(number, u"comment without name and text"_s, line);
            const QString& name = parts[2];
            if (finished.contains(name) ||
                (name != current && !current.isEmpty() && !finished.contains(current)))
                finished.insert(current);
            if (finished.contains(name))
                return fail(number, u"family continued after others"_s, line);
            current = name;
            if (line.startsWith(u"# HELP "_s)) {
                if (helped.contains(name))
                    return fail(number, u"second # HELP"_s, line);
                helped.insert(name);
            } else {
                static const QSet<QString> known{u"counter"_s, u"gauge"_s, u"histogram"_s, u"summary"_s,
                                                 u"untyped"_s};
                if (types.contains(name) || parts.size() != 4 || !known.contains(parts[3]))
                    return fail(number, u"bad or second # TYPE"_s, line);
                types.insert(name, parts[3]);
            }
            continue;
        }
        const auto match = sampleLine.match(line);
        if (!match.hasMatch())
            return fail(number, u"not a sample line"_s, line);
        const QString family = familyOf(match.captured(1), types);
        if (family != current || !helped.contains(family) || !types.contains(family))
            return fail(number, u"sample without # HELP and # TYPE of its family just before"_s, line);
        bool isNumber = false;
        const QString valueText = match.captured(4);
        const double value = valueText == "+Inf"_L1 ? qInf() : valueText.toDouble(&isNumber);
        if (!isNumber && valueText != "+Inf"_L1)
            return fail(number, u"value is not a number"_s, line);
        const QString series =
            match.captured(1) + (match.captured(2).isEmpty() ? QString() : match.captured(2));
        if (scrape.samples.contains(series))
            return fail(number, u"series twice"_s, line);
        scrape.samples.insert(series, value);

        if (types.value(family) == "histogram"_L1) {
            // The series without its le label, to compare buckets and _count.
            QStringList others;
            QString le;
            for (auto labels = label.globalMatch(match.captured(3)); labels.hasNext();) {
                const auto pair = labels.next();
                if (pair.captured(1) == "le"_L1)
                    le = pair.captured(2);
                else
                    others.append(pair.captured(0));
            }
            const QString key = family + u'{' + others.join(u',') + u'}';
            if (match.captured(1).endsWith("_bucket"_L1)) {
                if (le.isEmpty())
                    return fail(number, u"bucket without le"_s, line);
                if (value < lastBucket.value(key, 0))
                    return fail(number, u"buckets not cumulative"_s, line);
                lastBucket[key] = value;
                if (le == "+Inf"_L1)
                    lastBucket[key + u"+Inf"_s] = value;
            } else if (match.captured(1).endsWith("_count"_L1)) {
                if (!lastBucket.contains(key + u"+Inf"_s) || lastBucket.value(key + u"+Inf"_s) != value)
                    return fail(number, u"_count differs from the +Inf bucket"_s, line);
            }
        }
    }
    return scrape;
}

QString requests(const char* code, const char* handler, const char* method)
{
    return u"registry_http_requests_total{code=\"%1\",handler=\"%2\",method=\"%3\"}"_s.arg(
        QLatin1StringView(code), QLatin1StringView(handler), QLatin1StringView(method));
}

QString durationCount(const char* handler, const char* method)
{
    return u"registry_http_request_duration_seconds_count{handler=\"%1\",method=\"%2\"}"_s.arg(
        QLatin1StringView(handler), QLatin1StringView(method));
}

QString sizeSum(const char* direction, const char* handler)
{
    return u"registry_http_%1_size_bytes_sum{handler=\"%2\"}"_s.arg(QLatin1StringView(direction),
                                                                    QLatin1StringView(handler));
}

} // namespace

class TestMetricsApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void exposition_data();
    void exposition();
    void manifestReadsCounted();
    void pushCounted();
    void berthdFigures();
    void otherPaths_data();
    void otherPaths();
    void prometheusDisabled();

private:
    Scrape scrape();

    TestRegistry m_registry;
    std::unique_ptr<HttpClient> m_metrics;
};

void TestMetricsApi::initTestCase()
{
    const quint16 port = RegistryProcess::freePort();
    m_registry.process().setHttpConfig(debugSection(port, true));
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));
    m_metrics = std::make_unique<HttpClient>(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    // The debug listener may open just after the registry's.
    QTRY_COMPARE_WITH_TIMEOUT(m_metrics->get(u"/metrics"_s).status, 200, 10000);
}

void TestMetricsApi::cleanup()
{
    QVERIFY2(m_registry.checkAfterTest(), "the registry stopped answering GET /v2/");
}

Scrape TestMetricsApi::scrape()
{
    const HttpResponse response = m_metrics->get(u"/metrics"_s);
    if (response.status != 200)
        return Scrape{{}, u"GET /metrics: "_s + response.describe()};
    if (!response.header("Content-Type").startsWith("text/plain; version=0.0.4"))
        return Scrape{{}, u"Content-Type: "_s + QString::fromUtf8(response.header("Content-Type"))};
    return parseExposition(QString::fromUtf8(response.body));
}

void TestMetricsApi::exposition_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // a part of it; empty when valid

    const QString help = u"# HELP a_total A.\n# TYPE a_total counter\n"_s;
    QTest::newRow("valid") << help + u"a_total{x=\"1\",y=\"q\\\"\\n\"} 3\na_total 4\n"_s << QString();
    QTest::newRow("no TYPE") << u"# HELP a_total A.\na_total 1\n"_s << u"without # HELP"_s;
    QTest::newRow("no HELP") << u"# TYPE a_total counter\na_total 1\n"_s << u"without # HELP"_s;
    QTest::newRow("no value") << help + u"a_total{x=\"1\"}\n"_s << u"not a sample line"_s;
    QTest::newRow("unquoted label") << help + u"a_total{x=1} 1\n"_s << u"not a sample line"_s;
    QTest::newRow("bad value") << help + u"a_total 1x\n"_s << u"not a number"_s;
    QTest::newRow("family split")
        << help + u"a_total 1\n# HELP b B.\n# TYPE b gauge\nb 1\na_total{x=\"2\"} 1\n"_s
        << u"without # HELP"_s;
    const QString histogram = u"# HELP h H.\n# TYPE h histogram\n"_s;
    QTest::newRow("histogram") << histogram +
                                      u"h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n"_s
                               << QString();
    QTest::newRow("buckets falling") << histogram +
                                            u"h_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n"_s
                                     << u"not cumulative"_s;
    QTest::newRow("+Inf not count") << histogram + u"h_bucket{le=\"+Inf\"} 2\nh_count 3\n"_s
                                    << u"_count differs"_s;
    QTest::newRow("scraped") << QString() << QString(); // what the registry serves
}

// The strict reader rejects what it should, then the registry's own text passes it.
void TestMetricsApi::exposition()
{
    QFETCH(QString, text);
    QFETCH(QString, error);

    const Scrape parsed = text.isEmpty() ? scrape() : parseExposition(text);
    if (error.isEmpty())
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
    else
        QVERIFY2(parsed.error.contains(error), qPrintable(u"got: "_s + parsed.error));
    if (text.isEmpty()) {
        QVERIFY(parsed.samples.contains(u"registry_http_in_flight_requests{handler=\"manifest\"}"_s));
        QCOMPARE(m_metrics->head(u"/metrics"_s).status, 200);
    }
}

void TestMetricsApi::manifestReadsCounted()
{
    const QString repo = uniqueRepository(u"metrics"_s);
    const Image image = makeImage();
    QCOMPARE(pushImage(m_registry.client(), repo, image, u"v1"_s), QString());

    const Scrape before = scrape();
    QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
    constexpr int reads = 7;
    const HttpClient::Headers accept{{"Accept", QByteArray(media::OciManifest.data())}};
    for (int read = 0; read < reads; ++read)
        QCOMPARE(m_registry.client().get(manifestPath(repo, u"v1"_s), accept).status, 200);
    QCOMPARE(m_registry.client().get(manifestPath(repo, u"missing"_s), accept).status, 404);
    const Scrape after = scrape();
    QVERIFY2(after.error.isEmpty(), qPrintable(after.error));

    const auto rise = [&](const QString& series) { return after.value(series) - before.value(series); };
    QCOMPARE(rise(requests("200", "manifest", "get")), double(reads));
    QCOMPARE(rise(requests("404", "manifest", "get")), 1.0);
    QCOMPARE(rise(durationCount("manifest", "get")), double(reads + 1));
    QVERIFY2(rise(sizeSum("response", "manifest")) >= double(reads * image.manifest.size()),
             qPrintable(QString::number(rise(sizeSum("response", "manifest")))));
    QCOMPARE(after.value(u"registry_http_in_flight_requests{handler=\"manifest\"}"_s), 0.0);
}

void TestMetricsApi::pushCounted()
{
    const QString repo = uniqueRepository(u"metrics"_s);
    const QByteArray blob = randomBytes(300 * 1024);
    const Scrape before = scrape();
    QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
    QCOMPARE(pushBlob(m_registry.client(), repo, blob), QString());
    const Scrape after = scrape();
    QVERIFY2(after.error.isEmpty(), qPrintable(after.error));

    const auto rise = [&](const QString& series) { return after.value(series) - before.value(series); };
    QCOMPARE(rise(requests("202", "blob_upload", "post")), 1.0);
    QCOMPARE(rise(requests("201", "blob_upload_chunk", "put")), 1.0);
    QCOMPARE(rise(durationCount("blob_upload_chunk", "put")), 1.0);
    // Distribution counts the request headers too.
    const double uploaded = rise(sizeSum("request", "blob_upload_chunk"));
    QVERIFY2(uploaded >= blob.size() && uploaded < blob.size() + 4096, qPrintable(QString::number(uploaded)));
}

void TestMetricsApi::berthdFigures()
{
    if (m_registry.isReference())
        QSKIP("berthd's own metrics");
    const Scrape scraped = scrape();
    QVERIFY2(scraped.error.isEmpty(), qPrintable(scraped.error));
    QCOMPARE(scraped.value(u"berthd_build_info{version=\"" BERTH_VERSION "\"}"_s), 1.0);
    const double started = scraped.value(u"process_start_time_seconds"_s);
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000;
    QVERIFY2(started > now - 600 && started <= now, qPrintable(QString::number(started, 'f')));
}

void TestMetricsApi::otherPaths_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");

    QTest::newRow("root") << "GET"_ba << u"/"_s << 404;
    QTest::newRow("longer path") << "GET"_ba << u"/metricsx"_s << 404;
    QTest::newRow("below the path") << "GET"_ba << u"/metrics/x"_s << 404;
    QTest::newRow("registry API") << "GET"_ba << u"/v2/"_s << 404;
    QTest::newRow("with a query") << "GET"_ba << u"/metrics?x=1"_s << 200;
}

void TestMetricsApi::otherPaths()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);

    QCOMPARE(m_metrics->send(method, path).status, status);
}

void TestMetricsApi::prometheusDisabled()
{
    TestRegistry registry;
    const quint16 port = RegistryProcess::freePort();
    registry.process().setHttpConfig(debugSection(port, false));
    QVERIFY2(registry.start(), qPrintable(registry.errorString()));
    QCOMPARE(registry.client().get(u"/v2/"_s).status, 200);
    // berthd opens no debug listener; Distribution opens one without /metrics.
    HttpClient metrics(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    const int status = metrics.get(u"/metrics"_s).status;
    QVERIFY2(status == 0 || status == 404, qPrintable(QString::number(status)));
    if (!registry.isReference())
        QCOMPARE(status, 0);
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestMetricsApi)
#include "TestMetricsApi.moc"
