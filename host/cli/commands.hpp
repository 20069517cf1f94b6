// Every top-level command of the switchboard executable. To add one, write
// host/cli/<name>_command.cpp defining `void add_<name>_command(CommandSet&)` and add
// X(<name>) to the list below (main.cpp registers the list in order).
#pragma once

#include "host/cli/command_set.hpp"

#define SB_CLI_COMMANDS(X) \
    X(serve)               \
    X(plugins)             \
    X(keygen)              \
    X(rotate_keys)         \
    X(plugin_host)

namespace switchboard::cli {

#define SB_CLI_DECLARE_COMMAND(name) void add_##name##_command(CommandSet& commands);
SB_CLI_COMMANDS(SB_CLI_DECLARE_COMMAND)
#undef SB_CLI_DECLARE_COMMAND

} // namespace switchboard::cli
