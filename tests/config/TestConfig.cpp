#include "config/Config.h"
#include "config/Duration.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace berth::config;
using namespace std::chrono_literals;

namespace {

QByteArray bytes(std::string_view text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

QByteArray joined(const std::vector<std::string>& lines)
{
    QByteArray text;
    for (const auto& line : lines)
        text += bytes(line) + '\n';
    return text;
}

bool anyStartsWith(const std::vector<std::string>& warnings, const QByteArray& prefix)
{
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const std::string& warning) { return bytes(warning).startsWith(prefix); });
}

ConfigResult parse(const QByteArray& yaml)
{
    return parseConfig(std::string_view(yaml.constData(), static_cast<std::size_t>(yaml.size())));
}

void writeFile(const QString& path, const QByteArray& contents)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(contents), contents.size());
}

// Sets an environment variable for the lifetime of the object.
class ScopedVariable
{
public:
    ScopedVariable(const char* name, const QByteArray& value)
        : m_name(name), m_hadValue(qEnvironmentVariableIsSet(name)), m_previous(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedVariable()
    {
        if (m_hadValue)
            qputenv(m_name, m_previous);
        else
            qunsetenv(m_name);
    }
    ScopedVariable(const ScopedVariable&) = delete;
    ScopedVariable& operator=(const ScopedVariable&) = delete;

private:
    const char* m_name;
    bool m_hadValue;
    QByteArray m_previous;
};

constexpr const char* minimal = "version: 0.1\nstorage:\n  inmemory:\n";

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void readsEveryKey();
    void leftOutKeysTakeDistributionDefaults();
    void defaultConfigUsesXdgDataHome();
    void durations_data();
    void durations();
    void formattedDurationsReadBack_data();
    void formattedDurationsReadBack();
    void listenAddresses_data();
    void listenAddresses();
    void booleans_data();
    void booleans();
    void invalidValuesNameTheKey_data();
    void invalidValuesNameTheKey();
    void describeNamesKeyValueAndLine();
    void unknownKeysWarnWithDottedKey_data();
    void unknownKeysWarnWithDottedKey();
    void ignoredKeysWarn_data();
    void ignoredKeysWarn();
    void syntaxErrorNamesLine();
    void tlsFilesMustExistInPairs();
    void environmentOverridesFile_data();
    void environmentOverridesFile();
    void environmentValuesAreValidated();
    void environmentSelectsFilesystemDriver();
    void environmentAppliesToDefaultConfig();
    void unmatchedVariableWarns();
    void everySupportedKeyHasAVariable();
    void readsDistributionConfigFile();
    void refusesToDropAuthentication();
    void htpasswd_data();
    void htpasswd();
    void missingFileIsAClearError();
    void redactedYamlHidesSecretsAndReadsBack_data();
    void redactedYamlHidesSecretsAndReadsBack();
};

void TestConfig::initTestCase()
{
    // The process may inherit overrides meant for a real registry; they would skew every row.
    const auto names = QProcessEnvironment::systemEnvironment().keys();
    for (const auto& name : names) {
        if (name.startsWith(QLatin1String("REGISTRY_")))
            qunsetenv(name.toLocal8Bit().constData());
    }
}

void TestConfig::readsEveryKey()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto certificate = dir.filePath(QStringLiteral("tls.crt"));
    const auto key = dir.filePath(QStringLiteral("tls.key"));
    writeFile(certificate, "certificate");
    writeFile(key, "key");

    const QByteArray yaml = joined({
                                "version: 0.1",
                                "log:",
                                "  level: debug",
                                "  formatter: json",
                                "  fields:",
                                "    service: registry",
                                "    environment: staging",
                                "  accesslog:",
                                "    disabled: true",
                                "storage:",
                                "  filesystem:",
                                "    rootdirectory: /srv/registry",
                                "    maxthreads: 50",
                                "  delete:",
                                "    enabled: true",
                                "  maintenance:",
                                "    uploadpurging:",
                                "      enabled: false",
                                "      age: 72h",
                                "      interval: 12h",
                                "      dryrun: true",
                                "    readonly:",
                                "      enabled: true",
                                "http:",
                                "  addr: 0.0.0.0:5443",
                                "  host: https://registry.example.com",
                                "  secret: s3cr3t",
                                "  relativeurls: true",
                                "  draintimeout: 1m30s",
                                "  headers:",
                                "    X-Content-Type-Options: [nosniff]",
                                "    Access-Control-Allow-Methods: [GET, HEAD]",
                                "  debug:",
                                "    addr: 127.0.0.1:5002",
                                "    prometheus:",
                                "      enabled: true",
                                "      path: /registry-metrics",
                                "  tls:",
                            }) +
                            "    certificate: " + certificate.toUtf8() + "\n    key: " + key.toUtf8() + "\n" +
                            joined({
                                "health:",
                                "  storagedriver:",
                                "    enabled: true",
                                "    interval: 30s",
                                "    threshold: 5",
                                "berth:",
                                "  http:",
                                "    headertimeout: 5s",
                                "    idletimeout: 2m",
                                "    maxconnections: 100",
                            });

    const auto result = parse(yaml);
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    QVERIFY2(result->warnings.empty(), joined(result->warnings).constData());
    const Config& config = result->config;

    QCOMPARE(config.version, "0.1");
    QCOMPARE(toString(config.log.level), "debug");
    QCOMPARE(config.log.fields,
             (std::map<std::string, std::string>{{"service", "registry"}, {"environment", "staging"}}));
    QVERIFY(config.log.accessLogDisabled);

    QCOMPARE(config.storage.driver, StorageDriverConfig(FilesystemDriverConfig{"/srv/registry", 50}));
    QVERIFY(config.storage.deleteEnabled);
    QCOMPARE(config.storage.uploadPurging, (UploadPurgingConfig{false, 72h, 12h, true}));
    QVERIFY(config.storage.readOnly);

    QCOMPARE(toString(config.http.addr), "0.0.0.0:5443");
    QCOMPARE(config.http.host, "https://registry.example.com");
    QCOMPARE(config.http.secret, "s3cr3t");
    QVERIFY(config.http.relativeUrls);
    QCOMPARE(config.http.drainTimeout, 90s);
    QCOMPARE(config.http.headers, (std::map<std::string, std::vector<std::string>>{
                                      {"X-Content-Type-Options", {"nosniff"}},
                                      {"Access-Control-Allow-Methods", {"GET", "HEAD"}}}));
    QCOMPARE(config.http.tls.certificate, certificate.toStdString());
    QCOMPARE(config.http.tls.key, key.toStdString());
    QVERIFY(config.http.tls.enabled());
    QCOMPARE(config.http.debug, (DebugConfig{ListenAddress{"127.0.0.1", 5002}, true, "/registry-metrics"}));

    QCOMPARE(config.health.storageDriver, (StorageDriverHealthConfig{true, 30s, 5}));
    QCOMPARE(config.berth.http, (BerthHttpConfig{5s, 2min, 100}));
}

