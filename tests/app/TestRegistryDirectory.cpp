// The registries the user added, kept in QSettings: what is saved comes back in a new
// directory over the same file, the same registry spelled differently is one entry,
// removing works, every change is signalled, and nothing secret is among the keys.

#include "app/RegistryDirectory.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

const QByteArray certificatePem =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTest\n-----END CERTIFICATE-----\n";

QStringList names(const QList<RegistryEntry>& entries)
{
    QStringList result;
    for (const RegistryEntry& entry : entries)
        result.append(entry.name + u'=' + entry.url.toString());
    return result;
}

} // namespace

class TestRegistryDirectory : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void emptyAtFirst();
    void savedEntriesComeBack();
    void sameRegistryIsReplaced_data();
    void sameRegistryIsReplaced();
    void remove();
    void removeUnknownChangesNothing();
    void nothingSecretInTheFile();

private:
    // A settings object over the test's file, as a new console run would open it.
    std::unique_ptr<QSettings> openSettings() const;

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<RegistryDirectory> m_directory;
};

std::unique_ptr<QSettings> TestRegistryDirectory::openSettings() const
{
    return std::make_unique<QSettings>(m_dir.filePath(u"berth.ini"_s), QSettings::IniFormat);
}

void TestRegistryDirectory::init()
{
    QVERIFY(m_dir.isValid());
    QFile::remove(m_dir.filePath(u"berth.ini"_s));
    m_settings = openSettings();
    m_directory = std::make_unique<RegistryDirectory>(m_settings.get());
}

void TestRegistryDirectory::cleanup()
{
    m_directory.reset();
    m_settings.reset();
}

void TestRegistryDirectory::emptyAtFirst()
{
    QVERIFY(m_directory->entries().isEmpty());
}

void TestRegistryDirectory::savedEntriesComeBack()
{
    QSignalSpy changed(m_directory.get(), &RegistryDirectory::changed);
    m_directory->save(
        {u"Team registry"_s, QUrl(u"https://registry.example.com"_s), u"alice"_s, certificatePem});
    m_directory->save({QString(), QUrl(u"http://127.0.0.1:5000"_s), QString(), QByteArray()});
    QCOMPARE(changed.size(), 2);

    // A new directory over the same file, as at the next start.
    const auto settings = openSettings();
    const QList<RegistryEntry> entries = RegistryDirectory(settings.get()).entries();
    QCOMPARE(names(entries), QStringList({u"Team registry=https://registry.example.com"_s,
                                          u"127.0.0.1:5000=http://127.0.0.1:5000"_s}));
    QCOMPARE(entries.at(0).username, u"alice"_s);
    QCOMPARE(entries.at(0).trustedCertificatePem, certificatePem);
    QVERIFY(entries.at(1).username.isEmpty());
    QVERIFY(entries.at(1).trustedCertificatePem.isEmpty());
}

void TestRegistryDirectory::sameRegistryIsReplaced_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");

    QTest::newRow("identical") << u"https://registry.example.com"_s << u"https://registry.example.com"_s;
    QTest::newRow("trailing slash") << u"https://registry.example.com"_s
                                    << u"https://registry.example.com/"_s;
    QTest::newRow("host case") << u"https://registry.example.com"_s << u"https://Registry.Example.COM"_s;
    QTest::newRow("default port") << u"https://registry.example.com"_s
                                  << u"https://registry.example.com:443"_s;
    QTest::newRow("user info") << u"http://127.0.0.1:5000"_s << u"http://bob@127.0.0.1:5000/"_s;
}

void TestRegistryDirectory::sameRegistryIsReplaced()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    m_directory->save({u"first"_s, QUrl(first), u"alice"_s, {}});
    m_directory->save({u"other"_s, QUrl(u"https://other.example.com:5000"_s), {}, {}});
    m_directory->save({u"second"_s, QUrl(second), u"bob"_s, certificatePem});

    const QList<RegistryEntry> entries = m_directory->entries();
    QCOMPARE(entries.size(), 2);
    // Replaced where it was, not moved to the end.
    QCOMPARE(entries.at(0).name, u"second"_s);
    QCOMPARE(entries.at(0).username, u"bob"_s);
    QCOMPARE(entries.at(0).trustedCertificatePem, certificatePem);
    QCOMPARE(entries.at(1).name, u"other"_s);
}

void TestRegistryDirectory::remove()
{
    m_directory->save({u"a"_s, QUrl(u"https://a.example.com"_s), {}, {}});
    m_directory->save({u"b"_s, QUrl(u"https://b.example.com"_s), {}, {}});
    m_directory->save({u"c"_s, QUrl(u"https://c.example.com"_s), {}, {}});
    QSignalSpy changed(m_directory.get(), &RegistryDirectory::changed);

    m_directory->remove(QUrl(u"https://B.example.com/"_s));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(names(m_directory->entries()),
             QStringList({u"a=https://a.example.com"_s, u"c=https://c.example.com"_s}));

    // The shorter list is what a new start reads: no stale third item.
    const auto settings = openSettings();
    QCOMPARE(RegistryDirectory(settings.get()).entries().size(), 2);
}

void TestRegistryDirectory::removeUnknownChangesNothing()
{
    m_directory->save({u"a"_s, QUrl(u"https://a.example.com"_s), {}, {}});
    QSignalSpy changed(m_directory.get(), &RegistryDirectory::changed);
    m_directory->remove(QUrl(u"https://unknown.example.com"_s));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(m_directory->entries().size(), 1);
}

void TestRegistryDirectory::nothingSecretInTheFile()
{
    m_directory->save({u"a"_s, QUrl(u"https://alice:hunter2@a.example.com"_s), u"alice"_s, {}});
    m_settings->sync();
    QFile file(m_dir.filePath(u"berth.ini"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY2(content.contains("a.example.com"), content.constData());
    QVERIFY2(!content.contains("hunter2"), content.constData());
}

} // namespace berth::app

QTEST_GUILESS_MAIN(berth::app::TestRegistryDirectory)
#include "TestRegistryDirectory.moc"
