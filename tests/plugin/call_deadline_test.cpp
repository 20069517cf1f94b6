// In-process calls are bounded: a plugin that never returns is answered for at the call's
// deadline (504 plugin_timeout) and its thread abandoned, counted, and capped; the plugin's
// HTTP requests run on the caller's thread and stop at the deadline; the deadline extension
// tells the plugin what is left; the host's other calls go on meanwhile. And the bad plugins
// that do return (exception, malformed JSON, huge output) get clear errors.
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <thread>

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

class CallDeadlineTest : public ::testing::Test {
protected:
    // Loads `library` for `provider_id` with `timeout_ms` per call.
    void load(const std::string& provider_id, const std::string& library,
              std::uint32_t timeout_ms = 30'000) {
        dir_.add_library(library);
        config::ProviderConfig config = provider_in(library);
        config.call_timeout_ms = timeout_ms;
        providers_[provider_id] = config;
    }

    void start() {
        plugin::HostServicesOptions options;
        options.logger = log_.logger();
        plugin::PluginLoader loader(plugin::ContractCatalog::embedded(), options);
        auto registry = std::make_shared<plugin::ProviderRegistry>();
        auto report = loader.load_directory(dir_.path(), providers_, *registry);
        ASSERT_TRUE(report) << report.error().message;
        ASSERT_EQ(registry->size(), providers_.size());
        registry_ = registry;
        factory_ = std::make_unique<plugin::RegistryConnectorFactory>(
            registry_, plugin::ContractCatalog::embedded());
    }

    std::unique_ptr<plugin::Connector> connect(std::string_view provider) {
        auto c = factory_->create(provider, "tenant-1", "conn-1");
        EXPECT_TRUE(c) << (c ? "" : c.error().message);
        return c ? std::move(*c) : nullptr;
    }

    const plugin::PluginLibrary& library(std::string_view provider) const {
        return *registry_->find(provider)->library;
    }

    PluginsDir dir_;
    CapturingLogger log_;
    std::map<std::string, config::ProviderConfig> providers_;
    std::shared_ptr<const plugin::ProviderRegistry> registry_;
    std::unique_ptr<plugin::RegistryConnectorFactory> factory_;
};

TEST_F(CallDeadlineTest, AHangingPluginIsAnsweredForAtTheDeadlineAndTheHostGoesOn) {
    load("test_hangs", "hangs", 300);
    load("test_calendar", "good_one");
    ASSERT_NO_FATAL_FAILURE(start());
    auto hanging = connect("test_hangs");

    // While the hanging call waits, the other provider answers.
    auto pending = std::async(std::launch::async, [&] {
        FakeCallContext context;
        const auto started = Clock::now();
        plugin::InvokeOutcome outcome =
            hanging->invoke("delete_event", R"({"event_id":"e1"})", context);
        return std::make_pair(outcome, Clock::now() - started);
    });
    auto good = connect("test_calendar");
    auto context = deleted_ok();
    auto ok = good->invoke("delete_event", R"({"event_id":"e2"})", context);
    EXPECT_EQ(ok.status, SB_STATUS_OK) << ok.json;

    auto [outcome, took] = pending.get();
    EXPECT_EQ(outcome.status, SB_STATUS_UNAVAILABLE);
    ASSERT_TRUE(outcome.error_kind);
    EXPECT_EQ(*outcome.error_kind, ErrorKind::timeout) << "the API answers 504";
    EXPECT_EQ(outcome.fault, plugin::PluginFault::timeout);
    EXPECT_TRUE(outcome.from_host);
    EXPECT_EQ(parse(outcome.json)["code"], "plugin_timeout");
    EXPECT_TRUE(plugin::ContractCatalog::embedded().validate_error(parse(outcome.json)));
    EXPECT_GE(took, milliseconds(290));
    EXPECT_LT(took, milliseconds(5000)) << "answered at the deadline, not when the plugin returns";
    EXPECT_EQ(library("test_hangs").stuck_calls().load(), 1u) << "its thread is abandoned, counted";
    EXPECT_EQ(log_.matching({"warning", "sbt_hangs.so", "did not return within", "abandoned"})
                  .size(),
              1u);
}

TEST_F(CallDeadlineTest, StuckCallsAreCappedPerLibrary) {
    load("test_hangs", "hangs", 20);
    ASSERT_NO_FATAL_FAILURE(start());
    auto c = connect("test_hangs");
    FakeCallContext context;
    for (std::size_t i = 0; i < plugin::kMaxStuckCallsPerLibrary; ++i) {
        auto outcome = c->invoke("delete_event", R"({"event_id":"e1"})", context);
        ASSERT_EQ(parse(outcome.json)["code"], "plugin_timeout") << i;
    }
    EXPECT_EQ(library("test_hangs").stuck_calls().load(), plugin::kMaxStuckCallsPerLibrary);
    auto refused = c->invoke("delete_event", R"({"event_id":"e1"})", context);
    EXPECT_EQ(library("test_hangs").stuck_calls().load(), plugin::kMaxStuckCallsPerLibrary)
        << "refused without running: no ninth thread is stuck";
    EXPECT_EQ(refused.status, SB_STATUS_UNAVAILABLE);
    EXPECT_FALSE(refused.error_kind) << "503, not 504: the plugin was not even called";
    EXPECT_EQ(refused.fault, plugin::PluginFault::unavailable);
    const json error = parse(refused.json);
    EXPECT_EQ(error["code"], "plugin_unresponsive");
    EXPECT_EQ(error["details"]["retry_after_seconds"], 1);
}

