// The registry browser's models against real registries, berthd and the reference
// docker-registry, holding images pushed by skopeo: repositories page by page, tags with
// digest, type, size, platforms, created time and shared digests, and a manifest's
// layers, history, platforms and referrers. Every model runs under QAbstractItemModelTester.

#include "BrowserFixture.h"
#include "BrowserReferrers.h"
#include "ui/ItemRoles.h"
#include "ui/ManifestDetails.h"
#include "ui/RepositoryModel.h"
#include "ui/TagModel.h"
#include "ui/TagSortModel.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <map>

using namespace Qt::StringLiterals;
using berth::ui::DescriptorModel;
using berth::ui::HistoryModel;
using berth::ui::ManifestDetails;
using berth::ui::RepositoryModel;
using berth::ui::TagModel;

namespace berth::test {

namespace {

constexpr int networkTimeoutMs = 30000;
const auto testerMode = QAbstractItemModelTester::FailureReportingMode::QtTest;

QVariant cell(const QAbstractItemModel& model, int row, int column, int role = ui::RawValueRole)
{
    return model.index(row, column).data(role);
}

} // namespace

class TestBrowserModels : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void repositoriesPageByPage_data() { addRegistryRows(); }
    void repositoriesPageByPage();
    void repositoriesFetchAll_data() { addRegistryRows(); }
    void repositoriesFetchAll();
    void unreachableRegistryReportsError();

    void tagsShowManifestFacts_data() { addRegistryRows(); }
    void tagsShowManifestFacts();
    void tagsPageByPage_data() { addRegistryRows(); }
    void tagsPageByPage();
    void indexShowsPlatforms_data() { addRegistryRows(); }
    void indexShowsPlatforms();
    void detailsLoadOnlyForRowsAskedFor();
    void unknownRepositoryReportsError_data() { addRegistryRows(); }
    void unknownRepositoryReportsError();
    void removedTagsLeaveTheirDigestToTheOthers();
    void tagsSortByValue();

    void layersAndHistoryMatchTheImage_data() { addRegistryRows(); }
    void layersAndHistoryMatchTheImage();
    void indexDetailsListPlatforms_data() { addRegistryRows(); }
    void indexDetailsListPlatforms();
    void referrers_data() { addRegistryRows(); }
    void referrers();

private:
    BrowserRegistry& registry();

    std::map<RegistryProcess::Kind, std::unique_ptr<BrowserRegistry>> m_registries;
    // Pushed to every registry: `m_app` as browse/app:latest, :v1 and :v2, `m_other` as
    // browse/app:v3 and to every browse/list/* repository, `m_index` as browse/multi:1.0.
    Image m_app;
    Image m_other;
    ImageIndex m_index;
    QStringList m_repositories;
    QNetworkAccessManager m_network;
};

BrowserRegistry& TestBrowserModels::registry()
{
    QFETCH(RegistryProcess::Kind, kind);
    return *m_registries.at(kind);
}

void TestBrowserModels::initTestCase()
{
    if (QStandardPaths::findExecutable(u"skopeo"_s).isEmpty())
        QSKIP("skopeo is not installed (Debian package skopeo)");
    m_app = ImageFactory::randomImage(2, 48 << 10);
    m_other = ImageFactory::randomImage(1, 16 << 10);
    m_index = ImageFactory::index({ImageFactory::randomImage(1, 32 << 10, {u"linux"_s, u"amd64"_s}),
                                   ImageFactory::randomImage(2, 16 << 10, {u"linux"_s, u"arm64"_s})});
    QStringList listed;
    for (int i = 0; i < 5; ++i)
        listed.append(u"browse/list/r%1"_s.arg(i));
    m_repositories = QStringList{u"browse/app"_s, u"browse/multi"_s} + listed;
    m_repositories.sort();

    for (const auto kind : {RegistryProcess::Kind::Berthd, RegistryProcess::Kind::Distribution}) {
        auto registry = std::make_unique<BrowserRegistry>(kind);
        BERTH_VERIFY_OK(registry->start());
        BERTH_VERIFY_OK(
            registry->push(m_app, {u"browse/app:latest"_s, u"browse/app:v1"_s, u"browse/app:v2"_s}));
        QStringList others{u"browse/app:v3"_s};
        for (const QString& repository : std::as_const(listed))
            others.append(repository + u":only"_s);
        BERTH_VERIFY_OK(registry->push(m_other, others));
        BERTH_VERIFY_OK(registry->push(m_index, u"browse/multi:1.0"_s));
        m_registries.emplace(kind, std::move(registry));
    }
}