void TestConfig::leftOutKeysTakeDistributionDefaults()
{
    const auto result = parse("version: 0.1\nstorage:\n  filesystem:\n");
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    QVERIFY(result->warnings.empty());
    const Config& config = result->config;
    QCOMPARE(toString(config.log.level), "info");
    QVERIFY(config.log.fields.empty());
    QVERIFY(!config.log.accessLogDisabled);
    QCOMPARE(config.storage.driver, StorageDriverConfig(FilesystemDriverConfig{"/var/lib/registry", 100}));
    QVERIFY(!config.storage.deleteEnabled); // Distribution refuses deletes unless enabled
    QCOMPARE(config.storage.uploadPurging, (UploadPurgingConfig{true, 168h, 24h, false}));
    QVERIFY(!config.storage.readOnly);
    QCOMPARE(toString(config.http.addr), "127.0.0.1:5000");
    QVERIFY(config.http.host.empty());
    QVERIFY(config.http.secret.empty());
    QCOMPARE(config.http.drainTimeout, 0ms);
    QVERIFY(!config.http.tls.enabled());
    QCOMPARE(config.http.debug, (DebugConfig{std::nullopt, false, "/metrics"}));
    QCOMPARE(config.health.storageDriver, (StorageDriverHealthConfig{false, 10s, 1}));
    QCOMPARE(config.berth.http, (BerthHttpConfig{10s, 60s, 4096}));

    // Distribution's 0 means "the default" for the health check interval and threshold.
    const auto zeros =
        parse(QByteArray(minimal) + "health:\n  storagedriver:\n    interval: 0\n    threshold: 0\n");
    QVERIFY(zeros);
    QCOMPARE(zeros->config.health.storageDriver, (StorageDriverHealthConfig{false, 10s, 1}));
}

void TestConfig::defaultConfigUsesXdgDataHome()
{
    {
        const ScopedVariable dataHome("XDG_DATA_HOME", "/data/home");
        const auto config = defaultConfig();
        QCOMPARE(config.storage.driver,
                 StorageDriverConfig(FilesystemDriverConfig{"/data/home/berth/registry", 100}));
        QCOMPARE(toString(config.http.addr), "127.0.0.1:5000");
        QVERIFY(config.storage.deleteEnabled);
        QCOMPARE(config.storage.uploadPurging, (UploadPurgingConfig{true, 168h, 24h, false}));
    }
    {
        // The XDG specification says a relative XDG_DATA_HOME is to be ignored.
        const ScopedVariable dataHome("XDG_DATA_HOME", "relative");
        const ScopedVariable home("HOME", "/home/someone");
        QCOMPARE(defaultConfig().storage.driver, StorageDriverConfig(FilesystemDriverConfig{
                                                     "/home/someone/.local/share/berth/registry", 100}));
    }
}

