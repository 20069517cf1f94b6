// Isolated mode over real `switchboard plugin-host` children: the loader starts them and
// checks what they declare like an in-process library; calls run in them with the plugin's
// HTTP performed by the host; each bad plugin (crash, hang, huge output, malformed JSON,
// exception, a child that writes garbage on its channel, an init that never returns) costs
// one call and its child is restarted with backoff, while other providers keep serving;
// the children get no secret of the host's environment and none outlives its plugin.
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/isolated/isolated_plugin.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <cstdlib>
#include <thread>

#ifndef SB_SWITCHBOARD_EXE
#error "SB_SWITCHBOARD_EXE must name the switchboard executable"
#endif

namespace switchboard {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using testing::CapturingLogger;
using testing::FakeCallContext;
using testing::deleted_ok;
using testing::PluginsDir;
using testing::provider_in;

using Clock = std::chrono::steady_clock;

json parse(const std::string& text) { return json::parse(text); }

// True while `pid` runs; a zombie (dead, not yet reaped by whoever inherited it) does not.
bool process_exists(pid_t pid) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) {
        return false;
    }
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto state = line.rfind(") ");
    return state == std::string::npos || line.substr(state + 2, 1) != "Z";
}

class IsolatedPluginTest : public ::testing::Test {
protected:
    void isolate(const std::string& provider_id, const std::string& library,
                 std::uint32_t timeout_ms = 5'000, std::uint32_t processes = 1,
                 std::uint32_t backoff_ms = 200) {
        dir_.add_library(library);
        config::ProviderConfig config = provider_in(library, config::PluginMode::isolated);
        config.call_timeout_ms = timeout_ms;
        config.processes = processes;
        config.restart_backoff_ms = backoff_ms;
        providers_[provider_id] = config;
    }

    plugin::PluginLoader loader() const {
        plugin::HostServicesOptions options;
        options.logger = log_.logger();
        plugin::IsolationSettings isolation;
        isolation.executable = SB_SWITCHBOARD_EXE;
        return plugin::PluginLoader(plugin::ContractCatalog::embedded(), options, isolation);
    }

    void start() {
        auto registry = std::make_shared<plugin::ProviderRegistry>();
        auto report = loader().load_directory(dir_.path(), providers_, *registry);
        ASSERT_TRUE(report) << report.error().message;
        report_ = *report;
        registry_ = registry;
        factory_ = std::make_unique<plugin::RegistryConnectorFactory>(
            registry_, plugin::ContractCatalog::embedded());
    }

    std::unique_ptr<plugin::Connector> connect(std::string_view provider) {
        auto c = factory_->create(provider, "tenant-1", "conn-1");
        EXPECT_TRUE(c) << (c ? "" : c.error().message);
        return c ? std::move(*c) : nullptr;
    }

    plugin::InvokeOutcome call(std::string_view provider, std::string_view event_id) {
        auto context = deleted_ok();
        return connect(provider)->invoke("delete_event", json({{"event_id", event_id}}).dump(),
                                         context);
    }

    plugin::isolated::IsolatedPlugin& plugin(std::string_view provider) {
        return *registry_->find(provider)->isolated;
    }

    // The pids the host logged for `plugin`'s children: "[plugin <name> pid N" once their
    // hello was checked, "[plugin sbt_<name>.so pid N" before.
    std::set<pid_t> logged_pids(const std::string& plugin_name) const {
        std::set<pid_t> pids;
        for (const std::string& marker :
             {"[plugin " + plugin_name + " pid ", "[plugin sbt_" + plugin_name + ".so pid "}) {
            for (const auto& line : log_.lines()) {
                const auto at = line.find(marker);
                if (at != std::string::npos) {
                    pids.insert(std::stoi(line.substr(at + marker.size())));
                }
            }
        }
        return pids;
    }

    PluginsDir dir_;
    CapturingLogger log_;
    std::map<std::string, config::ProviderConfig> providers_;
    plugin::PluginLoadReport report_;
    std::shared_ptr<const plugin::ProviderRegistry> registry_;
    std::unique_ptr<plugin::RegistryConnectorFactory> factory_;
};

