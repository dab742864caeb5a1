#pragma once
// The repositories tree (layout::repositoriesRoot()) read by listing directories only, one
// listing per directory and no stat per entry: every entry below the root is a directory,
// except inside the reserved ones ("_manifests", "_layers", "_uploads", ...), which are
// reported rather than entered. What the catalog, the upload purge and garbage collection
// need.

#include "oci/Error.h"
#include "storage/StorageDriver.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

// Called with the name of the repository a reserved directory belongs to ("library/ubuntu"),
// the reserved directory's name ("_uploads") and its full path; returns false to stop.
using ReservedDirectoryVisitor =
    std::function<bool(std::string_view repository, std::string_view reserved, const std::string& path)>;

// Visits every reserved directory in the tree, in lexical order of the paths; nothing when
// the tree is absent. False when the visitor stopped it.
oci::Result<bool> visitReservedDirectories(storage::StorageDriver& driver,
                                           const ReservedDirectoryVisitor& visitor);

struct ReservedDirectory
{
    std::string repository; // "library/ubuntu"
    std::string name;       // "_uploads"
    std::string path;       // its full storage path
};

// The reserved directories in the tree named one of `names`, sorted by repository, then name;
// none when the tree is absent. The directories of each level of the tree are listed on
// several threads, which is what a pass over many repositories waits for. Asking only for
// what is needed keeps the list small: at 10,000 repositories each entry kept costs MiBs.
oci::Result<std::vector<ReservedDirectory>> reservedDirectories(storage::StorageDriver& driver,
                                                                const std::vector<std::string_view>& names);

} // namespace berth::registry