void TestConfig::durations_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("milliseconds"); // -1: invalid
    QTest::addColumn<QByteArray>("error");

    QTest::newRow("zero") << QByteArray("0") << qint64(0) << QByteArray();
    QTest::newRow("zero seconds") << QByteArray("0s") << qint64(0) << QByteArray();
    QTest::newRow("minus zero") << QByteArray("-0") << qint64(0) << QByteArray();
    QTest::newRow("milliseconds") << QByteArray("500ms") << qint64(500) << QByteArray();
    QTest::newRow("seconds") << QByteArray("10s") << qint64(10'000) << QByteArray();
    QTest::newRow("compound") << QByteArray("1m30s") << qint64(90'000) << QByteArray();
    QTest::newRow("week in hours") << QByteArray("168h") << qint64(604'800'000) << QByteArray();
    QTest::newRow("every unit") << QByteArray("1h2m3s4ms5000us6000000ns") << qint64(3'723'015)
                                << QByteArray();
    QTest::newRow("micro sign") << QByteArray("2000\xc2\xb5s") << qint64(2) << QByteArray();
    QTest::newRow("greek mu") << QByteArray("2000\xce\xbcs") << qint64(2) << QByteArray();
    QTest::newRow("fraction") << QByteArray("1.5h") << qint64(5'400'000) << QByteArray();
    QTest::newRow("fraction rounds") << QByteArray("0.3s") << qint64(300) << QByteArray();
    QTest::newRow("leading dot") << QByteArray(".5s") << qint64(500) << QByteArray();
    QTest::newRow("trailing dot") << QByteArray("1.s") << qint64(1'000) << QByteArray();
    QTest::newRow("plus sign") << QByteArray("+5s") << qint64(5'000) << QByteArray();
    QTest::newRow("repeated unit") << QByteArray("1m1m") << qint64(120'000) << QByteArray();
    QTest::newRow("sub-ms truncated") << QByteArray("1500us") << qint64(1) << QByteArray();
    QTest::newRow("largest") << QByteArray("2562047h") << qint64(9'223'369'200'000) << QByteArray();

    QTest::newRow("bare number") << QByteArray("10") << qint64(-1) << QByteArray("missing unit");
    QTest::newRow("unknown unit") << QByteArray("1d") << qint64(-1) << QByteArray("unknown unit \"d\"");
    QTest::newRow("upper-case unit") << QByteArray("10S") << qint64(-1) << QByteArray("unknown unit \"S\"");
    QTest::newRow("empty") << QByteArray("") << qint64(-1) << QByteArray("invalid duration");
    QTest::newRow("unit only") << QByteArray("s") << qint64(-1) << QByteArray("invalid duration");
    QTest::newRow("lone dot") << QByteArray(".s") << qint64(-1) << QByteArray("invalid duration");
    QTest::newRow("space") << QByteArray("5 s") << qint64(-1) << QByteArray("unknown unit \" s\"");
    QTest::newRow("negative") << QByteArray("-1s") << qint64(-1) << QByteArray("negative");
    QTest::newRow("two dots") << QByteArray("1.5.5s") << qint64(-1) << QByteArray("missing unit");
    QTest::newRow("overflow") << QByteArray("2562048h") << qint64(-1) << QByteArray("invalid duration");
    QTest::newRow("huge number") << QByteArray("99999999999999999999ns") << qint64(-1)
                                 << QByteArray("invalid duration");
    QTest::newRow("below resolution") << QByteArray("300us") << qint64(-1) << QByteArray("1ms resolution");
}

void TestConfig::durations()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, milliseconds);
    QFETCH(QByteArray, error);

    const auto parsed = parseDuration(text.toStdString());
    if (milliseconds < 0) {
        QVERIFY(!parsed);
        QVERIFY2(bytes(parsed.error()).contains(error), parsed.error().c_str());
    } else {
        QVERIFY2(parsed, parsed ? "" : parsed.error().c_str());
        QCOMPARE(parsed->count(), milliseconds);
    }
}

void TestConfig::formattedDurationsReadBack_data()
{
    QTest::addColumn<qint64>("milliseconds");
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("zero") << qint64(0) << QByteArray("0s");
    QTest::newRow("milliseconds") << qint64(500) << QByteArray("500ms");
    QTest::newRow("seconds") << qint64(10'000) << QByteArray("10s");
    QTest::newRow("compound") << qint64(90'000) << QByteArray("1m30s");
    QTest::newRow("week") << qint64(604'800'000) << QByteArray("168h");
    QTest::newRow("every unit") << qint64(3'723'004) << QByteArray("1h2m3s4ms");
}

void TestConfig::formattedDurationsReadBack()
{
    QFETCH(qint64, milliseconds);
    QFETCH(QByteArray, text);

    const std::chrono::milliseconds duration{milliseconds};
    QCOMPARE(bytes(formatDuration(duration)), text);
    const auto parsed = parseDuration(formatDuration(duration));
    QVERIFY(parsed);
    QCOMPARE(*parsed, duration);
}

void TestConfig::listenAddresses_data()
{
    QTest::addColumn<QByteArray>("addr");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("port"); // -1: invalid

    QTest::newRow("all interfaces") << QByteArray(":5000") << QByteArray() << 5000;
    QTest::newRow("ipv4") << QByteArray("127.0.0.1:5000") << QByteArray("127.0.0.1") << 5000;
    QTest::newRow("hostname") << QByteArray("localhost:80") << QByteArray("localhost") << 80;
    QTest::newRow("ipv6") << QByteArray("\"[::1]:5443\"") << QByteArray("::1") << 5443;
    QTest::newRow("any free port") << QByteArray("127.0.0.1:0") << QByteArray("127.0.0.1") << 0;
    QTest::newRow("highest port") << QByteArray(":65535") << QByteArray() << 65535;

    QTest::newRow("port too high") << QByteArray(":65536") << QByteArray() << -1;
    QTest::newRow("no port") << QByteArray("\"localhost:\"") << QByteArray() << -1;
    QTest::newRow("no colon") << QByteArray("5000") << QByteArray() << -1;
    QTest::newRow("service name") << QByteArray(":http") << QByteArray() << -1;
    QTest::newRow("negative port") << QByteArray(":-1") << QByteArray() << -1;
    QTest::newRow("ipv6 without brackets") << QByteArray("\"::1:5000\"") << QByteArray() << -1;
    QTest::newRow("unclosed bracket") << QByteArray("\"[::1:5000\"") << QByteArray() << -1;
}

void TestConfig::listenAddresses()
{
    QFETCH(QByteArray, addr);
    QFETCH(QByteArray, host);
    QFETCH(int, port);

    const auto result = parse(QByteArray(minimal) + "http:\n  addr: " + addr + '\n');
    if (port < 0) {
        QVERIFY(!result);
        QCOMPARE(bytes(result.error().key), "http.addr");
        QCOMPARE(result.error().line, 5);
    } else {
        QVERIFY2(result, result ? "" : result.error().describe().c_str());
        const auto& address = result->config.http.addr;
        QCOMPARE(bytes(address.host), host);
        QCOMPARE(address.port, port);
        // toString() gives back what a config file would say, brackets included.
        const auto again =
            parse(QByteArray(minimal) + "http:\n  addr: \"" + bytes(toString(address)) + "\"\n");
        QVERIFY(again && again->config.http.addr == address);
    }
}

void TestConfig::booleans_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("value");

    // The YAML 1.1 spellings Distribution's YAML library reads as booleans.
    for (const char* text : {"true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON"})
        QTest::newRow(text) << QByteArray(text) << true;
    for (const char* text : {"false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF"})
        QTest::newRow(text) << QByteArray(text) << false;
}

void TestConfig::booleans()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, value);

    const auto result = parse(QByteArray(minimal) + "  delete:\n    enabled: " + text + '\n');
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    QCOMPARE(result->config.storage.deleteEnabled, value);
}

void TestConfig::invalidValuesNameTheKey_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("message"); // a part of it
    QTest::addColumn<int>("line");

    const QByteArray head = minimal; // three lines

    QTest::newRow("top level is a list")
        << QByteArray("- version\n- storage\n") << QByteArray() << QByteArray("mapping of settings") << 1;
    QTest::newRow("empty file") << QByteArray("# nothing\n") << QByteArray() << QByteArray("empty") << 0;
    QTest::newRow("missing version") << QByteArray("storage:\n  inmemory:\n") << QByteArray("version")
                                     << QByteArray("missing") << 0;
    QTest::newRow("other version") << QByteArray("version: 0.2\nstorage:\n  inmemory:\n")
                                   << QByteArray("version") << QByteArray("\"0.2\"") << 1;

    QTest::newRow("log is a list") << head + "log: [debug]\n"
                                   << QByteArray("log") << QByteArray("mapping") << 4;
    QTest::newRow("log.level") << head + "log:\n  level: loud\n"
                               << QByteArray("log.level")
                               << QByteArray("expected debug, info, warn or error, got \"loud\"") << 5;
    QTest::newRow("log.formatter") << head + "log:\n  formatter: xml\n"
                                   << QByteArray("log.formatter") << QByteArray("expected json") << 5;
    QTest::newRow("log.fields list") << head + "log:\n  fields: [a]\n"
                                     << QByteArray("log.fields") << QByteArray("expected a mapping") << 5;
    QTest::newRow("log.fields nested")
        << head + "log:\n  fields:\n    team: {a: b}\n"
        << QByteArray("log.fields.team") << QByteArray("expected a string") << 6;
    QTest::newRow("log.accesslog.disabled")
        << head + "log:\n  accesslog:\n    disabled: sometimes\n"
        << QByteArray("log.accesslog.disabled") << QByteArray("expected true or false") << 6;

    QTest::newRow("no storage") << QByteArray("version: 0.1\n") << QByteArray("storage")
                                << QByteArray("no storage driver") << 0;
    QTest::newRow("empty storage") << QByteArray("version: 0.1\nstorage:\n") << QByteArray("storage")
                                   << QByteArray("no storage driver") << 0;
    QTest::newRow("only settings") << QByteArray("version: 0.1\nstorage:\n  delete:\n    enabled: true\n")
                                   << QByteArray("storage") << QByteArray("no storage driver") << 3;
    QTest::newRow("two drivers")
        << QByteArray("version: 0.1\nstorage:\n  inmemory:\n  filesystem:\n") << QByteArray("storage")
        << QByteArray("exactly one storage driver is allowed, found inmemory and filesystem") << 3;
    QTest::newRow("unsupported driver")
        << QByteArray("version: 0.1\nstorage:\n  s3:\n    bucket: images\n") << QByteArray("storage.s3")
        << QByteArray("not supported by berthd") << 3;
    QTest::newRow("storage is a scalar") << QByteArray("version: 0.1\nstorage: filesystem\n")
                                         << QByteArray("storage") << QByteArray("mapping") << 2;
    QTest::newRow("rootdirectory map")
        << QByteArray("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {a: b}\n")
        << QByteArray("storage.filesystem.rootdirectory") << QByteArray("expected a string, got a mapping")
        << 4;
    QTest::newRow("maxthreads low") << QByteArray(
                                           "version: 0.1\nstorage:\n  filesystem:\n    maxthreads: 10\n")
                                    << QByteArray("storage.filesystem.maxthreads")
                                    << QByteArray("at least 25") << 4;
    QTest::newRow("maxthreads text") << QByteArray(
                                            "version: 0.1\nstorage:\n  filesystem:\n    maxthreads: many\n")
                                     << QByteArray("storage.filesystem.maxthreads")
                                     << QByteArray("expected an integer, got \"many\"") << 4;
    QTest::newRow("maxthreads huge")
        << QByteArray("version: 0.1\nstorage:\n  filesystem:\n    maxthreads: 99999999999999\n")
        << QByteArray("storage.filesystem.maxthreads") << QByteArray("expected an integer") << 4;
    QTest::newRow("delete.enabled") << head + "  delete:\n    enabled: maybe\n"
                                    << QByteArray("storage.delete.enabled")
                                    << QByteArray("expected true or false, got \"maybe\"") << 5;
    QTest::newRow("delete.enabled list")
        << head + "  delete:\n    enabled: [true]\n"
        << QByteArray("storage.delete.enabled") << QByteArray("expected true or false, got a list") << 5;
    QTest::newRow("purging enabled") << head + "  maintenance:\n    uploadpurging:\n      enabled: 1\n"
                                     << QByteArray("storage.maintenance.uploadpurging.enabled")
                                     << QByteArray("expected true or false") << 6;
    QTest::newRow("purging age unit")
        << head + "  maintenance:\n    uploadpurging:\n      age: 168\n"
        << QByteArray("storage.maintenance.uploadpurging.age") << QByteArray("missing unit") << 6;
    QTest::newRow("purging age zero")
        << head + "  maintenance:\n    uploadpurging:\n      age: 0s\n"
        << QByteArray("storage.maintenance.uploadpurging.age") << QByteArray("longer than 0s") << 6;
    QTest::newRow("purging interval")
        << head + "  maintenance:\n    uploadpurging:\n      interval: 1w\n"
        << QByteArray("storage.maintenance.uploadpurging.interval") << QByteArray("unknown unit \"w\"") << 6;
    QTest::newRow("purging dryrun") << head + "  maintenance:\n    uploadpurging:\n      dryrun: perhaps\n"
                                    << QByteArray("storage.maintenance.uploadpurging.dryrun")
                                    << QByteArray("expected true or false") << 6;
    QTest::newRow("readonly") << head + "  maintenance:\n    readonly:\n      enabled: 0\n"
                              << QByteArray("storage.maintenance.readonly.enabled")
                              << QByteArray("expected true or false") << 6;

    QTest::newRow("http.addr") << head + "http:\n  addr: :99999\n"
                               << QByteArray("http.addr") << QByteArray("invalid port \"99999\"") << 5;
    QTest::newRow("http.host no scheme") << head + "http:\n  host: registry.example.com\n"
                                         << QByteArray("http.host") << QByteArray("absolute URL") << 5;
    QTest::newRow("http.host ftp") << head + "http:\n  host: ftp://registry.example.com\n"
                                   << QByteArray("http.host") << QByteArray("absolute URL") << 5;
    QTest::newRow("http.host no authority") << head + "http:\n  host: https:///path\n"
                                            << QByteArray("http.host") << QByteArray("absolute URL") << 5;
    QTest::newRow("http.secret list") << head + "http:\n  secret: [a, b]\n"
                                      << QByteArray("http.secret") << QByteArray("expected a string") << 5;
    QTest::newRow("http.relativeurls")
        << head + "http:\n  relativeurls: relative\n"
        << QByteArray("http.relativeurls") << QByteArray("expected true or false") << 5;
    QTest::newRow("http.draintimeout")
        << head + "http:\n  draintimeout: soon\n"
        << QByteArray("http.draintimeout") << QByteArray("write durations like") << 5;
    QTest::newRow("http.draintimeout negative")
        << head + "http:\n  draintimeout: -5s\n"
        << QByteArray("http.draintimeout") << QByteArray("negative") << 5;
    QTest::newRow("http.headers list") << head + "http:\n  headers: [nosniff]\n"
                                       << QByteArray("http.headers") << QByteArray("expected a mapping") << 5;
    QTest::newRow("header value scalar")
        << head + "http:\n  headers:\n    X-Frame-Options: DENY\n"
        << QByteArray("http.headers.X-Frame-Options") << QByteArray("expected a list of values") << 6;
    QTest::newRow("header name") << head + "http:\n  headers:\n    \"Bad Header\": [x]\n"
                                 << QByteArray("http.headers.Bad Header") << QByteArray("header name") << 6;
    QTest::newRow("header value newline") << head + "http:\n  headers:\n    X-A: [\"a\\r\\nX-B: b\"]\n"
                                          << QByteArray("http.headers.X-A") << QByteArray("single-line") << 6;
    QTest::newRow("tls missing file")
        << head + "http:\n  tls:\n    certificate: /nonexistent/tls.crt\n"
        << QByteArray("http.tls.certificate") << QByteArray("no such file: /nonexistent/tls.crt") << 6;
    QTest::newRow("tls directory") << head + "http:\n  tls:\n    key: /\n"
                                   << QByteArray("http.tls.key") << QByteArray("not a regular file: /") << 6;
    QTest::newRow("tls clientcas") << head + "http:\n  tls:\n    clientcas: [/etc/ca.pem]\n"
                                   << QByteArray("http.tls.clientcas") << QByteArray("not supported") << 6;

    QTest::newRow("health enabled") << head + "health:\n  storagedriver:\n    enabled: maybe\n"
                                    << QByteArray("health.storagedriver.enabled")
                                    << QByteArray("expected true or false") << 6;
    QTest::newRow("health interval") << head + "health:\n  storagedriver:\n    interval: 10\n"
                                     << QByteArray("health.storagedriver.interval")
                                     << QByteArray("missing unit") << 6;
    QTest::newRow("health threshold")
        << head + "health:\n  storagedriver:\n    threshold: -1\n"
        << QByteArray("health.storagedriver.threshold") << QByteArray("at least 0") << 6;

    QTest::newRow("headertimeout zero")
        << head + "berth:\n  http:\n    headertimeout: 0\n"
        << QByteArray("berth.http.headertimeout") << QByteArray("longer than 0s") << 6;
    QTest::newRow("idletimeout unit")
        << head + "berth:\n  http:\n    idletimeout: 1d\n"
        << QByteArray("berth.http.idletimeout") << QByteArray("unknown unit") << 6;
    QTest::newRow("maxconnections zero")
        << head + "berth:\n  http:\n    maxconnections: 0\n"
        << QByteArray("berth.http.maxconnections") << QByteArray("at least 1") << 6;
    QTest::newRow("maxconnections text")
        << head + "berth:\n  http:\n    maxconnections: 4k\n"
        << QByteArray("berth.http.maxconnections") << QByteArray("expected an integer") << 6;
    QTest::newRow("minfreespace unit")
        << head + "berth:\n  storage:\n    minfreespace: 5mb\n" << QByteArray("berth.storage.minfreespace")
        << QByteArray("unknown unit") << 6;
    QTest::newRow("minfreespace text")
        << head + "berth:\n  storage:\n    minfreespace: plenty\n" << QByteArray("berth.storage.minfreespace")
        << QByteArray("expected a size") << 6;
    QTest::newRow("http.debug.addr")
        << head + "http:\n  debug:\n    addr: localhost\n" << QByteArray("http.debug.addr")
        << QByteArray("expected host:port") << 6;
    QTest::newRow("http.debug.prometheus.enabled")
        << head + "http:\n  debug:\n    prometheus:\n      enabled: sure\n"
        << QByteArray("http.debug.prometheus.enabled") << QByteArray("expected true or false") << 7;
    QTest::newRow("http.debug.prometheus.path relative")
        << head + "http:\n  debug:\n    prometheus:\n      path: metrics\n"
        << QByteArray("http.debug.prometheus.path") << QByteArray("expected a URL path") << 7;
    QTest::newRow("http.debug.prometheus.path with a query")
        << head + "http:\n  debug:\n    prometheus:\n      path: /metrics?x=1\n"
        << QByteArray("http.debug.prometheus.path") << QByteArray("got \"/metrics?x=1\"") << 7;
    QTest::newRow("admin on every interface")
        << head + "admin:\n  addr: 0.0.0.0:5001\n" << QByteArray("admin.addr")
        << QByteArray("loopback addresses only") << 5;
    QTest::newRow("admin on a LAN address")
        << head + "admin:\n  addr: 192.0.2.10:5001\n" << QByteArray("admin.addr")
        << QByteArray("loopback addresses only") << 5;
    const QByteArray retention = head + "berth:\n  retention:\n    rules:\n      - repositories: \"team/*\"\n";
    QTest::newRow("retention: negative count")
        << retention + "        keep:\n          most_recent: -3\n"
        << QByteArray("berth.retention.rules[0].keep.most_recent") << QByteArray("at least 0, got -3") << 9;
    QTest::newRow("retention: unknown field in the second rule")
        << retention + "        keep: {most_recent: 1}\n      - repositories: b\n        kep: 1\n"
        << QByteArray("berth.retention.rules[1].kep") << QByteArray("unknown field") << 10;
    QTest::newRow("retention: bad tag expression")
        << retention + "        tags: {include: \"(v\"}\n        keep: {most_recent: 1}\n"
        << QByteArray("berth.retention.rules[0].tags.include") << QByteArray("bad regular expression") << 8;
    QTest::newRow("retention: bad protected glob")
        << head + "berth:\n  retention:\n    protect:\n      - latest\n      - \"v[1\"\n"
        << QByteArray("berth.retention.protect[1]") << QByteArray("never closed") << 8;
    QTest::newRow("retention: a quoted count is text")
        << retention + "        keep: {highest_versions: \"3\"}\n"
        << QByteArray("berth.retention.rules[0].keep.highest_versions") << QByteArray("got \"3\"") << 8;
    QTest::newRow("retention: schedule")
        << head + "berth:\n  retention:\n    schedule: daily\n" << QByteArray("berth.retention.schedule")
        << QByteArray("duration") << 6;
}

