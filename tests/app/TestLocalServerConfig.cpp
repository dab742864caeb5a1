// LocalServerConfig: the config.yml the console writes for its berthd passes berthd's own
// check for every kind of listen address and folder name, says exactly what was set,
// defaults to the user's data directory, and reports a folder it cannot create.

#include "CommandRunner.h"
#include "RegistryProcess.h"
#include "app/LocalServerConfig.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using berth::app::LocalServerConfig;
using berth::app::LocalServerSettings;

class TestLocalServerConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void berthdAcceptsIt_data();
    void berthdAcceptsIt();
    void defaultsToTheUserDataDirectory();
    void reportsAFolderItCannotCreate();
};

void TestLocalServerConfig::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setApplicationName(u"berth-test"_s);
}

void TestLocalServerConfig::berthdAcceptsIt_data()
{
    QTest::addColumn<QString>("listenAddress");
    QTest::addColumn<quint16>("port");
    QTest::addColumn<quint16>("adminPort");
    QTest::addColumn<QString>("storageName");
    QTest::addColumn<QByteArray>("expectedLines");

    QTest::newRow("loopback") << u"127.0.0.1"_s << quint16(5000) << quint16(5001) << u"registry"_s
                              << QByteArray("  addr: \"127.0.0.1:5000\"\n  draintimeout: 3s\nadmin:\n"
                                            "  addr: 127.0.0.1:5001\n");
    QTest::newRow("every interface") << QString() << quint16(5000) << quint16(5001) << u"registry"_s
                                     << QByteArray("  addr: \":5000\"\n");
    QTest::newRow("IPv6") << u"::1"_s << quint16(443) << quint16(0) << u"registry"_s
                          << QByteArray("  addr: \"[::1]:443\"\n");
    QTest::newRow("free ports") << u"127.0.0.1"_s << quint16(0) << quint16(0) << u"registry"_s
                                << QByteArray("  addr: \"127.0.0.1:0\"\n  draintimeout: 3s\nadmin:\n"
                                              "  addr: 127.0.0.1:0\n");
    QTest::newRow("folder with spaces, quotes, backslash, colon")
        << u"127.0.0.1"_s << quint16(5000) << quint16(5001) << uR"(my "images" \ here: #1)"_s
        << QByteArray(R"(my \"images\" \\ here: #1")");
    QTest::newRow("folder with non-ASCII") << u"127.0.0.1"_s << quint16(5000) << quint16(5001)
                                           << u"Bilder-镜像"_s << u"Bilder-镜像\""_s.toUtf8();
}

void TestLocalServerConfig::berthdAcceptsIt()
{
    QFETCH(QString, listenAddress);
    QFETCH(quint16, port);
    QFETCH(quint16, adminPort);
    QFETCH(QString, storageName);
    QFETCH(QByteArray, expectedLines);

    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    LocalServerSettings settings;
    settings.listenAddress = listenAddress;
    settings.port = port;
    settings.adminPort = adminPort;
    settings.storageFolder = directory.filePath(storageName);
    settings.dataFolder = directory.filePath(u"data"_s);
    const LocalServerConfig config(settings);

    const auto written = config.write();
    QVERIFY2(written, qPrintable(written ? QString() : written.error()));
    QCOMPARE(*written, directory.filePath(u"data/config.yml"_s));
    QVERIFY(QFileInfo(settings.storageFolder).isDir());
    QFile file(*written);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray yaml = file.readAll();
    QCOMPARE(yaml, config.yaml());
    QVERIFY2(yaml.contains(expectedLines), yaml.constData());
    QVERIFY(yaml.contains("  delete:\n    enabled: true\n"));

    const auto check = berth::test::runCommand(berth::test::RegistryProcess::berthdPath(),
                                               {u"config"_s, u"check"_s, *written}, 30000);
    QVERIFY2(check.succeeded(), qPrintable(check.describe()));
    QVERIFY2(!check.out.contains("warning"), check.out.constData());
}

void TestLocalServerConfig::defaultsToTheUserDataDirectory()
{
    const LocalServerConfig config{LocalServerSettings{}};
    const QString userData = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QVERIFY(!userData.isEmpty());
    QCOMPARE(config.dataFolder(), userData);
    QCOMPARE(config.storageFolder(), userData + u"/registry"_s);
    QCOMPARE(config.configPath(), userData + u"/config.yml"_s);
    QCOMPARE(config.listenAddress(), u"127.0.0.1:5000"_s);
}

void TestLocalServerConfig::reportsAFolderItCannotCreate()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QFile blocker(directory.filePath(u"file"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    LocalServerSettings settings;
    settings.dataFolder = blocker.fileName() + u"/data"_s;
    settings.storageFolder = directory.filePath(u"storage"_s);

    const auto written = LocalServerConfig(settings).write();
    QVERIFY(!written);
    QVERIFY2(written.error().contains(settings.dataFolder), qPrintable(written.error()));
}

QTEST_GUILESS_MAIN(TestLocalServerConfig)

#include "TestLocalServerConfig.moc"
