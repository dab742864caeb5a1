// The Storage page and the garbage collection dialog offscreen, on a real berthd with its
// admin API open and images that share a layer: the page's figures are the API's, its
// treemap and table open repositories; with skopeo-pushed images sharing a layer, the
// largest images and layers charts show the API's figures (a layer's bytes are its file's
// on disk), the treemap opens a repository into its images and an image into the browser,
// and goes back; a registry short of disk space shows the banner,
// one without an admin API says so, errors show in the page; a collection previews the
// unreferenced blob and its size, runs on confirmation to the end of its progress bar,
// sums up what it freed, and the blob is gone from disk. Screenshots go to
// /tmp/berth-screens/.

#include "AdminFixture.h"
#include "SkopeoPush.h"
#include "ui/CollectionItemsModel.h"
#include "ui/DisplayText.h"
#include "ui/GarbageCollectionDialog.h"
#include "ui/ImageStorageModel.h"
#include "ui/InlineMessage.h"
#include "ui/ItemRoles.h"
#include "ui/RepositoryStorageModel.h"
#include "ui/RepositoryTreemap.h"
#include "ui/StorageCharts.h"
#include "ui/StorageHistoryModel.h"
#include "ui/StoragePage.h"

#include <QAction>
#include <QBarSet>
#include <QFile>
#include <QFileInfo>
#include <QHorizontalStackedBarSeries>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

using namespace Qt::StringLiterals;
using berth::ui::GarbageCollectionDialog;
using berth::ui::InlineMessage;
using berth::ui::RepositoryStorageModel;
using berth::ui::StoragePage;

namespace berth::test {

namespace {

constexpr int pageTimeoutMs = 30000;
constexpr qsizetype sharedLayerSize = 40000;
constexpr qsizetype orphanSize = 123456;

// Waits for the page's next refresh to finish.
bool refreshed(StoragePage& page)
{
    QSignalSpy done(&page, &StoragePage::refreshed);
    page.refresh();
    return done.wait(pageTimeoutMs);
}

// The labels of the first `count` images of a JSON list, as the charts write them.
QStringList imageLabels(const QJsonArray& images, qsizetype count)
{
    QStringList labels;
    for (qsizetype i = 0; i < std::min(images.size(), count); ++i) {
        const QJsonValue value = images.at(i);
        app::ImageStorage image;
        image.digest = value["digest"_L1].toString();
        for (const auto& tag : value["tags"_L1].toArray())
            image.tags.append(tag.toString());
        labels.append(berth::ui::ImageStorageModel::label(value["repository"_L1].toString(), image));
    }
    return labels;
}

// The message the page shows, if any.
QString shownMessage(const StoragePage& page, const QString& name)
{
    const auto* message = findByName<InlineMessage>(&page, name);
    return message && message->isVisible() ? message->text() : QString();
}

} // namespace

class TestStoragePage : public QObject
{
    Q_OBJECT

private:
    AdminFixture m_registry;
    QString m_orphan; // the digest of a blob no manifest references

    std::unique_ptr<StoragePage> showPage(app::AdminClient* client)
    {
        auto page = std::make_unique<StoragePage>();
        page->resize(1100, 760);
        page->show();
        page->activateWindow();
        if (!QTest::qWaitForWindowActive(page.get()))
            return nullptr;
        QSignalSpy done(page.get(), &StoragePage::refreshed);
        page->setAdminClient(client);
        if (client && !done.wait(pageTimeoutMs))
            return nullptr;
        return page;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(m_registry.start("berth:\n  storage:\n    historyinterval: 1s\n"), QString());
        const QByteArray shared = randomBytes(sharedLayerSize);
        QCOMPARE(pushImage(m_registry.registry(), u"team/app"_s, imageSharing(shared, 20000), u"v1"_s),
                 QString());
        QCOMPARE(pushImage(m_registry.registry(), u"team/web"_s, imageSharing(shared, 10000), u"v1"_s),
                 QString());
        QCOMPARE(pushImage(m_registry.registry(), u"solo/tool"_s, makeImage(media::OciManifest, 2, 15000),
                           u"1.0"_s),
                 QString());
        const QByteArray orphan = randomBytes(orphanSize);
        QCOMPARE(pushBlob(m_registry.registry(), u"solo/tool"_s, orphan), QString());
        m_orphan = sha256Digest(orphan);
    }

