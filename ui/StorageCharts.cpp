#include "ui/StorageCharts.h"

#include "ui/Accessibility.h"
#include "ui/DisplayText.h"
#include "ui/StorageHistoryModel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QDateTimeAxis>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QLocale>
#include <QPieSeries>
#include <QPieSlice>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace berth::ui {

namespace {

constexpr qint64 secondsPerDay = 86400;
// Repositories drawn as lines besides the total.
constexpr int grownRepositories = 4;

// An axis in a unit that suits the largest value: bytes, KiB, MiB...
struct ByteScale
{
    qreal divisor = 1;
    QString unit;
};

ByteScale byteScale(qreal largest)
{
    int power = 0;
    while (power < 4 && largest >= std::pow(1024.0, power + 1))
        ++power;
    const QString units[] = {SharedBytesChart::tr("bytes"), SharedBytesChart::tr("KiB"),
                             SharedBytesChart::tr("MiB"), SharedBytesChart::tr("GiB"),
                             SharedBytesChart::tr("TiB")};
    return {std::pow(1024.0, power), units[power]};
}

QValueAxis* bytesAxis(const ByteScale& scale, qreal largest)
{
    auto* axis = new QValueAxis;
    axis->setTitleText(scale.unit);
    axis->setRange(0, std::max<qreal>(largest / scale.divisor * 1.05, 1));
    axis->setLabelFormat(QStringLiteral("%.3g"));
    axis->applyNiceNumbers();
    return axis;
}

// A chart without a frame of its own, in the page's colours.
QChart* plainChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setBackgroundVisible(false);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

// setChart() leaves the chart it replaces to the caller.
void replaceChart(QChartView* view, QChart* chart)
{
    QChart* old = view->chart();
    view->setChart(chart);
    delete old;
}

void prepareView(QChartView* view)
{
    view->setRenderHint(QPainter::Antialiasing);
    view->setFocusPolicy(Qt::StrongFocus);
    view->viewport()->setFocusPolicy(Qt::NoFocus); // the focus, and the name, are the view's
    view->setMinimumSize(240, 180);
}

} // namespace

SharedBytesChart::SharedBytesChart(QWidget* parent) : QChartView(parent)
{
    prepareView(this);
    setAccessibleName(tr("Unique and shared bytes by repository"));
    setRepositories({});
}

void SharedBytesChart::setRepositories(const QList<app::RepositoryStorage>& repositories, int maximumBars)
{
    QList<app::RepositoryStorage> largest = repositories;
    std::sort(largest.begin(), largest.end(), [](const auto& a, const auto& b) {
        return a.logicalBytes != b.logicalBytes ? a.logicalBytes > b.logicalBytes : a.name < b.name;
    });
    if (largest.size() > maximumBars)
        largest.resize(maximumBars);
    qreal top = 0;
    for (const auto& repository : largest)
        top = std::max(top, static_cast<qreal>(repository.uniqueBytes + repository.sharedBytes));
    const ByteScale scale = byteScale(top);

    auto* unique = new QBarSet(tr("Unique"));
    auto* shared = new QBarSet(tr("Shared with others"));
    QStringList categories;
    QStringList summary;
    m_shown.clear();
    // A horizontal chart draws its first category at the bottom: largest last.
    for (auto repository = largest.crbegin(); repository != largest.crend(); ++repository) {
        categories.append(repository->name);
        *unique << static_cast<qreal>(repository->uniqueBytes) / scale.divisor;
        *shared << static_cast<qreal>(repository->sharedBytes) / scale.divisor;
    }
    for (const auto& repository : largest) {
        m_shown.append(repository.name);
        summary.append(tr("%1: %2 unique, %3 shared")
                           .arg(repository.name, DisplayText::size(repository.uniqueBytes),
                                DisplayText::size(repository.sharedBytes)));
    }
    auto* series = new QHorizontalStackedBarSeries;
    series->append(unique);
    series->append(shared);
    for (QBarSet* set : {unique, shared})
        connect(set, &QBarSet::clicked, this, [this, categories](int index) {
            if (index >= 0 && index < categories.size())
                Q_EMIT repositoryActivated(categories.at(index));
        });

    if (largest.isEmpty()) {
        delete series;
        replaceChart(this, plainChart(tr("No repositories yet")));
        setAccessibleDescription(tr("No repositories."));
        return;
    }
    QChart* chart = plainChart(tr("Unique and shared bytes, largest repositories"));
    chart->addSeries(series);
    auto* names = new QBarCategoryAxis;
    names->append(categories);
    chart->addAxis(names, Qt::AlignLeft);
    series->attachAxis(names);
    QValueAxis* values = bytesAxis(scale, top);
    chart->addAxis(values, Qt::AlignBottom);
    series->attachAxis(values);
    replaceChart(this, chart);
    setAccessibleDescription(
        tr("Click a bar to open its repository. %1").arg(summary.join(QStringLiteral("; "))));
}

StorageGrowthChart::StorageGrowthChart(QWidget* parent) : QChartView(parent)
{
    prepareView(this);
    setAccessibleName(tr("Storage growth"));
    rebuild();
}