TEST_F(IsolatedPluginTest, APluginHostChildServesCallsWithTheHostDoingTheHttp) {
    isolate("test_calendar", "good_one");
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_EQ(registry_->size(), 1u);
    const plugin::ProviderEntry& entry = *registry_->find("test_calendar");
    EXPECT_EQ(entry.library, nullptr) << "the host never loads an isolated library itself";
    ASSERT_NE(entry.isolated, nullptr);
    EXPECT_EQ(entry.descriptor->api_base_url, "https://api.example.test/calendar");
    EXPECT_EQ(entry.descriptor->oauth.identity_field, "/email");
    ASSERT_EQ(report_.providers.size(), 1u);
    EXPECT_EQ(report_.providers[0].mode, config::PluginMode::isolated);
    EXPECT_EQ(report_.providers[0].plugin_name, "good_one");
    EXPECT_EQ(log_.matching({"info", "loaded good_one 1.0.0 (ABI 1.3) in plugin-host processes"})
                  .size(),
              1u);

    auto c = connect("test_calendar");
    EXPECT_EQ(c->mode(), config::PluginMode::isolated);
    std::thread::id seen;
    FakeCallContext context(
        [&](const plugin::ProviderHttpRequest& r) -> Result<plugin::ProviderHttpResponse> {
            seen = std::this_thread::get_id();
            EXPECT_EQ(r.method, "DELETE");
            EXPECT_EQ(r.path, "/events/e1");
            return plugin::ProviderHttpResponse{
                200, {{"X-Trace", "t1"}}, R"({"deleted":true,"event_id":"e1"})"};
        });
    auto outcome = c->invoke("delete_event", R"({"event_id":"e1"})", context);
    EXPECT_EQ(outcome.status, SB_STATUS_OK) << outcome.json;
    EXPECT_EQ(parse(outcome.json), json({{"deleted", true}, {"event_id", "e1"}}));
    EXPECT_EQ(context.requests().size(), 1u);
    EXPECT_EQ(seen, std::this_thread::get_id()) << "the host performs the child's HTTP";

    // The child's log lines come through, named by the host (not by the child).
    const auto pids = logged_pids("good_one");
    ASSERT_EQ(pids.size(), 1u) << "one process served both calls";
    const std::string pid = std::to_string(*pids.begin());
    EXPECT_EQ(log_.matching({"[plugin sbt_good_one.so pid " + pid + "] sbt: init"}).size(), 1u)
        << "before its hello is checked the plugin is named by its file";
    EXPECT_EQ(log_.matching({"[plugin good_one pid " + pid +
                             " provider test_calendar connector conn-1] sbt: create_connector"})
                  .size(),
              1u);

    // Refused requests are refused by the host, whatever the child let through.
    auto refused = c->invoke("delete_event", R"({"event_id":"sbt-absolute-url"})", context);
    EXPECT_EQ(refused.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(context.requests().size(), 1u);
}

TEST_F(IsolatedPluginTest, DescriptorsAreCheckedByTheHostLikeAnInProcessLibrarys) {
    isolate("test_missing_field", "missing_field");
    isolate("test_abi_major", "abi_major");
    isolate("test_init_fails", "init_fails");
    isolate("test_future_contract", "future_contract");
    ASSERT_NO_FATAL_FAILURE(start());
    EXPECT_TRUE(registry_->empty());
    ASSERT_EQ(report_.skipped.size(), 4u);
    std::map<std::string, std::string> reasons;
    for (const auto& s : report_.skipped) {
        reasons[s.file.filename().string()] = s.reason;
    }
    EXPECT_EQ(reasons["sbt_missing_field.so"], "provider 'test_missing_field': display_name is missing");
    EXPECT_EQ(reasons["sbt_abi_major.so"],
              "built against ABI 2.0, another major version than this host's ABI 1.3 (rebuild "
              "the plugin against a 1.x SDK)");
    EXPECT_EQ(reasons["sbt_init_fails.so"], "init failed with status 5 (unavailable)");
    // The contract revision crossed the process boundary and was checked here.
    EXPECT_EQ(reasons["sbt_future_contract.so"],
              "provider 'test_future_contract': implements contract calendar/9, which this host "
              "does not honour (it honours calendar/1)");
}

TEST_F(IsolatedPluginTest, AnInitThatNeverReturnsIsKilledAtTheStartTimeout) {
    isolate("test_init_hangs", "init_hangs");
    providers_["test_init_hangs"].start_timeout_ms = 1000;
    isolate("test_calendar", "good_one");
    const auto started = Clock::now();
    ASSERT_NO_FATAL_FAILURE(start());
    EXPECT_LT(Clock::now() - started, milliseconds(10'000));
    EXPECT_EQ(registry_->size(), 1u) << "the other library loads";
    ASSERT_EQ(report_.skipped.size(), 1u);
    EXPECT_NE(report_.skipped[0].reason.find("did not finish loading the library in time"),
              std::string::npos)
        << report_.skipped[0].reason;
    EXPECT_EQ(report_.missing, std::vector<std::string>{"test_init_hangs"});
}

TEST_F(IsolatedPluginTest, EachBadPluginCostsOneCallWhileTheOthersServe) {
    isolate("test_crashes", "crashes");
    isolate("test_hangs", "hangs", 300);
    isolate("test_floods", "floods");
    isolate("test_malformed", "malformed");
    isolate("test_throws", "throws");
    isolate("test_calendar", "good_one");
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_EQ(registry_->size(), 6u);

    struct Expected {
        const char* provider;
        sb_status status;
        const char* code;
        plugin::PluginFault fault;
    };
    const Expected cases[] = {
        {"test_crashes", SB_STATUS_INTERNAL, "plugin_crashed", plugin::PluginFault::crashed},
        {"test_hangs", SB_STATUS_UNAVAILABLE, "plugin_timeout", plugin::PluginFault::timeout},
        {"test_floods", SB_STATUS_INTERNAL, "plugin_output_too_large",
         plugin::PluginFault::contract_violation},
        {"test_malformed", SB_STATUS_INTERNAL, "plugin_contract_violation",
         plugin::PluginFault::contract_violation},
        {"test_throws", SB_STATUS_INTERNAL, "plugin_contract_violation",
         plugin::PluginFault::contract_violation},
    };
    for (const auto& expected : cases) {
        const auto started = Clock::now();
        auto outcome = call(expected.provider, "e1");
        EXPECT_EQ(outcome.status, expected.status) << expected.provider << ": " << outcome.json;
        EXPECT_EQ(parse(outcome.json)["code"], expected.code) << expected.provider;
        EXPECT_EQ(outcome.fault, expected.fault) << expected.provider;
        EXPECT_TRUE(outcome.from_host);
        EXPECT_TRUE(plugin::ContractCatalog::embedded().validate_error(parse(outcome.json)));
        EXPECT_LT(Clock::now() - started, milliseconds(5000)) << expected.provider;
        // The good provider answers after each of them.
        auto good = call("test_calendar", "e2");
        EXPECT_EQ(good.status, SB_STATUS_OK) << "after " << expected.provider << ": " << good.json;
    }
    auto hang = call("test_hangs", "e1");
    (void)hang;
    EXPECT_EQ(log_.matching({"error", "plugin-host process", "action 'delete_event' of provider "
                                                             "'test_crashes'",
                             "died during the call", "signal 11 (SIGSEGV)"})
                  .size(),
              1u);
    EXPECT_GE(log_.matching({"warning", "test_hangs", "missed the call's deadline (",
                             "was killed"})
                  .size(),
              1u);
    // Exceptions and bad output do not cost the child: only crashes and hangs do.
    EXPECT_EQ(plugin("test_throws").stats().failures, 0u);
    EXPECT_EQ(plugin("test_floods").stats().failures, 0u);
    EXPECT_EQ(plugin("test_crashes").stats().failures, 1u);
}

TEST_F(IsolatedPluginTest, ACrashedChildIsRestartedWithBackoffAnd503Meanwhile) {
    isolate("test_calendar", "good_one", 5'000, 1, 1'500);
    ASSERT_NO_FATAL_FAILURE(start());
    EXPECT_EQ(call("test_calendar", "e0").status, SB_STATUS_OK);
    const auto first_pids = logged_pids("good_one");

    auto crashed = call("test_calendar", "sbt-crash");
    EXPECT_EQ(parse(crashed.json)["code"], "plugin_crashed");
    // No child while it backs off: 503 with Retry-After, at once.
    auto meanwhile = call("test_calendar", "e1");
    EXPECT_EQ(meanwhile.status, SB_STATUS_UNAVAILABLE);
    EXPECT_FALSE(meanwhile.error_kind) << "503";
    EXPECT_EQ(meanwhile.fault, plugin::PluginFault::unavailable);
    const json error = parse(meanwhile.json);
    EXPECT_EQ(error["code"], "provider_unavailable");
    const int retry_after = error["details"]["retry_after_seconds"];
    EXPECT_GE(retry_after, 1) << "what is left of the 1.5 s, rounded up";
    EXPECT_LE(retry_after, 2);

    // After the backoff a new child serves.
    const auto until = Clock::now() + milliseconds(10'000);
    plugin::InvokeOutcome again;
    do {
        std::this_thread::sleep_for(milliseconds(50));
        again = call("test_calendar", "e2");
    } while (again.status == SB_STATUS_UNAVAILABLE && Clock::now() < until);
    EXPECT_EQ(again.status, SB_STATUS_OK) << again.json;
    EXPECT_EQ(plugin("test_calendar").stats().starts, 2u);
    EXPECT_EQ(plugin("test_calendar").stats().failures, 1u);
    const auto pids = logged_pids("good_one");
    EXPECT_EQ(pids.size(), first_pids.size() + 1) << "another process";
    EXPECT_EQ(log_.matching({"info", "plugin-host process", "started (1 live)"}).size(), 1u);
}

TEST_F(IsolatedPluginTest, ABusyPoolGrowsUpToItsProcesses) {
    // The calls hang until their deadline, which must outlast starting the two more children
    // one after the other (each over a second under ASan on a loaded 2-core machine).
    isolate("test_hangs", "hangs", 8'000, 3);
    ASSERT_NO_FATAL_FAILURE(start());
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i) {
        threads.emplace_back([&] { (void)call("test_hangs", "e1"); });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(log_.matching({"warning", "test_hangs", "missed the call's deadline"}).size(), 3u)
        << "three children ran the three calls side by side";
    EXPECT_GE(plugin("test_hangs").stats().starts, 3u);
}

TEST_F(IsolatedPluginTest, AChildThatWritesGarbageOnItsChannelIsKilled) {
    isolate("test_calendar", "good_one", 5'000, 1, 10);
    ASSERT_NO_FATAL_FAILURE(start());
    for (const char* trigger : {"sbt-write-fd3", "sbt-big-frame"}) {
        auto outcome = call("test_calendar", trigger);
        EXPECT_EQ(outcome.status, SB_STATUS_INTERNAL) << trigger << ": " << outcome.json;
        EXPECT_EQ(parse(outcome.json)["code"], "plugin_protocol_violation") << trigger;
        EXPECT_EQ(outcome.fault, plugin::PluginFault::contract_violation);
        std::this_thread::sleep_for(milliseconds(100)); // the backoff
    }
    EXPECT_EQ(log_.matching({"error", "broke the plugin-host protocol"}).size(), 2u);
}

TEST_F(IsolatedPluginTest, ChildrenGetNoSecretOfTheHostsEnvironment) {
    ASSERT_EQ(::setenv("SBT_SECRET", "hunter2", 1), 0);
    isolate("test_calendar", "good_one");
    ASSERT_NO_FATAL_FAILURE(start());
    auto outcome = call("test_calendar", "sbt-env");
    ::unsetenv("SBT_SECRET");
    EXPECT_EQ(outcome.status, SB_STATUS_OK) << outcome.json;
    EXPECT_EQ(log_.matching({"sbt: SBT_SECRET is absent"}).size(), 1u);
    EXPECT_TRUE(log_.matching({"sbt: SBT_SECRET is set"}).empty());
}

TEST_F(IsolatedPluginTest, TheDeadlineExtensionWorksInTheChild) {
    isolate("test_calendar", "good_one", 10'000);
    ASSERT_NO_FATAL_FAILURE(start());
    auto outcome = call("test_calendar", "sbt-deadline");
    ASSERT_EQ(outcome.status, SB_STATUS_OK) << outcome.json;
    const std::string left = parse(outcome.json)["event_id"];
    ASSERT_EQ(left.front(), 'r') << left;
    EXPECT_GT(std::stol(left.substr(1)), 5000) << "the child counts down the host's budget";
    EXPECT_LE(std::stol(left.substr(1)), 10'000);
}

TEST_F(IsolatedPluginTest, NoChildOutlivesItsPlugin) {
    isolate("test_calendar", "good_one", 5'000, 2);
    ASSERT_NO_FATAL_FAILURE(start());
    EXPECT_EQ(call("test_calendar", "e1").status, SB_STATUS_OK);
    const auto pids = logged_pids("good_one");
    ASSERT_FALSE(pids.empty());
    for (pid_t pid : pids) {
        EXPECT_TRUE(process_exists(pid)) << pid;
    }
    factory_.reset();
    registry_.reset(); // the last owner of the IsolatedPlugin
    for (pid_t pid : pids) {
        EXPECT_FALSE(process_exists(pid)) << pid << " was not reaped";
    }
}

} // namespace
} // namespace switchboard