void TestBrowserModels::repositoriesPageByPage()
{
    // Opening asks for the first page only.
    RepositoryModel firstPage;
    firstPage.setPageSize(2);
    firstPage.setRegistry(registry().client());
    QTRY_VERIFY_WITH_TIMEOUT(!firstPage.isLoading(), networkTimeoutMs);
    QCOMPARE(columnTexts(firstPage), m_repositories.mid(0, 2));
    QVERIFY(firstPage.canFetchMore({}));

    // The tester asks for more after every insertion, as a view that is not full would.
    RepositoryModel model;
    QAbstractItemModelTester tester(&model, testerMode);
    QSignalSpy inserted(&model, &RepositoryModel::rowsInserted);
    model.setPageSize(2);
    model.setRegistry(registry().client());
    for (int page = 0; page < 20 && model.canFetchMore({}); ++page) {
        model.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), networkTimeoutMs);
    }
    QVERIFY(model.isComplete());
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(columnTexts(model), m_repositories);
    // One insertion per page of two; the last may be empty.
    QVERIFY2(inserted.size() >= (m_repositories.size() + 1) / 2 && inserted.size() <= m_repositories.size(),
             qPrintable(QString::number(inserted.size())));
    for (const QList<QVariant>& insertion : std::as_const(inserted))
        QVERIFY(insertion.at(2).toInt() - insertion.at(1).toInt() < 2);
}

void TestBrowserModels::repositoriesFetchAll()
{
    RepositoryModel model;
    QAbstractItemModelTester tester(&model, testerMode);
    model.setPageSize(3);
    model.setRegistry(registry().client());
    model.fetchAll();
    QTRY_VERIFY_WITH_TIMEOUT(model.isComplete(), networkTimeoutMs);
    QCOMPARE(columnTexts(model), m_repositories);

    // Reloading starts over and ends the same.
    model.reload();
    QCOMPARE(model.rowCount(), 0);
    model.fetchAll();
    QTRY_VERIFY_WITH_TIMEOUT(model.isComplete(), networkTimeoutMs);
    QCOMPARE(columnTexts(model), m_repositories);
}

void TestBrowserModels::unreachableRegistryReportsError()
{
    const auto client = unreachableClient(&m_network);
    RepositoryModel model;
    QAbstractItemModelTester tester(&model, testerMode);
    QSignalSpy errors(&model, &RepositoryModel::errorOccurred);
    model.setRegistry(client.get());
    QVERIFY(errors.wait(networkTimeoutMs));
    const QString message = errors.first().first().toString();
    QVERIFY2(message.contains(u"repositories"_s), qPrintable(message));
    QVERIFY2(message.contains(client->hostAndPort()) || message.contains(u"refused"_s, Qt::CaseInsensitive),
             qPrintable(message));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.isLoading());
    // No endless retries from a view asking for more.
    QVERIFY(!model.canFetchMore({}));
}

