// The built `switchboard` executable against a temporary plugins directory made of the test
// libraries: help, plugins list (text and JSON), --plugins-dir, plugins validate, serve, and
// the exit codes (0 ok, 1 runtime failure, 2 usage or config error).
#include "tests/host/run_process.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#ifndef SB_SWITCHBOARD_EXE
#error "SB_SWITCHBOARD_EXE must name the built switchboard executable"
#endif

namespace switchboard {
namespace {

using nlohmann::json;
using testing::ProcessResult;
using testing::PluginsDir;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class CliTest : public ::testing::Test {
protected:
    void SetUp() override {
        plugins_ = dir_.path() / "plugins";
        std::filesystem::create_directories(plugins_);
        for (const char* name : {"good_one", "good_two", "abi_major"}) {
            std::filesystem::copy_file(testing::test_library(name),
                                       plugins_ / ("sbt_" + std::string(name) + ".so"));
        }
        std::ofstream(plugins_ / "zz_notes.so") << "a text file, not a shared library\n";
        config_ = dir_.write("switchboard.json", R"({
            "log": {"level": "error"},
            "providers": {"test_calendar": {"library": "sbt_good_one.so"},
                          "test_crm": {"library": "sbt_good_two.so", "mode": "isolated"},
                          "test_drive": {"library": "sbt_good_two.so", "enabled": false}}
        })");
    }

    ProcessResult run(std::vector<std::string> args) const {
        return testing::run_process(SB_SWITCHBOARD_EXE, args, dir_.path());
    }

