#include "ui/StorageCharts.h"

#include "ui/Accessibility.h"
#include "ui/DisplayText.h"
#include "ui/ImageStorageModel.h"
#include "ui/StorageHistoryModel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QDateTimeAxis>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QLocale>
#include <QPieSeries>
#include <QPieSlice>
#include <QTextLayout>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

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

// A legend whose entries share a third of the page's width: a smaller font keeps them whole.
void useSmallerLegend(QChart* chart)
{
    QFont font = chart->legend()->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    chart->legend()->setFont(font);
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

// One bar of a stacked bar chart: its two parts in bytes, and what its tooltip says.
struct Bar
{
    QString label;
    qint64 first = 0;
    qint64 second = 0;
    QString toolTip;
};

// Category labels wider than this are shortened in the middle, so the bars keep their room.
constexpr int widestLabel = 120;

// The bars' labels as the axis shows them: shortened, and told apart when shortening made
// two alike (a category axis merges equal names into one bar).
QStringList axisLabels(const QList<Bar>& bars, const QFont& font)
{
    const QFontMetrics metrics(font);
    QStringList labels;
    for (const Bar& bar : bars) {
        QString label = metrics.elidedText(bar.label, Qt::ElideMiddle, widestLabel);
        for (int copy = 2; labels.contains(label); ++copy)
            label = metrics.elidedText(bar.label, Qt::ElideMiddle, widestLabel) + u" (%1)"_s.arg(copy);
        labels.append(label);
    }
    return labels;
}

// Horizontal stacked bars of `bars`, the first on top, each in two parts named `parts`,
// shown in `view`. `clicked(i)` hears of a click on bar i; hovering shows its tooltip.
void showStackedBars(QChartView* view, const QString& title, const std::array<QString, 2>& parts,
                     const QList<Bar>& bars, const std::function<void(int)>& clicked)
{
    qreal top = 0;
    for (const Bar& bar : bars)
        top = std::max(top, static_cast<qreal>(bar.first + bar.second));
    const ByteScale scale = byteScale(top);
    QChart* chart = plainChart(title);
    const QStringList labels = axisLabels(bars, chart->font());

    auto* series = new QHorizontalStackedBarSeries;
    QStringList categories;
    std::array<QBarSet*, 2> sets{new QBarSet(parts[0]), new QBarSet(parts[1])};
    // A horizontal chart draws its first category at the bottom: the first bar last.
    for (qsizetype i = bars.size() - 1; i >= 0; --i) {
        categories.append(labels.at(i));
        *sets[0] << static_cast<qreal>(bars.at(i).first) / scale.divisor;
        *sets[1] << static_cast<qreal>(bars.at(i).second) / scale.divisor;
    }
    const auto barOf = [count = bars.size()](int index) { return static_cast<int>(count) - 1 - index; };
    for (QBarSet* set : sets) {
        series->append(set);
        QObject::connect(set, &QBarSet::clicked, view, [clicked, barOf, count = bars.size()](int index) {
            if (clicked && index >= 0 && index < count)
                clicked(barOf(index));
        });
        QObject::connect(set, &QBarSet::hovered, view, [view, bars, barOf](bool inside, int index) {
            if (inside && index >= 0 && index < bars.size())
                QToolTip::showText(QCursor::pos(), bars.at(barOf(index)).toolTip, view);
            else
                QToolTip::hideText();
        });
    }
    chart->addSeries(series);
    auto* names = new QBarCategoryAxis;
    names->append(categories);
    chart->addAxis(names, Qt::AlignLeft);
    series->attachAxis(names);
    QValueAxis* values = bytesAxis(scale, top);
    chart->addAxis(values, Qt::AlignBottom);
    series->attachAxis(values);
    replaceChart(view, chart);
}

// Words a chart shows instead of data, as a title in lines that fit a third of the page
// (a title is one line, cut short where it is too long).
QString wrappedTitle(const QString& text, const QFont& font)
{
    constexpr qreal lineWidth = 300;
    QTextLayout layout(text, font);
    QStringList lines;
    layout.beginLayout();
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(lineWidth);
        lines.append(text.mid(line.textStart(), line.textLength()).trimmed().toHtmlEscaped());
    }
    layout.endLayout();
    return lines.join(u"<br>"_s);
}

// A chart that only says why it has nothing to show.
void showNothing(QChartView* view, const QString& why)
{
    QChart* chart = plainChart({});
    chart->setTitle(wrappedTitle(why, chart->titleFont()));
    replaceChart(view, chart);
    view->setAccessibleDescription(why);
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
    m_shown.clear();
    if (largest.isEmpty())
        return showNothing(this, tr("No repositories yet"));

    QList<Bar> bars;
    QStringList summary;
    for (const auto& repository : largest) {
        m_shown.append(repository.name);
        const QString sizes = tr("%1: %2 unique, %3 shared")
                                  .arg(repository.name, DisplayText::size(repository.uniqueBytes),
                                       DisplayText::size(repository.sharedBytes));
        bars.append({repository.name, repository.uniqueBytes, repository.sharedBytes,
                     tr("%1\nClick to open it in the browser").arg(sizes)});
        summary.append(sizes);
    }
    showStackedBars(this, tr("Unique and shared bytes, largest repositories"),
                    {tr("Unique"), tr("Shared with others")}, bars,
                    [this, shown = m_shown](int bar) { Q_EMIT repositoryActivated(shown.at(bar)); });
    setAccessibleDescription(
        tr("Click a bar to open its repository. %1").arg(summary.join(QStringLiteral("; "))));
}

