// ConsoleModelBenchmark: how the console's registry browser copes with a large registry
// (issue 4, "The console"). It shows the real BrowserPage offscreen, at the main window's
// size, on a registry someone else started (scripts/benchmark.sh's "console" workload
// starts berthd on a generated storage root) and measures what a user waits for: the first
// screen of repositories and scrolling to the end of the catalog; the first screen of the
// tags of one large repository, their details, and scrolling to the end; sorting those tags
// by size, which reads every manifest. For each, the longest the UI thread was blocked;
// and the peak resident memory of the process. Every run is a process of its own; the
// parent prints the medians with the targets, or with --json every run's figures.

#include "app/RegistryClient.h"
#include "ui/BrowserPage.h"
#include "ui/ItemRoles.h"
#include "ui/RepositoryModel.h"
#include "ui/TagModel.h"
#include "ui/TagSortModel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListView>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <optional>
#include <variant>

using namespace Qt::StringLiterals;

namespace berth::bench {

namespace {

// The main window's default size.
constexpr QSize windowSize(1280, 800);
constexpr int heartbeatMs = 5;
const auto oneRunOption = u"one-run"_s;

struct Options
{
    QUrl registry;
    int repositories = 0;
    QString tagsRepository;
    int tags = 0;
    int pageSize = 0; // 0: the models' own
    int runs = 3;
    int timeoutS = 600;
    bool json = false;
};

// One figure of a run, as the report names and judges it.
struct Figure
{
    QString key;
    QString label;
    QString unit;
    std::optional<double> atMost;
};

QList<Figure> figures(const Options& options)
{
    const QLocale locale(QLocale::English);
    const QString repositories = locale.toString(options.repositories);
    const QString tags = locale.toString(options.tags);
    return {
        {u"repositories_first_screen_ms"_s, u"first screen of %1 repositories"_s.arg(repositories), u"ms"_s,
         300},
        {u"repositories_end_s"_s, u"  scrolled to the end"_s, u"s"_s, {}},
        {u"repositories_stall_ms"_s, u"  longest UI-thread stall"_s, u"ms"_s, 50},
        {u"repositories_stall_cpu_ms"_s, u"    most UI-thread CPU between two beats"_s, u"ms"_s, 50},
        {u"tags_first_screen_ms"_s, u"first screen of %1 tags"_s.arg(tags), u"ms"_s, 300},
        {u"tags_first_details_ms"_s, u"  with the details of every row on it"_s, u"ms"_s, {}},
        {u"tags_end_s"_s, u"  scrolled to the end, details on screen"_s, u"s"_s, {}},
        {u"tags_stall_ms"_s, u"  longest UI-thread stall"_s, u"ms"_s, 50},
        {u"tags_stall_cpu_ms"_s, u"    most UI-thread CPU between two beats"_s, u"ms"_s, 50},
        {u"tags_sorted_by_size_s"_s, u"  sorted by size (every manifest read)"_s, u"s"_s, {}},
        {u"tags_sorted_stall_ms"_s, u"  longest UI-thread stall"_s, u"ms"_s, 50},
        {u"tags_sorted_stall_cpu_ms"_s, u"    most UI-thread CPU between two beats"_s, u"ms"_s, 50},
        {u"peak_rss_mib"_s, u"peak resident memory of the console"_s, u"MiB"_s, 200},
    };
}

double elapsedMs(const QElapsedTimer& timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

// VmHWM: the most memory the process has held resident.
double peakResidentMiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024;
    return 0;
}

// CPU time the calling thread has used.
qint64 threadCpuNs()
{
    timespec time{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time);
    return static_cast<qint64>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

// Beats every 5 ms on the UI thread: a late beat means the event loop was busy for that
// long, or the thread waited for a core. Phases read the longest gap since they began, and
// the most CPU the thread used within one gap: on a shared, loaded machine the second says
// what the console itself held up.
class StallMonitor : public QObject
{
    Q_OBJECT

public:
    StallMonitor()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(heartbeatMs);
        connect(&m_timer, &QTimer::timeout, this, &StallMonitor::onBeat);
        m_clock.start();
        m_timer.start();
        reset();
    }

    void reset()
    {
        m_lastBeatNs = m_clock.nsecsElapsed();
        m_lastBeatCpuNs = threadCpuNs();
        m_longestGapNs = 0;
        m_longestGapCpuNs = 0;
    }

    // The longest the loop was busy since reset(), the gap still open included.
    double longestStallMs() const
    {
        const qint64 gap = std::max(m_longestGapNs, m_clock.nsecsElapsed() - m_lastBeatNs);
        return std::max(0.0, static_cast<double>(gap) / 1e6 - heartbeatMs);
    }

    // The most CPU time the UI thread used between two beats since reset().
    double longestStallCpuMs() const
    {
        return static_cast<double>(std::max(m_longestGapCpuNs, threadCpuNs() - m_lastBeatCpuNs)) / 1e6;
    }

Q_SIGNALS:
    void beat();

private:
    void onBeat()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        m_longestGapNs = std::max(m_longestGapNs, now - m_lastBeatNs);
        m_longestGapCpuNs = std::max(m_longestGapCpuNs, cpu - m_lastBeatCpuNs);
        m_lastBeatNs = now;
        m_lastBeatCpuNs = cpu;
        Q_EMIT beat();
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastBeatNs = 0;
    qint64 m_lastBeatCpuNs = 0;
    qint64 m_longestGapNs = 0;
    qint64 m_longestGapCpuNs = 0;
};

// Names on stderr every event that kept the UI thread longer than a threshold
// (BERTH_BENCH_TRACE_MS): what to profile when a stall figure is too high.
class TracingApplication : public QApplication
{
public:
    using QApplication::QApplication;

