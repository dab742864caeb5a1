#pragma once
// Attaches referrers for the browser's tests. Apart from BrowserFixture: RegistryFixtures.h,
// which this uses, and ImageFactory.h both name an Image, so no file includes both.

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace berth::test {

// Pushes an artifact (an OCI manifest with an empty config, created 2026-01-02T03:04:05Z)
// whose subject is the OCI image manifest `subjectManifest`, as cosign or oras attach a
// signature or an SBOM. Returns an error description, or empty.
QString pushReferrer(const QUrl& registry, const QString& repository, const QByteArray& subjectManifest,
                     const QString& artifactType, QString* referrerDigest);

} // namespace berth::test
