// The registry browser page, offscreen, on berthd and docker-registry holding images pushed
// by skopeo: select a repository, a tag, see its layers; open an index's platform; F5,
// Del and Ctrl+F from the keyboard; deleting a tag deletes only that tag, and where the
// registry cannot, deleting the manifest names every tag that goes with it; errors show in
// the page; every control has an accessible name.

#include "BrowserFixture.h"
#include "ui/BrowserPage.h"
#include "ui/DeleteTagDialog.h"
#include "ui/InlineMessage.h"
#include "ui/TagModel.h"

#include <QAbstractItemView>
#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>
#include <map>

using namespace Qt::StringLiterals;
using berth::ui::BrowserPage;
using berth::ui::DeleteTagDialog;
using berth::ui::InlineMessage;

namespace berth::test {

namespace {

constexpr int networkTimeoutMs = 30000;

// The message the page shows that contains `text`, or nullptr.
InlineMessage* shownMessage(const QWidget* page, const QString& text)
{
    const QList<InlineMessage*> messages = page->findChildren<InlineMessage*>();
    for (InlineMessage* message : messages)
        if (message->isVisible() && message->text().contains(text))
            return message;
    return nullptr;
}

// Tags the registry lists, whatever the page believes.
QStringList listedTags(app::RegistryClient* client, const QString& repository)
{
    QStringList tags;
    bool answered = false;
    QObject context;
    client->listTags(repository, {}, 100, &context, [&](app::RegistryResult<app::ListingPage> page) {
        answered = true;
        if (page)
            tags = page->names;
    });
    if (!QTest::qWaitFor([&answered] { return answered; }, networkTimeoutMs))
        return {u"(no answer)"_s};
    tags.sort();
    return tags;
}

} // namespace

class TestBrowserPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void selectRepositoryThenTagShowsLayers_data() { addRegistryRows(); }
    void selectRepositoryThenTagShowsLayers();
    void indexPlatformsOpenAndBack();
    void filterFindsRepositories();
    void copyActionsFillTheClipboard();
    void refreshWithF5();
    void openRepositoryAtATag();
    void deleteTagLeavesTheOtherTag();
    void deleteTagUnsupportedOffersManifest();
    void errorsShowInThePage();
    void everyControlHasAnAccessibleName();

private:
    BrowserRegistry& registryOf(RegistryProcess::Kind kind) { return *m_registries.at(kind); }
    // Shows the page on `kind`'s registry with `repository` and `tag` selected, as a
    // keyboard user would choose them.
    void openTag(RegistryProcess::Kind kind, const QString& repository, const QString& tag);
    QAbstractItemView* view(const QString& name) const;
    berth::ui::TagModel* tagModel() const { return m_page->findChild<berth::ui::TagModel*>(); }
    static void saveScreenshot(QWidget* widget, const QString& name);

    std::map<RegistryProcess::Kind, std::unique_ptr<BrowserRegistry>> m_registries;
    Image m_app;   // page/app:v1 and :v2
    Image m_other; // page/app:other
    ImageIndex m_index;
    std::unique_ptr<BrowserPage> m_page;
    QNetworkAccessManager m_network;
};

void TestBrowserPage::initTestCase()
{
    if (QStandardPaths::findExecutable(u"skopeo"_s).isEmpty())
        QSKIP("skopeo is not installed (Debian package skopeo)");
    m_app = ImageFactory::randomImage(3, 96 << 10);
    m_other = ImageFactory::randomImage(1, 16 << 10);
    m_index = ImageFactory::index({ImageFactory::randomImage(1, 32 << 10, {u"linux"_s, u"amd64"_s}),
                                   ImageFactory::randomImage(2, 16 << 10, {u"linux"_s, u"arm64"_s})});
    for (const auto kind : {RegistryProcess::Kind::Berthd, RegistryProcess::Kind::Distribution}) {
        auto registry = std::make_unique<BrowserRegistry>(kind);
        BERTH_VERIFY_OK(registry->start());
        BERTH_VERIFY_OK(registry->push(
            m_app, {u"page/app:v1"_s, u"page/app:v2"_s, u"page/delete:v1"_s, u"page/delete:v2"_s}));
        BERTH_VERIFY_OK(registry->push(m_other, {u"page/app:other"_s, u"page/delete:other"_s}));
        BERTH_VERIFY_OK(registry->push(m_index, u"page/multi:1.0"_s));
        m_registries.emplace(kind, std::move(registry));
    }
}

