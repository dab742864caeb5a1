// Retention in process: the rule document (parsing, validation, round trip), globs and
// semantic version precedence, then every rule form on stores whose push times the test
// sets exactly (an in-memory driver with a clock), checking the preview word for word and
// that a run removes exactly what it previewed while everything else still pulls. Then
// what needs the real store: push times read from either driver, tags that change while a
// run goes, refusals, cancelling, and where the rules are stored.

#include "StoreScenario.h"
#include "registry/Layout.h"
#include "registry/RetentionJobs.h"
#include "registry/RetentionRuleStore.h"
#include "registry/RetentionRunner.h"
#include "registry/SemanticVersion.h"
#include "storage/InMemoryDriver.h"

#include <QElapsedTimer>
#include <QTemporaryFile>
#include <QTest>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <map>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace berth::test {

namespace {

using Clock = std::chrono::system_clock;

// What every in-memory row calls "now": push ages are counted back from it.
const Clock::time_point evaluationTime = std::chrono::sys_days{std::chrono::year(2030) / 6 / 1} + 12h;

registry::RetentionRules parseOrFail(const QByteArray& json)
{
    auto parsed = registry::parseRetentionRules(viewOf(json));
    if (!parsed) {
        QTest::qFail(parsed.error().describe().c_str(), __FILE__, __LINE__);
        return {};
    }
    return std::move(parsed).value();
}

// "30d", "2h", "0": how long before evaluationTime a step happens.
std::optional<Clock::duration> ageOf(const QString& text)
{
    bool ok = false;
    if (text == "0"_L1)
        return Clock::duration::zero();
    const int count = text.chopped(1).toInt(&ok);
    if (!ok)
        return std::nullopt;
    if (text.endsWith(u'd'))
        return std::chrono::hours(24 * count);
    if (text.endsWith(u'h'))
        return std::chrono::hours(count);
    return std::nullopt;
}

// A store whose driver dates every write by a clock the test sets, so a row can push
// tags days apart without waiting; and the scenario that names what is in it.
class ClockedStore
{
public:
    explicit ClockedStore(registry::RegistryOptions options = {}) : m_registry(m_driver, options) {}

    registry::Registry& registry() { return m_registry; }
    Scenario& scenario() { return m_scenario; }

    // "AGE STEP": runs a scenario step as if at evaluationTime - AGE.
    QString run(const QString& dated)
    {
        const auto age = ageOf(dated.section(u' ', 0, 0));
        if (!age)
            return u"no age in front of the step: "_s + dated;
        m_now = (evaluationTime - *age).time_since_epoch().count();
        return m_scenario.run(dated.section(u' ', 1));
    }

private:
    std::atomic<Clock::rep> m_now{evaluationTime.time_since_epoch().count()};
    storage::InMemoryDriver m_driver{std::nullopt,
                                     [this] { return Clock::time_point(Clock::duration(m_now.load())); }};
    registry::Registry m_registry;
    Scenario m_scenario{m_registry};
};

// "app:v1 (rule 0): reason", "app@a: reason": a decision as rows write it, with the
// scenario's name for a manifest digest.
QString describe(const Scenario& scenario, const registry::RetentionDecision& decision)
{
    QString text = QString::fromStdString(decision.repository);
    text += decision.tag.empty() ? u'@' + scenario.namesOf({decision.digest}).value(0)
                                 : u':' + QString::fromStdString(decision.tag);
    if (decision.rule)
        text += u" (rule %1)"_s.arg(*decision.rule);
    return text + u": "_s + QString::fromStdString(decision.reason);
}

QStringList describe(const Scenario& scenario, const std::vector<registry::RetentionDecision>& decisions)
{
    QStringList texts;
    for (const auto& decision : decisions)
        texts.append(describe(scenario, decision));
    texts.sort();
    return texts;
}

QString sourceOf(const registry::RetentionRuleStore::Current& current)
{
    return QString::fromLatin1(toString(current.source));
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// Every tag of every repository, "repository:tag".
QStringList allTags(registry::Registry& registry)
{
    QStringList tags;
    auto repositories = registry.catalog().repositories();
    for (const auto& repository : repositories ? *repositories : std::vector<std::string>{}) {
        auto names = registry.tags().list(repository);
        for (const auto& tag : names ? *names : std::vector<std::string>{})
            tags.append(QString::fromStdString(repository + ':' + tag));
    }
    return tags;
}

} // namespace

class TestRetentionPolicy : public QObject
{
    Q_OBJECT

private slots:
    void semanticVersionPrecedence_data();
    void semanticVersionPrecedence();
    void notSemanticVersions_data();
    void notSemanticVersions();
    void globs_data();
    void globs();
    void parseRules_data();
    void parseRules();
    void rulesReadBackTheirJson();

    void plans_data();
    void plans();

    void pushTimesComeFromTheStore_data();
    void pushTimesComeFromTheStore();
    void tagsChangedDuringARunStay_data();
    void tagsChangedDuringARunStay();
    void runIsRefused_data();
    void runIsRefused();
    void cancelledRunRemovesNothing();
    void previewReportsProgressAndStopsWhenCancelled();
    void expressionsTooComplexForATagFailNamingTheRule_data();
    void expressionsTooComplexForATagFailNamingTheRule();
    void jobsLogEveryRemoval();
    void storedRulesWinOverConfig_data();
    void storedRulesWinOverConfig();
};

void TestRetentionPolicy::semanticVersionPrecedence_data()
{
    QTest::addColumn<QString>("lower");
    QTest::addColumn<QString>("higher"); // equal precedence when it starts with '='

    QTest::newRow("patch") << u"1.0.0"_s << u"1.0.1"_s;
    QTest::newRow("minor beats patch") << u"1.0.9"_s << u"1.1.0"_s;
    QTest::newRow("numeric, not lexical") << u"1.2.0"_s << u"1.10.0"_s;
    QTest::newRow("major") << u"1.99.99"_s << u"2.0.0"_s;
    QTest::newRow("pre-release below its release") << u"1.0.0-rc.1"_s << u"1.0.0"_s;
    // semver.org's own chain.
    QTest::newRow("alpha < alpha.1") << u"1.0.0-alpha"_s << u"1.0.0-alpha.1"_s;
    QTest::newRow("alpha.1 < alpha.beta") << u"1.0.0-alpha.1"_s << u"1.0.0-alpha.beta"_s;
    QTest::newRow("alpha.beta < beta") << u"1.0.0-alpha.beta"_s << u"1.0.0-beta"_s;
    QTest::newRow("beta < beta.2") << u"1.0.0-beta"_s << u"1.0.0-beta.2"_s;
    QTest::newRow("beta.2 < beta.11") << u"1.0.0-beta.2"_s << u"1.0.0-beta.11"_s;
    QTest::newRow("beta.11 < rc.1") << u"1.0.0-beta.11"_s << u"1.0.0-rc.1"_s;
    QTest::newRow("numeric identifier below alphanumeric") << u"1.0.0-1"_s << u"1.0.0-a"_s;
    QTest::newRow("huge numbers") << u"18446744073709551614.0.0"_s << u"18446744073709551615.0.0"_s;
    QTest::newRow("long numeric identifiers")
        << u"1.0.0-99999999999999999999"_s << u"1.0.0-100000000000000000000"_s;
    QTest::newRow("v prefix is the same version") << u"v1.2.3"_s << u"=1.2.3"_s;
    QTest::newRow("build metadata is ignored") << u"1.2.3+build.1"_s << u"=1.2.3+build.2"_s;
}

void TestRetentionPolicy::semanticVersionPrecedence()
{
    QFETCH(QString, lower);
    QFETCH(QString, higher);
    const bool equal = higher.startsWith(u'=');
    const auto a = registry::SemanticVersion::parse(lower.toStdString());
    const auto b = registry::SemanticVersion::parse((equal ? higher.mid(1) : higher).toStdString());
    QVERIFY2(a && b, "both must parse");
    if (equal) {
        QVERIFY(*a == *b);
        QVERIFY(std::is_eq(*a <=> *b));
    } else {
        QVERIFY(*a < *b);
        QVERIFY(*b > *a);
        QVERIFY(!(*a == *b));
    }
}

void TestRetentionPolicy::notSemanticVersions_data()
{
    QTest::addColumn<QString>("tag");
    for (const auto tag : {"latest",   "1.2",
                           "1",        "1.2.3.4",
                           "01.2.3",   "1.02.3",
                           "1.2.03",   "1.2.3-",
                           "1.2.3-01", "1.2.3-rc..1",
                           "1.2.3+",   "1.2.3-rc_1",
                           "V1.2.3",   "vv1.2.3",
                           "v",        "",
                           "1.2.3 ",   "18446744073709551616.0.0",
                           "-1.2.3",   "1.2.x"})
        QTest::newRow(*tag ? tag : "empty") << QString::fromLatin1(tag);
}

void TestRetentionPolicy::notSemanticVersions()
{
    QFETCH(QString, tag);
    QVERIFY(!registry::SemanticVersion::parse(tag.toStdString()));
}

void TestRetentionPolicy::globs_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("matches");

