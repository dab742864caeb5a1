#pragma once
// What berthd's admin API (/admin/v1/...) tells the console, in Qt types for models and
// views: server information, where the storage goes and how it grew, garbage collection
// and retention jobs, and retention rules. Filled by AdminClient (shapes in README.md,
// "Admin API"). Byte counts and numbers are qint64; a value the server could not tell is
// std::nullopt.

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <chrono>
#include <optional>

namespace berth::app {

// The disk under the registry's storage, and whether uploads are paused because it is
// nearly full (berth.storage.minfreespace).
struct DiskState
{
    std::optional<qint64> freeBytes;
    std::optional<qint64> totalBytes;
    qint64 minimumFreeBytes = 0; // 0: the check is off
    bool underPressure = false;  // uploads are refused until space is freed
};

struct AdminInfo
{
    QString version;
    qint64 uptimeSeconds = 0;
    QString storageDriver;
    QString config; // the effective config.yml, secrets shown as <redacted>
    DiskState disk;
};

struct StorageTotals
{
    qint64 bytesOnDisk = 0;
    qint64 blobs = 0;
    qint64 unreferencedBytes = 0; // blobs no repository reaches: what collecting garbage frees
    qint64 manifests = 0;
    qint64 tags = 0;
    qint64 repositories = 0;
    qint64 uploadSessions = 0;
    qint64 uploadBytes = 0;
};

// One repository's share of the storage. Logical bytes: every distinct blob it reaches;
// unique: those no other repository reaches (what deleting it would free); shared: the rest.
struct RepositoryStorage
{
    QString name;
    qint64 logicalBytes = 0;
    qint64 uniqueBytes = 0;
    qint64 sharedBytes = 0;
    qint64 tags = 0;
    qint64 manifests = 0;
    qint64 blobs = 0;
    QDateTime lastPush; // invalid when unknown

    friend bool operator==(const RepositoryStorage&, const RepositoryStorage&) = default;
};

// One image (a manifest) and the blobs it reaches. Bytes: all of them, itself included;
// unique: those nothing else reaches (what deleting it would free once garbage is collected).
struct ImageStorage
{
    QString repository; // empty in a repository's own list
    QString digest;
    QString mediaType;
    QStringList tags; // none for an untagged manifest
    qint64 bytes = 0;
    qint64 uniqueBytes = 0;
    QDateTime pushed; // invalid when unknown

    qint64 sharedBytes() const { return bytes - uniqueBytes; }
    friend bool operator==(const ImageStorage&, const ImageStorage&) = default;
};

// One blob (a layer, mostly) and how many images and repositories reach it.
struct LayerStorage
{
    QString digest;
    QString mediaType;
    qint64 bytes = 0;
    qint64 images = 0;
    qint64 repositories = 0;

    friend bool operator==(const LayerStorage&, const LayerStorage&) = default;
};

struct StorageReport
{
    // The server is still reading the storage to count it; progress is buildDone of
    // buildTotal, and there are no totals or repositories yet.
    bool building = false;
    qint64 buildDone = 0;
    qint64 buildTotal = 0;
    StorageTotals totals;
    QList<RepositoryStorage> repositories; // by name
    // Largest first; nullopt when the server does not count images (an older berthd).
    std::optional<QList<ImageStorage>> largestImages;
    std::optional<QList<LayerStorage>> largestLayers;
    DiskState disk;
};

// The images of one repository, largest first.
struct RepositoryImages
{
    // The server is still reading the storage to count it; there are no images yet.
    bool building = false;
    QString name;
    QList<ImageStorage> images;
};

// The storage at one moment of its history. Repositories carry only name, logical and
// unique bytes.
struct StorageSample
{
    QDateTime time;
    StorageTotals totals;
    QList<RepositoryStorage> repositories;
};

struct StorageHistory
{
    std::chrono::seconds interval{0}; // how often the server samples; 0: it does not
    QList<StorageSample> samples;     // oldest first
};

// A background job of the admin API (a garbage collection, a retention run) as last seen.
struct JobProgress
{
    enum class State
    {
        Running,
        Done,
        Failed,
        Cancelled
    };
    QString id;
    State state = State::Running;
    QString phase; // the server's name: "marking", "sweeping", "reading", "removing", "done"...
    qint64 done = 0;
    qint64 total = 0; // 0 while unknown
    QString error;    // why a failed job failed

