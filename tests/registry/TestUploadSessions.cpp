// Upload sessions: appending, completing against a digest, cancelling, exclusive use,
// resuming after a restart, and concurrent uploads of the same content.

#include "RegistryFixtures.h"
#include "RegistryHarness.h"
#include "registry/Layout.h"

#include <QTest>
#include <algorithm>
#include <array>
#include <latch>
#include <thread>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr std::string_view repository = "library/app";

// Appends `data` in pieces of `piece` bytes; false at the first failure.
bool appendInPieces(registry::UploadSession& session, const QByteArray& data, std::size_t piece)
{
    const auto bytes = bytesOf(data);
    for (std::size_t offset = 0; offset < bytes.size(); offset += piece) {
        if (!session.append(bytes.subspan(offset, std::min(piece, bytes.size() - offset))))
            return false;
    }
    return true;
}

// One whole upload on the calling thread (a lease is released by the thread that took it);
// the appends start when every thread has its session. "ok" or what went wrong.
QByteArray uploadWhenAllReady(registry::UploadSessions& uploads, const std::string& repo,
                              const QByteArray& data, std::latch& ready)
{
    auto uuid = uploads.create(repo);
    auto lease =
        uuid ? uploads.acquire(repo, *uuid) : oci::Result<registry::UploadLease>(unexpected(uuid.error()));
    ready.arrive_and_wait();
    if (!lease)
        return describe(lease.error());
    if (!appendInPieces(**lease, data, 16 * 1024 + 1))
        return "append failed";
    const auto blob = uploads.complete(std::move(lease).value(), digestOf(data));
    if (!blob)
        return describe(blob.error());
    return blob->size == std::uint64_t(data.size()) ? "ok" : "wrong size";
}

} // namespace

class TestUploadSessions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data() { addDriverRows(); }
    void init();
    void cleanup() { m_harness.close(); }

    void createAppendComplete();
    void completeEmptyUpload();
    void wrongDigestStoresNothing_data();
    void wrongDigestStoresNothing();
    void cancelRemovesEverything();
    void unknownOrMalformedIds_data();
    void unknownOrMalformedIds();
    void secondAcquireIsRefused();
    void resumesAfterRestart_data();
    void resumesAfterRestart();
    void cancelAfterRestart();
    void completesWithSha512();
    void sameContentFromTwoThreads_data();
    void sameContentFromTwoThreads();
    void largeUploadInManyAppends();

private:
    registry::Registry& registry() { return m_harness.registry(); }
    QStringList uploadFiles()
    {
        return m_harness.files(registry::layout::repository(repository) + "/_uploads");
    }

    RegistryHarness m_harness;
};

void TestUploadSessions::init()
{
    QFETCH_GLOBAL(QString, driver);
    QVERIFY2(m_harness.open(driver), qPrintable(m_harness.errorString()));
}

void TestUploadSessions::createAppendComplete()
{
    const QByteArray data = randomBytes(10000);
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    QVERIFY(registry::UploadSessions::isValidUuid(*uuid));
    {
        auto lease = registry().uploads().acquire(repository, *uuid);
        VERIFY_OK(lease);
        QCOMPARE(QString::fromStdString((*lease)->uuid()), QString::fromStdString(*uuid));
        QCOMPARE(QString::fromStdString((*lease)->repository()), QString::fromLatin1(repository));
        QCOMPARE((*lease)->size(), std::uint64_t{0});
        VERIFY_OK((*lease)->append(bytesOf(data.left(1))));
        VERIFY_OK((*lease)->append(bytesOf(data.mid(1, 4999))));
        QCOMPARE((*lease)->size(), std::uint64_t{5000});
    }
    // A second request continues where the first stopped.
    auto lease = registry().uploads().acquire(repository, *uuid);
    VERIFY_OK(lease);
    QCOMPARE((*lease)->size(), std::uint64_t{5000});
    VERIFY_OK((*lease)->append(bytesOf(data.mid(5000))));
    const auto blob = registry().uploads().complete(std::move(lease).value(), digestOf(data));
    VERIFY_OK(blob);
    QCOMPARE(blob->digest, digestOf(data));
    QCOMPARE(blob->size, std::uint64_t{10000});

    const auto stat = registry().blobs().stat(repository, digestOf(data));
    VERIFY_OK(stat);
    QCOMPARE(stat->size, std::uint64_t{10000});
    QCOMPARE(readBlob(registry(), repository, digestOf(data)), data);
    QCOMPARE(uploadFiles(), QStringList());
    QCOMPARE(codeOf(registry().uploads().acquire(repository, *uuid)), "BLOB_UPLOAD_UNKNOWN"_ba);
}