void TestConfig::invalidValuesNameTheKey()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, message);
    QFETCH(int, line);

    const auto result = parse(yaml);
    QVERIFY2(!result, "the config was accepted");
    const auto& error = result.error();
    QCOMPARE(bytes(error.key), key);
    QVERIFY2(bytes(error.message).contains(message), error.describe().c_str());
    QCOMPARE(error.line, line);
}

void TestConfig::describeNamesKeyValueAndLine()
{
    const auto result = parse(QByteArray(minimal) + "  delete:\n    enabled: maybe\n");
    QVERIFY(!result);
    QCOMPARE(result.error().describe(),
             "storage.delete.enabled: expected true or false, got \"maybe\" (line 5)");

    QCOMPARE((ConfigError{{}, "the file is empty", 0}).describe(), "the file is empty");
}

void TestConfig::unknownKeysWarnWithDottedKey_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("key");

    const QByteArray head = minimal;
    QTest::newRow("top level") << head + "notifications:\n  endpoints: []\n" << QByteArray("notifications");
    QTest::newRow("deprecated loglevel") << head + "loglevel: debug\n" << QByteArray("loglevel");
    QTest::newRow("log") << head + "log:\n  reportcaller: true\n" << QByteArray("log.reportcaller");
    QTest::newRow("log.accesslog") << head + "log:\n  accesslog:\n    format: x\n"
                                   << QByteArray("log.accesslog.format");
    QTest::newRow("inmemory parameter") << head + "    size: 10\n" << QByteArray("storage.inmemory.size");
    QTest::newRow("filesystem parameter")
        << QByteArray("version: 0.1\nstorage:\n  filesystem:\n    bogus: 1\n")
        << QByteArray("storage.filesystem.bogus");
    QTest::newRow("delete") << head + "  delete:\n    enable: true\n" << QByteArray("storage.delete.enable");
    QTest::newRow("maintenance") << head + "  maintenance:\n    vacuum: true\n"
                                 << QByteArray("storage.maintenance.vacuum");
    QTest::newRow("uploadpurging") << head + "  maintenance:\n    uploadpurging:\n      maxage: 1h\n"
                                   << QByteArray("storage.maintenance.uploadpurging.maxage");
    QTest::newRow("readonly") << head + "  maintenance:\n    readonly:\n      enable: true\n"
                              << QByteArray("storage.maintenance.readonly.enable");
    QTest::newRow("http") << head + "http:\n  prefix: /registry\n" << QByteArray("http.prefix");
    QTest::newRow("http.tls") << head + "http:\n  tls:\n    minimumtls: tls1.2\n"
                              << QByteArray("http.tls.minimumtls");
    QTest::newRow("health") << head + "health:\n  file:\n    - file: /tmp/down\n"
                            << QByteArray("health.file");
    QTest::newRow("health.storagedriver") << head + "health:\n  storagedriver:\n    timeout: 1s\n"
                                          << QByteArray("health.storagedriver.timeout");
    QTest::newRow("berth") << head + "berth:\n  gc:\n    enabled: true\n" << QByteArray("berth.gc");
    QTest::newRow("berth.http") << head + "berth:\n  http:\n    bodytimeout: 1s\n"
                                << QByteArray("berth.http.bodytimeout");
}

