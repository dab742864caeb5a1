#include "app/AdminDocuments.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace berth::app {

namespace {

template <class T> using Read = AdminDocuments::Read<T>;

Read<QJsonObject> object(const QByteArray& body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return unexpected(AdminDocuments::tr("not JSON (%1)").arg(error.errorString()));
    if (!document.isObject())
        return unexpected(AdminDocuments::tr("not a JSON object"));
    return document.object();
}

qint64 number(const QJsonObject& object, QLatin1StringView key)
{
    return object.value(key).toInteger();
}

std::optional<qint64> optionalNumber(const QJsonObject& object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return value.toInteger();
}

QDateTime time(const QJsonValue& value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

QStringList strings(const QJsonValue& value)
{
    QStringList result;
    for (const auto& item : value.toArray())
        result.append(item.toString());
    return result;
}

DiskState disk(const QJsonObject& object)
{
    return {optionalNumber(object, "free_bytes"_L1), optionalNumber(object, "total_bytes"_L1),
            number(object, "min_free_bytes"_L1), object.value("under_pressure"_L1).toBool()};
}

StorageTotals totals(const QJsonObject& object)
{
    return {number(object, "bytes_on_disk"_L1),
            number(object, "blobs"_L1),
            number(object, "unreferenced_bytes"_L1),
            number(object, "manifests"_L1),
            number(object, "tags"_L1),
            number(object, "repositories"_L1),
            number(object, "upload_sessions"_L1),
            number(object, "upload_bytes"_L1)};
}

Read<QList<RepositoryStorage>> repositories(const QJsonValue& value)
{
    QList<RepositoryStorage> result;
    for (const auto& item : value.toArray()) {
        const QJsonObject repository = item.toObject();
        RepositoryStorage storage{
            repository.value("name"_L1).toString(), number(repository, "logical_bytes"_L1),
            number(repository, "unique_bytes"_L1),  number(repository, "shared_bytes"_L1),
            number(repository, "tags"_L1),          number(repository, "manifests"_L1),
            number(repository, "blobs"_L1),         time(repository.value("last_push"_L1))};
        if (storage.name.isEmpty())
            return unexpected(AdminDocuments::tr("a repository without a name"));
        result.append(std::move(storage));
    }
    return result;
}

Read<QList<ImageStorage>> images(const QJsonValue& value)
{
    QList<ImageStorage> result;
    for (const auto& item : value.toArray()) {
        const QJsonObject image = item.toObject();
        ImageStorage storage{image.value("repository"_L1).toString(),
                             image.value("digest"_L1).toString(),
                             image.value("media_type"_L1).toString(),
                             strings(image.value("tags"_L1)),
                             number(image, "bytes"_L1),
                             number(image, "unique_bytes"_L1),
                             time(image.value("pushed"_L1))};
        if (storage.digest.isEmpty())
            return unexpected(AdminDocuments::tr("an image without a digest"));
        result.append(std::move(storage));
    }
    return result;
}

Read<QList<LayerStorage>> layers(const QJsonValue& value)
{
    QList<LayerStorage> result;
    for (const auto& item : value.toArray()) {
        const QJsonObject layer = item.toObject();
        LayerStorage storage{layer.value("digest"_L1).toString(), layer.value("media_type"_L1).toString(),
                             number(layer, "bytes"_L1), number(layer, "images"_L1),
                             number(layer, "repositories"_L1)};
        if (storage.digest.isEmpty())
            return unexpected(AdminDocuments::tr("a layer without a digest"));
        result.append(std::move(storage));
    }
    return result;
}

Read<JobProgress> jobProgress(const QJsonObject& object)
{
    using State = JobProgress::State;
    static const QHash<QString, State> states{{u"running"_s, State::Running},
                                              {u"done"_s, State::Done},
                                              {u"failed"_s, State::Failed},
                                              {u"cancelled"_s, State::Cancelled}};
    JobProgress progress;
    progress.id = object.value("id"_L1).toString();
    if (progress.id.isEmpty())
        return unexpected(AdminDocuments::tr("a job without an id"));
    const QString state = object.value("state"_L1).toString();
    if (!states.contains(state))
        return unexpected(AdminDocuments::tr("a job in the unknown state \"%1\"").arg(state));
    progress.state = states.value(state);
    progress.phase = object.value("phase"_L1).toString();
    progress.done = number(object, "done"_L1);
    progress.total = number(object, "total"_L1);
    progress.error = object.value("error"_L1).toString();
    return progress;
}

// A job's status: its progress, then what `details` reads for its kind of job.
template <class Job, class Details> Read<Job> jobStatus(const QByteArray& body, const Details& details)
{
    const auto document = object(body);
    if (!document)
        return unexpected(document.error());
    auto progress = jobProgress(*document);
    if (!progress)
        return unexpected(progress.error());
    Job job;
    job.progress = std::move(progress).value();
    details(*document, job);
    return job;
}

CollectionResult collectionResult(const QJsonObject& result)
{
    CollectionResult collected;
    for (const auto& item : result.value("manifests_deleted"_L1).toArray()) {
        const QJsonObject manifest = item.toObject();
        collected.manifestsDeleted.append(
            {manifest.value("repository"_L1).toString(), manifest.value("digest"_L1).toString()});
    }
    collected.blobsDeleted = strings(result.value("blobs_deleted"_L1));
    collected.bytesReclaimed = number(result, "bytes_reclaimed"_L1);
    collected.blobsKept = number(result, "blobs_kept"_L1);
    collected.blobsInGracePeriod = number(result, "blobs_in_grace_period"_L1);
    collected.uploadsDeleted = number(result, "uploads_deleted"_L1);
    collected.uploadBytesReclaimed = number(result, "upload_bytes_reclaimed"_L1);
    collected.uploadsInUse = number(result, "uploads_in_use"_L1);
    return collected;
}

RetentionDecision decision(const QJsonObject& object)
{
    RetentionDecision result{object.value("repository"_L1).toString(),
                             object.value("tag"_L1).toString(),
                             object.value("digest"_L1).toString(),
                             time(object.value("pushed"_L1)),
                             std::nullopt,
                             object.value("reason"_L1).toString()};
    if (const auto rule = optionalNumber(object, "rule"_L1))
        result.rule = static_cast<int>(*rule);
    return result;
}

QList<RetentionDecision> decisions(const QJsonValue& value)
{
    QList<RetentionDecision> result;
    for (const auto& item : value.toArray())
        result.append(decision(item.toObject()));
    return result;
}

Read<RetentionRule> rule(const QJsonObject& object)
{
    RetentionRule result;
    result.repositories = object.value("repositories"_L1).toString();
    if (result.repositories.isEmpty())
        return unexpected(AdminDocuments::tr("a retention rule without repositories"));
    const QJsonObject tags = object.value("tags"_L1).toObject();
    result.include = tags.value("include"_L1).toString();
    result.exclude = tags.value("exclude"_L1).toString();
    const QJsonObject keep = object.value("keep"_L1).toObject();
    result.keepMostRecent = optionalNumber(keep, "most_recent"_L1);
    result.keepHighestVersions = optionalNumber(keep, "highest_versions"_L1);
    result.keepPushedWithinDays = optionalNumber(keep, "pushed_within_days"_L1);
    result.untaggedOlderThanDays = optionalNumber(object, "untagged_older_than_days"_L1);
    return result;
}

void insertNumber(QJsonObject& object, QLatin1StringView key, const std::optional<qint64>& value)
{
    if (value)
        object.insert(key, *value);
}

QJsonObject ruleJson(const RetentionRule& rule)
{
    QJsonObject out{{"repositories"_L1, rule.repositories}};
    QJsonObject tags;
    if (!rule.include.isEmpty())
        tags.insert("include"_L1, rule.include);
    if (!rule.exclude.isEmpty())
        tags.insert("exclude"_L1, rule.exclude);
    if (!tags.isEmpty())
        out.insert("tags"_L1, tags);
    QJsonObject keep;
    insertNumber(keep, "most_recent"_L1, rule.keepMostRecent);
    insertNumber(keep, "highest_versions"_L1, rule.keepHighestVersions);
    insertNumber(keep, "pushed_within_days"_L1, rule.keepPushedWithinDays);
    if (!keep.isEmpty())
        out.insert("keep"_L1, keep);
    insertNumber(out, "untagged_older_than_days"_L1, rule.untaggedOlderThanDays);
    return out;
}

} // namespace

Read<AdminInfo> AdminDocuments::info(const QByteArray& body)
{
    const auto document = object(body);
    if (!document)
        return unexpected(document.error());
    return AdminInfo{document->value("version"_L1).toString(), number(*document, "uptime_seconds"_L1),
                     document->value("storage_driver"_L1).toString(), document->value("config"_L1).toString(),
                     disk(document->value("disk"_L1).toObject())};
}

Read<StorageReport> AdminDocuments::storage(const QByteArray& body)
{
    const auto document = object(body);
    if (!document)
        return unexpected(document.error());
    StorageReport report;
    report.building = document->value("building"_L1).toBool();
    const QJsonObject progress = document->value("progress"_L1).toObject();
    report.buildDone = number(progress, "done"_L1);
    report.buildTotal = number(progress, "total"_L1);
    report.disk = disk(document->value("disk"_L1).toObject());
    if (report.building)
        return report;
    if (!document->value("totals"_L1).isObject())
        return unexpected(tr("storage statistics without totals"));
    report.totals = totals(document->value("totals"_L1).toObject());
    auto listed = repositories(document->value("repositories"_L1));
    if (!listed)
        return unexpected(listed.error());
    report.repositories = std::move(listed).value();
    // Only a berthd that counts images reports them; without, the console says so.
    if (document->contains("largest_images"_L1)) {
        auto largest = images(document->value("largest_images"_L1));
        if (!largest)
            return unexpected(largest.error());
        report.largestImages = std::move(largest).value();
    }
    if (document->contains("largest_layers"_L1)) {
        auto largest = layers(document->value("largest_layers"_L1));
        if (!largest)
            return unexpected(largest.error());
        report.largestLayers = std::move(largest).value();
    }
    return report;
}

Read<RepositoryImages> AdminDocuments::repositoryImages(const QByteArray& body)
{
    const auto document = object(body);
    if (!document)
        return unexpected(document.error());
    RepositoryImages result;
    result.building = document->value("building"_L1).toBool();
    result.name = document->value("name"_L1).toString();
    if (result.building)
        return result;
    if (result.name.isEmpty())
        return unexpected(tr("a repository's images without its name"));
    if (!document->value("images"_L1).isArray())
        return unexpected(tr("a repository without a list of images"));
    auto listed = images(document->value("images"_L1));
    if (!listed)
        return unexpected(listed.error());
    result.images = std::move(listed).value();
    return result;
}

Read<StorageHistory> AdminDocuments::storageHistory(const QByteArray& body)
{
    const auto document = object(body);
    if (!document)
        return unexpected(document.error());
    StorageHistory history;
    history.interval = std::chrono::seconds(number(*document, "interval_seconds"_L1));
    for (const auto& item : document->value("samples"_L1).toArray()) {
        const QJsonObject sample = item.toObject();
        const QDateTime when = time(sample.value("time"_L1));
        if (!when.isValid())
            return unexpected(tr("a storage sample without a valid time"));
        auto listed = repositories(sample.value("repositories"_L1));
        if (!listed)
            return unexpected(listed.error());
        history.samples.append(
            {when, totals(sample.value("totals"_L1).toObject()), std::move(listed).value()});
    }
    return history;
}

Read<QString> AdminDocuments::jobId(const QByteArray& body)
{
    const auto document = object(body);
    if (!document)
        return unexpected(document.error());
    const QString id = document->value("id"_L1).toString();
    if (id.isEmpty())
        return unexpected(tr("no job id"));
    return id;
}

Read<CollectionJob> AdminDocuments::collectionJob(const QByteArray& body)
{
    return jobStatus<CollectionJob>(body, [](const QJsonObject& document, CollectionJob& job) {
        job.options.dryRun = document.value("dry_run"_L1).toBool();
        job.options.deleteUntagged = document.value("delete_untagged"_L1).toBool();
        if (const auto grace = optionalNumber(document, "grace_period_seconds"_L1))
            job.options.gracePeriod = std::chrono::seconds(*grace);
        job.bytesReclaimed = number(document, "bytes_reclaimed"_L1);
        if (document.value("result"_L1).isObject())
            job.result = collectionResult(document.value("result"_L1).toObject());
    });
}

Read<RetentionSettings> AdminDocuments::retentionSettings(const QByteArray& body)
{
    using Source = RetentionSettings::Source;
    const auto document = object(body);
    if (!document)
        return unexpected(document.error());
    const auto sourceOf = [&document](QLatin1StringView key) {
        const QString source = document->value(key).toString();
        return source == "data"_L1 ? Source::Data : source == "config"_L1 ? Source::Config : Source::None;
    };
    RetentionSettings settings;
    settings.source = sourceOf("source"_L1);
    if (const auto schedule = optionalNumber(*document, "schedule_seconds"_L1))
        settings.schedule = std::chrono::seconds(*schedule);
    settings.scheduleSource = sourceOf("schedule_source"_L1);
    settings.nextRun = time(document->value("next_run"_L1));
    settings.rules.protect = strings(document->value("protect"_L1));
    for (const auto& item : document->value("rules"_L1).toArray()) {
        auto parsed = rule(item.toObject());
        if (!parsed)
            return unexpected(parsed.error());
        settings.rules.rules.append(std::move(parsed).value());
    }
    return settings;
}

Read<RetentionPreviewJob> AdminDocuments::retentionPreviewJob(const QByteArray& body)
{
    QString invalid;
    auto status = jobStatus<RetentionPreviewJob>(
        body, [&invalid](const QJsonObject& document, RetentionPreviewJob& job) {
            if (!document.contains("result"_L1))
                return;
            const QJsonObject result = document.value("result"_L1).toObject();
            if (!result.value("delete"_L1).isArray()) {
                invalid = tr("a retention preview without a list of deletions");
                return;
            }
            job.result = RetentionPreview{time(result.value("time"_L1)), decisions(result.value("delete"_L1)),
                                          decisions(result.value("keep"_L1))};
        });
    if (!invalid.isEmpty())
        return unexpected(invalid);
    return status;
}

Read<RetentionJob> AdminDocuments::retentionJob(const QByteArray& body)
{
    return jobStatus<RetentionJob>(body, [](const QJsonObject& document, RetentionJob& job) {
        job.trigger = document.value("trigger"_L1).toString();
        if (document.value("result"_L1).isObject()) {
            const QJsonObject result = document.value("result"_L1).toObject();
            job.result =
                RetentionRunResult{number(result, "planned"_L1), decisions(result.value("removed"_L1)),
                                   decisions(result.value("skipped"_L1))};
        }
    });
}

QByteArray AdminDocuments::collectionOptions(const CollectionOptions& options)
{
    QJsonObject out{{"dry_run"_L1, options.dryRun}, {"delete_untagged"_L1, options.deleteUntagged}};
    if (options.gracePeriod)
        out.insert("grace_period_seconds"_L1, static_cast<qint64>(options.gracePeriod->count()));
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

QByteArray AdminDocuments::retentionRules(const RetentionRules& rules,
                                          std::optional<std::chrono::seconds> schedule)
{
    QJsonArray list;
    for (const RetentionRule& rule : rules.rules)
        list.append(ruleJson(rule));
    QJsonObject out{{"protect"_L1, QJsonArray::fromStringList(rules.protect)}, {"rules"_L1, list}};
    if (schedule)
        out.insert("schedule_seconds"_L1, static_cast<qint64>(schedule->count()));
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

} // namespace berth::app
