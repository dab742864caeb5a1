// The one storage driver suite: every test runs once per backend (a global data row per
// driver), each on a fresh, empty store, and fails if the test leaves anything behind:
// files, directories, temporary files or open descriptors.

#include "storage/FilesystemDriver.h"
#include "storage/InMemoryDriver.h"

#include <QDir>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <limits>
#include <mutex>
#include <sys/mount.h>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unistd.h>

using namespace berth::storage;
using namespace Qt::StringLiterals;

namespace {

constexpr std::size_t kibibyte = 1024;
constexpr std::uint64_t mebibyte = 1024 * kibibyte;

std::span<const std::byte> bytesOf(std::string_view text)
{
    return std::as_bytes(std::span(text.data(), text.size()));
}

QByteArray toBytes(std::string_view text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

QStringList toStringList(const std::vector<std::string>& paths)
{
    QStringList list;
    for (const std::string& path : paths)
        list.append(QString::fromStdString(path));
    return list;
}

template <class T> QByteArray outcome(const StorageResult<T>& result)
{
    return result ? QByteArray("success") : QByteArray::fromStdString(result.error().message());
}

QString kindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::NotFound:
        return QStringLiteral("NotFound");
    case ErrorKind::InvalidPath:
        return QStringLiteral("InvalidPath");
    case ErrorKind::InvalidOffset:
        return QStringLiteral("InvalidOffset");
    case ErrorKind::NoSpace:
        return QStringLiteral("NoSpace");
    case ErrorKind::Io:
        return QStringLiteral("Io");
    }
    return QStringLiteral("?");
}

template <class T> QString kindOf(const StorageResult<T>& result)
{
    return result ? QStringLiteral("success") : kindName(result.error().kind);
}

// Noise with a period that is no power of two, so every MiB of a large file differs.
const std::vector<std::byte>& noise()
{
    static const std::vector<std::byte> bytes = [] {
        std::vector<std::byte> result(mebibyte + 13);
        std::uint32_t state = 2463534242u;
        for (std::byte& byte : result) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            byte = static_cast<std::byte>(state);
        }
        return result;
    }();
    return bytes;
}

// The bytes a pattern file holds at `offset`.
void fillPattern(std::uint64_t offset, std::span<std::byte> out)
{
    const std::vector<std::byte>& source = noise();
    while (!out.empty()) {
        const std::size_t start = offset % source.size();
        const std::size_t count = std::min(out.size(), source.size() - start);
        std::memcpy(out.data(), source.data() + start, count);
        out = out.subspan(count);
        offset += count;
    }
}

StorageResult<std::string> readAll(FileReader& reader, std::size_t chunk)
{
    std::string content;
    std::vector<std::byte> buffer(chunk);
    for (;;) {
        auto count = reader.read(buffer);
        if (!count)
            return berth::unexpected(std::move(count).error());
        if (*count == 0)
            return content;
        content.append(reinterpret_cast<const char*>(buffer.data()), *count);
    }
}

int openDescriptorCount()
{
    DIR* directory = ::opendir("/proc/self/fd");
    if (!directory)
        return -1;
    int count = 0;
    while (::readdir(directory))
        ++count;
    ::closedir(directory);
    return count;
}

QStringList entriesOf(const QString& directory)
{
    return QDir(directory).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                                     QDir::Name);
}

// Collects the first failure seen by worker threads; Qt Test's macros work on the main thread only.
class ThreadFailures
{
public:
    void add(const std::string& message)
    {
        const std::lock_guard lock(m_mutex);
        if (m_first.empty())
            m_first = message;
        ++m_count;
    }
    int count() const { return m_count; }
    QByteArray first() const { return QByteArray::fromStdString(m_first); }

private:
    std::mutex m_mutex;
    std::string m_first;
    std::atomic<int> m_count{0};
};

// Mounts a tmpfs with the given mount options on `directory` for the lifetime of the object.
class SmallFilesystem
{
public:
    SmallFilesystem(const QString& directory, const char* options) : m_directory(directory.toStdString())
    {
        if (::mount("tmpfs", m_directory.c_str(), "tmpfs", 0, options) == 0)
            m_mounted = true;
        else
            m_error = std::generic_category().message(errno);
    }
    SmallFilesystem(const SmallFilesystem&) = delete;
    SmallFilesystem& operator=(const SmallFilesystem&) = delete;
    ~SmallFilesystem()
    {
        if (m_mounted)
            ::umount2(m_directory.c_str(), MNT_DETACH);
    }

    bool mounted() const { return m_mounted; }
    const std::string& error() const { return m_error; }

private:
    std::string m_directory;
    bool m_mounted = false;
    std::string m_error;
};

} // namespace

// Checks that a call succeeded, showing the driver's message when it did not.
#define VERIFY_OK(expression)                                                                                \
    do {                                                                                                     \
        const auto& result_ = (expression);                                                                  \
        QVERIFY2(result_.hasValue(), outcome(result_).constData());                                          \
    } while (false)

// Checks that a call failed with the given ErrorKind.
#define VERIFY_FAILS(expression, kind)                                                                       \
    do {                                                                                                     \
        const auto& result_ = (expression);                                                                  \
        QVERIFY2(kindOf(result_) == kindName(kind),                                                          \
                 qPrintable(QStringLiteral("expected %1, got: %2")                                           \
                                .arg(kindName(kind), QString::fromUtf8(outcome(result_)))));                 \
    } while (false)

class TestStorageDriver : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void init();
    void cleanup();

    void validPaths_data();
    void validPaths();
    void errorMessage();
    void invalidPathsRefused_data();
    void invalidPathsRefused();
    void root();
    void putAndGet();
    void notFound();
    void fileAndDirectoryConflicts();
    void readerAtOffsets_data();
    void readerAtOffsets();
    void nativeHandle();
    void writerResumesCommitsAndCancels();
    void writerCancelSparesReplacement();
    void statFilesAndDirectories();
    void modifiedIsTheTimeOfTheLastWrite();
    void inMemoryClockDatesWrites();
    void listIsSorted();
    void moveFiles();
    void createDirectoryWhole();
    void createDirectoryRefusesBadFiles_data();
    void createDirectoryRefusesBadFiles();
    void concurrentCreateOfOneDirectory();
    void removeFilesAndTrees();
    void walkOrder();
    void walkSkipsAndStops();
    void walkWhileChanging();
    void largeFileStreams();
    void concurrentPutToOnePath();
    void concurrentMoveToOnePath();
    void concurrentSiblings();
    void noSpace();
    void freeSpace();
    void createRefusesBadRoots();
    void temporaryFolderHiddenAndCleaned();
    void existingTreeIsServed();

private:
    bool isFilesystem() const { return m_driver->name() == "filesystem"; }
    QString nativeRoot() const { return m_directory->filePath(QStringLiteral("store")); }
    // Puts `content` at every path, failing the test when one does not succeed.
    bool putAll(std::initializer_list<std::string_view> paths, std::string_view content = "data");
    // "d /a" or "f /a/b 4" for each entry visited, until `stopAt` or into nothing below `skip`.
    QStringList walkEntries(std::string_view path, std::string_view skip = {}, std::string_view stopAt = {});

    std::unique_ptr<QTemporaryDir> m_directory; // filesystem rows only
    std::unique_ptr<StorageDriver> m_driver;
    int m_descriptors = 0;
};

