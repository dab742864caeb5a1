#pragma once
// Reads berthd's own line-oriented files (the storage index and history): lines ending in
// '\n', and the space-separated words of a line as text, numbers or digests; each read
// returns std::nullopt when the line or word is missing or malformed.

#include "oci/Digest.h"

#include <charconv>
#include <optional>
#include <string_view>

namespace berth::registry {

// The first line of `text` without its '\n', removed from `text`; std::nullopt when the
// text ends without one (a file cut short).
inline std::optional<std::string_view> takeLine(std::string_view& text)
{
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos)
        return std::nullopt;
    const auto line = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    return line;
}

class WordReader
{
public:
    explicit WordReader(std::string_view line) : m_rest(line) {}

    std::optional<std::string_view> next()
    {
        if (m_rest.empty())
            return std::nullopt;
        const auto space = m_rest.find(' ');
        const auto word = m_rest.substr(0, space);
        m_rest = space == std::string_view::npos ? std::string_view() : m_rest.substr(space + 1);
        return word;
    }

    template <class Number> std::optional<Number> number()
    {
        const auto word = next();
        Number value{};
        if (!word)
            return std::nullopt;
        const auto [end, error] = std::from_chars(word->data(), word->data() + word->size(), value);
        if (error != std::errc{} || end != word->data() + word->size())
            return std::nullopt;
        return value;
    }

    std::optional<oci::Digest> digest()
    {
        const auto word = next();
        if (!word)
            return std::nullopt;
        auto digest = oci::Digest::parse(*word);
        if (!digest)
            return std::nullopt;
        return std::move(digest).value();
    }

    bool atEnd() const { return m_rest.empty(); }

private:
    std::string_view m_rest;
};

} // namespace berth::registry
