#include "StoreScenario.h"

#include "registry/Layout.h"

#include <QRandomGenerator>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace berth::test {

QString digestText(const oci::Digest& digest)
{
    return QString::fromStdString(digest.toString());
}

QString label(const std::string& repository, const QString& name)
{
    return QString::fromStdString(repository) + u'@' + name;
}

const QByteArray& Scenario::content(const QString& name)
{
    auto found = m_content.find(name);
    if (found == m_content.end()) {
        const QByteArray bytes =
            name == "empty"_L1 ? "{}"_ba : randomBytes(100 + QRandomGenerator::global()->bounded(2000));
        found = m_content.emplace(name, bytes).first;
        m_names.emplace(digestOf(bytes), name);
    }
    return found->second;
}

bool Scenario::isRevision(const QString& wanted) const
{
    return std::any_of(m_revisions.begin(), m_revisions.end(), [&](const auto& revision) {
        return label(revision.first, revision.second) == wanted;
    });
}

std::uint64_t Scenario::sizeOf(const QStringList& names) const
{
    std::uint64_t total = 0;
    for (const QString& name : names) {
        if (const auto found = m_content.find(name); found != m_content.end())
            total += std::uint64_t(found->second.size());
    }
    return total;
}

QStringList Scenario::namesOf(const std::vector<oci::Digest>& digests) const
{
    QStringList names;
    for (const auto& digest : digests) {
        const auto found = m_names.find(digest);
        names.append(found != m_names.end() ? found->second : digestText(digest));
    }
    names.sort();
    return names;
}

QStringList Scenario::namesOf(const std::vector<registry::DeletedManifest>& manifests) const
{
    QStringList names;
    for (const auto& manifest : manifests) {
        const auto found = m_names.find(manifest.digest);
        names.append(
            label(manifest.repository, found != m_names.end() ? found->second : digestText(manifest.digest)));
    }
    names.sort();
    return names;
}

QString Scenario::run(const QString& step)
{
    const QStringList words = step.split(u' ', Qt::SkipEmptyParts);
    if (words.size() < 3)
        return u"malformed step: "_s + step;
    const QString& command = words.at(0);
    const std::string repository = words.at(1).toStdString();
    const QString name = words.at(2).section(u':', 0, 0);
    const QString tag = words.at(2).section(u':', 1);
    std::map<QString, QString> settings;
    for (const QString& word : words.mid(3))
        settings.emplace(word.section(u'=', 0, 0), word.section(u'=', 1));

    if (command == "upload"_L1)
        return link(repository, name);
    if (command == "push"_L1)
        return push(repository, name, tag, settings);
    if (command == "index"_L1)
        return pushIndex(repository, name, tag, settings[u"children"_s].split(u','));
    if (command == "untag"_L1) {
        if (auto untagged = m_registry.tags().untag(repository, words.at(2).toStdString()); !untagged)
            return step + u": "_s + QString::fromUtf8(describe(untagged.error()));
        m_tags.erase({repository, words.at(2)});
        return {};
    }
    if (command == "remove"_L1) {
        if (auto removed = m_registry.manifests().remove(repository, digest(name)); !removed)
            return step + u": "_s + QString::fromUtf8(describe(removed.error()));
        m_revisions.erase({repository, name});
        std::erase_if(m_tags, [&](const auto& tagged) {
            return tagged.first.first == repository && tagged.second == name;
        });
        return {};
    }
    return u"unknown step: "_s + step;
}

QString Scenario::run(const QStringList& steps)
{
    for (const QString& step : steps) {
        if (QString failed = run(step); !failed.isEmpty())
            return failed;
    }
    return {};
}

QString Scenario::link(const std::string& repository, const QString& blob)
{
    auto& repositories = m_linkedIn[blob];
    if (repositories.contains(repository))
        return {};
    // As a client does: mount what the registry has, upload the rest.
    auto linked = repositories.empty()
                      ? storeBlob(m_registry, repository, content(blob))
                      : m_registry.blobs().mount(repository, digest(blob), *repositories.begin());
    if (!linked)
        return u"storing "_s + blob + u" in "_s + QString::fromStdString(repository) + u": "_s +
               QString::fromUtf8(describe(linked.error()));
    repositories.insert(repository);
    m_stored.insert(blob);
    return {};
}

