#include "support/Random.h"

#include <sys/random.h>

#include <cerrno>

namespace berth {

bool fillRandom(std::span<unsigned char> bytes)
{
    while (!bytes.empty()) {
        const auto count = ::getrandom(bytes.data(), bytes.size(), 0);
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            return false;
        bytes = bytes.subspan(static_cast<std::size_t>(count));
    }
    return true;
}

} // namespace berth
