#pragma once
// Tags of a repository: names pointing at manifest digests. Listings are answered from a
// TagIndex and manifest requests by tag from TagTargets, both told of every change made here.

#include "oci/Digest.h"
#include "registry/StorageChanges.h"
#include "registry/TagIndex.h"
#include "registry/TagTargets.h"
#include "storage/StorageDriver.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

class TagStore
{
public:
    TagStore(storage::StorageDriver& driver, StorageChanges& changes) : m_driver(driver), m_changes(changes)
    {
    }

    // The digest a tag points to; std::nullopt when the tag does not exist.
    oci::Result<std::optional<oci::Digest>> resolve(std::string_view repository, std::string_view tag);
    // The same, from memory when the tag was read lately: for serving manifests. Collections
    // and retention decide on resolve(), which reads storage.
    oci::Result<std::optional<oci::Digest>> current(std::string_view repository, std::string_view tag);
    // Points `tag` at `digest`, recording it in the tag's history as Distribution does.
    oci::Result<void> tag(std::string_view repository, std::string_view tag, const oci::Digest& digest);
    // Removes one tag. ManifestUnknown when it does not exist.
    oci::Result<void> untag(std::string_view repository, std::string_view tag);
    struct Target
    {
        std::string tag;
        oci::Digest digest;
    };
    // Every tag with the digest it points to, in lexical order of the tags: each current
    // link read once. NameUnknown when the repository does not exist.
    oci::Result<std::vector<Target>> targets(std::string_view repository);
    // Tag names in lexical order: the tag directories, since a tag appears whole (see tag()).
    // NameUnknown when the repository does not exist.
    oci::Result<std::vector<std::string>> list(std::string_view repository);
    // The tag names strictly after `last`, at most `limit`, as paginate() cuts them.
    oci::Result<Page> page(std::string_view repository, std::optional<std::size_t> limit,
                           std::string_view last);
    // Every tag name as `render` makes of them, kept until a tag changes (TagIndex::rendered).
    // NameUnknown when the repository does not exist.
    oci::Result<std::shared_ptr<const std::string>> rendered(std::string_view repository,
                                                             const TagIndex::Renderer& render);
    // Tags currently pointing at `digest`.
    oci::Result<std::vector<std::string>> tagsOf(std::string_view repository, const oci::Digest& digest);

private:
    class ChangeScope;

    // Full paths of the tag directories, sorted.
    oci::Result<std::vector<std::string>> tagDirectories(std::string_view repository);
    // Tag names read from storage, for the index.
    oci::Result<std::vector<std::string>> readNames(std::string_view repository);
    // Tells the index and the targets what storage holds of `tag` now.
    void tagChanged(std::string_view repository, std::string_view tag);

    storage::StorageDriver& m_driver;
    StorageChanges& m_changes;
    TagIndex m_index;
    TagTargets m_targets;
};

} // namespace berth::registry
