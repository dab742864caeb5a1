#include "registry/TagStore.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

#include <array>

namespace berth::registry {

namespace {

std::string_view lastComponent(std::string_view path)
{
    return path.substr(path.rfind('/') + 1);
}

// `path` below `directory`, relative to it.
std::string relativeTo(std::string_view directory, std::string_view path)
{
    return std::string(path.substr(directory.size() + 1));
}

} // namespace

oci::Result<std::optional<oci::Digest>> TagStore::resolve(std::string_view repository, std::string_view tag)
{
    return readLink(m_driver, layout::tagCurrentLink(repository, tag));
}

oci::Result<std::optional<oci::Digest>> TagStore::current(std::string_view repository, std::string_view tag)
{
    return m_targets.resolve(repository, tag, [&] { return resolve(repository, tag); });
}

// Tells what is held in memory that a tag changed when it goes out of scope, however the
// change ended.
class TagStore::ChangeScope
{
public:
    ChangeScope(TagStore& store, std::string_view repository, std::string_view tag)
        : m_store(store), m_repository(repository), m_tag(tag)
    {
    }
    ~ChangeScope() { m_store.tagChanged(m_repository, m_tag); }
    ChangeScope(const ChangeScope&) = delete;
    ChangeScope& operator=(const ChangeScope&) = delete;

private:
    TagStore& m_store;
    std::string_view m_repository;
    std::string_view m_tag;
};

oci::Result<void> TagStore::tag(std::string_view repository, std::string_view tag, const oci::Digest& digest)
{
    const RepositoryChangeScope change(m_changes, repository);
    const ChangeScope tagChange(*this, repository, tag);
    const auto directory = layout::tagDirectory(repository, tag);
    const auto currentLink = layout::tagCurrentLink(repository, tag);
    const auto indexEntry = layout::tagIndexLink(repository, tag, digest);
    // A new tag appears whole, current link and history entry at once: a crash never leaves
    // a tag directory without a current link, so list() need not read any link.
    const std::array files{storage::NewFile{relativeTo(directory, currentLink), digest.toString()},
                           storage::NewFile{relativeTo(directory, indexEntry), digest.toString()}};
    auto created = orStorageFailure(m_driver.createDirectory(directory, files));
    if (!created)
        return unexpected(std::move(created).error());
    if (*created)
        return {};
    // The tag exists and moves. The current link goes first: should a concurrent untag()
    // remove the directory meanwhile, the history entry must not recreate it alone.
    auto moved = writeLink(m_driver, currentLink, digest);
    if (!moved)
        return moved;
    return writeLink(m_driver, indexEntry, digest);
}

oci::Result<void> TagStore::untag(std::string_view repository, std::string_view tag)
{
    const RepositoryChangeScope change(m_changes, repository);
    const ChangeScope tagChange(*this, repository, tag);
    auto removed = m_driver.remove(layout::tagDirectory(repository, tag));
    if (!removed) {
        if (removed.error().kind == storage::ErrorKind::NotFound)
            return oci::fail(oci::ErrorCode::ManifestUnknown, "tag unknown to registry", std::string(tag));
        return unexpected(storageFailure(removed.error()));
    }
    return {};
}

oci::Result<std::vector<std::string>> TagStore::tagDirectories(std::string_view repository)
{
    auto entries = m_driver.list(layout::tagsDirectory(repository));
    if (entries)
        return std::move(entries).value();
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

oci::Result<std::vector<TagStore::Target>> TagStore::targets(std::string_view repository)
{
    auto directories = tagDirectories(repository);
    if (!directories)
        return unexpected(std::move(directories).error());
    std::vector<Target> found;
    found.reserve(directories->size());
    for (const auto& path : *directories) {
        // A link that is missing or not a digest names nothing a client could fetch.
        const auto name = lastComponent(path);
        auto digest = resolve(repository, name);
        if (!digest)
            return unexpected(std::move(digest).error());
        if (*digest)
            found.push_back({std::string(name), std::move(**digest)});
    }
    return found; // in the order of the sorted listing
}

void TagStore::tagChanged(std::string_view repository, std::string_view tag)
{
    m_targets.forget(repository, tag);
    m_index.refresh(repository, tag, [&] { return exists(m_driver, layout::tagDirectory(repository, tag)); });
}

oci::Result<std::vector<std::string>> TagStore::list(std::string_view repository)
{
    auto all = page(repository, std::nullopt, {});
    if (!all)
        return unexpected(std::move(all).error());
    return std::move(all->items);
}

oci::Result<Page> TagStore::page(std::string_view repository, std::optional<std::size_t> limit,
                                 std::string_view last)
{
    return m_index.page(repository, limit, last, [&] { return readNames(repository); });
}

oci::Result<std::shared_ptr<const std::string>> TagStore::rendered(std::string_view repository,
                                                                   const TagIndex::Renderer& render)
{
    return m_index.rendered(
        repository, [&] { return readNames(repository); }, render);
}

oci::Result<std::vector<std::string>> TagStore::readNames(std::string_view repository)
{
    auto directories = tagDirectories(repository);
    if (!directories)
        return unexpected(std::move(directories).error());
    std::vector<std::string> tags;
    tags.reserve(directories->size());
    for (const auto& path : *directories)
        tags.emplace_back(lastComponent(path));
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
