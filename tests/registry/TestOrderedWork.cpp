// OrderedWork: every piece's result reaches the consumer once and in order, whatever the
// threads and window; workers stay within the window; destroying it stops the workers.

#include "registry/OrderedWork.h"

#include <QRandomGenerator>
#include <QTest>
#include <atomic>
#include <chrono>

namespace berth::test {

namespace {

// A few microseconds of varying work, so that pieces finish out of order.
void busy(std::size_t index)
{
    std::this_thread::sleep_for(
        std::chrono::microseconds(QRandomGenerator::global()->bounded(50) + index % 7));
}

} // namespace

class TestOrderedWork : public QObject
{
    Q_OBJECT

private slots:
    void inOrder_data();
    void inOrder();
    void stopsWhenDestroyed();
};

void TestOrderedWork::inOrder_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("window");
    QTest::newRow("nothing") << 0 << 4 << 8;
    QTest::newRow("one piece, many threads") << 1 << 4 << 8;
    QTest::newRow("one thread") << 200 << 1 << 8;
    QTest::newRow("window of one") << 200 << 4 << 1;
    QTest::newRow("many pieces") << 2000 << 4 << 16;
}

void TestOrderedWork::inOrder()
{
    QFETCH(int, count);
    QFETCH(int, threads);
    QFETCH(int, window);
    std::atomic<std::size_t> consumed{0};
    std::atomic<int> outsideWindow{0};
    std::atomic<int> runs{0};
    {
        registry::OrderedWork<std::size_t> work(
            std::size_t(count), unsigned(threads),
            [&](std::size_t index) {
                if (index >= consumed + std::size_t(window))
                    ++outsideWindow;
                ++runs;
                busy(index);
                return index * 3;
            },
            std::size_t(window));
        for (std::size_t index = 0; index < std::size_t(count); ++index) {
            consumed = index + 1; // counts from the moment the consumer asks for it
            QCOMPARE(work.next(), index * 3);
        }
    }
    QCOMPARE(runs.load(), count);
    QCOMPARE(outsideWindow.load(), 0);
}

void TestOrderedWork::stopsWhenDestroyed()
{
    constexpr std::size_t window = 8;
    constexpr unsigned threads = 4;
    std::atomic<std::size_t> runs{0};
    {
        registry::OrderedWork<std::size_t> work(
            100000, threads,
            [&](std::size_t index) {
                ++runs;
                busy(index);
                return index;
            },
            window);
        for (std::size_t index = 0; index < 10; ++index)
            QCOMPARE(work.next(), index);
    }
    // Only what fitted in the window after the tenth result ever ran.
    QVERIFY2(runs.load() <= 10 + window, qPrintable(QString::number(runs.load())));
    const std::size_t after = runs.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    QCOMPARE(runs.load(), after);
}

} // namespace berth::test

QTEST_APPLESS_MAIN(berth::test::TestOrderedWork)
#include "TestOrderedWork.moc"