    bool notify(QObject* receiver, QEvent* event) override
    {
        static const int thresholdMs = qEnvironmentVariableIntValue("BERTH_BENCH_TRACE_MS");
        if (thresholdMs <= 0 || m_depth > 0)
            return QApplication::notify(receiver, event);
        const QString what =
            QString::fromLatin1(receiver->metaObject()->className()) + u" ("_s +
            (receiver->parent() ? QString::fromLatin1(receiver->parent()->metaObject()->className())
                                : QString()) +
            u") event "_s + QString::number(event->type());
        QElapsedTimer timer;
        timer.start();
        ++m_depth;
        const bool handled = QApplication::notify(receiver, event);
        --m_depth;
        if (timer.elapsed() >= thresholdMs)
            std::fprintf(stderr, "slow event: %lld ms in %s\n", static_cast<long long>(timer.elapsed()),
                         qPrintable(what));
        return handled;
    }

private:
    int m_depth = 0;
};

// The height of one row of a list or table view.
int rowHeight(const QAbstractItemView& view)
{
    if (const auto* table = qobject_cast<const QTableView*>(&view))
        return table->verticalHeader()->defaultSectionSize();
    return view.model()->rowCount() > 0 ? std::max(1, view.sizeHintForRow(0)) : 0;
}

// One run: the page on the registry, driven as a user would, phase by phase.
class Run
{
public:
    explicit Run(const Options& options)
        : m_options(options), m_client(options.registry, &m_network), m_timeoutMs(options.timeoutS * 1000)
    {
        m_page.resize(windowSize);
        m_page.show();
        m_repositoryView = findView<QListView>([](const QAbstractItemModel* model) {
            const auto* proxy = qobject_cast<const QSortFilterProxyModel*>(model);
            return proxy && qobject_cast<const ui::RepositoryModel*>(proxy->sourceModel());
        });
        m_tagView = findView<QTableView>(
            [](const QAbstractItemModel* model) { return qobject_cast<const ui::TagSortModel*>(model); });
        if (!m_repositoryView || !m_tagView)
            return;
        m_repositories = qobject_cast<ui::RepositoryModel*>(
            qobject_cast<QSortFilterProxyModel*>(m_repositoryView->model())->sourceModel());
        m_tags = qobject_cast<ui::TagModel*>(
            qobject_cast<QSortFilterProxyModel*>(m_tagView->model())->sourceModel());
        if (options.pageSize > 0) {
            m_repositories->setPageSize(options.pageSize);
            m_tags->setPageSize(options.pageSize);
        }
    }

    // The figures, or an error message.
    std::variant<QJsonObject, QString> measure()
    {
        if (!m_repositories || !m_tags)
            return u"the browser page has no repository list or tag table"_s;
        if (QString error = measureRepositories(); !error.isEmpty())
            return error;
        if (QString error = measureTags(); !error.isEmpty())
            return error;
        if (QString error = measureSortBySize(); !error.isEmpty())
            return error;
        m_figures.insert(u"peak_rss_mib"_s, peakResidentMiB());
        return m_figures;
    }

private:
    template <class View> View* findView(const std::function<bool(const QAbstractItemModel*)>& shows)
    {
        const QList<View*> views = m_page.findChildren<View*>();
        const auto found = std::find_if(views.cbegin(), views.cend(),
                                        [&shows](const View* view) { return shows(view->model()); });
        return found == views.cend() ? nullptr : *found;
    }

