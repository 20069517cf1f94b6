// The `plugins` command group and its subcommands (one file each).
#pragma once

#include "host/cli/command_set.hpp"

namespace switchboard::cli {

void add_plugins_list_command(CommandSet& commands, CLI::App& group);
void add_plugins_validate_command(CommandSet& commands, CLI::App& group);

} // namespace switchboard::cli
