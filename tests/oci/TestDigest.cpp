// Digest parsing and streaming hashing.

#include "oci/Digest.h"

#include <QTest>
#include <vector>

using namespace berth::oci;

Q_DECLARE_METATYPE(berth::oci::ErrorCode)
Q_DECLARE_METATYPE(berth::oci::DigestAlgorithm)

namespace {

std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

QByteArray bytes(std::string_view text)
{
    return {text.data(), static_cast<qsizetype>(text.size())};
}

const QByteArray emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const QByteArray emptySha512 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                               "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
const QByteArray abcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const QByteArray abcSha512 = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                             "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

} // namespace

class TestDigest : public QObject
{
    Q_OBJECT

private slots:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void longInputIsShortenedInMessage();
    void ordering();
    void knownVectors_data();
    void knownVectors();
    void incrementalMatchesOneShot_data();
    void incrementalMatchesOneShot();
    void digestMidStreamKeepsHashing();
    void copyContinuesIndependently();
    void copyAssignmentContinuesIndependently();
    void movedHasherKeepsState();
};

void TestDigest::parseValid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<DigestAlgorithm>("algorithm");
    QTest::addColumn<QByteArray>("algorithmName");
    QTest::addColumn<QByteArray>("hex");

    QTest::newRow("sha256") << QByteArray("sha256:" + emptySha256) << DigestAlgorithm::Sha256
                            << QByteArray("sha256") << emptySha256;
    QTest::newRow("sha256 digits only")
        << QByteArray("sha256:" + QByteArray(64, '0')) << DigestAlgorithm::Sha256 << QByteArray("sha256")
        << QByteArray(64, '0');
    QTest::newRow("sha512") << QByteArray("sha512:" + emptySha512) << DigestAlgorithm::Sha512
                            << QByteArray("sha512") << emptySha512;
}

void TestDigest::parseValid()
{
    QFETCH(QByteArray, text);
    QFETCH(DigestAlgorithm, algorithm);
    QFETCH(QByteArray, algorithmName);
    QFETCH(QByteArray, hex);

    const auto digest = Digest::parse(view(text));
    QVERIFY2(digest, digest ? "" : digest.error().message.c_str());
    QVERIFY(digest->algorithm() == algorithm);
    QCOMPARE(bytes(digest->algorithmName()), algorithmName);
    QCOMPARE(QByteArray::fromStdString(digest->hex()), hex);
    QCOMPARE(QByteArray::fromStdString(digest->toString()), text);
}

void TestDigest::parseInvalid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<ErrorCode>("code");

    const QByteArray hex64 = emptySha256;
    QTest::newRow("empty") << QByteArray() << ErrorCode::DigestInvalid;
    QTest::newRow("no colon") << QByteArray("sha256") << ErrorCode::DigestInvalid;
    QTest::newRow("bare hex") << hex64 << ErrorCode::DigestInvalid;
    QTest::newRow("empty hex") << QByteArray("sha256:") << ErrorCode::DigestInvalid;
    QTest::newRow("empty algorithm") << QByteArray(":" + hex64) << ErrorCode::DigestInvalid;
    QTest::newRow("too short") << QByteArray("sha256:" + hex64.left(63)) << ErrorCode::DigestInvalid;
    QTest::newRow("too long") << QByteArray("sha256:" + hex64 + "0") << ErrorCode::DigestInvalid;
    QTest::newRow("upper-case hex") << QByteArray("sha256:" + hex64.toUpper()) << ErrorCode::DigestInvalid;
    QTest::newRow("one upper-case digit")
        << QByteArray("sha256:" + hex64.left(63) + "F") << ErrorCode::DigestInvalid;
    QTest::newRow("upper-case algorithm") << QByteArray("SHA256:" + hex64) << ErrorCode::DigestInvalid;
    QTest::newRow("not hex") << QByteArray("sha256:" + hex64.left(63) + "g") << ErrorCode::DigestInvalid;
    QTest::newRow("sha512 length for sha256")
        << QByteArray("sha256:" + emptySha512) << ErrorCode::DigestInvalid;
    QTest::newRow("sha256 length for sha512") << QByteArray("sha512:" + hex64) << ErrorCode::DigestInvalid;
    QTest::newRow("second colon") << QByteArray("sha256:" + hex64.left(32) + ":" + hex64.left(31))
                                  << ErrorCode::DigestInvalid;
    QTest::newRow("space") << QByteArray("sha256 :" + hex64) << ErrorCode::DigestInvalid;
    QTest::newRow("trailing newline") << QByteArray("sha256:" + hex64 + "\n") << ErrorCode::DigestInvalid;
    QTest::newRow("path traversal") << QByteArray("sha256:../../etc/passwd") << ErrorCode::DigestInvalid;
    QTest::newRow("leading separator") << QByteArray("+sha256:" + hex64) << ErrorCode::DigestInvalid;
    QTest::newRow("trailing separator") << QByteArray("sha256+:" + hex64) << ErrorCode::DigestInvalid;
    QTest::newRow("double separator") << QByteArray("sha256++b64u:" + hex64) << ErrorCode::DigestInvalid;
    QTest::newRow("nul byte") << QByteArray("sha256:\0abc", 11) << ErrorCode::DigestInvalid;
    QTest::newRow("md5") << QByteArray("md5:d41d8cd98f00b204e9800998ecf8427e") << ErrorCode::DigestInvalid;
    QTest::newRow("sha384") << QByteArray("sha384:" + QByteArray(96, 'a')) << ErrorCode::DigestInvalid;
    QTest::newRow("registered-looking unknown")
        << QByteArray("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564") << ErrorCode::DigestInvalid;
}

