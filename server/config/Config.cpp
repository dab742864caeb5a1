#include "Config.h"

#include "ByteSize.h"
#include "Duration.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <utility>
#include <yaml-cpp/yaml.h>

extern char** environ; // POSIX; read to warn about REGISTRY_* variables that match no key

namespace berth::config {

namespace {

using Environment = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view environmentPrefix = "REGISTRY_";

constexpr std::array keys{
    KeyInfo{"version", "0.1", "0.1"},
    KeyInfo{"log.level", "debug|info|warn|error", "info"},
    KeyInfo{"log.formatter", "json", "json"},
    KeyInfo{"log.fields", "mapping of name: value added to every line", ""},
    KeyInfo{"log.accesslog.disabled", "true|false", "false"},
    KeyInfo{"storage.filesystem.rootdirectory", "path", "/var/lib/registry"},
    KeyInfo{"storage.filesystem.maxthreads", "integer >= 25", "100"},
    KeyInfo{"storage.inmemory", "{} (instead of filesystem; lost on exit)", ""},
    KeyInfo{"storage.delete.enabled", "true|false", "true"},
    KeyInfo{"storage.maintenance.uploadpurging.enabled", "true|false", "true"},
    KeyInfo{"storage.maintenance.uploadpurging.age", "duration", "168h"},
    KeyInfo{"storage.maintenance.uploadpurging.interval", "duration", "24h"},
    KeyInfo{"storage.maintenance.uploadpurging.dryrun", "true|false", "false"},
    KeyInfo{"storage.maintenance.readonly.enabled", "true|false", "false"},
    KeyInfo{"http.addr", "host:port", ":5000"},
    KeyInfo{"http.host", "absolute URL", "https://registry.example.com"},
    KeyInfo{"http.secret", "string", "a-long-random-string"},
    KeyInfo{"http.relativeurls", "true|false", "false"},
    KeyInfo{"http.draintimeout", "duration", "60s"},
    KeyInfo{"http.headers", "mapping of header name: [values]", ""},
    KeyInfo{"http.tls.certificate", "path to a PEM file", "/etc/berth/tls.crt"},
    KeyInfo{"http.tls.key", "path to a PEM file", "/etc/berth/tls.key"},
    KeyInfo{"http.debug.addr", "host:port of the metrics listener", "127.0.0.1:5001"},
    KeyInfo{"http.debug.prometheus.enabled", "true|false", "true"},
    KeyInfo{"http.debug.prometheus.path", "URL path", "/metrics"},
    KeyInfo{"health.storagedriver.enabled", "true|false", "true"},
    KeyInfo{"health.storagedriver.interval", "duration", "10s"},
    KeyInfo{"health.storagedriver.threshold", "integer", "3"},
    KeyInfo{"auth.htpasswd.realm", "string", "basic-realm"},
    KeyInfo{"auth.htpasswd.path", "path to an htpasswd file", "/etc/registry/htpasswd"},
    KeyInfo{"admin.addr", "loopback host:port", "127.0.0.1:5001"},
    KeyInfo{"admin.token", "string", "a-long-random-token"},
    KeyInfo{"berth.http.headertimeout", "duration", "10s"},
    KeyInfo{"berth.http.idletimeout", "duration", "60s"},
    KeyInfo{"berth.http.maxconnections", "integer", "4096"},
    KeyInfo{"berth.storage.minfreespace", "size (0: off)", "1GiB"},
    KeyInfo{"berth.storage.historyinterval", "duration (0: off)", "1h"},
    KeyInfo{"berth.retention.schedule", "duration (0: off)", "24h"},
    KeyInfo{"berth.retention.protect", "list of tag globs never removed", ""},
    KeyInfo{"berth.retention.rules", "list of retention rules", ""},
};

std::string inQuotes(std::string_view text)
{
    return '"' + std::string(text) + '"';
}

std::string lowerCase(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

Environment registryEnvironment()
{
    Environment environment;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (text.starts_with(environmentPrefix) && equals != std::string_view::npos)
            environment.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return environment;
}

int lineOf(const YAML::Node& node)
{
    if (!node.IsDefined())
        return 0;
    const auto mark = node.Mark();
    return mark.is_null() ? 0 : mark.line + 1;
}

// A scalar value and where it came from, for error messages.
struct Scalar
{
    std::string text;
    std::string variable; // the environment variable that supplied it, if any
    int line = 0;
};

// State shared by all sections of one read: the environment, the first error, warnings.
class Reader
{
public:
    explicit Reader(Environment environment) : m_environment(std::move(environment)) {}

    std::optional<std::string> takeVariable(const std::string& name)
    {
        const auto found = m_environment.find(name);
        if (found == m_environment.end())
            return std::nullopt;
        m_used.insert(name);
        return found->second;
    }

    // The variable whose name starts with `prefix`, for "which driver does the environment pick".
    std::optional<std::string> variableStartingWith(std::string_view prefix) const
    {
        for (const auto& [name, value] : m_environment) {
            if (name.starts_with(prefix))
                return name;
        }
        return std::nullopt;
    }

    // Only the first error is reported; later ones are often consequences of it.
    void fail(std::string key, std::string message, int line)
    {
        if (!m_error)
            m_error = ConfigError{std::move(key), std::move(message), line};
    }
    void warn(std::string text) { m_warnings.push_back(std::move(text)); }

    ConfigResult finish(Config config) &&
    {
        if (m_error)
            return unexpected(std::move(*m_error));
        for (const auto& [name, value] : m_environment) {
            if (!m_used.contains(name))
                warn(name + ": environment variable matches no supported key; ignored");
        }
        return LoadedConfig{std::move(config), std::move(m_warnings)};
    }

private:
    Environment m_environment;
    std::set<std::string, std::less<>> m_used;
    std::optional<ConfigError> m_error;
    std::vector<std::string> m_warnings;
};

std::optional<bool> parseBool(std::string_view text)
{
    // YAML 1.1 booleans, which Distribution's YAML library accepts.
    static constexpr std::array<std::string_view, 11> yes{"true", "True", "TRUE", "yes", "Yes", "YES",
                                                          "y",    "Y",    "on",   "On",  "ON"};
    static constexpr std::array<std::string_view, 11> no{"false", "False", "FALSE", "no",  "No", "NO",
                                                         "n",     "N",     "off",   "Off", "OFF"};
    if (std::find(yes.begin(), yes.end(), text) != yes.end())
        return true;
    if (std::find(no.begin(), no.end(), text) != no.end())
        return false;
    return std::nullopt;
}

Expected<ListenAddress, std::string> parseListenAddress(std::string_view text)
{
    const auto usage = "expected host:port such as :5000 or 127.0.0.1:5000, got " + inQuotes(text);
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
        return unexpected(usage);
    std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    if (host.starts_with('[')) {
        if (!host.ends_with(']'))
            return unexpected(usage);
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return unexpected("an IPv6 host needs brackets, as in [::1]:5000; got " + inQuotes(text));
    }
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || port.size() > 5 || error != std::errc{} || end != port.data() + port.size() ||
        value > 65535) {
        return unexpected("invalid port " + inQuotes(port) + " in " + inQuotes(text) +
                          " (expected 0 to 65535)");
    }
    return ListenAddress{std::string(host), static_cast<std::uint16_t>(value)};
}

bool isAbsoluteHttpUrl(std::string_view text)
{
    const auto separator = text.find("://");
    if (separator == std::string_view::npos)
        return false;
    const auto scheme = lowerCase(text.substr(0, separator));
    const auto rest = text.substr(separator + 3);
    const auto authority = rest.substr(0, rest.find_first_of("/?#"));
    return (scheme == "http" || scheme == "https") && !authority.empty() &&
           text.find_first_of(" \t\r\n") == std::string_view::npos;
}

bool isHeaderName(std::string_view name)
{
    // RFC 9110 token characters.
    static constexpr std::string_view punctuation = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || punctuation.find(c) != std::string_view::npos;
    });
}

