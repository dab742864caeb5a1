#pragma once
// Random bytes straight from the kernel (getrandom(2)) for ids that must never repeat:
// upload sessions and the request-id prefix. Unlike OpenSSL's generator it needs no
// library set-up, so a berthd that has hashed nothing yet has not loaded OpenSSL's
// providers (about 2 MiB resident).

#include <span>

namespace berth {

// Fills `bytes`; false when the kernel cannot, and then `bytes` must not be used.
bool fillRandom(std::span<unsigned char> bytes);

} // namespace berth
