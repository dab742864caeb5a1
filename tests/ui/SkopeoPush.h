#pragma once
// skopeo pushes for the Storage page's tests, whose RegistryFixtures have an Image type of
// their own besides ImageFactory's: only Qt types cross this header.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace berth::test {

// An uncompressed layer tar of about `payloadBytes` of fresh random content.
QByteArray randomLayerTar(qint64 payloadBytes);

// skopeo copies an image of `layers` (tars, kept uncompressed) to each "repository:tag" of
// the plain-HTTP registry at `hostPort`; returns an error description, or empty.
QString skopeoPush(const QString& hostPort, const QList<QByteArray>& layers, const QStringList& references);

} // namespace berth::test
