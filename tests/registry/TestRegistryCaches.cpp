// What the registry keeps in memory to answer reads: TagIndex (tag names, read on a
// repository's first listing, kept current by every change, bounded), TagTargets (the digests
// of tags read lately) and ManifestCache (manifest bytes by digest, bounded); and that tags
// lists and manifest reads through them show every change at once, as a registry started
// afresh on the same storage would.

#include "RegistryFixtures.h"
#include "RegistryHarness.h"
#include "registry/ManifestCache.h"
#include "registry/TagIndex.h"
#include "registry/TagTargets.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace berth::test {

namespace {

constexpr std::string_view repository = "library/app";

QStringList toStringList(const std::vector<std::string>& strings)
{
    QStringList list;
    for (const std::string& item : strings)
        list.append(QString::fromStdString(item));
    return list;
}

// A reader of fixed names that counts how often the index asked for them.
struct CountingReader
{
    std::vector<std::string> names;
    int reads = 0;

    registry::TagIndex::Reader reader()
    {
        return [this] {
            ++reads;
            return oci::Result<std::vector<std::string>>(names);
        };
    }
};

QStringList allOf(registry::TagIndex& index, std::string_view name, CountingReader& reader)
{
    const auto page = index.page(name, std::nullopt, {}, reader.reader());
    return page ? toStringList(page->items) : QStringList{u"error"_s};
}

// The names joined by commas, as a stand-in for the JSON body a tags list renders.
std::string joined(const std::vector<std::string>& names)
{
    std::string text;
    for (const std::string& name : names)
        text += (text.empty() ? "" : ",") + name;
    return text;
}

const registry::TagIndex::Presence present = [] { return oci::Result<bool>(true); };
const registry::TagIndex::Presence absent = [] { return oci::Result<bool>(false); };

} // namespace

class TestRegistryCaches : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data() { addDriverRows(); }
    void init();
    void cleanup() { m_harness.close(); }

    void indexReadsARepositoryOnce();
    void indexFollowsRefreshes();
    void indexRendersTheWholeListOnce();
    void indexIsBounded();
    void indexKeepsNoReadThatARefreshRaced();
    void indexDropsWhatItCannotCheck();
    void manifestCacheIsBounded();
    void targetsFollowChanges();

    void tagsListFollowsEveryChange();
    void manifestReadsFollowEveryChange();

private:
    registry::Registry& registry() { return m_harness.registry(); }
    // Blobs, then the manifest under `reference` (a tag or a digest).
    void push(const Image& image, const std::string& reference);
    // The tags this registry lists (or the error code), and those a registry started afresh
    // lists, must agree.
    void compareWithStorage(const QStringList& expected);

    RegistryHarness m_harness;
};

void TestRegistryCaches::init()
{
    QFETCH_GLOBAL(QString, driver);
    QVERIFY2(m_harness.open(driver), qPrintable(m_harness.errorString()));
}

void TestRegistryCaches::push(const Image& image, const std::string& reference)
{
    for (const QByteArray& blob : QList<QByteArray>{image.config} + image.layers)
        VERIFY_OK(storeBlob(registry(), repository, blob));
    const auto parsed = oci::parseReference(reference);
    VERIFY_OK(parsed);
    VERIFY_OK(registry().manifests().put(repository, *parsed, viewOf(image.manifest),
                                         image.mediaType.toStdString()));
}

void TestRegistryCaches::compareWithStorage(const QStringList& expected)
{
    const auto namesOrCode = [](const oci::Result<std::vector<std::string>>& listed) {
        return listed ? toStringList(*listed) : QStringList{QString::fromLatin1(codeOf(listed))};
    };
    QCOMPARE(namesOrCode(registry().tags().list(repository)), expected);
    const auto rendered = registry().tags().rendered(repository, joined);
    QCOMPARE(rendered ? QString::fromStdString(**rendered) : QString::fromLatin1(codeOf(rendered)),
             expected.join(u','));
    registry::Registry restarted(m_harness.driver(), registry::RegistryOptions{});
    QCOMPARE(namesOrCode(restarted.tags().list(repository)), expected);
    // Pages are cut from the index as from the whole list.
    if (expected.size() > 1) {
        const auto page = registry().tags().page(repository, 1, expected.first().toStdString());
        VERIFY_OK(page);
        QCOMPARE(toStringList(page->items), expected.mid(1, 1));
        QCOMPARE(page->hasMore, expected.size() > 2);
    }
}

