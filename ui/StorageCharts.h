#pragma once
// The Storage page's charts (QtCharts): unique against shared bytes of the largest
// repositories, the largest images and layers, how the storage grew, and what garbage
// collection would reclaim. Each also says in its accessible description what it shows,
// for those who cannot see it.

#include "app/AdminTypes.h"

#include <QChartView>
#include <QPointer>
#include <QStringList>
#include <optional>

namespace berth::ui {

class StorageHistoryModel;

// Horizontal stacked bars, largest repository on top: the bytes only it holds, and the
// bytes it shares with others. Clicking a bar opens its repository.
class SharedBytesChart : public QChartView
{
    Q_OBJECT

public:
    explicit SharedBytesChart(QWidget* parent = nullptr);

    // Shows the `maximumBars` largest of `repositories` by logical bytes.
    void setRepositories(const QList<app::RepositoryStorage>& repositories, int maximumBars = 10);
    // The repositories shown, largest first.
    QStringList shownRepositories() const { return m_shown; }

Q_SIGNALS:
    void repositoryActivated(const QString& name);

private:
    QStringList m_shown;
};

// Horizontal stacked bars of the largest images, largest on top, labelled repository:tag:
// the bytes only the image holds (what deleting it frees), and the bytes it shares with
// other images. Clicking a bar opens its image.
class LargestImagesChart : public QChartView
{
    Q_OBJECT

public:
    explicit LargestImagesChart(QWidget* parent = nullptr);

    // Shows the first `maximumBars` of `images` (largest first, as the server lists them);
    // nullopt: the server does not count images, and the chart says so.
    // Eight bars: more, and a third of the page has no height left for their labels.
    void setImages(const std::optional<QList<app::ImageStorage>>& images, int maximumBars = 8);
    // The labels of the images shown, largest first.
    QStringList shownImages() const { return m_shown; }

Q_SIGNALS:
    // `reference`: a tag, or the digest of an untagged image.
    void imageActivated(const QString& repository, const QString& reference);

private:
    QStringList m_shown;
};

// Horizontal bars of the largest layers, largest on top, labelled with their digest and how
// many images use each; coloured by whether one image or several share it.
class LargestLayersChart : public QChartView
{
    Q_OBJECT

public:
    explicit LargestLayersChart(QWidget* parent = nullptr);

    // As LargestImagesChart::setImages.
    void setLayers(const std::optional<QList<app::LayerStorage>>& layers, int maximumBars = 8);
    // The digests of the layers shown, largest first.
    QStringList shownLayers() const { return m_shown; }

private:
    QStringList m_shown;
};

// Lines over time: bytes on disk, and the logical bytes of the largest repositories.
class StorageGrowthChart : public QChartView
{
    Q_OBJECT

public:
    explicit StorageGrowthChart(QWidget* parent = nullptr);

    // Follows `model`'s samples; not owned.
    void setModel(StorageHistoryModel* model);

private:
    void rebuild();

    QPointer<StorageHistoryModel> m_model;
};

// A pie of the bytes on disk: in use, unreferenced (what garbage collection frees) and
// unfinished uploads. Clicking the unreferenced slice asks for a garbage collection.
class ReclaimChart : public QChartView
{
    Q_OBJECT

public:
    explicit ReclaimChart(QWidget* parent = nullptr);

    void setTotals(const app::StorageTotals& totals);

Q_SIGNALS:
    void collectRequested();
};

} // namespace berth::ui
