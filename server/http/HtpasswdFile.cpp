#include "http/HtpasswdFile.h"

#include "oci/Error.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace berth::http {

namespace {

constexpr std::string_view whitespace = " \t\r\v\f";

std::string_view trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(whitespace);
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(whitespace) - first + 1);
}

bool isBcryptCharacter(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/';
}

// What is wrong with `hash` as a bcrypt hash ("$2b$05$" then 22 characters of salt and 31
// of hash, as htpasswd -B writes it), or empty. Never quotes the hash.
std::string bcryptProblem(std::string_view hash)
{
    constexpr std::string_view prefixes[] = {"$2y$", "$2b$", "$2a$"};
    if (std::none_of(std::begin(prefixes), std::end(prefixes),
                     [hash](std::string_view prefix) { return hash.starts_with(prefix); }))
        return "not a bcrypt hash (only $2y$, $2b$ and $2a$ hashes are accepted; write entries with htpasswd "
               "-B)";
    constexpr std::size_t length = 60;
    const auto cost = hash.substr(4, 3);
    if (hash.size() != length || cost.size() != 3 || !std::isdigit(static_cast<unsigned char>(cost[0])) ||
        !std::isdigit(static_cast<unsigned char>(cost[1])) || cost[2] != '$' ||
        !std::all_of(hash.begin() + 7, hash.end(), isBcryptCharacter))
        return "malformed bcrypt hash (expected $2b$<cost>$ and 53 characters of salt and hash)";
    const int rounds = (cost[0] - '0') * 10 + (cost[1] - '0');
    if (rounds < 4 || rounds > 31)
        return "bcrypt cost " + std::to_string(rounds) + " out of range (4 to 31)";
    return {};
}

} // namespace

Expected<HtpasswdUsers, std::string> parseHtpasswd(std::string_view text, std::string_view fileName)
{
    HtpasswdUsers users;
    int lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        const auto end = text.find('\n');
        const auto line = trimmed(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.empty() || line.starts_with('#'))
            continue;
        const auto where = std::string(fileName) + " line " + std::to_string(lineNumber) + ": ";
        const auto colon = line.find(':');
        if (colon == std::string_view::npos)
            return unexpected(where + "expected user:hash, found no ':'");
        if (colon == 0)
            return unexpected(where + "empty user name");
        const auto user = line.substr(0, colon);
        if (const auto problem = bcryptProblem(line.substr(colon + 1)); !problem.empty())
            return unexpected(where + "user " + oci::quotedInput(user) + ": " + problem);
        users.insert_or_assign(std::string(user), std::string(line.substr(colon + 1)));
    }
    return users;
}

bool HtpasswdFile::Version::operator==(const Version& other) const
{
    return exists == other.exists && inode == other.inode && size == other.size &&
           modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

HtpasswdFile::HtpasswdFile(std::string path, Logger& logger, Version version, HtpasswdUsers users)
    : m_path(std::move(path)),
      m_logger(logger), m_snapshot{std::make_shared<const HtpasswdUsers>(std::move(users)), 1},
      m_version(version), m_nextCheck(std::chrono::steady_clock::now() + checkInterval)
{
}

Expected<std::unique_ptr<HtpasswdFile>, std::string> HtpasswdFile::open(std::string path, Logger& logger)
{
    const auto version = versionOf(path);
    auto users = read(path);
    if (!users)
        return unexpected(std::move(users).error());
    return std::unique_ptr<HtpasswdFile>(
        new HtpasswdFile(std::move(path), logger, version, std::move(*users)));
}

HtpasswdFile::Version HtpasswdFile::versionOf(const std::string& path)
{
    struct stat status
    {
    };
    if (::stat(path.c_str(), &status) != 0)
        return {};
    return {true, status.st_ino, status.st_size, status.st_mtim};
}

Expected<HtpasswdUsers, std::string> HtpasswdFile::read(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    if (file)
        text << file.rdbuf();
    if (!file || file.bad())
        return unexpected("cannot read htpasswd file " + path + ": " + std::strerror(errno));
    return parseHtpasswd(text.str(), path);
}

HtpasswdFile::Snapshot HtpasswdFile::current(std::chrono::steady_clock::time_point now)
{
    const std::lock_guard lock(m_mutex);
    if (now >= m_nextCheck) {
        m_nextCheck = now + checkInterval;
        reloadIfChanged();
    }
    return m_snapshot;
}

void HtpasswdFile::reloadIfChanged()
{
    const auto version = versionOf(m_path);
    if (version == m_version)
        return;
    m_version = version;
    auto users = read(m_path);
    if (!users) {
        m_logger.warn("htpasswd file not read again; the users read before stay in force",
                      {{"error", users.error()}});
        return;
    }
    m_snapshot =
        Snapshot{std::make_shared<const HtpasswdUsers>(std::move(*users)), m_snapshot.generation + 1};
    m_logger.info("htpasswd file read again", {{"file", m_path}, {"users", m_snapshot.users->size()}});
}

} // namespace berth::http