    // Runs the event loop until `done` holds, checked on every beat and every change of the
    // view's rows; false after the timeout.
    bool waitFor(const QAbstractItemView& view, const std::function<bool()>& done)
    {
        if (done())
            return true;
        QEventLoop loop;
        const auto check = [&loop, &done] {
            if (done())
                loop.exit(0);
        };
        const QAbstractItemModel* model = view.model();
        QObject::connect(&m_monitor, &StallMonitor::beat, &loop, check);
        QObject::connect(model, &QAbstractItemModel::rowsInserted, &loop, check);
        QObject::connect(model, &QAbstractItemModel::layoutChanged, &loop, check);
        QTimer::singleShot(m_timeoutMs, &loop, [&loop] { loop.exit(1); });
        return loop.exec() == 0;
    }

    // The view has rows down to the bottom of its viewport (or every row there is), and
    // has painted them.
    bool paintScreen(QAbstractItemView& view, bool complete)
    {
        const int height = rowHeight(view);
        const int rows = view.model()->rowCount();
        if (!complete && (height == 0 || rows * height < view.viewport()->height()))
            return false;
        view.viewport()->repaint();
        return true;
    }

    // The rows the viewport shows.
    static std::pair<int, int> visibleRows(const QAbstractItemView& view)
    {
        const QModelIndex top = view.indexAt(QPoint(1, 1));
        const QModelIndex bottom = view.indexAt(QPoint(1, view.viewport()->height() - 2));
        const int last = bottom.isValid() ? bottom.row() : view.model()->rowCount() - 1;
        return {top.isValid() ? top.row() : 0, last};
    }

    // Every row on screen has its details.
    bool detailsOnScreen(const QAbstractItemView& view) const
    {
        const auto [first, last] = visibleRows(view);
        const QAbstractItemModel* model = view.model();
        for (int row = first; row <= last; ++row)
            if (model->index(row, ui::TagModel::Digest).data(ui::LoadingRole).toBool())
                return false;
        return true;
    }

    // Scrolls to the bottom, again after every page, until the listing is complete.
    bool scrollToEnd(QAbstractItemView& view, const ui::ListingModel& listing)
    {
        for (;;) {
            view.scrollToBottom();
            if (listing.isComplete())
                break;
            const int rows = view.model()->rowCount();
            if (!waitFor(view, [&] { return listing.isComplete() || view.model()->rowCount() > rows; }))
                return false;
        }
        view.scrollToBottom();
        view.viewport()->repaint();
        return true;
    }

    QString measureRepositories()
    {
        m_monitor.reset();
        QElapsedTimer timer;
        timer.start();
        m_page.setRegistry(&m_client);
        if (!waitFor(*m_repositoryView,
                     [this] { return paintScreen(*m_repositoryView, m_repositories->isComplete()); }))
            return u"no first screen of repositories"_s;
        m_figures.insert(u"repositories_first_screen_ms"_s, elapsedMs(timer));
        if (!scrollToEnd(*m_repositoryView, *m_repositories))
            return u"the repositories did not all arrive"_s;
        m_figures.insert(u"repositories_end_s"_s, elapsedMs(timer) / 1000);
        m_figures.insert(u"repositories_stall_ms"_s, m_monitor.longestStallMs());
        m_figures.insert(u"repositories_stall_cpu_ms"_s, m_monitor.longestStallCpuMs());
        if (m_repositories->rowCount() != m_options.repositories)
            return u"%1 repositories listed, expected %2"_s.arg(m_repositories->rowCount())
                .arg(m_options.repositories);
        return {};
    }