void TestConfig::unknownKeysWarnWithDottedKey()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, key);

    const auto result = parse(yaml);
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    QCOMPARE(result->warnings.size(), 1u);
    QVERIFY2(bytes(result->warnings.front()).startsWith(QByteArray(key + ": unknown key; ignored (line ")),
             result->warnings.front().c_str());
}

void TestConfig::ignoredKeysWarn_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("key");

    const QByteArray head = minimal;
    QTest::newRow("text formatter") << head + "log:\n  formatter: text\n" << QByteArray("log.formatter");
    QTest::newRow("logstash formatter") << head + "log:\n  formatter: logstash\n"
                                        << QByteArray("log.formatter");
    QTest::newRow("storage.cache") << head + "  cache:\n    blobdescriptor: inmemory\n"
                                   << QByteArray("storage.cache");
    QTest::newRow("storage.redirect") << head + "  redirect:\n    disable: true\n"
                                      << QByteArray("storage.redirect");
    QTest::newRow("storage.tag") << head + "  tag:\n    concurrencylimit: 8\n" << QByteArray("storage.tag");
    QTest::newRow("http.debug.addr without prometheus")
        << head + "http:\n  debug:\n    addr: :5001\n" << QByteArray("http.debug.addr");
    QTest::newRow("prometheus without http.debug.addr")
        << head + "http:\n  debug:\n    prometheus:\n      enabled: true\n"
        << QByteArray("http.debug.prometheus.enabled");
}

