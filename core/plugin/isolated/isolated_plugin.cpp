#include "core/plugin/isolated/isolated_plugin.hpp"

#include "core/plugin/host_services.hpp"
#include "core/plugin/isolated/child_checks.hpp"

#include <spdlog/spdlog.h>
#include <switchboard/descriptor.hpp>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace switchboard::plugin::isolated {

namespace {

int seconds_until(CallDeadline::Clock::time_point at) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(at - CallDeadline::Clock::now());
    return static_cast<int>(std::max<long long>(1, left.count()));
}

} // namespace

struct IsolatedPlugin::State {
    IsolatedPluginOptions options;
    const ContractCatalog* catalog = nullptr;
    CheckedHello identity; // set once by the first start

    mutable std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::unique_ptr<PluginHostProcess>> idle;
    std::size_t busy = 0;
    std::size_t waiting = 0;  // calls waiting for a child
    bool starting = false;    // the supervisor is spawning one
    pid_t starting_pid = 0;   // ... this one, until its hello (the destructor may kill it)
    bool stopping = false;
    bool started_once = false;
    std::optional<Error> first_start_error;
    unsigned consecutive_failures = 0;
    CallDeadline::Clock::time_point next_start{};
    std::size_t starts = 0;
    std::size_t failures = 0;
    std::atomic<std::uint64_t> next_call_id{1};
    std::thread supervisor;

    spdlog::logger& logger() const {
        return options.logger ? *options.logger : *spdlog::default_logger_raw();
    }

    std::string library_name() const { return options.launch.library.filename().string(); }

    // The child's log lines, written as the host writes an in-process plugin's, plus its pid.
    ChildLogSink log_sink(pid_t pid) const {
        return [this, pid](sb_log_level level, std::string_view message,
                           const ProcessCall* during) {
            try {
                const std::string text =
                    sanitize_log_message(message, options.launch.log_message_limit);
                const std::string& plugin =
                    identity.name.empty() ? library_name() : identity.name;
                if (during != nullptr) {
                    logger().log(plugin_log_level(level),
                                 "[plugin {} pid {} provider {} connector {}] {}", plugin, pid,
                                 during->provider_id, during->connector_id, text);
                } else {
                    logger().log(plugin_log_level(level), "[plugin {} pid {}] {}", plugin, pid,
                                 text);
                }
            } catch (...) {
                // A lost log line is the lesser harm.
            }
        };
    }

    // Called with the lock held.
    void record_failure() {
        ++failures;
        ++consecutive_failures;
        const unsigned doublings = std::min(consecutive_failures - 1, 16u);
        const std::chrono::milliseconds wait = std::min<std::chrono::milliseconds>(
            options.max_restart_backoff, options.restart_backoff * (std::int64_t{1} << doublings));
        next_start = CallDeadline::Clock::now() + wait;
    }

    // One child started and checked; on failure, why.
    Result<std::unique_ptr<PluginHostProcess>> start_one() {
        auto process = PluginHostProcess::spawn(options.launch);
        if (!process) {
            return process.error();
        }
        {
            std::lock_guard lock(mutex);
            starting_pid = (*process)->pid();
        }
        auto hello = (*process)->await_hello(CallDeadline::Clock::now() + options.start_timeout,
                                             log_sink((*process)->pid()));
        {
            std::lock_guard lock(mutex);
            starting_pid = 0;
        }
        if (!hello) {
            return hello.error();
        }
        const bool first = !started_once;
        if (first) {
            auto checked = check_hello(std::move(*hello), *catalog);
            if (!checked) {
                (*process)->kill();
                return checked.error();
            }
            identity = std::move(*checked);
            return std::move(*process);
        }
        // A restarted child must be the same plugin: the registry holds its descriptors.
        if (hello->plugin_name != identity.name || hello->plugin_version != identity.version ||
            hello->abi.major != identity.abi.major || hello->abi.minor != identity.abi.minor ||
            hello->providers != identity.as_declared ||
            hello->policies != identity.policies_as_declared) {
            (*process)->kill();
            return Error(ErrorKind::invalid_input, "plugin_changed",
                         "the restarted plugin-host process declares another plugin or other "
                         "providers than the first one (was the library replaced?)");
        }
        return std::move(*process);
    }

    void supervise() {
        std::unique_lock lock(mutex);
        while (!stopping) {
            const std::size_t live = idle.size() + busy;
            const bool wanted =
                live == 0 || (waiting > idle.size() && live < options.processes);
            if (!wanted) {
                changed.wait(lock);
                continue;
            }
            if (CallDeadline::Clock::now() < next_start) {
                changed.wait_until(lock, next_start);
                continue;
            }
            starting = true;
            lock.unlock();
            auto process = start_one();
            lock.lock();
            starting = false;
            if (process) {
                ++starts;
                if (started_once) {
                    logger().info("plugin {}: plugin-host process {} started ({} live)",
                                  library_name(), (*process)->pid(), idle.size() + busy + 1);
                }
                started_once = true;
                idle.push_back(std::move(*process));
            } else if (!started_once) {
                first_start_error = process.error();
                stopping = true;
            } else {
                record_failure();
                logger().error("plugin {}: restarting a plugin-host process failed: {}; next "
                               "attempt in {} s",
                               library_name(), process.error().message,
                               seconds_until(next_start));
            }
            changed.notify_all();
        }
    }
};

IsolatedPlugin::IsolatedPlugin(std::shared_ptr<State> state) : state_(std::move(state)) {}