void TestUploadSessions::completeEmptyUpload()
{
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    auto lease = registry().uploads().acquire(repository, *uuid);
    VERIFY_OK(lease);
    const auto blob = registry().uploads().complete(std::move(lease).value(), digestOf({}));
    VERIFY_OK(blob);
    QCOMPARE(blob->size, std::uint64_t{0});
    QCOMPARE(readBlob(registry(), repository, digestOf({})), QByteArray());
}

void TestUploadSessions::wrongDigestStoresNothing_data()
{
    QTest::addColumn<QByteArray>("claimed"); // content whose digest is claimed
    QTest::addColumn<bool>("sha512");
    QTest::newRow("other content") << QByteArrayLiteral("something else") << false;
    QTest::newRow("one byte short") << QByteArrayLiteral("uploaded conten") << false;
    QTest::newRow("other content, sha512") << QByteArrayLiteral("something else") << true;
}

void TestUploadSessions::wrongDigestStoresNothing()
{
    QFETCH(QByteArray, claimed);
    QFETCH(bool, sha512);
    const QByteArray data = QByteArrayLiteral("uploaded content");
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    auto lease = registry().uploads().acquire(repository, *uuid);
    VERIFY_OK(lease);
    VERIFY_OK((*lease)->append(bytesOf(data)));
    const auto algorithm = sha512 ? oci::DigestAlgorithm::Sha512 : oci::DigestAlgorithm::Sha256;
    QCOMPARE(codeOf(registry().uploads().complete(std::move(lease).value(), digestOf(claimed, algorithm))),
             "DIGEST_INVALID"_ba);

    // No blob under either digest, no link, no upload directory: the store is empty again.
    QCOMPARE(m_harness.files(), QStringList());
    QCOMPARE(codeOf(registry().blobs().stat(repository, digestOf(data, algorithm))), "BLOB_UNKNOWN"_ba);
    QCOMPARE(codeOf(registry().blobs().stat(repository, digestOf(claimed, algorithm))), "BLOB_UNKNOWN"_ba);
    QCOMPARE(codeOf(registry().uploads().acquire(repository, *uuid)), "BLOB_UPLOAD_UNKNOWN"_ba);
}

void TestUploadSessions::cancelRemovesEverything()
{
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    {
        auto lease = registry().uploads().acquire(repository, *uuid);
        VERIFY_OK(lease);
        VERIFY_OK((*lease)->append(bytesOf(randomBytes(3000))));
    }
    QVERIFY(!uploadFiles().isEmpty());
    VERIFY_OK(registry().uploads().cancel(repository, *uuid));
    QCOMPARE(m_harness.files(), QStringList());
    QCOMPARE(codeOf(registry().uploads().acquire(repository, *uuid)), "BLOB_UPLOAD_UNKNOWN"_ba);
    QCOMPARE(codeOf(registry().uploads().cancel(repository, *uuid)), "BLOB_UPLOAD_UNKNOWN"_ba);
}

void TestUploadSessions::unknownOrMalformedIds_data()
{
    // "<id>" stands for the id of a real session in library/app, "<ID>" for it in upper case.
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("uuid");
    const QString app = QString::fromLatin1(repository);
    QTest::newRow("empty") << app << QString();
    QTest::newRow("parent directory") << app << u"../x"_s;
    QTest::newRow("escape the root") << app << u"../../../../../../etc/passwd"_s;
    QTest::newRow("36 dots and slashes") << app << u"../../../../../../../../../../../../"_s;
    QTest::newRow("36 characters of junk") << app << u"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"_s;
    QTest::newRow("dashes misplaced") << app << u"0123456789ab-cdef-0123-4567-89abcdef"_s;
    QTest::newRow("well formed, unknown") << app << u"0f1e2d3c-4b5a-4697-8877-665544332211"_s;
    QTest::newRow("upper case") << app << u"<ID>"_s;
    QTest::newRow("trailing slash") << app << u"<id>/"_s;
    QTest::newRow("below the session") << app << u"<id>/data"_s;
    QTest::newRow("another repository's session") << u"library/other"_s << u"<id>"_s;
    QTest::newRow("parent repository") << u"library"_s << u"<id>"_s;
}