    QString measureTags()
    {
        m_monitor.reset();
        QElapsedTimer timer;
        timer.start();
        m_page.openRepository(m_options.tagsRepository);
        if (!waitFor(*m_tagView, [this] { return paintScreen(*m_tagView, m_tags->isComplete()); }))
            return u"no first screen of tags"_s;
        m_figures.insert(u"tags_first_screen_ms"_s, elapsedMs(timer));
        if (!waitFor(*m_tagView, [this] { return detailsOnScreen(*m_tagView); }))
            return u"the details of the first screen of tags did not arrive"_s;
        m_tagView->viewport()->repaint();
        m_figures.insert(u"tags_first_details_ms"_s, elapsedMs(timer));
        if (!scrollToEnd(*m_tagView, *m_tags) ||
            !waitFor(*m_tagView, [this] { return detailsOnScreen(*m_tagView); }))
            return u"the tags or the details of the last screen did not all arrive"_s;
        m_tagView->viewport()->repaint();
        m_figures.insert(u"tags_end_s"_s, elapsedMs(timer) / 1000);
        m_figures.insert(u"tags_stall_ms"_s, m_monitor.longestStallMs());
        m_figures.insert(u"tags_stall_cpu_ms"_s, m_monitor.longestStallCpuMs());
        if (m_tags->rowCount() != m_options.tags)
            return u"%1 tags listed, expected %2"_s.arg(m_tags->rowCount()).arg(m_options.tags);
        return {};
    }

    // A click on the Size header: the browser reads every manifest to sort by it.
    QString measureSortBySize()
    {
        m_monitor.reset();
        QElapsedTimer timer;
        timer.start();
        m_tagView->sortByColumn(ui::TagModel::Size, Qt::DescendingOrder);
        if (!waitFor(*m_tagView, [this] { return m_tags->isResolved(); }))
            return u"the tags' manifests were not all read (%1 of %2)"_s.arg(m_tags->resolvedCount())
                .arg(m_tags->rowCount());
        m_tagView->viewport()->repaint();
        m_figures.insert(u"tags_sorted_by_size_s"_s, elapsedMs(timer) / 1000);
        m_figures.insert(u"tags_sorted_stall_ms"_s, m_monitor.longestStallMs());
        m_figures.insert(u"tags_sorted_stall_cpu_ms"_s, m_monitor.longestStallCpuMs());
        return {};
    }

    const Options& m_options;
    QNetworkAccessManager m_network;
    app::RegistryClient m_client;
    ui::BrowserPage m_page;
    StallMonitor m_monitor;
    QListView* m_repositoryView = nullptr;
    QTableView* m_tagView = nullptr;
    ui::RepositoryModel* m_repositories = nullptr;
    ui::TagModel* m_tags = nullptr;
    int m_timeoutMs;
    QJsonObject m_figures;
};

int runOnce(const Options& options)
{
    Run run(options);
    const auto result = run.measure();
    if (const auto* error = std::get_if<QString>(&result)) {
        std::fprintf(stderr, "ConsoleModelBenchmark: %s\n", qPrintable(*error));
        return 1;
    }
    std::fputs(QJsonDocument(std::get<QJsonObject>(result)).toJson(QJsonDocument::Compact).constData(),
               stdout);
    return 0;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 ? values.at(middle) : (values.at(middle - 1) + values.at(middle)) / 2;
}

QString number(double value)
{
    return QLocale(QLocale::English).toString(value, 'f', value >= 100 ? 0 : value >= 10 ? 1 : 2);
}

// One Markdown table row, padded by characters rather than bytes ("≤" is three).
void printRow(const QString& figure, const QString& unit, const QString& median, const QString& target,
              const QString& met)
{
    const QString row = u"| "_s + figure.leftJustified(45) + u" | "_s + unit.leftJustified(4) + u" | "_s +
                        median.rightJustified(8) + u" | "_s + target.leftJustified(10) + u" | "_s +
                        met.leftJustified(3) + u" |"_s;
    std::puts(qPrintable(row));
}

void printTable(const Options& options, const QList<QJsonObject>& runs)
{
    std::printf("Console browser on %s: medians of %lld run(s)\n\n", qPrintable(options.registry.toString()),
                static_cast<long long>(runs.size()));
    printRow(u"figure"_s, u"unit"_s, u"median"_s, u"target"_s, u"met"_s);
    std::puts("|-----------------------------------------------|------|---------:|------------|-----|");
    for (const Figure& figure : figures(options)) {
        QList<double> values;
        for (const QJsonObject& run : runs)
            values.append(run.value(figure.key).toDouble());
        const double value = median(values);
        const QString target = figure.atMost ? u"≤ %1 %2"_s.arg(*figure.atMost).arg(figure.unit) : u"—"_s;
        const QString met = figure.atMost ? (value <= *figure.atMost ? u"yes"_s : u"NO"_s) : u"—"_s;
        printRow(figure.label, figure.unit, number(value), target, met);
    }
}

// Runs each measurement in a fresh process, so that each peak memory is its own.
int runAll(const Options& options, const QStringList& arguments)
{
    QList<QJsonObject> runs;
    for (int run = 0; run < options.runs; ++run) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), arguments.mid(1) << u"--"_s + oneRunOption);
        const int timeoutMs = options.timeoutS * 4 * 1000;
        if (!child.waitForFinished(timeoutMs) || child.exitStatus() != QProcess::NormalExit ||
            child.exitCode() != 0) {
            child.kill();
            child.waitForFinished();
            std::fprintf(stderr, "ConsoleModelBenchmark: run %d failed\n", run + 1);
            return 1;
        }
        runs.append(QJsonDocument::fromJson(child.readAllStandardOutput()).object());
        std::fprintf(stderr, "ConsoleModelBenchmark: run %d: %s\n", run + 1,
                     QJsonDocument(runs.last()).toJson(QJsonDocument::Compact).constData());
    }
    if (options.json) {
        QJsonArray array;
        for (const QJsonObject& run : std::as_const(runs))
            array.append(run);
        std::puts(QJsonDocument(QJsonObject{{u"runs"_s, array}}).toJson(QJsonDocument::Compact).constData());
    } else {
        printTable(options, runs);
    }
    return 0;
}

