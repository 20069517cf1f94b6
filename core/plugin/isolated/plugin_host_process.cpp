#include "core/plugin/isolated/plugin_host_process.hpp"

#include "core/plugin/host_services.hpp"
#include "core/plugin/isolated/child_checks.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

extern char** environ;

namespace switchboard::plugin::isolated {

namespace {

// The variables a child may inherit: locale, time zone, search paths and the sanitizers'
// options. Everything else, secrets included, stays with the host.
bool inherited(std::string_view entry) {
    static constexpr std::array<std::string_view, 12> kNames = {
        "PATH",          "LANG",        "LC_ALL",       "LC_CTYPE",
        "TZ",            "TMPDIR",      "LD_LIBRARY_PATH", "ASAN_OPTIONS",
        "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "MSAN_OPTIONS"};
    const auto equals = entry.find('=');
    if (equals == std::string_view::npos) {
        return false;
    }
    const std::string_view name = entry.substr(0, equals);
    for (std::string_view allowed : kNames) {
        if (name == allowed) {
            return true;
        }
    }
    return false;
}

std::string describe(int status) {
    if (WIFEXITED(status)) {
        return "exited with code " + std::to_string(WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        const char* name = ::sigabbrev_np(signal);
        return "was killed by signal " + std::to_string(signal) +
               (name != nullptr ? std::string(" (SIG") + name + ")" : std::string());
    }
    return "ended";
}

Error start_error(const char* code, std::string message) {
    return Error(ErrorKind::invalid_input, code, std::move(message));
}

} // namespace

PluginHostProcess::PluginHostProcess(pid_t pid, int fd, std::shared_ptr<const Clock> clock)
    : pid_(pid), channel_(fd), clock_(std::move(clock)) {}

Result<std::unique_ptr<PluginHostProcess>> PluginHostProcess::spawn(
    const PluginHostLaunch& launch) {
    int sockets[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
        return Error(ErrorKind::unavailable, "plugin_host_spawn_failed",
                     std::string("cannot create a socket pair: ") + std::strerror(errno));
    }
    int child_end = sockets[1];
    if (child_end == 3) {
        // dup2(3, 3) would keep FD_CLOEXEC and the child would lose its end at exec.
        child_end = ::fcntl(sockets[1], F_DUPFD_CLOEXEC, 4);
        ::close(sockets[1]);
        if (child_end < 0) {
            ::close(sockets[0]);
            return Error(ErrorKind::unavailable, "plugin_host_spawn_failed",
                         std::string("cannot duplicate a socket: ") + std::strerror(errno));
        }
    }

    const auto clock = launch.clock ? launch.clock : std::make_shared<SystemClock>();
    std::vector<std::string> args = {
        launch.executable.string(),
        "plugin-host",
        "--library",
        launch.library.string(),
        "--channel-fd",
        "3",
        "--parent-pid",
        std::to_string(::getpid()),
        "--max-result-bytes",
        std::to_string(launch.limits.max_result_bytes),
        "--max-error-bytes",
        std::to_string(launch.limits.max_error_bytes),
        "--log-message-limit",
        std::to_string(launch.log_message_limit),
        "--host-now-ms",
        std::to_string(clock->now_unix_ms()),
        "--host-version",
        launch.host_version,
    };
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        if (inherited(*e)) {
            envp.push_back(*e);
        }
    }
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, child_end, 3);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                              POSIX_SPAWN_SETPGROUP);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, launch.executable.c_str(), &actions, &attributes,
                                 argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(child_end);
    if (rc != 0) {
        ::close(sockets[0]);
        return Error(ErrorKind::unavailable, "plugin_host_spawn_failed",
                     "cannot start " + launch.executable.string() + " plugin-host: " +
                         std::strerror(rc));
    }
    return std::unique_ptr<PluginHostProcess>(new PluginHostProcess(pid, sockets[0], clock));
}

PluginHostProcess::~PluginHostProcess() {
    if (!reaped_) {
        channel_.close(); // end of file: the child deinits the plugin and exits
        reap(std::chrono::milliseconds(500));
    }
}

void PluginHostProcess::kill() noexcept {
    if (reaped_) {
        return;
    }
    ::kill(-pid_, SIGKILL); // the group: whatever the plugin forked goes too
    ::kill(pid_, SIGKILL);
    reap(std::chrono::milliseconds(0));
}

