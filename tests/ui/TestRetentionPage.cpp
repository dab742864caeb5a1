// The Retention page offscreen, on a real berthd with its admin API open and tags pushed
// over HTTP: rules set through the editor model and the protected tags field preview
// exactly the tags they should delete (rule by rule, data-driven), as a job whose progress
// bar goes once it is done; saving stores them on the server, and the schedule set on the
// page with them; a rule the server refuses is named and selected; Run Now asks first, then
// deletes what the preview listed. A screenshot of the page with a preview goes to
// /tmp/berth-screens/.

#include "AdminFixture.h"
#include "ui/InlineMessage.h"
#include "ui/ItemRoles.h"
#include "ui/RetentionPage.h"
#include "ui/RetentionPreviewModel.h"
#include "ui/RetentionRulesModel.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using berth::ui::RetentionPage;
using berth::ui::RetentionPreviewModel;
using berth::ui::RetentionRulesModel;

namespace berth::test {

namespace {

constexpr int pageTimeoutMs = 30000;

// One rule as the test writes it: the cells of a row of the editor, in column order
// (repositories, include, exclude, newest, highest versions, days, untagged days).
using RuleCells = QStringList;

// "repository:tag" of every row the preview would delete, sorted.
QStringList previewedDeletions(const RetentionPreviewModel& model)
{
    QStringList deletions;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, RetentionPreviewModel::Action).data(berth::ui::RawValueRole).toString() ==
            RetentionPreviewModel::deleteAction)
            deletions.append(
                model.index(row, RetentionPreviewModel::Repository).data().toString() + u':' +
                model.index(row, RetentionPreviewModel::Tag).data(berth::ui::RawValueRole).toString());
    }
    deletions.sort();
    return deletions;
}

QStringList tagsOf(HttpClient& registry, const QString& repository)
{
    QStringList tags;
    const QJsonArray listed =
        registry.get(u"/v2/%1/tags/list"_s.arg(repository)).json().object().value("tags"_L1).toArray();
    for (const auto& tag : listed)
        tags.append(tag.toString());
    tags.sort();
    return tags;
}

} // namespace

class TestRetentionPage : public QObject
{
    Q_OBJECT

private:
    AdminFixture m_registry;
    std::unique_ptr<RetentionPage> m_page;

    // Types the protected tags and the rules into the page's editor.
    void editRules(const QString& protect, const QList<RuleCells>& rules)
    {
        auto* protectField = findByName<QLineEdit>(m_page.get(), u"Protected tags"_s);
        QVERIFY(protectField);
        protectField->clear();
        QTest::keyClicks(protectField, protect);
        RetentionRulesModel* model = m_page->rulesModel();
        model->removeRows(0, model->rowCount());
        for (const RuleCells& cells : rules) {
            const int row = model->insertRule(model->rowCount());
            for (int column = 0; column < cells.size(); ++column)
                QVERIFY2(model->setData(model->index(row, column), cells.at(column)),
                         qPrintable(u"column %1: %2"_s.arg(column).arg(cells.at(column))));
        }
    }

    // Presses `key` where the page's shortcuts work: in its rules.
    void press(Qt::Key key, Qt::KeyboardModifiers modifiers = {})
    {
        auto* rules = findByName<QTableView>(m_page.get(), u"Retention rules"_s);
        rules->setFocus();
        QTest::keyClick(rules, key, modifiers);
    }

