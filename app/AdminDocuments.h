#pragma once
// Reads the JSON documents of berthd's admin API into the console's types and writes the
// ones it sends, with no I/O (shapes in README.md, "Admin API"). A failure is a short
// description of what is wrong with the document.

#include "app/AdminTypes.h"
#include "support/Expected.h"

#include <QByteArray>
#include <QCoreApplication>

namespace berth::app {

class AdminDocuments
{
    Q_DECLARE_TR_FUNCTIONS(berth::app::AdminDocuments)

public:
    template <class T> using Read = berth::Expected<T, QString>;

    static Read<AdminInfo> info(const QByteArray& body);
    static Read<StorageReport> storage(const QByteArray& body);
    static Read<StorageHistory> storageHistory(const QByteArray& body);
    static Read<RepositoryImages> repositoryImages(const QByteArray& body);
    // {"id": "..."} of a job just started.
    static Read<QString> jobId(const QByteArray& body);
    static Read<CollectionJob> collectionJob(const QByteArray& body);
    static Read<RetentionSettings> retentionSettings(const QByteArray& body);
    static Read<RetentionPreviewJob> retentionPreviewJob(const QByteArray& body);
    static Read<RetentionJob> retentionJob(const QByteArray& body);

    static QByteArray collectionOptions(const CollectionOptions& options);
    // With "schedule_seconds" when `schedule` is set.
    static QByteArray retentionRules(const RetentionRules& rules,
                                     std::optional<std::chrono::seconds> schedule = std::nullopt);
};

} // namespace berth::app
