// One `switchboard plugin-host` child, as the host sees it: spawned with a socket pair (its
// end as fd 3), a scrubbed environment (no secret of the host's: encryption keys, client
// secrets and passwords live in the host's environment) and stdin on /dev/null, in a process
// group of its own (so killing it kills whatever it forked); then its hello awaited, and
// calls exchanged with it one at a time. Every wait has a deadline; a child that misses one
// is killed (SIGKILL to its group) and reaped. Not thread-safe: one call at a time, which
// IsolatedPlugin guarantees by checking a process out of its pool.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/call_context.hpp"
#include "core/plugin/call_deadline.hpp"
#include "core/plugin/clock.hpp"
#include "core/plugin/invocation_checks.hpp"
#include "core/plugin/isolated/frame_channel.hpp"
#include "core/plugin/isolated/wire_messages.hpp"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace switchboard::plugin::isolated {

struct PluginHostLaunch {
    // The `switchboard` executable; /proc/self/exe (the running host) by default.
    std::filesystem::path executable = "/proc/self/exe";
    std::filesystem::path library;
    OutputLimits limits;
    std::size_t log_message_limit = 2048;
    std::string host_version = "0.1.0";
    std::shared_ptr<const Clock> clock; // the host's clock, mirrored by the child
};

// One call as the child runs it.
struct ProcessCall {
    std::uint64_t id = 0;
    std::string provider_id;
    std::string tenant_id;
    std::string connector_id;
    std::string action;
    std::string params;
};

// A log line of the child: its level, its text (untrusted: capped and escaped before it is
// written anywhere), and the call it came during, if any.
using ChildLogSink = std::function<void(sb_log_level level, std::string_view message,
                                        const ProcessCall* during)>;

struct ProcessCallResult {
    enum class End {
        finished,           // `raw` holds what the plugin did
        timed_out,          // the deadline passed: the child was killed
        died,               // the child died (crash, exit): `detail` says how
        protocol_violation, // the child sent something it must not: it was killed
    };
    End end = End::died;
    RawInvocation raw;
    std::string detail;
};

class PluginHostProcess {
public:
    // Spawns the child. Errors: unavailable / `plugin_host_spawn_failed` naming why.
    static Result<std::unique_ptr<PluginHostProcess>> spawn(const PluginHostLaunch& launch);

    // Closes the channel (the child deinits the plugin and exits), waits briefly, then kills
    // and reaps whatever is left.
    ~PluginHostProcess();
    PluginHostProcess(const PluginHostProcess&) = delete;
    PluginHostProcess& operator=(const PluginHostProcess&) = delete;

    pid_t pid() const noexcept { return pid_; }
    bool alive() const noexcept { return !reaped_; }

    // Waits for the child's hello by `deadline`, forwarding its log lines. Errors
    // (invalid_input): `init_failed` etc. (the loader's code and reason, from `failed`),
    // `plugin_host_start_timeout`, `plugin_host_died` (how), `plugin_host_protocol_violation`.
    // On an error the child is killed.
    Result<HelloMessage> await_hello(CallDeadline::Clock::time_point deadline,
                                     const ChildLogSink& log);

    // Runs `call`: sends it, forwards the child's log lines, performs its HTTP requests with
    // `context` (after checking each as sb_host.http would), until its result or `deadline`.
    ProcessCallResult call(const ProcessCall& call, CallContext& context,
                           const CallDeadline& deadline, const ChildLogSink& log);

    // SIGKILL to the child's process group, then reap. Idempotent.
    void kill() noexcept;

    // How the child ended ("exited with code 1", "killed by signal 11 (SIGSEGV)"), once
    // reaped; "" before.
    const std::string& exit_description() const noexcept { return exit_description_; }

private:
    PluginHostProcess(pid_t pid, int fd, std::shared_ptr<const Clock> clock);
    // Waits up to `grace` for the child to end by itself, then kills it; records how it
    // ended.
    void reap(std::chrono::milliseconds grace) noexcept;

    pid_t pid_;
    FrameChannel channel_;
    std::shared_ptr<const Clock> clock_;
    bool reaped_ = false;
    std::string exit_description_;
};

} // namespace switchboard::plugin::isolated
