#include "oci/Names.h"

#include <algorithm>

namespace berth::oci {

namespace {

bool isLowerAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isAlnum(char c)
{
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
}

// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool isValidPathComponent(std::string_view component)
{
    std::size_t i = 0;
    const std::size_t n = component.size();
    for (;;) {
        const std::size_t alnumStart = i;
        while (i < n && isLowerAlnum(component[i]))
            ++i;
        if (i == alnumStart) // empty component, or a separator at its start or end
            return false;
        if (i == n)
            return true;

        const std::size_t separatorStart = i;
        while (i < n && !isLowerAlnum(component[i]))
            ++i;
        const auto separator = component.substr(separatorStart, i - separatorStart);
        const bool dashes = std::all_of(separator.begin(), separator.end(), [](char c) { return c == '-'; });
        if (!(separator == "." || separator == "_" || separator == "__" || dashes))
            return false;
    }
}

} // namespace

bool isValidRepositoryName(std::string_view name)
{
    if (name.empty() || name.size() > maxRepositoryNameLength)
        return false;
    for (;;) {
        const auto slash = name.find('/');
        if (!isValidPathComponent(name.substr(0, slash)))
            return false;
        if (slash == std::string_view::npos)
            return true;
        name.remove_prefix(slash + 1);
    }
}

bool isValidTag(std::string_view tag)
{
    if (tag.empty() || tag.size() > maxTagLength)
        return false;
    if (!isAlnum(tag.front()) && tag.front() != '_')
        return false;
    return std::all_of(tag.begin() + 1, tag.end(),
                       [](char c) { return isAlnum(c) || c == '_' || c == '.' || c == '-'; });
}

Result<Reference> parseReference(std::string_view text)
{
    if (text.find(':') != std::string_view::npos) {
        auto digest = Digest::parse(text);
        if (!digest)
            return Unexpected<Error>{std::move(digest).error()};
        return Reference(std::move(digest).value());
    }
    if (!isValidTag(text))
        return fail(ErrorCode::ManifestInvalid, "invalid tag " + quotedInput(text));
    return Reference(std::string(text));
}

} // namespace berth::oci
