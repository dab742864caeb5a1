#pragma once
// A shell-style pattern that retention rules match repository names and tags with. It
// matches the whole name: '*' any run of characters but '/', '**' any run including '/'
// (so "team/**" reaches nested namespaces), '?' one character but '/', "[abc]", "[a-z]"
// and "[!a-z]" one character of a set or outside it; every other character, '\' escaping
// the next one, matches itself.

#include "support/Expected.h"

#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

class Glob
{
public:
    // Why a pattern is not a glob: empty, an unterminated '[', a backwards range, a
    // trailing '\'.
    static Expected<Glob, std::string> parse(std::string_view pattern);

    bool matches(std::string_view name) const;
    const std::string& pattern() const { return m_pattern; }

    friend bool operator==(const Glob& a, const Glob& b) { return a.m_pattern == b.m_pattern; }

private:
    struct Range
    {
        char first;
        char last;
    };
    struct Token
    {
        enum class Kind
        {
            Literal,
            AnyOne,
            AnyRun,
            AnyPath,
            Set
        };
        Kind kind = Kind::Literal;
        char literal = 0;
        std::vector<Range> set; // Set only
        bool negated = false;   // Set only

        bool matches(char c) const;
    };

    std::string m_pattern;
    std::vector<Token> m_tokens;
};

} // namespace berth::registry
