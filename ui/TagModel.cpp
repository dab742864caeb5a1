#include "ui/TagModel.h"

#include "app/RegistryClient.h"
#include "oci/MediaType.h"
#include "ui/DisplayText.h"
#include "ui/ItemRoles.h"

#include <QLocale>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace berth::ui {

namespace {

// dataChanged goes out at most this often, so that thousands of answers do not make a
// sorted view re-sort thousands of times.
constexpr int changeBatchIntervalMs = 100;
// Past this many runs of changed rows, one dataChanged covers them all.
constexpr qsizetype maxChangedRuns = 32;
// Tags named in the "Also tagged" column before "and N more".
constexpr qsizetype sharedTagsShown = 5;

QLatin1StringView latin1(std::string_view text)
{
    return QLatin1StringView(text.data(), static_cast<qsizetype>(text.size()));
}

// Only image configs say when an image was created; artifacts have configs of their own.
bool isImageConfig(const QString& mediaType)
{
    return mediaType == latin1(oci::media::ociConfig) || mediaType == latin1(oci::media::dockerConfig);
}

} // namespace

TagModel::TagModel(QObject* parent)
    : ListingModel(parent), m_wantedTimer(new QTimer(this)), m_changeTimer(new QTimer(this))
{
    m_wantedTimer->setSingleShot(true);
    m_wantedTimer->setInterval(0);
    connect(m_wantedTimer, &QTimer::timeout, this, &TagModel::queueWantedRows);
    m_changeTimer->setSingleShot(true);
    m_changeTimer->setInterval(changeBatchIntervalMs);
    connect(m_changeTimer, &QTimer::timeout, this, &TagModel::flushChanges);
    connect(&listing(), &PagedListing::completed, this, &TagModel::resolvedChanged);
}

TagModel::~TagModel() = default;

void TagModel::setRepository(const QString& repository)
{
    m_repository = repository;
    reload();
}

PagedListing::PageRequest TagModel::pageRequest() const
{
    if (m_repository.isEmpty())
        return {};
    return [client = QPointer(registry()),
            repository = m_repository](const QString& last, int pageSize, QObject* context,
                                       app::RegistryClient::Callback<app::ListingPage> done) {
        if (client)
            client->listTags(repository, last, pageSize, context, std::move(done));
    };
}

QString TagModel::failureMessage(const app::RegistryError& error) const
{
    return tr("Cannot list the tags of %1: %2").arg(m_repository, error.message);
}

void TagModel::clearRows()
{
    m_requests.clear();
    m_wantedTimer->stop();
    m_wantedTags.clear();
    m_changeTimer->stop();
    m_changedRows.clear();
    m_rows.clear();
    m_rowOfTag.clear();
    m_tagsByDigest.clear();
    m_summaries.clear();
    m_resolvedCount = 0;
    m_resolveAll = false;
}

void TagModel::resolveAll()
{
    m_resolveAll = true;
    fetchAll();
    // Backwards: the queue runs the task pushed last first, so the top rows come first.
    for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0; --row)
        if (m_rows.at(row).state == DetailState::NotRequested)
            queueDetails(row);
    Q_EMIT resolvedChanged();
}

bool TagModel::isResolved() const
{
    return isComplete() && m_resolvedCount == m_rows.size();
}

QString TagModel::tag(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).tag : QString();
}

QString TagModel::digest(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).digest : QString();
}

QStringList TagModel::tagsWithDigest(const QString& digest) const
{
    return m_tagsByDigest.value(digest);
}

void TagModel::appendPage(const QStringList& names)
{
    // A registry may repeat a name (within a page or across pages); a row per tag.
    QStringList fresh;
    QSet<QString> seen;
    for (const QString& name : names) {
        if (!name.isEmpty() && !m_rowOfTag.contains(name) && !seen.contains(name)) {
            seen.insert(name);
            fresh.append(name);
        }
    }
    if (!fresh.isEmpty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
        for (const QString& name : std::as_const(fresh)) {
            m_rowOfTag.insert(name, static_cast<int>(m_rows.size()));
            m_rows.append(Row{name, {}, {}, DetailState::NotRequested, false});
        }
        endInsertRows();
        if (m_resolveAll)
            for (int row = static_cast<int>(m_rows.size()) - 1; row >= first; --row)
                if (m_rows.at(row).state == DetailState::NotRequested)
                    queueDetails(row);
    }
    Q_EMIT resolvedChanged();
}