void TestStorageDriver::initTestCase_data()
{
    QTest::addColumn<QString>("driver");
    QTest::newRow("filesystem") << QStringLiteral("filesystem");
    QTest::newRow("inmemory") << QStringLiteral("inmemory");
}

void TestStorageDriver::init()
{
    QFETCH_GLOBAL(QString, driver);
    m_descriptors = openDescriptorCount();
    if (driver == QLatin1String("filesystem")) {
        m_directory = std::make_unique<QTemporaryDir>();
        QVERIFY(m_directory->isValid());
        // A root that does not exist yet: the driver creates it.
        auto created = FilesystemDriver::create(nativeRoot().toStdString());
        VERIFY_OK(created);
        m_driver = std::move(*created);
    } else {
        m_driver = std::make_unique<InMemoryDriver>();
    }
}

void TestStorageDriver::cleanup()
{
    // After a failure the test may have stopped halfway: its leftovers would say nothing new.
    const bool check = m_driver && !QTest::currentTestFailed();
    QStringList leftovers;
    if (check) {
        leftovers = walkEntries("/");
        if (isFilesystem()) {
            const QString temporary = QString::fromLatin1(FilesystemDriver::temporaryFolder);
            for (const QString& entry : entriesOf(nativeRoot())) {
                if (entry != temporary)
                    leftovers.append(QStringLiteral("on disk: ") + entry);
            }
            for (const QString& entry : entriesOf(nativeRoot() + u'/' + temporary))
                leftovers.append(QStringLiteral("temporary: ") + entry);
        }
    }
    m_driver.reset();
    m_directory.reset();
    if (!check)
        return;
    QVERIFY2(leftovers.isEmpty(),
             qPrintable(QStringLiteral("left behind: ") + leftovers.join(QStringLiteral(", "))));
    QCOMPARE(openDescriptorCount(), m_descriptors);
}

bool TestStorageDriver::putAll(std::initializer_list<std::string_view> paths, std::string_view content)
{
    for (std::string_view path : paths) {
        const auto put = m_driver->putContent(path, content);
        if (!put) {
            QTest::qFail(put.error().message().c_str(), __FILE__, __LINE__);
            return false;
        }
    }
    return true;
}

QStringList TestStorageDriver::walkEntries(std::string_view path, std::string_view skip,
                                           std::string_view stopAt)
{
    QStringList entries;
    const auto walked = m_driver->walk(path, [&](const FileInfo& info) {
        entries.append(info.isDirectory
                           ? QStringLiteral("d %1").arg(QString::fromStdString(info.path))
                           : QStringLiteral("f %1 %2").arg(QString::fromStdString(info.path)).arg(info.size));
        if (info.path == stopAt)
            return WalkAction::Stop;
        return info.path == skip ? WalkAction::SkipDirectory : WalkAction::Continue;
    });
    if (!walked)
        entries.append(QStringLiteral("error ") + QString::fromStdString(walked.error().message()));
    return entries;
}

void TestStorageDriver::validPaths_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("valid");
    QTest::newRow("root") << QByteArray("/") << true;
    QTest::newRow("one component") << QByteArray("/a") << true;
    QTest::newRow("registry path") << QByteArray("/docker/registry/v2/blobs/sha256/ab/abcd/data") << true;
    QTest::newRow("dots inside names") << QByteArray("/a/.hidden/b..c/...") << true;
    QTest::newRow("empty") << QByteArray("") << false;
    QTest::newRow("relative") << QByteArray("a") << false;
    QTest::newRow("relative with slash") << QByteArray("a/b") << false;
    QTest::newRow("dot dot") << QByteArray("/a/../b") << false;
    QTest::newRow("leading dot dot") << QByteArray("/..") << false;
    QTest::newRow("double slash") << QByteArray("/a//b") << false;
    QTest::newRow("leading double slash") << QByteArray("//a") << false;
    QTest::newRow("trailing slash") << QByteArray("/a/") << false;
    QTest::newRow("dot") << QByteArray("/./a") << false;
    QTest::newRow("trailing dot") << QByteArray("/a/.") << false;
    QTest::newRow("nul") << QByteArray("/a\0b", 4) << false;
}

void TestStorageDriver::validPaths()
{
    QFETCH(QByteArray, path);
    QFETCH(bool, valid);
    QCOMPARE(isValidStoragePath(std::string_view(path.constData(), static_cast<std::size_t>(path.size()))),
             valid);
}

void TestStorageDriver::errorMessage()
{
    const auto missing = m_driver->getContent("/missing");
    VERIFY_FAILS(missing, ErrorKind::NotFound);
    const std::string message = missing.error().message();
    QVERIFY2(message.starts_with(std::string(m_driver->name()) + ": /missing: "), message.c_str());
    QCOMPARE(toBytes(missing.error().driver), toBytes(m_driver->name()));
    QCOMPARE(toBytes(missing.error().path), QByteArray("/missing"));

    const StorageError bare{ErrorKind::NoSpace, "inmemory", "/x", {}};
    QCOMPARE(toBytes(bare.message()), QByteArray("inmemory: /x: no space left on device"));
}

void TestStorageDriver::invalidPathsRefused_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("relative") << QByteArray("a");
    QTest::newRow("dot dot") << QByteArray("/a/../b");
    QTest::newRow("escape") << QByteArray("/../etc/passwd");
    QTest::newRow("double slash") << QByteArray("/a//b");
    QTest::newRow("trailing slash") << QByteArray("/a/");
    QTest::newRow("dot") << QByteArray("/./a");
    QTest::newRow("nul") << QByteArray("/a\0b", 4);
}

