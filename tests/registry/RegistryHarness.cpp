#include "RegistryHarness.h"

#include "storage/FilesystemDriver.h"
#include "storage/InMemoryDriver.h"

#include <vector>

using namespace Qt::StringLiterals;

namespace berth::test {

void addDriverRows()
{
    QTest::addColumn<QString>("driver");
    QTest::newRow("inmemory") << u"inmemory"_s;
    QTest::newRow("filesystem") << u"filesystem"_s;
}

bool RegistryHarness::open(const QString& driver)
{
    close();
    if (driver == "filesystem"_L1) {
        m_directory = std::make_unique<QTemporaryDir>();
        if (!m_directory->isValid()) {
            m_error = u"no temporary directory: "_s + m_directory->errorString();
            return false;
        }
    } else if (driver != "inmemory"_L1) {
        m_error = u"unknown driver "_s + driver;
        return false;
    }
    return openDriver();
}

bool RegistryHarness::restart()
{
    m_registry.reset();
    if (isFilesystem())
        return openDriver();
    m_registry = std::make_unique<registry::Registry>(*m_driver, registry::RegistryOptions{});
    return true;
}

void RegistryHarness::close()
{
    // Upload sessions hold writers, which must not outlive their driver.
    m_registry.reset();
    m_driver.reset();
    m_directory.reset();
}

bool RegistryHarness::openDriver()
{
    m_registry.reset();
    if (isFilesystem()) {
        m_driver.reset();
        auto created = storage::FilesystemDriver::create(m_directory->filePath(u"store"_s).toStdString());
        if (!created) {
            m_error = QString::fromStdString(created.error().message());
            return false;
        }
        m_driver = std::move(created).value();
    } else {
        m_driver = std::make_unique<storage::InMemoryDriver>();
    }
    m_registry = std::make_unique<registry::Registry>(*m_driver, registry::RegistryOptions{});
    return true;
}

QStringList RegistryHarness::files(std::string_view path)
{
    QStringList found;
    (void)m_driver->walk(path, [&](const storage::FileInfo& entry) {
        if (!entry.isDirectory)
            found.append(QString::fromStdString(entry.path));
        return storage::WalkAction::Continue;
    });
    return found;
}

std::string_view viewOf(const QByteArray& data)
{
    return {data.constData(), static_cast<std::size_t>(data.size())};
}

std::span<const std::byte> bytesOf(const QByteArray& data)
{
    return std::as_bytes(std::span(data.constData(), static_cast<std::size_t>(data.size())));
}

oci::Digest digestOf(const QByteArray& data, oci::DigestAlgorithm algorithm)
{
    return oci::Digest::ofBytes(viewOf(data), algorithm);
}

QByteArray describe(const oci::Error& error)
{
    QByteArray text = QByteArray::fromStdString(std::string(oci::codeName(error.code))) + ": " +
                      QByteArray::fromStdString(error.message);
    if (!error.detail.empty())
        text += " (" + QByteArray::fromStdString(error.detail) + ')';
    return text;
}

oci::Result<registry::BlobInfo> storeBlob(registry::Registry& registry, std::string_view repository,
                                          const QByteArray& data)
{
    auto uuid = registry.uploads().create(repository);
    if (!uuid)
        return unexpected(std::move(uuid).error());
    auto lease = registry.uploads().acquire(repository, *uuid);
    if (!lease)
        return unexpected(std::move(lease).error());
    if (auto appended = (*lease)->append(bytesOf(data)); !appended)
        return unexpected(std::move(appended).error());
    return registry.uploads().complete(std::move(lease).value(), digestOf(data));
}

QByteArray readBlob(registry::Registry& registry, std::string_view repository, const oci::Digest& digest)
{
    auto reader = registry.blobs().open(repository, digest);
    if (!reader)
        return "unreadable: " + describe(reader.error());
    QByteArray content;
    std::vector<std::byte> buffer(256 * 1024);
    for (;;) {
        auto count = (*reader)->read(buffer);
        if (!count)
            return "unreadable: " + QByteArray::fromStdString(count.error().message());
        if (*count == 0)
            return content;
        content.append(reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(*count));
    }
}

} // namespace berth::test