void TestBrowserModels::tagsShowManifestFacts()
{
    TagModel model;
    QAbstractItemModelTester tester(&model, testerMode);
    model.setRegistry(registry().client());
    model.setRepository(u"browse/app"_s);
    QVERIFY(waitUntilResolved(model));

    QStringList tags;
    for (int row = 0; row < model.rowCount(); ++row)
        tags.append(model.tag(row));
    tags.sort();
    QCOMPARE(tags, (QStringList{u"latest"_s, u"v1"_s, u"v2"_s, u"v3"_s}));

    const QString appDigest = digestOf(m_app.manifest);
    const QString otherDigest = digestOf(m_other.manifest);
    QCOMPARE(model.tagsWithDigest(appDigest), (QStringList{u"latest"_s, u"v1"_s, u"v2"_s}));
    QCOMPARE(model.tagsWithDigest(otherDigest), QStringList{u"v3"_s});

    struct Expected
    {
        QString tag;
        const Image* image;
        QString sharedWith;
    };
    for (const Expected& expected :
         {Expected{u"latest"_s, &m_app, u"v1, v2"_s}, Expected{u"v1"_s, &m_app, u"latest, v2"_s},
          Expected{u"v3"_s, &m_other, QString()}}) {
        const int row = model.rowOfTag(expected.tag);
        QVERIFY(row >= 0);
        QCOMPARE(model.digest(row), digestOf(expected.image->manifest));
        QCOMPARE(cell(model, row, TagModel::Digest).toString(), digestOf(expected.image->manifest));
        QCOMPARE(cell(model, row, TagModel::Digest, Qt::DisplayRole).toString(),
                 digestOf(expected.image->manifest).left(u"sha256:"_s.size() + 12));
        QCOMPARE(cell(model, row, TagModel::MediaType).toString(), QLatin1StringView(mediatype::ociManifest));
        QCOMPARE(cell(model, row, TagModel::MediaType, Qt::DisplayRole).toString(), u"OCI image"_s);
        QCOMPARE(cell(model, row, TagModel::Size).toLongLong(), imageSize(*expected.image));
        QCOMPARE(cell(model, row, TagModel::Size, ui::SizeRole).toLongLong(), imageSize(*expected.image));
        QCOMPARE(cell(model, row, TagModel::Size, Qt::DisplayRole).toString(),
                 QLocale().formattedDataSize(imageSize(*expected.image)));
        QCOMPARE(cell(model, row, TagModel::Platforms).toString(), QString());
        QCOMPARE(cell(model, row, TagModel::SharedWith).toString(), expected.sharedWith);
        // The created time comes with the config, one request later.
        QTRY_COMPARE_WITH_TIMEOUT(cell(model, row, TagModel::Created).toDateTime(),
                                  imageCreated(*expected.image), networkTimeoutMs);
        QVERIFY(!cell(model, row, TagModel::Created, Qt::DisplayRole).toString().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!cell(model, row, TagModel::Digest, ui::LoadingRole).toBool(),
                                 networkTimeoutMs);
    }
}

void TestBrowserModels::tagsPageByPage()
{
    TagModel model;
    QAbstractItemModelTester tester(&model, testerMode);
    QSignalSpy inserted(&model, &TagModel::rowsInserted);
    model.setPageSize(1);
    model.setRegistry(registry().client());
    model.setRepository(u"browse/app"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), networkTimeoutMs);
    for (int page = 0; page < 20 && model.canFetchMore({}); ++page) {
        model.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), networkTimeoutMs);
    }
    QVERIFY(model.isComplete());
    QCOMPARE(model.rowCount(), 4);
    for (const QList<QVariant>& insertion : std::as_const(inserted))
        QVERIFY(insertion.at(2).toInt() >= insertion.at(1).toInt());
}

void TestBrowserModels::indexShowsPlatforms()
{
    TagModel model;
    QAbstractItemModelTester tester(&model, testerMode);
    model.setRegistry(registry().client());
    model.setRepository(u"browse/multi"_s);
    QVERIFY(waitUntilResolved(model));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.tag(0), u"1.0"_s);
    QCOMPARE(model.digest(0), digestOf(m_index.index));
    QCOMPARE(cell(model, 0, TagModel::MediaType).toString(), QLatin1StringView(mediatype::ociIndex));
    QCOMPARE(cell(model, 0, TagModel::MediaType, Qt::DisplayRole).toString(), u"OCI index"_s);
    QCOMPARE(cell(model, 0, TagModel::Platforms).toString(), u"linux/amd64, linux/arm64"_s);
    // An index is as big as its images together, and as new as the newest.
    const qint64 size = imageSize(m_index.images.at(0)) + imageSize(m_index.images.at(1));
    QTRY_COMPARE_WITH_TIMEOUT(cell(model, 0, TagModel::Size).toLongLong(), size, networkTimeoutMs);
    const QDateTime created = qMax(imageCreated(m_index.images.at(0)), imageCreated(m_index.images.at(1)));
    QTRY_COMPARE_WITH_TIMEOUT(cell(model, 0, TagModel::Created).toDateTime(), created, networkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!cell(model, 0, TagModel::Digest, ui::LoadingRole).toBool(), networkTimeoutMs);
}