void TestStorageDriver::invalidPathsRefused()
{
    QFETCH(QByteArray, path);
    const std::string_view bad(path.constData(), static_cast<std::size_t>(path.size()));
    QVERIFY(putAll({"/valid"}));
    int visits = 0;
    auto visitor = [&](const FileInfo&) {
        ++visits;
        return WalkAction::Continue;
    };

    VERIFY_FAILS(m_driver->getContent(bad), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->putContent(bad, "x"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->reader(bad, 0), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->writer(bad, false), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->writer(bad, true), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->stat(bad), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->list(bad), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->move(bad, "/valid"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->move("/valid", bad), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->remove(bad), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->walk(bad, visitor), ErrorKind::InvalidPath);
    QCOMPARE(visits, 0);

    // Nothing was touched.
    auto content = m_driver->getContent("/valid");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("data"));
    auto all = m_driver->list("/");
    VERIFY_OK(all);
    QCOMPARE(toStringList(*all), QStringList{QStringLiteral("/valid")});
    VERIFY_OK(m_driver->remove("/valid"));
}

void TestStorageDriver::root()
{
    auto info = m_driver->stat("/");
    VERIFY_OK(info);
    QVERIFY(info->isDirectory);
    QCOMPARE(info->size, std::uint64_t{0});
    auto children = m_driver->list("/");
    VERIFY_OK(children);
    QVERIFY(children->empty());
    QCOMPARE(walkEntries("/"), QStringList());

    VERIFY_FAILS(m_driver->getContent("/"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->putContent("/", "x"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->reader("/", 0), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->writer("/", false), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->writer("/", true), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->move("/", "/a"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->remove("/"), ErrorKind::InvalidPath);

    QVERIFY(putAll({"/a/b"}));
    VERIFY_FAILS(m_driver->move("/a/b", "/"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->remove("/"), ErrorKind::InvalidPath);
    QCOMPARE(walkEntries("/"), (QStringList{QStringLiteral("d /a"), QStringLiteral("f /a/b 4")}));
    VERIFY_OK(m_driver->remove("/a"));
}

void TestStorageDriver::putAndGet()
{
    VERIFY_OK(m_driver->putContent("/a/b/c", "first version"));
    auto content = m_driver->getContent("/a/b/c");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("first version"));

    VERIFY_OK(m_driver->putContent("/a/b/c", "a longer second version"));
    content = m_driver->getContent("/a/b/c");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("a longer second version"));

    VERIFY_OK(m_driver->putContent("/a/b/c", "short"));
    content = m_driver->getContent("/a/b/c");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("short"));

    VERIFY_OK(m_driver->putContent("/a/empty", ""));
    content = m_driver->getContent("/a/empty");
    VERIFY_OK(content);
    QVERIFY(content->empty());
    auto info = m_driver->stat("/a/empty");
    VERIFY_OK(info);
    QCOMPARE(info->size, std::uint64_t{0});
    QVERIFY(!info->isDirectory);

    const std::string binary("\0\x01\xff\n\r\0tail", 9);
    VERIFY_OK(m_driver->putContent("/a/binary", binary));
    content = m_driver->getContent("/a/binary");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), toBytes(binary));

    VERIFY_OK(m_driver->remove("/a/b/c"));
    VERIFY_FAILS(m_driver->getContent("/a/b/c"), ErrorKind::NotFound);
    VERIFY_OK(m_driver->remove("/a"));
}

void TestStorageDriver::notFound()
{
    QVERIFY(putAll({"/present/file"}));
    int visits = 0;
    auto visitor = [&](const FileInfo&) {
        ++visits;
        return WalkAction::Continue;
    };
    for (std::string_view missing : {"/missing", "/present/missing", "/missing/deeper/still"}) {
        VERIFY_FAILS(m_driver->getContent(missing), ErrorKind::NotFound);
        VERIFY_FAILS(m_driver->reader(missing, 0), ErrorKind::NotFound);
        VERIFY_FAILS(m_driver->writer(missing, true), ErrorKind::NotFound);
        VERIFY_FAILS(m_driver->stat(missing), ErrorKind::NotFound);
        VERIFY_FAILS(m_driver->list(missing), ErrorKind::NotFound);
        VERIFY_FAILS(m_driver->move(missing, "/present/target"), ErrorKind::NotFound);
        VERIFY_FAILS(m_driver->remove(missing), ErrorKind::NotFound);
        VERIFY_FAILS(m_driver->walk(missing, visitor), ErrorKind::NotFound);
    }
    QCOMPARE(visits, 0);
    // A failed call creates nothing, not even a parent directory.
    auto all = m_driver->list("/");
    VERIFY_OK(all);
    QCOMPARE(toStringList(*all), QStringList{QStringLiteral("/present")});
    auto present = m_driver->list("/present");
    VERIFY_OK(present);
    QCOMPARE(toStringList(*present), QStringList{QStringLiteral("/present/file")});
    VERIFY_OK(m_driver->remove("/present/file"));
}

void TestStorageDriver::fileAndDirectoryConflicts()
{
    QVERIFY(putAll({"/dir/inside", "/file"}));
    auto visitor = [](const FileInfo&) { return WalkAction::Continue; };

    // Needs a file, finds a directory.
    VERIFY_FAILS(m_driver->getContent("/dir"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->putContent("/dir", "x"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->reader("/dir", 0), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->writer("/dir", false), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->writer("/dir", true), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->move("/dir", "/elsewhere"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->move("/file", "/dir"), ErrorKind::InvalidPath);
    // Needs a directory, finds a file.
    VERIFY_FAILS(m_driver->list("/file"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->walk("/file", visitor), ErrorKind::InvalidPath);
    // Would write below a file.
    VERIFY_FAILS(m_driver->putContent("/file/below", "x"), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->writer("/file/below", false), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->move("/dir/inside", "/file/below"), ErrorKind::InvalidPath);
    // Below a file there is simply nothing.
    VERIFY_FAILS(m_driver->getContent("/file/below"), ErrorKind::NotFound);
    VERIFY_FAILS(m_driver->stat("/file/below"), ErrorKind::NotFound);
    VERIFY_FAILS(m_driver->list("/file/below"), ErrorKind::NotFound);
    VERIFY_FAILS(m_driver->remove("/file/below"), ErrorKind::NotFound);
    VERIFY_FAILS(m_driver->writer("/file/below", true), ErrorKind::NotFound);

    QCOMPARE(walkEntries("/"), (QStringList{QStringLiteral("d /dir"), QStringLiteral("f /dir/inside 4"),
                                            QStringLiteral("f /file 4")}));
    VERIFY_OK(m_driver->remove("/dir"));
    VERIFY_OK(m_driver->remove("/file"));
}

void TestStorageDriver::readerAtOffsets_data()
{
    QTest::addColumn<quint64>("offset");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("start") << quint64{0} << QByteArray("0123456789");
    QTest::newRow("middle") << quint64{3} << QByteArray("3456789");
    QTest::newRow("last byte") << quint64{9} << QByteArray("9");
    QTest::newRow("end") << quint64{10} << QByteArray();
}

void TestStorageDriver::readerAtOffsets()
{
    QFETCH(quint64, offset);
    QFETCH(QByteArray, expected);
    QVERIFY(putAll({"/r/file"}, "0123456789"));

    auto reader = m_driver->reader("/r/file", offset);
    VERIFY_OK(reader);
    QCOMPARE((*reader)->size(), std::uint64_t{10});
    auto content = readAll(**reader, 3); // several short reads
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), expected);
    std::array<std::byte, 4> buffer{};
    auto again = (*reader)->read(buffer);
    VERIFY_OK(again);
    QCOMPARE(*again, std::size_t{0}); // end of file stays the end
    reader->reset();

    VERIFY_FAILS(m_driver->reader("/r/file", 11), ErrorKind::InvalidOffset);
    VERIFY_FAILS(m_driver->reader("/r/file", std::numeric_limits<std::uint64_t>::max()),
                 ErrorKind::InvalidOffset);
    VERIFY_OK(m_driver->putContent("/r/empty", ""));
    VERIFY_OK(m_driver->reader("/r/empty", 0));
    VERIFY_FAILS(m_driver->reader("/r/empty", 1), ErrorKind::InvalidOffset);
    VERIFY_OK(m_driver->remove("/r"));
}

void TestStorageDriver::nativeHandle()
{
    QVERIFY(putAll({"/n/file"}, "0123456789"));
    auto reader = m_driver->reader("/n/file", 5);
    VERIFY_OK(reader);
    const int fd = (*reader)->nativeHandle();
    if (!isFilesystem()) {
        QCOMPARE(fd, -1);
    } else {
        // Positioned at the reader's offset, so sendfile(2) can take over from here.
        QVERIFY(fd >= 0);
        QCOMPARE(::lseek(fd, 0, SEEK_CUR), off_t{5});
        std::array<std::byte, 3> buffer{};
        auto count = (*reader)->read(buffer);
        VERIFY_OK(count);
        QCOMPARE(*count, std::size_t{3});
        QCOMPARE(::lseek(fd, 0, SEEK_CUR), off_t{8});
    }
    reader->reset();
    VERIFY_OK(m_driver->remove("/n/file"));
}

void TestStorageDriver::writerResumesCommitsAndCancels()
{
    {
        auto writer = m_driver->writer("/uploads/id/data", false);
        VERIFY_OK(writer);
        QCOMPARE((*writer)->size(), std::uint64_t{0});
        VERIFY_OK((*writer)->write(bytesOf("hello")));
        QCOMPARE((*writer)->size(), std::uint64_t{5});
        VERIFY_OK((*writer)->commit());
        // A commit is a checkpoint: the writer goes on.
        VERIFY_OK((*writer)->write(bytesOf(" world")));
        QCOMPARE((*writer)->size(), std::uint64_t{11});
        VERIFY_OK((*writer)->commit());
    }
    auto content = m_driver->getContent("/uploads/id/data");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("hello world"));

    {
        auto resumed = m_driver->writer("/uploads/id/data", true);
        VERIFY_OK(resumed);
        QCOMPARE((*resumed)->size(), std::uint64_t{11});
        VERIFY_OK((*resumed)->write(bytesOf("!")));
        QCOMPARE((*resumed)->size(), std::uint64_t{12});
        VERIFY_OK((*resumed)->commit());
    }
    content = m_driver->getContent("/uploads/id/data");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("hello world!"));

    {
        // Without append the file starts over.
        auto truncating = m_driver->writer("/uploads/id/data", false);
        VERIFY_OK(truncating);
        QCOMPARE((*truncating)->size(), std::uint64_t{0});
        VERIFY_OK((*truncating)->write(bytesOf("new")));
        VERIFY_OK((*truncating)->commit());
    }
    content = m_driver->getContent("/uploads/id/data");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("new"));

    {
        auto cancelled = m_driver->writer("/uploads/id/data", true);
        VERIFY_OK(cancelled);
        VERIFY_OK((*cancelled)->write(bytesOf("more")));
        VERIFY_OK((*cancelled)->cancel());
        VERIFY_FAILS(m_driver->stat("/uploads/id/data"), ErrorKind::NotFound);
        VERIFY_FAILS(m_driver->stat("/uploads"), ErrorKind::NotFound); // empty parents pruned
        // Closed for good, and a second cancel is harmless.
        VERIFY_FAILS((*cancelled)->write(bytesOf("x")), ErrorKind::Io);
        VERIFY_FAILS((*cancelled)->commit(), ErrorKind::Io);
        VERIFY_OK((*cancelled)->cancel());
    }
    VERIFY_FAILS(m_driver->stat("/uploads/id/data"), ErrorKind::NotFound);

    {
        // Cancelling a fresh writer leaves no trace either, but spares its siblings.
        QVERIFY(putAll({"/uploads/other/startedat"}));
        auto fresh = m_driver->writer("/uploads/id/data", false);
        VERIFY_OK(fresh);
        VERIFY_OK((*fresh)->write(bytesOf("abc")));
        VERIFY_OK((*fresh)->cancel());
        VERIFY_FAILS(m_driver->stat("/uploads/id"), ErrorKind::NotFound);
        VERIFY_OK(m_driver->stat("/uploads/other/startedat"));
        VERIFY_OK(m_driver->remove("/uploads/other/startedat"));
    }
}

