// `switchboard plugins`: a group; `list` and `validate` live in their own files.
#include "host/cli/commands.hpp"
#include "host/cli/plugins_command.hpp"

namespace switchboard::cli {

void add_plugins_command(CommandSet& commands) {
    CLI::App* group = commands.app().add_subcommand("plugins", "Inspect and check provider plugins");
    group->require_subcommand(1);
    add_plugins_list_command(commands, *group);
    add_plugins_validate_command(commands, *group);
}

} // namespace switchboard::cli