void TestBrowserModels::detailsLoadOnlyForRowsAskedFor()
{
    TagModel model;
    model.setRegistry(m_registries.at(RegistryProcess::Kind::Berthd)->client());
    model.setRepository(u"browse/app"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model.isComplete(), networkTimeoutMs);
    QCOMPARE(model.rowCount(), 4);

    // A view showing the tag column only asks for nothing else.
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(!cell(model, row, TagModel::Tag, Qt::DisplayRole).toString().isEmpty());
    QTest::qWait(300);
    QCOMPARE(model.resolvedCount(), 0);

    // Showing the size of the second row fetches that row's manifest, and only that.
    QVERIFY(cell(model, 1, TagModel::Size, Qt::DisplayRole).toString().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(model.resolvedCount(), 1, networkTimeoutMs);
    QVERIFY(!model.digest(1).isEmpty());
    QTest::qWait(300);
    QCOMPARE(model.resolvedCount(), 1);
    QVERIFY(model.digest(0).isEmpty());
    QVERIFY(!model.isResolved());
}

void TestBrowserModels::unknownRepositoryReportsError()
{
    TagModel model;
    QAbstractItemModelTester tester(&model, testerMode);
    QSignalSpy errors(&model, &TagModel::errorOccurred);
    model.setRegistry(registry().client());
    model.setRepository(u"browse/does-not-exist"_s);
    QVERIFY(errors.wait(networkTimeoutMs));
    const QString message = errors.first().first().toString();
    QVERIFY2(message.contains(u"browse/does-not-exist"_s), qPrintable(message));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
}

void TestBrowserModels::removedTagsLeaveTheirDigestToTheOthers()
{
    TagModel model;
    QAbstractItemModelTester tester(&model, testerMode);
    model.setRegistry(m_registries.at(RegistryProcess::Kind::Berthd)->client());
    model.setRepository(u"browse/app"_s);
    QVERIFY(waitUntilResolved(model));
    QSignalSpy removed(&model, &TagModel::rowsRemoved);

    // Only the model forgets the tag: the registry keeps it for the other tests.
    model.removeTags({u"v1"_s});
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOfTag(u"v1"_s), -1);
    const QString appDigest = digestOf(m_app.manifest);
    QCOMPARE(model.tagsWithDigest(appDigest), (QStringList{u"latest"_s, u"v2"_s}));
    QCOMPARE(cell(model, model.rowOfTag(u"v2"_s), TagModel::SharedWith).toString(), u"latest"_s);
    QVERIFY(model.isResolved());
    QCOMPARE(model.tag(model.rowOfTag(u"v3"_s)), u"v3"_s);
}

