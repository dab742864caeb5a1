#include "registry/DigestDirectories.h"

#include "registry/Layout.h"
#include "registry/OrderedChunks.h"
#include "registry/StorageAccess.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace berth::registry {

namespace {

// The algorithms oci::Digest::parse accepts. A directory of any other name holds nothing a
// digest could name, so the algorithm directories are looked up by name rather than listed:
// one lookup that fails (sha512 is rare) costs less than a listing.
constexpr std::array<std::string_view, 2> algorithms{"sha256", "sha512"};

std::string_view lastComponent(std::string_view path)
{
    return path.substr(path.rfind('/') + 1);
}

// The directories in `directory`; none when it is absent or a file.
oci::Result<std::vector<std::string>> subdirectories(storage::StorageDriver& driver,
                                                     std::string_view directory)
{
    auto entries = driver.list(directory);
    if (entries)
        return std::move(entries).value();
    const auto kind = entries.error().kind;
    if (kind == storage::ErrorKind::NotFound || kind == storage::ErrorKind::InvalidPath)
        return std::vector<std::string>{};
    return unexpected(storageFailure(entries.error()));
}

std::string childOf(std::string_view directory, std::string_view name)
{
    std::string path(directory);
    path += '/';
    path += name;
    return path;
}

std::optional<oci::Digest> digestOf(std::string_view algorithm, std::string_view hex)
{
    std::string text(algorithm);
    text += ':';
    text += hex;
    auto digest = oci::Digest::parse(text);
    if (!digest)
        return std::nullopt;
    return std::move(digest).value();
}

} // namespace

oci::Result<std::vector<oci::Digest>> digestDirectories(storage::StorageDriver& driver,
                                                        std::string_view directory)
{
    std::vector<oci::Digest> digests;
    for (const auto algorithm : algorithms) {
        auto hexes = subdirectories(driver, childOf(directory, algorithm));
        if (!hexes)
            return unexpected(std::move(hexes).error());
        for (const auto& hex : *hexes) {
            if (auto digest = digestOf(algorithm, lastComponent(hex)))
                digests.push_back(std::move(*digest));
        }
    }
    std::sort(digests.begin(), digests.end());
    return digests;
}

oci::Result<std::vector<oci::Digest>> blobDirectories(storage::StorageDriver& driver)
{
    std::vector<oci::Digest> digests;
    for (const auto algorithm : algorithms) {
        auto fanOut = subdirectories(driver, childOf(layout::blobsRoot(), algorithm));
        if (!fanOut)
            return unexpected(std::move(fanOut).error());
        // The fan-out directories are many and independent: listed on several threads.
        const auto blobsIn = [&](std::size_t index) -> oci::Result<std::vector<oci::Digest>> {
            auto hexes = subdirectories(driver, (*fanOut)[index]);
            if (!hexes)
                return unexpected(std::move(hexes).error());
            std::vector<oci::Digest> found;
            for (const auto& hex : *hexes) {
                // Only where the layout puts it: the fan-out directory must match the digest.
                auto digest = digestOf(algorithm, lastComponent(hex));
                if (digest && layout::blobDirectory(*digest) == hex)
                    found.push_back(std::move(*digest));
            }
            return found;
        };
        OrderedChunks<oci::Result<std::vector<oci::Digest>>> listing(fanOut->size(), storageThreads(),
                                                                     blobsIn);
        for (std::size_t index = 0; index < fanOut->size(); ++index) {
            auto found = listing.next();
            if (!found)
                return unexpected(std::move(found).error());
            std::move(found->begin(), found->end(), std::back_inserter(digests));
        }
    }
    std::sort(digests.begin(), digests.end());
    return digests;
}

} // namespace berth::registry