void TagModel::removeTags(const QStringList& tags)
{
    flushChanges(); // pending row numbers are about to shift
    for (const QString& tag : tags) {
        const int row = rowOfTag(tag);
        if (row < 0)
            continue;
        const Row removed = m_rows.at(row);
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        m_rowOfTag.remove(tag);
        for (auto it = m_rowOfTag.begin(); it != m_rowOfTag.end(); ++it)
            if (it.value() > row)
                --it.value();
        if (removed.state == DetailState::Loaded || removed.state == DetailState::Failed)
            --m_resolvedCount;
        endRemoveRows();

        if (removed.digest.isEmpty())
            continue;
        QStringList& sharing = m_tagsByDigest[removed.digest];
        sharing.removeOne(tag);
        if (sharing.isEmpty()) {
            m_tagsByDigest.remove(removed.digest);
            m_summaries.erase(removed.digest);
        } else {
            summaryChanged(removed.digest);
        }
    }
    Q_EMIT resolvedChanged();
}

void TagModel::requestDetails(int row) const
{
    const Row& entry = m_rows.at(row);
    if (entry.state != DetailState::NotRequested || entry.wanted)
        return;
    entry.wanted = true;
    m_wantedTags.append(entry.tag);
    m_wantedTimer->start();
}

void TagModel::queueWantedRows()
{
    const QStringList wanted = std::exchange(m_wantedTags, {});
    // Backwards, so that the first row a view asked for is fetched first.
    for (auto it = wanted.crbegin(); it != wanted.crend(); ++it) {
        const int row = rowOfTag(*it);
        if (row >= 0 && m_rows.at(row).state == DetailState::NotRequested)
            queueDetails(row);
    }
}

void TagModel::queueDetails(int row)
{
    m_rows[row].state = DetailState::Queued;
    fetchManifest(m_rows.at(row).tag);
}

void TagModel::fetchManifest(const QString& tag)
{
    m_requests.push([this, tag](QObject* context, const RequestQueue::Finished& finished) {
        if (!registry())
            return finished();
        registry()->fetchManifest(m_repository, tag, context,
                                  [this, tag, finished](app::RegistryResult<app::Manifest> result) {
                                      onManifest(tag, std::move(result));
                                      finished();
                                  });
    });
}

void TagModel::onManifest(const QString& tag, app::RegistryResult<app::Manifest> result)
{
    const int row = rowOfTag(tag);
    if (row < 0)
        return;
    Row& entry = m_rows[row];
    ++m_resolvedCount;
    if (!result) {
        entry.state = DetailState::Failed;
        entry.error = result.error().message;
        markChanged(row);
        return;
    }
    const app::Manifest& manifest = result.value();
    entry.state = DetailState::Loaded;
    entry.digest = manifest.digest;

    // Kept in listing order, so that the "Also tagged" column and deletions read it as is.
    QStringList& sharing = m_tagsByDigest[manifest.digest];
    const auto position =
        std::lower_bound(sharing.begin(), sharing.end(), row,
                         [this](const QString& other, int r) { return rowOfTag(other) < r; });
    sharing.insert(position, tag);
    if (!m_summaries.contains(manifest.digest))
        summarize(manifest);
    m_rows[row].summary = &m_summaries.at(manifest.digest);
    summaryChanged(manifest.digest);
}

void TagModel::summarize(const app::Manifest& manifest)
{
    Summary summary;
    summary.mediaType = manifest.mediaType;
    summary.isIndex = manifest.isIndex;
    summary.platforms = manifest.platforms();
    if (manifest.isIndex) {
        summary.pendingChildren = static_cast<int>(manifest.children.size());
        if (manifest.children.isEmpty())
            summary.size = 0;
    } else {
        summary.size = manifest.totalSize();
    }
    m_summaries.emplace(manifest.digest, std::move(summary));

    if (manifest.isIndex) {
        for (const app::Descriptor& child : manifest.children)
            fetchChild(manifest.digest, child.digest);
    } else if (isImageConfig(manifest.config.mediaType)) {
        fetchCreated(manifest.digest, manifest.config.digest);
    }
}

