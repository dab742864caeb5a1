// The models and views behind the Storage and Retention pages, on data written here:
// every model through QAbstractItemModelTester; refreshed storage figures update rows in
// place (counted with QSignalSpy, never a reset); the history appends; the treemap's
// layout gives each repository its share of the area, and its tiles open repositories by
// mouse and keyboard, and open into a repository's images and back; the bar charts show
// the largest repositories, images and layers, or say the server does not tell; image rows
// label and reference what the browser opens; rules are edited,
// validated, moved and compared with the saved ones; previews list deletions first.

#include "ui/CollectionItemsModel.h"
#include "ui/ImageStorageModel.h"
#include "ui/ItemRoles.h"
#include "ui/RepositoryStorageModel.h"
#include "ui/RepositoryTreemap.h"
#include "ui/RetentionPreviewModel.h"
#include "ui/RetentionRulesModel.h"
#include "ui/StorageCharts.h"
#include "ui/StorageHistoryModel.h"
#include "ui/TreemapLayout.h"

#include <QAbstractItemModelTester>
#include <QBarSet>
#include <QElapsedTimer>
#include <QHorizontalStackedBarSeries>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>
#include <numeric>

using namespace Qt::StringLiterals;
using berth::app::RepositoryStorage;

namespace berth::ui {

namespace {

using Tester = QAbstractItemModelTester;

// "name:logical" items, unique bytes a third of the logical ones, shared the rest.
QList<RepositoryStorage> repositories(const QStringList& items)
{
    QList<RepositoryStorage> result;
    for (const QString& item : items) {
        const qint64 logical = item.section(u':', 1).toLongLong();
        RepositoryStorage repository;
        repository.name = item.section(u':', 0, 0);
        repository.logicalBytes = logical;
        repository.uniqueBytes = logical / 3;
        repository.sharedBytes = logical - logical / 3;
        repository.tags = 1;
        result.append(repository);
    }
    return result;
}

QStringList names(const RepositoryStorageModel& model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, RepositoryStorageModel::Repository).data().toString());
    return result;
}

// "tag,tag:bytes:unique" items ("-" for no tag), with digests made from their position.
QList<app::ImageStorage> images(const QString& repository, const QStringList& items)
{
    QList<app::ImageStorage> result;
    for (const QString& item : items) {
        app::ImageStorage image;
        image.repository = repository;
        image.digest = u"sha256:"_s + QString(64, QChar(static_cast<char16_t>(u'a' + result.size())));
        image.mediaType = u"application/vnd.oci.image.manifest.v1+json"_s;
        if (item.section(u':', 0, 0) != u"-"_s)
            image.tags = item.section(u':', 0, 0).split(u',');
        image.bytes = item.section(u':', 1, 1).toLongLong();
        image.uniqueBytes = item.section(u':', 2, 2).toLongLong();
        result.append(image);
    }
    return result;
}

// The bars of a chart of two stacked sets, top first: (first part, second part).
QList<std::pair<qreal, qreal>> barsOf(const QChartView& view)
{
    QList<std::pair<qreal, qreal>> bars;
    const QList<QAbstractSeries*> series = view.chart()->series();
    if (series.isEmpty())
        return bars;
    const QList<QBarSet*> sets = static_cast<QHorizontalStackedBarSeries*>(series.first())->barSets();
    for (qsizetype i = sets.first()->count() - 1; i >= 0; --i)
        bars.append({sets.at(0)->at(i), sets.at(1)->at(i)});
    return bars;
}

app::StorageSample sample(const QDateTime& time, qint64 bytesOnDisk, const QStringList& items)
{
    app::StorageSample result;
    result.time = time;
    result.totals.bytesOnDisk = bytesOnDisk;
    result.repositories = repositories(items);
    return result;
}

app::RetentionDecision decision(const QString& repository, const QString& tag, std::optional<int> rule = 0)
{
    return {repository, tag,         u"sha256:"_s + QString(64, u'a'), QDateTime::currentDateTimeUtc(),
            rule,       u"because"_s};
}

} // namespace

class TestStorageModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repositoryRowsUpdateInPlace_data()
    {
        QTest::addColumn<QStringList>("before");
        QTest::addColumn<QStringList>("after");
        QTest::addColumn<int>("removed");
        QTest::addColumn<int>("inserted");
        QTest::addColumn<int>("changed");
        QTest::newRow("first report") << QStringList{} << QStringList{u"b:10"_s, u"a:20"_s} << 0 << 2 << 0;
        QTest::newRow("same again") << QStringList{u"a:20"_s, u"b:10"_s} << QStringList{u"b:10"_s, u"a:20"_s}
                                    << 0 << 0 << 0;
        QTest::newRow("one grew") << QStringList{u"a:20"_s, u"b:10"_s} << QStringList{u"a:20"_s, u"b:11"_s}
                                  << 0 << 0 << 1;
        QTest::newRow("one went") << QStringList{u"a:1"_s, u"b:2"_s, u"c:3"_s}
                                  << QStringList{u"a:1"_s, u"c:3"_s} << 1 << 0 << 0;
        QTest::newRow("went and came") << QStringList{u"a:1"_s, u"b:2"_s, u"c:3"_s, u"d:4"_s}
                                       << QStringList{u"a:1"_s, u"bb:2"_s, u"d:5"_s, u"e:6"_s} << 2 << 2 << 1;
        QTest::newRow("all went") << QStringList{u"a:1"_s, u"b:2"_s} << QStringList{} << 2 << 0 << 0;
    }

    void repositoryRowsUpdateInPlace()
    {
        QFETCH(QStringList, before);
        QFETCH(QStringList, after);
        QFETCH(int, removed);
        QFETCH(int, inserted);
        QFETCH(int, changed);
        RepositoryStorageModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        model.setRepositories(repositories(before));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removals(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy insertions(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setRepositories(repositories(after));

        const auto rowsIn = [](const QSignalSpy& spy) {
            int rows = 0;
            for (const QList<QVariant>& signal : spy)
                rows += signal.at(2).toInt() - signal.at(1).toInt() + 1;
            return rows;
        };
        QCOMPARE(resets.size(), 0);
        QCOMPARE(rowsIn(removals), removed);
        QCOMPARE(rowsIn(insertions), inserted);
        QCOMPARE(changes.size(), changed);
        QStringList expected;
        for (const QString& item : after)
            expected.append(item.section(u':', 0, 0));
        expected.sort();
        QCOMPARE(names(model), expected);
        for (const RepositoryStorage& repository : repositories(after)) {
            const int row = model.rowOf(repository.name);
            QCOMPARE(model.index(row, RepositoryStorageModel::LogicalBytes).data(RawValueRole).toLongLong(),
                     repository.logicalBytes);
            QCOMPARE(model.index(row, RepositoryStorageModel::UniqueBytes).data(RawValueRole).toLongLong(),
                     repository.uniqueBytes);
            QCOMPARE(model.index(row, RepositoryStorageModel::SharedBytes).data(RawValueRole).toLongLong(),
                     repository.sharedBytes);
        }
    }

    // A registry of 10,000 repositories, as README.md measures the API with: one insert,
    // then one change for a refresh where every figure moved, behind a sorting proxy.
    void thousandsOfRepositoriesInBatches()
    {
        QStringList items;
        QStringList grown;
        for (int i = 0; i < 10000; ++i) {
            items.append(u"team%1/app%2:%3"_s.arg(i % 100).arg(i).arg(1000 + i));
            grown.append(u"team%1/app%2:%3"_s.arg(i % 100).arg(i).arg(2000 + i));
        }
        RepositoryStorageModel model;
        QSortFilterProxyModel sorted;
        sorted.setSourceModel(&model);
        sorted.setSortRole(RawValueRole);
        sorted.sort(RepositoryStorageModel::LogicalBytes, Qt::DescendingOrder);
        QSignalSpy insertions(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        QElapsedTimer timer;
        timer.start();
        model.setRepositories(repositories(items));
        const qint64 firstMs = timer.restart();
        model.setRepositories(repositories(grown));
        const qint64 refreshMs = timer.elapsed();
        qInfo("10,000 repositories: first report %lld ms, refresh %lld ms", firstMs, refreshMs);
        QCOMPARE(insertions.size(), 1);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(sorted.index(0, RepositoryStorageModel::Repository).data().toString(), u"team99/app9999"_s);
        QCOMPARE(sorted.index(0, RepositoryStorageModel::LogicalBytes).data(RawValueRole).toLongLong(),
                 11999);
    }

    void historyAddsOnlyNewerSamples()
    {
        StorageHistoryModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-3600);
        model.setHistory({std::chrono::seconds(60),
                          {sample(start, 100, {u"a:60"_s, u"b:40"_s}),
                           sample(start.addSecs(60), 150, {u"a:90"_s, u"b:40"_s, u"c:20"_s})}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.latestTime(), start.addSecs(60));

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy insertions(&model, &QAbstractItemModel::rowsInserted);
        // Asked for samples since the latest one, the server answers that one too.
        model.addSamples(
            {std::chrono::seconds(60),
             {sample(start.addSecs(60), 150, {}), sample(start.addSecs(120), 170, {u"a:100"_s, u"c:70"_s})}});
        QCOMPARE(resets.size(), 0);
        QCOMPARE(insertions.size(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(2, StorageHistoryModel::BytesOnDisk).data(RawValueRole).toLongLong(), 170);
        QCOMPARE(model.largestRepositories(2), (QStringList{u"a"_s, u"c"_s}));
        const QList<QPointF> b = model.logicalBytesOf(u"b"_s);
        QCOMPARE(b.size(), 3);
        QCOMPARE(b.at(2).y(), 0.0); // gone in the latest sample
        QCOMPARE(model.bytesOnDisk().first().x(), static_cast<qreal>(start.toMSecsSinceEpoch()));
        model.addSamples({std::chrono::seconds(60), {sample(start.addSecs(120), 170, {})}});
        QCOMPARE(insertions.size(), 1); // nothing newer

        model.setHistory({});
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.latestTime().isValid());
    }

    void treemapLayout_data()
    {
        QTest::addColumn<QList<qreal>>("weights");
        QTest::addColumn<QRectF>("bounds");
        QTest::newRow("one") << QList<qreal>{5} << QRectF(0, 0, 300, 200);
        QTest::newRow("equal") << QList<qreal>{1, 1, 1, 1} << QRectF(10, 20, 400, 400);
        QTest::newRow("paper example") << QList<qreal>{6, 6, 4, 3, 2, 2, 1} << QRectF(0, 0, 600, 400);
        QTest::newRow("a giant and dust") << QList<qreal>{1e9, 1, 1, 1} << QRectF(0, 0, 640, 360);
        QTest::newRow("tall") << QList<qreal>{9, 7, 5, 3, 1} << QRectF(0, 0, 120, 700);
        QTest::newRow("zeros") << QList<qreal>{3, 0, 2, -1, 1} << QRectF(0, 0, 200, 100);
    }

    void treemapLayout()
    {
        QFETCH(QList<qreal>, weights);
        QFETCH(QRectF, bounds);
        const QList<QRectF> rects = squarifiedLayout(weights, bounds);
        QCOMPARE(rects.size(), weights.size());
        const qreal total =
            std::accumulate(weights.cbegin(), weights.cend(), qreal(0),
                            [](qreal sum, qreal weight) { return sum + std::max<qreal>(weight, 0); });
        const qreal area = bounds.width() * bounds.height();
        qreal covered = 0;
        for (qsizetype i = 0; i < rects.size(); ++i) {
            const QRectF& rect = rects.at(i);
            const qreal share = std::max<qreal>(weights.at(i), 0) / total * area;
            QVERIFY2(
                qAbs(rect.width() * rect.height() - share) <= std::max(1e-6 * area, 1e-3),
                qPrintable(
                    u"tile %1 has area %2, not %3"_s.arg(i).arg(rect.width() * rect.height()).arg(share)));
            if (share == 0)
                continue;
            QVERIFY(bounds.adjusted(-1e-6, -1e-6, 1e-6, 1e-6).contains(rect));
            covered += rect.width() * rect.height();
            for (qsizetype j = 0; j < i; ++j) {
                const QRectF overlap = rect.intersected(rects.at(j));
                QVERIFY(overlap.width() * overlap.height() < 1e-6 * area);
            }
        }
        QVERIFY(qAbs(covered - area) < 1e-6 * area);
    }

    void treemapOpensRepositories()
    {
        RepositoryStorageModel model;
        model.setRepositories(repositories({u"team/app:600"_s, u"team/web:300"_s, u"solo/tool:100"_s}));
        RepositoryTreemap treemap;
        treemap.setModel(&model);
        treemap.resize(400, 300);
        treemap.show();
        QVERIFY(QTest::qWaitForWindowExposed(&treemap));
        QCOMPARE(treemap.tiles().size(), 3);
        QCOMPARE(treemap.tiles().first().name, u"team/app"_s); // largest first
        QCOMPARE(treemap.tiles().first().rect.width() * treemap.tiles().first().rect.height(),
                 400.0 * 300 * 0.6);
        QVERIFY(!treemap.accessibleName().isEmpty());

        QSignalSpy activated(&treemap, &RepositoryTreemap::repositoryActivated);
        QTest::mouseClick(&treemap, Qt::LeftButton, {}, treemap.tiles().at(1).rect.center().toPoint());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.takeFirst().first().toString(), u"team/web"_s);
        treemap.setFocus();
        QTest::keyClick(&treemap, Qt::Key_End);
        QCOMPARE(treemap.currentTile(), 2);
        QTest::keyClick(&treemap, Qt::Key_Return);
        QCOMPARE(activated.takeFirst().first().toString(), u"solo/tool"_s);
        QTest::keyClick(&treemap, Qt::Key_Left);
        QTest::keyClick(&treemap, Qt::Key_Space);
        QCOMPARE(activated.takeFirst().first().toString(), u"team/web"_s);
        QVERIFY(treemap.accessibleDescription().contains(u"team/web"_s));

        // A refresh keeps the tile the keyboard is on.
        model.setRepositories(repositories({u"team/app:600"_s, u"team/web:900"_s, u"solo/tool:100"_s}));
        QCOMPARE(treemap.tiles().first().name, u"team/web"_s);
        QCOMPARE(treemap.currentTile(), 0);
    }

    void sharedBytesChartShowsTheLargest()
    {
        SharedBytesChart chart;
        chart.setRepositories(repositories({u"a:5"_s, u"b:50"_s, u"c:500"_s, u"d:1"_s}), 3);
        QCOMPARE(chart.shownRepositories(), (QStringList{u"c"_s, u"b"_s, u"a"_s}));
        QVERIFY(chart.accessibleDescription().contains(u"c: "_s));
        chart.setRepositories({});
        QVERIFY(chart.shownRepositories().isEmpty());
    }

    void imageRows_data()
    {
        QTest::addColumn<QString>("item");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("tags");
        QTest::newRow("one tag") << u"v1:300:100"_s << u"team/app:v1"_s << u"v1"_s << u"v1"_s;
        QTest::newRow("three tags") << u"v2,latest,stable:300:100"_s << u"team/app:v2"_s
                                    << u"v2"_s << u"v2, latest, stable"_s;
        QTest::newRow("untagged") << u"-:300:100"_s << u"team/app@sha256:aaaaaaaaaaaa"_s
                                  << u"sha256:"_s + QString(64, u'a') << u"(untagged)"_s;
    }

    void imageRows()
    {
        QFETCH(QString, item);
        QFETCH(QString, label);
        QFETCH(QString, reference);
        QFETCH(QString, tags);
        ImageStorageModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        const QList<app::ImageStorage> list = images(u"team/app"_s, {item, u"old:10:10"_s});
        model.setImages(u"team/app"_s, list);
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.repository(), u"team/app"_s);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(ImageStorageModel::label(u"team/app"_s, list.first()), label);
        QCOMPARE(ImageStorageModel::reference(list.first()), reference);
        QCOMPARE(model.index(0, ImageStorageModel::Tags).data().toString(), tags);
        QCOMPARE(model.index(0, ImageStorageModel::Bytes).data(RawValueRole).toLongLong(), 300);
        QCOMPARE(model.index(0, ImageStorageModel::UniqueBytes).data(RawValueRole).toLongLong(), 100);
        QCOMPARE(model.index(0, ImageStorageModel::SharedBytes).data(RawValueRole).toLongLong(), 200);
        QCOMPARE(model.index(0, ImageStorageModel::Pushed).data(SizeRole).toLongLong(), 300);
        QCOMPARE(model.index(1, ImageStorageModel::Digest).data(DigestRole).toString(), list.at(1).digest);
        QVERIFY(model.index(1, ImageStorageModel::Digest).data().toString().size() < 30);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.repository().isEmpty());
    }

    // Clicking a repository shows its images once they are read; an image opens in the
    // browser by tag, or by digest when untagged; Backspace goes back to the repository.
    void treemapShowsImagesOfARepository()
    {
        RepositoryStorageModel repositoryModel;
        repositoryModel.setRepositories(repositories({u"team/app:600"_s, u"team/web:300"_s}));
        ImageStorageModel imageModel;
        RepositoryTreemap treemap;
        treemap.setModel(&repositoryModel);
        treemap.setImageModel(&imageModel);
        treemap.setDrillDown(true);
        treemap.resize(400, 300);
        treemap.show();
        QVERIFY(QTest::qWaitForWindowExposed(&treemap));
        QSignalSpy shown(&treemap, &RepositoryTreemap::shownRepositoryChanged);
        QSignalSpy repositoryOpened(&treemap, &RepositoryTreemap::repositoryActivated);
        QSignalSpy imageOpened(&treemap, &RepositoryTreemap::imageActivated);

        QTest::mouseClick(&treemap, Qt::LeftButton, {}, treemap.tiles().at(1).rect.center().toPoint());
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.takeFirst().first().toString(), u"team/web"_s);
        QCOMPARE(treemap.shownRepository(), u"team/web"_s);
        QVERIFY(repositoryOpened.isEmpty());
        QVERIFY(treemap.tiles().isEmpty()); // until the images are read

        // Another repository's images are not these.
        imageModel.setImages(u"team/app"_s, images(u"team/app"_s, {u"v1:100:10"_s}));
        QVERIFY(treemap.tiles().isEmpty());
        imageModel.setImages(u"team/web"_s,
                             images({}, {u"1.0,stable:200:50"_s, u"-:100:100"_s, u"empty:0:0"_s}));
        QCOMPARE(treemap.tiles().size(), 2); // an image of no bytes has no area
        QCOMPARE(treemap.tiles().first().name, u"1.0, stable"_s);
        QCOMPARE(treemap.tiles().first().rect.width() * treemap.tiles().first().rect.height(),
                 400.0 * 300 * 2 / 3);
        QVERIFY(treemap.accessibleDescription().contains(u"team/web"_s));

        QTest::mouseClick(&treemap, Qt::LeftButton, {}, treemap.tiles().first().rect.center().toPoint());
        QCOMPARE(imageOpened.size(), 1);
        QCOMPARE(imageOpened.first(), (QVariantList{u"team/web"_s, u"1.0"_s}));
        treemap.setFocus();
        QTest::keyClick(&treemap, Qt::Key_End);
        QTest::keyClick(&treemap, Qt::Key_Return);
        QCOMPARE(imageOpened.last(), (QVariantList{u"team/web"_s, imageModel.images().at(1).digest}));

        QTest::keyClick(&treemap, Qt::Key_Backspace);
        QCOMPARE(shown.takeFirst().first().toString(), QString());
        QVERIFY(treemap.shownRepository().isEmpty());
        QCOMPARE(treemap.tiles().size(), 2);
        QCOMPARE(treemap.tiles().at(treemap.currentTile()).name, u"team/web"_s);
        QTest::keyClick(&treemap, Qt::Key_Escape); // already at the top
        QVERIFY(shown.isEmpty());

        // A server that does not count images: a repository opens in the browser.
        treemap.showImagesOf(u"team/app"_s);
        treemap.setDrillDown(false);
        QVERIFY(treemap.shownRepository().isEmpty());
        QTest::keyClick(&treemap, Qt::Key_Home);
        QTest::keyClick(&treemap, Qt::Key_Return);
        QCOMPARE(repositoryOpened.size(), 1);
        QCOMPARE(repositoryOpened.first().first().toString(), u"team/app"_s);
    }

    void largestImagesChart()
    {
        LargestImagesChart chart;
        QVERIFY(chart.shownImages().isEmpty());
        QVERIFY2(chart.accessibleDescription().contains(u"does not report"_s),
                 qPrintable(chart.accessibleDescription()));
        QList<app::ImageStorage> largest = images(u"team/app"_s, {u"v2:3000:1000"_s, u"-:2000:0"_s});
        largest.append(images(u"solo/tool"_s, {u"1.0:1024:1024"_s}));
        chart.setImages(largest, 2);
        QCOMPARE(chart.shownImages(), (QStringList{u"team/app:v2"_s, u"team/app@sha256:bbbbbbbbbbbb"_s}));
        // Unique, then shared, in KiB: the largest on top.
        QCOMPARE(barsOf(chart),
                 (QList<std::pair<qreal, qreal>>{{1000 / 1024.0, 2000 / 1024.0}, {0, 2000 / 1024.0}}));
        QVERIFY(chart.accessibleDescription().contains(u"team/app:v2"_s));

        QSignalSpy opened(&chart, &LargestImagesChart::imageActivated);
        auto* series = static_cast<QHorizontalStackedBarSeries*>(chart.chart()->series().first());
        Q_EMIT series->barSets().at(1)->clicked(0); // the bottom bar
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first(), (QVariantList{u"team/app"_s, largest.at(1).digest}));
        Q_EMIT series->barSets().at(0)->clicked(1);
        QCOMPARE(opened.last(), (QVariantList{u"team/app"_s, u"v2"_s}));

        chart.setImages(QList<app::ImageStorage>{});
        QVERIFY(chart.shownImages().isEmpty());
        QVERIFY(chart.chart()->series().isEmpty());
    }

    void largestLayersChart()
    {
        LargestLayersChart chart;
        QVERIFY(chart.accessibleDescription().contains(u"does not report"_s));
        const QString digest = u"sha256:"_s + QString(64, u'c');
        const QString other = u"sha256:"_s + QString(64, u'd');
        chart.setLayers(QList<app::LayerStorage>{{digest, {}, 4096, 3, 2}, {other, {}, 2048, 1, 1}});
        QCOMPARE(chart.shownLayers(), (QStringList{digest, other}));
        // A layer of several images in the second set, one of a single image in the first.
        QCOMPARE(barsOf(chart), (QList<std::pair<qreal, qreal>>{{0, 4}, {2, 0}}));
        QVERIFY2(chart.accessibleDescription().contains(u"3 images"_s),
                 qPrintable(chart.accessibleDescription()));
    }

    void collectionItems()
    {
        CollectionItemsModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        app::CollectionResult result;
        result.manifestsDeleted = {{u"team/app"_s, u"sha256:"_s + QString(64, u'1')}};
        result.blobsDeleted = {u"sha256:"_s + QString(64, u'2'), u"sha256:"_s + QString(64, u'3')};
        model.setResult(result);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, CollectionItemsModel::Repository).data().toString(), u"team/app"_s);
        QCOMPARE(model.index(2, CollectionItemsModel::Digest).data(DigestRole).toString(),
                 result.blobsDeleted.at(1));
        QVERIFY(model.index(2, CollectionItemsModel::Digest).data().toString().size() < 30);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void previewListsDeletionsFirst()
    {
        RetentionPreviewModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        model.setDecisions({decision(u"a"_s, u"v1"_s), decision(u"a"_s, {})},
                           {decision(u"a"_s, u"v2"_s), decision(u"a"_s, u"latest"_s, std::nullopt)});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.deletionCount(), 2);
        QCOMPARE(model.keptCount(), 2);
        const auto action = [&model](int row) {
            return model.index(row, RetentionPreviewModel::Action).data(RawValueRole).toString();
        };
        QCOMPARE(action(0), RetentionPreviewModel::deleteAction);
        QCOMPARE(action(3), RetentionPreviewModel::keepAction);
        QCOMPARE(model.index(0, RetentionPreviewModel::Rule).data().toString(), u"Rule 1"_s);
        QVERIFY(model.index(3, RetentionPreviewModel::Rule).data().toString().isEmpty());
        QVERIFY(
            !model.index(1, RetentionPreviewModel::Tag).data().toString().isEmpty()); // "(untagged manifest)"
        QVERIFY(model.index(1, RetentionPreviewModel::Tag).data(RawValueRole).toString().isEmpty());
    }

    void rulesEditing_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("shown");
        QTest::newRow("glob") << int(RetentionRulesModel::Repositories) << u" team/** "_s << true
                              << u"team/**"_s;
        QTest::newRow("empty glob") << int(RetentionRulesModel::Repositories) << u""_s << false << u"**"_s;
        QTest::newRow("expression") << int(RetentionRulesModel::Include) << u"^v\\d+"_s << true
                                    << u"^v\\d+"_s;
        QTest::newRow("number") << int(RetentionRulesModel::KeepHighestVersions) << u"3"_s << true << u"3"_s;
        QTest::newRow("number cleared") << int(RetentionRulesModel::KeepMostRecent) << u""_s << true << u""_s;
        QTest::newRow("negative") << int(RetentionRulesModel::KeepMostRecent) << u"-1"_s << false << u"10"_s;
        QTest::newRow("words") << int(RetentionRulesModel::UntaggedOlderThanDays) << u"a week"_s << false
                               << u""_s;
    }

    void rulesEditing()
    {
        QFETCH(int, column);
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        QFETCH(QString, shown);
        RetentionRulesModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        model.setRules({RetentionRulesModel::defaultRule()});
        QVERIFY(!model.isModified());
        QSignalSpy modified(&model, &RetentionRulesModel::modifiedChanged);
        const QModelIndex cell = model.index(0, column);
        QVERIFY(model.flags(cell) & Qt::ItemIsEditable);
        QCOMPARE(model.setData(cell, text), accepted);
        QCOMPARE(cell.data(Qt::EditRole).toString(), shown);
        const bool changed = model.rules().first() != RetentionRulesModel::defaultRule();
        QCOMPARE(model.isModified(), changed);
        QCOMPARE(modified.size(), changed ? 1 : 0);
    }

    void rulesAreAddedMovedAndRemoved()
    {
        RetentionRulesModel model;
        Tester tester(&model, Tester::FailureReportingMode::QtTest);
        app::RetentionRule first = RetentionRulesModel::defaultRule();
        first.repositories = u"first/**"_s;
        app::RetentionRule second = RetentionRulesModel::defaultRule();
        second.repositories = u"second/**"_s;
        model.setRules({first, second});
        QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy modified(&model, &RetentionRulesModel::modifiedChanged);

        QVERIFY(model.moveRule(0, 1));
        QCOMPARE(moves.size(), 1);
        QCOMPARE(model.rules(), (QList<app::RetentionRule>{second, first}));
        QVERIFY(model.isModified());
        QVERIFY(!model.moveRule(1, 1));
        QVERIFY(model.moveRule(1, -1));
        QVERIFY(!model.isModified()); // back as saved
        QCOMPARE(modified.size(), 2);

        QCOMPARE(model.insertRule(1), 1);
        QCOMPARE(model.rules().at(1), RetentionRulesModel::defaultRule());
        QVERIFY(model.insertRows(0, 2));
        QCOMPARE(model.rowCount(), 5);
        QVERIFY(model.removeRows(0, 3));
        QCOMPARE(model.rules(), (QList<app::RetentionRule>{RetentionRulesModel::defaultRule(), second}));
        QVERIFY(!model.removeRows(1, 2));
        QCOMPARE(model.headerData(1, Qt::Vertical).toString(), u"Rule 2"_s);
    }
};

} // namespace berth::ui

QTEST_MAIN(berth::ui::TestStorageModels)
#include "TestStorageModels.moc"
