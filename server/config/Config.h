#pragma once
// berthd's configuration: the subset of CNCF Distribution's config.yml that berthd supports,
// read the way Distribution reads it (same keys, same REGISTRY_* environment overrides),
// plus a `berth:` section for settings Distribution lacks. Unknown keys are warnings;
// invalid values are errors that name the dotted key.

#include "registry/RetentionRules.h"
#include "support/Expected.h"
#include "support/Logger.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace berth::config {

struct LogConfig
{
    LogLevel level = LogLevel::Info;
    // Added to every log line. berthd always logs JSON lines, so log.formatter has no field.
    std::map<std::string, std::string> fields;
    bool accessLogDisabled = false;

    bool operator==(const LogConfig&) const = default;
};

struct FilesystemDriverConfig
{
    std::string rootDirectory = "/var/lib/registry";
    int maxThreads = 100;

    bool operator==(const FilesystemDriverConfig&) const = default;
};

struct InMemoryDriverConfig
{
    bool operator==(const InMemoryDriverConfig&) const = default;
};

// Exactly one driver, as in Distribution.
using StorageDriverConfig = std::variant<FilesystemDriverConfig, InMemoryDriverConfig>;

struct UploadPurgingConfig
{
    // Distribution purges abandoned uploads even when the file does not mention it.
    bool enabled = true;
    std::chrono::milliseconds age = std::chrono::hours{168};
    std::chrono::milliseconds interval = std::chrono::hours{24};
    bool dryRun = false;

    bool operator==(const UploadPurgingConfig&) const = default;
};

struct StorageConfig
{
    StorageDriverConfig driver;
    bool deleteEnabled = false;
    UploadPurgingConfig uploadPurging;
    bool readOnly = false;

    bool operator==(const StorageConfig&) const = default;
};

struct ListenAddress
{
    std::string host;          // empty: every interface; IPv6 without brackets
    std::uint16_t port = 5000; // 0 asks the kernel for a free port

    bool operator==(const ListenAddress&) const = default;
};

// "host:port", with brackets around an IPv6 host.
std::string toString(const ListenAddress& address);

struct TlsConfig
{
    // Both set or both empty; the files existed when the config was read.
    std::string certificate;
    std::string key;

    bool enabled() const { return !certificate.empty(); }
    bool operator==(const TlsConfig&) const = default;
};

// http.debug: Distribution's debug listener; berthd serves only Prometheus metrics there.
struct DebugConfig
{
    std::optional<ListenAddress> addr; // none: no debug listener
    bool prometheusEnabled = false;
    std::string prometheusPath = "/metrics";

    bool operator==(const DebugConfig&) const = default;
};

struct HttpConfig
{
    ListenAddress addr{"127.0.0.1", 5000};
    std::string host; // absolute http(s) URL used in Location headers; empty: from the request
    std::string secret;
    bool relativeUrls = false;
    std::chrono::milliseconds drainTimeout{0}; // 0: close connections at once on shutdown
    std::map<std::string, std::vector<std::string>> headers;
    TlsConfig tls;
    DebugConfig debug;

    bool operator==(const HttpConfig&) const = default;
};

struct StorageDriverHealthConfig
{
    bool enabled = false;
    std::chrono::milliseconds interval = std::chrono::seconds{10};
    int threshold = 1; // failures in a row before unhealthy; Distribution's 0 means 1

    bool operator==(const StorageDriverHealthConfig&) const = default;
};

struct HealthConfig
{
    StorageDriverHealthConfig storageDriver;

    bool operator==(const HealthConfig&) const = default;
};

struct BerthHttpConfig
{
    std::chrono::milliseconds headerTimeout = std::chrono::seconds{10}; // to receive a request's headers
    std::chrono::milliseconds idleTimeout = std::chrono::seconds{60}; // keep-alive connection with no request
    int maxConnections = 4096;

    bool operator==(const BerthHttpConfig&) const = default;
};