void TestStorageDriver::writerCancelSparesReplacement()
{
    auto writer = m_driver->writer("/c/data", false);
    VERIFY_OK(writer);
    VERIFY_OK((*writer)->write(bytesOf("abandoned")));
    // Someone else replaces the file meanwhile; cancelling must not delete their version.
    VERIFY_OK(m_driver->putContent("/c/data", "replacement"));
    VERIFY_OK((*writer)->cancel());
    auto content = m_driver->getContent("/c/data");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("replacement"));
    VERIFY_OK(m_driver->remove("/c/data"));
}

void TestStorageDriver::statFilesAndDirectories()
{
    const auto before = std::chrono::system_clock::now() - std::chrono::seconds(2);
    QVERIFY(putAll({"/s/sub/file"}, "abc"));
    const auto after = std::chrono::system_clock::now() + std::chrono::seconds(2);

    auto file = m_driver->stat("/s/sub/file");
    VERIFY_OK(file);
    QCOMPARE(toBytes(file->path), QByteArray("/s/sub/file"));
    QCOMPARE(file->size, std::uint64_t{3});
    QVERIFY(!file->isDirectory);
    QVERIFY(file->modified > before && file->modified < after);

    for (std::string_view directory : {"/s", "/s/sub"}) {
        auto info = m_driver->stat(directory);
        VERIFY_OK(info);
        QCOMPARE(toBytes(info->path), toBytes(directory));
        QVERIFY(info->isDirectory);
        QCOMPARE(info->size, std::uint64_t{0});
        QVERIFY(info->modified > before && info->modified < after);
    }
    VERIFY_OK(m_driver->remove("/s"));
}

// Retention reads "when was this tag pushed" as the modification time of its link file:
// the time of the last write, the same through stat and walk, and untouched by reads.
void TestStorageDriver::modifiedIsTheTimeOfTheLastWrite()
{
    using std::chrono::system_clock;
    const auto modifiedOf = [this](std::string_view path) {
        auto info = m_driver->stat(path);
        return info ? info->modified : system_clock::time_point{};
    };
    const auto walkedModifiedOf = [this](std::string_view path) {
        system_clock::time_point modified;
        (void)m_driver->walk("/", [&](const FileInfo& info) {
            if (info.path == path)
                modified = info.modified;
            return WalkAction::Continue;
        });
        return modified;
    };

    auto before = system_clock::now() - std::chrono::seconds(2);
    QVERIFY(putAll({"/m/tag/link"}, "first"));
    auto after = system_clock::now() + std::chrono::seconds(2);
    const auto first = modifiedOf("/m/tag/link");
    QVERIFY(first > before && first < after);
    QVERIFY(walkedModifiedOf("/m/tag/link") == first);

    VERIFY_OK(m_driver->getContent("/m/tag/link"));
    auto reader = m_driver->reader("/m/tag/link", 0);
    VERIFY_OK(reader);
    QVERIFY(modifiedOf("/m/tag/link") == first);

    before = system_clock::now() - std::chrono::seconds(2);
    QVERIFY(putAll({"/m/tag/link"}, "second"));
    after = system_clock::now() + std::chrono::seconds(2);
    const auto replaced = modifiedOf("/m/tag/link");
    QVERIFY(replaced >= first && replaced > before && replaced < after);
    QVERIFY(walkedModifiedOf("/m/tag/link") == replaced);

    auto writer = m_driver->writer("/m/upload", false);
    VERIFY_OK(writer);
    VERIFY_OK((*writer)->write(bytesOf("bytes")));
    VERIFY_OK((*writer)->commit());
    const auto written = modifiedOf("/m/upload");
    QVERIFY(written >= replaced && written < system_clock::now() + std::chrono::seconds(2));
    reader->reset();
    writer->reset();
    VERIFY_OK(m_driver->remove("/m"));
}

