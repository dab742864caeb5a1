#pragma once
// Tags of a repository: names pointing at manifest digests.

#include "oci/Digest.h"
#include "registry/StorageChanges.h"
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
    // Tags currently pointing at `digest`.
    oci::Result<std::vector<std::string>> tagsOf(std::string_view repository, const oci::Digest& digest);

private:
    // Full paths of the tag directories, sorted.
    oci::Result<std::vector<std::string>> tagDirectories(std::string_view repository);

    storage::StorageDriver& m_driver;
    StorageChanges& m_changes;
};

} // namespace berth::registry
