#include "Logger.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace berth {

std::string_view toString(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Info:
        return "info";
    case LogLevel::Warn:
        return "warn";
    case LogLevel::Error:
        return "error";
    }
    return "info";
}

std::optional<LogLevel> parseLogLevel(std::string_view text)
{
    for (auto level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error}) {
        if (text == toString(level))
            return level;
    }
    if (text == "warning")
        return LogLevel::Warn;
    return std::nullopt;
}

void appendJsonString(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    // Names, digests and most messages need no escape: one append instead of one per byte.
    const auto plain = [](char c) { return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20; };
    if (std::all_of(text.begin(), text.end(), plain)) {
        out.append(text);
        out.push_back('"');
        return;
    }
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out.push_back(hex[(c >> 4) & 0xf]);
                out.push_back(hex[c & 0xf]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

namespace {

void appendTimestamp(std::string& out)
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t seconds = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    const auto length = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                      utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                                      utc.tm_min, utc.tm_sec, static_cast<int>(millis));
    out.append(buffer, static_cast<std::size_t>(length));
}

void appendValue(std::string& out, const LogField::Value& value)
{
    if (const auto* text = std::get_if<std::string_view>(&value)) {
        appendJsonString(out, *text);
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        out += std::to_string(*integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
        char buffer[32];
        const auto length = std::snprintf(buffer, sizeof buffer, "%.3f", *real);
        out.append(buffer, static_cast<std::size_t>(length));
    } else {
        out += std::get<bool>(value) ? "true" : "false";
    }
}

} // namespace

Logger::Logger(std::FILE* sink, LogLevel minimum) : m_fd(::fileno(sink)), m_minimum(minimum)
{
    std::fflush(sink); // lines go out with write(2) from now on, after anything buffered
}

std::string Logger::formatLine(LogLevel level, std::string_view message, std::span<const LogField> fields)
{
    std::string line;
    line.reserve(160);
    line += "{\"time\":\"";
    appendTimestamp(line);
    line += "\",\"level\":";
    appendJsonString(line, toString(level));
    line += ",\"msg\":";
    appendJsonString(line, message);
    for (const auto& field : fields) {
        line.push_back(',');
        appendJsonString(line, field.key);
        line.push_back(':');
        appendValue(line, field.value);
    }
    line += "}\n";
    return line;
}

void Logger::log(LogLevel level, std::string_view message, std::span<const LogField> fields)
{
    if (!enabled(level))
        return;
    write(formatLine(level, message, fields));
}

void Logger::write(std::string_view line)
{
    // A line of up to PIPE_BUF bytes is one write(2), which the kernel keeps whole among the
    // other threads' lines, on a pipe (the console's) as in a file: those threads need not
    // wait for each other. A longer line (a long error) waits until it has the sink alone.
    std::shared_lock shortLine(m_longLine, std::defer_lock);
    std::unique_lock longLine(m_longLine, std::defer_lock);
    if (line.size() <= PIPE_BUF)
        shortLine.lock();
    else
        longLine.lock();
    while (!line.empty()) {
        const auto written = ::write(m_fd, line.data(), line.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return; // nowhere left to tell of it
        line.remove_prefix(static_cast<std::size_t>(written));
    }
}

} // namespace berth