    // The model holds what GET /admin/v1/storage says, row by row; the views show it.
    void figuresAreTheApis()
    {
        auto page = showPage(m_registry.client());
        QVERIFY(page);
        const QJsonObject json = m_registry.server().send("GET", u"/admin/v1/storage"_s).json().object();
        const QJsonArray repositories = json.value("repositories"_L1).toArray();
        const RepositoryStorageModel* model = page->repositoryModel();
        QCOMPARE(model->rowCount(), repositories.size());
        QCOMPARE(model->rowCount(), 3);
        for (const auto& value : repositories) {
            const QJsonObject repository = value.toObject();
            const int row = model->rowOf(repository.value("name"_L1).toString());
            QVERIFY(row >= 0);
            const auto cell = [model, row](int column) {
                return model->index(row, column).data(berth::ui::RawValueRole).toLongLong();
            };
            QCOMPARE(cell(RepositoryStorageModel::LogicalBytes),
                     repository.value("logical_bytes"_L1).toInteger());
            QCOMPARE(cell(RepositoryStorageModel::UniqueBytes),
                     repository.value("unique_bytes"_L1).toInteger());
            QCOMPARE(cell(RepositoryStorageModel::SharedBytes),
                     repository.value("shared_bytes"_L1).toInteger());
            QCOMPARE(cell(RepositoryStorageModel::Tags), repository.value("tags"_L1).toInteger());
        }
        // The layer both team repositories use is what they share; the other shares nothing.
        QCOMPARE(model->index(model->rowOf(u"team/app"_s), RepositoryStorageModel::SharedBytes)
                     .data(berth::ui::RawValueRole)
                     .toLongLong(),
                 sharedLayerSize);
        QCOMPARE(model->index(model->rowOf(u"solo/tool"_s), RepositoryStorageModel::SharedBytes)
                     .data(berth::ui::RawValueRole)
                     .toLongLong(),
                 0);

        const auto* summary = findByName<QLabel>(page.get(), u"Storage summary"_s);
        QVERIFY(summary);
        const qint64 onDisk = json.value("totals"_L1).toObject().value("bytes_on_disk"_L1).toInteger();
        QVERIFY2(summary->text().contains(berth::ui::DisplayText::size(onDisk)), qPrintable(summary->text()));
        QVERIFY(summary->text().contains(berth::ui::DisplayText::size(orphanSize)));
        const auto* treemap = findByName<berth::ui::RepositoryTreemap>(page.get(), u"Repository treemap"_s);
        QVERIFY(treemap);
        QCOMPARE(treemap->tiles().size(), 3);
        QVERIFY(shownMessage(*page, u"Disk space warning"_s).isEmpty());
        QCOMPARE(unnamedControls(page.get()).join(u", "_s), QString());

        // The history has samples by now (one a second): the growth chart draws lines.
        QVERIFY(QTest::qWaitFor([&page] { return refreshed(*page) && page->historyModel()->rowCount() >= 3; },
                                pageTimeoutMs));
        QCOMPARE(saveScreenshot(page->window(), u"storage-page"_s), QString());
    }

    void repositoriesOpenInTheBrowser()
    {
        auto page = showPage(m_registry.client());
        QVERIFY(page);
        QSignalSpy opened(page.get(), &StoragePage::openRepository);
        auto* treemap = findByName<berth::ui::RepositoryTreemap>(page.get(), u"Repository treemap"_s);
        QVERIFY(treemap);
        // A tile shows the repository's images; the button above them opens it.
        const auto tile = treemap->tiles().first();
        QTest::mouseClick(treemap, Qt::LeftButton, {}, tile.rect.center().toPoint());
        QCOMPARE(treemap->shownRepository(), tile.name);
        QVERIFY(opened.isEmpty());
        auto* open = findByName<QToolButton>(page.get(), u"Open the repository in the browser"_s);
        QVERIFY(open && open->isVisible());
        QTest::mouseClick(open, Qt::LeftButton);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.takeFirst().first().toString(), tile.name);

        auto* table = findByName<QTreeView>(page.get(), u"Repositories by size"_s);
        QVERIFY(table);
        table->setFocus();
        table->setCurrentIndex(table->model()->index(0, 0));
        QTest::keyClick(table, Qt::Key_Return);
        QCOMPARE(opened.size(), 1);
        // Sorted by size, largest first.
        QCOMPARE(opened.takeFirst().first().toString(), u"team/app"_s);
    }