// auth.htpasswd: HTTP Basic authentication against an htpasswd file of bcrypt hashes.
struct HtpasswdConfig
{
    std::string realm; // not empty
    std::string path;  // the file existed when the config was read; its lines are read at start

    bool operator==(const HtpasswdConfig&) const = default;
};

// The one access controller Distribution allows; berthd supports htpasswd only.
struct AuthConfig
{
    std::optional<HtpasswdConfig> htpasswd; // none: no authentication

    bool operator==(const AuthConfig&) const = default;
};

// The admin API's listener (berthd's own section; Distribution has none).
struct AdminConfig
{
    ListenAddress addr{"127.0.0.1", 5001}; // loopback only: berthd has no TLS yet
    std::string token; // empty: the admin API is off (unless BERTHD_ADMIN_TOKEN is set)

    bool operator==(const AdminConfig&) const = default;
};

struct BerthStorageConfig
{
    // Below this many free bytes uploads are refused (reads go on); 0 turns it off.
    std::uint64_t minFreeSpace = 0;
    // How often a storage statistics sample is added to the history; 0 turns it off.
    std::chrono::milliseconds historyInterval = std::chrono::hours{1};

    bool operator==(const BerthStorageConfig&) const = default;
};

struct BerthRetentionConfig
{
    // How often the retention rules in force run; 0 turns scheduled runs off.
    std::chrono::milliseconds schedule{0};
    // berth.retention.protect and .rules; rules stored through the admin API win over them.
    std::optional<registry::RetentionRules> rules;

    bool operator==(const BerthRetentionConfig&) const = default;
};

// berthd's own section, `berth:`, for what Distribution's format has no key for.
struct BerthConfig
{
    BerthHttpConfig http;
    BerthStorageConfig storage;
    BerthRetentionConfig retention;

    bool operator==(const BerthConfig&) const = default;
};

// Field defaults are what a config file gets for keys it leaves out, matching Distribution.
struct Config
{
    std::string version = "0.1";
    LogConfig log;
    StorageConfig storage;
    HttpConfig http;
    HealthConfig health;
    AuthConfig auth;
    AdminConfig admin;
    BerthConfig berth;

    bool operator==(const Config&) const = default;
};

struct LoadedConfig
{
    Config config;
    std::vector<std::string> warnings; // each starts with the dotted key or variable it is about
};

struct ConfigError
{
    std::string key; // dotted path such as "storage.delete.enabled"; empty for the whole file
    std::string message;
    int line = 0; // 1-based line in the file; 0 when unknown or from the environment

    // e.g. `storage.delete.enabled: expected true or false, got "maybe" (line 7)`
    std::string describe() const;
};

using ConfigResult = Expected<LoadedConfig, ConfigError>;

// What `berthd serve` without a config file runs: loopback only, storage under
// $XDG_DATA_HOME/berth/registry (or ~/.local/share/berth/registry), deletes enabled.
Config defaultConfig();

// defaultConfig() with the REGISTRY_* environment overrides applied and validated.
ConfigResult loadDefaultConfig();

// Reads a config file; REGISTRY_* environment variables override its scalar keys.
ConfigResult loadConfigFile(const std::string& path);
ConfigResult parseConfig(std::string_view yamlText);

// The effective configuration as config.yml text with secrets replaced by "<redacted>";
// parseConfig reads it back to the same Config apart from those secrets.
std::string redactedYaml(const Config& config);

// One supported key, for the help text and for checking that the reader knows every key.
struct KeyInfo
{
    std::string_view path;    // "storage.delete.enabled"
    std::string_view form;    // what the value looks like: "true|false", "duration", ...
    std::string_view example; // a valid value; empty for mappings, which have no variable
};

std::span<const KeyInfo> supportedKeys();

// REGISTRY_ followed by the path in upper case with dots as underscores, as in Distribution.
std::string environmentVariable(std::string_view path);

} // namespace berth::config
