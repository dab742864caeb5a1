#pragma once
// berthd's command line, parsed into the command to run. Running it is main's job.

#include "support/Expected.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace berth::config {

struct ServeCommand
{
    std::optional<std::string> configPath; // none: loadDefaultConfig()
    // Set by the console so berthd never outlives it, even if the console is killed.
    bool exitOnStdinClose = false;

    bool operator==(const ServeCommand&) const = default;
};

struct ConfigCheckCommand
{
    std::string configPath;

    bool operator==(const ConfigCheckCommand&) const = default;
};

struct GarbageCollectCommand
{
    std::string configPath;
    bool dryRun = false;
    bool deleteUntagged = false; // also delete manifests no tag points to

    bool operator==(const GarbageCollectCommand&) const = default;
};

struct VersionCommand
{
    bool operator==(const VersionCommand&) const = default;
};

struct HelpCommand
{
    bool operator==(const HelpCommand&) const = default;
};

using Command =
    std::variant<ServeCommand, ConfigCheckCommand, GarbageCollectCommand, VersionCommand, HelpCommand>;

struct CommandLineError
{
    std::string message; // what was wrong and what to run instead
};

using CommandLineResult = Expected<Command, CommandLineError>;

// `arguments` excludes the program name.
CommandLineResult parseCommandLine(const std::vector<std::string>& arguments);
CommandLineResult parseCommandLine(int argc, const char* const* argv);

// What `berthd --help` prints: usage, commands, config keys and environment overrides.
std::string helpText();

} // namespace berth::config