    bool isFinished() const { return state != State::Running; }
};

struct CollectionOptions
{
    bool dryRun = false;
    bool deleteUntagged = false; // also manifests no tag reaches
    // Blobs younger than this are kept; nullopt: the server's default.
    std::optional<std::chrono::seconds> gracePeriod;
};

struct ManifestReference
{
    QString repository;
    QString digest;
};

struct CollectionResult
{
    QList<ManifestReference> manifestsDeleted;
    QStringList blobsDeleted; // digests
    qint64 bytesReclaimed = 0;
    qint64 blobsKept = 0;
    qint64 blobsInGracePeriod = 0;
    qint64 uploadsDeleted = 0;
    qint64 uploadBytesReclaimed = 0;
    qint64 uploadsInUse = 0;
};

struct CollectionJob
{
    JobProgress progress;
    CollectionOptions options;
    qint64 bytesReclaimed = 0;              // so far
    std::optional<CollectionResult> result; // once finished
};

// Which tags of which repositories a retention run removes (the server's rules document:
// README.md, "Retention"). Empty patterns and absent numbers are left out of the document.
struct RetentionRule
{
    QString repositories = QStringLiteral("**"); // a glob of repository names
    QString include;                             // a regular expression of tags; empty: every tag
    QString exclude;                             // empty: none
    std::optional<qint64> keepMostRecent;
    std::optional<qint64> keepHighestVersions;
    std::optional<qint64> keepPushedWithinDays;
    std::optional<qint64> untaggedOlderThanDays;

    bool hasKeep() const { return keepMostRecent || keepHighestVersions || keepPushedWithinDays; }
    friend bool operator==(const RetentionRule&, const RetentionRule&) = default;
};

struct RetentionRules
{
    QStringList protect; // tag globs never removed
    QList<RetentionRule> rules;

    friend bool operator==(const RetentionRules&, const RetentionRules&) = default;
};

// The rules in force and where they come from.
struct RetentionSettings
{
    enum class Source
    {
        None,   // no rules anywhere
        Config, // config.yml's berth.retention
        Data    // stored through the admin API; they win over config.yml's
    };
    RetentionRules rules;
    Source source = Source::None;
    // How often the server runs them by itself; 0: never; nullopt: the server does not say.
    std::optional<std::chrono::seconds> schedule;
    // Config: berth.retention.schedule; Data: set through the admin API, which wins.
    Source scheduleSource = Source::None;
    QDateTime nextRun; // when the next scheduled run is due; invalid when none is, or unknown
};

// What the rules decide for one tag or untagged manifest, and why.
struct RetentionDecision
{
    QString repository;
    QString tag; // empty for an untagged manifest
    QString digest;
    QDateTime pushed;        // invalid when unknown
    std::optional<int> rule; // index of the deciding rule; none for protection
    QString reason;
};

struct RetentionPreview
{
    QDateTime time;
    QList<RetentionDecision> deletions;
    QList<RetentionDecision> kept;
};

// A preview as a background job of the server; the preview once it is done.
struct RetentionPreviewJob
{
    JobProgress progress;
    std::optional<RetentionPreview> result;
};

struct RetentionRunResult
{
    qint64 planned = 0;
    QList<RetentionDecision> removed;
    QList<RetentionDecision> skipped;
};

struct RetentionJob
{
    JobProgress progress;
    QString trigger; // "api", "schedule"
    std::optional<RetentionRunResult> result;
};

} // namespace berth::app