void TestBrowserModels::tagsSortByValue()
{
    TagModel model;
    ui::TagSortModel sorted(&model);
    QAbstractItemModelTester tester(&sorted, testerMode);
    model.setRegistry(m_registries.at(RegistryProcess::Kind::Berthd)->client());
    model.setRepository(u"browse/app"_s);
    QVERIFY(waitUntilResolved(model));
    // The sizes are in with the manifests; the times come with the configs.
    const auto allCreated = [&model] {
        for (int row = 0; row < model.rowCount(); ++row)
            if (!model.index(row, TagModel::Created).data(ui::RawValueRole).toDateTime().isValid())
                return false;
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allCreated(), networkTimeoutMs);

    sorted.sort(TagModel::Tag, Qt::DescendingOrder);
    QCOMPARE(columnTexts(sorted), (QStringList{u"v3"_s, u"v2"_s, u"v1"_s, u"latest"_s}));
    // m_other is the smaller image; the three tags of m_app tie.
    sorted.sort(TagModel::Size, Qt::AscendingOrder);
    QCOMPARE(columnTexts(sorted).first(), u"v3"_s);
    sorted.sort(TagModel::Size, Qt::DescendingOrder);
    QCOMPARE(columnTexts(sorted).last(), u"v3"_s);
    QVERIFY(sorted.index(0, TagModel::Size).data(ui::SizeRole).toLongLong() > imageSize(m_other));
    sorted.sort(TagModel::SharedWith, Qt::AscendingOrder);
    QCOMPARE(columnTexts(sorted).first(), u"v3"_s);
    // Pushed after m_app, so created later.
    sorted.sort(TagModel::Created, Qt::DescendingOrder);
    QCOMPARE(sorted.index(0, TagModel::Created).data(ui::RawValueRole).toDateTime(),
             qMax(imageCreated(m_app), imageCreated(m_other)));
}

void TestBrowserModels::layersAndHistoryMatchTheImage()
{
    ManifestDetails details;
    QAbstractItemModelTester layerTester(details.layers(), testerMode);
    QAbstractItemModelTester historyTester(details.history(), testerMode);
    details.setRegistry(registry().client());
    details.load(u"browse/app"_s, u"v1"_s);
    using State = ManifestDetails::State;
    using Part = ManifestDetails::Part;
    QTRY_VERIFY_WITH_TIMEOUT(details.state(Part::Manifest) != State::Loading &&
                                 details.state(Part::Config) != State::Loading &&
                                 details.state(Part::Referrers) != State::Loading,
                             networkTimeoutMs);
    QCOMPARE(details.state(Part::Manifest), State::Ready);
    QCOMPARE(details.state(Part::Config), State::Ready);
    QCOMPARE(details.manifest().digest, digestOf(m_app.manifest));
    QCOMPARE(
        details.manifestText(),
        QString::fromUtf8(QJsonDocument::fromJson(m_app.manifest.bytes).toJson(QJsonDocument::Indented)));
    QCOMPARE(details.configText(),
             QString::fromUtf8(QJsonDocument::fromJson(m_app.config.bytes).toJson(QJsonDocument::Indented)));

    const DescriptorModel& layers = *details.layers();
    QCOMPARE(layers.rowCount(), m_app.layers.size());
    for (int row = 0; row < layers.rowCount(); ++row) {
        const Blob& layer = m_app.layers.at(row);
        QCOMPARE(cell(layers, row, DescriptorModel::Digest).toString(), digestOf(layer));
        QCOMPARE(cell(layers, row, DescriptorModel::Size).toLongLong(), layer.bytes.size());
        QCOMPARE(cell(layers, row, DescriptorModel::Size, Qt::DisplayRole).toString(),
                 QLocale().formattedDataSize(layer.bytes.size()));
        QCOMPARE(cell(layers, row, DescriptorModel::MediaType).toString(),
                 QLatin1StringView(layer.mediaType));
        QCOMPARE(cell(layers, row, DescriptorModel::MediaType, Qt::DisplayRole).toString(), u"OCI layer"_s);
    }

    // ImageFactory writes one history step per layer.
    const HistoryModel& history = *details.history();
    QCOMPARE(history.rowCount(), m_app.layers.size());
    for (int row = 0; row < history.rowCount(); ++row) {
        QCOMPARE(cell(history, row, HistoryModel::Command).toString(),
                 u"berth ImageFactory layer %1"_s.arg(row));
        QCOMPARE(cell(history, row, HistoryModel::Created).toDateTime(), imageCreated(m_app));
        QCOMPARE(cell(history, row, HistoryModel::Size).toLongLong(), m_app.layers.at(row).bytes.size());
        QCOMPARE(cell(history, row, HistoryModel::Size, ui::DigestRole).toString(),
                 digestOf(m_app.layers.at(row)));
    }
}