void TestBrowserPage::init()
{
    m_page = std::make_unique<BrowserPage>();
    m_page->resize(1280, 800);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    QApplication::setActiveWindow(m_page.get());
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
}

void TestBrowserPage::cleanup()
{
    m_page.reset();
}

QAbstractItemView* TestBrowserPage::view(const QString& name) const
{
    QAbstractItemView* found = findByName<QAbstractItemView>(m_page.get(), name);
    if (!found)
        qWarning("no view named %s", qPrintable(name));
    return found;
}

void TestBrowserPage::openTag(RegistryProcess::Kind kind, const QString& repository, const QString& tag)
{
    m_page->setRegistry(registryOf(kind).client());
    QAbstractItemView* repositories = view(u"Repositories"_s);
    QVERIFY(repositories);
    QTRY_VERIFY_WITH_TIMEOUT(columnTexts(*repositories->model()).contains(repository), networkTimeoutMs);

    repositories->setFocus();
    QTest::keyClicks(repositories, repository); // keyboard search
    QCOMPARE(repositories->currentIndex().data().toString(), repository);

    QAbstractItemView* tags = view(u"Tags"_s);
    QVERIFY(tags);
    QTRY_VERIFY_WITH_TIMEOUT(columnTexts(*tags->model()).contains(tag), networkTimeoutMs);
    tags->setFocus();
    // Past the keyboard search's interval, so that this is a new search.
    QTest::qWait(QApplication::keyboardInputInterval() + 50);
    QTest::keyClicks(tags, tag);
    QCOMPARE(tags->currentIndex().data().toString(), tag);
}

void TestBrowserPage::saveScreenshot(QWidget* widget, const QString& name)
{
    // Only on request: tests leave nothing behind by default.
    const QString directory = qEnvironmentVariable("BERTH_SCREENSHOT_DIR");
    if (directory.isEmpty())
        return;
    QDir().mkpath(directory);
    QVERIFY(widget->grab().save(QDir(directory).filePath(name)));
}

void TestBrowserPage::selectRepositoryThenTagShowsLayers()
{
    QFETCH(RegistryProcess::Kind, kind);
    openTag(kind, u"page/app"_s, u"v1"_s);

    QAbstractItemView* layers = view(u"Layers"_s);
    QVERIFY(layers);
    QTRY_COMPARE_WITH_TIMEOUT(layers->model()->rowCount(), m_app.layers.size(), networkTimeoutMs);
    QStringList expected;
    for (const Blob& layer : std::as_const(m_app.layers))
        expected.append(digestOf(layer));
    QCOMPARE(columnTexts(*layers->model(), 2).size(), expected.size());
    for (int row = 0; row < expected.size(); ++row)
        QCOMPARE(layers->model()->index(row, 2).data(Qt::ToolTipRole).toString(), expected.at(row));
    QVERIFY(layers->isVisibleTo(m_page.get()));

    QLabel* digest = findByName<QLabel>(m_page.get(), u"Digest"_s);
    QVERIFY(digest);
    QCOMPARE(digest->text(), digestOf(m_app.manifest));
    QLabel* size = findByName<QLabel>(m_page.get(), u"Size"_s);
    QCOMPARE(size->text(), QLocale().formattedDataSize(imageSize(m_app)));

    // The tag list shows what the details show, and the other tag on the digest.
    QAbstractItemView* tags = view(u"Tags"_s);
    const int row = tags->currentIndex().row();
    QTRY_COMPARE_WITH_TIMEOUT(tags->model()->index(row, berth::ui::TagModel::SharedWith).data().toString(),
                              u"v2"_s, networkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        !tags->model()->index(row, berth::ui::TagModel::Created).data().toString().isEmpty(),
        networkTimeoutMs);

    auto* tabs = findByName<QTabWidget>(m_page.get(), u"Details"_s);
    QVERIFY(tabs);
    QTRY_COMPARE_WITH_TIMEOUT(findByName<QAbstractItemView>(m_page.get(), u"History"_s)->model()->rowCount(),
                              m_app.layers.size(), networkTimeoutMs);
    if (kind == RegistryProcess::Kind::Berthd) {
        saveScreenshot(m_page.get(), u"browser-image.png"_s);
        tabs->setCurrentIndex(
            tabs->indexOf(findByName<QWidget>(m_page.get(), u"History and configuration"_s)));
        saveScreenshot(m_page.get(), u"browser-config.png"_s);
    }
}