void TestConfig::ignoredKeysWarn()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, key);

    const auto result = parse(yaml);
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    QCOMPARE(result->warnings.size(), 1u);
    QVERIFY2(bytes(result->warnings.front()).startsWith(QByteArray(key + ": ")),
             result->warnings.front().c_str());
}

void TestConfig::syntaxErrorNamesLine()
{
    const auto result = parse("version: 0.1\nstorage:\n  inmemory:\nhttp:\n  addr: :5000\n   secret: x\n");
    QVERIFY(!result);
    QVERIFY(result.error().key.empty());
    QVERIFY2(result.error().message.starts_with("YAML syntax error: "), result.error().message.c_str());
    QCOMPARE(result.error().line, 6);

    const auto unclosed = parse("version: 0.1\nstorage: {inmemory: {}\n");
    QVERIFY(!unclosed);
    QVERIFY(unclosed.error().line > 0);
}

void TestConfig::tlsFilesMustExistInPairs()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto certificate = dir.filePath(QStringLiteral("tls.crt")).toUtf8();
    writeFile(QString::fromUtf8(certificate), "certificate");

    const auto onlyCertificate =
        parse(QByteArray(minimal) + "http:\n  tls:\n    certificate: " + certificate + '\n');
    QVERIFY(!onlyCertificate);
    QCOMPARE(onlyCertificate.error().key, "http.tls.key");
    QVERIFY(onlyCertificate.error().message.starts_with("missing"));

    const auto missingKey = parse(QByteArray(minimal) + "http:\n  tls:\n    certificate: " + certificate +
                                  "\n    key: " + certificate + ".missing\n");
    QVERIFY(!missingKey);
    QCOMPARE(missingKey.error().key, "http.tls.key");
    QVERIFY(missingKey.error().message.starts_with("no such file"));

    // Empty values mean "no TLS", as when the keys are left out.
    const auto empty = parse(QByteArray(minimal) + "http:\n  tls:\n    certificate: \"\"\n    key:\n");
    QVERIFY2(empty, empty ? "" : empty.error().describe().c_str());
    QVERIFY(!empty->config.http.tls.enabled());
}

void TestConfig::environmentOverridesFile_data()
{
    QTest::addColumn<QByteArray>("variable");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("equivalentYaml"); // the file that says the same

    const QByteArray file = "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /srv/a\n";
    QTest::newRow("http.addr") << QByteArray("REGISTRY_HTTP_ADDR") << QByteArray(":6000")
                               << file + "http:\n  addr: :6000\n";
    QTest::newRow("rootdirectory")
        << QByteArray("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY") << QByteArray("/srv/b")
        << QByteArray("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /srv/b\n");
    QTest::newRow("log.level") << QByteArray("REGISTRY_LOG_LEVEL") << QByteArray("debug")
                               << file + "log:\n  level: debug\n";
    QTest::newRow("delete.enabled") << QByteArray("REGISTRY_STORAGE_DELETE_ENABLED") << QByteArray("true")
                                    << file + "  delete:\n    enabled: true\n";
    QTest::newRow("http.secret") << QByteArray("REGISTRY_HTTP_SECRET") << QByteArray("from the environment")
                                 << file + "http:\n  secret: from the environment\n";
    QTest::newRow("purging age") << QByteArray("REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE")
                                 << QByteArray("1h")
                                 << file + "  maintenance:\n    uploadpurging:\n      age: 1h\n";
    QTest::newRow("health threshold")
        << QByteArray("REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD") << QByteArray("7")
        << file + "health:\n  storagedriver:\n    threshold: 7\n";
    QTest::newRow("metrics path") << QByteArray("REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH") << QByteArray("/m")
                                  << file + "http:\n  debug:\n    prometheus:\n      path: /m\n";
    QTest::newRow("berth idletimeout") << QByteArray("REGISTRY_BERTH_HTTP_IDLETIMEOUT") << QByteArray("5m")
                                       << file + "berth:\n  http:\n    idletimeout: 5m\n";
}