// One mapping in the file, addressed by its dotted path. Remembers which keys were read
// so finish() can warn about the rest.
class Section
{
public:
    Section(Reader& reader, const YAML::Node& node, std::string path)
        : m_reader(reader), m_path(std::move(path))
    {
        if (node.IsMap()) {
            m_node = node;
        } else if (node.IsDefined() && !node.IsNull()) {
            m_reader.fail(m_path, "expected a mapping of settings", lineOf(node));
        }
    }

    std::string keyPath(std::string_view key) const
    {
        return m_path.empty() ? std::string(key) : m_path + '.' + std::string(key);
    }
    int line() const { return lineOf(m_node); }
    int keyLine(std::string_view key) const
    {
        for (const auto& entry : m_node) {
            if (entry.first.IsScalar() && entry.first.Scalar() == key)
                return lineOf(entry.first);
        }
        return 0;
    }
    bool has(std::string_view key) const { return child(key).IsDefined(); }

    std::vector<std::string> presentKeys() const
    {
        std::vector<std::string> names;
        for (const auto& entry : m_node)
            names.push_back(entry.first.IsScalar() ? entry.first.Scalar() : std::string("?"));
        return names;
    }

    Section section(std::string_view key)
    {
        m_known.emplace(key);
        return Section(m_reader, child(key), keyPath(key));
    }

    // A mapping whose keys the user chooses (log.fields, http.headers); no environment override.
    YAML::Node mapping(std::string_view key)
    {
        m_known.emplace(key);
        const YAML::Node node = child(key);
        if (node.IsMap())
            return node;
        if (node.IsDefined() && !node.IsNull())
            m_reader.fail(keyPath(key), "expected a mapping", lineOf(node));
        return YAML::Node();
    }

    // A subtree read as a whole (berth.retention.rules); no environment override.
    YAML::Node subtree(std::string_view key)
    {
        m_known.emplace(key);
        return child(key);
    }