    QTest::newRow("literal") << u"team/app"_s << u"team/app"_s << true;
    QTest::newRow("literal is whole") << u"team/app"_s << u"team/application"_s << false;
    QTest::newRow("* within a namespace") << u"team/*"_s << u"team/app"_s << true;
    QTest::newRow("* stops at /") << u"team/*"_s << u"team/sub/app"_s << false;
    QTest::newRow("* needs the namespace") << u"team/*"_s << u"team"_s << false;
    QTest::newRow("** crosses /") << u"team/**"_s << u"team/sub/deeper/app"_s << true;
    QTest::newRow("** one level") << u"team/**"_s << u"team/app"_s << true;
    QTest::newRow("** alone matches all") << u"**"_s << u"a/b/c"_s << true;
    QTest::newRow("* alone, top level only") << u"*"_s << u"a/b"_s << false;
    QTest::newRow("middle **") << u"team/**/app"_s << u"team/x/y/app"_s << true;
    QTest::newRow("? one character") << u"app-?"_s << u"app-1"_s << true;
    QTest::newRow("? not two") << u"app-?"_s << u"app-12"_s << false;
    QTest::newRow("? not /") << u"a?b"_s << u"a/b"_s << false;
    QTest::newRow("set") << u"release-[0-9]*"_s << u"release-2024"_s << true;
    QTest::newRow("set misses") << u"release-[0-9]*"_s << u"release-x"_s << false;
    QTest::newRow("negated set") << u"v[!0]*"_s << u"v1"_s << true;
    QTest::newRow("negated set misses") << u"v[!0]*"_s << u"v0"_s << false;
    QTest::newRow("] first in a set") << u"[]a]"_s << u"]"_s << true;
    QTest::newRow("escaped *") << u"a\\*"_s << u"a*"_s << true;
    QTest::newRow("escaped * is literal") << u"a\\*"_s << u"ab"_s << false;
    QTest::newRow("release-*") << u"release-*"_s << u"release-"_s << true;
    QTest::newRow("dots are literal") << u"1.0"_s << u"1x0"_s << false;
    QTest::newRow("many stars") << u"*a*a*a*a*b"_s << u"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"_s << false;
}

void TestRetentionPolicy::globs()
{
    QFETCH(QString, pattern);
    QFETCH(QString, name);
    QFETCH(bool, matches);
    const auto glob = registry::Glob::parse(pattern.toStdString());
    QVERIFY2(glob, glob ? "" : glob.error().c_str());
    QCOMPARE(glob->matches(name.toStdString()), matches);
}

