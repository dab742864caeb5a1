#include "registry/Layout.h"

namespace berth::registry::layout {

namespace {

// "sha256/<hex>": how a digest appears as a pair of path components.
std::string digestPath(const oci::Digest& digest)
{
    std::string path(digest.algorithmName());
    path += '/';
    path += digest.hex();
    return path;
}

std::string join(std::string_view base, std::string_view tail)
{
    std::string path(base);
    path += '/';
    path += tail;
    return path;
}

} // namespace

std::string root() { return "/docker/registry/v2"; }
std::string blobsRoot() { return root() + "/blobs"; }

std::string blobDirectory(const oci::Digest& digest)
{
    std::string path = blobsRoot();
    path += '/';
    path += digest.algorithmName();
    path += '/';
    path += std::string_view(digest.hex()).substr(0, 2);
    path += '/';
    path += digest.hex();
    return path;
}

std::string blobData(const oci::Digest& digest) { return blobDirectory(digest) + "/data"; }

std::optional<oci::Digest> digestOfBlobData(std::string_view path)
{
    // ".../<algorithm>/<xx>/<hex>/data": read the digest, then check the path is exactly its own.
    constexpr std::string_view suffix = "/data";
    if (!path.ends_with(suffix))
        return std::nullopt;
    std::string_view rest = path.substr(0, path.size() - suffix.size());
    const auto hexStart = rest.rfind('/');
    if (hexStart == std::string_view::npos)
        return std::nullopt;
    const auto hex = rest.substr(hexStart + 1);
    rest = rest.substr(0, hexStart);
    rest = rest.substr(0, rest.rfind('/')); // the two-character fan-out directory
    const auto algorithm = rest.substr(rest.rfind('/') + 1);
    auto digest = oci::Digest::parse(std::string(algorithm) + ":" + std::string(hex));
    if (!digest || blobData(*digest) != path)
        return std::nullopt;
    return std::move(digest).value();
}

std::string repositoriesRoot() { return root() + "/repositories"; }
std::string repository(std::string_view name) { return join(repositoriesRoot(), name); }

std::string layerLink(std::string_view name, const oci::Digest& digest)
{
    return join(repository(name), "_layers/" + digestPath(digest) + "/link");
}

std::string manifestsDirectory(std::string_view name) { return join(repository(name), manifestsDirName); }

std::string manifestRevisionsDirectory(std::string_view name)
{
    return manifestsDirectory(name) + "/revisions";
}

std::string manifestRevisionLink(std::string_view name, const oci::Digest& digest)
{
    return join(manifestRevisionsDirectory(name), digestPath(digest) + "/link");
}

std::string tagsDirectory(std::string_view name) { return manifestsDirectory(name) + "/tags"; }
std::string tagDirectory(std::string_view name, std::string_view tag) { return join(tagsDirectory(name), tag); }
std::string tagCurrentLink(std::string_view name, std::string_view tag)
{
    return tagDirectory(name, tag) + "/current/link";
}

std::string tagIndexLink(std::string_view name, std::string_view tag, const oci::Digest& digest)
{
    return tagDirectory(name, tag) + "/index/" + digestPath(digest) + "/link";
}

std::string uploadDirectory(std::string_view name, std::string_view uuid)
{
    return join(join(repository(name), uploadsDirName), uuid);
}

std::string uploadData(std::string_view name, std::string_view uuid) { return uploadDirectory(name, uuid) + "/data"; }
std::string uploadStartedAt(std::string_view name, std::string_view uuid)
{
    return uploadDirectory(name, uuid) + "/startedat";
}

std::string referrersDirectory(std::string_view name, const oci::Digest& subject)
{
    return join(repository(name), "_referrers/" + digestPath(subject));
}

std::string referrerLink(std::string_view name, const oci::Digest& subject, const oci::Digest& referrer)
{
    return join(referrersDirectory(name, subject), digestPath(referrer) + "/link");
}

std::string berthRoot()
{
    return "/berth";
}
std::string storageIndex()
{
    return berthRoot() + "/storage-index";
}
std::string storageHistory()
{
    return berthRoot() + "/storage-history";
}

std::string retentionRules()
{
    return berthRoot() + "/retention-rules.json";
}

} // namespace berth::registry::layout
