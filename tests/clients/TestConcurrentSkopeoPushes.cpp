// Several `skopeo copy` pushes of one image at the same moment to berthd (same layers, same
// config): to one repository under one tag, to one repository under a tag each, and to a
// repository each. Every push must succeed, and every pushed reference must pull back byte
// for byte. Each row runs a bounded number of rounds, each with a fresh image.

#include "ClientSupport.h"
#include "ImageFactory.h"
#include "RegistryProcess.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr int pushCount = 6;
constexpr int maxRounds = 6;
constexpr qint64 rowBudgetMs = 15000; // no new round starts after this
constexpr int skopeoTimeoutMs = 120000;

// How the pushes of one round name their destinations.
enum class Destinations
{
    OneTag,
    TagEach,
    RepositoryEach
};

} // namespace

class TestConcurrentSkopeoPushes : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void pushesOfOneImage_data();
    void pushesOfOneImage();

private:
    // Runs one skopeo copy per pair of source and destination, all at once; returns the
    // failures, one line each.
    QStringList copyAll(const QStringList& sources, const QStringList& destinations) const;
    QString docker(const QString& nameAndReference) const;

    ContainersHome m_home;
    QTemporaryDir m_work;
    RegistryProcess m_registry;
};

void TestConcurrentSkopeoPushes::initTestCase()
{
    if (QStandardPaths::findExecutable(u"skopeo"_s).isEmpty())
        QSKIP("skopeo is not installed (Debian package skopeo)");
    QVERIFY(m_work.isValid());
    BERTH_VERIFY_OK(m_home.setUp());
    QVERIFY2(m_registry.start(), qPrintable(m_registry.errorString()));
}

void TestConcurrentSkopeoPushes::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning("berthd output (tail):\n%s", m_registry.output().right(8000).constData());
}

QString TestConcurrentSkopeoPushes::docker(const QString& nameAndReference) const
{
    return u"docker://"_s + m_registry.hostPort() + u'/' + nameAndReference;
}

QStringList TestConcurrentSkopeoPushes::copyAll(const QStringList& sources,
                                                const QStringList& destinations) const
{
    std::vector<std::unique_ptr<QProcess>> copies;
    for (qsizetype i = 0; i < sources.size(); ++i) {
        // --preserve-digests: the layers go up as they are, so every push stores the same blobs.
        copies.push_back(
            startClient(u"skopeo"_s,
                        {u"--registries.d"_s, m_home.filePath(u"registries.d"_s), u"--insecure-policy"_s,
                         u"copy"_s, u"--src-tls-verify=false"_s, u"--dest-tls-verify=false"_s,
                         u"--preserve-digests"_s, sources.at(i), destinations.at(i)},
                        m_home.environment()));
    }
    QStringList failures;
    for (const auto& copy : copies) {
        if (QString error = waitClient(*copy, skopeoTimeoutMs); !error.isEmpty())
            failures.append(error);
    }
    return failures;
}

void TestConcurrentSkopeoPushes::pushesOfOneImage_data()
{
    QTest::addColumn<Destinations>("destinations");
    QTest::newRow("one repository, one tag") << Destinations::OneTag;
    QTest::newRow("one repository, a tag each") << Destinations::TagEach;
    QTest::newRow("a repository each") << Destinations::RepositoryEach;
}

void TestConcurrentSkopeoPushes::pushesOfOneImage()
{
    QFETCH(Destinations, destinations);
    const QString row = QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-').remove(u',');
    QElapsedTimer elapsed;
    elapsed.start();
    for (int round = 0; round < maxRounds && (round == 0 || elapsed.elapsed() < rowBudgetMs); ++round) {
        const Image image =
            ImageFactory::image({ImageFactory::randomLayer(2 << 20), ImageFactory::randomLayer(64 << 10),
                                 ImageFactory::randomLayer(0, 0)});
        const QString prefix = u"%1/%2"_s.arg(row).arg(round);
        OciLayout source(m_work.filePath(prefix + u"/source"_s));
        BERTH_VERIFY_OK(source.write(image, u"image"_s));

        QStringList pushed;
        for (int i = 0; i < pushCount; ++i) {
            switch (destinations) {
            case Destinations::OneTag:
                pushed.append(docker(u"%1/image:latest"_s.arg(prefix)));
                break;
            case Destinations::TagEach:
                pushed.append(docker(u"%1/image:push%2"_s.arg(prefix).arg(i)));
                break;
            case Destinations::RepositoryEach:
                pushed.append(docker(u"%1/image%2:latest"_s.arg(prefix).arg(i)));
                break;
            }
        }
        QStringList failures = copyAll(QStringList(pushCount, source.reference(u"image"_s)), pushed);
        QVERIFY2(failures.isEmpty(), qPrintable(u"round %1, push: "_s.arg(round) + failures.join(u'\n')));

        // Pulled back at once too, each into its own layout.
        QList<OciLayout> pulls;
        QStringList pullTargets;
        for (int i = 0; i < pushCount; ++i) {
            pulls.append(OciLayout(m_work.filePath(u"%1/pull%2"_s.arg(prefix).arg(i))));
            pullTargets.append(pulls.last().reference(u"pulled"_s));
        }
        failures = copyAll(pushed, pullTargets);
        QVERIFY2(failures.isEmpty(), qPrintable(u"round %1, pull: "_s.arg(round) + failures.join(u'\n')));
        for (int i = 0; i < pushCount; ++i)
            BERTH_VERIFY_OK(pulls.at(i).compare(u"pulled"_s, image));
        qInfo("round %d: %d pushes and pulls after %lld ms", round, pushCount, elapsed.elapsed());
    }
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestConcurrentSkopeoPushes)
#include "TestConcurrentSkopeoPushes.moc"