void TestRetentionPolicy::parseRules_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // RetentionRulesError::describe(); empty when valid

    QTest::newRow("every field") << QByteArray(R"({"protect": ["latest", "release-*"], "rules": [
        {"repositories": "team/**", "tags": {"include": "^v", "exclude": "-rc"},
         "keep": {"most_recent": 5, "highest_versions": 3, "pushed_within_days": 30},
         "untagged_older_than_days": 7}]})")
                                 << QString();
    QTest::newRow("no rules at all") << QByteArray("{}") << QString();
    QTest::newRow("untagged only")
        << QByteArray(R"({"rules": [{"repositories": "a", "untagged_older_than_days": 0}]})") << QString();
    QTest::newRow("not JSON") << QByteArray(R"({"rules": [)") << u"not valid JSON: "_s;
    QTest::newRow("not an object") << QByteArray("[]") << u"expected an object, got []"_s;
    QTest::newRow("unknown top-level field")
        << QByteArray(R"({"rule": []})") << u"rule: unknown field; expected protect, rules"_s;
    QTest::newRow("rules not a list")
        << QByteArray(R"({"rules": {}})") << u"rules: expected a list of rules, got {}"_s;
    QTest::newRow("a rule not an object")
        << QByteArray(R"({"rules": ["team/*"]})") << u"rules[0]: expected an object, got \"team/*\""_s;
    QTest::newRow("unknown rule field")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {"most_recent": 1}},
                                    {"repositories": "b", "keep": {"most_recent": 1}, "kep": 1}]})")
        << u"rules[1].kep: unknown field; expected repositories, tags, keep, untagged_older_than_days"_s;
    QTest::newRow("unknown keep field")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {"newest": 1}}]})")
        << u"rules[0].keep.newest: unknown field; expected most_recent, highest_versions, pushed_within_days"_s;
    QTest::newRow("negative count")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {"most_recent": -3}}]})")
        << u"rules[0].keep.most_recent: must be a whole number of at least 0, got -3"_s;
    QTest::newRow("fractional count")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {"highest_versions": 2.5}}]})")
        << u"rules[0].keep.highest_versions: must be a whole number of at least 0, got 2.5E0"_s;
    QTest::newRow("count as a string")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {"most_recent": "5"}}]})")
        << u"rules[0].keep.most_recent: must be a whole number of at least 0, got \"5\""_s;
    QTest::newRow("days beyond a century")
        << QByteArray(R"({"rules": [{"repositories": "a", "untagged_older_than_days": 36501}]})")
        << u"rules[0].untagged_older_than_days: must be at most 36500, got 36501"_s;
    QTest::newRow("negative days")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {"pushed_within_days": -1}}]})")
        << u"rules[0].keep.pushed_within_days: must be a whole number of at least 0, got -1"_s;
    QTest::newRow("empty keep")
        << QByteArray(R"({"rules": [{"repositories": "a", "keep": {}}]})")
        << u"rules[0].keep: needs most_recent, highest_versions or pushed_within_days"_s;
    QTest::newRow("a rule that does nothing")
        << QByteArray(R"({"rules": [{"repositories": "a"}]})")
        << u"rules[0]: does nothing: give it keep, untagged_older_than_days or both"_s;
    QTest::newRow("tags without keep")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"include": "x"}, "untagged_older_than_days": 1}]})")
        << u"rules[0].tags: selects tags for keep, which this rule does not have"_s;
    QTest::newRow("missing repositories")
        << QByteArray(R"({"rules": [{"keep": {"most_recent": 1}}]})")
        << u"rules[0].repositories: missing; \"**\" selects every repository"_s;
    QTest::newRow("bad repository glob")
        << QByteArray(R"({"rules": [{"repositories": "team/[ab", "keep": {"most_recent": 1}}]})")
        << u"rules[0].repositories: bad glob \"team/[ab\": '[' at offset 5 is never closed by ']'"_s;
    QTest::newRow("empty repository glob")
        << QByteArray(R"({"rules": [{"repositories": "", "keep": {"most_recent": 1}}]})")
        << u"rules[0].repositories: bad glob \"\": an empty pattern matches nothing"_s;
    QTest::newRow("backwards range") << QByteArray(R"({"protect": ["v[9-0]"]})")
                                     << u"protect[0]: bad glob \"v[9-0]\": range 9-0 is backwards"_s;
    QTest::newRow("bad include")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"include": "(v"}, "keep": {"most_recent": 1}}]})")
        << u"rules[0].tags.include: bad regular expression \"(v\": "_s;
    QTest::newRow("bad exclude")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"exclude": "[z-a]"}, "keep": {"most_recent": 1}}]})")
        << u"rules[0].tags.exclude: bad regular expression \"[z-a]\": "_s;
    // Boost.Regex gives up on these (probed on 128-character tags) instead of backtracking for ever.
    const auto tooComplex = [](std::string_view field, std::string_view pattern, char repeated) {
        return u"rules[0].tags.%1: bad regular expression \"%2\": matching \"%3...\" (128 characters) "
               u"exceeded "
               "the complexity bound: the expression backtracks catastrophically; make its repetitions "
               "unambiguous (\"(a+)+\" matches what \"a+\" does)"_s.arg(
                   QLatin1StringView(field), QLatin1StringView(pattern), QString(40, QLatin1Char(repeated)));
    };
    QTest::newRow("nested repetition")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"include": "(a+)+$"}, "keep": {"most_recent": 1}}]})")
        << tooComplex("include", "(a+)+$", 'a');
    QTest::newRow("overlapping alternatives")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"exclude": "(x|xx)+y"}, "keep": {"most_recent": 1}}]})")
        << tooComplex("exclude", "(x|xx)+y", 'x');
    QTest::newRow("classes that overlap on digits")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"include": "^(\\w+\\d+)+-"}, "keep": {"most_recent": 1}}]})")
        << tooComplex("include", R"(^(\\w+\\d+)+-)", '0');
    QTest::newRow("bounded repetition is fine")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"include": "^v[0-9]+(\\.[0-9]+){0,3}(-rc\\.[0-9]+)?$"}, "keep": {"most_recent": 1}}]})")
        << QString();
    QTest::newRow("unknown tags field")
        << QByteArray(
               R"({"rules": [{"repositories": "a", "tags": {"only": "x"}, "keep": {"most_recent": 1}}]})")
        << u"rules[0].tags.only: unknown field; expected include, exclude"_s;
    QTest::newRow("protect not a list") << QByteArray(R"({"protect": "latest"})")
                                        << u"protect: expected a list of tag patterns, got \"latest\""_s;
    QTest::newRow("protect entry not a string")
        << QByteArray(R"({"protect": ["latest", 7]})") << u"protect[1]: expected a string, got 7"_s;
    QTest::newRow("null keep") << QByteArray(R"({"rules": [{"repositories": "a", "keep": null}]})")
                               << u"rules[0].keep: expected an object, got null"_s;
}

void TestRetentionPolicy::parseRules()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto parsed = registry::parseRetentionRules(viewOf(json));
    if (error.isEmpty()) {
        QVERIFY2(parsed, parsed ? "" : parsed.error().describe().c_str());
        return;
    }
    QVERIFY2(!parsed, "an invalid document was accepted");
    const auto described = QString::fromStdString(parsed.error().describe());
    // Messages from the JSON parser and std::regex are the libraries'; the start is ours.
    if (error.endsWith(u": "_s))
        QVERIFY2(described.startsWith(error), qPrintable(described));
    else
        QCOMPARE(described, error);
}

void TestRetentionPolicy::rulesReadBackTheirJson()
{
    const auto rules = parseOrFail(R"({"protect": ["latest", "release-*"], "rules": [
        {"repositories": "team/**", "tags": {"include": "^v", "exclude": "-rc"},
         "keep": {"most_recent": 5, "highest_versions": 3, "pushed_within_days": 30},
         "untagged_older_than_days": 7},
        {"repositories": "scratch/*", "untagged_older_than_days": 1},
        {"repositories": "x", "tags": {"exclude": "^keep-"}, "keep": {"most_recent": 0}}]})");
    QCOMPARE(rules.rules.size(), std::size_t{3});
    const auto json = registry::toJson(rules);
    const auto again = registry::parseRetentionRules(json);
    QVERIFY2(again, again ? "" : again.error().describe().c_str());
    QVERIFY(*again == rules);
    QCOMPARE(QByteArray::fromStdString(boost::json::serialize(registry::toJson(*again))),
             QByteArray::fromStdString(boost::json::serialize(json)));
    QVERIFY(!(parseOrFail(R"({"protect": ["latest"]})") == rules));
}

void TestRetentionPolicy::plans_data()
{
    QTest::addColumn<QByteArray>("rules");
    QTest::addColumn<QStringList>("steps"); // "AGE STEP", see ClockedStore and Scenario
    QTest::addColumn<QStringList>("deleted");
    QTest::addColumn<QStringList>("kept");

    QTest::newRow("most_recent keeps the newest")
        << QByteArray(R"({"rules": [{"repositories": "app", "keep": {"most_recent": 2}}]})")
        << QStringList{u"4d push app a:t1"_s, u"3d push app b:t2"_s, u"2d push app c:t3"_s,
                       u"1d push app d:t4"_s}
        << QStringList{u"app:t1 (rule 0): not among the 2 most recently pushed"_s,
                       u"app:t2 (rule 0): not among the 2 most recently pushed"_s}
        << QStringList{u"app:t3 (rule 0): among the 2 most recently pushed"_s,
                       u"app:t4 (rule 0): among the 2 most recently pushed"_s};
    QTest::newRow("most_recent: a tie goes to the later name")
        << QByteArray(R"({"rules": [{"repositories": "app", "keep": {"most_recent": 1}}]})")
        << QStringList{u"1d push app a:x"_s, u"1d push app b:y"_s}
        << QStringList{u"app:x (rule 0): not the most recently pushed"_s}
        << QStringList{u"app:y (rule 0): the most recently pushed"_s};
    QTest::newRow("most_recent: re-tagging an old image makes its tag recent")
        << QByteArray(R"({"rules": [{"repositories": "app", "keep": {"most_recent": 1}}]})")
        << QStringList{u"10d push app a:v1"_s, u"5d push app b:v2"_s, u"1d push app a:v3"_s}
        << QStringList{u"app:v1 (rule 0): not the most recently pushed"_s,
                       u"app:v2 (rule 0): not the most recently pushed"_s}
        << QStringList{u"app:v3 (rule 0): the most recently pushed"_s,
                       u"app@a: digest shared with kept tag v3"_s};
    QTest::newRow("most_recent 0 removes every selected tag")
        << QByteArray(
               R"({"rules": [{"repositories": "app", "tags": {"include": "^tmp-"}, "keep": {"most_recent": 0}}]})")
        << QStringList{u"1d push app a:tmp-1"_s, u"0 push app b:tmp-2"_s, u"30d push app c:keep"_s}
        << QStringList{u"app:tmp-1 (rule 0): not among the 0 most recently pushed"_s,
                       u"app:tmp-2 (rule 0): not among the 0 most recently pushed"_s}
        << QStringList();

    QTest::newRow("highest_versions: pre-releases, v prefix, non-semver tags rank lowest")
        << QByteArray(R"({"rules": [{"repositories": "app", "keep": {"highest_versions": 3}}]})")
        << QStringList{u"1d push app a:1.0.0"_s,       u"5d push app b:v1.10.0"_s,
                       u"2d push app c:1.2.0"_s,       u"3d push app d:2.0.0-rc.1"_s,
                       u"4d push app e:2.0.0-alpha"_s, u"0 push app f:nightly"_s,
                       u"6d push app g:1.9"_s}
        << QStringList{u"app:1.0.0 (rule 0): not among the 3 highest versions"_s,
                       u"app:1.2.0 (rule 0): not among the 3 highest versions"_s,
                       u"app:1.9 (rule 0): not a semantic version"_s,
                       u"app:nightly (rule 0): not a semantic version"_s}
        << QStringList{u"app:2.0.0-alpha (rule 0): among the 3 highest versions"_s,
                       u"app:2.0.0-rc.1 (rule 0): among the 3 highest versions"_s,
                       u"app:v1.10.0 (rule 0): among the 3 highest versions"_s};
    QTest::newRow("highest_versions: semver.org's pre-release order")
        << QByteArray(R"({"rules": [{"repositories": "app", "keep": {"highest_versions": 4}}]})")
        << QStringList{u"1d push app a:1.0.0"_s,         u"1d push app b:1.0.0-rc.1"_s,
                       u"1d push app c:1.0.0-beta.11"_s, u"1d push app d:1.0.0-beta.2"_s,
                       u"1d push app e:1.0.0-beta"_s,    u"1d push app f:1.0.0-alpha.beta"_s,
                       u"1d push app g:1.0.0-alpha.1"_s, u"1d push app h:1.0.0-alpha"_s}
        << QStringList{u"app:1.0.0-alpha (rule 0): not among the 4 highest versions"_s,
                       u"app:1.0.0-alpha.1 (rule 0): not among the 4 highest versions"_s,
                       u"app:1.0.0-alpha.beta (rule 0): not among the 4 highest versions"_s,
                       u"app:1.0.0-beta (rule 0): not among the 4 highest versions"_s}
        << QStringList{u"app:1.0.0 (rule 0): among the 4 highest versions"_s,
                       u"app:1.0.0-beta.11 (rule 0): among the 4 highest versions"_s,
                       u"app:1.0.0-beta.2 (rule 0): among the 4 highest versions"_s,
                       u"app:1.0.0-rc.1 (rule 0): among the 4 highest versions"_s};
    QTest::newRow("highest_versions: v1.0.0 and 1.0.0 tie, the later name wins")
        << QByteArray(R"({"rules": [{"repositories": "app", "keep": {"highest_versions": 1}}]})")
        << QStringList{u"1d push app a:1.0.0"_s, u"2d push app b:v1.0.0"_s, u"0 push app c:0.9.0"_s}
        << QStringList{u"app:0.9.0 (rule 0): not the highest version"_s,
                       u"app:1.0.0 (rule 0): not the highest version"_s}
        << QStringList{u"app:v1.0.0 (rule 0): the highest version"_s};

    QTest::newRow("pushed_within_days, exactly D days is not within")
        << QByteArray(R"({"rules": [{"repositories": "app", "keep": {"pushed_within_days": 7}}]})")
        << QStringList{u"2h push app a:fresh"_s, u"1d push app b:t1"_s, u"6d push app c:t6"_s,
                       u"7d push app d:t7"_s,    u"8d push app e:t8"_s, u"30d push app f:t30"_s}
        << QStringList{u"app:t30 (rule 0): pushed 30 days ago (not within 7 days)"_s,
                       u"app:t7 (rule 0): pushed 7 days ago (not within 7 days)"_s,
                       u"app:t8 (rule 0): pushed 8 days ago (not within 7 days)"_s}
        << QStringList{u"app:fresh (rule 0): pushed less than a day ago (within 7 days)"_s,
                       u"app:t1 (rule 0): pushed 1 day ago (within 7 days)"_s,
                       u"app:t6 (rule 0): pushed 6 days ago (within 7 days)"_s};
    QTest::newRow("keep clauses combine: most recent or highest")
        << QByteArray(
               R"({"rules": [{"repositories": "app", "keep": {"most_recent": 1, "highest_versions": 1}}]})")
        << QStringList{u"1d push app a:1.0.0"_s, u"5d push app b:2.0.0"_s, u"3d push app c:1.5.0"_s}
        << QStringList{u"app:1.5.0 (rule 0): not the most recently pushed; not the highest version"_s}
        << QStringList{u"app:1.0.0 (rule 0): the most recently pushed"_s,
                       u"app:2.0.0 (rule 0): the highest version"_s};

    QTest::newRow("untagged older than D days, index children and referrers")
        << QByteArray(R"({"rules": [{"repositories": "app", "untagged_older_than_days": 7}]})")
        << QStringList{u"20d push app a:v1"_s,
                       u"10d push app old"_s,
                       u"2d push app young"_s,
                       u"7d push app boundary"_s,
                       u"30d push app x"_s,
                       u"30d push app y"_s,
                       u"30d index app i:latest children=x,y"_s,
                       u"30d push app p"_s,
                       u"30d push app q"_s,
                       u"2d index app j children=p,q"_s,
                       u"30d push app sig config=empty subject=a"_s,
                       u"30d push app sbom config=empty subject=old"_s}
        << QStringList{u"app@boundary (rule 0): untagged, pushed 7 days ago (older than 7 days)"_s,
                       u"app@old (rule 0): untagged, pushed 10 days ago (older than 7 days)"_s,
                       u"app@sbom (rule 0): untagged, pushed 30 days ago (older than 7 days)"_s}
        << QStringList{u"app@j (rule 0): untagged, pushed 2 days ago (within 7 days)"_s,
                       u"app@p (rule 0): untagged, but needed by an index or subject that stays"_s,
                       u"app@q (rule 0): untagged, but needed by an index or subject that stays"_s,
                       u"app@young (rule 0): untagged, pushed 2 days ago (within 7 days)"_s};
    QTest::newRow("a manifest whose last tag goes is untagged in the same run")
        << QByteArray(
               R"({"rules": [{"repositories": "app", "keep": {"most_recent": 1}, "untagged_older_than_days": 7}]})")
        << QStringList{u"30d push app x"_s, u"30d index app a:v1 children=x"_s, u"1d push app b:v2"_s,
                       u"3d push app c:v0"_s}
        << QStringList{u"app:v0 (rule 0): not the most recently pushed"_s,
                       u"app:v1 (rule 0): not the most recently pushed"_s,
                       u"app@a (rule 0): no tag left after this run, pushed 30 days ago (older than 7 days)"_s,
                       u"app@x (rule 0): untagged, pushed 30 days ago (older than 7 days)"_s}
        << QStringList{u"app:v2 (rule 0): the most recently pushed"_s,
                       u"app@c (rule 0): untagged, pushed 3 days ago (within 7 days)"_s};
    QTest::newRow("a rule without keep leaves tags alone")
        << QByteArray(R"({"rules": [{"repositories": "app", "untagged_older_than_days": 1}]})")
        << QStringList{u"30d push app a:v1"_s, u"30d push app b"_s}
        << QStringList{u"app@b (rule 0): untagged, pushed 30 days ago (older than 1 day)"_s} << QStringList();

    QTest::newRow("include and exclude select the tags")
        << QByteArray(
               R"({"rules": [{"repositories": "app", "tags": {"include": "^v", "exclude": "-rc"}, "keep": {"most_recent": 1}}]})")
        << QStringList{u"3d push app a:v1"_s, u"2d push app b:v2"_s, u"1d push app c:v3-rc"_s,
                       u"0 push app d:latest"_s, u"5d push app e:build-v9"_s}
        << QStringList{u"app:v1 (rule 0): not the most recently pushed"_s}
        << QStringList{u"app:v2 (rule 0): the most recently pushed"_s};

    const QStringList namespaces{u"2d push team/app a:1"_s,     u"1d push team/app b:2"_s,
                                 u"2d push team/sub/app c:1"_s, u"1d push team/sub/app d:2"_s,
                                 u"2d push other/app e:1"_s,    u"1d push other/app f:2"_s,
                                 u"2d push team g:1"_s,         u"1d push team h:2"_s};
    QTest::newRow("repository glob: * stays in its namespace")
        << QByteArray(R"({"rules": [{"repositories": "team/*", "keep": {"most_recent": 1}}]})") << namespaces
        << QStringList{u"team/app:1 (rule 0): not the most recently pushed"_s}
        << QStringList{u"team/app:2 (rule 0): the most recently pushed"_s};
    QTest::newRow("repository glob: ** reaches nested namespaces")
        << QByteArray(R"({"rules": [{"repositories": "team/**", "keep": {"most_recent": 1}}]})") << namespaces
        << QStringList{u"team/app:1 (rule 0): not the most recently pushed"_s,
                       u"team/sub/app:1 (rule 0): not the most recently pushed"_s}
        << QStringList{u"team/app:2 (rule 0): the most recently pushed"_s,
                       u"team/sub/app:2 (rule 0): the most recently pushed"_s};

    QTest::newRow("protected tags neither count nor go")
        << QByteArray(
               R"({"protect": ["latest", "release-*"], "rules": [{"repositories": "app", "keep": {"most_recent": 1}}]})")
        << QStringList{u"30d push app a:release-1"_s, u"20d push app b:latest"_s, u"3d push app c:v1"_s,
                       u"2d push app d:v2"_s, u"1d push app e:v3"_s}
        << QStringList{u"app:v1 (rule 0): not the most recently pushed"_s,
                       u"app:v2 (rule 0): not the most recently pushed"_s}
        << QStringList{u"app:latest: protected by pattern latest"_s,
                       u"app:release-1: protected by pattern release-*"_s,
                       u"app:v3 (rule 0): the most recently pushed"_s};
    QTest::newRow("a digest a kept or protected tag points to survives")
        << QByteArray(
               R"({"protect": ["stable"], "rules": [{"repositories": "app", "keep": {"most_recent": 1}, "untagged_older_than_days": 1}]})")
        << QStringList{u"10d push app a:v1"_s, u"5d push app a:stable"_s, u"1d push app b:v2"_s,
                       u"9d push app b:v1-again"_s, u"20d push app c:v0"_s}
        << QStringList{u"app:v0 (rule 0): not the most recently pushed"_s,
                       u"app:v1 (rule 0): not the most recently pushed"_s,
                       u"app:v1-again (rule 0): not the most recently pushed"_s,
                       u"app@c (rule 0): no tag left after this run, pushed 20 days ago (older than 1 day)"_s}
        << QStringList{
               u"app:stable: protected by pattern stable"_s, u"app:v2 (rule 0): the most recently pushed"_s,
               u"app@a: digest shared with kept tag stable"_s, u"app@b: digest shared with kept tag v2"_s};

    QTest::newRow("several rules: a tag stays if any rule selecting it keeps it")
        << QByteArray(
               R"({"rules": [{"repositories": "app", "tags": {"include": "^v"}, "keep": {"highest_versions": 1}},
                                    {"repositories": "app", "keep": {"pushed_within_days": 7}}]})")
        << QStringList{u"30d push app a:v0.9.0"_s, u"2d push app b:v1.0.0"_s, u"1d push app c:v1.1.0"_s,
                       u"30d push app d:dev"_s, u"3d push app e:nightly"_s}
        << QStringList{u"app:dev (rule 1): pushed 30 days ago (not within 7 days)"_s,
                       u"app:v0.9.0 (rule 0): not the highest version"_s}
        << QStringList{u"app:nightly (rule 1): pushed 3 days ago (within 7 days)"_s,
                       u"app:v1.0.0 (rule 1): pushed 2 days ago (within 7 days)"_s,
                       u"app:v1.1.0 (rule 0): the highest version"_s};
    QTest::newRow("several rules: the most lenient untagged limit wins")
        << QByteArray(R"({"rules": [{"repositories": "app", "untagged_older_than_days": 3},
                                    {"repositories": "**", "untagged_older_than_days": 10}]})")
        << QStringList{u"5d push app m"_s, u"20d push app n"_s, u"5d push other o"_s, u"1d push other t:v1"_s}
        << QStringList{u"app@n (rule 1): untagged, pushed 20 days ago (older than 10 days)"_s}
        << QStringList{u"app@m (rule 1): untagged, pushed 5 days ago (within 10 days)"_s,
                       u"other@o (rule 1): untagged, pushed 5 days ago (within 10 days)"_s};
    QTest::newRow("no rule applies: nothing is listed")
        << QByteArray(
               R"({"protect": ["latest"], "rules": [{"repositories": "elsewhere", "keep": {"most_recent": 0}}]})")
        << QStringList{u"30d push app a:v1"_s, u"30d push app b:latest"_s, u"30d push app c"_s}
        << QStringList() << QStringList();
}

void TestRetentionPolicy::plans()
{
    QFETCH(QByteArray, rules);
    QFETCH(QStringList, steps);
    QFETCH(QStringList, deleted);
    QFETCH(QStringList, kept);
    const auto parsed = parseOrFail(rules);
    ClockedStore store;
    for (const QString& step : steps) {
        const QString failed = store.run(step);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
    }
    const QStringList tagsBefore = allTags(store.registry());
    registry::RetentionRunner runner(store.registry(), [] { return evaluationTime; });

    const auto preview = runner.preview(parsed);
    VERIFY_OK(preview);
    QCOMPARE(describe(store.scenario(), preview->plan.deletions), sorted(deleted));
    QCOMPARE(describe(store.scenario(), preview->plan.kept), sorted(kept));
    QCOMPARE(allTags(store.registry()), tagsBefore); // a preview changes nothing

    std::vector<registry::RetentionDecision> heard;
    const auto report = runner.run(parsed, {}, nullptr, [&heard](const registry::RetentionDecision& removed) {
        heard.push_back(removed);
    });
    VERIFY_OK(report);
    QVERIFY(!report->cancelled);
    QCOMPARE(describe(store.scenario(), report->removed), sorted(deleted));
    QCOMPARE(describe(store.scenario(), heard), sorted(deleted));
    QCOMPARE(describe(store.scenario(), report->skipped), QStringList());

    // Exactly the deleted tags are gone; every other tag and manifest still pulls.
    QStringList tagsLeft = tagsBefore;
    for (const QString& gone : deleted)
        tagsLeft.removeAll(gone.left(gone.indexOf(u' ')));
    QCOMPARE(allTags(store.registry()), tagsLeft);
    for (const QString& tag : tagsLeft) {
        const auto reference = oci::Reference(tag.section(u':', 1).toStdString());
        VERIFY_OK(store.registry().manifests().get(tag.section(u':', 0, 0).toStdString(), reference));
    }
    for (const auto& decision : preview->plan.deletions) {
        if (!decision.tag.empty())
            continue;
        const auto gone =
            store.registry().manifests().get(decision.repository, oci::Reference(decision.digest));
        QCOMPARE(codeOf(gone), QByteArray("MANIFEST_UNKNOWN"));
    }
    for (const auto& decision : preview->plan.kept)
        VERIFY_OK(store.registry().manifests().get(decision.repository, oci::Reference(decision.digest)));

    // What is left is what the rules want: a second run finds nothing more.
    const auto again = runner.preview(parsed);
    VERIFY_OK(again);
    QCOMPARE(describe(store.scenario(), again->plan.deletions), QStringList());
}

void TestRetentionPolicy::pushTimesComeFromTheStore_data()
{
    addDriverRows();
}

// On both drivers, with the real clock: a tag's push time is when its link was written,
// and a run removes by it.
void TestRetentionPolicy::pushTimesComeFromTheStore()
{
    QFETCH(QString, driver);
    RegistryHarness harness;
    QVERIFY2(harness.open(driver), qPrintable(harness.errorString()));
    Scenario scenario(harness.registry());
    const auto before = Clock::now() - 2s;
    // In name order, so that equal times (a coarse file system clock) rank the same way.
    for (const auto step :
         {"push team/app a:v1", "push team/app b:v2", "push team/app c:v3", "push team/app d"})
        QCOMPARE(scenario.run(QString::fromLatin1(step)), QString());
    const auto after = Clock::now() + 2s;

    const auto rules = parseOrFail(
        R"({"rules": [{"repositories": "team/*", "keep": {"most_recent": 2}, "untagged_older_than_days": 0}]})");
    registry::RetentionRunner runner(harness.registry());
    const auto preview = runner.preview(rules);
    VERIFY_OK(preview);
    for (const auto& decision : preview->plan.deletions)
        QVERIFY(decision.pushed && *decision.pushed > before && *decision.pushed < after);
    QCOMPARE(
        describe(scenario, preview->plan.deletions),
        (QStringList{
            u"team/app:v1 (rule 0): not among the 2 most recently pushed"_s,
            u"team/app@a (rule 0): no tag left after this run, pushed less than a day ago (older than 0 days)"_s,
            u"team/app@d (rule 0): untagged, pushed less than a day ago (older than 0 days)"_s}));

    const auto report = runner.run(rules);
    VERIFY_OK(report);
    QCOMPARE(describe(scenario, report->removed), describe(scenario, preview->plan.deletions));
    QVERIFY2(harness.restart(), qPrintable(harness.errorString()));
    QCOMPARE(allTags(harness.registry()), (QStringList{u"team/app:v2"_s, u"team/app:v3"_s}));
}

void TestRetentionPolicy::tagsChangedDuringARunStay_data()
{
    QTest::addColumn<QString>("change"); // a scenario step taken once the run has its plan
    QTest::addColumn<QString>("skipped");

    QTest::newRow("moved to another image")
        << u"push app e:v1"_s << u"app:v1 (rule 0): kept: moved to %1 during the run"_s;
    QTest::newRow("pushed again") << u"push app a:v1"_s
                                  << u"app:v1 (rule 0): kept: pushed again during the run"_s;
    QTest::newRow("deleted meanwhile") << u"untag app v1"_s << u"app:v1 (rule 0): already removed"_s;
}

// Between the plan and the removal a client moves, re-pushes or deletes a tag: the run
// keeps what changed, and then removes no manifest of that repository, since what it
// decided about them may no longer hold.
void TestRetentionPolicy::tagsChangedDuringARunStay()
{
    QFETCH(QString, change);
    QFETCH(QString, skipped);
    ClockedStore store;
    for (const auto step : {"30d push app a:v1", "20d push app b:v2", "1d push app c:v3", "30d push app d"})
        QCOMPARE(store.run(QString::fromLatin1(step)), QString());
    const auto rules = parseOrFail(
        R"({"rules": [{"repositories": "app", "keep": {"most_recent": 1}, "untagged_older_than_days": 7}]})");
    registry::RetentionRunner runner(store.registry(), [] { return evaluationTime; });
    QString changed;
    const auto onProgress = [&](const registry::RetentionProgress& progress) {
        if (progress.phase == registry::RetentionProgress::Phase::Removing && progress.done == 0)
            changed = store.run(u"0 "_s + change);
    };
    const auto report = runner.run(rules, onProgress);
    QCOMPARE(changed, QString());
    VERIFY_OK(report);
    QCOMPARE(
        describe(store.scenario(), report->plan.deletions),
        (QStringList{u"app:v1 (rule 0): not the most recently pushed"_s,
                     u"app:v2 (rule 0): not the most recently pushed"_s,
                     u"app@a (rule 0): no tag left after this run, pushed 30 days ago (older than 7 days)"_s,
                     u"app@b (rule 0): no tag left after this run, pushed 20 days ago (older than 7 days)"_s,
                     u"app@d (rule 0): untagged, pushed 30 days ago (older than 7 days)"_s}));
    QCOMPARE(describe(store.scenario(), report->removed),
             QStringList{u"app:v2 (rule 0): not the most recently pushed"_s});
    if (skipped.contains(u"%1"_s)) {
        const auto target = store.registry().tags().resolve("app", "v1");
        VERIFY_OK(target);
        QVERIFY(*target);
        skipped = skipped.arg(QString::fromStdString((*target)->toString()));
    }
    const QString manifestsKept = u" (rule 0): kept: a tag of the repository changed during the run"_s;
    QCOMPARE(describe(store.scenario(), report->skipped),
             (QStringList{skipped, u"app@a"_s + manifestsKept, u"app@b"_s + manifestsKept,
                          u"app@d"_s + manifestsKept}));
}

void TestRetentionPolicy::runIsRefused_data()
{
    QTest::addColumn<bool>("deleteEnabled");
    QTest::addColumn<bool>("readOnly");
    QTest::addColumn<QString>("message");
    QTest::newRow("deletes disabled") << false << false << u"deletes are disabled on this registry"_s;
    QTest::newRow("read-only") << true << true << u"the registry is in read-only mode"_s;
}

void TestRetentionPolicy::runIsRefused()
{
    QFETCH(bool, deleteEnabled);
    QFETCH(bool, readOnly);
    QFETCH(QString, message);
    ClockedStore store(registry::RegistryOptions{deleteEnabled, readOnly, 0});
    QCOMPARE(store.run(u"30d push app a:v1"_s), QString());
    QCOMPARE(store.run(u"1d push app b:v2"_s), QString());
    const auto rules = parseOrFail(R"({"rules": [{"repositories": "app", "keep": {"most_recent": 1}}]})");
    registry::RetentionRunner runner(store.registry(), [] { return evaluationTime; });

    const auto preview = runner.preview(rules);
    VERIFY_OK(preview);
    QCOMPARE(preview->plan.deletions.size(), std::size_t{1});
    const auto report = runner.run(rules);
    QCOMPARE(codeOf(report), QByteArray("UNSUPPORTED"));
    QCOMPARE(QString::fromStdString(report.error().message), message);
    QCOMPARE(allTags(store.registry()), (QStringList{u"app:v1"_s, u"app:v2"_s}));
}

void TestRetentionPolicy::expressionsTooComplexForATagFailNamingTheRule_data()
{
    QTest::addColumn<QByteArray>("rules");
    QTest::addColumn<QString>("field");

    // "(.*a){25}" passes the probes of parsing, but on 24 a's tries every way of placing 25.
    QTest::newRow("include") << QByteArray(R"({"rules": [
        {"repositories": "app", "keep": {"most_recent": 5}},
        {"repositories": "app", "tags": {"include": "(.*a){25}"}, "keep": {"most_recent": 0}}]})")
                             << u"rules[1].tags.include"_s;
    QTest::newRow("exclude") << QByteArray(R"({"rules": [
        {"repositories": "app", "tags": {"exclude": "(.*a){25}"}, "keep": {"most_recent": 0}}]})")
                             << u"rules[0].tags.exclude"_s;
}

// A tag expression that backtracks catastrophically on one tag fails the preview and the run
// at once, naming the rule and the tag, and removes nothing.
void TestRetentionPolicy::expressionsTooComplexForATagFailNamingTheRule()
{
    QFETCH(QByteArray, rules);
    QFETCH(QString, field);
    const auto parsed = parseOrFail(rules);
    ClockedStore store;
    const QString tag(24, u'a');
    for (const QString& step : {u"2d push app a:v1"_s, QString(u"1d push app b:"_s + tag)})
        QCOMPARE(store.run(step), QString());
    registry::RetentionRunner runner(store.registry(), [] { return evaluationTime; });
    const QString expected =
        field + u": matching \"%1\" (24 characters) exceeded the complexity bound"_s.arg(tag);

    QElapsedTimer timer;
    timer.start();
    const auto preview = runner.preview(parsed);
    QCOMPARE(codeOf(preview), QByteArray("SIZE_INVALID"));
    QCOMPARE(QString::fromStdString(preview.error().message), u"invalid retention rules"_s);
    QVERIFY2(QString::fromStdString(preview.error().detail).startsWith(expected),
             preview.error().detail.c_str());
    const auto report = runner.run(parsed);
    QCOMPARE(codeOf(report), QByteArray("SIZE_INVALID"));
    QVERIFY2(QString::fromStdString(report.error().detail).startsWith(expected),
             report.error().detail.c_str());
    QVERIFY2(timer.elapsed() < 10000, qPrintable(u"%1 ms"_s.arg(timer.elapsed()))); // unbounded: hours
    QCOMPARE(allTags(store.registry()), (QStringList{u"app:"_s + tag, u"app:v1"_s}));
}

// A preview counts the repositories it read of all; cancelled after the first, it stops
// there and says so.
void TestRetentionPolicy::previewReportsProgressAndStopsWhenCancelled()
{
    ClockedStore store;
    for (const auto step : {"3d push a x:v1", "2d push b y:v1", "1d push c z:v1"})
        QCOMPARE(store.run(QString::fromLatin1(step)), QString());
    const auto rules = parseOrFail(R"({"rules": [{"repositories": "**", "keep": {"most_recent": 0}}]})");
    registry::RetentionRunner runner(store.registry(), [] { return evaluationTime; });
    QStringList seen;
    const auto record = [&seen](const registry::RetentionProgress& progress) {
        seen.append(u"%1 %2/%3"_s.arg(int(progress.phase)).arg(progress.done).arg(progress.total));
    };
    const auto whole = runner.preview(rules, record);
    VERIFY_OK(whole);
    QVERIFY(!whole->cancelled);
    QCOMPARE(whole->time, evaluationTime);
    QCOMPARE(whole->plan.deletions.size(), std::size_t{3});
    QCOMPARE(seen, (QStringList{u"0 0/3"_s, u"0 1/3"_s, u"0 2/3"_s, u"0 3/3"_s, u"2 3/3"_s}));

    seen.clear();
    std::atomic<bool> cancel{false};
    const auto stopped = runner.preview(
        rules,
        [&](const registry::RetentionProgress& progress) {
            record(progress);
            cancel = progress.done == 1;
        },
        &cancel);
    VERIFY_OK(stopped);
    QVERIFY(stopped->cancelled);
    QVERIFY(stopped->plan.deletions.empty());
    QCOMPARE(seen, (QStringList{u"0 0/3"_s, u"0 1/3"_s}));
}

void TestRetentionPolicy::cancelledRunRemovesNothing()
{
    ClockedStore store;
    for (const auto step : {"30d push app a:v1", "20d push app b:v2", "1d push app c:v3"})
        QCOMPARE(store.run(QString::fromLatin1(step)), QString());
    const auto rules = parseOrFail(R"({"rules": [{"repositories": "app", "keep": {"most_recent": 1}}]})");
    registry::RetentionRunner runner(store.registry(), [] { return evaluationTime; });
    std::atomic<bool> cancel{false};
    std::vector<registry::RetentionProgress> seen;
    const auto report = runner.run(
        rules,
        [&](const registry::RetentionProgress& progress) {
            seen.push_back(progress);
            if (progress.phase == registry::RetentionProgress::Phase::Removing)
                cancel = true;
        },
        &cancel);
    VERIFY_OK(report);
    QVERIFY(report->cancelled);
    QCOMPARE(report->plan.deletions.size(), std::size_t{2});
    QVERIFY(report->removed.empty());
    QCOMPARE(allTags(store.registry()), (QStringList{u"app:v1"_s, u"app:v2"_s, u"app:v3"_s}));
    QVERIFY(!seen.empty());
    QCOMPARE(seen.front().phase, registry::RetentionProgress::Phase::Reading);
    QCOMPARE(seen.back().phase, registry::RetentionProgress::Phase::Removing);
    QCOMPARE(seen.back().total, std::uint64_t{2});
}

// A job logs one JSON line per removed tag and manifest, then how the run ended.
void TestRetentionPolicy::jobsLogEveryRemoval()
{
    // Jobs go by the system clock, so this store does too.
    RegistryHarness harness;
    QVERIFY2(harness.open(u"inmemory"_s), qPrintable(harness.errorString()));
    Scenario scenario(harness.registry());
    for (const auto step : {"push app a:v1", "push app b:v2", "push app c:v3"})
        QCOMPARE(scenario.run(QString::fromLatin1(step)), QString());
    std::FILE* sink = std::tmpfile();
    QVERIFY(sink);
    {
        Logger logger(sink);
        registry::RetentionJobs jobs(harness.registry(), logger);
        const auto id = jobs.start(
            {parseOrFail(
                 R"({"rules": [{"repositories": "app", "keep": {"most_recent": 1}, "untagged_older_than_days": 0}]})"),
             "test"});
        QTRY_VERIFY_WITH_TIMEOUT(jobs.find(id) && jobs.find(id)->state != registry::JobState::Running, 10000);
        const auto job = jobs.find(id);
        QCOMPARE(QString::fromLatin1(toString(job->state)), u"done"_s);
        QCOMPARE(job->report->removed.size(), std::size_t{4});
        QCOMPARE(job->progress.phase, registry::RetentionProgress::Phase::Done);
    }
    std::rewind(sink);
    QByteArray output;
    char buffer[4096];
    while (const auto count = std::fread(buffer, 1, sizeof buffer, sink))
        output.append(buffer, qsizetype(count));
    std::fclose(sink);

    QStringList lines;
    for (const QByteArray& line : output.split('\n')) {
        if (line.isEmpty())
            continue;
        const auto value = boost::json::parse(viewOf(line));
        const auto& object = value.as_object();
        QString text = QString::fromStdString(std::string(object.at("msg").as_string()));
        for (const auto key : {"repository", "tag", "rule", "trigger", "tags_removed", "manifests_removed"}) {
            if (const auto* field = object.if_contains(key))
                text += u' ' + QString::fromLatin1(key) + u'=' +
                        QString::fromStdString(field->is_string() ? std::string(field->as_string())
                                                                  : boost::json::serialize(*field));
        }
        QVERIFY2(!object.contains("tag") || object.at("digest").as_string().starts_with("sha256:"),
                 line.constData());
        lines.append(text);
    }
    QCOMPARE(lines,
             (QStringList{u"retention removed tag repository=app tag=v1 rule=0 trigger=test"_s,
                          u"retention removed tag repository=app tag=v2 rule=0 trigger=test"_s,
                          u"retention removed manifest repository=app rule=0 trigger=test"_s,
                          u"retention removed manifest repository=app rule=0 trigger=test"_s,
                          u"retention run finished trigger=test tags_removed=2 manifests_removed=2"_s}));
}

void TestRetentionPolicy::storedRulesWinOverConfig_data()
{
    addDriverRows();
}

void TestRetentionPolicy::storedRulesWinOverConfig()
{
    QFETCH(QString, driver);
    RegistryHarness harness;
    QVERIFY2(harness.open(driver), qPrintable(harness.errorString()));
    const auto configured = parseOrFail(
        R"({"protect": ["latest"], "rules": [{"repositories": "**", "untagged_older_than_days": 30}]})");
    const auto stored = parseOrFail(
        R"({"rules": [{"repositories": "team/*", "tags": {"include": "^v"}, "keep": {"highest_versions": 3}}]})");
    const auto daily = std::chrono::seconds(24h);

    registry::RetentionRuleStore withoutConfig(harness.driver(), std::nullopt);
    auto current = withoutConfig.current();
    VERIFY_OK(current);
    QCOMPARE(sourceOf(*current), u"none"_s);
    QVERIFY(current->rules.rules.empty());
    QCOMPARE(current->schedule, 0s);
    QCOMPARE(QString::fromLatin1(toString(current->scheduleSource)), u"none"_s);

    registry::RetentionRuleStore rules(harness.driver(), configured, daily);
    current = rules.current();
    VERIFY_OK(current);
    QCOMPARE(sourceOf(*current), u"config"_s);
    QVERIFY(current->rules == configured);
    QCOMPARE(current->schedule, daily);

    // The listener hears every change, as the rules in force after it.
    QStringList heard;
    rules.setListener([&heard](const registry::RetentionRuleStore::Current& changed) {
        heard.append(u"%1 %2s from %3"_s.arg(sourceOf(changed))
                         .arg(changed.schedule.count())
                         .arg(QString::fromLatin1(toString(changed.scheduleSource))));
    });
    VERIFY_OK(rules.store({stored, 1h}));
    VERIFY_OK(rules.store({stored, std::nullopt})); // a schedule not said stays
    QCOMPARE(heard, (QStringList{u"data 3600s from data"_s, u"data 3600s from data"_s}));
    QVERIFY2(harness.restart(), qPrintable(harness.errorString()));
    registry::RetentionRuleStore reopened(harness.driver(), configured, daily);
    current = reopened.current();
    VERIFY_OK(current);
    QCOMPARE(sourceOf(*current), u"data"_s);
    QVERIFY(current->rules == stored);
    QCOMPARE(current->schedule, 1h);
    QCOMPARE(harness.files(registry::layout::berthRoot()),
             QStringList{QString::fromStdString(registry::layout::retentionRules())});

    // Storing no rules is a choice too: it switches config.yml's off; 0 turns the schedule off.
    VERIFY_OK(reopened.store({{}, 0s}));
    current = reopened.current();
    VERIFY_OK(current);
    QCOMPARE(sourceOf(*current), u"data"_s);
    QVERIFY(current->rules.rules.empty());
    QCOMPARE(current->schedule, 0s);
    QCOMPARE(QString::fromLatin1(toString(current->scheduleSource)), u"data"_s);

    VERIFY_OK(reopened.forget());
    current = reopened.current();
    VERIFY_OK(current);
    QCOMPARE(sourceOf(*current), u"config"_s);
    QCOMPARE(current->schedule, daily);
    QVERIFY(harness.files(registry::layout::berthRoot()).isEmpty());

    // A file an older berthd wrote has no schedule: config.yml's applies.
    QVERIFY(
        harness.driver()
            .putContent(registry::layout::retentionRules(), boost::json::serialize(registry::toJson(stored)))
            .hasValue());
    current = reopened.current();
    VERIFY_OK(current);
    QCOMPARE(sourceOf(*current), u"data"_s);
    QCOMPARE(current->schedule, daily);
    QCOMPARE(QString::fromLatin1(toString(current->scheduleSource)), u"config"_s);

    // A file edited by hand into something invalid is an error, not silently no rules.
    const std::pair<std::string_view, std::string_view> invalidFiles[] = {
        {R"({"rules": [{"repositories": ""}]})", "rules[0].repositories"},
        {R"({"schedule_seconds": -1})", "schedule_seconds"}};
    for (const auto& [invalid, field] : invalidFiles) {
        QVERIFY(harness.driver().putContent(registry::layout::retentionRules(), invalid).hasValue());
        current = reopened.current();
        QCOMPARE(codeOf(current), QByteArray("UNKNOWN")); // Internal: a 500
        QVERIFY2(current.error().detail.find(field) != std::string::npos, current.error().detail.c_str());
    }
    VERIFY_OK(reopened.forget());
}

} // namespace berth::test

QTEST_GUILESS_MAIN(berth::test::TestRetentionPolicy)
#include "TestRetentionPolicy.moc"
