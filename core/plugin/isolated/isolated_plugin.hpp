// A plugin library in isolated mode: a small pool of supervised `switchboard plugin-host`
// children, each running one call at a time.
//
// - Start: a supervisor thread spawns the first child and waits for its hello (bounded by
//   start_timeout: a plugin whose init hangs is killed and refused); the host validates the
//   plugin's name, ABI and descriptors with the same checks as the in-process loader.
// - Calls check a child out of the pool (another one is spawned, up to `processes`, when all
//   are busy), run on it, and check it back in. A child that misses the call's deadline is
//   killed (504 `plugin_timeout`); one that dies or breaks the protocol is reaped (502
//   `plugin_crashed` / `plugin_protocol_violation`). Only that call fails.
// - Restarts: the supervisor keeps at least one child alive; after a failure it waits
//   restart_backoff, doubled for each consecutive failure (up to max_restart_backoff), before
//   the next start. A call that finds no live child meanwhile answers 503
//   `provider_unavailable` with Retry-After; a call that succeeds resets the backoff. A
//   restarted child must declare exactly the descriptors of the first, or it is refused.
// - Stop: the destructor closes every child's channel (the child deinits and exits), kills
//   what remains and joins the supervisor. The children die with the host anyway
//   (PR_SET_PDEATHSIG, tied to the supervisor thread that spawns them all).
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/call_context.hpp"
#include "core/plugin/call_deadline.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/invocation_checks.hpp"
#include "core/plugin/isolated/plugin_host_process.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <spdlog/logger.h>
#include <switchboard/plugin.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::plugin::isolated {

struct IsolatedPluginOptions {
    PluginHostLaunch launch;              // executable, library, limits, clock, ...
    std::size_t processes = 2;            // at most this many children
    std::chrono::milliseconds restart_backoff{1000};
    std::chrono::milliseconds max_restart_backoff{60000};
    std::chrono::milliseconds start_timeout{30000}; // spawn to hello (the plugin's init)
    std::shared_ptr<spdlog::logger> logger; // nullptr: spdlog's default logger
};

class IsolatedPlugin {
public:
    // Starts the first child and validates what it declares. Errors: the loader's codes and
    // reasons as the child reports them (`init_failed`, `abi_mismatch`, ...), the same
    // checks made here (`invalid_descriptor`, `abi_mismatch`, `invalid_plugin`), or
    // `plugin_host_start_timeout`, `plugin_host_died`, `plugin_host_spawn_failed`,
    // `plugin_host_protocol_violation`. `catalog` must outlive the plugin.
    static Result<std::shared_ptr<IsolatedPlugin>> start(IsolatedPluginOptions options,
                                                         const ContractCatalog& catalog);

    ~IsolatedPlugin();
    IsolatedPlugin(const IsolatedPlugin&) = delete;
    IsolatedPlugin& operator=(const IsolatedPlugin&) = delete;

    const std::filesystem::path& file() const noexcept;
    const std::string& name() const noexcept;    // the plugin's sb_plugin.name
    const std::string& version() const noexcept; // sb_plugin.version
    sb_abi_version abi() const noexcept;
    const std::vector<ProviderDescriptor>& providers() const noexcept;
    spdlog::logger& logger() const noexcept;

    // What one call came to: the plugin's raw invocation when a child answered (to be
    // checked like an in-process one), otherwise the host's outcome (timeout, crash,
    // protocol violation, no child available).
    struct CallResult {
        std::optional<RawInvocation> raw;
        InvokeOutcome outcome;
    };

    // Runs `call` on a child by `deadline`; the child's HTTP requests are performed with
    // `context` on this thread. [thread-safe]
    CallResult call(ProcessCall call, CallContext& context, const CallDeadline& deadline);

    struct Stats {
        std::size_t live_processes = 0;
        std::size_t starts = 0;     // children started, the first included
        std::size_t failures = 0;   // children lost: crashed, killed at a deadline, refused
    };
    Stats stats() const;

    struct State; // the pool and the supervisor's state (in the .cpp)

private:
    explicit IsolatedPlugin(std::shared_ptr<State> state);
    std::shared_ptr<State> state_;
};

} // namespace switchboard::plugin::isolated