// The in-memory driver dates writes by the clock it is given, so tests can store files
// days apart without waiting.
void TestStorageDriver::inMemoryClockDatesWrites()
{
    if (isFilesystem())
        QSKIP("the filesystem dates writes by the system clock");
    auto now = std::chrono::system_clock::time_point() + std::chrono::hours(24 * 365 * 30);
    InMemoryDriver driver(std::nullopt, [&now] { return now; });
    VERIFY_OK(driver.putContent("/a/link", "x"));
    const auto putAt = now;
    now += std::chrono::hours(24 * 12);
    auto writer = driver.writer("/a/data", false);
    VERIFY_OK(writer);
    VERIFY_OK((*writer)->write(bytesOf("bytes")));
    VERIFY_OK((*writer)->commit());
    writer->reset();

    auto link = driver.stat("/a/link");
    VERIFY_OK(link);
    QVERIFY(link->modified == putAt);
    auto data = driver.stat("/a/data");
    VERIFY_OK(data);
    QVERIFY(data->modified == now);
    auto directory = driver.stat("/a");
    VERIFY_OK(directory);
    QVERIFY(directory->modified == now); // its newest file
}

void TestStorageDriver::listIsSorted()
{
    QVERIFY(putAll({"/d/b", "/d/a-b", "/d/a/x", "/d/c", "/d/B", "/d/a/y/z"}));
    auto children = m_driver->list("/d");
    VERIFY_OK(children);
    // Byte order, directories among the files.
    QCOMPARE(toStringList(*children),
             (QStringList{QStringLiteral("/d/B"), QStringLiteral("/d/a"), QStringLiteral("/d/a-b"),
                          QStringLiteral("/d/b"), QStringLiteral("/d/c")}));
    children = m_driver->list("/d/a");
    VERIFY_OK(children);
    QCOMPARE(toStringList(*children), (QStringList{QStringLiteral("/d/a/x"), QStringLiteral("/d/a/y")}));
    children = m_driver->list("/");
    VERIFY_OK(children);
    QCOMPARE(toStringList(*children), QStringList{QStringLiteral("/d")});
    VERIFY_OK(m_driver->remove("/d"));
}

void TestStorageDriver::moveFiles()
{
    QVERIFY(putAll({"/m/src"}, "content"));
    VERIFY_OK(m_driver->move("/m/src", "/n/deep/dst"));
    VERIFY_FAILS(m_driver->stat("/m/src"), ErrorKind::NotFound);
    VERIFY_FAILS(m_driver->stat("/m"), ErrorKind::NotFound); // source's empty parents pruned
    auto content = m_driver->getContent("/n/deep/dst");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("content"));

    // Replaces the destination.
    QVERIFY(putAll({"/m/other"}, "replacement"));
    VERIFY_OK(m_driver->move("/m/other", "/n/deep/dst"));
    content = m_driver->getContent("/n/deep/dst");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("replacement"));

    // A missing source changes nothing.
    VERIFY_FAILS(m_driver->move("/m/missing", "/n/deep/dst"), ErrorKind::NotFound);
    VERIFY_FAILS(m_driver->move("/m/missing", "/fresh/dst"), ErrorKind::NotFound);
    VERIFY_FAILS(m_driver->stat("/fresh"), ErrorKind::NotFound);
    content = m_driver->getContent("/n/deep/dst");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("replacement"));

    // Onto itself: nothing happens.
    VERIFY_OK(m_driver->move("/n/deep/dst", "/n/deep/dst"));
    content = m_driver->getContent("/n/deep/dst");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("replacement"));

    // Within one directory, keeping it.
    VERIFY_OK(m_driver->move("/n/deep/dst", "/n/deep/renamed"));
    auto children = m_driver->list("/n/deep");
    VERIFY_OK(children);
    QCOMPARE(toStringList(*children), QStringList{QStringLiteral("/n/deep/renamed")});
    VERIFY_OK(m_driver->remove("/n"));
}

void TestStorageDriver::createDirectoryWhole()
{
    const std::array<NewFile, 3> files{NewFile{"current/link", "one"}, NewFile{"index/sha256/ab/link", "two"},
                                       NewFile{"top", ""}};
    auto created = m_driver->createDirectory("/tags/v1", files);
    VERIFY_OK(created);
    QVERIFY(*created);
    QCOMPARE(
        walkEntries("/tags"),
        (QStringList{u"d /tags/v1"_s, u"d /tags/v1/current"_s, u"f /tags/v1/current/link 3"_s,
                     u"d /tags/v1/index"_s, u"d /tags/v1/index/sha256"_s, u"d /tags/v1/index/sha256/ab"_s,
                     u"f /tags/v1/index/sha256/ab/link 3"_s, u"f /tags/v1/top 0"_s}));
    auto content = m_driver->getContent("/tags/v1/index/sha256/ab/link");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("two"));

    // Something is there already, a directory or a file: nothing is written.
    const std::array<NewFile, 1> other{NewFile{"current/link", "other"}};
    created = m_driver->createDirectory("/tags/v1", other);
    VERIFY_OK(created);
    QVERIFY(!*created);
    content = m_driver->getContent("/tags/v1/current/link");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("one"));
    QVERIFY(putAll({"/tags/file"}));
    created = m_driver->createDirectory("/tags/file", other);
    VERIFY_OK(created);
    QVERIFY(!*created);
    VERIFY_FAILS(m_driver->createDirectory("/tags/file/below", other), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->createDirectory("/", other), ErrorKind::InvalidPath);
    VERIFY_OK(m_driver->remove("/tags"));
}

void TestStorageDriver::createDirectoryRefusesBadFiles_data()
{
    QTest::addColumn<QStringList>("paths");
    QTest::newRow("none") << QStringList();
    QTest::newRow("empty path") << QStringList{QString()};
    QTest::newRow("absolute") << QStringList{u"/a"_s};
    QTest::newRow("dot dot") << QStringList{u"a/../../escape"_s};
    QTest::newRow("empty component") << QStringList{u"a//b"_s};
    QTest::newRow("trailing slash") << QStringList{u"a/"_s};
    QTest::newRow("twice") << QStringList{u"a/b"_s, u"a/b"_s};
    QTest::newRow("a file where a directory goes") << QStringList{u"a/b-c"_s, u"a"_s, u"a/b/c"_s};
}

void TestStorageDriver::createDirectoryRefusesBadFiles()
{
    QFETCH(QStringList, paths);
    std::vector<NewFile> files;
    for (const QString& path : paths)
        files.push_back(NewFile{path.toStdString(), "content"});
    VERIFY_FAILS(m_driver->createDirectory("/d", files), ErrorKind::InvalidPath);
    VERIFY_FAILS(m_driver->stat("/d"), ErrorKind::NotFound);
}