QString Scenario::push(const std::string& repository, const QString& name, const QString& tag,
                       const std::map<QString, QString>& settings)
{
    if (!m_mediaType.contains(name)) {
        const auto setting = [&](const QString& key, const QString& fallback) {
            const auto found = settings.find(key);
            return found != settings.end() ? found->second : fallback;
        };
        const QString config = setting(u"config"_s, name + u".config"_s);
        const QStringList layers = setting(u"layers"_s, name + u".layer"_s).split(u',');
        QList<Descriptor> layerDescriptors;
        for (const QString& layer : layers)
            layerDescriptors.append(Descriptor::of(media::OciLayer, content(layer)));
        std::optional<Descriptor> subject;
        QString artifactType;
        if (const QString subjectName = setting(u"subject"_s, {}); !subjectName.isEmpty()) {
            const auto type = m_mediaType.find(subjectName);
            subject = Descriptor::of(type != m_mediaType.end() ? type->second : QString(media::OciManifest),
                                     content(subjectName));
            artifactType = u"application/vnd.example.signature"_s;
            m_subject.emplace(name, subjectName);
        }
        const QByteArray manifest = imageManifestJson(
            media::OciManifest,
            Descriptor::of(config == "empty"_L1 ? media::OciEmpty : media::OciConfig, content(config)),
            layerDescriptors, subject, artifactType);
        m_content.emplace(name, manifest);
        m_names.emplace(digestOf(manifest), name);
        m_mediaType.emplace(name, media::OciManifest);
        m_blobsOf.emplace(name, QStringList{config} + layers);
    }
    for (const QString& blob : m_blobsOf[name]) {
        if (QString failed = link(repository, blob); !failed.isEmpty())
            return failed;
    }
    return putManifest(repository, name, tag);
}

QString Scenario::pushIndex(const std::string& repository, const QString& name, const QString& tag,
                            const QStringList& children)
{
    if (!m_mediaType.contains(name)) {
        QList<Descriptor> descriptors;
        for (const QString& child : children) {
            if (!m_mediaType.contains(child))
                return u"index "_s + name + u": unknown child "_s + child;
            descriptors.append(Descriptor::of(m_mediaType[child], content(child)));
        }
        const QByteArray index = indexJson(media::OciIndex, descriptors);
        m_content.emplace(name, index);
        m_names.emplace(digestOf(index), name);
        m_mediaType.emplace(name, media::OciIndex);
        m_children.emplace(name, children);
    }
    return putManifest(repository, name, tag);
}

QString Scenario::putManifest(const std::string& repository, const QString& name, const QString& tag)
{
    const oci::Reference reference =
        tag.isEmpty() ? oci::Reference(digest(name)) : oci::Reference(tag.toStdString());
    const auto pushed = m_registry.manifests().put(repository, reference, viewOf(content(name)),
                                                   m_mediaType[name].toStdString());
    if (!pushed)
        return u"putting "_s + label(repository, name) + u": "_s +
               QString::fromUtf8(describe(pushed.error()));
    m_stored.insert(name);
    m_revisions.emplace(repository, name);
    if (!tag.isEmpty())
        m_tags[{repository, tag}] = name;
    return {};
}