LargestImagesChart::LargestImagesChart(QWidget* parent) : QChartView(parent)
{
    prepareView(this);
    setAccessibleName(tr("Largest images"));
    setImages(std::nullopt);
}

void LargestImagesChart::setImages(const std::optional<QList<app::ImageStorage>>& images, int maximumBars)
{
    m_shown.clear();
    if (!images)
        return showNothing(this, tr("This registry does not report its largest images (an older berthd?)"));
    if (images->isEmpty())
        return showNothing(this, tr("No images yet"));

    QList<Bar> bars;
    QStringList summary;
    for (const app::ImageStorage& image : images->mid(0, maximumBars)) {
        const QString label = ImageStorageModel::label(image.repository, image);
        m_shown.append(label);
        const QString sizes =
            tr("%1: %2, of which %3 only this image holds and %4 it shares")
                .arg(label, DisplayText::size(image.bytes), DisplayText::size(image.uniqueBytes),
                     DisplayText::size(image.sharedBytes()));
        bars.append({label, image.uniqueBytes, image.sharedBytes(),
                     tr("%1\nTags: %2\n%3\nClick to open it in the browser")
                         .arg(sizes, ImageStorageModel::names(image), image.digest)});
        summary.append(sizes);
    }
    showStackedBars(this, tr("Largest images"), {tr("Unique"), tr("Shared with others")}, bars,
                    [this, shown = images->mid(0, maximumBars)](int bar) {
                        Q_EMIT imageActivated(shown.at(bar).repository,
                                              ImageStorageModel::reference(shown.at(bar)));
                    });
    setAccessibleDescription(tr("Click a bar to open its image. %1").arg(summary.join(QStringLiteral("; "))));
}

LargestLayersChart::LargestLayersChart(QWidget* parent) : QChartView(parent)
{
    prepareView(this);
    setAccessibleName(tr("Largest layers"));
    setLayers(std::nullopt);
}

void LargestLayersChart::setLayers(const std::optional<QList<app::LayerStorage>>& layers, int maximumBars)
{
    m_shown.clear();
    if (!layers)
        return showNothing(this, tr("This registry does not report its largest layers (an older berthd?)"));
    if (layers->isEmpty())
        return showNothing(this, tr("No layers yet"));

    QList<Bar> bars;
    QStringList summary;
    for (const app::LayerStorage& layer : layers->mid(0, maximumBars)) {
        m_shown.append(layer.digest);
        const QString users =
            (layer.images == 1 ? tr("in 1 image")
                               : tr("in %1 images").arg(QLocale().toString(layer.images))) +
            u' ' +
            (layer.repositories == 1 ? tr("of 1 repository")
                                     : tr("of %1 repositories").arg(QLocale().toString(layer.repositories)));
        const QString sizes =
            tr("%1: %2, %3")
                .arg(DisplayText::shortDigest(layer.digest), DisplayText::size(layer.bytes), users);
        // One image: deleting it frees the layer. Several: all of them must go first.
        const bool shared = layer.images > 1;
        bars.append({tr("%1 ×%2").arg(DisplayText::shortDigest(layer.digest).section(u':', 1),
                                      QLocale().toString(layer.images)),
                     shared ? 0 : layer.bytes, shared ? layer.bytes : 0,
                     tr("%1\n%2 · %3\n%4")
                         .arg(layer.digest, DisplayText::size(layer.bytes), users,
                              DisplayText::mediaType(layer.mediaType))});
        summary.append(sizes);
    }
    showStackedBars(this, tr("Largest layers (×: images using each)"), {tr("In one image"), tr("In several")},
                    bars, {});
    setAccessibleDescription(summary.join(QStringLiteral("; ")));
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
        chart->setTitle(wrappedTitle(why, chart->titleFont()));
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
        time->setTickCount(3); // a third of the page's width has room for three times
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
        useSmallerLegend(chart); // five names share a third of the page's width
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
    // The legend, not labels around the pie, below it so long sizes are never cut.
    chart->legend()->setAlignment(Qt::AlignBottom);
    useSmallerLegend(chart);
    replaceChart(this, chart);
    setAccessibleDescription(tr("%1 on disk: %2 in use, %3 unreferenced, %4 in unfinished uploads. %5.")
                                 .arg(DisplayText::size(totals.bytesOnDisk), DisplayText::size(inUse),
                                      DisplayText::size(totals.unreferencedBytes),
                                      DisplayText::size(totals.uploadBytes), title));
}

} // namespace berth::ui
