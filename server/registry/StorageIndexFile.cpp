#include "registry/StorageIndexFile.h"

#include "registry/WordReader.h"

#include <algorithm>
#include <array>
#include <vector>

namespace berth::registry {

namespace {

constexpr std::string_view header = "berth-storage-index 3";
constexpr std::string_view footer = "end";
constexpr std::string_view typePrefix = "type ";

// What media types and tags cannot hold as words of a line, and how they are written.
struct Escape
{
    char character;
    std::string_view code;
};
constexpr std::array<Escape, 3> escapes{{{'%', "%25"}, {' ', "%20"}, {'\n', "%0A"}}};

std::string escaped(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto escape = std::find_if(escapes.begin(), escapes.end(),
                                         [c](const Escape& candidate) { return candidate.character == c; });
        if (escape != escapes.end())
            out += escape->code;
        else
            out += c;
    }
    return out;
}

std::optional<std::string> unescaped(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const auto code = text.substr(i, 3);
        const auto escape = std::find_if(escapes.begin(), escapes.end(),
                                         [code](const Escape& candidate) { return candidate.code == code; });
        if (escape == escapes.end())
            return std::nullopt;
        out += escape->character;
        i += code.size() - 1;
    }
    return out;
}

std::string milliseconds(std::chrono::system_clock::time_point time)
{
    return std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

// Numbers blobs and media types in the order their lines are written.
class Numbering
{
public:
    // The number of `digest`, and whether it is new.
    std::pair<std::size_t, bool> blob(const oci::Digest& digest)
    {
        const auto [found, added] = m_blobs.emplace(digest, m_blobs.size());
        return {found->second, added};
    }
    std::pair<std::size_t, bool> type(const std::string& mediaType)
    {
        const auto [found, added] = m_types.emplace(mediaType, m_types.size());
        return {found->second, added};
    }

private:
    std::unordered_map<oci::Digest, std::size_t, DigestHash> m_blobs;
    std::unordered_map<std::string, std::size_t> m_types;
};

void appendBlobs(std::string& text, Numbering& numbering, const std::vector<oci::Digest>& digests)
{
    for (const auto& digest : digests)
        text += ' ' + std::to_string(numbering.blob(digest).first);
}

// What a line of the file refers to by number.
class Numbered
{
public:
    void addBlob(oci::Digest digest) { m_blobs.push_back(std::move(digest)); }
    void addType(std::string type) { m_types.push_back(std::move(type)); }

    std::optional<oci::Digest> blob(WordReader& words) const { return at(m_blobs, words); }
    std::optional<std::string> type(WordReader& words) const { return at(m_types, words); }
    // Every remaining word as a blob; false when one is not.
    bool blobs(WordReader& words, std::vector<oci::Digest>& into) const
    {
        while (!words.atEnd()) {
            auto digest = blob(words);
            if (!digest)
                return false;
            into.push_back(std::move(*digest));
        }
        return true;
    }

private:
    template <class T> static std::optional<T> at(const std::vector<T>& items, WordReader& words)
    {
        const auto number = words.number<std::size_t>();
        if (!number || *number >= items.size())
            return std::nullopt;
        return items[*number];
    }

    std::vector<oci::Digest> m_blobs;
    std::vector<std::string> m_types;
};

std::optional<std::chrono::system_clock::time_point> timeIn(WordReader& words)
{
    const auto count = words.number<std::int64_t>();
    if (!count)
        return std::nullopt;
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(*count));
}

std::string stampLine(const StorageStamp& stamp)
{
    return "stamp " + std::to_string(stamp.entries) + ' ' + std::to_string(stamp.hash) + ' ' +
           milliseconds(stamp.newest) + '\n';
}

std::optional<StorageStamp> stampIn(WordReader& words)
{
    const auto entries = words.number<std::uint64_t>();
    const auto hash = words.number<std::uint64_t>();
    const auto newest = timeIn(words);
    if (!entries || !hash || !newest || !words.atEnd())
        return std::nullopt;
    return StorageStamp{*entries, *hash, *newest};
}

std::optional<ImageUsage> imageIn(WordReader& words, const Numbered& numbered)
{
    auto digest = numbered.blob(words);
    auto type = numbered.type(words);
    const auto pushed = timeIn(words);
    const auto tagCount = words.number<std::size_t>();
    if (!digest || !type || !pushed || !tagCount)
        return std::nullopt;
    ImageUsage image{std::move(*digest), std::move(*type), {}, *pushed, {}};
    for (std::size_t i = 0; i < *tagCount; ++i) {
        const auto word = words.next();
        auto tag = word ? unescaped(*word) : std::nullopt;
        if (!tag)
            return std::nullopt;
        image.tags.push_back(std::move(*tag));
    }
    if (!numbered.blobs(words, image.blobs))
        return std::nullopt;
    return image;
}

} // namespace