    // The value from the environment variable for this key, else from the file, else nothing.
    std::optional<Scalar> scalar(std::string_view key, std::string_view expected)
    {
        m_known.emplace(key);
        const auto path = keyPath(key);
        const auto variable = environmentVariable(path);
        if (auto value = m_reader.takeVariable(variable))
            return Scalar{std::move(*value), variable, 0};
        const YAML::Node node = child(key);
        if (!node.IsDefined() || node.IsNull())
            return std::nullopt;
        if (!node.IsScalar()) {
            m_reader.fail(
                path, "expected " + std::string(expected) + ", got a " + (node.IsMap() ? "mapping" : "list"),
                lineOf(node));
            return std::nullopt;
        }
        return Scalar{node.Scalar(), {}, lineOf(node)};
    }

    void invalid(std::string_view key, const Scalar& value, std::string message)
    {
        if (!value.variable.empty())
            message += " (from " + value.variable + ')';
        m_reader.fail(keyPath(key), std::move(message), value.line);
    }

    void read(std::string_view key, bool& out)
    {
        if (const auto value = scalar(key, "true or false")) {
            if (const auto parsed = parseBool(value->text))
                out = *parsed;
            else
                invalid(key, *value, "expected true or false, got " + inQuotes(value->text));
        }
    }

    void read(std::string_view key, std::string& out)
    {
        if (auto value = scalar(key, "a string"))
            out = std::move(value->text);
    }

    enum class Zero
    {
        Allowed,
        Rejected
    };

    void read(std::string_view key, std::chrono::milliseconds& out, Zero zero)
    {
        if (const auto value = scalar(key, "a duration such as 10s")) {
            const auto parsed = parseDuration(value->text);
            if (!parsed)
                invalid(key, *value, parsed.error() + "; write durations like 500ms, 10s, 1m30s or 168h");
            else if (zero == Zero::Rejected && parsed->count() == 0)
                invalid(key, *value, "must be longer than 0s");
            else
                out = *parsed;
        }
    }

    void read(std::string_view key, int& out, int minimum)
    {
        if (const auto value = scalar(key, "an integer")) {
            const auto& text = value->text;
            int parsed = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
            if (text.empty() || error != std::errc{} || end != text.data() + text.size())
                invalid(key, *value, "expected an integer, got " + inQuotes(text));
            else if (parsed < minimum)
                invalid(key, *value, "must be at least " + std::to_string(minimum) + ", got " + text);
            else
                out = parsed;
        }
    }

    // A key Distribution knows that berthd reads but does not act on.
    void ignore(std::string_view key, std::string_view reason)
    {
        m_known.emplace(key);
        if (has(key))
            m_reader.warn(keyPath(key) + ": " + std::string(reason) + "; ignored");
    }

    // A key whose silent omission would weaken security, so berthd refuses to start.
    void reject(std::string_view key, std::string_view reason)
    {
        m_known.emplace(key);
        if (has(key))
            m_reader.fail(keyPath(key), std::string(reason), keyLine(key));
    }

    void finish()
    {
        for (const auto& entry : m_node) {
            const auto name = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
            if (!m_known.contains(name)) {
                m_reader.warn(keyPath(name) + ": unknown key; ignored (line " +
                              std::to_string(lineOf(entry.first)) + ')');
            }
        }
    }

private:
    // Never a yaml-cpp "zombie" node, whose accessors throw.
    YAML::Node child(std::string_view key) const
    {
        const YAML::Node& node = m_node;
        if (node.IsMap()) {
            if (auto found = node[std::string(key)]; found.IsDefined())
                return found;
        }
        return YAML::Node(YAML::NodeType::Undefined);
    }

    Reader& m_reader;
    YAML::Node m_node;
    std::string m_path;
    std::set<std::string, std::less<>> m_known;
};

void readLog(Section log, Reader& reader, LogConfig& config)
{
    if (const auto level = log.scalar("level", "a log level")) {
        if (const auto parsed = parseLogLevel(lowerCase(level->text)))
            config.level = *parsed;
        else
            log.invalid("level", *level, "expected debug, info, warn or error, got " + inQuotes(level->text));
    }
    if (const auto formatter = log.scalar("formatter", "a log formatter")) {
        if (formatter->text == "text" || formatter->text == "logstash") {
            reader.warn(log.keyPath("formatter") + ": berthd always logs JSON lines; " +
                        inQuotes(formatter->text) + " is read as json");
        } else if (formatter->text != "json") {
            log.invalid("formatter", *formatter, "expected json, got " + inQuotes(formatter->text));
        }
    }
    for (const auto& entry : log.mapping("fields")) {
        const auto name = entry.first.Scalar();
        if (!entry.second.IsScalar()) {
            reader.fail(log.keyPath("fields") + '.' + name, "expected a string", lineOf(entry.second));
            continue;
        }
        config.fields[name] = entry.second.Scalar();
    }
    auto accessLog = log.section("accesslog");
    accessLog.read("disabled", config.accessLogDisabled);
    accessLog.finish();
    log.finish();
}

void readFilesystemDriver(Section filesystem, FilesystemDriverConfig& config)
{
    std::string root;
    filesystem.read("rootdirectory", root);
    if (!root.empty()) // Distribution falls back to its default for an empty value
        config.rootDirectory = std::move(root);
    // Distribution's lower bound: fewer threads risk stalling the registry.
    filesystem.read("maxthreads", config.maxThreads, 25);
    filesystem.finish();
}