Result<std::shared_ptr<IsolatedPlugin>> IsolatedPlugin::start(IsolatedPluginOptions options,
                                                               const ContractCatalog& catalog) {
    auto state = std::make_shared<State>();
    state->options = std::move(options);
    state->options.processes = std::max<std::size_t>(1, state->options.processes);
    state->catalog = &catalog;
    // Every child is spawned by this thread, so PR_SET_PDEATHSIG ties them to its life.
    state->supervisor = std::thread([raw = state.get()] { raw->supervise(); });
    std::shared_ptr<IsolatedPlugin> plugin(new IsolatedPlugin(state));
    std::unique_lock lock(state->mutex);
    state->changed.wait(lock, [&] { return state->started_once || state->first_start_error; });
    if (state->first_start_error) {
        Error error = *state->first_start_error;
        lock.unlock();
        return error; // `plugin` stops the supervisor
    }
    return plugin;
}

IsolatedPlugin::~IsolatedPlugin() {
    std::vector<std::unique_ptr<PluginHostProcess>> idle;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        idle.swap(state_->idle);
        if (state_->starting_pid > 0) {
            // A child still in its init (which may never return) would hold the join.
            ::kill(-state_->starting_pid, SIGKILL);
        }
    }
    state_->changed.notify_all();
    idle.clear(); // each closes its channel, waits briefly, kills the rest
    if (state_->supervisor.joinable()) {
        state_->supervisor.join();
    }
}

const std::filesystem::path& IsolatedPlugin::file() const noexcept {
    return state_->options.launch.library;
}
const std::string& IsolatedPlugin::name() const noexcept { return state_->identity.name; }
const std::string& IsolatedPlugin::version() const noexcept { return state_->identity.version; }
sb_abi_version IsolatedPlugin::abi() const noexcept { return state_->identity.abi; }
const std::vector<ProviderDescriptor>& IsolatedPlugin::providers() const noexcept {
    return state_->identity.providers;
}

spdlog::logger& IsolatedPlugin::logger() const noexcept { return state_->logger(); }

IsolatedPlugin::Stats IsolatedPlugin::stats() const {
    std::lock_guard lock(state_->mutex);
    return Stats{state_->idle.size() + state_->busy, state_->starts, state_->failures};
}

IsolatedPlugin::CallResult IsolatedPlugin::call(ProcessCall call, CallContext& context,
                                                const CallDeadline& deadline) {
    State& s = *state_;
    CallResult out;
    const auto budget = deadline.remaining().value_or(std::chrono::milliseconds(0));
    std::unique_ptr<PluginHostProcess> process;
    {
        std::unique_lock lock(s.mutex);
        ++s.waiting;
        s.changed.notify_all();
        for (;;) {
            if (!s.idle.empty()) {
                process = std::move(s.idle.back());
                s.idle.pop_back();
                break;
            }
            const auto now = CallDeadline::Clock::now();
            const std::size_t live = s.idle.size() + s.busy;
            if (s.stopping || (live == 0 && !s.starting && now < s.next_start)) {
                --s.waiting;
                out.outcome = unavailable_outcome(
                    "provider_unavailable",
                    "the plugin of provider '" + call.provider_id +
                        "' is restarting after a failure; retry later",
                    seconds_until(s.stopping ? now : s.next_start));
                return out;
            }
            if (deadline.expired()) {
                --s.waiting;
                out.outcome = timeout_outcome(call.provider_id, call.action, budget,
                                              "no plugin-host process became free in time");
                return out;
            }
            if (const auto at = deadline.at()) {
                s.changed.wait_until(lock, *at);
            } else {
                s.changed.wait(lock);
            }
        }
        --s.waiting;
        ++s.busy;
    }

    call.id = s.next_call_id.fetch_add(1);
    const pid_t pid = process->pid();
    ProcessCallResult result = process->call(call, context, deadline, s.log_sink(pid));

    std::lock_guard lock(s.mutex);
    --s.busy;
    if (result.end == ProcessCallResult::End::finished) {
        s.consecutive_failures = 0;
        s.next_start = {};
        s.idle.push_back(std::move(process));
        s.changed.notify_all();
        out.raw = std::move(result.raw);
        return out;
    }
    s.record_failure();
    s.changed.notify_all();
    const std::string who = "plugin " + s.library_name() + ": plugin-host process " +
                            std::to_string(pid) + " (action '" + call.action + "' of provider '" +
                            call.provider_id + "', connector " + call.connector_id + ")";
    switch (result.end) {
    case ProcessCallResult::End::timed_out:
        s.logger().warn("{} missed the call's deadline ({} ms) and was killed; restart in {} s",
                        who, budget.count(), seconds_until(s.next_start));
        out.outcome = timeout_outcome(call.provider_id, call.action, budget,
                                      "its plugin-host process was killed and is restarted");
        break;
    case ProcessCallResult::End::died:
        s.logger().error("{} died during the call: {}; restart in {} s", who, result.detail,
                         seconds_until(s.next_start));
        out.outcome = host_outcome(SB_STATUS_INTERNAL, "plugin_crashed",
                                   "the plugin of provider '" + call.provider_id +
                                       "' crashed during action '" + call.action +
                                       "'; it is restarted");
        out.outcome.fault = PluginFault::crashed;
        break;
    case ProcessCallResult::End::protocol_violation:
    case ProcessCallResult::End::finished:
        s.logger().error("{} broke the plugin-host protocol ({}) and was killed; restart in {} s",
                         who, result.detail, seconds_until(s.next_start));
        out.outcome = host_outcome(SB_STATUS_INTERNAL, "plugin_protocol_violation",
                                   "the plugin of provider '" + call.provider_id +
                                       "' sent the host something it must not; it is restarted");
        out.outcome.fault = PluginFault::contract_violation;
        break;
    }
    return out;
}

} // namespace switchboard::plugin::isolated
