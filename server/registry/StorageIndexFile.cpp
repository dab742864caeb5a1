#include "registry/StorageIndexFile.h"

#include "registry/WordReader.h"

#include <algorithm>
#include <array>
#include <vector>

namespace berth::registry {

namespace {

constexpr std::string_view header = "berth-storage-index 4";
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

void appendNumbers(std::string& text, const std::vector<BlobNumber>& numbers)
{
    for (const auto number : numbers) {
        text += ' ';
        text += std::to_string(number);
    }
}

// A number of the table's, read from `words`.
std::optional<BlobNumber> blobIn(WordReader& words, const BlobTable& table)
{
    const auto number = words.number<BlobNumber>();
    return number && *number < table.count() ? number : std::nullopt;
}

std::optional<TypeNumber> typeIn(WordReader& words, const BlobTable& table)
{
    const auto number = words.number<TypeNumber>();
    return number && *number < table.typeCount() ? number : std::nullopt;
}

// Every remaining word as a blob's number; false when one is not.
bool blobsIn(WordReader& words, const BlobTable& table, std::vector<BlobNumber>& into)
{
    while (!words.atEnd()) {
        const auto number = blobIn(words, table);
        if (!number)
            return false;
        into.push_back(*number);
    }
    return true;
}

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

std::optional<ImageUsage> imageIn(WordReader& words, const BlobTable& table)
{
    const auto digest = blobIn(words, table);
    const auto type = typeIn(words, table);
    const auto pushed = timeIn(words);
    const auto tagCount = words.number<std::size_t>();
    if (!digest || !type || !pushed || !tagCount)
        return std::nullopt;
    ImageUsage image{*digest, *type, {}, *pushed, {}};
    for (std::size_t i = 0; i < *tagCount; ++i) {
        const auto word = words.next();
        auto tag = word ? unescaped(*word) : std::nullopt;
        if (!tag)
            return std::nullopt;
        image.tags.push_back(std::move(*tag));
    }
    if (!blobsIn(words, table, image.blobs))
        return std::nullopt;
    return image;
}

// Numbers `digest` in `table`; false when it was numbered already (a line repeated).
bool numberedAnew(BlobTable& table, const oci::Digest& digest)
{
    const auto before = table.count();
    table.number(digest);
    return table.count() > before;
}

} // namespace

std::string encodeStorageIndex(const StorageUsage& usage, const StorageStamps& stamps)
{
    const auto& table = usage.blobs;
    std::string text(header);
    text += '\n';
    text += stampLine(stamps.blobs);
    // In number order, so that the file numbers them as the table does.
    for (BlobNumber number = 0; number < table.count(); ++number) {
        const auto size = table.size(number);
        text += (size ? "blob " : "missing ") + table.digest(number).toString();
        text += size ? ' ' + std::to_string(*size) + '\n' : "\n";
    }
    for (TypeNumber number = 0; number < table.typeCount(); ++number)
        text += std::string(typePrefix) + escaped(table.typeName(number)) + '\n';
    for (const auto& [name, repository] : usage.repositories) {
        text += "repository " + name + ' ' + std::to_string(repository.tags) + ' ' +
                std::to_string(repository.manifests) + ' ' + milliseconds(repository.lastPush);
        appendNumbers(text, repository.blobs);
        text += '\n';
        for (const auto& image : repository.images) {
            text += "image " + std::to_string(image.digest) + ' ' + std::to_string(image.mediaType) + ' ' +
                    milliseconds(image.pushed) + ' ' + std::to_string(image.tags.size());
            for (const auto& tag : image.tags)
                text += ' ' + escaped(tag);
            appendNumbers(text, image.blobs);
            text += '\n';
        }
        for (const auto& layer : repository.layers)
            text += "layer " + std::to_string(layer.digest) + ' ' + std::to_string(layer.mediaType) + '\n';
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
    auto& table = content.usage.blobs;
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
            const auto digest = words.digest();
            const auto size = words.number<std::uint64_t>();
            if (!digest || !size || !words.atEnd() || !numberedAnew(table, *digest))
                return std::nullopt;
            table.setSize(BlobNumber(table.count() - 1), *size);
        } else if (kind == "missing") {
            const auto digest = words.digest();
            if (!digest || !words.atEnd() || !numberedAnew(table, *digest))
                return std::nullopt;
        } else if (line->starts_with(typePrefix)) {
            const auto type = unescaped(line->substr(typePrefix.size()));
            const auto before = table.typeCount();
            if (!type || table.type(*type) != before)
                return std::nullopt; // unreadable, or repeated
        } else if (kind == "repository") {
            const auto name = words.next();
            const auto tags = words.number<std::uint64_t>();
            const auto manifests = words.number<std::uint64_t>();
            const auto lastPush = timeIn(words);
            if (!name || !tags || !manifests || !lastPush)
                return std::nullopt;
            RepositoryUsage usage{*tags, *manifests, *lastPush, {}, {}, {}};
            if (!blobsIn(words, table, usage.blobs))
                return std::nullopt;
            repositoryName = *name;
            repository = &content.usage.repositories.insert_or_assign(std::string(*name), std::move(usage))
                              .first->second;
        } else if (kind == "image" && repository) {
            auto image = imageIn(words, table);
            if (!image)
                return std::nullopt;
            repository->images.push_back(std::move(*image));
        } else if (kind == "layer" && repository) {
            const auto digest = blobIn(words, table);
            const auto type = typeIn(words, table);
            if (!digest || !type || !words.atEnd())
                return std::nullopt;
            repository->layers.push_back({*digest, *type});
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
