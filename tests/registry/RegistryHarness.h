#pragma once
// What the registry unit tests share: a Registry over a fresh store (in memory, or the
// filesystem driver on a temporary directory) that can be "restarted", blobs stored
// through real upload sessions, and short ways to check oci::Result values.

#include "registry/Registry.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <span>
#include <string_view>

namespace berth::test {

// The "driver" column with one row per storage driver, for initTestCase_data().
void addDriverRows();

class RegistryHarness
{
public:
    // A fresh, empty store: "inmemory" or "filesystem".
    bool open(const QString& driver);
    // A new Registry over the same stored bytes, as berthd after a restart: what lived
    // only in memory (open upload sessions) is gone, the filesystem driver is reopened.
    bool restart();
    void close();

    QString errorString() const { return m_error; }
    bool isFilesystem() const { return m_directory != nullptr; }
    registry::Registry& registry() { return *m_registry; }
    storage::StorageDriver& driver() { return *m_driver; }

    // Every file below `path` in the store, sorted; empty when `path` does not exist.
    QStringList files(std::string_view path = "/");

private:
    bool openDriver();

    std::unique_ptr<QTemporaryDir> m_directory; // filesystem only
    std::unique_ptr<storage::StorageDriver> m_driver;
    std::unique_ptr<registry::Registry> m_registry;
    QString m_error;
};

std::string_view viewOf(const QByteArray& data);
std::span<const std::byte> bytesOf(const QByteArray& data);
oci::Digest digestOf(const QByteArray& data, oci::DigestAlgorithm algorithm = oci::DigestAlgorithm::Sha256);
QByteArray describe(const oci::Error& error); // "CODE: message (detail)"

// "success", or the spec's code name of the error ("DIGEST_INVALID"), to compare in QCOMPARE.
template <class T> QByteArray codeOf(const oci::Result<T>& result)
{
    if (result)
        return QByteArrayLiteral("success");
    const std::string_view name = oci::codeName(result.error().code);
    return {name.data(), static_cast<qsizetype>(name.size())};
}

// Uploads `data` into `repository` through an upload session, in one append.
oci::Result<registry::BlobInfo> storeBlob(registry::Registry& registry, std::string_view repository,
                                          const QByteArray& data);
// The whole content of a blob linked into `repository`, or "unreadable: <why>", so that
// QCOMPARE against the expected bytes shows the reason.
QByteArray readBlob(registry::Registry& registry, std::string_view repository, const oci::Digest& digest);

} // namespace berth::test

namespace berth::oci {
// How QCOMPARE prints a digest (found by argument-dependent lookup).
inline char* toString(const Digest& digest)
{
    return qstrdup(digest.toString().c_str());
}
} // namespace berth::oci

// Checks that an oci::Result holds a value, showing the error when it does not.
#define VERIFY_OK(expression)                                                                                \
    do {                                                                                                     \
        const auto& result_ = (expression);                                                                  \
        if (!result_.hasValue())                                                                             \
            QFAIL(berth::test::describe(result_.error()).constData());                                       \
    } while (false)