void TagModel::fetchCreated(const QString& manifestDigest, const QString& configDigest)
{
    m_requests.push(
        [this, manifestDigest, configDigest](QObject* context, const RequestQueue::Finished& finished) {
            if (!registry())
                return finished();
            registry()->fetchImageConfig(
                m_repository, configDigest, context,
                [this, manifestDigest, finished](app::RegistryResult<app::ImageConfig> result) {
                    const auto found = m_summaries.find(manifestDigest);
                    Summary* summary = found == m_summaries.end() ? nullptr : &found->second;
                    // An index was created when its newest image was.
                    if (result && summary &&
                        (!summary->created.isValid() || summary->created < result->created)) {
                        summary->created = result->created;
                        summaryChanged(manifestDigest);
                    }
                    finished();
                });
        });
}

void TagModel::fetchChild(const QString& indexDigest, const QString& childDigest)
{
    m_requests.push([this, indexDigest, childDigest](QObject* context,
                                                     const RequestQueue::Finished& finished) {
        if (!registry())
            return finished();
        registry()->fetchManifest(m_repository, childDigest, context,
                                  [this, indexDigest, finished](app::RegistryResult<app::Manifest> result) {
                                      const auto found = m_summaries.find(indexDigest);
                                      if (found != m_summaries.end()) {
                                          Summary* summary = &found->second;
                                          if (result) {
                                              summary->childrenSize += result->totalSize();
                                              if (!result->isIndex && isImageConfig(result->config.mediaType))
                                                  fetchCreated(indexDigest, result->config.digest);
                                          }
                                          // The size of an index is the sum of its images' sizes, once all
                                          // are in.
                                          if (--summary->pendingChildren == 0)
                                              summary->size = summary->childrenSize;
                                          summaryChanged(indexDigest);
                                      }
                                      finished();
                                  });
    });
}

void TagModel::summaryChanged(const QString& digest)
{
    for (const QString& tag : m_tagsByDigest.value(digest))
        markChanged(rowOfTag(tag));
}

void TagModel::markChanged(int row)
{
    if (row < 0)
        return;
    m_changedRows.insert(row);
    if (!m_changeTimer->isActive())
        m_changeTimer->start();
}

void TagModel::flushChanges()
{
    m_changeTimer->stop();
    if (m_changedRows.isEmpty())
        return;
    QList<int> rows(m_changedRows.cbegin(), m_changedRows.cend());
    m_changedRows.clear();
    std::sort(rows.begin(), rows.end());
    // Runs of consecutive rows, each one dataChanged, leaving out the tag column: a view
    // sorted by tag need not re-sort.
    QList<std::pair<int, int>> runs;
    for (int row : std::as_const(rows)) {
        if (!runs.isEmpty() && runs.last().second + 1 == row)
            runs.last().second = row;
        else
            runs.append({row, row});
    }
    // Tags that share digests are scattered: past a few dozen runs, one signal over the
    // span costs the views less than a signal per run.
    if (runs.size() > maxChangedRuns)
        runs = {{runs.first().first, runs.last().second}};
    for (const auto& [first, last] : std::as_const(runs))
        Q_EMIT dataChanged(index(first, Digest), index(last, ColumnCount - 1));
    Q_EMIT resolvedChanged();
}

int TagModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TagModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TagModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    const int column = index.column();
    // Everything but the tag itself needs the manifest: this is where a view asks for it.
    if (column != Tag && row.state == DetailState::NotRequested)
        requestDetails(index.row());
    const Summary* summary = summaryOf(row);

    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, summary, column);
    case Qt::ToolTipRole:
        if (row.state == DetailState::Failed && column != Tag)
            return row.error;
        if (column == Digest || column == MediaType)
            return rawData(row, summary, column);
        if (column == SharedWith)
            return rawData(row, summary, column);
        return {};
    case Qt::TextAlignmentRole:
        if (column == Size)
            return numberAlignment();
        return {};
    case RawValueRole:
        return rawData(row, summary, column);
    case DigestRole:
        return row.digest;
    case SizeRole:
        return summary ? summary->size : qint64(-1);
    case LoadingRole:
        return row.state == DetailState::NotRequested || row.state == DetailState::Queued ||
               (summary && summary->pendingChildren > 0);
    default:
        return {};
    }
}