void TestConfig::environmentOverridesFile()
{
    QFETCH(QByteArray, variable);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, equivalentYaml);

    const auto expected = parse(equivalentYaml);
    QVERIFY2(expected, expected ? "" : expected.error().describe().c_str());

    // The file says something else where it has the key; the variable wins.
    const ScopedVariable override(variable.constData(), value);
    const auto result = parse("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /srv/a\n"
                              "http:\n  addr: :5000\n  secret: from the file\n");
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    QVERIFY2(result->warnings.empty(), joined(result->warnings).constData());
    auto wanted = expected->config;
    if (variable != "REGISTRY_HTTP_ADDR")
        wanted.http.addr = ListenAddress{{}, 5000};
    if (variable != "REGISTRY_HTTP_SECRET")
        wanted.http.secret = "from the file";
    QVERIFY(result->config == wanted);
}

void TestConfig::environmentValuesAreValidated()
{
    const ScopedVariable override("REGISTRY_STORAGE_DELETE_ENABLED", "maybe");
    const auto result = parse(minimal);
    QVERIFY(!result);
    QCOMPARE(result.error().describe(), "storage.delete.enabled: expected true or false, got \"maybe\" (from "
                                        "REGISTRY_STORAGE_DELETE_ENABLED)");
}

void TestConfig::environmentSelectsFilesystemDriver()
{
    const ScopedVariable root("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/env");

    const auto noDriverInFile = parse("version: 0.1\n");
    QVERIFY2(noDriverInFile, noDriverInFile ? "" : noDriverInFile.error().describe().c_str());
    QCOMPARE(noDriverInFile->config.storage.driver,
             StorageDriverConfig(FilesystemDriverConfig{"/srv/env", 100}));

    // Like Distribution, a variable for a second driver makes two drivers, which is an error.
    const auto conflict = parse(minimal);
    QVERIFY(!conflict);
    QCOMPARE(conflict.error().key, "storage");
    QVERIFY2(bytes(conflict.error().message).contains("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"),
             conflict.error().message.c_str());
}

void TestConfig::environmentAppliesToDefaultConfig()
{
    const ScopedVariable addr("REGISTRY_HTTP_ADDR", "127.0.0.1:0");
    const auto result = loadDefaultConfig();
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    auto expected = defaultConfig();
    expected.http.addr.port = 0;
    QVERIFY(result->config == expected);

    const ScopedVariable level("REGISTRY_LOG_LEVEL", "verbose");
    const auto invalid = loadDefaultConfig();
    QVERIFY(!invalid);
    QCOMPARE(invalid.error().key, "log.level");
}

void TestConfig::unmatchedVariableWarns()
{
    const ScopedVariable bucket("REGISTRY_STORAGE_S3_BUCKET", "images");
    const auto result = parse(minimal);
    QVERIFY(result);
    QCOMPARE(result->warnings.size(), 1u);
    QVERIFY2(result->warnings.front().starts_with("REGISTRY_STORAGE_S3_BUCKET: "),
             result->warnings.front().c_str());
}

void TestConfig::everySupportedKeyHasAVariable()
{
    for (const auto& key : supportedKeys()) {
        // Mappings have no variable; TLS and htpasswd paths must name files that exist (tested
        // above), and htpasswd's realm needs a path.
        if (key.example.empty() || key.path.starts_with("http.tls.") ||
            key.path.starts_with("auth.htpasswd."))
            continue;
        const auto name = environmentVariable(key.path);
        const ScopedVariable variable(name.c_str(), bytes(key.example));
        const auto result = loadDefaultConfig();
        QVERIFY2(result, result ? name.c_str() : result.error().describe().c_str());
        QVERIFY2(!anyStartsWith(result->warnings, bytes(name)), name.c_str());
    }
    QCOMPARE(environmentVariable("storage.maintenance.uploadpurging.age"),
             "REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE");
}

// A typical CNCF Distribution config file, as Debian's docker-registry package installs it
// (/etc/docker/registry/config.yml) but without its auth section.
static const QByteArray distributionConfig = R"(version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
)";

void TestConfig::readsDistributionConfigFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto path = dir.filePath(QStringLiteral("config.yml"));
    writeFile(path, distributionConfig);

    const auto result = loadConfigFile(path.toStdString());
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    QCOMPARE(result->warnings.size(), 1u);
    QVERIFY(result->warnings.front().starts_with("storage.cache: "));

    Config expected;
    expected.log.fields = {{"service", "registry"}};
    expected.storage.driver = FilesystemDriverConfig{"/var/lib/docker-registry", 100};
    expected.storage.deleteEnabled = true;
    expected.http.addr = ListenAddress{{}, 5000};
    expected.http.headers = {{"X-Content-Type-Options", {"nosniff"}}};
    expected.health.storageDriver = StorageDriverHealthConfig{true, 10s, 3};
    QVERIFY(result->config == expected);
}

void TestConfig::refusesToDropAuthentication()
{
    // Serving without the token protection the file asks for would open the registry to anyone.
    const auto result =
        parse(distributionConfig + "auth:\n  token:\n    realm: https://auth.example.com/token\n"
                                   "    service: registry\n");
    QVERIFY(!result);
    QCOMPARE(result.error().key, "auth.token");
    QCOMPARE(result.error().line, 22);
}

void TestConfig::htpasswd_data()
{
    QTest::addColumn<QByteArray>("yaml");    // after minimal; FILE is an htpasswd file, DIR a directory
    QTest::addColumn<QByteArray>("key");     // of the error; empty: valid
    QTest::addColumn<QByteArray>("message"); // a part of the error, or the start of the one warning
    QTest::addColumn<int>("line");

    const QByteArray auth = "auth:\n  htpasswd:\n";
    QTest::newRow("realm and path") << auth + "    realm: basic-realm\n    path: FILE\n"
                                    << QByteArray() << QByteArray() << 0;
    QTest::newRow("unknown key") << auth + "    realm: basic-realm\n    path: FILE\n    users: 3\n"
                                 << QByteArray()
                                 << QByteArray("auth.htpasswd.users: unknown key; ignored (line 8)") << 0;
    QTest::newRow("realm missing") << auth + "    path: FILE\n"
                                   << QByteArray("auth.htpasswd.realm") << QByteArray("missing") << 5;
    QTest::newRow("realm empty") << auth + "    realm: \"\"\n    path: FILE\n"
                                 << QByteArray("auth.htpasswd.realm") << QByteArray("must not be empty") << 6;
    QTest::newRow("realm with a quote")
        << auth + "    realm: 'a\"b'\n    path: FILE\n"
        << QByteArray("auth.htpasswd.realm") << QByteArray("must not contain quotes") << 6;
    QTest::newRow("path missing") << auth + "    realm: basic-realm\n"
                                  << QByteArray("auth.htpasswd.path") << QByteArray("missing") << 5;
    QTest::newRow("path to nothing") << auth + "    realm: basic-realm\n    path: FILE.missing\n"
                                     << QByteArray("auth.htpasswd.path") << QByteArray("no such file") << 7;
    QTest::newRow("path to a directory")
        << auth + "    realm: basic-realm\n    path: DIR\n"
        << QByteArray("auth.htpasswd.path") << QByteArray("not a regular file") << 7;
    QTest::newRow("htpasswd empty") << auth << QByteArray("auth.htpasswd.realm") << QByteArray("missing")
                                    << 5;
    QTest::newRow("token") << QByteArray("auth:\n  token:\n    realm: https://auth.example.com/token\n")
                           << QByteArray("auth.token")
                           << QByteArray("authentication kind \"token\" is not supported by berthd yet") << 5;
    QTest::newRow("silly") << QByteArray("auth:\n  silly:\n    realm: r\n    service: s\n")
                           << QByteArray("auth.silly") << QByteArray("\"silly\" is not supported") << 5;
    QTest::newRow("htpasswd beside token") << auth + "    realm: basic-realm\n    path: FILE\n  token: {}\n"
                                           << QByteArray("auth.token") << QByteArray("not supported") << 8;
}

