#pragma once
// Sizes in config.yml: "512MiB", "10GiB", "1GB", or a plain number of bytes.

#include "support/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace berth::config {

// Units: B, KB/MB/GB/TB (powers of 1000) and KiB/MiB/GiB/TiB (powers of 1024).
// The error is a sentence fragment such as `unknown unit "mb" in size "5mb"`.
Expected<std::uint64_t, std::string> parseByteSize(std::string_view text);

// Renders a size that parseByteSize reads back unchanged, e.g. "512MiB", "1000B".
std::string formatByteSize(std::uint64_t bytes);

} // namespace berth::config