TEST_F(CallDeadlineTest, ThePluginsHttpRunsOnTheCallersThread) {
    load("test_calendar", "good_one");
    ASSERT_NO_FATAL_FAILURE(start());
    auto c = connect("test_calendar");
    std::thread::id seen;
    FakeCallContext context(
        [&](const plugin::ProviderHttpRequest&) -> Result<plugin::ProviderHttpResponse> {
            seen = std::this_thread::get_id();
            return plugin::ProviderHttpResponse{200, {}, R"({"deleted":true,"event_id":"e1"})"};
        });
    auto outcome = c->invoke("delete_event", R"({"event_id":"e1"})", context);
    EXPECT_EQ(outcome.status, SB_STATUS_OK);
    EXPECT_EQ(seen, std::this_thread::get_id())
        << "the CallContext (the HTTP session) is only ever used by the invoking thread";
    ASSERT_TRUE(context.deadline());
    EXPECT_LE(*context.deadline(), Clock::now() + milliseconds(30'000))
        << "the context learnt the call's deadline, which bounds its requests";
}

TEST_F(CallDeadlineTest, TheCallersDeadlineTightensTheProvidersTimeout) {
    load("test_hangs", "hangs", 30'000);
    ASSERT_NO_FATAL_FAILURE(start());
    auto c = connect("test_hangs");
    FakeCallContext context;
    context.set_deadline(Clock::now() + milliseconds(150));
    const auto started = Clock::now();
    auto outcome = c->invoke("delete_event", R"({"event_id":"e1"})", context);
    EXPECT_LT(Clock::now() - started, milliseconds(5000));
    EXPECT_EQ(parse(outcome.json)["code"], "plugin_timeout");
}

TEST_F(CallDeadlineTest, TheDeadlineExtensionTellsThePluginTheTimeLeft) {
    load("test_calendar", "good_one", 10'000);
    ASSERT_NO_FATAL_FAILURE(start());
    auto c = connect("test_calendar");
    FakeCallContext context;
    auto outcome = c->invoke("delete_event", R"({"event_id":"sbt-deadline"})", context);
    ASSERT_EQ(outcome.status, SB_STATUS_OK) << outcome.json;
    const std::string left = parse(outcome.json)["event_id"];
    ASSERT_EQ(left.front(), 'r') << left;
    const long ms = std::stol(left.substr(1));
    EXPECT_GT(ms, 5000) << "most of the 10 s are left when the plugin starts";
    EXPECT_LE(ms, 10'000);
}

TEST_F(CallDeadlineTest, AfterTheDeadlineThePluginSeesTheCallCancelledAndItsHttpRefused) {
    load("test_calendar", "good_one", 100);
    ASSERT_NO_FATAL_FAILURE(start());
    auto c = connect("test_calendar");
    FakeCallContext context;
    auto outcome = c->invoke("delete_event", R"({"event_id":"sbt-wait-cancel"})", context);
    EXPECT_EQ(parse(outcome.json)["code"], "plugin_timeout");
    // The plugin notices, tries one more request, and returns (just before or just after
    // the host stopped waiting: either way its answer is dropped).
    const auto until = Clock::now() + milliseconds(5000);
    while ((log_.matching({"sbt: after cancel"}).empty() ||
            library("test_calendar").stuck_calls().load() != 0) &&
           Clock::now() < until) {
        std::this_thread::sleep_for(milliseconds(5));
    }
    EXPECT_EQ(log_.matching({"sbt: after cancel, http returned 5"}).size(), 1u)
        << "SB_STATUS_UNAVAILABLE: the host refuses requests of a call past its deadline";
    EXPECT_TRUE(context.requests().empty()) << "no request reached the provider";
    EXPECT_EQ(library("test_calendar").stuck_calls().load(), 0u);
}

TEST_F(CallDeadlineTest, PluginsThatReturnBadlyGetClearErrors) {
    load("test_throws", "throws");
    load("test_malformed", "malformed");
    load("test_floods", "floods");
    ASSERT_NO_FATAL_FAILURE(start());
    FakeCallContext context;
    const auto call = [&](std::string_view provider) {
        return connect(provider)->invoke("delete_event", R"({"event_id":"e1"})", context);
    };
    auto thrown = call("test_throws");
    EXPECT_EQ(thrown.status, SB_STATUS_INTERNAL);
    EXPECT_EQ(parse(thrown.json)["code"], "plugin_contract_violation");
    EXPECT_NE(parse(thrown.json)["message"].get<std::string>().find(
                  "threw an exception: the test plugin lost its way"),
              std::string::npos);
    auto malformed = call("test_malformed");
    EXPECT_EQ(parse(malformed.json)["code"], "plugin_contract_violation");
    EXPECT_NE(parse(malformed.json)["message"].get<std::string>().find("not JSON"),
              std::string::npos);
    auto flood = call("test_floods");
    EXPECT_EQ(parse(flood.json)["code"], "plugin_output_too_large");
    for (const auto* outcome : {&thrown, &malformed, &flood}) {
        EXPECT_TRUE(outcome->from_host);
        EXPECT_EQ(outcome->fault, plugin::PluginFault::contract_violation);
    }
}

} // namespace
} // namespace switchboard