void TestUploadSessions::unknownOrMalformedIds()
{
    QFETCH(QString, where);
    QFETCH(QString, uuid);
    auto session = registry().uploads().create(repository);
    VERIFY_OK(session);
    const QString id = QString::fromStdString(*session);
    const std::string asked = uuid.replace(u"<id>"_s, id).replace(u"<ID>"_s, id.toUpper()).toStdString();
    const std::string askedRepository = where.toStdString();
    const QStringList before = m_harness.files();

    QCOMPARE(codeOf(registry().uploads().acquire(askedRepository, asked)), "BLOB_UPLOAD_UNKNOWN"_ba);
    QCOMPARE(codeOf(registry().uploads().cancel(askedRepository, asked)), "BLOB_UPLOAD_UNKNOWN"_ba);
    QCOMPARE(m_harness.files(), before);
    // The real session is untouched.
    VERIFY_OK(registry().uploads().acquire(repository, *session));
}

void TestUploadSessions::secondAcquireIsRefused()
{
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    {
        auto lease = registry().uploads().acquire(repository, *uuid);
        VERIFY_OK(lease);
        // Another request, on another thread, while the first one holds the session.
        QByteArray acquired;
        QByteArray cancelled;
        std::thread([&] {
            acquired = codeOf(registry().uploads().acquire(repository, *uuid));
            cancelled = codeOf(registry().uploads().cancel(repository, *uuid));
        }).join();
        QCOMPARE(acquired, "BLOB_UPLOAD_INVALID"_ba);
        QCOMPARE(cancelled, "BLOB_UPLOAD_INVALID"_ba);
        VERIFY_OK((*lease)->append(bytesOf("still mine"_ba)));
    }
    // Released: the next request gets it, with the bytes the first one wrote.
    auto again = registry().uploads().acquire(repository, *uuid);
    VERIFY_OK(again);
    QCOMPARE((*again)->size(), std::uint64_t{10});
}

void TestUploadSessions::resumesAfterRestart_data()
{
    QTest::addColumn<qsizetype>("before"); // bytes appended before the restart
    QTest::addColumn<bool>("sha512");
    QTest::newRow("nothing appended") << qsizetype(0) << false;
    QTest::newRow("some bytes") << qsizetype(70001) << false;
    QTest::newRow("some bytes, completed as sha512") << qsizetype(70001) << true;
}

void TestUploadSessions::resumesAfterRestart()
{
    QFETCH(qsizetype, before);
    QFETCH(bool, sha512);
    const QByteArray data = randomBytes(before + 50000);
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    std::chrono::system_clock::time_point started;
    {
        auto lease = registry().uploads().acquire(repository, *uuid);
        VERIFY_OK(lease);
        started = (*lease)->started();
        VERIFY_OK((*lease)->append(bytesOf(data.left(before))));
    }

    QVERIFY2(m_harness.restart(), qPrintable(m_harness.errorString()));
    auto lease = registry().uploads().acquire(repository, *uuid);
    VERIFY_OK(lease);
    QCOMPARE((*lease)->size(), std::uint64_t(before));
    // startedat keeps whole seconds.
    QVERIFY(std::chrono::abs((*lease)->started() - started) < std::chrono::seconds(1));
    VERIFY_OK((*lease)->append(bytesOf(data.mid(before))));
    const auto digest = digestOf(data, sha512 ? oci::DigestAlgorithm::Sha512 : oci::DigestAlgorithm::Sha256);
    const auto blob = registry().uploads().complete(std::move(lease).value(), digest);
    VERIFY_OK(blob);
    QCOMPARE(blob->digest, digest);
    QCOMPARE(blob->size, std::uint64_t(data.size()));
    QCOMPARE(readBlob(registry(), repository, digest), data);
    QCOMPARE(uploadFiles(), QStringList());
}

