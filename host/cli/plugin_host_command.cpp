// `switchboard plugin-host`: the child process of isolated mode. The host starts it, one per
// plugin-host process of a library, with its end of a socket pair as --channel-fd; nobody
// else has a reason to. It loads the one library and serves the host's calls until the host
// closes the channel (see core/plugin/isolated/plugin_host_child.hpp). Not in --help.
#include "core/plugin/isolated/plugin_host_child.hpp"
#include "host/cli/commands.hpp"

#include <memory>

namespace switchboard::cli {

void add_plugin_host_command(CommandSet& commands) {
    auto args = std::make_shared<plugin::isolated::PluginHostArgs>();
    auto library = std::make_shared<std::string>();
    CLI::App* command = commands.add(
        commands.app(), "plugin-host",
        "(internal) Run one plugin library for the host in isolated mode, over --channel-fd",
        [args, library](const CommonOptions&) {
            args->library = *library;
            return plugin::isolated::run_plugin_host(*args);
        });
    command->group(""); // started by the host only: kept out of --help
    command->add_option("--library", *library, "The plugin library (.so)")->required();
    command->add_option("--channel-fd", args->channel_fd, "The socket to the host")
        ->required()
        ->check(CLI::Range(3, 1 << 20));
    command->add_option("--parent-pid", args->parent_pid, "The host's pid")->required();
    command->add_option("--max-result-bytes", args->limits.max_result_bytes);
    command->add_option("--max-error-bytes", args->limits.max_error_bytes);
    command->add_option("--log-message-limit", args->log_message_limit);
    command->add_option("--host-now-ms", args->host_now_unix_ms);
    command->add_option("--host-version", args->host_version);
}

} // namespace switchboard::cli