void TestRegistryCaches::indexReadsARepositoryOnce()
{
    registry::TagIndex index;
    CountingReader app{{"a", "b", "c"}};
    CountingReader other{{"x"}};
    QCOMPARE(allOf(index, "app", app), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    QCOMPARE(allOf(index, "app", app), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    const auto page = index.page("app", 1, "a", app.reader());
    VERIFY_OK(page);
    QCOMPARE(toStringList(page->items), QStringList{u"b"_s});
    QVERIFY(page->hasMore);
    QCOMPARE(app.reads, 1);
    QCOMPARE(allOf(index, "other", other), QStringList{u"x"_s});
    QCOMPARE(other.reads, 1);
    QCOMPARE(index.size(), std::size_t(4));

    // A failed read is answered and not kept.
    const auto failed = index.page("broken", std::nullopt, {}, [] {
        return oci::Result<std::vector<std::string>>(oci::fail(oci::ErrorCode::Internal, "unreadable"));
    });
    QCOMPARE(codeOf(failed), "UNKNOWN"_ba);
    QCOMPARE(index.size(), std::size_t(4));
}

// The whole list is rendered once it is held, then handed out as it is until a tag changes.
void TestRegistryCaches::indexRendersTheWholeListOnce()
{
    registry::TagIndex index;
    CountingReader app{{"a", "b"}};
    int renders = 0;
    const registry::TagIndex::Renderer render = [&renders](const std::vector<std::string>& names) {
        ++renders;
        return joined(names);
    };
    const auto renderedText = [&] {
        const auto text = index.rendered("app", app.reader(), render);
        return text ? QString::fromStdString(**text) : u"error"_s;
    };
    QCOMPARE(renderedText(), u"a,b"_s); // read, held, and rendered for this listing only
    QCOMPARE(renderedText(), u"a,b"_s); // rendered from the index, and kept
    const auto kept = index.rendered("app", app.reader(), render);
    QVERIFY(kept);
    QCOMPARE(renderedText(), u"a,b"_s);
    QCOMPARE(renders, 2);
    QCOMPARE(app.reads, 1);

    index.refresh("app", "b", present); // written again: the same names, the same body
    QCOMPARE(index.rendered("app", app.reader(), render).value(), *kept);
    index.refresh("app", "c", present);
    QCOMPARE(renderedText(), u"a,b,c"_s);
    index.refresh("app", "a", absent);
    QCOMPARE(renderedText(), u"b,c"_s);
    QCOMPARE(renderedText(), u"b,c"_s);
    QCOMPARE(renders, 4);
    QCOMPARE(**kept, std::string("a,b")); // a body handed out earlier stays as it was
    QCOMPARE(app.reads, 1);
}

void TestRegistryCaches::indexFollowsRefreshes()
{
    registry::TagIndex index;
    CountingReader app{{"b", "d"}};
    QCOMPARE(allOf(index, "app", app), (QStringList{u"b"_s, u"d"_s}));
    index.refresh("app", "a", present);
    index.refresh("app", "c", present);
    index.refresh("app", "e", present);
    index.refresh("app", "c", present); // written again: listed once
    index.refresh("app", "d", absent);
    index.refresh("app", "z", absent); // removed, never listed
    QCOMPARE(allOf(index, "app", app), (QStringList{u"a"_s, u"b"_s, u"c"_s, u"e"_s}));
    QCOMPARE(app.reads, 1);
    QCOMPARE(index.size(), std::size_t(4));
    // Without tags, the repository is not held: storage says whether it still exists.
    for (const auto* tag : {"a", "b", "c", "e"})
        index.refresh("app", tag, absent);
    QCOMPARE(index.size(), std::size_t(0));
    app.names.clear();
    QCOMPARE(allOf(index, "app", app), QStringList());
    QCOMPARE(allOf(index, "app", app), QStringList());
    QCOMPARE(app.reads, 3);

    // A repository not held is not checked: its first listing reads it whole.
    int checks = 0;
    index.refresh("elsewhere", "v1", [&] {
        ++checks;
        return oci::Result<bool>(true);
    });
    QCOMPARE(checks, 0);
}

void TestRegistryCaches::indexIsBounded()
{
    registry::TagIndex index(5);
    CountingReader a{{"1", "2", "3"}};
    CountingReader b{{"4", "5", "6"}};
    CountingReader large{{"1", "2", "3", "4", "5", "6"}};
    QCOMPARE(allOf(index, "a", a).size(), 3);
    QCOMPARE(allOf(index, "b", b).size(), 3); // a, listed least lately, makes room
    QCOMPARE(index.size(), std::size_t(3));
    QCOMPARE(allOf(index, "b", b).size(), 3);
    QCOMPARE(b.reads, 1);
    QCOMPARE(allOf(index, "a", a).size(), 3);
    QCOMPARE(a.reads, 2);
    QCOMPARE(index.size(), std::size_t(3));

    // Tags added to a held repository count too.
    index.refresh("a", "4", present);
    index.refresh("a", "5", present);
    QCOMPARE(index.size(), std::size_t(5));
    index.refresh("a", "6", present);
    QCOMPARE(index.size(), std::size_t(0));

    // A repository larger than the whole index is answered from storage each time.
    QCOMPARE(allOf(index, "large", large).size(), 6);
    QCOMPARE(allOf(index, "large", large).size(), 6);
    QCOMPARE(large.reads, 2);
    QCOMPARE(index.size(), std::size_t(0));
}

void TestRegistryCaches::indexKeepsNoReadThatARefreshRaced()
{
    registry::TagIndex index;
    int reads = 0;
    const registry::TagIndex::Reader racing = [&]() -> oci::Result<std::vector<std::string>> {
        if (++reads == 1) // a tag is written while the listing is read, and the read missed it
            index.refresh("app", "new", present);
        return std::vector<std::string>{"old"};
    };
    const auto first = index.page("app", std::nullopt, {}, racing);
    VERIFY_OK(first);
    QCOMPARE(toStringList(first->items), QStringList{u"old"_s});
    QCOMPARE(index.size(), std::size_t(0));
    QVERIFY(index.page("app", std::nullopt, {}, racing));
    QVERIFY(index.page("app", std::nullopt, {}, racing));
    QCOMPARE(reads, 2); // read again, then held
}

void TestRegistryCaches::indexDropsWhatItCannotCheck()
{
    registry::TagIndex index;
    CountingReader app{{"a", "b"}};
    QCOMPARE(allOf(index, "app", app).size(), 2);
    index.refresh("app", "c", [] {
        return oci::Result<bool>(oci::fail(oci::ErrorCode::Internal, "storage unreadable"));
    });
    QCOMPARE(index.size(), std::size_t(0));
    QCOMPARE(allOf(index, "app", app).size(), 2);
    QCOMPARE(app.reads, 2);
}

void TestRegistryCaches::manifestCacheIsBounded()
{
    registry::ManifestCache cache(10);
    const auto manifest = [](std::string content) {
        return std::make_shared<const registry::CachedManifest>(
            registry::CachedManifest{"type", std::move(content)});
    };
    const auto first = oci::Digest::ofBytes("first");
    const auto second = oci::Digest::ofBytes("second");
    const auto third = oci::Digest::ofBytes("third");
    cache.insert(first, manifest("12345"));
    cache.insert(second, manifest("1234"));
    QCOMPARE(cache.size(), std::size_t(9));
    QVERIFY(cache.find(first)); // now used more lately than the second
    cache.insert(third, manifest("12"));
    QVERIFY(cache.find(first));
    QVERIFY(!cache.find(second));
    QCOMPARE(cache.find(third)->content, std::string("12"));
    QCOMPARE(cache.size(), std::size_t(7));
    cache.insert(oci::Digest::ofBytes("large"), manifest("12345678901"));
    QCOMPARE(cache.size(), std::size_t(7));
}

void TestRegistryCaches::targetsFollowChanges()
{
    registry::TagTargets targets(2);
    const auto first = oci::Digest::ofBytes("first");
    const auto second = oci::Digest::ofBytes("second");
    std::optional<oci::Digest> stored = first;
    int reads = 0;
    const registry::TagTargets::Reader read = [&] {
        ++reads;
        return oci::Result<std::optional<oci::Digest>>(stored);
    };
    const auto resolved = [&](std::string_view repo, std::string_view tag) {
        const auto digest = targets.resolve(repo, tag, read);
        return digest && *digest ? QString::fromStdString((*digest)->toString()) : QString();
    };
    const auto firstText = QString::fromStdString(first.toString());
    const auto secondText = QString::fromStdString(second.toString());
    QCOMPARE(resolved("app", "v1"), firstText);
    QCOMPARE(resolved("app", "v1"), firstText);
    QCOMPARE(reads, 1);

    stored = second; // moved, and told
    targets.forget("app", "v1");
    QCOMPARE(resolved("app", "v1"), secondText);
    QCOMPARE(reads, 2);

    // A read that a change raced answers, but is not kept.
    const auto racing = targets.resolve("app", "v2", [&] {
        targets.forget("app", "v2");
        return oci::Result<std::optional<oci::Digest>>(first);
    });
    QVERIFY(racing && *racing == first);
    QCOMPARE(targets.size(), std::size_t(1));

    // Missing tags are read each time; the tags read least lately make room.
    stored.reset();
    QCOMPARE(resolved("app", "missing"), QString());
    QCOMPARE(resolved("app", "missing"), QString());
    QCOMPARE(reads, 4);
    stored = first;
    QCOMPARE(resolved("app", "v3"), firstText);
    QCOMPARE(resolved("other", "v1"), firstText); // app:v1, read least lately, goes
    QCOMPARE(targets.size(), std::size_t(2));
    QCOMPARE(resolved("app", "v1"), firstText);
    QCOMPARE(reads, 7);
}

void TestRegistryCaches::tagsListFollowsEveryChange()
{
    const Image first = makeImage();
    const Image second = makeImage();
    push(first, "v1");
    push(first, "v2");
    compareWithStorage({u"v1"_s, u"v2"_s}); // the index reads the repository here
    push(first, "v3");
    push(second, "a0");
    compareWithStorage({u"a0"_s, u"v1"_s, u"v2"_s, u"v3"_s});
    push(second, "v1"); // moved: still listed once
    compareWithStorage({u"a0"_s, u"v1"_s, u"v2"_s, u"v3"_s});
    VERIFY_OK(registry().tags().untag(repository, "v2"));
    compareWithStorage({u"a0"_s, u"v1"_s, u"v3"_s});
    QCOMPARE(codeOf(registry().tags().untag(repository, "v2")), "MANIFEST_UNKNOWN"_ba);
    compareWithStorage({u"a0"_s, u"v1"_s, u"v3"_s});
    // Deleting a manifest deletes the tags pointing at it, as garbage collection and
    // retention do through the same calls.
    VERIFY_OK(registry().manifests().remove(repository, digestOf(second.manifest)));
    compareWithStorage({u"v3"_s});
    VERIFY_OK(registry().tags().untag(repository, "v3"));
    compareWithStorage({}); // no tag left, but a manifest: the repository is known
    VERIFY_OK(registry().manifests().remove(repository, digestOf(first.manifest)));
    compareWithStorage({u"NAME_UNKNOWN"_s}); // gone with its last manifest
    push(first, "again");
    compareWithStorage({u"again"_s});
}

void TestRegistryCaches::manifestReadsFollowEveryChange()
{
    const Image image = makeImage();
    const auto digest = digestOf(image.manifest);
    const oci::Reference byDigest(digest);
    const oci::Reference byTag(std::string("v1"));
    push(image, "v1");
    for (int read = 0; read < 2; ++read) { // from storage, then from memory
        const auto stored = registry().manifests().get(repository, byTag);
        VERIFY_OK(stored);
        QCOMPARE(QByteArray::fromStdString(stored->content), image.manifest);
        QCOMPARE(QString::fromStdString(stored->mediaType), image.mediaType);
        const auto info = registry().manifests().stat(repository, byDigest);
        VERIFY_OK(info);
        QCOMPARE(info->size, std::uint64_t(image.manifest.size()));
    }
    VERIFY_OK(registry().tags().untag(repository, "v1"));
    QCOMPARE(codeOf(registry().manifests().get(repository, byTag)), "MANIFEST_UNKNOWN"_ba);
    VERIFY_OK(registry().manifests().get(repository, byDigest));
    VERIFY_OK(registry().manifests().remove(repository, digest));
    QCOMPARE(codeOf(registry().manifests().get(repository, byDigest)), "MANIFEST_UNKNOWN"_ba);
    QCOMPARE(codeOf(registry().manifests().stat(repository, byDigest)), "MANIFEST_UNKNOWN"_ba);
    // Another repository never holding it does not serve it either, cached or not.
    QCOMPARE(codeOf(registry().manifests().get("library/other", byDigest)), "MANIFEST_UNKNOWN"_ba);
    push(image, image.digest().toStdString());
    VERIFY_OK(registry().manifests().get(repository, byDigest));
}

} // namespace berth::test

QTEST_APPLESS_MAIN(berth::test::TestRegistryCaches)
#include "TestRegistryCaches.moc"
