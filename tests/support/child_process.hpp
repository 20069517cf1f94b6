// Child processes for tests: servers the test owns (redis-server, postgres), tools run to
// completion with their output captured (python3, initdb), and a function run in a forked
// child that may be killed half-way.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::testing {

// How a child ended: `exit_code` when it exited, `signal` when a signal killed it.
struct ExitStatus {
    int exit_code = -1;
    int signal = 0;

    bool exited_with(int code) const { return signal == 0 && exit_code == code; }
    bool killed_by(int sig) const { return signal == sig; }
    std::string describe() const;
};

struct ProcessOptions {
    // argv[0] is looked up in PATH unless it contains a '/'.
    std::vector<std::string> argv;
    // "NAME=value" entries added to (or replacing) this process's environment.
    std::vector<std::string> environment;
    // Empty: the current directory.
    std::filesystem::path working_directory;
    // For ChildProcess::start: stdout and stderr are appended to this file (empty: /dev/null).
    std::filesystem::path output_file;
    // When this process runs as root: switch the child to this system user (uid, gid and
    // no supplementary groups) before exec. Ignored when not root. This is what lets a
    // root test run postgres, which refuses to run as root.
    std::optional<std::string> user;
    // Sent to the child when the thread that started it dies, so a crashed test leaves no
    // server behind (SIGQUIT is PostgreSQL's immediate shutdown).
    int parent_death_signal = SIGTERM;
};

// A running child. Destroying it kills (SIGKILL) and reaps the child if it still runs.
class ChildProcess {
public:
    // Throws std::runtime_error if the program cannot be started (naming it and why).
    static ChildProcess start(const ProcessOptions& options);

    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    pid_t pid() const { return pid_; }
    // False once the child has ended (it is reaped then).
    bool running();
    void send_signal(int sig);
    // The exit status if the child ends within `timeout`.
    std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);
    // Sends `sig`, waits `grace`, then SIGKILLs; returns how the child ended.
    ExitStatus stop(int sig = SIGTERM, std::chrono::milliseconds grace = std::chrono::seconds(10));

private:
    explicit ChildProcess(pid_t pid) : pid_(pid) {}
    pid_t pid_ = -1;
    std::optional<ExitStatus> status_;
};

struct ProcessResult {
    ExitStatus status;
    std::string output; // stdout
    std::string error;  // stderr
    bool timed_out = false;
};

// Runs a program to completion, feeding it `input` on stdin and capturing stdout and
// stderr. After `timeout` the child is killed and `timed_out` is set. `output_file` in
// options is ignored. Throws std::runtime_error if it cannot be started.
ProcessResult run_process(const ProcessOptions& options, std::string_view input = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Runs `body` in a forked child (no exec) and returns how it ended; its return value is the
// exit code. For "the process dies half-way" tests: `body` may _exit() or raise(SIGKILL).
// Fork only from a test that has not started threads of its own. After `timeout` the child
// is killed.
ExitStatus run_in_forked_child(const std::function<int()>& body,
                               std::chrono::milliseconds timeout = std::chrono::seconds(60));

// For a child whose resident memory a test measures: under AddressSanitizer, the inherited
// ASAN_OPTIONS plus a small quarantine ("ASAN_OPTIONS=...:quarantine_size_mb=8"). ASan keeps
// 256 MiB of freed memory by default, so the child's resident set would grow with everything
// it ever allocated; a small quarantine still catches a use after free of recent memory.
// Without ASan: nothing to add.
std::optional<std::string> asan_small_quarantine_environment();

} // namespace switchboard::testing
