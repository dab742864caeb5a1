#pragma once
// The users of an htpasswd file, read as CNCF Distribution reads it: one "user:hash" a line,
// blank lines and lines starting with '#' skipped, surrounding white space ignored. Only
// bcrypt hashes ($2y$, $2b$, $2a$) are accepted, as only those verify in Distribution.
// The file is read again when it changes, so an operator adds users without a restart.
// Errors name the file and the line, never a hash.

#include "support/Expected.h"
#include "support/Logger.h"

#include <chrono>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace berth::http {

// User name to bcrypt hash.
using HtpasswdUsers = std::map<std::string, std::string, std::less<>>;

// Parses the text of an htpasswd file; a later line for the same user wins, as in
// Distribution. The error reads "<fileName> line <n>: <what is wrong>".
Expected<HtpasswdUsers, std::string> parseHtpasswd(std::string_view text, std::string_view fileName);

class HtpasswdFile
{
public:
    // The users as one read of the file left them; `generation` grows with every read
    // that changed them, so what was learnt from older users can be dropped.
    struct Snapshot
    {
        std::shared_ptr<const HtpasswdUsers> users;
        std::uint64_t generation = 0;
    };

    // Reads `path`; a missing, unreadable or malformed file is an error naming it.
    static Expected<std::unique_ptr<HtpasswdFile>, std::string> open(std::string path, Logger& logger);

    // Reads and parses `path` once, for a check; the error names the file (and line).
    static Expected<HtpasswdUsers, std::string> read(const std::string& path);

    // The users now. Looks at the file's modification time, size and inode at most once
    // per checkInterval and reads it again when one changed; a changed file that cannot be
    // read or parsed leaves the last good users in place, with one warning. Thread-safe.
    Snapshot current(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

    static constexpr std::chrono::seconds checkInterval{1};

private:
    // What identifies one version of the file.
    struct Version
    {
        bool exists = false;
        ino_t inode = 0;
        off_t size = 0;
        timespec modified{};

        bool operator==(const Version& other) const;
    };

    HtpasswdFile(std::string path, Logger& logger, Version version, HtpasswdUsers users);
    static Version versionOf(const std::string& path);
    void reloadIfChanged();

    const std::string m_path;
    Logger& m_logger;
    std::mutex m_mutex;
    Snapshot m_snapshot;
    Version m_version; // of the last read, good or bad, so a bad file is warned about once
    std::chrono::steady_clock::time_point m_nextCheck;
};

} // namespace berth::http
