// `switchboard plugins validate PATH`: the conformance check a third party runs before
// shipping a plugin. The check runs in a child process, so a plugin that crashes is a FAIL
// line rather than a dead command.
#include "host/app/logging.hpp"
#include "host/app/plugin_conformance.hpp"
#include "host/cli/plugins_command.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>

namespace switchboard::cli {

namespace {

// One line per check on the pipe: "P\t<name>\t<detail>\n" or "F\t...".
std::string encode(const app::ConformanceCheck& check) {
    auto clean = [](std::string text) {
        for (char& c : text) {
            if (c == '\t' || c == '\n' || c == '\r') {
                c = ' ';
            }
        }
        return text;
    };
    return std::string(check.passed ? "P" : "F") + "\t" + clean(check.name) + "\t" +
           clean(check.detail) + "\n";
}

void print_check(const app::ConformanceCheck& check) {
    std::cout << (check.passed ? "PASS  " : "FAIL  ") << check.name;
    if (!check.detail.empty()) {
        std::cout << (check.passed ? "  (" : ": ") << check.detail << (check.passed ? ")" : "");
    }
    std::cout << std::endl;
}

void write_all(int fd, const std::string& text) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n <= 0) {
            return;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

int run_validate(const std::string& path, const CommonOptions& options) {
    auto config = load_command_config(options, /*required=*/false);
    if (!config) {
        return kExitUsage;
    }
    app::setup_logging(config->log);
    std::cout << "validating " << path << std::endl;

    int fds[2];
    if (::pipe(fds) != 0) {
        print_error(std::string("cannot create a pipe: ") + std::strerror(errno));
        return kExitFailure;
    }
    std::fflush(nullptr);
    pid_t child = ::fork();
    if (child < 0) {
        print_error(std::string("cannot fork: ") + std::strerror(errno));
        return kExitFailure;
    }
    if (child == 0) {
        ::close(fds[0]);
        auto report = app::check_plugin_conformance(
            path, plugin::ContractCatalog::embedded(), plugin::HostServicesOptions{},
            [&](const app::ConformanceCheck& check) { write_all(fds[1], encode(check)); });
        write_all(fds[1], "D\n"); // the check ran to its end
        ::close(fds[1]);
        std::fflush(nullptr);
        ::_exit(report.passed() ? 0 : 1);
    }
    ::close(fds[1]);

    app::ConformanceReport report;
    bool finished = false;
    std::string pending;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        pending.append(buffer, static_cast<std::size_t>(n));
        for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n')) {
            std::string line = pending.substr(0, end);
            pending.erase(0, end + 1);
            if (line == "D") {
                finished = true;
                continue;
            }
            auto first = line.find('\t');
            auto second = line.find('\t', first + 1);
            if (first == std::string::npos || second == std::string::npos) {
                continue;
            }
            app::ConformanceCheck check{line.substr(first + 1, second - first - 1), line[0] == 'P',
                                        line.substr(second + 1)};
            print_check(check);
            report.checks.push_back(std::move(check));
        }
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!finished) {
        // A plugin that crashes (or exits) takes the check process with it; under a sanitizer
        // a crash is an exit code rather than a signal.
        std::string how = WIFSIGNALED(status)
                              ? "died of signal " + std::to_string(WTERMSIG(status)) + " (" +
                                    ::strsignal(WTERMSIG(status)) + ")"
                              : "ended with exit code " + std::to_string(WEXITSTATUS(status));
        app::ConformanceCheck crash{
            "the plugin ran without crashing", false,
            "the check process " + how + " during the check after the last one printed"};
        print_check(crash);
        report.checks.push_back(std::move(crash));
    }
    std::cout << report.checks.size() << (report.checks.size() == 1 ? " check, " : " checks, ")
              << report.failures() << " failed: "
              << (report.passed() ? "PASS" : "FAIL") << std::endl;
    return report.passed() ? kExitOk : kExitFailure;
}

} // namespace

void add_plugins_validate_command(CommandSet& commands, CLI::App& group) {
    auto path = std::make_shared<std::string>();
    CLI::App* command = commands.add(
        group, "validate",
        "Check one plugin library as the host would load it, and its behaviour on bad params "
        "(exit 0 only when every check passes)",
        [path](const CommonOptions& options) { return run_validate(*path, options); });
    command->add_option("PATH", *path, "The plugin library (.so) to check")
        ->required()
        ->check(CLI::ExistingFile);
}

} // namespace switchboard::cli
