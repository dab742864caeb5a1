#pragma once
// The repositories in storage, and the n/last pagination the catalog and tag lists share.

#include "oci/Error.h"
#include "storage/StorageDriver.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

struct Page
{
    std::vector<std::string> items;
    bool hasMore = false; // items remain after the last one returned
};

// The entries of sorted `all` strictly after `last` (all of them when empty), at most `limit`.
Page paginate(const std::vector<std::string>& all, std::optional<std::size_t> limit, std::string_view last);

class Catalog
{
public:
    explicit Catalog(storage::StorageDriver& driver) : m_driver(driver) {}

    // Every repository holding at least one manifest revision or tag, in lexical order.
    oci::Result<std::vector<std::string>> repositories();

private:
    storage::StorageDriver& m_driver;
};

} // namespace berth::registry
