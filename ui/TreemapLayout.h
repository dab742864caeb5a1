#pragma once
// Lays out a treemap: rectangles filling `bounds` whose areas are proportional to their
// weights, kept as close to squares as the order allows (the squarified layout of Bruls,
// Huizing and van Wijk). Give the weights largest first for the squarest tiles. No widgets:
// the treemap view paints and hit-tests what this computes.

#include <QList>
#include <QRectF>

namespace berth::ui {

// One rectangle per weight, in the same order; a weight of 0 or less gets an empty rectangle.
QList<QRectF> squarifiedLayout(const QList<qreal>& weights, const QRectF& bounds);

} // namespace berth::ui
