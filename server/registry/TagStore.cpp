#include "registry/TagStore.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

#include <algorithm>

namespace berth::registry {

namespace {

std::string_view lastComponent(std::string_view path) { return path.substr(path.rfind('/') + 1); }

} // namespace

oci::Result<std::optional<oci::Digest>> TagStore::resolve(std::string_view repository, std::string_view tag)
{
    return readLink(m_driver, layout::tagCurrentLink(repository, tag));
}

oci::Result<void> TagStore::tag(std::string_view repository, std::string_view tag, const oci::Digest& digest)
{
    const RepositoryChangeScope change(m_changes, repository);
    auto indexed = writeLink(m_driver, layout::tagIndexLink(repository, tag, digest), digest);
    if (!indexed)
        return indexed;
    return writeLink(m_driver, layout::tagCurrentLink(repository, tag), digest);
}

oci::Result<void> TagStore::untag(std::string_view repository, std::string_view tag)
{
    const RepositoryChangeScope change(m_changes, repository);
    auto removed = m_driver.remove(layout::tagDirectory(repository, tag));
    if (!removed) {
        if (removed.error().kind == storage::ErrorKind::NotFound)
            return oci::fail(oci::ErrorCode::ManifestUnknown, "tag unknown to registry", std::string(tag));
        return unexpected(storageFailure(removed.error()));
    }
    return {};
}

oci::Result<std::vector<TagStore::Target>> TagStore::targets(std::string_view repository)
{
    auto entries = m_driver.list(layout::tagsDirectory(repository));
    if (!entries) {
        if (entries.error().kind != storage::ErrorKind::NotFound)
            return unexpected(storageFailure(entries.error()));
        // A repository whose tags were all deleted still exists (its manifests remain); one
        // never pushed, or a mere parent of nested repositories, does not.
        auto known = exists(m_driver, layout::manifestsDirectory(repository));
        if (!known)
            return unexpected(std::move(known).error());
        if (!*known)
            return oci::fail(oci::ErrorCode::NameUnknown, "repository name not known to registry",
                             std::string(repository));
        return std::vector<Target>{};
    }
    std::vector<Target> found;
    found.reserve(entries->size());
    for (const auto& path : *entries) {
        // A tag() cut short by a crash leaves a directory without a current link: it names
        // nothing a client could fetch, so it is not a tag.
        const auto name = lastComponent(path);
        auto digest = resolve(repository, name);
        if (!digest)
            return unexpected(std::move(digest).error());
        if (*digest)
            found.push_back({std::string(name), std::move(**digest)});
    }
    std::sort(found.begin(), found.end(), [](const Target& a, const Target& b) { return a.tag < b.tag; });
    return found;
}

oci::Result<std::vector<std::string>> TagStore::list(std::string_view repository)
{
    auto found = targets(repository);
    if (!found)
        return unexpected(std::move(found).error());
    std::vector<std::string> tags;
    tags.reserve(found->size());
    for (auto& target : *found)
        tags.push_back(std::move(target.tag));
    return tags;
}

oci::Result<std::vector<std::string>> TagStore::tagsOf(std::string_view repository, const oci::Digest& digest)
{
    auto found = targets(repository);
    if (!found)
        return unexpected(std::move(found).error());
    std::vector<std::string> matching;
    for (auto& target : *found) {
        if (target.digest == digest)
            matching.push_back(std::move(target.tag));
    }
    return matching;
}

} // namespace berth::registry
