#include "ui/TreemapLayout.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace berth::ui {

namespace {

// The worst aspect ratio of a strip of these areas laid along a side of length `side`.
qreal worstRatio(qreal areaSum, qreal smallest, qreal largest, qreal side)
{
    if (areaSum <= 0 || side <= 0)
        return std::numeric_limits<qreal>::max();
    const qreal side2 = side * side;
    const qreal sum2 = areaSum * areaSum;
    return std::max(side2 * largest / sum2, sum2 / (side2 * smallest));
}

// Places the strip of `areas` [first, last), whose sum is `areaSum`, along the shorter side
// of `free` and returns what is left of it. The last strip fills what is left exactly,
// whatever rounding did to the sums.
QRectF placeStrip(const QList<qreal>& areas, qsizetype first, qsizetype last, qreal areaSum, QRectF free,
                  QList<QRectF>& out)
{
    const bool vertical = free.width() >= free.height(); // a column at the left
    const qreal side = vertical ? free.height() : free.width();
    const bool isLast = last == areas.size();
    const qreal thickness = isLast ? (vertical ? free.width() : free.height()) : areaSum / side;
    qreal offset = 0;
    for (qsizetype i = first; i < last; ++i) {
        const qreal length = side * areas.at(i) / areaSum;
        out[i] = vertical ? QRectF(free.left(), free.top() + offset, thickness, length)
                          : QRectF(free.left() + offset, free.top(), length, thickness);
        offset += length;
    }
    if (vertical)
        free.setLeft(free.left() + thickness);
    else
        free.setTop(free.top() + thickness);
    return free;
}

} // namespace

QList<QRectF> squarifiedLayout(const QList<qreal>& weights, const QRectF& bounds)
{
    QList<QRectF> out(weights.size(), QRectF(bounds.topLeft(), QSizeF(0, 0)));
    const qreal total =
        std::accumulate(weights.cbegin(), weights.cend(), qreal(0),
                        [](qreal sum, qreal weight) { return weight > 0 ? sum + weight : sum; });
    if (total <= 0 || bounds.isEmpty())
        return out;
    const qreal scale = bounds.width() * bounds.height() / total;
    QList<qreal> areas;
    QList<qsizetype> positions; // of the positive weights in `weights`
    for (qsizetype i = 0; i < weights.size(); ++i) {
        if (weights.at(i) > 0) {
            areas.append(weights.at(i) * scale);
            positions.append(i);
        }
    }

    QList<QRectF> placed(areas.size());
    QRectF free = bounds;
    qsizetype first = 0;
    while (first < areas.size()) {
        const qreal side = std::min(free.width(), free.height());
        qreal sum = areas.at(first);
        qreal smallest = sum;
        qreal largest = sum;
        qsizetype last = first + 1;
        // Grow the strip while that makes its worst tile squarer.
        while (last < areas.size()) {
            const qreal next = areas.at(last);
            if (worstRatio(sum + next, std::min(smallest, next), std::max(largest, next), side) >
                worstRatio(sum, smallest, largest, side))
                break;
            sum += next;
            smallest = std::min(smallest, next);
            largest = std::max(largest, next);
            ++last;
        }
        free = placeStrip(areas, first, last, sum, free, placed);
        first = last;
    }
    for (qsizetype i = 0; i < positions.size(); ++i)
        out[positions.at(i)] = placed.at(i);
    return out;
}

} // namespace berth::ui
