// RestartPolicy: the back-off doubles with each crash in the window up to its cap, old
// crashes leave the window, the limit gives up, and a reset forgets.

#include "app/RestartPolicy.h"

#include <QTest>

using berth::app::RestartPolicy;
using namespace std::chrono_literals;

using Milliseconds = std::chrono::milliseconds;
using Delays = QList<qint64>; // milliseconds; -1: gave up

Q_DECLARE_METATYPE(Delays)

class TestRestartPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void delays_data();
    void delays();
    void resetForgetsCrashes();
};

void TestRestartPolicy::delays_data()
{
    QTest::addColumn<int>("maxCrashes");
    QTest::addColumn<QList<qint64>>("crashTimes"); // seconds since the first crash
    QTest::addColumn<Delays>("expected");

    QTest::newRow("default limits: third crash in a minute gives up")
        << 3 << QList<qint64>{0, 5, 10} << Delays{1000, 2000, -1};
    QTest::newRow("doubling up to the cap") << 10 << QList<qint64>{0, 1, 2, 3, 4, 5, 6, 7}
                                            << Delays{1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    QTest::newRow("crashes a minute apart never give up")
        << 3 << QList<qint64>{0, 60, 120, 180} << Delays{1000, 1000, 1000, 1000};
    QTest::newRow("old crashes leave the window")
        << 3 << QList<qint64>{0, 30, 61, 70} << Delays{1000, 2000, 2000, -1};
    QTest::newRow("a limit of one gives up at once") << 1 << QList<qint64>{0} << Delays{-1};
}

void TestRestartPolicy::delays()
{
    QFETCH(int, maxCrashes);
    QFETCH(QList<qint64>, crashTimes);
    QFETCH(Delays, expected);

    RestartPolicy policy({.firstDelay = 1s, .maxDelay = 30s, .maxCrashes = maxCrashes, .window = 60s});
    const auto start = RestartPolicy::Clock::now();
    Delays delays;
    for (const qint64 second : crashTimes) {
        const auto delay = policy.crashed(start + std::chrono::seconds(second));
        delays.append(delay ? delay->count() : -1);
    }
    QCOMPARE(delays, expected);
}

void TestRestartPolicy::resetForgetsCrashes()
{
    RestartPolicy policy;
    const auto now = RestartPolicy::Clock::now();
    QCOMPARE(policy.crashed(now), Milliseconds(1000));
    QCOMPARE(policy.crashed(now), Milliseconds(2000));
    QCOMPARE(policy.recentCrashes(), 2);
    policy.reset();
    QCOMPARE(policy.recentCrashes(), 0);
    QCOMPARE(policy.crashed(now), Milliseconds(1000));
}

QTEST_APPLESS_MAIN(TestRestartPolicy)

#include "TestRestartPolicy.moc"
