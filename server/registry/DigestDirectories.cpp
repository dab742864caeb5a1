#include "registry/DigestDirectories.h"

#include "registry/Layout.h"
#include "registry/StorageAccess.h"

#include <algorithm>

namespace berth::registry {

namespace {

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
    auto algorithms = subdirectories(driver, directory);
    if (!algorithms)
        return unexpected(std::move(algorithms).error());
    for (const auto& algorithm : *algorithms) {
        auto hexes = subdirectories(driver, algorithm);
        if (!hexes)
            return unexpected(std::move(hexes).error());
        for (const auto& hex : *hexes) {
            if (auto digest = digestOf(lastComponent(algorithm), lastComponent(hex)))
                digests.push_back(std::move(*digest));
        }
    }
    std::sort(digests.begin(), digests.end());
    return digests;
}

oci::Result<std::vector<oci::Digest>> blobDirectories(storage::StorageDriver& driver)
{
    std::vector<oci::Digest> digests;
    auto algorithms = subdirectories(driver, layout::blobsRoot());
    if (!algorithms)
        return unexpected(std::move(algorithms).error());
    for (const auto& algorithm : *algorithms) {
        auto fanOut = subdirectories(driver, algorithm);
        if (!fanOut)
            return unexpected(std::move(fanOut).error());
        for (const auto& prefix : *fanOut) {
            auto hexes = subdirectories(driver, prefix);
            if (!hexes)
                return unexpected(std::move(hexes).error());
            for (const auto& hex : *hexes) {
                // Only where the layout puts it: the fan-out directory must match the digest.
                auto digest = digestOf(lastComponent(algorithm), lastComponent(hex));
                if (digest && layout::blobDirectory(*digest) == hex)
                    digests.push_back(std::move(*digest));
            }
        }
    }
    std::sort(digests.begin(), digests.end());
    return digests;
}

} // namespace berth::registry