void TestBrowserPage::indexPlatformsOpenAndBack()
{
    openTag(RegistryProcess::Kind::Berthd, u"page/multi"_s, u"1.0"_s);
    QAbstractItemView* platforms = view(u"Platforms"_s);
    QTRY_COMPARE_WITH_TIMEOUT(platforms->model()->rowCount(), 2, networkTimeoutMs);
    auto* tabs = findByName<QTabWidget>(m_page.get(), u"Details"_s);
    QVERIFY(tabs->isTabVisible(tabs->indexOf(platforms)));
    QVERIFY(!tabs->isTabVisible(tabs->indexOf(view(u"Layers"_s))));
    tabs->setCurrentWidget(platforms);
    saveScreenshot(m_page.get(), u"browser-index.png"_s);

    // Enter on the arm64 platform opens its image.
    platforms->setFocus();
    platforms->setCurrentIndex(platforms->model()->index(1, 0));
    QTest::keyClick(platforms, Qt::Key_Return);
    QAbstractItemView* layers = view(u"Layers"_s);
    QTRY_COMPARE_WITH_TIMEOUT(layers->model()->rowCount(), m_index.images.at(1).layers.size(),
                              networkTimeoutMs);
    QLabel* digest = findByName<QLabel>(m_page.get(), u"Digest"_s);
    QCOMPARE(digest->text(), digestOf(m_index.images.at(1).manifest));
    QTRY_VERIFY_WITH_TIMEOUT(tabs->isTabVisible(tabs->indexOf(layers)), networkTimeoutMs);

    // Back, from the keyboard, returns to the index.
    QToolButton* back = findByName<QToolButton>(m_page.get(), u"Back"_s);
    QVERIFY(back && back->isVisibleTo(m_page.get()));
    tabs->setFocus();
    QTest::keySequence(tabs, QKeySequence::Back);
    QTRY_COMPARE_WITH_TIMEOUT(digest->text(), digestOf(m_index.index), networkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(tabs->isTabVisible(tabs->indexOf(platforms)), networkTimeoutMs);
    QVERIFY(!back->isVisibleTo(m_page.get()));
}

void TestBrowserPage::filterFindsRepositories()
{
    m_page->setRegistry(registryOf(RegistryProcess::Kind::Berthd).client());
    QAbstractItemView* repositories = view(u"Repositories"_s);
    QTRY_COMPARE_WITH_TIMEOUT(repositories->model()->rowCount(), 3, networkTimeoutMs);

    // Ctrl+F from anywhere in the page goes to the filter.
    view(u"Tags"_s)->setFocus();
    QTest::keySequence(m_page.get(), QKeySequence::Find);
    auto* filter = findByName<QLineEdit>(m_page.get(), u"Filter repositories"_s);
    QVERIFY(filter);
    QTRY_VERIFY(filter->hasFocus());
    QTest::keyClicks(filter, u"MULTI"_s);
    QTRY_COMPARE_WITH_TIMEOUT(columnTexts(*repositories->model()), QStringList{u"page/multi"_s}, 5000);
    auto* status = findByName<QLabel>(m_page.get(), u"Repositories status"_s);
    QTRY_VERIFY(status->text().contains(u"1 of 3"_s));
    filter->clear();
    QTRY_COMPARE_WITH_TIMEOUT(repositories->model()->rowCount(), 3, 5000);
}

void TestBrowserPage::copyActionsFillTheClipboard()
{
    openTag(RegistryProcess::Kind::Berthd, u"page/app"_s, u"v2"_s);
    QAbstractItemView* tags = view(u"Tags"_s);
    QSignalSpy messages(m_page.get(), &BrowserPage::statusMessage);
    QTest::keySequence(tags, QKeySequence::Copy);
    const QString pull = u"docker pull "_s + registryOf(RegistryProcess::Kind::Berthd).process().hostPort() +
                         u"/page/app:v2"_s;
    QCOMPARE(QGuiApplication::clipboard()->text(), pull);
    QVERIFY(!messages.isEmpty());

    QTRY_VERIFY_WITH_TIMEOUT(tagModel()->digest(tagModel()->rowOfTag(u"v2"_s)) == digestOf(m_app.manifest),
                             networkTimeoutMs);
    QTest::keySequence(tags, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    QCOMPARE(QGuiApplication::clipboard()->text(), digestOf(m_app.manifest));
}

void TestBrowserPage::refreshWithF5()
{
    BrowserRegistry& registry = registryOf(RegistryProcess::Kind::Berthd);
    const QString repository = u"page/refresh"_s;
    BERTH_VERIFY_OK(registry.push(m_other, {repository + u":first"_s}));
    openTag(RegistryProcess::Kind::Berthd, repository, u"first"_s);
    BERTH_VERIFY_OK(registry.push(m_other, {repository + u":second"_s}));

    QAbstractItemView* tags = view(u"Tags"_s);
    QTest::keyClick(tags, Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(columnTexts(*tags->model()), (QStringList{u"first"_s, u"second"_s}),
                              networkTimeoutMs);
    // The selection survives, and with it the details.
    QTRY_COMPARE_WITH_TIMEOUT(m_page->currentTag(), u"first"_s, networkTimeoutMs);
    QCOMPARE(m_page->currentRepository(), repository);
    QTRY_COMPARE_WITH_TIMEOUT(findByName<QLabel>(m_page.get(), u"Digest"_s)->text(),
                              digestOf(m_other.manifest), networkTimeoutMs);
}

void TestBrowserPage::openRepositoryAtATag()
{
    // As the Storage page opens an image: the tag is selected once its row arrives.
    m_page->setRegistry(registryOf(RegistryProcess::Kind::Berthd).client());
    m_page->openRepository(u"page/app"_s, u"v2"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_page->currentTag(), u"v2"_s, networkTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_page->currentRepository(), u"page/app"_s, networkTimeoutMs);
    QLabel* digest = findByName<QLabel>(m_page.get(), u"Digest"_s);
    QVERIFY(digest);
    QTRY_COMPARE_WITH_TIMEOUT(digest->text(), digestOf(m_app.manifest), networkTimeoutMs);
}

void TestBrowserPage::deleteTagLeavesTheOtherTag()
{
    openTag(RegistryProcess::Kind::Berthd, u"page/delete"_s, u"v1"_s);
    QAbstractItemView* tags = view(u"Tags"_s);
    QTest::keyClick(tags, Qt::Key_Delete);
    DeleteTagDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_page->findChild<DeleteTagDialog*>()) && dialog->isVisible());
    QCOMPARE(dialog->target(), DeleteTagDialog::Target::Tag);
    QCOMPARE(dialog->tag(), u"v1"_s);
    // It names the other tag on the same manifest, which stays.
    QTRY_COMPARE_WITH_TIMEOUT(dialog->listedTags(), QStringList{u"v2"_s}, networkTimeoutMs);
    auto* list = dialog->findChild<QListWidget*>();
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->item(0)->text(), u"v2"_s);
    saveScreenshot(dialog, u"browser-delete-tag.png"_s);
    QPushButton* confirm = dialog->findChild<QPushButton*>(u"deleteButton"_s);
    QVERIFY(confirm->isEnabled());
    confirm->click();

    QTRY_COMPARE_WITH_TIMEOUT(columnTexts(*tags->model()), (QStringList{u"other"_s, u"v2"_s}),
                              networkTimeoutMs);
    app::RegistryClient* client = registryOf(RegistryProcess::Kind::Berthd).client();
    QCOMPARE(listedTags(client, u"page/delete"_s), (QStringList{u"other"_s, u"v2"_s}));
    for (const InlineMessage* message : m_page->findChildren<InlineMessage*>())
        QVERIFY2(message->text().isEmpty(), qPrintable(message->text()));
}