    // Dry run, confirm, progress to the end, a summary of what was freed, and the blob is
    // gone from disk while the registry serves.
    void collectingGarbage()
    {
        QVERIFY(QFile::exists(m_registry.blobFile(m_orphan)));
        auto page = showPage(m_registry.client());
        QVERIFY(page);
        auto* table = findByName<QTreeView>(page.get(), u"Repositories by size"_s);
        table->setFocus();
        QTest::keyClick(table, Qt::Key_G, Qt::ControlModifier | Qt::ShiftModifier);
        auto* dialog = page->findChild<GarbageCollectionDialog*>();
        QVERIFY(dialog);
        QSignalSpy stages(dialog, &GarbageCollectionDialog::stageChanged);
        QSignalSpy storageChanged(dialog, &GarbageCollectionDialog::storageChanged);
        auto* grace = findByName<QSpinBox>(dialog, u"Grace period in minutes"_s);
        QVERIFY(grace);
        grace->setValue(0); // the orphan was uploaded a moment ago
        QTRY_VERIFY_WITH_TIMEOUT(dialog->stage() == GarbageCollectionDialog::Stage::Previewed &&
                                     dialog->preview() && dialog->options().gracePeriod->count() == 0 &&
                                     !dialog->preview()->blobsDeleted.isEmpty(),
                                 pageTimeoutMs);
        QCOMPARE(dialog->preview()->blobsDeleted, QStringList{m_orphan});
        QCOMPARE(dialog->preview()->bytesReclaimed, orphanSize);
        const auto* heading = findByName<QLabel>(dialog, u"Garbage collection state"_s);
        QVERIFY(heading);
        QVERIFY2(heading->text().contains(berth::ui::DisplayText::size(orphanSize)),
                 qPrintable(heading->text()));
        QCOMPARE(dialog->itemsModel()
                     ->index(0, berth::ui::CollectionItemsModel::Digest)
                     .data(berth::ui::DigestRole),
                 QVariant(m_orphan));
        QVERIFY(QFile::exists(m_registry.blobFile(m_orphan))); // a dry run deletes nothing
        QCOMPARE(saveScreenshot(dialog, u"gc-preview"_s), QString());

        auto* collect = findByName<QPushButton>(dialog, u"Collect garbage"_s);
        QVERIFY(collect && collect->isEnabled() && collect->isDefault());
        QTest::mouseClick(collect, Qt::LeftButton);
        QCOMPARE(dialog->stage(), GarbageCollectionDialog::Stage::Collecting);
        QVERIFY(m_registry.server().process().isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(dialog->stage(), GarbageCollectionDialog::Stage::Finished, pageTimeoutMs);

        const auto* progress = findByName<QProgressBar>(dialog, u"Garbage collection progress"_s);
        QVERIFY(progress && progress->isVisible());
        QCOMPARE(progress->value(), progress->maximum());
        QVERIFY(dialog->result());
        QCOMPARE(dialog->result()->blobsDeleted, QStringList{m_orphan});
        QVERIFY2(heading->text().contains(berth::ui::DisplayText::size(orphanSize)),
                 qPrintable(heading->text()));
        QCOMPARE(storageChanged.size(), 1);
        QVERIFY(!QFile::exists(m_registry.blobFile(m_orphan)));
        QCOMPARE(m_registry.registry().get(u"/v2/"_s).status, 200);
        const QList<GarbageCollectionDialog::Stage> expected{
            GarbageCollectionDialog::Stage::Previewing, GarbageCollectionDialog::Stage::Previewed,
            GarbageCollectionDialog::Stage::Collecting, GarbageCollectionDialog::Stage::Finished};
        QList<GarbageCollectionDialog::Stage> seen;
        for (const QList<QVariant>& stage : stages)
            if (seen.isEmpty() || seen.last() != stage.first().value<GarbageCollectionDialog::Stage>())
                seen.append(stage.first().value<GarbageCollectionDialog::Stage>());
        QCOMPARE(seen.mid(seen.lastIndexOf(GarbageCollectionDialog::Stage::Previewing)), expected);
        QCOMPARE(unnamedControls(dialog).join(u", "_s), QString());
        QCOMPARE(saveScreenshot(dialog, u"gc-finished"_s), QString());

        // The page reads the statistics again: nothing unreferenced is left.
        const auto* summary = findByName<QLabel>(page.get(), u"Storage summary"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            summary->text().contains(berth::ui::DisplayText::size(0) + u" unreferenced"_s), pageTimeoutMs);
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY(page->findChild<GarbageCollectionDialog*>() == nullptr);
    }

    // Short of disk space, the page says uploads are paused, with the free and minimum bytes.
    void diskPressureBanner()
    {
        AdminFixture full;
        QCOMPARE(full.start("berth:\n  storage:\n    minfreespace: 1000TiB\n"), QString());
        auto page = showPage(full.client());
        QVERIFY(page);
        const QString banner = shownMessage(*page, u"Disk space warning"_s);
        const QJsonObject disk =
            full.server().send("GET", u"/admin/v1/storage"_s).json().object().value("disk"_L1).toObject();
        QVERIFY(disk.value("under_pressure"_L1).toBool());
        QVERIFY2(banner.contains(u"paused"_s), qPrintable(banner));
        QVERIFY2(banner.contains(berth::ui::DisplayText::size(disk.value("min_free_bytes"_L1).toInteger())),
                 qPrintable(banner));
        QVERIFY2(banner.contains(berth::ui::DisplayText::size(disk.value("free_bytes"_L1).toInteger())),
                 qPrintable(banner));
        QCOMPARE(saveScreenshot(page.get(), u"storage-disk-pressure"_s), QString());
    }

    // Skopeo-pushed images sharing a layer: the charts show the API's largest images and
    // layers, the treemap the images of a repository; both open an image in the browser.
    void largestImagesAndLayers()
    {
        AdminFixture registry;
        QCOMPARE(registry.start(), QString());
        const QString hostPort = registry.server().process().hostPort();
        const QByteArray base = randomLayerTar(300000);
        QCOMPARE(
            skopeoPush(hostPort, {base, randomLayerTar(120000)}, {u"shop/app:v1"_s, u"shop/app:latest"_s}),
            QString());
        QCOMPARE(skopeoPush(hostPort, {base, randomLayerTar(60000)}, {u"shop/web:1.0"_s}), QString());
        QCOMPARE(skopeoPush(hostPort, {randomLayerTar(200000)}, {u"solo/tool:1.0"_s}), QString());

        auto page = showPage(registry.client());
        QVERIFY(page);
        const QJsonObject json = registry.server().send("GET", u"/admin/v1/storage"_s).json().object();
        QVERIFY2(json.contains("largest_images"_L1), "berthd does not report the largest images");
        const QJsonArray images = json["largest_images"_L1].toArray();
        const QJsonArray layers = json["largest_layers"_L1].toArray();
        QCOMPARE(images.size(), 3);

        // The charts show the API's order and figures.
        const auto* imagesChart = findByName<berth::ui::LargestImagesChart>(page.get(), u"Largest images"_s);
        const auto* layersChart = findByName<berth::ui::LargestLayersChart>(page.get(), u"Largest layers"_s);
        QVERIFY(imagesChart && layersChart);
        QCOMPARE(imagesChart->shownImages(), imageLabels(images, 8));
        QStringList layerDigests;
        for (qsizetype i = 0; i < std::min<qsizetype>(layers.size(), 8); ++i)
            layerDigests.append(layers.at(i)["digest"_L1].toString());
        QCOMPARE(layersChart->shownLayers(), layerDigests);

        // The shared base is the largest layer: its file's size, in both images and repositories.
        const QJsonObject largestLayer = layers.first().toObject();
        const QString baseDigest = sha256Digest(base);
        QCOMPARE(largestLayer["digest"_L1].toString(), baseDigest);
        QCOMPARE(largestLayer["bytes"_L1].toInteger(), QFileInfo(registry.blobFile(baseDigest)).size());
        QCOMPARE(largestLayer["images"_L1].toInteger(), 2);
        QCOMPARE(largestLayer["repositories"_L1].toInteger(), 2);
        // What an image shares is that layer; what is its own would go with it.
        for (const auto& value : images) {
            const QJsonObject image = value.toObject();
            const bool shop = image["repository"_L1].toString().startsWith(u"shop/"_s);
            QCOMPARE(image["bytes"_L1].toInteger() - image["unique_bytes"_L1].toInteger(),
                     shop ? largestLayer["bytes"_L1].toInteger() : 0);
        }

        // A click on the top bar opens that image.
        QSignalSpy openedImage(page.get(), &StoragePage::openImage);
        auto* series = static_cast<QHorizontalStackedBarSeries*>(imagesChart->chart()->series().first());
        Q_EMIT series->barSets().first()->clicked(series->barSets().first()->count() - 1);
        QCOMPARE(openedImage.size(), 1);
        QCOMPARE(openedImage.takeFirst(),
                 (QVariantList{images.first()["repository"_L1].toString(),
                               images.first()["tags"_L1].toArray().first().toString()}));

        // Into shop/app: its one image, with both tags, sized as the API says.
        auto* treemap = findByName<berth::ui::RepositoryTreemap>(page.get(), u"Repository treemap"_s);
        QVERIFY(treemap && treemap->drillDown());
        QSignalSpy openedRepository(page.get(), &StoragePage::openRepository);
        const auto tileOf = [treemap](const QString& name) {
            for (const auto& tile : treemap->tiles())
                if (tile.name == name)
                    return tile.rect.center().toPoint();
            return QPoint(-1, -1);
        };
        QTest::mouseClick(treemap, Qt::LeftButton, {}, tileOf(u"shop/app"_s));
        QVERIFY(openedRepository.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(treemap->tiles().size(), 1, pageTimeoutMs);
        const QJsonObject appImages =
            registry.server().send("GET", u"/admin/v1/storage/repositories/shop/app"_s).json().object();
        const QJsonObject appImage = appImages["images"_L1].toArray().first().toObject();
        QCOMPARE(treemap->tiles().first().bytes, appImage["bytes"_L1].toInteger());
        QCOMPARE(treemap->tiles().first().digest, appImage["digest"_L1].toString());
        QCOMPARE(treemap->tiles().first().name.section(u',', 0, 0),
                 appImage["tags"_L1].toArray().first().toString());
        const auto* level = findByName<QLabel>(page.get(), u"Treemap level"_s);
        QVERIFY(level);
        QVERIFY2(level->text().contains(u"shop/app"_s), qPrintable(level->text()));
        QCOMPARE(unnamedControls(page.get()).join(u", "_s), QString());
        QCOMPARE(saveScreenshot(page->window(), u"storage-images"_s), QString());

        QTest::mouseClick(treemap, Qt::LeftButton, {}, treemap->tiles().first().rect.center().toPoint());
        QCOMPARE(openedImage.size(), 1);
        QCOMPARE(openedImage.takeFirst(),
                 (QVariantList{u"shop/app"_s, appImage["tags"_L1].toArray().first().toString()}));

        // Back to every repository.
        auto* back = findByName<QToolButton>(page.get(), u"Back to all repositories"_s);
        QVERIFY(back && back->isVisible());
        QTest::mouseClick(back, Qt::LeftButton);
        QVERIFY(treemap->shownRepository().isEmpty());
        QCOMPARE(treemap->tiles().size(), 3);
        QVERIFY(!back->isVisible());
    }

    void withoutAnAdminApi()
    {
        auto page = showPage(nullptr);
        QVERIFY(page);
        const auto* stack = page->findChild<QStackedWidget*>();
        QVERIFY(stack);
        const auto* reason = qobject_cast<QLabel*>(stack->currentWidget());
        QVERIFY(reason);
        QVERIFY(reason->text().contains(u"admin API"_s));
        QVERIFY(!page->pageActions().first()->isEnabled());
    }

    void errorsShowInThePage()
    {
        app::AdminClient wrongToken(QUrl(u"http://127.0.0.1:%1"_s.arg(m_registry.server().adminPort())),
                                    "wrong-token", new QNetworkAccessManager(this));
        auto page = showPage(&wrongToken);
        QVERIFY(page);
        const QString message = shownMessage(*page, u"Message"_s);
        QVERIFY2(message.contains(u"admin token"_s), qPrintable(message));
    }
};

} // namespace berth::test

QTEST_MAIN(berth::test::TestStoragePage)
#include "TestStoragePage.moc"