void PluginHostProcess::reap(std::chrono::milliseconds grace) noexcept {
    if (reaped_) {
        return;
    }
    channel_.close();
    int status = 0;
    const auto until = std::chrono::steady_clock::now() + grace;
    for (;;) {
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            break;
        }
        if (done < 0 && errno != EINTR) {
            status = -1;
            break;
        }
        if (std::chrono::steady_clock::now() >= until) {
            ::kill(-pid_, SIGKILL);
            ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    reaped_ = true;
    exit_description_ = status == -1 ? "could not be waited for" : describe(status);
}

Result<HelloMessage> PluginHostProcess::await_hello(CallDeadline::Clock::time_point deadline,
                                                     const ChildLogSink& log) {
    for (;;) {
        std::string payload;
        const FrameChannel::Status received = channel_.receive(payload, deadline, 4u << 20);
        if (received == FrameChannel::Status::timeout) {
            kill();
            return start_error("plugin_host_start_timeout",
                               "the plugin-host process did not finish loading the library in "
                               "time (its init, or a static constructor, did not return); it "
                               "was killed");
        }
        if (received != FrameChannel::Status::ok) {
            if (received == FrameChannel::Status::too_large) {
                kill();
            } else {
                reap(std::chrono::milliseconds(1000));
            }
            return start_error("plugin_host_died",
                               "the plugin-host process " +
                                   (exit_description_.empty() ? std::string("ended")
                                                              : exit_description_) +
                                   " while loading the library (" +
                                   std::string(to_string(received)) + ")");
        }
        auto message = decode_child_message(payload);
        if (!message) {
            kill();
            return message.error();
        }
        if (auto* line = std::get_if<LogMessage>(&*message)) {
            log(line->level, line->message, nullptr);
            continue;
        }
        if (auto* failed = std::get_if<FailedMessage>(&*message)) {
            reap(std::chrono::milliseconds(1000));
            return start_error(failed->code.empty() ? "plugin_host_failed" : failed->code.c_str(),
                               failed->reason);
        }
        if (auto* hello = std::get_if<HelloMessage>(&*message)) {
            return std::move(*hello);
        }
        kill();
        return start_error("plugin_host_protocol_violation",
                           "the plugin-host process sent a call message before its hello");
    }
}

ProcessCallResult PluginHostProcess::call(const ProcessCall& call, CallContext& context,
                                          const CallDeadline& deadline, const ChildLogSink& log) {
    ProcessCallResult out;
    const auto fail = [&](ProcessCallResult::End end, std::string detail) {
        if (end == ProcessCallResult::End::died) {
            reap(std::chrono::milliseconds(1000));
            detail += exit_description_.empty() ? "" : ": the process " + exit_description_;
        } else {
            kill();
        }
        out.end = end;
        out.detail = std::move(detail);
        return out;
    };
    const auto at = deadline.at();
    InvokeMessage invoke;
    invoke.id = call.id;
    invoke.provider_id = call.provider_id;
    invoke.tenant_id = call.tenant_id;
    invoke.connector_id = call.connector_id;
    invoke.action = call.action;
    invoke.params = call.params;
    invoke.timeout_ms = deadline.remaining().value_or(std::chrono::milliseconds(INT64_MAX)).count();
    invoke.host_now_unix_ms = clock_->now_unix_ms();

    FrameChannel::Status sent = channel_.send(encode(invoke), at);
    if (sent == FrameChannel::Status::timeout) {
        return fail(ProcessCallResult::End::timed_out, "the call could not be sent in time");
    }
    if (sent != FrameChannel::Status::ok) {
        return fail(ProcessCallResult::End::died, "the call could not be sent");
    }
    for (;;) {
        std::string payload;
        const FrameChannel::Status received = channel_.receive(payload, at);
        if (received == FrameChannel::Status::timeout) {
            return fail(ProcessCallResult::End::timed_out, "no result by the deadline");
        }
        if (received == FrameChannel::Status::too_large) {
            return fail(ProcessCallResult::End::protocol_violation,
                        "it announced a message larger than " + std::to_string(kMaxFrameBytes) +
                            " bytes");
        }
        if (received != FrameChannel::Status::ok) {
            return fail(ProcessCallResult::End::died, "the channel closed during the call");
        }
        auto message = decode_child_message(payload);
        if (!message) {
            return fail(ProcessCallResult::End::protocol_violation, message.error().message);
        }
        if (auto* line = std::get_if<LogMessage>(&*message)) {
            log(line->level, line->message, &call);
            continue;
        }
        if (auto* request = std::get_if<HttpMessage>(&*message)) {
            if (request->id != call.id) {
                return fail(ProcessCallResult::End::protocol_violation,
                            "an HTTP request for another call");
            }
            ++out.raw.http_requests;
            HttpResultMessage answer;
            answer.id = call.id;
            auto checked = check_child_request(request->request);
            if (!checked) {
                log(SB_LOG_WARNING,
                    "host refused the plugin's HTTP request: " + checked.error().message, &call);
                answer.host_status = SB_STATUS_INVALID_INPUT;
            } else if (auto response = context.http(*checked); !response) {
                answer.host_status = http_error_status(response.error());
            } else {
                answer.http_status = response->status;
                answer.headers = std::move(response->headers);
                answer.body = std::move(response->body);
            }
            sent = channel_.send(encode(answer), at);
            if (sent == FrameChannel::Status::timeout) {
                return fail(ProcessCallResult::End::timed_out,
                            "the HTTP answer could not be sent in time");
            }
            if (sent != FrameChannel::Status::ok) {
                return fail(ProcessCallResult::End::died, "the channel closed during the call");
            }
            continue;
        }
        if (auto* result = std::get_if<ResultMessage>(&*message)) {
            if (result->id != call.id) {
                return fail(ProcessCallResult::End::protocol_violation,
                            "a result for another call");
            }
            const std::size_t requests = out.raw.http_requests;
            out.raw = std::move(result->raw);
            out.raw.http_requests = requests;
            out.end = ProcessCallResult::End::finished;
            return out;
        }
        return fail(ProcessCallResult::End::protocol_violation,
                    "a hello or failure message during a call");
    }
}

} // namespace switchboard::plugin::isolated