void StorageGrowthChart::setModel(StorageHistoryModel* model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &StorageGrowthChart::rebuild);
        connect(model, &QAbstractItemModel::rowsInserted, this, &StorageGrowthChart::rebuild);
    }
    rebuild();
}

void StorageGrowthChart::rebuild()
{
    QChart* chart = plainChart(tr("Storage over time"));
    const qsizetype samples = m_model ? m_model->samples().size() : 0;
    if (samples < 2) {
        const auto interval = m_model ? m_model->interval() : std::chrono::seconds(0);
        const QString why =
            interval.count() > 0
                ? tr("Not enough history yet: the server records the storage every %1 minutes.")
                      .arg(QLocale().toString(static_cast<qint64>((interval.count() + 30) / 60)))
                : tr("The server keeps no storage history (berth.storage.historyinterval is 0).");
        chart->setTitle(why);
        setAccessibleDescription(why);
    } else {
        QList<std::pair<QString, QList<QPointF>>> lines{{tr("On disk"), m_model->bytesOnDisk()}};
        for (const QString& repository : m_model->largestRepositories(grownRepositories))
            lines.append({repository, m_model->logicalBytesOf(repository)});
        qreal top = 0;
        for (const auto& line : lines)
            for (const QPointF& point : line.second)
                top = std::max(top, point.y());
        const ByteScale scale = byteScale(top);

        const QDateTime first = m_model->samples().first().time;
        const QDateTime last = m_model->samples().last().time;
        auto* time = new QDateTimeAxis;
        const qint64 span = first.secsTo(last);
        time->setFormat(span >= 2 * secondsPerDay ? QStringLiteral("MMM d")
                        : span >= 600             ? QStringLiteral("hh:mm")
                                                  : QStringLiteral("hh:mm:ss"));
        time->setRange(first.toLocalTime(), last.toLocalTime());
        time->setTickCount(5);
        QValueAxis* values = bytesAxis(scale, top);
        chart->addAxis(time, Qt::AlignBottom);
        chart->addAxis(values, Qt::AlignLeft);
        for (const auto& [name, points] : lines) {
            auto* series = new QLineSeries;
            series->setName(name);
            for (const QPointF& point : points)
                series->append(point.x(), point.y() / scale.divisor);
            chart->addSeries(series);
            series->attachAxis(time);
            series->attachAxis(values);
        }
        const app::StorageSample& latest = m_model->samples().last();
        setAccessibleDescription(tr("%1 samples from %2 to %3; %4 on disk now, %5 at the start.")
                                     .arg(QLocale().toString(samples), DisplayText::time(first),
                                          DisplayText::time(last),
                                          DisplayText::size(latest.totals.bytesOnDisk),
                                          DisplayText::size(m_model->samples().first().totals.bytesOnDisk)));
    }
    replaceChart(this, chart);
}

ReclaimChart::ReclaimChart(QWidget* parent) : QChartView(parent)
{
    prepareView(this);
    setAccessibleName(tr("What garbage collection would reclaim"));
    setTotals({});
}

void ReclaimChart::setTotals(const app::StorageTotals& totals)
{
    const qint64 inUse = std::max<qint64>(totals.bytesOnDisk - totals.unreferencedBytes, 0);
    auto* series = new QPieSeries;
    series->setPieSize(0.75);
    const auto addSlice = [series](const QString& label, qint64 bytes, const QColor& color) -> QPieSlice* {
        if (bytes <= 0)
            return nullptr;
        QPieSlice* slice =
            series->append(tr("%1: %2").arg(label, DisplayText::size(bytes)), static_cast<qreal>(bytes));
        slice->setColor(color);
        return slice;
    };
    addSlice(tr("In use"), inUse, QColor(0x5b, 0x8d, 0xd6));
    if (QPieSlice* garbage =
            addSlice(tr("Unreferenced"), totals.unreferencedBytes, QColor(0xe0, 0x8a, 0x3c))) {
        garbage->setExploded(true);
        connect(garbage, &QPieSlice::clicked, this, &ReclaimChart::collectRequested);
    }
    addSlice(tr("Unfinished uploads"), totals.uploadBytes, QColor(0xa0, 0xa0, 0xa0));

    const QString title =
        totals.unreferencedBytes > 0
            ? tr("Garbage collection would free up to %1").arg(DisplayText::size(totals.unreferencedBytes))
            : tr("Nothing for garbage collection to free");
    QChart* chart = plainChart(title);
    chart->addSeries(series);
    // The legend, not labels around the pie, so long sizes are never cut.
    chart->legend()->setAlignment(Qt::AlignRight);
    replaceChart(this, chart);
    setAccessibleDescription(tr("%1 on disk: %2 in use, %3 unreferenced, %4 in unfinished uploads. %5.")
                                 .arg(DisplayText::size(totals.bytesOnDisk), DisplayText::size(inUse),
                                      DisplayText::size(totals.unreferencedBytes),
                                      DisplayText::size(totals.uploadBytes), title));
}

} // namespace berth::ui