void TestBrowserPage::deleteTagUnsupportedOffersManifest()
{
    const auto kind = RegistryProcess::Kind::Distribution;
    openTag(kind, u"page/delete"_s, u"v1"_s);
    QAbstractItemView* tags = view(u"Tags"_s);
    QTest::keyClick(tags, Qt::Key_Delete);
    DeleteTagDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_page->findChild<DeleteTagDialog*>()) && dialog->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(dialog->listedTags(), QStringList{u"v2"_s}, networkTimeoutMs);
    dialog->findChild<QPushButton*>(u"deleteButton"_s)->click();

    // docker-registry refuses: the page says so next to the tags and offers the manifest.
    InlineMessage* message = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((message = shownMessage(m_page.get(), u"cannot delete a tag"_s)),
                             networkTimeoutMs);
    QVERIFY2(message->text().contains(u"v1, v2"_s), qPrintable(message->text()));
    QVERIFY(view(u"Tags"_s)->parentWidget()->isAncestorOf(message));
    QCOMPARE(message->kind(), InlineMessage::Kind::Warning);
    app::RegistryClient* client = registryOf(kind).client();
    QCOMPARE(listedTags(client, u"page/delete"_s), (QStringList{u"other"_s, u"v1"_s, u"v2"_s}));
    saveScreenshot(m_page.get(), u"browser-delete-unsupported.png"_s);

    QToolButton* deleteManifest = findByName<QToolButton>(message, u"Delete Manifest…"_s);
    QVERIFY(deleteManifest);
    deleteManifest->click();
    QTRY_VERIFY((dialog = m_page->findChild<DeleteTagDialog*>()) && dialog->isVisible() &&
                dialog->target() == DeleteTagDialog::Target::Manifest);
    QCOMPARE(dialog->digest(), digestOf(m_app.manifest));
    QPushButton* confirm = dialog->findChild<QPushButton*>(u"deleteButton"_s);
    // Deleting a manifest waits until every tag on it is known, and names them all.
    QTRY_VERIFY_WITH_TIMEOUT(confirm->isEnabled(), networkTimeoutMs);
    QCOMPARE(dialog->listedTags(), (QStringList{u"v1"_s, u"v2"_s}));
    saveScreenshot(dialog, u"browser-delete-manifest.png"_s);
    confirm->click();

    QTRY_COMPARE_WITH_TIMEOUT(columnTexts(*tags->model()), QStringList{u"other"_s}, networkTimeoutMs);
    QCOMPARE(listedTags(client, u"page/delete"_s), QStringList{u"other"_s});
}