void readStorage(Section storage, Reader& reader, StorageConfig& config, bool fromFile)
{
    // Distribution reads every other key under storage as the name of a driver.
    static constexpr std::array<std::string_view, 5> settings{"delete", "maintenance", "cache", "redirect",
                                                              "tag"};
    std::vector<std::string> drivers;
    for (auto& name : storage.presentKeys()) {
        if (std::find(settings.begin(), settings.end(), name) == settings.end())
            drivers.push_back(std::move(name));
    }
    // A filesystem variable selects that driver, as in Distribution, even if the file names none.
    const auto variable = reader.variableStartingWith(environmentVariable("storage.filesystem") + '_');
    const bool fromVariable =
        variable && std::find(drivers.begin(), drivers.end(), "filesystem") == drivers.end();
    if (fromVariable)
        drivers.emplace_back("filesystem");

    if (drivers.size() > 1) {
        std::string names;
        for (const auto& name : drivers)
            names += (names.empty() ? "" : " and ") + name;
        if (fromVariable)
            names += " (" + *variable + " selects filesystem)";
        reader.fail("storage", "exactly one storage driver is allowed, found " + names, storage.line());
    } else if (drivers.empty()) {
        if (fromFile) {
            reader.fail("storage",
                        "no storage driver; add storage.filesystem.rootdirectory or storage.inmemory",
                        storage.line());
        }
    } else if (drivers.front() == "filesystem") {
        auto* filesystem = std::get_if<FilesystemDriverConfig>(&config.driver);
        FilesystemDriverConfig driver = filesystem ? *filesystem : FilesystemDriverConfig{};
        readFilesystemDriver(storage.section("filesystem"), driver);
        config.driver = std::move(driver);
    } else if (drivers.front() == "inmemory") {
        storage.section("inmemory").finish();
        config.driver = InMemoryDriverConfig{};
    } else {
        const auto& name = drivers.front();
        reader.fail(storage.keyPath(name),
                    "storage driver " + inQuotes(name) +
                        " is not supported by berthd; use filesystem or inmemory",
                    storage.keyLine(name));
    }

    auto remove = storage.section("delete");
    remove.read("enabled", config.deleteEnabled);
    remove.finish();

    auto maintenance = storage.section("maintenance");
    auto purging = maintenance.section("uploadpurging");
    purging.read("enabled", config.uploadPurging.enabled);
    // Age 0 would purge uploads still in flight; interval 0 would spin.
    purging.read("age", config.uploadPurging.age, Section::Zero::Rejected);
    purging.read("interval", config.uploadPurging.interval, Section::Zero::Rejected);
    purging.read("dryrun", config.uploadPurging.dryRun);
    purging.finish();
    auto readOnly = maintenance.section("readonly");
    readOnly.read("enabled", config.readOnly);
    readOnly.finish();
    maintenance.finish();

    storage.ignore("cache", "berthd keeps its own indexes");
    storage.ignore("redirect", "berthd's drivers serve blobs themselves");
    storage.ignore("tag", "not supported by berthd");
    storage.finish();
}

void readHeaders(Section& http, Reader& reader, std::map<std::string, std::vector<std::string>>& headers)
{
    for (const auto& entry : http.mapping("headers")) {
        const auto name = entry.first.Scalar();
        const auto key = http.keyPath("headers") + '.' + name;
        if (!isHeaderName(name)) {
            reader.fail(key, "not a valid HTTP header name", lineOf(entry.first));
            continue;
        }
        if (!entry.second.IsSequence()) {
            reader.fail(key, "expected a list of values such as [nosniff]", lineOf(entry.second));
            continue;
        }
        std::vector<std::string> values;
        for (const auto& value : entry.second) {
            // A line break or NUL in a value would split or corrupt responses.
            if (!value.IsScalar() ||
                value.Scalar().find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
                reader.fail(key, "expected a list of single-line strings", lineOf(value));
                break;
            }
            values.push_back(value.Scalar());
        }
        headers[name] = std::move(values);
    }
}

void readExistingFile(Section& tls, std::string_view key, std::string& out)
{
    if (const auto value = tls.scalar(key, "a file path")) {
        std::error_code error;
        if (value->text.empty())
            out.clear();
        else if (!std::filesystem::exists(value->text, error))
            tls.invalid(key, *value, "no such file: " + value->text);
        else if (!std::filesystem::is_regular_file(value->text, error))
            tls.invalid(key, *value, "not a regular file: " + value->text);
        else if (!std::ifstream(value->text).is_open())
            tls.invalid(key, *value, "cannot read " + value->text + ": " + std::strerror(errno));
        else
            out = value->text;
    }
}

