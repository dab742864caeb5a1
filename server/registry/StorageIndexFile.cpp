#include "registry/StorageIndexFile.h"

#include "registry/WordReader.h"

#include <vector>

namespace berth::registry {

namespace {

constexpr std::string_view header = "berth-storage-index 1";
constexpr std::string_view footer = "end";

} // namespace

std::string encodeStorageIndex(const RepositoryUsages& usages, const BlobSizes& blobs)
{
    std::unordered_map<oci::Digest, std::size_t, DigestHash> numbers;
    numbers.reserve(blobs.size());
    std::string text(header);
    text += '\n';
    for (const auto& [digest, size] : blobs) {
        numbers.emplace(digest, numbers.size());
        text += "blob " + digest.toString() + ' ' + std::to_string(size) + '\n';
    }
    for (const auto& [name, usage] : usages) {
        for (const auto& digest : usage.blobs) {
            if (numbers.emplace(digest, numbers.size()).second)
                text += "missing " + digest.toString() + '\n';
        }
    }
    for (const auto& [name, usage] : usages) {
        const auto lastPush =
            std::chrono::duration_cast<std::chrono::milliseconds>(usage.lastPush.time_since_epoch()).count();
        text += "repository " + name + ' ' + std::to_string(usage.tags) + ' ' +
                std::to_string(usage.manifests) + ' ' + std::to_string(lastPush);
        for (const auto& digest : usage.blobs)
            text += ' ' + std::to_string(numbers.at(digest));
        text += '\n';
    }
    text += footer;
    text += '\n';
    return text;
}

std::optional<StorageIndexContent> decodeStorageIndex(std::string_view text)
{
    StorageIndexContent content;
    std::vector<oci::Digest> numbered;
    if (takeLine(text) != header)
        return std::nullopt;
    bool ended = false;
    while (!text.empty()) {
        const auto line = takeLine(text);
        if (!line || ended)
            return std::nullopt; // cut short, or something after the end
        WordReader words(*line);
        const auto kind = words.next();
        if (kind == "blob") {
            auto digest = words.digest();
            const auto size = words.number<std::uint64_t>();
            if (!digest || !size || !words.atEnd())
                return std::nullopt;
            numbered.push_back(*digest);
            content.blobs.insert_or_assign(std::move(*digest), *size);
        } else if (kind == "missing") {
            auto digest = words.digest();
            if (!digest || !words.atEnd())
                return std::nullopt;
            numbered.push_back(std::move(*digest));
        } else if (kind == "repository") {
            const auto name = words.next();
            const auto tags = words.number<std::uint64_t>();
            const auto manifests = words.number<std::uint64_t>();
            const auto lastPush = words.number<std::int64_t>();
            if (!name || !tags || !manifests || !lastPush)
                return std::nullopt;
            RepositoryUsage usage{*tags,
                                  *manifests,
                                  std::chrono::system_clock::time_point(std::chrono::milliseconds(*lastPush)),
                                  {}};
            while (!words.atEnd()) {
                const auto number = words.number<std::size_t>();
                if (!number || *number >= numbered.size())
                    return std::nullopt;
                usage.blobs.push_back(numbered[*number]);
            }
            content.usages.insert_or_assign(std::string(*name), std::move(usage));
        } else if (*line == footer) {
            ended = true;
        } else {
            return std::nullopt;
        }
    }
    if (!ended)
        return std::nullopt;
    return content;
}

} // namespace berth::registry