std::string encodeStorageIndex(const RepositoryUsages& usages, const BlobSizes& blobs,
                               const StorageStamps& stamps)
{
    Numbering numbering;
    std::string text(header);
    text += '\n';
    text += stampLine(stamps.blobs);
    for (const auto& [digest, size] : blobs) {
        numbering.blob(digest);
        text += "blob " + digest.toString() + ' ' + std::to_string(size) + '\n';
    }
    const auto declareType = [&](const std::string& mediaType) {
        if (numbering.type(mediaType).second)
            text += std::string(typePrefix) + escaped(mediaType) + '\n';
    };
    const auto declareBlob = [&](const oci::Digest& digest) {
        if (numbering.blob(digest).second)
            text += "missing " + digest.toString() + '\n';
    };
    for (const auto& [name, usage] : usages) {
        std::for_each(usage.blobs.begin(), usage.blobs.end(), declareBlob);
        for (const auto& image : usage.images) {
            declareBlob(image.digest);
            std::for_each(image.blobs.begin(), image.blobs.end(), declareBlob);
            declareType(image.mediaType);
        }
        for (const auto& layer : usage.layers) {
            declareBlob(layer.digest);
            declareType(layer.mediaType);
        }
    }
    for (const auto& [name, usage] : usages) {
        text += "repository " + name + ' ' + std::to_string(usage.tags) + ' ' +
                std::to_string(usage.manifests) + ' ' + milliseconds(usage.lastPush);
        appendBlobs(text, numbering, usage.blobs);
        text += '\n';
        for (const auto& image : usage.images) {
            text += "image " + std::to_string(numbering.blob(image.digest).first) + ' ' +
                    std::to_string(numbering.type(image.mediaType).first) + ' ' + milliseconds(image.pushed) +
                    ' ' + std::to_string(image.tags.size());
            for (const auto& tag : image.tags)
                text += ' ' + escaped(tag);
            appendBlobs(text, numbering, image.blobs);
            text += '\n';
        }
        for (const auto& layer : usage.layers)
            text += "layer " + std::to_string(numbering.blob(layer.digest).first) + ' ' +
                    std::to_string(numbering.type(layer.mediaType).first) + '\n';
        if (const auto stamp = stamps.repositories.find(name); stamp != stamps.repositories.end())
            text += stampLine(stamp->second);
    }
    text += footer;
    text += '\n';
    return text;
}

std::optional<StorageIndexContent> decodeStorageIndex(std::string_view text)
{
    StorageIndexContent content;
    Numbered numbered;
    RepositoryUsage* repository = nullptr; // the one image and layer lines belong to
    if (takeLine(text) != header)
        return std::nullopt;
    const auto blobsStampLine = takeLine(text);
    WordReader blobsStamp(blobsStampLine.value_or(""));
    auto stamp = blobsStamp.next() == "stamp" ? stampIn(blobsStamp) : std::nullopt;
    if (!stamp)
        return std::nullopt;
    content.stamps.blobs = *stamp;
    std::string_view repositoryName; // of the repository line above
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
            numbered.addBlob(*digest);
            content.blobs.insert_or_assign(std::move(*digest), *size);
        } else if (kind == "missing") {
            auto digest = words.digest();
            if (!digest || !words.atEnd())
                return std::nullopt;
            numbered.addBlob(std::move(*digest));
        } else if (line->starts_with(typePrefix)) {
            auto type = unescaped(line->substr(typePrefix.size()));
            if (!type)
                return std::nullopt;
            numbered.addType(std::move(*type));
        } else if (kind == "repository") {
            const auto name = words.next();
            const auto tags = words.number<std::uint64_t>();
            const auto manifests = words.number<std::uint64_t>();
            const auto lastPush = timeIn(words);
            if (!name || !tags || !manifests || !lastPush)
                return std::nullopt;
            RepositoryUsage usage{*tags, *manifests, *lastPush, {}, {}, {}};
            if (!numbered.blobs(words, usage.blobs))
                return std::nullopt;
            repositoryName = *name;
            repository = &content.usages.insert_or_assign(std::string(*name), std::move(usage)).first->second;
        } else if (kind == "image" && repository) {
            auto image = imageIn(words, numbered);
            if (!image)
                return std::nullopt;
            repository->images.push_back(std::move(*image));
        } else if (kind == "layer" && repository) {
            auto digest = numbered.blob(words);
            auto type = numbered.type(words);
            if (!digest || !type || !words.atEnd())
                return std::nullopt;
            repository->layers.push_back({std::move(*digest), std::move(*type)});
        } else if (kind == "stamp" && repository) {
            auto repositoryStamp = stampIn(words);
            if (!repositoryStamp)
                return std::nullopt;
            content.stamps.repositories.insert_or_assign(std::string(repositoryName), *repositoryStamp);
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