// Distribution serves the debug listener whenever http.debug.addr is set; berthd has only
// metrics to serve there, so it listens when Prometheus is enabled too.
void readDebug(Section debug, Reader& reader, DebugConfig& config)
{
    if (const auto addr = debug.scalar("addr", "host:port")) {
        auto parsed = parseListenAddress(addr->text);
        if (parsed)
            config.addr = std::move(*parsed);
        else if (!addr->text.empty()) // empty, as Distribution reads it: no debug listener
            debug.invalid("addr", *addr, std::move(parsed).error());
    }
    auto prometheus = debug.section("prometheus");
    prometheus.read("enabled", config.prometheusEnabled);
    if (const auto path = prometheus.scalar("path", "a URL path")) {
        if (path->text.empty())
            config.prometheusPath = DebugConfig{}.prometheusPath;
        else if (!path->text.starts_with('/') || path->text.find_first_of("?# \t\r\n") != std::string::npos)
            prometheus.invalid("path", *path,
                               "expected a URL path such as /metrics, got " + inQuotes(path->text));
        else
            config.prometheusPath = path->text;
    }
    prometheus.finish();
    debug.finish();
    if (config.prometheusEnabled && !config.addr)
        reader.warn(prometheus.keyPath("enabled") + ": no http.debug.addr to serve metrics on; no metrics");
    else if (config.addr && !config.prometheusEnabled)
        reader.warn(debug.keyPath("addr") + ": berthd serves only Prometheus metrics there and "
                                            "http.debug.prometheus.enabled is off; no debug listener");
}

void readHttp(Section http, Reader& reader, HttpConfig& config)
{
    if (const auto addr = http.scalar("addr", "host:port")) {
        auto parsed = parseListenAddress(addr->text);
        if (parsed)
            config.addr = std::move(*parsed);
        else
            http.invalid("addr", *addr, std::move(parsed).error());
    }
    if (auto host = http.scalar("host", "a URL")) {
        if (host->text.empty() || isAbsoluteHttpUrl(host->text))
            config.host = std::move(host->text);
        else
            http.invalid("host", *host,
                         "expected an absolute URL such as https://registry.example.com, got " +
                             inQuotes(host->text));
    }
    http.read("secret", config.secret);
    http.read("relativeurls", config.relativeUrls);
    http.read("draintimeout", config.drainTimeout, Section::Zero::Allowed);
    readHeaders(http, reader, config.headers);

    auto tls = http.section("tls");
    readExistingFile(tls, "certificate", config.tls.certificate);
    readExistingFile(tls, "key", config.tls.key);
    if (config.tls.certificate.empty() != config.tls.key.empty()) {
        const auto missing = config.tls.certificate.empty() ? "certificate" : "key";
        reader.fail(tls.keyPath(missing), "missing; http.tls needs both certificate and key", tls.line());
    }
    tls.reject("clientcas", "client certificate authentication is not supported by berthd yet; refusing to "
                            "serve without the access control this config asks for");
    tls.finish();

    readDebug(http.section("debug"), reader, config.debug);
    http.finish();
}

void readHealth(Section health, HealthConfig& config)
{
    auto driver = health.section("storagedriver");
    auto& check = config.storageDriver;
    driver.read("enabled", check.enabled);
    driver.read("interval", check.interval, Section::Zero::Allowed);
    driver.read("threshold", check.threshold, 0);
    // Distribution's meaning of 0 for both.
    if (check.interval.count() == 0)
        check.interval = StorageDriverHealthConfig{}.interval;
    check.threshold = std::max(check.threshold, 1);
    driver.finish();
    health.finish();
}

