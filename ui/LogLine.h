#pragma once
// One line berthd wrote, parsed for the log view. berthd writes one JSON object per line
// (time, level, msg, then fields such as method, path, status, duration_ms, repository);
// anything else (text on stderr, a truncated line) becomes a line whose message is the text.

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringView>

namespace berth::ui {

enum class LogLevel : quint8
{
    Debug,
    Info,
    Warn,
    Error,
    Unknown, // not a JSON line: berthd did not say
};

struct LogLine
{
    QDateTime time; // UTC; when the console received it for lines without a time
    LogLevel level = LogLevel::Unknown;
    QString message; // msg; the whole text for lines that are not JSON
    QString method;
    QString path;
    int status = 0;         // 0: none
    double durationMs = -1; // negative: none
    QString repository;
    // Every other field as "key=value", two spaces apart (addr=..., error=..., bytes=...).
    QString details;
    QByteArray raw; // exactly what berthd wrote, for copying and saving

    // Whether any shown field contains `text` (case-insensitive).
    bool contains(QStringView text) const;
    // One short line for a person: local time, level, message, the request and the other
    // fields ("23:04:33 error cannot start  error=...").
    QString summary() const;
};

// `receivedAt` is used for lines that carry no time of their own.
LogLine parseLogLine(const QByteArray& line, const QDateTime& receivedAt);

// "debug", "info", "warn", "error"; empty for Unknown. berthd's own words, not translated.
QString logLevelName(LogLevel level);

} // namespace berth::ui
