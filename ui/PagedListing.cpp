#include "ui/PagedListing.h"

namespace berth::ui {

PagedListing::PagedListing(QObject* parent) : QObject(parent) {}

PagedListing::~PagedListing() = default;

void PagedListing::restart(PageRequest request)
{
    const bool wasLoading = isLoading();
    m_inFlight.reset();
    m_request = std::move(request);
    m_last.clear();
    m_receivedCount = 0;
    m_complete = !m_request;
    m_failed = false;
    m_fetchAll = false;
    if (wasLoading)
        Q_EMIT loadingChanged(false);
}

void PagedListing::setPageSize(int pageSize)
{
    m_pageSize = qMax(1, pageSize);
}

bool PagedListing::canFetchMore() const
{
    return m_request && !m_complete && !m_failed;
}

void PagedListing::fetchMore()
{
    if (!canFetchMore() || isLoading())
        return;
    requestNextPage();
    Q_EMIT loadingChanged(true);
}

void PagedListing::requestNextPage()
{
    m_inFlight = std::make_unique<QObject>();
    m_request(m_last, m_pageSize, m_inFlight.get(),
              [this](app::RegistryResult<app::ListingPage> result) { onPage(std::move(result)); });
}

void PagedListing::fetchAll()
{
    m_fetchAll = true;
    fetchMore();
}

void PagedListing::retry()
{
    m_failed = false;
    fetchMore();
}

void PagedListing::onPage(app::RegistryResult<app::ListingPage> result)
{
    // The answer arrives on the context being deleted here; deleting it later is enough.
    m_inFlight.release()->deleteLater();
    if (!result) {
        m_failed = true;
        m_fetchAll = false;
        Q_EMIT loadingChanged(false);
        Q_EMIT failed(result.error());
        return;
    }
    app::ListingPage page = std::move(result).value();
    // A registry that repeats the cursor would make us loop forever.
    m_complete = page.last.isEmpty() || page.last == m_last;
    m_last = page.last;
    m_receivedCount += static_cast<int>(page.names.size());
    Q_EMIT pageReceived(page.names);
    if (m_complete) {
        Q_EMIT loadingChanged(false);
        Q_EMIT completed();
    } else if (m_fetchAll && !isLoading()) {
        requestNextPage(); // still loading: no loadingChanged
    } else if (!isLoading()) {
        Q_EMIT loadingChanged(false);
    }
}

} // namespace berth::ui
