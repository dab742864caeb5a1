#include "ui/LogLine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

namespace berth::ui {

namespace {

LogLevel parseLevel(const QString& text)
{
    if (text == u"debug")
        return LogLevel::Debug;
    if (text == u"info")
        return LogLevel::Info;
    if (text == u"warn" || text == u"warning")
        return LogLevel::Warn;
    if (text == u"error")
        return LogLevel::Error;
    return LogLevel::Unknown;
}

QString valueText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

bool hasColumn(QStringView key)
{
    return key == u"time" || key == u"level" || key == u"msg" || key == u"method" || key == u"path" ||
           key == u"status" || key == u"duration_ms" || key == u"repository";
}

LogLine textLine(const QByteArray& line, const QDateTime& receivedAt)
{
    LogLine result;
    result.time = receivedAt;
    result.message = QString::fromUtf8(line);
    result.raw = line;
    return result;
}

} // namespace

bool LogLine::contains(QStringView text) const
{
    const auto in = [text](QStringView field) { return field.contains(text, Qt::CaseInsensitive); };
    return in(message) || in(path) || in(repository) || in(method) || in(details) ||
           in(logLevelName(level)) || (status != 0 && in(QString::number(status)));
}

QString LogLine::summary() const
{
    QStringList parts{time.toLocalTime().toString(QStringLiteral("HH:mm:ss"))};
    for (const QString& part : {logLevelName(level), message, method, path})
        if (!part.isEmpty())
            parts.append(part);
    if (status != 0)
        parts.append(QString::number(status));
    if (!details.isEmpty())
        parts.append(u' ' + details);
    return parts.join(u' ');
}

LogLine parseLogLine(const QByteArray& line, const QDateTime& receivedAt)
{
    QByteArray trimmed = line;
    while (trimmed.endsWith('\n') || trimmed.endsWith('\r'))
        trimmed.chop(1);

    QJsonParseError error;
    const auto document = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return textLine(trimmed, receivedAt);

    const QJsonObject object = document.object();
    LogLine result;
    result.raw = trimmed;
    result.time = QDateTime::fromString(object.value(u"time").toString(), Qt::ISODateWithMs);
    if (!result.time.isValid())
        result.time = receivedAt;
    result.level = parseLevel(object.value(u"level").toString());
    result.message = valueText(object.value(u"msg"));
    result.method = object.value(u"method").toString();
    result.path = object.value(u"path").toString();
    result.status = object.value(u"status").toInt();
    result.durationMs = object.value(u"duration_ms").toDouble(-1);
    result.repository = object.value(u"repository").toString();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (hasColumn(it.key()))
            continue;
        if (!result.details.isEmpty())
            result.details += u"  ";
        result.details += it.key() + u'=' + valueText(it.value());
    }
    return result;
}

QString logLevelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug:
        return QStringLiteral("debug");
    case LogLevel::Info:
        return QStringLiteral("info");
    case LogLevel::Warn:
        return QStringLiteral("warn");
    case LogLevel::Error:
        return QStringLiteral("error");
    case LogLevel::Unknown:
        break;
    }
    return {};
}

} // namespace berth::ui