    PluginsDir dir_;
    std::filesystem::path plugins_;
    std::filesystem::path config_;
};

TEST_F(CliTest, HelpOnEveryCommand) {
    auto top = run({"--help"});
    EXPECT_EQ(top.exit_code, 0);
    EXPECT_TRUE(contains(top.out, "serve"));
    EXPECT_TRUE(contains(top.out, "plugins"));
    for (std::vector<std::string> command :
         {std::vector<std::string>{"serve"}, {"plugins", "list"}, {"plugins", "validate"}}) {
        command.push_back("--help");
        auto help = run(command);
        EXPECT_EQ(help.exit_code, 0) << command[0];
        EXPECT_TRUE(contains(help.out, "--config FILE")) << help.out;
        EXPECT_TRUE(contains(help.out, "--plugins-dir DIR")) << help.out;
    }
    EXPECT_TRUE(contains(run({"plugins", "list", "--help"}).out, "--json"));
    EXPECT_TRUE(contains(run({"plugins", "validate", "--help"}).out, "PATH"));
    auto group = run({"plugins", "--help"});
    EXPECT_EQ(group.exit_code, 0);
    EXPECT_TRUE(contains(group.out, "validate"));
    EXPECT_FALSE(contains(top.out, "plugin-host")) << "started by the host only";
}

TEST_F(CliTest, PluginHostRefusesToRunWithoutItsChannel) {
    auto r = run({"plugin-host", "--library", testing::test_library("good_one").string()});
    EXPECT_EQ(r.exit_code, 2) << "--channel-fd and --parent-pid are required";
    // A parent that is not this process's: the child gives up before loading anything.
    auto orphan = run({"plugin-host", "--library", testing::test_library("good_one").string(),
                       "--channel-fd", "3", "--parent-pid", "1"});
    EXPECT_EQ(orphan.exit_code, 3);
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
    EXPECT_EQ(run({}).exit_code, 2);
    EXPECT_EQ(run({"frobnicate"}).exit_code, 2);
    EXPECT_EQ(run({"plugins"}).exit_code, 2);
    EXPECT_EQ(run({"plugins", "list", "--no-such-flag"}).exit_code, 2);
    EXPECT_EQ(run({"plugins", "validate"}).exit_code, 2) << "PATH is required";
    EXPECT_EQ(run({"plugins", "validate", (dir_.path() / "missing.so").string()}).exit_code, 2);
}

TEST_F(CliTest, PluginsListPrintsProvidersThenSkippedLibraries) {
    auto r = run({"plugins", "list", "--config", config_.string(), "--plugins-dir",
                  plugins_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string one = (plugins_ / "sbt_good_one.so").string();
    const std::string two = (plugins_ / "sbt_good_two.so").string();
    std::vector<std::string> lines;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    auto line_with = [&](const std::string& a, const std::string& b) {
        for (const auto& l : lines) {
            if (contains(l, a) && contains(l, b)) {
                return l;
            }
        }
        return std::string();
    };
    std::string calendar = line_with("test_calendar", one);
    ASSERT_FALSE(calendar.empty()) << r.out;
    EXPECT_TRUE(contains(calendar, "calendar"));
    EXPECT_TRUE(contains(calendar, "1.3"));
    EXPECT_TRUE(contains(calendar, "enabled"));
    EXPECT_TRUE(contains(calendar, "in_process"));
    EXPECT_TRUE(contains(line_with("test_crm", two), " enabled"));
    EXPECT_TRUE(contains(line_with("test_crm", two), "isolated"));
    EXPECT_TRUE(contains(line_with("test_drive", two), "loaded, not enabled"));
    EXPECT_TRUE(contains(line_with("skipped", "sbt_abi_major.so"),
                         "built against ABI 2.0, another major version"));
    EXPECT_TRUE(contains(line_with("skipped", "zz_notes.so"), "not a loadable shared library"));
    // Providers come first, then the skipped libraries.
    auto first_skipped = r.out.find("skipped ");
    EXPECT_GT(first_skipped, r.out.find("test_drive"));
}

TEST_F(CliTest, PluginsListJson) {
    auto r = run({"plugins", "list", "--json", "--config", config_.string(), "--plugins-dir",
                  plugins_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json out = json::parse(r.out);
    EXPECT_EQ(out["plugins_directory"], plugins_.string());
    ASSERT_EQ(out["providers"].size(), 3u);
    json calendar = out["providers"][0];
    EXPECT_EQ(calendar["id"], "test_calendar");
    EXPECT_EQ(calendar["category"], "calendar");
    EXPECT_EQ(calendar["abi"], "1.3");
    EXPECT_EQ(calendar["status"], "enabled");
    EXPECT_EQ(calendar["mode"], "in_process");
    EXPECT_EQ(out["providers"][1]["mode"], "isolated");
    EXPECT_EQ(calendar["library"], (plugins_ / "sbt_good_one.so").string());
    EXPECT_EQ(out["providers"][2]["status"], "loaded, not enabled");
    ASSERT_EQ(out["skipped"].size(), 2u);
    EXPECT_EQ(out["skipped"][0]["library"], (plugins_ / "sbt_abi_major.so").string());
    EXPECT_TRUE(contains(out["skipped"][0]["reason"], "ABI 2.0"));
    EXPECT_TRUE(out["missing"].empty());
}

TEST_F(CliTest, PluginsDirOverridesTheConfig) {
    std::filesystem::create_directories(dir_.path() / "empty");
    auto config = dir_.write("with_dir.json", R"({"log": {"level": "error"},
        "plugins": {"directory": "empty"}, "providers": {"test_calendar": {}}})");
    auto from_config = run({"plugins", "list", "--json", "--config", config.string()});
    ASSERT_EQ(from_config.exit_code, 0) << from_config.err;
    json a = json::parse(from_config.out);
    EXPECT_EQ(a["plugins_directory"], (dir_.path() / "empty").string())
        << "plugins.directory is resolved against the config file's directory";
    EXPECT_TRUE(a["providers"].empty());
    EXPECT_EQ(a["missing"], json::array({"test_calendar"}));

    auto overridden = run({"plugins", "list", "--json", "--config", config.string(),
                           "--plugins-dir", plugins_.string()});
    ASSERT_EQ(overridden.exit_code, 0);
    EXPECT_EQ(json::parse(overridden.out)["providers"].size(), 3u);
}

TEST_F(CliTest, MissingPluginsDirectoryIsARuntimeFailure) {
    auto r = run({"plugins", "list", "--config", config_.string(), "--plugins-dir",
                  (dir_.path() / "nowhere").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "nowhere")) << r.err;
}

TEST_F(CliTest, BadConfigExitsWithTwoAndNamesTheKeyPath) {
    auto bad = dir_.write("bad.json", R"({"server": {"port": 70000}})");
    for (std::vector<std::string> command :
         {std::vector<std::string>{"plugins", "list"}, {"serve"}}) {
        command.insert(command.end(), {"--config", bad.string()});
        auto r = run(command);
        EXPECT_EQ(r.exit_code, 2) << command[0];
        EXPECT_TRUE(contains(r.err, "server.port: must be an integer between 0 and 65535"))
            << r.err;
    }
    auto missing = run({"serve", "--config", (dir_.path() / "absent.json").string()});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_TRUE(contains(missing.err, "absent.json"));
}

TEST_F(CliTest, ServeRefusesToStartWithoutCallerAuthentication) {
    // The plugins load, then the server is refused: no auth.jwt and no auth.api_keys would
    // make every API call a 401. One log line says why; the exit code is 1.
    auto r = run({"serve", "--config", config_.string(), "--plugins-dir", plugins_.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "cannot serve: auth: neither auth.jwt nor auth.api_keys is "
                                "configured"))
        << r.err;
}

TEST_F(CliTest, ValidatePassesAGoodLibrary) {
    auto r = run({"plugins", "validate", testing::test_library("good_two").string(), "--config",
                  config_.string()});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(contains(r.out, "PASS  load:"));
    EXPECT_TRUE(contains(r.out, "PASS  test_crm: descriptor and actions belong to the 'crm/1' "
                                "contract"))
        << r.out;
    EXPECT_TRUE(contains(r.out, "PASS  test_crm.get_contact refuses {} (required fields missing)"));
    EXPECT_TRUE(contains(r.out, "PASS  test_drive.delete_file refuses non-JSON bytes"));
    EXPECT_TRUE(contains(r.out, "PASS  test_crm: an unknown action returns unsupported"));
    EXPECT_TRUE(contains(r.out, "PASS  destroy connectors, deinit and unload"));
    EXPECT_FALSE(contains(r.out, "FAIL"));
    EXPECT_TRUE(contains(r.out, " 0 failed: PASS"));
}

TEST_F(CliTest, ValidateFailsALibraryThatMishandlesBadParams) {
    auto r = run({"plugins", "validate", testing::test_library("sloppy").string(), "--config",
                  config_.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.out, "FAIL  test_sloppy.delete_event refuses {} (required fields "
                                "missing): returned status 0 (ok)"))
        << r.out;
    EXPECT_TRUE(contains(r.out, "attempted 1 HTTP request(s) with invalid params"));
    EXPECT_TRUE(contains(r.out, "FAIL  test_sloppy: an unknown action returns unsupported"));
    EXPECT_TRUE(contains(r.out, "failed: FAIL"));
}

TEST_F(CliTest, ValidateFailsALibraryTheHostRefuses) {
    auto r = run({"plugins", "validate", testing::test_library("abi_major").string(), "--config",
                  config_.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.out, "FAIL  load:"));
    EXPECT_TRUE(contains(r.out, "ABI 2.0, another major version than this host's ABI 1.3"));
}

// A provider that implements a contract revision this host does not honour (calendar/9) is
// refused as the host refuses it at load, naming the revision and the ones it honours.
TEST_F(CliTest, ValidateFailsAProviderOfAContractRevisionTheHostDoesNotHonour) {
    auto r = run({"plugins", "validate", testing::test_library("future_contract").string(),
                  "--config", config_.string()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(contains(r.out, "FAIL  load:")) << r.out;
    EXPECT_TRUE(contains(r.out, "provider 'test_future_contract': implements contract "
                                "calendar/9, which this host does not honour (it honours "
                                "calendar/1)"))
        << r.out;
}

TEST_F(CliTest, ValidateReportsACrashingPluginAsAFailure) {
    auto r = run({"plugins", "validate", testing::test_library("crashes").string(), "--config",
                  config_.string()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(contains(r.out, "PASS  test_crashes: create_connector"));
    // "died of signal 11 (Segmentation fault)", or an exit code under a sanitizer.
    EXPECT_TRUE(contains(r.out, "FAIL  the plugin ran without crashing: the check process "))
        << r.out;
    EXPECT_FALSE(contains(r.out, "PASS  destroy connectors"));
}

TEST_F(CliTest, DefaultsAreFoundRelativeToTheExecutable) {
    // The build layout: <root>/build/bin/switchboard, <root>/build/plugins, <root>/config.
    const auto root = dir_.path() / "repo";
    std::filesystem::create_directories(root / "build" / "bin");
    std::filesystem::create_directories(root / "config");
    std::filesystem::copy(plugins_, root / "build" / "plugins");
    std::filesystem::copy_file(config_, root / "config" / "switchboard.json");
    const auto exe = root / "build" / "bin" / "switchboard";
    // A hard link when the file system allows it (the executable is large); a symlink would
    // not do, since the host resolves its own location through /proc/self/exe.
    std::error_code ec;
    std::filesystem::create_hard_link(SB_SWITCHBOARD_EXE, exe, ec);
    if (ec) {
        std::filesystem::copy_file(SB_SWITCHBOARD_EXE, exe);
    }
    auto r = testing::run_process(exe, {"plugins", "list", "--json"}, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "using config " + (root / "config" / "switchboard.json").string() +
                                    " (found relative to the executable)"))
        << r.err;
    json out = json::parse(r.out);
    EXPECT_EQ(out["plugins_directory"], (root / "build" / "plugins").string());
    EXPECT_EQ(out["providers"].size(), 3u);
}

} // namespace
} // namespace switchboard
