#pragma once
// Item data roles the browser's models share, so views sort by value and actions read
// what they need without parsing display text.

#include <QVariant>
#include <Qt>

namespace berth::ui {

enum ItemRole
{
    // The unformatted value of a cell: qint64 sizes, QDateTime times, full digests. Proxies
    // sort by it.
    RawValueRole = Qt::UserRole + 1,
    // The full digest ("sha256:...") of the row's content, whatever the column.
    DigestRole,
    // The size in bytes of the row's content, whatever the column.
    SizeRole,
    // Whether the row's details are still being fetched.
    LoadingRole,
};

// The Qt::TextAlignmentRole of sizes and counts: they line up on the right.
inline QVariant numberAlignment()
{
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
}

} // namespace berth::ui