void TestBrowserModels::indexDetailsListPlatforms()
{
    ManifestDetails details;
    QAbstractItemModelTester tester(details.platforms(), testerMode);
    details.setRegistry(registry().client());
    details.load(u"browse/multi"_s, u"1.0"_s);
    using State = ManifestDetails::State;
    QTRY_COMPARE_WITH_TIMEOUT(details.state(ManifestDetails::Part::Manifest), State::Ready, networkTimeoutMs);
    QVERIFY(details.manifest().isIndex);
    QCOMPARE(details.state(ManifestDetails::Part::Config), State::Empty);
    QCOMPARE(details.layers()->rowCount(), 0);
    const DescriptorModel& platforms = *details.platforms();
    QCOMPARE(platforms.rowCount(), 2);
    const QStringList expected{u"linux/amd64"_s, u"linux/arm64"_s};
    for (int row = 0; row < 2; ++row) {
        const Image& image = m_index.images.at(row);
        QCOMPARE(cell(platforms, row, DescriptorModel::Platform, Qt::DisplayRole).toString(),
                 expected.at(row));
        QCOMPARE(cell(platforms, row, DescriptorModel::Digest).toString(), digestOf(image.manifest));
        QCOMPARE(cell(platforms, row, DescriptorModel::Size).toLongLong(), image.manifest.bytes.size());
    }

    // A platform opens like a tag: its layers are the image's.
    details.load(u"browse/multi"_s, cell(platforms, 1, DescriptorModel::Digest).toString());
    QTRY_COMPARE_WITH_TIMEOUT(details.state(ManifestDetails::Part::Manifest), State::Ready, networkTimeoutMs);
    QCOMPARE(details.layers()->rowCount(), m_index.images.at(1).layers.size());
    QTRY_COMPARE_WITH_TIMEOUT(details.state(ManifestDetails::Part::Config), State::Ready, networkTimeoutMs);
    QCOMPARE(details.config().architecture, u"arm64"_s);
}

void TestBrowserModels::referrers()
{
    BrowserRegistry& target = registry();
    // A fresh repository, so that no other test's image gains a referrer.
    const QString repository = u"browse/signed"_s;
    const Image image = ImageFactory::randomImage(1, 8 << 10);
    BERTH_VERIFY_OK(target.push(image, {repository + u":v1"_s}));
    QString referrerDigest;
    BERTH_VERIFY_OK(pushReferrer(target.process().baseUrl(), repository, image.manifest.bytes,
                                 u"application/vnd.example.signature"_s, &referrerDigest));

    ManifestDetails details;
    QAbstractItemModelTester tester(details.referrers(), testerMode);
    details.setRegistry(target.client());
    details.load(repository, u"v1"_s);
    using State = ManifestDetails::State;
    QTRY_VERIFY_WITH_TIMEOUT(details.state(ManifestDetails::Part::Referrers) != State::Empty &&
                                 details.state(ManifestDetails::Part::Referrers) != State::Loading,
                             networkTimeoutMs);
    if (target.kind() == RegistryProcess::Kind::Distribution) {
        // docker-registry 2.8 has no referrers API: the page says so instead of an error.
        QCOMPARE(details.state(ManifestDetails::Part::Referrers), State::Unsupported);
        QVERIFY(!details.message(ManifestDetails::Part::Referrers).isEmpty());
        return;
    }
    QCOMPARE(details.state(ManifestDetails::Part::Referrers), State::Ready);
    const DescriptorModel& referrers = *details.referrers();
    QCOMPARE(referrers.rowCount(), 1);
    QCOMPARE(cell(referrers, 0, DescriptorModel::Digest).toString(), referrerDigest);
    QCOMPARE(cell(referrers, 0, DescriptorModel::ArtifactType).toString(),
             u"application/vnd.example.signature"_s);
    QCOMPARE(cell(referrers, 0, DescriptorModel::Created).toDateTime(),
             QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC));
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestBrowserModels)
#include "TestBrowserModels.moc"
