#include "CommandLine.h"

#include "Config.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <numeric>
#include <span>
#include <string_view>

namespace berth::config {

namespace {

constexpr std::array<std::string_view, 6> commands{"serve",   "config", "garbage-collect",
                                                   "version", "help",   "--version"};

constexpr std::string_view seeHelp = "run \"berthd --help\" for the commands and options";

std::string inQuotes(std::string_view text)
{
    return '"' + std::string(text) + '"';
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> previous(b.size() + 1);
    std::iota(previous.begin(), previous.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::vector<std::size_t> current(b.size() + 1);
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        previous = std::move(current);
    }
    return previous[b.size()];
}

// "; did you mean serve?" for a near miss, else nothing.
std::string suggestion(std::string_view typed, std::span<const std::string_view> candidates)
{
    for (const auto candidate : candidates) {
        if (editDistance(typed, candidate) <= 2)
            return "; did you mean " + std::string(candidate) + '?';
    }
    return {};
}

CommandLineError error(std::string message)
{
    return CommandLineError{std::move(message)};
}

struct Flag
{
    std::string_view longName;
    std::string_view shortName; // may be empty
    bool& target;
};

// Sets the flags named in `arguments` and returns the rest; "--" ends the options.
Expected<std::vector<std::string>, CommandLineError> splitFlags(std::string_view command,
                                                                std::span<const std::string> arguments,
                                                                std::initializer_list<Flag> flags)
{
    std::vector<std::string> positional;
    bool optionsEnded = false;
    for (const auto& argument : arguments) {
        if (optionsEnded || argument == "-" || !argument.starts_with('-')) {
            positional.push_back(argument);
            continue;
        }
        if (argument == "--") {
            optionsEnded = true;
            continue;
        }
        const auto flag = std::find_if(flags.begin(), flags.end(), [&](const Flag& candidate) {
            return argument == candidate.longName ||
                   (!candidate.shortName.empty() && argument == candidate.shortName);
        });
        if (flag == flags.end()) {
            std::vector<std::string_view> names;
            for (const auto& candidate : flags)
                names.push_back(candidate.longName);
            return unexpected(error("unknown option " + inQuotes(argument) + " for berthd " +
                                    std::string(command) + suggestion(argument, names) + "; " +
                                    std::string(seeHelp)));
        }
        flag->target = true;
    }
    return positional;
}

std::string unexpectedArguments(std::string_view command, std::span<const std::string> extra,
                                std::string_view usage)
{
    std::string list;
    for (const auto& argument : extra)
        list += ' ' + inQuotes(argument);
    return "unexpected argument" + std::string(extra.size() > 1 ? "s" : "") + list + " for berthd " +
           std::string(command) + "; run \"berthd " + std::string(usage) + '"';
}

CommandLineResult parseServe(std::span<const std::string> arguments)
{
    ServeCommand serve;
    auto positional = splitFlags("serve", arguments, {{"--exit-on-stdin-close", {}, serve.exitOnStdinClose}});
    if (!positional)
        return unexpected(std::move(positional).error());
    if (positional->size() > 1) {
        return unexpected(
            error(unexpectedArguments("serve", std::span(*positional).subspan(1), "serve [CONFIG]")));
    }
    if (!positional->empty())
        serve.configPath = positional->front();
    return serve;
}

CommandLineResult parseConfigCommand(std::span<const std::string> arguments)
{
    constexpr std::string_view usage = "run \"berthd config check FILE\" to validate a config file";
    if (arguments.empty())
        return unexpected(error("berthd config needs a subcommand; " + std::string(usage)));
    if (arguments.front() != "check") {
        constexpr std::array<std::string_view, 1> subcommands{"check"};
        return unexpected(error("unknown subcommand " + inQuotes(arguments.front()) + " for berthd config" +
                                suggestion(arguments.front(), subcommands) + "; " + std::string(usage)));
    }
    auto positional = splitFlags("config check", arguments.subspan(1), {});
    if (!positional)
        return unexpected(std::move(positional).error());
    if (positional->empty())
        return unexpected(error("berthd config check needs the config file to check; " + std::string(usage)));
    if (positional->size() > 1) {
        return unexpected(error(
            unexpectedArguments("config check", std::span(*positional).subspan(1), "config check FILE")));
    }
    return ConfigCheckCommand{positional->front()};
}

CommandLineResult parseGarbageCollect(std::span<const std::string> arguments)
{
    constexpr std::string_view usage = "garbage-collect CONFIG [--dry-run] [--delete-untagged]";
    GarbageCollectCommand collect;
    auto positional = splitFlags(
        "garbage-collect", arguments,
        {{"--dry-run", "-d", collect.dryRun}, {"--delete-untagged", "-m", collect.deleteUntagged}});
    if (!positional)
        return unexpected(std::move(positional).error());
    if (positional->empty()) {
        return unexpected(error("berthd garbage-collect needs the registry's config file; run \"berthd " +
                                std::string(usage) + '"'));
    }
    if (positional->size() > 1) {
        return unexpected(
            error(unexpectedArguments("garbage-collect", std::span(*positional).subspan(1), usage)));
    }
    collect.configPath = positional->front();
    return collect;
}

} // namespace

CommandLineResult parseCommandLine(const std::vector<std::string>& arguments)
{
    if (arguments.empty()) {
        return unexpected(error("no command given; run \"berthd serve\" to start the registry, or " +
                                std::string(seeHelp)));
    }
    // Help anywhere before "--" wins, so "berthd serve --help" does not start a server.
    for (const auto& argument : arguments) {
        if (argument == "--")
            break;
        if (argument == "--help" || argument == "-h")
            return HelpCommand{};
    }

    const std::string& command = arguments.front();
    const auto rest = std::span(arguments).subspan(1);
    if (command == "serve")
        return parseServe(rest);
    if (command == "config")
        return parseConfigCommand(rest);
    if (command == "garbage-collect")
        return parseGarbageCollect(rest);
    if (command == "help" || command == "version" || command == "--version" || command == "-v") {
        if (!rest.empty())
            return unexpected(error(unexpectedArguments(command, rest, command)));
        if (command == "help")
            return HelpCommand{};
        return VersionCommand{};
    }
    if (command.starts_with('-')) {
        return unexpected(error("unknown option " + inQuotes(command) + suggestion(command, commands) + "; " +
                                std::string(seeHelp)));
    }
    return unexpected(error("unknown command " + inQuotes(command) + suggestion(command, commands) + "; " +
                            std::string(seeHelp)));
}

CommandLineResult parseCommandLine(int argc, const char* const* argv)
{
    return parseCommandLine(std::vector<std::string>(argv + std::min(argc, 1), argv + argc));
}

std::string helpText()
{
    std::string text = R"(Usage: berthd <command> [options]

berthd is Berth's container image registry. It serves the OCI Distribution API that
docker, podman, skopeo and containerd use, and reads CNCF Distribution's config.yml.

Commands:
  serve [CONFIG]              Run the registry. Without CONFIG it listens on
                              127.0.0.1:5000 and stores images in
                              $XDG_DATA_HOME/berth/registry (~/.local/share/berth/registry).
      --exit-on-stdin-close   Stop when standard input is closed (used by the console,
                              so berthd never outlives it).
  config check FILE           Check FILE, print its warnings, and exit non-zero if invalid.
  garbage-collect CONFIG      Delete blobs that no manifest references, offline: stop
                              berthd or make it read-only first, as with Distribution.
      -d, --dry-run           Only report what would be deleted.
      -m, --delete-untagged   Also delete manifests that no tag points to.
  version, --version, -v      Print the version.
  help, --help, -h            Print this help.

Configuration keys (config.yml):
)";
    std::size_t width = 0;
    for (const auto& key : supportedKeys())
        width = std::max(width, key.path.size());
    for (const auto& key : supportedKeys()) {
        text += "  " + std::string(key.path) + std::string(width + 2 - key.path.size(), ' ') +
                std::string(key.form);
        // An example adds nothing to a list of choices such as true|false.
        if (!key.example.empty() && key.example != key.form && key.form.find('|') == std::string_view::npos)
            text += ", e.g. " + std::string(key.example);
        text += '\n';
    }
    text += R"(
Durations are written as in Go: 500ms, 10s, 1m30s, 168h.
berth.retention.protect and .rules take the admin API's rule document (README.md, Retention):
  protect: [latest, "release-*"]
  rules: [{repositories: "team/*", tags: {include: "^v"}, keep: {most_recent: 5}}]
Rules and a schedule stored through the admin API (the console's Retention page) win over
these and berth.retention.schedule. Scheduled runs log every removal.
Accepted but ignored, with a warning: log.formatter text and logstash, storage.cache,
storage.redirect. Unknown keys are warned about and ignored. Rejected until
berthd supports them: auth kinds other than htpasswd (token, silly) and http.tls.clientcas,
so access control never silently vanishes. auth.htpasswd asks every /v2/ request for HTTP
Basic credentials; the file holds user:bcrypt-hash lines (htpasswd -B) and is read again
when it changes, so users are added without a restart.
http.debug.addr with http.debug.prometheus.enabled serves Prometheus metrics, named as
Distribution names them (registry_http_*), at http.debug.prometheus.path; nothing else.

Environment overrides, as in Distribution: every key above that takes a single value can be
set by REGISTRY_ followed by its path in upper case with dots as underscores; the variable
wins over the file. For example:
)";
    for (const std::string_view path : {"http.addr", "log.level", "storage.filesystem.rootdirectory",
                                        "storage.delete.enabled", "http.secret"}) {
        const auto key = std::find_if(supportedKeys().begin(), supportedKeys().end(),
                                      [&](const KeyInfo& candidate) { return candidate.path == path; });
        text += "  " + environmentVariable(path) + '=' + std::string(key->example) + '\n';
    }
    text += "BERTHD_ADMIN_TOKEN, when set, is the admin API's token and wins over admin.token.\n";
    return text;
}

} // namespace berth::config