QVariant TagModel::displayData(const Row& row, const Summary* summary, int column) const
{
    if (column == Tag)
        return row.tag;
    if (column == Digest && row.state == DetailState::Failed)
        return tr("unavailable");
    if (column == Digest && !summary)
        return tr("loading…");
    if (!summary)
        return {};
    switch (column) {
    case Digest:
        return DisplayText::shortDigest(row.digest);
    case MediaType:
        return DisplayText::mediaType(summary->mediaType);
    case Size:
        return DisplayText::size(summary->size);
    case Platforms:
        return summary->platforms.join(u", "_s);
    case Created:
        return DisplayText::time(summary->created);
    case SharedWith:
        return sharedWithText(row);
    default:
        return {};
    }
}

QVariant TagModel::rawData(const Row& row, const Summary* summary, int column) const
{
    if (column == Tag)
        return row.tag;
    if (column == Digest)
        return row.digest;
    if (!summary)
        return {};
    switch (column) {
    case MediaType:
        return summary->mediaType;
    case Size:
        return summary->size;
    case Platforms:
        return summary->platforms.join(u", "_s);
    case Created:
        return summary->created;
    case SharedWith: {
        QStringList others = m_tagsByDigest.value(row.digest);
        others.removeOne(row.tag);
        return others.join(u", "_s);
    }
    default:
        return {};
    }
}

const TagModel::Summary* TagModel::summaryOf(const Row& row) const
{
    return row.summary;
}

bool TagModel::lessThan(int leftRow, int rightRow, int column) const
{
    const Row& left = m_rows.at(leftRow);
    const Row& right = m_rows.at(rightRow);
    const Summary* leftSummary = summaryOf(left);
    const Summary* rightSummary = summaryOf(right);
    if (column != Tag && (!leftSummary || !rightSummary))
        return !leftSummary && rightSummary;
    switch (column) {
    case Tag:
        return left.tag.compare(right.tag, Qt::CaseInsensitive) < 0;
    case Size:
        return leftSummary->size < rightSummary->size;
    case Created:
        // An unknown time (an artifact, a config still loading) before every known one.
        if (!leftSummary->created.isValid() || !rightSummary->created.isValid())
            return !leftSummary->created.isValid() && rightSummary->created.isValid();
        return leftSummary->created < rightSummary->created;
    case SharedWith:
        return m_tagsByDigest.value(left.digest).size() < m_tagsByDigest.value(right.digest).size();
    default:
        return displayData(left, leftSummary, column)
                   .toString()
                   .compare(displayData(right, rightSummary, column).toString(), Qt::CaseInsensitive) < 0;
    }
}

QString TagModel::sharedWithText(const Row& row) const
{
    const QStringList& sharing = m_tagsByDigest[row.digest];
    const qsizetype otherCount = sharing.size() - 1;
    if (otherCount <= 0)
        return {};
    QStringList shown;
    for (qsizetype i = 0; i < sharing.size() && shown.size() < sharedTagsShown; ++i)
        if (sharing.at(i) != row.tag)
            shown.append(sharing.at(i));
    QString text = shown.join(u", "_s);
    if (otherCount > shown.size())
        text += u' ' + tr("and %1 more").arg(QLocale().toString(otherCount - shown.size()));
    return text;
}

QVariant TagModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Tag:
        return tr("Tag");
    case Digest:
        return tr("Digest");
    case MediaType:
        return tr("Type");
    case Size:
        return tr("Size");
    case Platforms:
        return tr("Platforms");
    case Created:
        return tr("Created");
    case SharedWith:
        return tr("Also tagged");
    default:
        return {};
    }
}

} // namespace berth::ui
