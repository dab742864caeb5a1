#pragma once
// A registry listing (the catalog, or the tags of one repository) fetched page by page
// with n/last, one page in flight at a time: models fetch the next page when their view
// scrolls to the end (fetchMore), or every page in the background (fetchAll) when the
// user filters or sorts the whole listing.

#include "app/RegistryClient.h"

#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

namespace berth::ui {

class PagedListing : public QObject
{
    Q_OBJECT

public:
    // Asks the registry for the page after `last`, answering `done` on `context`.
    using PageRequest = std::function<void(const QString& last, int pageSize, QObject* context,
                                           app::RegistryClient::Callback<app::ListingPage> done)>;

    static constexpr int defaultPageSize = 1000;

    explicit PagedListing(QObject* parent = nullptr);
    ~PagedListing() override;

    // Starts over with `request` (an empty one stops); the answer to a page in flight is
    // dropped. Fetches nothing until fetchMore() or fetchAll().
    void restart(PageRequest request);
    void setPageSize(int pageSize);
    int pageSize() const { return m_pageSize; }

    bool canFetchMore() const;
    bool isLoading() const { return m_inFlight != nullptr; }
    bool isComplete() const { return m_complete; }
    bool hasFailed() const { return m_failed; }
    int receivedCount() const { return m_receivedCount; }

    // Asks for the next page unless one is in flight or the listing is complete.
    void fetchMore();
    // Keeps asking for pages until the listing is complete or a page fails.
    void fetchAll();
    // After a failure: carries on from the last page received.
    void retry();

Q_SIGNALS:
    void pageReceived(const QStringList& names);
    void completed();
    void failed(const berth::app::RegistryError& error);
    void loadingChanged(bool loading);

private:
    void requestNextPage();
    void onPage(app::RegistryResult<app::ListingPage> result);

    PageRequest m_request;
    // The context of the page in flight: deleting it drops the answer.
    std::unique_ptr<QObject> m_inFlight;
    QString m_last;
    int m_pageSize = defaultPageSize;
    int m_receivedCount = 0;
    bool m_complete = false;
    bool m_failed = false;
    bool m_fetchAll = false;
};

} // namespace berth::ui