void TestConfig::htpasswd()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, message);
    QFETCH(int, line);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto file = dir.filePath(QStringLiteral("htpasswd"));
    writeFile(file, "alice:$2y$05$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n");
    yaml.replace("FILE", file.toUtf8()).replace("DIR", dir.path().toUtf8());

    const auto result = parse(minimal + yaml);
    if (!key.isEmpty()) {
        QVERIFY2(!result, "the config was accepted");
        QCOMPARE(bytes(result.error().key), key);
        QVERIFY2(bytes(result.error().message).contains(message), result.error().describe().c_str());
        QCOMPARE(result.error().line, line);
        return;
    }
    QVERIFY2(result, result ? "" : result.error().describe().c_str());
    QCOMPARE(result->warnings.size(), message.isEmpty() ? 0u : 1u);
    if (!message.isEmpty())
        QVERIFY2(bytes(result->warnings.front()).startsWith(message), result->warnings.front().c_str());
    QVERIFY(result->config.auth.htpasswd == (HtpasswdConfig{"basic-realm", file.toStdString()}));

    const auto readBack = parseConfig(redactedYaml(result->config));
    QVERIFY2(readBack, readBack ? "" : readBack.error().describe().c_str());
    QVERIFY(readBack->config == result->config);

    // The same from the environment, as Distribution reads it.
    const ScopedVariable realm("REGISTRY_AUTH_HTPASSWD_REALM", "basic-realm");
    const ScopedVariable path("REGISTRY_AUTH_HTPASSWD_PATH", file.toUtf8());
    const auto fromEnvironment = loadDefaultConfig();
    QVERIFY2(fromEnvironment, fromEnvironment ? "" : fromEnvironment.error().describe().c_str());
    QVERIFY(fromEnvironment->config.auth.htpasswd == result->config.auth.htpasswd);
}

void TestConfig::missingFileIsAClearError()
{
    const auto missing = loadConfigFile("/nonexistent/berth/config.yml");
    QVERIFY(!missing);
    QCOMPARE(missing.error().describe(),
             "cannot read config file /nonexistent/berth/config.yml: No such file or directory");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto directory = loadConfigFile(dir.path().toStdString());
    QVERIFY(!directory);
    QVERIFY2(directory.error().message.ends_with("it is a directory"), directory.error().message.c_str());
}

void TestConfig::redactedYamlHidesSecretsAndReadsBack_data()
{
    QTest::addColumn<QByteArray>("yaml");

    QTest::newRow("distribution") << distributionConfig;
    QTest::newRow("in memory, everything set")
        << QByteArray(minimal) +
               "log:\n  level: warn\n  fields:\n    empty: \"\"\n    tilde: \"~\"\n    colon: \"a: b\"\n"
               "    hash: \"#x\"\n    yes: \"yes\"\n  accesslog:\n    disabled: true\n"
               "  maintenance:\n    uploadpurging:\n      enabled: false\n      age: 90m\n      interval: "
               "1h30s\n"
               "      dryrun: true\n    readonly:\n      enabled: true\n"
               "http:\n  addr: \"[::1]:5443\"\n  host: https://registry.example.com/\n  secret: hunter2\n"
               "  relativeurls: true\n  draintimeout: 250ms\n"
               "  headers:\n    X-Empty: []\n    X-Quoted: [\"a, b\", \"'c'\"]\n"
               "  debug:\n    addr: :5002\n    prometheus:\n      enabled: true\n      path: /m\n"
               "health:\n  storagedriver:\n    enabled: true\n    interval: 1m\n    threshold: 2\n"
               "admin:\n  addr: 127.0.0.2:5999\n  token: s3cret-admin\n"
               "berth:\n  http:\n    headertimeout: 3s\n    idletimeout: 1h\n    maxconnections: 12\n"
               "  retention:\n    schedule: 12h\n    protect: [latest, \"release-*\", \"1.0\"]\n    rules:\n"
               "      - repositories: \"team/**\"\n        tags: {include: \"^v\", exclude: \"-rc$\"}\n"
               "        keep: {most_recent: 5, highest_versions: 3, pushed_within_days: 30}\n"
               "        untagged_older_than_days: 7\n      - {repositories: \"*\", untagged_older_than_days: 0}\n"
               "  storage:\n    minfreespace: 1500MB\n";
}

void TestConfig::redactedYamlHidesSecretsAndReadsBack()
{
    QFETCH(QByteArray, yaml);

    const auto original = parse(yaml);
    QVERIFY2(original, original ? "" : original.error().describe().c_str());
    const auto text = redactedYaml(original->config);
    if (!original->config.http.secret.empty()) {
        QVERIFY(!bytes(text).contains(bytes(original->config.http.secret)));
        QVERIFY(bytes(text).contains("secret: <redacted>"));
    }
    if (!original->config.admin.token.empty()) {
        QVERIFY(!bytes(text).contains(bytes(original->config.admin.token)));
        QVERIFY(bytes(text).contains("token: <redacted>"));
    }

    const auto readBack = parseConfig(text);
    QVERIFY2(readBack, readBack ? "" : readBack.error().describe().c_str());
    QVERIFY2(readBack->warnings.empty(), joined(readBack->warnings).constData());
    auto expected = original->config;
    if (!expected.http.secret.empty())
        expected.http.secret = "<redacted>";
    if (!expected.admin.token.empty())
        expected.admin.token = "<redacted>";
    QVERIFY2(readBack->config == expected, text.c_str());
}

QTEST_GUILESS_MAIN(TestConfig)
#include "TestConfig.moc"
