// The fixtures themselves: other test folders rely on them behaving exactly as documented.
#include "tests/support/child_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/specs.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace switchboard::testing {
namespace {

TEST(FreePort, IsANonZeroPortNothingListensOn) {
    const auto port = free_loopback_port();
    EXPECT_GT(port, 0);
}

TEST(TempDir, IsCreatedPrivateAndRemovedWithItsContents) {
    std::filesystem::path kept;
    {
        TempDir dir("sb-support-");
        kept = dir.path();
        EXPECT_TRUE(std::filesystem::is_directory(kept));
        const auto perms = std::filesystem::status(kept).permissions();
        EXPECT_EQ(perms & std::filesystem::perms::others_all, std::filesystem::perms::none);
        std::ofstream(dir / "file") << "x";
    }
    EXPECT_FALSE(std::filesystem::exists(kept));
}

TEST(RunProcess, FeedsStdinAndCapturesBothStreamsAndTheExitCode) {
    ProcessOptions options;
    options.argv = {"/bin/sh", "-c", "cat; echo err >&2; exit 3"};
    const auto result = run_process(options, "hello");
    EXPECT_TRUE(result.status.exited_with(3)) << result.status.describe();
    EXPECT_EQ(result.output, "hello");
    EXPECT_EQ(result.error, "err\n");
    EXPECT_FALSE(result.timed_out);
}

TEST(RunProcess, PassesExtraEnvironment) {
    ProcessOptions options;
    options.argv = {"/bin/sh", "-c", "printf %s \"$SB_SUPPORT_VALUE\""};
    options.environment = {"SB_SUPPORT_VALUE=42"};
    EXPECT_EQ(run_process(options).output, "42");
}

TEST(RunProcess, KillsAChildThatOverrunsItsTimeout) {
    ProcessOptions options;
    options.argv = {"/bin/sleep", "30"};
    const auto result = run_process(options, {}, std::chrono::milliseconds(200));
    EXPECT_TRUE(result.timed_out);
    EXPECT_TRUE(result.status.killed_by(SIGKILL)) << result.status.describe();
}

TEST(RunProcess, ReportsAProgramThatCannotStart) {
    ProcessOptions options;
    options.argv = {"/nonexistent/sb-no-such-program"};
    try {
        run_process(options);
        FAIL() << "expected an exception";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("sb-no-such-program"), std::string::npos);
    }
}

TEST(ChildProcess, StopsWithTheGivenSignal) {
    ProcessOptions options;
    options.argv = {"/bin/sleep", "30"};
    auto child = ChildProcess::start(options);
    EXPECT_TRUE(child.running());
    EXPECT_FALSE(child.wait_for(std::chrono::milliseconds(10)));
    const auto status = child.stop(SIGTERM);
    EXPECT_TRUE(status.killed_by(SIGTERM)) << status.describe();
    EXPECT_FALSE(child.running());
}

TEST(ForkedChild, ReturnsTheExitCodeOrTheSignal) {
    EXPECT_TRUE(run_in_forked_child([] { return 7; }).exited_with(7));
    EXPECT_TRUE(run_in_forked_child([] {
                    ::raise(SIGKILL);
                    return 0;
                }).killed_by(SIGKILL));
}

TEST(Specs, AMissingFileIsAnErrorNamingThePath) {
    try {
        read_spec("no/such/file.json");
        FAIL() << "expected an exception";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("no/such/file.json"), std::string::npos);
    }
    EXPECT_FALSE(read_spec("fernet/verify.json").empty());
}

} // namespace
} // namespace switchboard::testing