    bool preview()
    {
        QSignalSpy previewed(m_page.get(), &RetentionPage::previewed);
        press(Qt::Key_F5);
        return previewed.wait(pageTimeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(m_registry.start("berth:\n  retention:\n    schedule: 24h\n"), QString());
        const QList<std::pair<QString, QStringList>> tags{
            {u"team/app"_s, {u"v1.0.0"_s, u"v1.1.0"_s, u"v2.0.0"_s, u"v2.1.0"_s, u"latest"_s}},
            {u"team/web"_s, {u"v0.1.0"_s, u"v0.2.0"_s, u"nightly"_s}},
            {u"other/tool"_s, {u"v1.0.0"_s, u"v1.0.1"_s}}};
        for (const auto& [repository, names] : tags)
            for (const QString& tag : names)
                QCOMPARE(pushImage(m_registry.registry(), repository, makeImage(), tag), QString());
    }

    void init()
    {
        m_page = std::make_unique<RetentionPage>();
        m_page->resize(1440, 900);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        QSignalSpy previewed(m_page.get(), &RetentionPage::previewed);
        m_page->setAdminClient(m_registry.client());
        QVERIFY(previewed.wait(pageTimeoutMs)); // loading the rules previews them
    }

    void cleanup() { m_page.reset(); }

    void scheduleIsShown()
    {
        const auto* schedule = findByName<QLabel>(m_page.get(), u"Schedule"_s);
        QVERIFY(schedule);
        QVERIFY2(schedule->text().startsWith(u"Every 1 d; next run "_s), qPrintable(schedule->text()));
        QVERIFY2(schedule->text().contains(u"config.yml"_s), qPrintable(schedule->text()));
        QVERIFY(findByName<QCheckBox>(m_page.get(), u"Run on a schedule"_s)->isChecked());
        QCOMPARE(findByName<QSpinBox>(m_page.get(), u"Schedule interval"_s)->value(), 1);
        QCOMPARE(findByName<QComboBox>(m_page.get(), u"Schedule unit"_s)->currentText(), u"days"_s);
        QCOMPARE(m_page->editedSchedule(), std::optional<std::chrono::seconds>(std::chrono::days(1)));
    }

    // The schedule chosen on the page is saved with the rules, and applies on the server.
    void scheduleIsSavedWithTheRules_data()
    {
        QTest::addColumn<bool>("scheduled");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("unit"); // index in the unit box: hours, days
        QTest::addColumn<int>("seconds");
        QTest::addColumn<QString>("shown");
        QTest::newRow("every 6 hours") << true << 6 << 0 << 6 * 3600 << u"Every 6 h; next run "_s;
        QTest::newRow("every 2 days") << true << 2 << 1 << 2 * 86400 << u"Every 2 d; next run "_s;
        QTest::newRow("off") << false << 1 << 0 << 0 << u"Off"_s;
    }

    void scheduleIsSavedWithTheRules()
    {
        QFETCH(bool, scheduled);
        QFETCH(int, count);
        QFETCH(int, unit);
        QFETCH(int, seconds);
        QFETCH(QString, shown);
        auto* enabled = findByName<QCheckBox>(m_page.get(), u"Run on a schedule"_s);
        enabled->setChecked(!scheduled); // so that the choice below is a change
        enabled->setChecked(scheduled);
        findByName<QComboBox>(m_page.get(), u"Schedule unit"_s)->setCurrentIndex(unit);
        findByName<QSpinBox>(m_page.get(), u"Schedule interval"_s)->setValue(count);
        const auto* schedule = findByName<QLabel>(m_page.get(), u"Schedule"_s);
        QCOMPARE(schedule->text(), u"Save to apply the new schedule."_s);

        QSignalSpy saved(m_page.get(), &RetentionPage::statusMessage);
        press(Qt::Key_S, Qt::ControlModifier);
        QVERIFY(saved.wait(pageTimeoutMs));
        const QJsonObject stored = m_registry.server().send("GET", u"/admin/v1/retention"_s).json().object();
        QCOMPARE(stored.value("schedule_seconds"_L1).toInt(), seconds);
        QCOMPARE(stored.value("schedule_source"_L1).toString(), u"data"_s);
        QCOMPARE(stored.value("next_run"_L1).isNull(), seconds == 0);
        QVERIFY2(schedule->text().startsWith(shown), qPrintable(schedule->text()));
        QCOMPARE(m_page->editedSchedule(), std::optional<std::chrono::seconds>(seconds));

        // A page opened later shows it; forgetting the stored rules brings config.yml's back.
        init();
        QCOMPARE(findByName<QCheckBox>(m_page.get(), u"Run on a schedule"_s)->isChecked(), scheduled);
        QCOMPARE(m_page->editedSchedule(), std::optional<std::chrono::seconds>(seconds));
        QVERIFY(m_registry.server().send("DELETE", u"/admin/v1/retention"_s).status == 200);
    }

    void previewListsExactlyTheTagsTheRulesDelete_data()
    {
        QTest::addColumn<QString>("protect");
        QTest::addColumn<QList<RuleCells>>("rules");
        QTest::addColumn<QStringList>("deleted");
        QTest::newRow("two highest versions")
            << QString() << QList<RuleCells>{{u"team/**"_s, u"^v"_s, {}, {}, u"2"_s}}
            << QStringList{u"team/app:v1.0.0"_s, u"team/app:v1.1.0"_s};
        QTest::newRow("except v2") << QString()
                                   << QList<RuleCells>{{u"team/**"_s, u"^v"_s, u"^v2"_s, {}, u"1"_s}}
                                   << QStringList{u"team/app:v1.0.0"_s, u"team/web:v0.1.0"_s};
        QTest::newRow("protected") << u"v1.*, nightly"_s
                                   << QList<RuleCells>{{u"team/**"_s, {}, {}, {}, u"1"_s}}
                                   << QStringList{u"team/app:latest"_s, u"team/app:v2.0.0"_s,
                                                  u"team/web:v0.1.0"_s};
        QTest::newRow("one repository") << QString() << QList<RuleCells>{{u"other/*"_s, {}, {}, {}, u"1"_s}}
                                        << QStringList{u"other/tool:v1.0.0"_s};
        QTest::newRow("a tag either rule keeps stays")
            << u"latest"_s
            << QList<RuleCells>{{u"team/app"_s, u"^v"_s, {}, {}, u"1"_s}, {u"**"_s, u"^v1"_s, {}, {}, u"1"_s}}
            << QStringList{u"other/tool:v1.0.0"_s, u"team/app:v1.0.0"_s, u"team/app:v2.0.0"_s};
        QTest::newRow("recent ones kept")
            << QString() << QList<RuleCells>{{u"**"_s, {}, {}, {}, {}, u"30"_s}} << QStringList{};
    }

    void previewListsExactlyTheTagsTheRulesDelete()
    {
        QFETCH(QString, protect);
        QFETCH(QList<RuleCells>, rules);
        QFETCH(QStringList, deleted);
        QAbstractItemModelTester tester(m_page->previewModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        editRules(protect, rules);
        QVERIFY(preview());
        const auto* message = findByName<berth::ui::InlineMessage>(m_page.get(), u"Message"_s);
        QVERIFY2(message->isHidden(), qPrintable(message->text()));
        QCOMPARE(previewedDeletions(*m_page->previewModel()), deleted);
        QVERIFY(findByName<QProgressBar>(m_page.get(), u"Preview progress"_s)->isHidden());
        QVERIFY(findByName<QPushButton>(m_page.get(), u"Stop preview"_s)->isHidden());
        for (int row = 0; row < m_page->previewModel()->deletionCount(); ++row)
            QVERIFY(!m_page->previewModel()
                         ->index(row, RetentionPreviewModel::Reason)
                         .data()
                         .toString()
                         .isEmpty());
        // The table shows the deletions unless asked for what is kept too.
        const auto* view = findByName<QTreeView>(m_page.get(), u"Retention preview"_s);
        QVERIFY(view);
        QCOMPARE(view->model()->rowCount(), deleted.size());
    }

    // A preview asked for while one is worked out follows it, with the rules as they are
    // then, and the page is ready again after both.
    void previewAskedForDuringAnotherFollowsIt()
    {
        QSignalSpy previewed(m_page.get(), &RetentionPage::previewed);
        editRules({}, {{u"other/*"_s, {}, {}, {}, u"1"_s}});
        m_page->preview();
        editRules({}, {{u"team/web"_s, {}, {}, {}, u"1"_s}});
        m_page->preview();
        QTRY_COMPARE_WITH_TIMEOUT(previewed.size(), 2, pageTimeoutMs);
        QCOMPARE(previewedDeletions(*m_page->previewModel()),
                 (QStringList{u"team/web:nightly"_s, u"team/web:v0.1.0"_s}));
        QTRY_VERIFY(findByName<QPushButton>(m_page.get(), u"Preview"_s)->isEnabled());
        QVERIFY(!previewed.wait(500)); // and no third
    }

    void savingStoresTheRules()
    {
        const auto* source = findByName<QLabel>(m_page.get(), u"Where the rules come from"_s);
        QVERIFY2(source->text().contains(u"No retention rules yet"_s), qPrintable(source->text()));
        editRules(u"latest"_s, {{u"team/**"_s, u"^v"_s, {}, u"5"_s, {}, {}, u"7"_s}});
        QVERIFY(m_page->rulesModel()->isModified());
        QVERIFY2(source->text().contains(u"Unsaved changes"_s), qPrintable(source->text()));
        QSignalSpy saved(m_page.get(), &RetentionPage::statusMessage);
        press(Qt::Key_S, Qt::ControlModifier);
        QVERIFY(saved.wait(pageTimeoutMs));
        QVERIFY(!m_page->rulesModel()->isModified());
        const QJsonObject stored = m_registry.server().send("GET", u"/admin/v1/retention"_s).json().object();
        QCOMPARE(stored.value("source"_L1).toString(), u"data"_s);
        QCOMPARE(stored.value("protect"_L1).toArray(), QJsonArray{u"latest"_s});
        const QJsonObject rule = stored.value("rules"_L1).toArray().first().toObject();
        QCOMPARE(rule.value("repositories"_L1).toString(), u"team/**"_s);
        QCOMPARE(rule.value("tags"_L1).toObject().value("include"_L1).toString(), u"^v"_s);
        QCOMPARE(rule.value("keep"_L1).toObject(), (QJsonObject{{"most_recent"_L1, 5}}));
        QCOMPARE(rule.value("untagged_older_than_days"_L1).toInteger(), 7);
        QVERIFY2(source->text().contains(u"stored on the server"_s), qPrintable(source->text()));

        // A page opened later loads them.
        init();
        QCOMPARE(m_page->protectedTags(), QStringList{u"latest"_s});
        QCOMPARE(m_page->rulesModel()->rowCount(), 1);
        QCOMPARE(m_page->rulesModel()->index(0, RetentionRulesModel::KeepMostRecent).data().toString(),
                 u"5"_s);
        QVERIFY(m_registry.server().send("DELETE", u"/admin/v1/retention"_s).status == 200);
    }

    void refusedRuleIsNamedAndSelected()
    {
        editRules({}, {{u"**"_s, {}, {}, u"1"_s}, {u"team/**"_s, u"v(["_s, {}, u"1"_s}});
        QVERIFY(preview());
        const auto* message = findByName<berth::ui::InlineMessage>(m_page.get(), u"Message"_s);
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(u"rules[1].tags.include"_s), qPrintable(message->text()));
        const auto* rules = findByName<QTableView>(m_page.get(), u"Retention rules"_s);
        QCOMPARE(rules->currentIndex().row(), 1);
    }

    // Run Now asks, saves the edited rules, and deletes what the preview listed.
    void runNowDeletesWhatThePreviewListed()
    {
        editRules(u"latest"_s, {{u"team/app"_s, u"^v"_s, {}, {}, u"2"_s}});
        QVERIFY(preview());
        QCOMPARE(previewedDeletions(*m_page->previewModel()),
                 (QStringList{u"team/app:v1.0.0"_s, u"team/app:v1.1.0"_s}));
        QCOMPARE(saveScreenshot(m_page.get(), u"retention-page"_s), QString());

        QSignalSpy finished(m_page.get(), &RetentionPage::runFinished);
        press(Qt::Key_R, Qt::ControlModifier);
        QMessageBox* question = nullptr;
        QTRY_VERIFY((question = m_page->findChild<QMessageBox*>()) != nullptr);
        QCOMPARE(question->defaultButton(),
                 question->button(QMessageBox::Cancel)); // deleting needs a deliberate yes
        QAbstractButton* run = nullptr;
        for (QAbstractButton* button : question->buttons())
            if (question->buttonRole(button) == QMessageBox::AcceptRole)
                run = button;
        QVERIFY(run);
        run->click();
        QVERIFY(finished.wait(pageTimeoutMs));
        QCOMPARE(tagsOf(m_registry.registry(), u"team/app"_s),
                 (QStringList{u"latest"_s, u"v2.0.0"_s, u"v2.1.0"_s}));
        const auto* summary = findByName<QLabel>(m_page.get(), u"Retention run summary"_s);
        QVERIFY2(summary->text().contains(u"Removed tags: 2,"_s), qPrintable(summary->text()));
        QVERIFY(!m_page->rulesModel()->isModified()); // saved before it ran
        QCOMPARE(unnamedControls(m_page.get()).join(u", "_s), QString());
    }
};

} // namespace berth::test

QTEST_MAIN(berth::test::TestRetentionPage)
#include "TestRetentionPage.moc"