std::optional<Options> parseOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Measures the console's registry browser on a large registry (README, \"Benchmark\")."_s);
    parser.addHelpOption();
    const QCommandLineOption registry(u"registry"_s, u"The registry's base URL."_s, u"url"_s);
    const QCommandLineOption repositories(u"repositories"_s, u"How many repositories it lists."_s,
                                          u"count"_s);
    const QCommandLineOption tagsRepository(u"tags-repository"_s, u"The repository with many tags."_s,
                                            u"name"_s);
    const QCommandLineOption tags(u"tags"_s, u"How many tags that repository has."_s, u"count"_s);
    const QCommandLineOption pageSize(u"page-size"_s, u"Listing page size (default: the console's)."_s,
                                      u"count"_s, u"0"_s);
    const QCommandLineOption runs(u"runs"_s, u"Runs, each in its own process (default 3)."_s, u"count"_s,
                                  u"3"_s);
    const QCommandLineOption timeout(u"timeout"_s, u"Seconds each phase may take (default 600)."_s,
                                     u"seconds"_s, u"600"_s);
    const QCommandLineOption json(u"json"_s, u"Print every run's figures as JSON instead of the table."_s);
    const QCommandLineOption one(oneRunOption, u"Measure once, in this process, and print JSON."_s);
    parser.addOptions({registry, repositories, tagsRepository, tags, pageSize, runs, timeout, json, one});
    parser.process(arguments);

    Options options;
    options.registry = QUrl(parser.value(registry));
    options.repositories = parser.value(repositories).toInt();
    options.tagsRepository = parser.value(tagsRepository);
    options.tags = parser.value(tags).toInt();
    options.pageSize = parser.value(pageSize).toInt();
    options.runs = parser.value(runs).toInt();
    options.timeoutS = parser.value(timeout).toInt();
    options.json = parser.isSet(json);
    if (!options.registry.isValid() || options.registry.isRelative() || options.repositories <= 0 ||
        options.tagsRepository.isEmpty() || options.tags <= 0 || options.runs <= 0 || options.timeoutS <= 0) {
        std::fprintf(stderr, "%s\n", qPrintable(parser.helpText()));
        return std::nullopt;
    }
    return options;
}

} // namespace

} // namespace berth::bench

int main(int argc, char* argv[])
{
    using namespace berth::bench;
    // The parent only starts runs and reads their figures: it needs no widgets.
    const bool child = std::any_of(argv + 1, argv + argc, [](const char* argument) {
        return QLatin1StringView(argument) == u"--"_s + oneRunOption;
    });
    if (!child) {
        QCoreApplication application(argc, argv);
        const auto options = parseOptions(QCoreApplication::arguments());
        return options ? runAll(*options, QCoreApplication::arguments()) : 2;
    }
    // What a user sees, without a display: the widgets paint into memory.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    TracingApplication application(argc, argv);
    const auto options = parseOptions(QCoreApplication::arguments());
    return options ? runOnce(*options) : 2;
}

#include "ConsoleModelBenchmark.moc"