void TestStorageDriver::concurrentCreateOfOneDirectory()
{
    // Writers race to create one directory: one wins, and it holds that writer's files only.
    constexpr int writers = 6;
    constexpr int rounds = 10;
    ThreadFailures failures;
    std::atomic<int> created{0};
    std::vector<std::thread> threads;
    threads.reserve(writers);
    for (int i = 0; i < writers; ++i) {
        threads.emplace_back([&, i] {
            const std::string content(4 * kibibyte, static_cast<char>('A' + i));
            const std::array<NewFile, 2> files{NewFile{"current/link", content},
                                               NewFile{"index/link", content}};
            for (int round = 0; round < rounds; ++round) {
                const std::string directory = "/tags/t" + std::to_string(round);
                if (auto made = m_driver->createDirectory(directory, files); !made)
                    failures.add(made.error().message());
                else if (*made)
                    ++created;
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    QVERIFY2(failures.count() == 0, failures.first().constData());
    QCOMPARE(created.load(), rounds);
    for (int round = 0; round < rounds; ++round) {
        const std::string directory = "/tags/t" + std::to_string(round);
        auto current = m_driver->getContent(directory + "/current/link");
        auto index = m_driver->getContent(directory + "/index/link");
        VERIFY_OK(current);
        VERIFY_OK(index);
        QCOMPARE(current->size(), 4 * kibibyte);
        QCOMPARE(*index, *current);
        QVERIFY(std::all_of(current->begin(), current->end(), [&](char c) { return c == current->front(); }));
    }
    VERIFY_OK(m_driver->remove("/tags"));
}

void TestStorageDriver::removeFilesAndTrees()
{
    QVERIFY(putAll({"/t/a/b", "/t/a/c/d", "/t/e", "/keep"}));
    VERIFY_OK(m_driver->remove("/t/a"));
    VERIFY_FAILS(m_driver->stat("/t/a"), ErrorKind::NotFound);
    VERIFY_FAILS(m_driver->stat("/t/a/c/d"), ErrorKind::NotFound);
    VERIFY_OK(m_driver->stat("/t/e"));
    VERIFY_OK(m_driver->remove("/t/e"));
    VERIFY_FAILS(m_driver->stat("/t"), ErrorKind::NotFound);
    VERIFY_OK(m_driver->stat("/keep"));
    VERIFY_FAILS(m_driver->remove("/t"), ErrorKind::NotFound);

    // Pruning stops at the first directory that still holds something.
    QVERIFY(putAll({"/p/q/r/s", "/p/x"}));
    VERIFY_OK(m_driver->remove("/p/q/r/s"));
    VERIFY_FAILS(m_driver->stat("/p/q"), ErrorKind::NotFound);
    auto children = m_driver->list("/p");
    VERIFY_OK(children);
    QCOMPARE(toStringList(*children), QStringList{QStringLiteral("/p/x")});
    VERIFY_OK(m_driver->remove("/p/x"));
    VERIFY_FAILS(m_driver->stat("/p"), ErrorKind::NotFound);

    VERIFY_OK(m_driver->remove("/keep"));
}

void TestStorageDriver::walkOrder()
{
    QVERIFY(putAll({"/w/b/y", "/w/a", "/w/b-c", "/w/b/x/z", "/w/c"}, "abc"));
    const QStringList everything{QStringLiteral("f /w/a 3"),   QStringLiteral("d /w/b"),
                                 QStringLiteral("d /w/b/x"),   QStringLiteral("f /w/b/x/z 3"),
                                 QStringLiteral("f /w/b/y 3"), QStringLiteral("f /w/b-c 3"),
                                 QStringLiteral("f /w/c 3")};
    QCOMPARE(walkEntries("/w"), everything);
    QCOMPARE(walkEntries("/"), QStringList{QStringLiteral("d /w")} + everything);
    QCOMPARE(walkEntries("/w/b"), (QStringList{QStringLiteral("d /w/b/x"), QStringLiteral("f /w/b/x/z 3"),
                                               QStringLiteral("f /w/b/y 3")}));
    VERIFY_OK(m_driver->remove("/w"));
}

void TestStorageDriver::walkSkipsAndStops()
{
    QVERIFY(putAll({"/w/b/y", "/w/a", "/w/b-c", "/w/b/x/z", "/w/c"}, "abc"));
    QCOMPARE(walkEntries("/w", "/w/b"),
             (QStringList{QStringLiteral("f /w/a 3"), QStringLiteral("d /w/b"), QStringLiteral("f /w/b-c 3"),
                          QStringLiteral("f /w/c 3")}));
    QCOMPARE(walkEntries("/w", "/w/b/x"),
             (QStringList{QStringLiteral("f /w/a 3"), QStringLiteral("d /w/b"), QStringLiteral("d /w/b/x"),
                          QStringLiteral("f /w/b/y 3"), QStringLiteral("f /w/b-c 3"),
                          QStringLiteral("f /w/c 3")}));
    // Skipping a file just goes on.
    QCOMPARE(walkEntries("/w", "/w/a").size(), 7);
    QCOMPARE(walkEntries("/w", {}, "/w/b/x"),
             (QStringList{QStringLiteral("f /w/a 3"), QStringLiteral("d /w/b"), QStringLiteral("d /w/b/x")}));
    QCOMPARE(walkEntries("/w", {}, "/w/c").size(), 7);
    VERIFY_OK(m_driver->remove("/w"));
}

void TestStorageDriver::walkWhileChanging()
{
    QVERIFY(putAll({"/w/a", "/w/b/x", "/w/c", "/w/d"}));
    QStringList visited;
    const auto walked = m_driver->walk("/w", [&](const FileInfo& info) {
        visited.append(QString::fromStdString(info.path));
        // Calling back into the driver from the visitor is allowed (garbage collection does).
        if (info.path == "/w/a") {
            (void)m_driver->remove("/w/b");
            (void)m_driver->remove("/w/c");
        }
        if (info.path == "/w/d")
            (void)m_driver->remove("/w/d");
        return WalkAction::Continue;
    });
    VERIFY_OK(walked);
    QCOMPARE(visited, (QStringList{QStringLiteral("/w/a"), QStringLiteral("/w/d")}));
    VERIFY_OK(m_driver->remove("/w"));
}

void TestStorageDriver::largeFileStreams()
{
    constexpr std::uint64_t total = 64 * mebibyte;
    std::vector<std::byte> piece(mebibyte);
    {
        // Half, committed; then resumed for the other half, as an interrupted upload would be.
        auto writer = m_driver->writer("/big/data", false);
        VERIFY_OK(writer);
        for (std::uint64_t offset = 0; offset < total / 2; offset += piece.size()) {
            fillPattern(offset, piece);
            VERIFY_OK((*writer)->write(piece));
        }
        VERIFY_OK((*writer)->commit());
    }
    {
        auto writer = m_driver->writer("/big/data", true);
        VERIFY_OK(writer);
        QCOMPARE((*writer)->size(), total / 2);
        for (std::uint64_t offset = total / 2; offset < total; offset += piece.size()) {
            fillPattern(offset, piece);
            VERIFY_OK((*writer)->write(piece));
        }
        QCOMPARE((*writer)->size(), total);
        VERIFY_OK((*writer)->commit());
    }
    auto info = m_driver->stat("/big/data");
    VERIFY_OK(info);
    QCOMPARE(info->size, total);

    // Read back in pieces that do not line up with the written ones, from the start and
    // from an odd offset in the middle.
    std::vector<std::byte> buffer(mebibyte + 7);
    std::vector<std::byte> expected(buffer.size());
    for (const std::uint64_t start : {std::uint64_t{0}, 33 * mebibyte + 5}) {
        auto reader = m_driver->reader("/big/data", start);
        VERIFY_OK(reader);
        QCOMPARE((*reader)->size(), total);
        std::uint64_t offset = start;
        for (;;) {
            auto count = (*reader)->read(buffer);
            VERIFY_OK(count);
            if (*count == 0)
                break;
            fillPattern(offset, std::span(expected).first(*count));
            QVERIFY2(std::memcmp(buffer.data(), expected.data(), *count) == 0,
                     qPrintable(QStringLiteral("content differs near offset %1").arg(offset)));
            offset += *count;
        }
        QCOMPARE(offset, total);
    }
    VERIFY_OK(m_driver->remove("/big/data"));
}

void TestStorageDriver::concurrentPutToOnePath()
{
    constexpr int writers = 6;
    constexpr int rounds = 15;
    constexpr std::size_t size = 256 * kibibyte;
    ThreadFailures failures;
    // A version is whole when it has the full size and one fill byte throughout.
    auto checkWhole = [&](const std::string& content) {
        if (content.size() != size ||
            std::any_of(content.begin(), content.end(), [&](char c) { return c != content.front(); }))
            failures.add("torn content of size " + std::to_string(content.size()));
    };

    std::atomic<bool> done{false};
    VERIFY_OK(m_driver->putContent("/one/path", std::string(size, '@')));
    std::thread observer([&] {
        while (!done) {
            auto content = m_driver->getContent("/one/path");
            if (!content)
                failures.add(content.error().message());
            else
                checkWhole(*content);
        }
    });
    std::vector<std::thread> threads;
    threads.reserve(writers);
    for (int i = 0; i < writers; ++i) {
        threads.emplace_back([&, i] {
            const std::string content(size, static_cast<char>('A' + i));
            for (int round = 0; round < rounds; ++round) {
                if (auto put = m_driver->putContent("/one/path", content); !put)
                    failures.add(put.error().message());
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    done = true;
    observer.join();
    QVERIFY2(failures.count() == 0, failures.first().constData());

    auto content = m_driver->getContent("/one/path");
    VERIFY_OK(content);
    checkWhole(*content);
    QVERIFY2(failures.count() == 0, failures.first().constData());
    VERIFY_OK(m_driver->remove("/one/path"));
}

void TestStorageDriver::concurrentMoveToOnePath()
{
    constexpr int movers = 6;
    constexpr int rounds = 15;
    constexpr std::size_t size = 64 * kibibyte;
    ThreadFailures failures;
    std::vector<std::thread> threads;
    threads.reserve(movers);
    for (int i = 0; i < movers; ++i) {
        threads.emplace_back([&, i] {
            const std::string source = "/staging/" + std::to_string(i) + "/data";
            const std::string content(size, static_cast<char>('A' + i));
            for (int round = 0; round < rounds; ++round) {
                if (auto put = m_driver->putContent(source, content); !put)
                    failures.add(put.error().message());
                else if (auto moved = m_driver->move(source, "/blobs/target/data"); !moved)
                    failures.add(moved.error().message());
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    QVERIFY2(failures.count() == 0, failures.first().constData());

    auto content = m_driver->getContent("/blobs/target/data");
    VERIFY_OK(content);
    QCOMPARE(content->size(), size);
    QVERIFY(std::all_of(content->begin(), content->end(), [&](char c) { return c == content->front(); }));
    VERIFY_FAILS(m_driver->stat("/staging"), ErrorKind::NotFound);
    VERIFY_OK(m_driver->remove("/blobs"));
}

void TestStorageDriver::concurrentSiblings()
{
    // Threads create and delete files in sibling directories under one parent, so one
    // thread's pruning races another's directory creation: every call must still succeed.
    constexpr int workers = 6;
    constexpr int rounds = 40;
    ThreadFailures failures;
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (int i = 0; i < workers; ++i) {
        threads.emplace_back([&, i] {
            const std::string directory = "/repositories/shared/" + std::to_string(i);
            for (int round = 0; round < rounds; ++round) {
                const std::string file = directory + "/link";
                if (auto put = m_driver->putContent(file, "sha256:abc"); !put) {
                    failures.add(put.error().message());
                    continue;
                }
                if (auto removed = m_driver->remove(file); !removed)
                    failures.add(removed.error().message());
                auto writer = m_driver->writer(directory + "/upload", false);
                if (!writer) {
                    failures.add(writer.error().message());
                    continue;
                }
                if (auto written = (*writer)->write(bytesOf("chunk")); !written)
                    failures.add(written.error().message());
                if (auto committed = (*writer)->commit(); !committed)
                    failures.add(committed.error().message());
                if (auto moved = m_driver->move(directory + "/upload", directory + "/done/data"); !moved)
                    failures.add(moved.error().message());
                if (auto removed = m_driver->remove(directory); !removed)
                    failures.add(removed.error().message());
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    QVERIFY2(failures.count() == 0, failures.first().constData());
    VERIFY_FAILS(m_driver->stat("/repositories"), ErrorKind::NotFound);
}

void TestStorageDriver::noSpace()
{
    // A store of 1 MiB: a tmpfs for the filesystem driver, a capacity for the in-memory one.
    // Declared in this order so the driver closes its files before the unmount.
    QTemporaryDir mountPoint;
    std::unique_ptr<SmallFilesystem> small;
    std::unique_ptr<StorageDriver> driver;
    if (isFilesystem()) {
        if (::geteuid() != 0)
            QSKIP("mounting a small tmpfs to fill up needs root");
        QVERIFY(mountPoint.isValid());
        small = std::make_unique<SmallFilesystem>(mountPoint.path(), "size=1m");
        if (!small->mounted())
            QSKIP(qPrintable(
                QStringLiteral("cannot mount a tmpfs: %1").arg(QString::fromStdString(small->error()))));
        auto created = FilesystemDriver::create(mountPoint.path().toStdString());
        VERIFY_OK(created);
        driver = std::move(*created);
    } else {
        driver = std::make_unique<InMemoryDriver>(mebibyte);
    }
    auto nothingVisible = [&] {
        auto all = driver->list("/");
        return all && all->empty();
    };
    const std::string twoMebibytes(2 * mebibyte, 'x');

    VERIFY_FAILS(driver->putContent("/blobs/ab/data", twoMebibytes), ErrorKind::NoSpace);
    QVERIFY(nothingVisible());
    const std::array<NewFile, 2> tooLarge{NewFile{"small", "fits"}, NewFile{"large/data", twoMebibytes}};
    VERIFY_FAILS(driver->createDirectory("/tags/v1", tooLarge), ErrorKind::NoSpace);
    QVERIFY(nothingVisible());

    {
        auto writer = driver->writer("/uploads/id/data", false);
        VERIFY_OK(writer);
        StorageResult<void> written;
        for (std::uint64_t offset = 0; written && offset < twoMebibytes.size(); offset += 64 * kibibyte)
            written = (*writer)->write(bytesOf(std::string_view(twoMebibytes).substr(offset, 64 * kibibyte)));
        VERIFY_FAILS(written, ErrorKind::NoSpace);
        VERIFY_FAILS(driver->stat("/uploads/id/data"), ErrorKind::NotFound);
        QVERIFY(nothingVisible());
        VERIFY_FAILS((*writer)->write(bytesOf("more")), ErrorKind::Io);
        VERIFY_FAILS((*writer)->commit(), ErrorKind::Io);
        VERIFY_OK((*writer)->cancel());
    }

    {
        // A resumed upload that runs out of room goes as well, with its committed part.
        auto writer = driver->writer("/uploads/id/data", false);
        VERIFY_OK(writer);
        VERIFY_OK((*writer)->write(bytesOf(std::string_view(twoMebibytes).substr(0, 256 * kibibyte))));
        VERIFY_OK((*writer)->commit());
        writer->reset();
        auto resumed = driver->writer("/uploads/id/data", true);
        VERIFY_OK(resumed);
        VERIFY_FAILS((*resumed)->write(bytesOf(std::string_view(twoMebibytes).substr(0, mebibyte))),
                     ErrorKind::NoSpace);
        QVERIFY(nothingVisible());
    }

    // The space came back: small writes work again.
    const auto free = driver->freeSpace();
    QVERIFY(free.has_value());
    QVERIFY2(*free > 512 * kibibyte && *free <= mebibyte, qPrintable(QString::number(*free)));
    VERIFY_OK(driver->putContent("/small", "fits"));
    VERIFY_OK(driver->remove("/small"));
    QVERIFY(nothingVisible());
    if (isFilesystem()) {
        const QString temporary = mountPoint.filePath(QString::fromLatin1(FilesystemDriver::temporaryFolder));
        QCOMPARE(entriesOf(temporary), QStringList());
    }
}

void TestStorageDriver::freeSpace()
{
    const auto free = m_driver->freeSpace();
    if (isFilesystem()) {
        QVERIFY(free.has_value());
        QVERIFY(*free > 0);
    } else {
        QVERIFY(!free.has_value()); // no capacity, no limit
    }
}

void TestStorageDriver::createRefusesBadRoots()
{
    if (!isFilesystem())
        QSKIP("only the filesystem driver has a root directory");
    VERIFY_FAILS(FilesystemDriver::create(""), ErrorKind::InvalidPath);
    const QString file = m_directory->filePath(QStringLiteral("file"));
    {
        QFile plain(file);
        QVERIFY(plain.open(QIODevice::WriteOnly));
    }
    VERIFY_FAILS(FilesystemDriver::create(file.toStdString()), ErrorKind::InvalidPath);
    QVERIFY(!FilesystemDriver::create(file.toStdString() + "/below"));
    QVERIFY(QFile::remove(file));

    // Missing levels are created; the root is made absolute.
    const QString nested = m_directory->filePath(QStringLiteral("a/b/c"));
    {
        auto created = FilesystemDriver::create(nested.toStdString());
        VERIFY_OK(created);
        QCOMPARE(QString::fromStdString((*created)->root()), QFileInfo(nested).canonicalFilePath());
        auto info = (*created)->stat("/");
        VERIFY_OK(info);
        QVERIFY(info->isDirectory);
    }
    QVERIFY(QDir(m_directory->filePath(QStringLiteral("a"))).removeRecursively());
}

void TestStorageDriver::temporaryFolderHiddenAndCleaned()
{
    if (!isFilesystem())
        QSKIP("the temporary folder belongs to the filesystem driver");
    const QString root = m_directory->filePath(QStringLiteral("existing"));
    const QString temporary = root + u'/' + QString::fromLatin1(FilesystemDriver::temporaryFolder);
    QVERIFY(QDir().mkpath(temporary + QStringLiteral("/stale-tree/sub")));
    // Leftovers of a crash a day ago, and a file another process is writing right now.
    for (const QString& name : {QStringLiteral("stale-file"), QStringLiteral("stale-tree/sub/file"),
                                QStringLiteral("fresh-file")}) {
        QFile file(temporary + u'/' + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("partial");
    }
    const timespec dayAgo[2] = {{::time(nullptr) - 86400, 0}, {::time(nullptr) - 86400, 0}};
    for (const char* name : {"stale-file", "stale-tree"})
        QCOMPARE(::utimensat(AT_FDCWD, (temporary + u'/' + QLatin1String(name)).toLocal8Bit().constData(),
                             dayAgo, 0),
                 0);

    {
        auto created = FilesystemDriver::create(root.toStdString());
        VERIFY_OK(created);
        FilesystemDriver& driver = **created;
        QCOMPARE(entriesOf(temporary), QStringList{QStringLiteral("fresh-file")});

        VERIFY_OK(driver.putContent("/tree/file", "x"));
        // Never seen through the driver, never writable through it.
        auto all = driver.list("/");
        VERIFY_OK(all);
        QCOMPARE(toStringList(*all), (QStringList{QStringLiteral("/tree")}));
        QStringList walked;
        VERIFY_OK(driver.walk("/", [&](const FileInfo& info) {
            walked.append(QString::fromStdString(info.path));
            return WalkAction::Continue;
        }));
        QCOMPARE(walked, (QStringList{QStringLiteral("/tree"), QStringLiteral("/tree/file")}));
        const std::string hidden = "/" + std::string(FilesystemDriver::temporaryFolder);
        VERIFY_FAILS(driver.stat(hidden), ErrorKind::InvalidPath);
        VERIFY_FAILS(driver.list(hidden), ErrorKind::InvalidPath);
        VERIFY_FAILS(driver.getContent(hidden + "/fresh-file"), ErrorKind::InvalidPath);
        VERIFY_FAILS(driver.putContent(hidden + "/x", "x"), ErrorKind::InvalidPath);
        VERIFY_FAILS(driver.remove(hidden), ErrorKind::InvalidPath);
        VERIFY_FAILS(driver.move("/tree/file", hidden + "/x"), ErrorKind::InvalidPath);

        // A removed tree passes through the temporary folder and is gone from it after.
        VERIFY_OK(driver.remove("/tree"));
        QCOMPARE(entriesOf(temporary), QStringList{QStringLiteral("fresh-file")});
        QCOMPARE(entriesOf(root), QStringList{QString::fromLatin1(FilesystemDriver::temporaryFolder)});
    }
    QVERIFY(QDir(root).removeRecursively());
}

void TestStorageDriver::existingTreeIsServed()
{
    if (!isFilesystem())
        QSKIP("only the filesystem driver has a tree of its own on disk");
    // A file laid down by another registry is read as it is, and what the driver writes
    // is a plain file at the same place.
    const QString blob = nativeRoot() + QStringLiteral("/docker/registry/v2/blobs/sha256/ab/abcd/data");
    QVERIFY(QDir().mkpath(QFileInfo(blob).path()));
    {
        QFile file(blob);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("layer bytes");
    }
    auto content = m_driver->getContent("/docker/registry/v2/blobs/sha256/ab/abcd/data");
    VERIFY_OK(content);
    QCOMPARE(toBytes(*content), QByteArray("layer bytes"));

    VERIFY_OK(m_driver->putContent("/docker/registry/v2/repositories/app/_manifests/tags/v1/current/link",
                                   "sha256:abcd"));
    QFile link(nativeRoot() +
               QStringLiteral("/docker/registry/v2/repositories/app/_manifests/tags/v1/current/link"));
    QVERIFY(link.open(QIODevice::ReadOnly));
    QCOMPARE(link.readAll(), QByteArray("sha256:abcd"));
    link.close();
    VERIFY_OK(m_driver->remove("/docker"));
}

QTEST_GUILESS_MAIN(TestStorageDriver)
#include "TestStorageDriver.moc"
