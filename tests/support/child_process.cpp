#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace switchboard::testing {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe2");
        read_end = fds[0];
        write_end = fds[1];
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    void close_read() {
        if (read_end >= 0) ::close(read_end);
        read_end = -1;
    }
    void close_write() {
        if (write_end >= 0) ::close(write_end);
        write_end = -1;
    }
};

struct Credentials {
    uid_t uid = 0;
    gid_t gid = 0;
};

std::optional<Credentials> credentials_for(const ProcessOptions& options) {
    if (!options.user || ::geteuid() != 0) return std::nullopt;
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwnam_r(options.user->c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
        found == nullptr) {
        throw std::runtime_error("no system user named '" + *options.user + "'");
    }
    return Credentials{entry.pw_uid, entry.pw_gid};
}

// Everything the child needs, prepared before fork so the child only makes system calls.
struct ExecPlan {
    std::vector<std::string> argv_storage;
    std::vector<char*> argv;
    std::vector<std::string> env_storage;
    std::vector<char*> env;
    std::string working_directory;
    std::optional<Credentials> credentials;
    int parent_death_signal = SIGTERM;
    pid_t parent = 0;
};

ExecPlan make_plan(const ProcessOptions& options) {
    if (options.argv.empty()) throw std::invalid_argument("ProcessOptions.argv is empty");
    ExecPlan plan;
    plan.argv_storage = options.argv;
    for (auto& arg : plan.argv_storage) plan.argv.push_back(arg.data());
    plan.argv.push_back(nullptr);

    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view item(*entry);
        const auto name = item.substr(0, item.find('='));
        bool overridden = false;
        for (const auto& extra : options.environment) {
            if (std::string_view(extra).substr(0, extra.find('=')) == name) overridden = true;
        }
        if (!overridden) plan.env_storage.emplace_back(item);
    }
    for (const auto& extra : options.environment) plan.env_storage.push_back(extra);
    for (auto& entry : plan.env_storage) plan.env.push_back(entry.data());
    plan.env.push_back(nullptr);

    plan.working_directory = options.working_directory.string();
    plan.credentials = credentials_for(options);
    plan.parent_death_signal = options.parent_death_signal;
    plan.parent = ::getpid();
    return plan;
}

[[noreturn]] void die_in_child(int report_fd, const char* step) {
    const int error = errno;
    [[maybe_unused]] auto a = ::write(report_fd, &error, sizeof(error));
    [[maybe_unused]] auto b = ::write(report_fd, step, std::strlen(step));
    ::_exit(127);
}

// Runs in the child after fork: wire the descriptors, drop privileges, exec. Any failure is
// reported through `report_fd` as an errno value plus a step name, then _exit(127).
[[noreturn]] void exec_child(const ExecPlan& plan, int stdin_fd, int stdout_fd, int stderr_fd,
                             int report_fd) {
    auto die = [report_fd](const char* step) { die_in_child(report_fd, step); };
    if (::dup2(stdin_fd, 0) < 0 || ::dup2(stdout_fd, 1) < 0 || ::dup2(stderr_fd, 2) < 0) {
        die("dup2");
    }
    ::setpgid(0, 0); // its own process group: a terminal's Ctrl-C goes to the test only
    if (!plan.working_directory.empty() && ::chdir(plan.working_directory.c_str()) != 0) {
        die("chdir");
    }
    if (plan.credentials) {
        const gid_t gid = plan.credentials->gid;
        if (::setgroups(1, &gid) != 0 || ::setgid(gid) != 0 ||
            ::setuid(plan.credentials->uid) != 0) {
            die("setuid");
        }
    }
    // After setuid: a change of credentials clears the parent-death signal.
    if (::prctl(PR_SET_PDEATHSIG, plan.parent_death_signal) != 0) die("prctl");
    if (::getppid() != plan.parent) ::_exit(127); // the parent died before prctl
    ::execvpe(plan.argv[0], plan.argv.data(), plan.env.data());
    die_in_child(report_fd, "exec");
}

pid_t spawn(const ExecPlan& plan, int stdin_fd, int stdout_fd, int stderr_fd) {
    Pipe report;
    const pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) exec_child(plan, stdin_fd, stdout_fd, stderr_fd, report.write_end);
    report.close_write();
    int error = 0;
    char step[64] = {};
    const ssize_t got = ::read(report.read_end, &error, sizeof(error));
    if (got == static_cast<ssize_t>(sizeof(error))) {
        [[maybe_unused]] auto ignored = ::read(report.read_end, step, sizeof(step) - 1);
        int status = 0;
        ::waitpid(pid, &status, 0);
        throw std::runtime_error("cannot start " + plan.argv_storage.front() + " (" + step +
                                 "): " + std::strerror(error));
    }
    return pid;
}

ExitStatus decode(int status) {
    ExitStatus result;
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    return result;
}

// Waits for `pid` until `deadline`; nullopt if it is still running then.
std::optional<ExitStatus> wait_until(pid_t pid, Clock::time_point deadline) {
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    while (true) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            if (pidfd >= 0) ::close(pidfd);
            return decode(status);
        }
        if (done < 0 && errno != EINTR) {
            if (pidfd >= 0) ::close(pidfd);
            fail("waitpid");
        }
        const auto now = Clock::now();
        if (now >= deadline) {
            if (pidfd >= 0) ::close(pidfd);
            return std::nullopt;
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
        if (pidfd >= 0) {
            pollfd entry{pidfd, POLLIN, 0};
            ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, 1000)) + 1);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long long>(left, 10)));
        }
    }
}

