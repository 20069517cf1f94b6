// The child side of isolated mode: what `switchboard plugin-host` runs. It loads ONE plugin
// library with the same loader as the host (PluginLoader::load_library: ABI checks, init,
// descriptor checks), says hello with the plugin's descriptors, then serves the host's
// calls one at a time until the host closes the channel. Its sb_host services are the
// host's, proxied: log lines become `log` messages, sb_host.http becomes an `http` message
// answered by the host (which alone holds the credentials: the child never sees a token),
// and the clock is the host's clock as of the call (advanced by this process's monotonic
// clock). It dies with the host (PR_SET_PDEATHSIG) and keeps no descriptor of the host's
// but stdin/stdout/stderr and the channel.
#pragma once

#include "core/plugin/invocation_checks.hpp"

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace switchboard::plugin::isolated {

struct PluginHostArgs {
    std::filesystem::path library;
    int channel_fd = 3;             // the child's end of the socket pair
    pid_t parent_pid = 0;           // the host; the child exits if it is already gone
    OutputLimits limits;            // the sinks' caps (the host checks them again)
    std::size_t log_message_limit = 2048;
    std::int64_t host_now_unix_ms = 0; // the host's clock at spawn, for init
    std::string host_version = "0.1.0";
};

// Exit codes.
inline constexpr int kPluginHostClosed = 0;       // the host closed the channel
inline constexpr int kPluginHostLoadFailed = 1;   // the library was refused (`failed` sent)
inline constexpr int kPluginHostProtocolError = 2; // the channel broke or carried garbage
inline constexpr int kPluginHostOrphaned = 3;      // the host died before the child started

// The child's whole life; returns its exit code.
int run_plugin_host(const PluginHostArgs& args);

} // namespace switchboard::plugin::isolated
