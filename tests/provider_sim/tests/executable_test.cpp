// The provider-sim executable: starts with one command on a free port, says where on its
// first line, serves, and stops cleanly on SIGTERM.
#include "tests/provider_sim/tests/http_client.hpp"
#include "tests/provider_sim/tests/spec_files.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace switchboard::sim::testing {
namespace {

struct Child {
    pid_t pid = -1;
    FILE* out = nullptr;
};

Child spawn(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    Child child;
    const int rc = posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        throw std::runtime_error("cannot start " + args[0]);
    }
    child.out = fdopen(fds[0], "r");
    return child;
}

int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(ProviderSimExecutable, StartsOnAFreePortAndStopsOnSigterm) {
    Child child = spawn({PROVIDER_SIM_EXE, "--port", "0", "--auto-approve", "--specs-dir", specs_dir().string()});
    char line[256] = {};
    ASSERT_NE(fgets(line, sizeof line, child.out), nullptr);
    const std::string first(line);
    const std::string prefix = "provider-sim listening on http://127.0.0.1:";
    ASSERT_EQ(first.rfind(prefix, 0), 0u) << first;
    const auto port = static_cast<std::uint16_t>(std::stoi(first.substr(prefix.size())));
    const HttpClient client(port);
    const auto health = client.get("/_admin/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.json().at("status"), "ok");
    const auto authorize = client.get(
        "/accounts.google.com/o/oauth2/v2/auth?client_id=sim-google-client-id&redirect_uri=http%3A%2F%2Flocalhost%2Fcb"
        "&response_type=code&scope=openid");
    EXPECT_EQ(authorize.status, 302); // --auto-approve
    kill(child.pid, SIGTERM);
    EXPECT_EQ(wait_exit(child.pid), 0);
    fclose(child.out);
}

TEST(ProviderSimExecutable, AMissingSpecsFolderIsAnErrorNamingIt) {
    Child child = spawn({PROVIDER_SIM_EXE, "--port", "0", "--specs-dir", "/nonexistent/specs"});
    char line[256] = {};
    EXPECT_EQ(fgets(line, sizeof line, child.out), nullptr); // nothing on stdout
    EXPECT_EQ(wait_exit(child.pid), 1);
    fclose(child.out);
}

} // namespace
} // namespace switchboard::sim::testing
