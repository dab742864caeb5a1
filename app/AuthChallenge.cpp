#include "app/AuthChallenge.h"

#include <optional>

namespace berth::app {

namespace {

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken68Char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("-._~+/").contains(c);
}

// A cursor over the header with the grammar's pieces: tokens, quoted strings, token68.
class ChallengeReader
{
public:
    explicit ChallengeReader(QByteArrayView text) : m_text(text) {}

    bool atEnd() const { return m_position >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text.at(m_position); }
    qsizetype position() const { return m_position; }
    // Consumes `c` if it comes next.
    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_position;
        return true;
    }
    void rewind(qsizetype position) { m_position = position; }

    // Skips spaces and tabs; says whether there were any.
    bool skipSpaces()
    {
        const qsizetype start = m_position;
        while (peek() == ' ' || peek() == '\t')
            ++m_position;
        return m_position > start;
    }

    // Skips the empty list elements and separators between challenges.
    void skipSeparators()
    {
        while (peek() == ' ' || peek() == '\t' || peek() == ',')
            ++m_position;
    }

    QString token()
    {
        const qsizetype start = m_position;
        while (!atEnd() && isTokenChar(peek()))
            ++m_position;
        return QString::fromLatin1(m_text.sliced(start, m_position - start));
    }

    std::optional<QString> quotedString()
    {
        const qsizetype start = m_position;
        if (!take('"'))
            return std::nullopt;
        QByteArray value;
        while (!atEnd()) {
            const char c = m_text.at(m_position++);
            if (c == '"')
                return QString::fromLatin1(value);
            if (c == '\\' && !atEnd())
                value.append(m_text.at(m_position++));
            else
                value.append(c);
        }
        m_position = start;
        return std::nullopt; // unterminated
    }

    // A token68 that makes up the whole rest of the challenge ("Negotiate YIIB==").
    std::optional<QString> token68()
    {
        const qsizetype start = m_position;
        while (!atEnd() && isToken68Char(peek()))
            ++m_position;
        if (m_position == start)
            return std::nullopt;
        while (peek() == '=') // padding
            ++m_position;
        const qsizetype end = m_position;
        skipSpaces();
        if (atEnd() || peek() == ',')
            return QString::fromLatin1(m_text.sliced(start, end - start));
        m_position = start;
        return std::nullopt;
    }

    // Whether a parameter (token BWS "=") starts here; does not move.
    bool atParameter()
    {
        const qsizetype start = m_position;
        const bool parameter = !token().isEmpty() && (skipSpaces(), peek() == '=');
        m_position = start;
        return parameter;
    }

private:
    QByteArrayView m_text;
    qsizetype m_position = 0;
};

// auth-param *( OWS "," OWS auth-param ), stopping before a comma that starts the next
// challenge. False when malformed.
bool readParameters(ChallengeReader& reader, QMap<QString, QString>& parameters)
{
    for (;;) {
        const QString name = reader.token().toLower();
        reader.skipSpaces();
        if (name.isEmpty() || !reader.take('='))
            return false;
        reader.skipSpaces();
        std::optional<QString> value = reader.quotedString();
        if (!value) {
            value = reader.token();
            if (value->isEmpty())
                return false;
        }
        if (parameters.contains(name))
            return false; // a parameter name must occur once
        parameters.insert(name, *value);

        reader.skipSpaces();
        if (reader.atEnd())
            return true;
        if (reader.peek() != ',')
            return false;
        const qsizetype comma = reader.position();
        reader.skipSeparators();
        if (reader.atEnd())
            return true;
        if (!reader.atParameter()) {
            reader.rewind(comma); // the next challenge
            return true;
        }
    }
}

} // namespace

QList<AuthChallenge> AuthChallenge::parse(QByteArrayView header)
{
    QList<AuthChallenge> challenges;
    ChallengeReader reader(header);
    for (;;) {
        reader.skipSeparators();
        if (reader.atEnd())
            return challenges;
        AuthChallenge challenge;
        challenge.scheme = reader.token().toLower();
        if (challenge.scheme.isEmpty())
            return {};
        const bool spaced = reader.skipSpaces();
        if (reader.atEnd() || reader.peek() == ',') {
            challenges.append(challenge);
            continue;
        }
        if (!spaced)
            return {};
        if (std::optional<QString> token68 = reader.token68())
            challenge.token68 = *token68;
        else if (!readParameters(reader, challenge.parameters))
            return {};
        challenges.append(challenge);
    }
}

} // namespace berth::app
