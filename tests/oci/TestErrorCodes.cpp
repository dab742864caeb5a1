// The spec's names for error codes, as they appear in error response bodies.

#include "oci/Error.h"

#include <QTest>

using namespace berth::oci;

Q_DECLARE_METATYPE(berth::oci::ErrorCode)

class TestErrorCodes : public QObject
{
    Q_OBJECT

private slots:
    void codeNames_data();
    void codeNames();
    void quotedShortensLongInput();
};

void TestErrorCodes::codeNames_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QByteArray>("name");

    QTest::newRow("BlobUnknown") << ErrorCode::BlobUnknown << QByteArray("BLOB_UNKNOWN");
    QTest::newRow("BlobUploadInvalid") << ErrorCode::BlobUploadInvalid << QByteArray("BLOB_UPLOAD_INVALID");
    QTest::newRow("BlobUploadUnknown") << ErrorCode::BlobUploadUnknown << QByteArray("BLOB_UPLOAD_UNKNOWN");
    QTest::newRow("DigestInvalid") << ErrorCode::DigestInvalid << QByteArray("DIGEST_INVALID");
    QTest::newRow("ManifestBlobUnknown")
        << ErrorCode::ManifestBlobUnknown << QByteArray("MANIFEST_BLOB_UNKNOWN");
    QTest::newRow("ManifestInvalid") << ErrorCode::ManifestInvalid << QByteArray("MANIFEST_INVALID");
    QTest::newRow("ManifestUnknown") << ErrorCode::ManifestUnknown << QByteArray("MANIFEST_UNKNOWN");
    QTest::newRow("NameInvalid") << ErrorCode::NameInvalid << QByteArray("NAME_INVALID");
    QTest::newRow("NameUnknown") << ErrorCode::NameUnknown << QByteArray("NAME_UNKNOWN");
    QTest::newRow("SizeInvalid") << ErrorCode::SizeInvalid << QByteArray("SIZE_INVALID");
    QTest::newRow("Unauthorized") << ErrorCode::Unauthorized << QByteArray("UNAUTHORIZED");
    QTest::newRow("Denied") << ErrorCode::Denied << QByteArray("DENIED");
    QTest::newRow("Unsupported") << ErrorCode::Unsupported << QByteArray("UNSUPPORTED");
    QTest::newRow("TooManyRequests") << ErrorCode::TooManyRequests << QByteArray("TOOMANYREQUESTS");
    QTest::newRow("RangeInvalid") << ErrorCode::RangeInvalid << QByteArray("RANGE_INVALID");
    QTest::newRow("PayloadTooLarge") << ErrorCode::PayloadTooLarge << QByteArray("SIZE_INVALID");
    QTest::newRow("StorageFull") << ErrorCode::StorageFull << QByteArray("UNAVAILABLE");
    QTest::newRow("Unavailable") << ErrorCode::Unavailable << QByteArray("UNAVAILABLE");
    QTest::newRow("Internal") << ErrorCode::Internal << QByteArray("UNKNOWN");
}

void TestErrorCodes::codeNames()
{
    QFETCH(ErrorCode, code);
    QFETCH(QByteArray, name);
    const auto actual = codeName(code);
    QCOMPARE(QByteArray(actual.data(), static_cast<qsizetype>(actual.size())), name);
}

void TestErrorCodes::quotedShortensLongInput()
{
    QCOMPARE(QByteArray::fromStdString(quotedInput("abc")), QByteArray("\"abc\""));
    const auto shortened = quotedInput(std::string(10000, 'x'));
    QVERIFY(shortened.size() < 100);
    QVERIFY(shortened.ends_with("...\""));
}

QTEST_APPLESS_MAIN(TestErrorCodes)
#include "TestErrorCodes.moc"
