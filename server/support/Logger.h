#pragma once
// Structured logging: one JSON object per line, the format the console parses.
// Fields: time, level, msg, then whatever the caller adds (request_id, method, path,
// status, bytes, duration_ms, repository, ...).

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <shared_mutex>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace berth {

enum class LogLevel { Debug, Info, Warn, Error };

std::string_view toString(LogLevel level);
std::optional<LogLevel> parseLogLevel(std::string_view text);

struct LogField
{
    using Value = std::variant<std::string_view, std::int64_t, double, bool>;

    LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
    LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
    LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    template <class Integer>
        requires std::is_integral_v<Integer> && (!std::is_same_v<Integer, bool>)
    LogField(std::string_view k, Integer v) : key(k), value(static_cast<std::int64_t>(v))
    {
    }
    LogField(std::string_view k, double v) : key(k), value(v) {}
    LogField(std::string_view k, bool v) : key(k), value(v) {}

    std::string_view key;
    Value value;
};

class Logger
{
public:
    explicit Logger(std::FILE* sink = stdout, LogLevel minimum = LogLevel::Info);

    void setMinimumLevel(LogLevel level) { m_minimum = level; }
    bool enabled(LogLevel level) const { return level >= m_minimum; }

    void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {})
    {
        log(level, message, std::span(fields.begin(), fields.size()));
    }
    // The same, with fields chosen at run time.
    void log(LogLevel level, std::string_view message, std::span<const LogField> fields);
    void debug(std::string_view message, std::initializer_list<LogField> fields = {})
    {
        log(LogLevel::Debug, message, fields);
    }
    void info(std::string_view message, std::initializer_list<LogField> fields = {})
    {
        log(LogLevel::Info, message, fields);
    }
    void warn(std::string_view message, std::initializer_list<LogField> fields = {})
    {
        log(LogLevel::Warn, message, fields);
    }
    void error(std::string_view message, std::initializer_list<LogField> fields = {})
    {
        log(LogLevel::Error, message, fields);
    }

    // Formats one line without writing it (tests check the escaping on it).
    static std::string formatLine(LogLevel level, std::string_view message,
                                  std::initializer_list<LogField> fields)
    {
        return formatLine(level, message, std::span(fields.begin(), fields.size()));
    }
    static std::string formatLine(LogLevel level, std::string_view message, std::span<const LogField> fields);

private:
    void write(std::string_view line);

    int m_fd;
    LogLevel m_minimum;
    std::shared_mutex m_longLine; // held shared by each short line, alone by each long one
};

// Appends `text` to `out` as a quoted JSON string.
void appendJsonString(std::string& out, std::string_view text);

} // namespace berth