// The realm is quoted in every challenge: a quote or a line break would break the header.
bool isQuotableRealm(std::string_view realm)
{
    return std::none_of(realm.begin(), realm.end(), [](char c) {
        return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
}

// Distribution takes one access controller below auth; berthd supports htpasswd. The
// file's lines are read when the server starts (and by config check), not here.
void readAuth(Section auth, Reader& reader, AuthConfig& config)
{
    for (const auto& kind : auth.presentKeys()) {
        if (kind != "htpasswd")
            reader.fail(auth.keyPath(kind),
                        "authentication kind " + inQuotes(kind) +
                            " is not supported by berthd yet (only htpasswd); refusing to serve without the "
                            "access control this config asks for",
                        auth.keyLine(kind));
    }
    auto htpasswd = auth.section("htpasswd");
    HtpasswdConfig settings;
    const auto realm = htpasswd.scalar("realm", "a string");
    readExistingFile(htpasswd, "path", settings.path);
    const bool configured = auth.has("htpasswd") || realm || htpasswd.scalar("path", "a file path");
    htpasswd.finish();
    auth.finish();
    if (!configured)
        return;
    const auto missing = [&](std::string_view key, std::string_view what) {
        reader.fail(htpasswd.keyPath(key), "missing; auth.htpasswd needs " + std::string(what),
                    auth.keyLine("htpasswd"));
    };
    if (!realm)
        missing("realm", "the realm clients are asked to log in to");
    else if (realm->text.empty())
        htpasswd.invalid("realm", *realm, "must not be empty");
    else if (!isQuotableRealm(realm->text))
        htpasswd.invalid("realm", *realm, "must not contain quotes, backslashes or control characters");
    else
        settings.realm = realm->text;
    if (settings.path.empty())
        missing("path", "the path of the htpasswd file");
    config.htpasswd = std::move(settings);
}

bool isLoopback(std::string_view host)
{
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

void readAdmin(Section admin, AdminConfig& config)
{
    if (const auto addr = admin.scalar("addr", "host:port")) {
        auto parsed = parseListenAddress(addr->text);
        if (!parsed)
            admin.invalid("addr", *addr, std::move(parsed).error());
        else if (!isLoopback(parsed->host))
            admin.invalid("addr", *addr,
                          "the admin API listens on loopback addresses only (berthd has no TLS yet), got " +
                              inQuotes(addr->text));
        else
            config.addr = std::move(*parsed);
    }
    admin.read("token", config.token);
    admin.finish();
}

// A YAML tree as the JSON value it spells: plain scalars that read as whole numbers or
// booleans are those, quoted ones stay strings.
boost::json::value toJson(const YAML::Node& node)
{
    if (node.IsMap()) {
        boost::json::object object;
        for (const auto& entry : node)
            object[entry.first.Scalar()] = toJson(entry.second);
        return object;
    }
    if (node.IsSequence()) {
        boost::json::array array;
        for (const auto& item : node)
            array.push_back(toJson(item));
        return array;
    }
    if (!node.IsScalar())
        return nullptr;
    const auto& text = node.Scalar();
    if (node.Tag() != "!") {
        std::int64_t number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (!text.empty() && error == std::errc{} && end == text.data() + text.size())
            return number;
        if (const auto flag = parseBool(text))
            return *flag;
    }
    return boost::json::string(text);
}

// The line of `field` ("[1].keep.most_recent") below `node`, or of its nearest parent
// that exists; `line` is the parent's.
int lineOfField(const YAML::Node& node, std::string_view field, int line)
{
    if (!node.IsDefined())
        return line;
    line = lineOf(node);
    while (field.starts_with('.'))
        field.remove_prefix(1);
    if (field.empty())
        return line;
    if (field.starts_with('[')) {
        const auto close = std::min(field.find(']'), field.size());
        std::size_t index = 0;
        std::from_chars(field.data() + 1, field.data() + close, index);
        const YAML::Node item =
            node.IsSequence() && index < node.size() ? node[index] : YAML::Node(YAML::NodeType::Undefined);
        return lineOfField(item, field.substr(std::min(close + 1, field.size())), line);
    }
    const auto end = std::min(field.find_first_of(".["), field.size());
    const YAML::Node value =
        node.IsMap() ? node[std::string(field.substr(0, end))] : YAML::Node(YAML::NodeType::Undefined);
    return lineOfField(value, field.substr(end), line);
}

// berth.retention.protect and .rules are read as the rule document the admin API takes,
// so both are validated the same way; errors name the field below berth.retention.
void readRetention(Section retention, Reader& reader, BerthRetentionConfig& config)
{
    retention.read("schedule", config.schedule, Section::Zero::Allowed);
    const auto protect = retention.subtree("protect");
    const auto rules = retention.subtree("rules");
    if (protect.IsDefined() || rules.IsDefined()) {
        boost::json::object document;
        if (protect.IsDefined())
            document["protect"] = toJson(protect);
        if (rules.IsDefined())
            document["rules"] = toJson(rules);
        auto parsed = registry::parseRetentionRules(document);
        if (parsed) {
            config.rules = std::move(parsed).value();
        } else {
            const std::string_view field = parsed.error().field;
            const bool inProtect = field.starts_with("protect");
            const auto below = field.substr(std::min(field.find_first_of(".["), field.size()));
            reader.fail(retention.keyPath(field), parsed.error().message,
                        lineOfField(inProtect ? protect : rules, below, retention.line()));
        }
    }
    retention.finish();
}

void readBerth(Section berth, Reader& reader, BerthConfig& config)
{
    auto http = berth.section("http");
    http.read("headertimeout", config.http.headerTimeout, Section::Zero::Rejected);
    http.read("idletimeout", config.http.idleTimeout, Section::Zero::Rejected);
    http.read("maxconnections", config.http.maxConnections, 1);
    http.finish();
    auto storage = berth.section("storage");
    if (const auto minimum = storage.scalar("minfreespace", "a size")) {
        auto parsed = parseByteSize(minimum->text);
        if (parsed)
            config.storage.minFreeSpace = *parsed;
        else
            storage.invalid("minfreespace", *minimum, std::move(parsed).error());
    }
    storage.read("historyinterval", config.storage.historyInterval, Section::Zero::Allowed);
    storage.finish();
    readRetention(berth.section("retention"), reader, config.retention);
    berth.finish();
}

// Reads `document` over `config`: keys the document and environment leave out keep their
// value from `config`. A file must name its version and storage driver, as in Distribution.
ConfigResult readConfig(const YAML::Node& document, Config config, bool fromFile)
{
    Reader reader(registryEnvironment());
    Section root(reader, document, {});

    if (const auto version = root.scalar("version", "a version")) {
        if (version->text == "0.1")
            config.version = version->text;
        else
            root.invalid("version", *version,
                         "berthd reads version 0.1 files, got " + inQuotes(version->text));
    } else if (fromFile) {
        reader.fail("version", "missing; Distribution config files start with version: 0.1", 0);
    }

    readLog(root.section("log"), reader, config.log);
    readStorage(root.section("storage"), reader, config.storage, fromFile);
    readHttp(root.section("http"), reader, config.http);
    readHealth(root.section("health"), config.health);
    readAuth(root.section("auth"), reader, config.auth);
    readAdmin(root.section("admin"), config.admin);
    readBerth(root.section("berth"), reader, config.berth);
    root.finish();
    return std::move(reader).finish(std::move(config));
}

std::filesystem::path defaultDataDirectory()
{
    // XDG Base Directory: XDG_DATA_HOME counts only when absolute.
    const char* dataHome = std::getenv("XDG_DATA_HOME");
    if (dataHome && dataHome[0] == '/')
        return dataHome;
    const char* home = std::getenv("HOME");
    if (home && home[0] != '\0')
        return std::filesystem::path(home) / ".local" / "share";
    return "/var/lib";
}

void emitDuration(YAML::Emitter& out, std::string_view key, std::chrono::milliseconds value)
{
    out << YAML::Key << std::string(key) << YAML::Value << formatDuration(value);
}

void emitEnabled(YAML::Emitter& out, std::string_view key, bool enabled)
{
    out << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap << YAML::Key << "enabled"
        << YAML::Value << enabled << YAML::EndMap;
}

// The YAML toJson(YAML::Node) reads back as `value`: strings quoted, so "1.0" stays one.
void emitJson(YAML::Emitter& out, const boost::json::value& value)
{
    switch (value.kind()) {
    case boost::json::kind::object:
        out << YAML::BeginMap;
        for (const auto& [key, item] : value.as_object()) {
            out << YAML::Key << std::string(key) << YAML::Value;
            emitJson(out, item);
        }
        out << YAML::EndMap;
        break;
    case boost::json::kind::array:
        out << YAML::BeginSeq;
        for (const auto& item : value.as_array())
            emitJson(out, item);
        out << YAML::EndSeq;
        break;
    case boost::json::kind::string:
        out << YAML::DoubleQuoted << std::string(value.as_string());
        break;
    case boost::json::kind::int64:
        out << value.as_int64();
        break;
    case boost::json::kind::uint64:
        out << value.as_uint64();
        break;
    case boost::json::kind::bool_:
        out << value.as_bool();
        break;
    case boost::json::kind::double_:
        out << value.as_double();
        break;
    case boost::json::kind::null:
        out << YAML::Null;
        break;
    }
}

void emitRetention(YAML::Emitter& out, const BerthRetentionConfig& retention)
{
    out << YAML::Key << "retention" << YAML::Value << YAML::BeginMap;
    emitDuration(out, "schedule", retention.schedule);
    if (retention.rules) {
        const auto document = registry::toJson(*retention.rules);
        for (const auto& [key, value] : document.as_object()) {
            out << YAML::Key << std::string(key) << YAML::Value;
            emitJson(out, value);
        }
    }
    out << YAML::EndMap;
}

} // namespace

std::string toString(const ListenAddress& address)
{
    const bool ipv6 = address.host.find(':') != std::string::npos;
    return (ipv6 ? '[' + address.host + ']' : address.host) + ':' + std::to_string(address.port);
}

std::string ConfigError::describe() const
{
    std::string text = key.empty() ? message : key + ": " + message;
    if (line > 0)
        text += " (line " + std::to_string(line) + ')';
    return text;
}

Config defaultConfig()
{
    Config config;
    config.storage.driver = FilesystemDriverConfig{(defaultDataDirectory() / "berth" / "registry").string()};
    config.storage.deleteEnabled = true;
    return config;
}

ConfigResult loadDefaultConfig()
{
    return readConfig(YAML::Node(), defaultConfig(), false);
}

ConfigResult parseConfig(std::string_view yamlText)
{
    YAML::Node document;
    try {
        document = YAML::Load(std::string(yamlText));
    } catch (const YAML::Exception& error) {
        return unexpected(ConfigError{
            {}, "YAML syntax error: " + error.msg, error.mark.is_null() ? 0 : error.mark.line + 1});
    }
    if (!document.IsDefined() || document.IsNull())
        return unexpected(ConfigError{{}, "the file is empty; it needs at least version and storage", 0});
    if (!document.IsMap())
        return unexpected(
            ConfigError{{}, "expected a mapping of settings at the top level", lineOf(document)});
    return readConfig(document, Config{}, true);
}

ConfigResult loadConfigFile(const std::string& path)
{
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        return unexpected(ConfigError{{}, "cannot read config file " + path + ": it is a directory", 0});
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return unexpected(
            ConfigError{{}, "cannot read config file " + path + ": " + std::strerror(errno), 0});
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad())
        return unexpected(
            ConfigError{{}, "cannot read config file " + path + ": " + std::strerror(errno), 0});
    return parseConfig(text.str());
}

std::string redactedYaml(const Config& config)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "version" << YAML::Value << YAML::DoubleQuoted << config.version;

    out << YAML::Key << "log" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "level" << YAML::Value << std::string(toString(config.log.level));
    out << YAML::Key << "formatter" << YAML::Value << "json";
    if (!config.log.fields.empty())
        out << YAML::Key << "fields" << YAML::Value << config.log.fields;
    out << YAML::Key << "accesslog" << YAML::Value << YAML::BeginMap << YAML::Key << "disabled" << YAML::Value
        << config.log.accessLogDisabled << YAML::EndMap;
    out << YAML::EndMap;

    const auto& storage = config.storage;
    out << YAML::Key << "storage" << YAML::Value << YAML::BeginMap;
    if (const auto* filesystem = std::get_if<FilesystemDriverConfig>(&storage.driver)) {
        out << YAML::Key << "filesystem" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "rootdirectory" << YAML::Value << filesystem->rootDirectory;
        out << YAML::Key << "maxthreads" << YAML::Value << filesystem->maxThreads;
        out << YAML::EndMap;
    } else {
        out << YAML::Key << "inmemory" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::EndMap;
    }
    emitEnabled(out, "delete", storage.deleteEnabled);
    out << YAML::Key << "maintenance" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "uploadpurging" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "enabled" << YAML::Value << storage.uploadPurging.enabled;
    emitDuration(out, "age", storage.uploadPurging.age);
    emitDuration(out, "interval", storage.uploadPurging.interval);
    out << YAML::Key << "dryrun" << YAML::Value << storage.uploadPurging.dryRun;
    out << YAML::EndMap;
    emitEnabled(out, "readonly", storage.readOnly);
    out << YAML::EndMap << YAML::EndMap;

    const auto& http = config.http;
    out << YAML::Key << "http" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "addr" << YAML::Value << toString(http.addr);
    if (!http.host.empty())
        out << YAML::Key << "host" << YAML::Value << http.host;
    if (!http.secret.empty())
        out << YAML::Key << "secret" << YAML::Value << "<redacted>";
    out << YAML::Key << "relativeurls" << YAML::Value << http.relativeUrls;
    emitDuration(out, "draintimeout", http.drainTimeout);
    if (!http.headers.empty()) {
        out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
        for (const auto& [name, values] : http.headers)
            out << YAML::Key << name << YAML::Value << YAML::Flow << values;
        out << YAML::EndMap;
    }
    if (http.tls.enabled()) {
        out << YAML::Key << "tls" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "certificate" << YAML::Value << http.tls.certificate;
        out << YAML::Key << "key" << YAML::Value << http.tls.key;
        out << YAML::EndMap;
    }
    if (http.debug != DebugConfig{}) {
        out << YAML::Key << "debug" << YAML::Value << YAML::BeginMap;
        if (http.debug.addr)
            out << YAML::Key << "addr" << YAML::Value << toString(*http.debug.addr);
        out << YAML::Key << "prometheus" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "enabled" << YAML::Value << http.debug.prometheusEnabled;
        out << YAML::Key << "path" << YAML::Value << http.debug.prometheusPath;
        out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndMap;

    const auto& health = config.health.storageDriver;
    out << YAML::Key << "health" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "storagedriver" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "enabled" << YAML::Value << health.enabled;
    emitDuration(out, "interval", health.interval);
    out << YAML::Key << "threshold" << YAML::Value << health.threshold;
    out << YAML::EndMap << YAML::EndMap;

    if (const auto& htpasswd = config.auth.htpasswd) {
        out << YAML::Key << "auth" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "htpasswd" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "realm" << YAML::Value << htpasswd->realm;
        out << YAML::Key << "path" << YAML::Value << htpasswd->path;
        out << YAML::EndMap << YAML::EndMap;
    }

    out << YAML::Key << "admin" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "addr" << YAML::Value << toString(config.admin.addr);
    if (!config.admin.token.empty())
        out << YAML::Key << "token" << YAML::Value << "<redacted>";
    out << YAML::EndMap;

    const auto& berth = config.berth.http;
    out << YAML::Key << "berth" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "http" << YAML::Value << YAML::BeginMap;
    emitDuration(out, "headertimeout", berth.headerTimeout);
    emitDuration(out, "idletimeout", berth.idleTimeout);
    out << YAML::Key << "maxconnections" << YAML::Value << berth.maxConnections;
    out << YAML::EndMap;
    out << YAML::Key << "storage" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "minfreespace" << YAML::Value << formatByteSize(config.berth.storage.minFreeSpace);
    emitDuration(out, "historyinterval", config.berth.storage.historyInterval);
    out << YAML::EndMap;
    emitRetention(out, config.berth.retention);
    out << YAML::EndMap;

    out << YAML::EndMap;
    return std::string(out.c_str()) + '\n';
}

std::span<const KeyInfo> supportedKeys()
{
    return keys;
}

std::string environmentVariable(std::string_view path)
{
    std::string name(environmentPrefix);
    for (const char c : path)
        name.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return name;
}

} // namespace berth::config
