#pragma once
// How the browser shows registry values to a person: sizes, times, digests and media
// types, formatted in the user's locale and translated.

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace berth::ui {

class DisplayText
{
    Q_DECLARE_TR_FUNCTIONS(DisplayText)

public:
    // "12.3 MB" in the user's locale; empty for a negative (unknown) size.
    static QString size(qint64 bytes);
    // Short local date and time; empty for an invalid time.
    static QString time(const QDateTime& time);
    // "sha256:0123456789ab": enough to recognise a digest, short enough for a column.
    static QString shortDigest(const QString& digest);
    // "OCI image", "Docker manifest list", "OCI layer (gzip)"...; the media type itself
    // when it has no common name.
    static QString mediaType(const QString& mediaType);
};

} // namespace berth::ui
