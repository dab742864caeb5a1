#include "registry/Glob.h"

#include <algorithm>

namespace berth::registry {

bool Glob::Token::matches(char c) const
{
    switch (kind) {
    case Kind::Literal:
        return c == literal;
    case Kind::AnyOne:
    case Kind::AnyRun:
        return c != '/';
    case Kind::AnyPath:
        return true;
    case Kind::Set:
        return c != '/' && std::any_of(set.begin(), set.end(), [c](const Range& range) {
                               return c >= range.first && c <= range.last;
                           }) != negated;
    }
    return false;
}

Expected<Glob, std::string> Glob::parse(std::string_view pattern)
{
    if (pattern.empty())
        return unexpected(std::string("an empty pattern matches nothing"));
    Glob glob;
    glob.m_pattern = pattern;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        Token token;
        const char c = pattern[i];
        if (c == '*') {
            const bool path = i + 1 < pattern.size() && pattern[i + 1] == '*';
            if (path)
                ++i;
            token.kind = path ? Token::Kind::AnyPath : Token::Kind::AnyRun;
        } else if (c == '?') {
            token.kind = Token::Kind::AnyOne;
        } else if (c == '\\') {
            if (++i == pattern.size())
                return unexpected(std::string("'\\' at the end escapes nothing"));
            token.literal = pattern[i];
        } else if (c == '[') {
            token.kind = Token::Kind::Set;
            auto at = i + 1;
            token.negated = at < pattern.size() && pattern[at] == '!';
            if (token.negated)
                ++at;
            // A ']' right after the opening is a member, as in the shell.
            for (bool first = true; at < pattern.size() && (first || pattern[at] != ']'); first = false) {
                const char low = pattern[at];
                if (at + 2 < pattern.size() && pattern[at + 1] == '-' && pattern[at + 2] != ']') {
                    if (pattern[at + 2] < low)
                        return unexpected("range " + std::string(pattern.substr(at, 3)) + " is backwards");
                    token.set.push_back({low, pattern[at + 2]});
                    at += 3;
                } else {
                    token.set.push_back({low, low});
                    ++at;
                }
            }
            if (at >= pattern.size())
                return unexpected("'[' at offset " + std::to_string(i) + " is never closed by ']'");
            i = at;
        } else {
            token.literal = c;
        }
        glob.m_tokens.push_back(std::move(token));
    }
    return glob;
}

bool Glob::matches(std::string_view name) const
{
    // reachable[j]: the tokens so far can match the first j characters of `name`.
    std::vector<bool> reachable(name.size() + 1, false);
    reachable[0] = true;
    for (const auto& token : m_tokens) {
        std::vector<bool> next(name.size() + 1, false);
        const bool run = token.kind == Token::Kind::AnyRun || token.kind == Token::Kind::AnyPath;
        for (std::size_t j = 0; j <= name.size(); ++j) {
            if (run) {
                // Zero characters, or one more after a position the run already reached.
                next[j] = reachable[j] || (j > 0 && next[j - 1] && token.matches(name[j - 1]));
            } else {
                next[j] = j > 0 && reachable[j - 1] && token.matches(name[j - 1]);
            }
        }
        reachable = std::move(next);
    }
    return reachable[name.size()];
}

} // namespace berth::registry