// What is wrong with reading `name` back from `repository` (a manifest, its blobs, its
// children, its place among the referrers of its subject); empty when nothing.
QString Scenario::readsBack(const std::string& repository, const QString& name)
{
    const QString where = label(repository, name);
    const auto stored = m_registry.manifests().get(repository, digest(name));
    if (!stored)
        return where + u": "_s + QString::fromUtf8(describe(stored.error()));
    if (QByteArray::fromStdString(stored->content) != content(name))
        return where + u": content differs"_s;
    for (const QString& blob : m_blobsOf[name]) {
        const QByteArray read = readBlob(m_registry, repository, digest(blob));
        if (read != content(blob))
            return where + u": blob "_s + blob + u": "_s +
                   (read.startsWith("unreadable") ? QString::fromUtf8(read) : u"content differs"_s);
    }
    for (const QString& child : m_children[name]) {
        const auto stat = m_registry.manifests().stat(repository, digest(child));
        if (!stat)
            return where + u": child "_s + child + u": "_s + QString::fromUtf8(describe(stat.error()));
    }
    if (const auto subject = m_subject.find(name); subject != m_subject.end()) {
        const auto referrers = m_registry.manifests().referrers(repository, digest(subject->second), "");
        if (!referrers)
            return where + u": referrers: "_s + QString::fromUtf8(describe(referrers.error()));
        if (std::none_of(referrers->begin(), referrers->end(),
                         [&](const oci::Descriptor& referrer) { return referrer.digest == digest(name); }))
            return where + u": no longer listed as a referrer of "_s + subject->second;
    }
    return {};
}

QStringList Scenario::problems(const QStringList& deletedBlobs, const QStringList& deletedManifests)
{
    QStringList found;
    const std::set<QString> goneBlobs(deletedBlobs.begin(), deletedBlobs.end());
    const std::set<QString> goneManifests(deletedManifests.begin(), deletedManifests.end());

    // The blob store holds exactly the survivors.
    std::set<QString> inStore;
    const auto walked =
        m_registry.driver().walk(registry::layout::blobsRoot(), [&](const storage::FileInfo& entry) {
            if (!entry.isDirectory) {
                const auto name = std::find_if(m_names.begin(), m_names.end(), [&](const auto& named) {
                    return registry::layout::blobData(named.first) == entry.path;
                });
                inStore.insert(name != m_names.end() ? name->second : QString::fromStdString(entry.path));
            }
            return storage::WalkAction::Continue;
        });
    if (!walked && walked.error().kind != storage::ErrorKind::NotFound)
        found.append(u"walking the blobs: "_s + QString::fromStdString(walked.error().message()));
    for (const QString& name : m_stored) {
        if (!goneBlobs.contains(name) && !inStore.contains(name))
            found.append(name + u": missing from the store"_s);
    }
    for (const QString& name : inStore) {
        if (!m_stored.contains(name) || goneBlobs.contains(name))
            found.append(name + u": still in the store"_s);
    }

    for (const auto& [repository, name] : m_revisions) {
        if (!goneManifests.contains(label(repository, name))) {
            if (QString problem = readsBack(repository, name); !problem.isEmpty())
                found.append(problem);
            continue;
        }
        if (const auto stored = m_registry.manifests().get(repository, digest(name)); stored)
            found.append(label(repository, name) + u": still served"_s);
        if (const auto subject = m_subject.find(name); subject != m_subject.end()) {
            const auto referrers = m_registry.manifests().referrers(repository, digest(subject->second), "");
            const oci::Digest manifest = digest(name);
            if (referrers &&
                std::any_of(referrers->begin(), referrers->end(),
                            [&](const oci::Descriptor& referrer) { return referrer.digest == manifest; }))
                found.append(label(repository, name) + u": still listed as a referrer"_s);
        }
    }

    for (const auto& [tagged, name] : m_tags) {
        const auto& [repository, tag] = tagged;
        const auto resolved = m_registry.manifests().stat(repository, oci::Reference(tag.toStdString()));
        const QString where = label(repository, name) + u" tagged "_s + tag;
        if (goneManifests.contains(label(repository, name))) {
            if (resolved)
                found.append(where + u": tag still resolves"_s);
        } else if (!resolved) {
            found.append(where + u": "_s + QString::fromUtf8(describe(resolved.error())));
        } else if (resolved->digest != digest(name)) {
            found.append(where + u": tag resolves to "_s + digestText(resolved->digest));
        }
    }

    for (const QString& name : goneBlobs) {
        for (const std::string& repository : m_linkedIn[name]) {
            if (m_registry.blobs().stat(repository, digest(name)))
                found.append(name + u": still served in "_s + QString::fromStdString(repository));
        }
    }
    return found;
}

} // namespace berth::test
