// The opcat-server command line: subcommands, flags and usage texts. Parsing only; main.cpp
// decides what to run.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "service/server_config.h"

namespace opcat::server {

struct CommandLine {
  enum class Kind {
    kHelp,       // `opcat-server --help`
    kServe,      // `opcat-server serve ...`
    kServeHelp,  // `opcat-server serve --help`
    kAdmin,      // `opcat-server admin ...` (arguments in adminArgs)
    kError,      // bad arguments; `error` says why
  };
  Kind kind = Kind::kError;
  std::string error;
  std::string configFile;  // --config
  // Flags of `serve` as config keys and values, in command-line order (applied after the file).
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<std::string> adminArgs;
};

// Parses the arguments after argv[0].
CommandLine parseCommandLine(const std::vector<std::string>& args);

// The effective serve configuration: defaults, then the config file, then the flags, validated.
Result<ServerConfig> buildServeConfig(const CommandLine& commandLine);

std::string usageText();       // `opcat-server --help`
std::string serveUsageText();  // `opcat-server serve --help`
std::string usageLine();       // one line, printed with argument errors

}  // namespace opcat::server