void TestUploadSessions::cancelAfterRestart()
{
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    {
        auto lease = registry().uploads().acquire(repository, *uuid);
        VERIFY_OK(lease);
        VERIFY_OK((*lease)->append(bytesOf(randomBytes(1000))));
    }
    QVERIFY2(m_harness.restart(), qPrintable(m_harness.errorString()));
    VERIFY_OK(registry().uploads().cancel(repository, *uuid));
    QCOMPARE(m_harness.files(), QStringList());
    QCOMPARE(codeOf(registry().uploads().acquire(repository, *uuid)), "BLOB_UPLOAD_UNKNOWN"_ba);
}

void TestUploadSessions::completesWithSha512()
{
    const QByteArray data = randomBytes(123457);
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    auto lease = registry().uploads().acquire(repository, *uuid);
    VERIFY_OK(lease);
    QVERIFY(appendInPieces(**lease, data, 4096));
    const auto digest = digestOf(data, oci::DigestAlgorithm::Sha512);
    const auto blob = registry().uploads().complete(std::move(lease).value(), digest);
    VERIFY_OK(blob);
    QCOMPARE(blob->digest, digest);
    QCOMPARE(blob->size, std::uint64_t(data.size()));
    QCOMPARE(readBlob(registry(), repository, digest), data);
    // Stored under its sha512 name only.
    QCOMPARE(m_harness.files(registry::layout::blobsRoot()),
             QStringList{QString::fromStdString(registry::layout::blobData(digest))});
    QVERIFY(m_harness.files(registry::layout::blobsRoot()).first().contains("/sha512/"_L1));
}

void TestUploadSessions::sameContentFromTwoThreads_data()
{
    QTest::addColumn<QString>("otherRepository");
    QTest::newRow("same repository") << QString::fromLatin1(repository);
    QTest::newRow("two repositories") << u"library/other"_s;
}

void TestUploadSessions::sameContentFromTwoThreads()
{
    QFETCH(QString, otherRepository);
    const std::array<std::string, 2> repositories{std::string(repository), otherRepository.toStdString()};
    // Many short rounds, so the two completions race in different orders.
    for (int round = 0; round < 10; ++round) {
        const QByteArray data = randomBytes(512 * 1024 + round);
        std::array<QByteArray, 2> outcomes;
        std::latch ready(2);
        std::array<std::thread, 2> threads;
        for (std::size_t i = 0; i < threads.size(); ++i) {
            threads[i] = std::thread([&, i] {
                outcomes[i] = uploadWhenAllReady(registry().uploads(), repositories[i], data, ready);
            });
        }
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(outcomes[0], "ok"_ba);
        QCOMPARE(outcomes[1], "ok"_ba);
        for (const auto& name : repositories) {
            QCOMPARE(readBlob(registry(), name, digestOf(data)), data);
            QCOMPARE(m_harness.files(registry::layout::repository(name) + "/_uploads"), QStringList());
        }
    }
}

void TestUploadSessions::largeUploadInManyAppends()
{
    constexpr qsizetype size = 32 * 1024 * 1024;
    const QByteArray data = randomBytes(size);
    auto uuid = registry().uploads().create(repository);
    VERIFY_OK(uuid);
    auto lease = registry().uploads().acquire(repository, *uuid);
    VERIFY_OK(lease);
    // Pieces of uneven sizes, so none lines up with a buffer boundary.
    const auto bytes = bytesOf(data);
    std::size_t offset = 0;
    for (std::size_t piece = 1; offset < bytes.size(); piece = piece * 7 % 100003 + 1) {
        const auto chunk = bytes.subspan(offset, std::min(piece, bytes.size() - offset));
        VERIFY_OK((*lease)->append(chunk));
        offset += chunk.size();
    }
    QCOMPARE((*lease)->size(), std::uint64_t(size));
    const auto blob = registry().uploads().complete(std::move(lease).value(), digestOf(data));
    VERIFY_OK(blob);
    QCOMPARE(blob->size, std::uint64_t(size));
    QCOMPARE(digestOf(readBlob(registry(), repository, digestOf(data))), digestOf(data));
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestUploadSessions)
#include "TestUploadSessions.moc"