void TestBrowserPage::errorsShowInThePage()
{
    const auto unreachable = unreachableClient(&m_network);
    m_page->setRegistry(unreachable.get());
    InlineMessage* message = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((message = shownMessage(m_page.get(), u"Cannot list the repositories"_s)),
                             networkTimeoutMs);
    QCOMPARE(message->kind(), InlineMessage::Kind::Error);
    QVERIFY(view(u"Repositories"_s)->parentWidget()->isAncestorOf(message));
    QVERIFY(findByName<QToolButton>(message, u"Retry"_s));

    m_page->setRegistry(registryOf(RegistryProcess::Kind::Berthd).client());
    QVERIFY(message->text().isEmpty());
    m_page->openRepository(u"page/no-such-repository"_s);
    QTRY_VERIFY_WITH_TIMEOUT((message = shownMessage(m_page.get(), u"page/no-such-repository"_s)),
                             networkTimeoutMs);
    QVERIFY(view(u"Tags"_s)->parentWidget()->isAncestorOf(message));
}

void TestBrowserPage::everyControlHasAnAccessibleName()
{
    openTag(RegistryProcess::Kind::Berthd, u"page/app"_s, u"v1"_s);
    QTRY_COMPARE_WITH_TIMEOUT(view(u"Layers"_s)->model()->rowCount(), m_app.layers.size(), networkTimeoutMs);

    const QList<QWidget*> widgets = m_page->findChildren<QWidget*>();
    int interactive = 0;
    for (QWidget* widget : widgets) {
        if (widget->focusPolicy() == Qt::NoFocus)
            continue;
        ++interactive;
        QVERIFY2(!widget->accessibleName().isEmpty(),
                 qPrintable(u"%1 (%2) has no accessible name"_s.arg(
                     QString::fromLatin1(widget->metaObject()->className()), widget->objectName())));
        // What AT-SPI reads; a tab bar names its current tab.
        QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(widget);
        QVERIFY(accessible && !accessible->text(QAccessible::Name).isEmpty());
    }
    QVERIFY2(interactive >= 10, qPrintable(QString::number(interactive)));
    // Views and panes say what they hold.
    for (QAbstractItemView* itemView : m_page->findChildren<QAbstractItemView*>()) {
        if (qobject_cast<QHeaderView*>(itemView))
            continue;
        QVERIFY2(!itemView->accessibleDescription().isEmpty(), qPrintable(itemView->accessibleName()));
    }
    for (const QString& pane : {u"Repositories pane"_s, u"Tags pane"_s, u"Tag details"_s})
        QVERIFY2(!findByName<QWidget>(m_page.get(), pane)->accessibleDescription().isEmpty(),
                 qPrintable(pane));
    for (QAction* action : m_page->pageActions())
        QVERIFY(!action->text().isEmpty() && !action->toolTip().isEmpty());
}

} // namespace berth::test

QTEST_MAIN(berth::test::TestBrowserPage)
#include "TestBrowserPage.moc"