int open_or_fail(const char* path, int flags) {
    const int fd = ::open(path, flags | O_CLOEXEC, 0644);
    if (fd < 0) fail(std::string("open ") + path);
    return fd;
}

} // namespace

std::string ExitStatus::describe() const {
    if (signal != 0) return "killed by signal " + std::to_string(signal);
    return "exited with code " + std::to_string(exit_code);
}

ChildProcess ChildProcess::start(const ProcessOptions& options) {
    const ExecPlan plan = make_plan(options);
    const int null_in = open_or_fail("/dev/null", O_RDONLY);
    const int out = options.output_file.empty()
                        ? open_or_fail("/dev/null", O_WRONLY)
                        : open_or_fail(options.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND);
    pid_t pid = -1;
    try {
        pid = spawn(plan, null_in, out, out);
    } catch (...) {
        ::close(null_in);
        ::close(out);
        throw;
    }
    ::close(null_in);
    ::close(out);
    return ChildProcess(pid);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), status_(std::move(other.status_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        if (pid_ > 0 && !status_) stop(SIGKILL, std::chrono::seconds(10));
        pid_ = std::exchange(other.pid_, -1);
        status_ = std::move(other.status_);
    }
    return *this;
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0 && !status_) {
        try {
            stop(SIGKILL, std::chrono::seconds(10));
        } catch (...) {
        }
    }
}

bool ChildProcess::running() {
    if (pid_ <= 0 || status_) return false;
    status_ = wait_until(pid_, Clock::now());
    return !status_;
}

void ChildProcess::send_signal(int sig) {
    if (running()) ::kill(pid_, sig);
}

std::optional<ExitStatus> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return std::nullopt;
    if (!status_) status_ = wait_until(pid_, Clock::now() + timeout);
    return status_;
}

ExitStatus ChildProcess::stop(int sig, std::chrono::milliseconds grace) {
    if (pid_ <= 0) return {};
    if (!status_) {
        ::kill(pid_, sig);
        status_ = wait_until(pid_, Clock::now() + grace);
        if (!status_) {
            ::kill(pid_, SIGKILL);
            status_ = wait_until(pid_, Clock::now() + std::chrono::seconds(30));
        }
    }
    return status_.value_or(ExitStatus{});
}

ProcessResult run_process(const ProcessOptions& options, std::string_view input,
                          std::chrono::milliseconds timeout) {
    // A child that exits before reading all its input must not kill the test with SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
    const ExecPlan plan = make_plan(options);
    Pipe in, out, err;
    const pid_t pid = spawn(plan, in.read_end, out.write_end, err.write_end);
    in.close_read();
    out.close_write();
    err.close_write();
    ::fcntl(in.write_end, F_SETFL, O_NONBLOCK);
    if (input.empty()) in.close_write();

    ProcessResult result;
    const auto deadline = Clock::now() + timeout;
    std::size_t written = 0;
    char buffer[4096];
    while (out.read_end >= 0 || err.read_end >= 0) {
        std::vector<pollfd> fds;
        if (out.read_end >= 0) fds.push_back({out.read_end, POLLIN, 0});
        if (err.read_end >= 0) fds.push_back({err.read_end, POLLIN, 0});
        if (in.write_end >= 0) fds.push_back({in.write_end, POLLOUT, 0});
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            result.timed_out = true;
            break;
        }
        if (::poll(fds.data(), fds.size(), static_cast<int>(left)) < 0 && errno != EINTR) {
            fail("poll");
        }
        for (const auto& entry : fds) {
            if (entry.revents == 0) continue;
            if (entry.fd == in.write_end) {
                const ssize_t n =
                    ::write(in.write_end, input.data() + written, input.size() - written);
                if (n > 0) written += static_cast<std::size_t>(n);
                if (n < 0 && errno != EAGAIN) in.close_write(); // the child closed stdin
                if (written == input.size()) in.close_write();
                continue;
            }
            const ssize_t n = ::read(entry.fd, buffer, sizeof(buffer));
            std::string& sink = entry.fd == out.read_end ? result.output : result.error;
            if (n > 0) {
                sink.append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                if (entry.fd == out.read_end)
                    out.close_read();
                else
                    err.close_read();
            }
        }
    }
    in.close_write();
    if (result.timed_out) ::kill(pid, SIGKILL);
    auto status = wait_until(pid, result.timed_out ? Clock::now() + std::chrono::seconds(30)
                                                   : deadline + std::chrono::seconds(1));
    if (!status) {
        ::kill(pid, SIGKILL);
        result.timed_out = true;
        status = wait_until(pid, Clock::now() + std::chrono::seconds(30));
    }
    result.status = status.value_or(ExitStatus{});
    return result;
}

ExitStatus run_in_forked_child(const std::function<int()>& body,
                               std::chrono::milliseconds timeout) {
    const pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
        int code = 1;
        try {
            code = body();
        } catch (...) {
            code = 125;
        }
        ::_exit(code); // no atexit handlers, no gtest teardown in the child
    }
    auto status = wait_until(pid, Clock::now() + timeout);
    if (!status) {
        ::kill(pid, SIGKILL);
        status = wait_until(pid, Clock::now() + std::chrono::seconds(30));
    }
    return status.value_or(ExitStatus{});
}

std::optional<std::string> asan_small_quarantine_environment() {
#if defined(__SANITIZE_ADDRESS__)
    const char* inherited = std::getenv("ASAN_OPTIONS");
    return std::string("ASAN_OPTIONS=") +
           (inherited != nullptr ? std::string(inherited) + ":" : "") + "quarantine_size_mb=8";
#else
    return std::nullopt;
#endif
}

} // namespace switchboard::testing