void TestDigest::parseInvalid()
{
    QFETCH(QByteArray, text);
    QFETCH(ErrorCode, code);

    const auto digest = Digest::parse(view(text));
    QVERIFY(!digest);
    QVERIFY2(digest.error().code == code, digest.error().message.c_str());
    QVERIFY(!digest.error().message.empty());
}

void TestDigest::longInputIsShortenedInMessage()
{
    const QByteArray huge = "sha256:" + QByteArray(100000, 'A');
    const auto digest = Digest::parse(view(huge));
    QVERIFY(!digest);
    QVERIFY2(digest.error().message.size() < 300, digest.error().message.c_str());
}

void TestDigest::ordering()
{
    const auto a = Digest::parse("sha256:" + std::string(64, 'a'));
    const auto b = Digest::parse("sha256:" + std::string(64, 'b'));
    QVERIFY(a && b);
    QVERIFY(*a < *b);
    QVERIFY(*a == *Digest::parse("sha256:" + std::string(64, 'a')));
    QVERIFY(!(*a == *b));
}

void TestDigest::knownVectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<DigestAlgorithm>("algorithm");
    QTest::addColumn<QByteArray>("hex");

    QTest::newRow("sha256 empty") << QByteArray() << DigestAlgorithm::Sha256 << emptySha256;
    QTest::newRow("sha256 abc") << QByteArray("abc") << DigestAlgorithm::Sha256 << abcSha256;
    QTest::newRow("sha256 two blocks")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") << DigestAlgorithm::Sha256
        << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QTest::newRow("sha256 million a")
        << QByteArray(1000000, 'a') << DigestAlgorithm::Sha256
        << QByteArray("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    QTest::newRow("sha512 empty") << QByteArray() << DigestAlgorithm::Sha512 << emptySha512;
    QTest::newRow("sha512 abc") << QByteArray("abc") << DigestAlgorithm::Sha512 << abcSha512;
}

void TestDigest::knownVectors()
{
    QFETCH(QByteArray, input);
    QFETCH(DigestAlgorithm, algorithm);
    QFETCH(QByteArray, hex);

    const auto oneShot = Digest::ofBytes(view(input), algorithm);
    QCOMPARE(QByteArray::fromStdString(oneShot.hex()), hex);
    QVERIFY(oneShot.algorithm() == algorithm);

    Hasher hasher(algorithm);
    hasher.update(view(input));
    QVERIFY(hasher.digest() == oneShot);
    QVERIFY(hasher.algorithm() == algorithm);
}

void TestDigest::incrementalMatchesOneShot_data()
{
    QTest::addColumn<DigestAlgorithm>("algorithm");
    QTest::addColumn<int>("chunkSize");

    for (int chunk : {1, 7, 64, 1000, 65536}) {
        QTest::addRow("sha256 chunks of %d", chunk) << DigestAlgorithm::Sha256 << chunk;
        QTest::addRow("sha512 chunks of %d", chunk) << DigestAlgorithm::Sha512 << chunk;
    }
}

void TestDigest::incrementalMatchesOneShot()
{
    QFETCH(DigestAlgorithm, algorithm);
    QFETCH(int, chunkSize);

    QByteArray data(100003, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>((i * 31 + 7) % 251);

    Hasher byString(algorithm);
    Hasher bySpan(algorithm);
    for (qsizetype offset = 0; offset < data.size(); offset += chunkSize) {
        const auto chunk =
            view(data).substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(chunkSize));
        byString.update(chunk);
        bySpan.update(std::as_bytes(std::span(chunk.data(), chunk.size())));
    }
    const auto expected = Digest::ofBytes(view(data), algorithm);
    QVERIFY(byString.digest() == expected);
    QVERIFY(bySpan.digest() == expected);
}

void TestDigest::digestMidStreamKeepsHashing()
{
    Hasher hasher;
    hasher.update("a");
    QVERIFY(hasher.digest() == Digest::ofBytes("a"));
    hasher.update("bc");
    QCOMPARE(QByteArray::fromStdString(hasher.digest().hex()), abcSha256);
}

void TestDigest::copyContinuesIndependently()
{
    Hasher original;
    original.update("ab");
    Hasher copy(original);
    original.update("c");
    copy.update("d");
    QCOMPARE(QByteArray::fromStdString(original.digest().hex()), abcSha256);
    QVERIFY(copy.digest() == Digest::ofBytes("abd"));
}

void TestDigest::copyAssignmentContinuesIndependently()
{
    Hasher original(DigestAlgorithm::Sha512);
    original.update("ab");
    Hasher copy;
    copy.update("unrelated");
    copy = original;
    QVERIFY(copy.algorithm() == DigestAlgorithm::Sha512);
    copy.update("c");
    original.update("x");
    QCOMPARE(QByteArray::fromStdString(copy.digest().hex()), abcSha512);
    QVERIFY(original.digest() == Digest::ofBytes("abx", DigestAlgorithm::Sha512));
}

void TestDigest::movedHasherKeepsState()
{
    Hasher original;
    original.update("ab");
    Hasher moved(std::move(original));
    moved.update("c");
    QCOMPARE(QByteArray::fromStdString(moved.digest().hex()), abcSha256);

    std::vector<Hasher> hashers;
    hashers.push_back(std::move(moved));
    QCOMPARE(QByteArray::fromStdString(hashers.front().digest().hex()), abcSha256);
}

QTEST_APPLESS_MAIN(TestDigest)
#include "TestDigest.moc"
