#pragma once
// The tags of one repository as a table: tag, digest, media type, total size, platforms
// (of an index), created time (from the image config) and the other tags on the same
// digest. Tags arrive page by page (canFetchMore/fetchMore, one beginInsertRows per page);
// the details of a row are fetched only once a view asks for them, a few requests at a
// time, and reach the view in batches. Rows on one digest share one set of details.

#include "ui/ListingModel.h"
#include "ui/RequestQueue.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <unordered_map>

namespace berth::ui {

class TagModel : public ListingModel
{
    Q_OBJECT

public:
    enum Column
    {
        Tag,
        Digest,
        MediaType,
        Size,
        Platforms,
        Created,
        SharedWith,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit TagModel(QObject* parent = nullptr);
    ~TagModel() override;

    // Reloads the model; an empty repository leaves it empty.
    void setRepository(const QString& repository);
    QString repository() const { return m_repository; }

    // Fetches every page and the details of every tag, so that tagsWithDigest() is complete
    // (before a deletion, to name every tag it concerns). resolvedChanged() reports progress.
    void resolveAll();
    // Every page is here and every row's details are loaded (or failed).
    bool isResolved() const;
    // resolveAll() was asked for and is not done yet.
    bool isResolving() const { return m_resolveAll && !isResolved(); }
    int resolvedCount() const { return m_resolvedCount; }

    int rowOfTag(const QString& tag) const { return m_rowOfTag.value(tag, -1); }
    QString tag(int row) const;
    // Empty until the row's manifest has been fetched.
    QString digest(int row) const;
    // The loaded tags whose manifest has this digest, in listing order.
    QStringList tagsWithDigest(const QString& digest) const;
    // Whether `leftRow` sorts before `rightRow` by `column`: the values the column shows,
    // compared without QVariant, so that sorting 10,000 rows stays quick. Rows whose
    // details have not arrived come first. Asks for no details.
    bool lessThan(int leftRow, int rightRow, int column) const;
    // Removes rows after their tags were deleted.
    void removeTags(const QStringList& tags);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // More rows have their details, or the listing grew.
    void resolvedChanged();

protected:
    PagedListing::PageRequest pageRequest() const override;
    void clearRows() override;
    void appendPage(const QStringList& names) override;
    QString failureMessage(const app::RegistryError& error) const override;

private:
    enum class DetailState : quint8
    {
        NotRequested,
        Queued,
        Loaded,
        Failed
    };

    // What is known about one manifest, shared by every tag on it.
    struct Summary
    {
        QString mediaType;
        bool isIndex = false;
        qint64 size = -1;
        QStringList platforms;
        QDateTime created;
        // Indexes: child manifests still to be added to `size`.
        int pendingChildren = 0;
        qint64 childrenSize = 0;
    };

    struct Row
    {
        QString tag;
        QString digest;
        QString error;
        DetailState state = DetailState::NotRequested;
        // A view asked for the details; they are queued on the next turn of the event loop.
        mutable bool wanted = false;
        // The summary of `digest` in m_summaries, once the manifest is in.
        const Summary* summary = nullptr;
    };

    // Remembers that a view wants this row's details, to queue them once it has painted.
    void requestDetails(int row) const;
    void queueWantedRows();
    void queueDetails(int row);
    void fetchManifest(const QString& tag);
    void onManifest(const QString& tag, app::RegistryResult<app::Manifest> result);
    void summarize(const app::Manifest& manifest);
    void fetchCreated(const QString& manifestDigest, const QString& configDigest);
    void fetchChild(const QString& indexDigest, const QString& childDigest);
    void summaryChanged(const QString& digest);
    void markChanged(int row);
    void flushChanges();
    QVariant displayData(const Row& row, const Summary* summary, int column) const;
    QVariant rawData(const Row& row, const Summary* summary, int column) const;
    QString sharedWithText(const Row& row) const;
    const Summary* summaryOf(const Row& row) const;

    QString m_repository;
    RequestQueue m_requests;

    QList<Row> m_rows;
    QHash<QString, int> m_rowOfTag;
    QHash<QString, QStringList> m_tagsByDigest;
    // By digest. Node-based, so that rows keep pointers to their summary: sorting 10,000 rows
    // by a detail then costs no hash lookup per comparison.
    std::unordered_map<QString, Summary> m_summaries;
    int m_resolvedCount = 0;
    bool m_resolveAll = false;

    // Tags a view asked about, queued by queueWantedRows().
    mutable QStringList m_wantedTags;
    QTimer* m_wantedTimer;
    // Rows whose cells changed since the last batch of dataChanged.
    QSet<int> m_changedRows;
    QTimer* m_changeTimer;
};

} // namespace berth::ui
