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
    auto indexed = writeLink(m_driver, layout::tagIndexLink(repository, tag, digest), digest);
    if (!indexed)
        return indexed;
    return writeLink(m_driver, layout::tagCurrentLink(repository, tag), digest);
}

oci::Result<void> TagStore::untag(std::string_view repository, std::string_view tag)
{
    auto removed = m_driver.remove(layout::tagDirectory(repository, tag));
    if (!removed) {
        if (removed.error().kind == storage::ErrorKind::NotFound)
            return oci::fail(oci::ErrorCode::ManifestUnknown, "tag unknown to registry", std::string(tag));
        return unexpected(storageFailure(removed.error()));
    }
    return {};
}

oci::Result<std::vector<std::string>> TagStore::list(std::string_view repository)
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
        return std::vector<std::string>{};
    }
    std::vector<std::string> tags;
    tags.reserve(entries->size());
    for (const auto& path : *entries) {
        // A tag() cut short by a crash leaves a directory without a current link: it names
        // nothing a client could fetch, so it is not a tag.
        const auto name = lastComponent(path);
        auto current = exists(m_driver, layout::tagCurrentLink(repository, name));
        if (!current)
            return unexpected(std::move(current).error());
        if (*current)
            tags.emplace_back(name);
    }
    std::sort(tags.begin(), tags.end());
    return tags;
}

oci::Result<std::vector<std::string>> TagStore::tagsOf(std::string_view repository, const oci::Digest& digest)
{
    auto tags = list(repository);
    if (!tags)
        return tags;
    std::vector<std::string> matching;
    for (const auto& name : *tags) {
        auto target = resolve(repository, name);
        if (!target)
            return unexpected(std::move(target).error());
        if (*target && **target == digest)
            matching.push_back(name);
    }
    return matching;
}

} // namespace berth::registry
