#pragma once
// A store built from a scenario's steps for the registry unit tests, with a name for every
// blob and manifest in it, so that what a test expects is written down, and compared, as
// names.

#include "RegistryFixtures.h"
#include "RegistryHarness.h"
#include "registry/GarbageCollector.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace berth::test {

QString digestText(const oci::Digest& digest);
QString label(const std::string& repository, const QString& name); // "repository@name"

// The steps:
//
//   upload REPO BLOB                       a blob with no manifest
//   push REPO NAME[:TAG] [config=BLOB] [layers=BLOB,...] [subject=NAME]
//                                          an OCI image manifest (config NAME.config and
//                                          layer NAME.layer unless given), by tag or by
//                                          digest; blobs stored elsewhere are mounted
//   index REPO NAME[:TAG] children=NAME,...
//   untag REPO TAG
//   remove REPO NAME                       ManifestStore::remove by digest
//
// Blob contents are random (sizes vary, so byte counts mean something); "empty" is the
// "{}" config artifacts share. A subject that was never pushed is a manifest nowhere.
class Scenario
{
public:
    explicit Scenario(registry::Registry& registry) : m_registry(registry) {}

    // Runs one step; what went wrong, or an empty string.
    QString run(const QString& step);
    // Runs steps until one fails; what went wrong, or an empty string.
    QString run(const QStringList& steps);

    bool isStored(const QString& name) const { return m_stored.contains(name); }
    bool isRevision(const QString& wanted) const; // "repository@name"
    qsizetype blobCount() const { return qsizetype(m_stored.size()); }
    std::uint64_t sizeOf(const QStringList& names) const;

    // Names of digests and deleted manifests as a report gives them, sorted; a digest
    // the scenario never stored shows as itself.
    QStringList namesOf(const std::vector<oci::Digest>& digests) const;
    QStringList namesOf(const std::vector<registry::DeletedManifest>& manifests) const;

    // Everything that disagrees with "exactly `deletedBlobs` and `deletedManifests`
    // ("repo@name") are gone": blobs left or missing in the store, manifests, tags,
    // referrers or blobs that do not read back byte for byte, deleted ones still served.
    QStringList problems(const QStringList& deletedBlobs, const QStringList& deletedManifests);

private:
    const QByteArray& content(const QString& name);
    oci::Digest digest(const QString& name) { return digestOf(content(name)); }
    QString push(const std::string& repository, const QString& name, const QString& tag,
                 const std::map<QString, QString>& settings);
    QString pushIndex(const std::string& repository, const QString& name, const QString& tag,
                      const QStringList& children);
    QString link(const std::string& repository, const QString& blob);
    QString putManifest(const std::string& repository, const QString& name, const QString& tag);
    QString readsBack(const std::string& repository, const QString& name);

    registry::Registry& m_registry;
    std::map<QString, QByteArray> m_content;
    std::map<oci::Digest, QString> m_names;
    std::set<QString> m_stored;                                // blob names in the store
    std::map<QString, std::set<std::string>> m_linkedIn;       // blob -> repositories
    std::map<QString, QString> m_mediaType;                    // manifest -> media type
    std::map<QString, QStringList> m_blobsOf;                  // image -> config and layers
    std::map<QString, QStringList> m_children;                 // index -> manifests
    std::map<QString, QString> m_subject;                      // manifest -> subject
    std::set<std::pair<std::string, QString>> m_revisions;     // (repository, manifest)
    std::map<std::pair<std::string, QString>, QString> m_tags; // (repository, tag) -> manifest
};

} // namespace berth::test
