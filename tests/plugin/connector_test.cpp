// Registry, factory and connectors over real libraries: lifetime (the library outlives every
// connector), and the checks around invoke.
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <dlfcn.h>

#include <thread>

namespace switchboard {
namespace {

using nlohmann::json;
using testing::CapturingLogger;
using testing::FakeCallContext;
using testing::PluginsDir;

class ConnectorTest : public ::testing::Test {
protected:
    void SetUp() override {
        one_ = dir_.add_library("good_one");
        two_ = dir_.add_library("good_two");
        std::map<std::string, config::ProviderConfig> providers;
        providers["test_calendar"] = testing::provider_in("good_one");
        providers["test_crm"] = testing::provider_in("good_two");
        providers["test_drive"] = testing::provider_in("good_two");
        auto registry = std::make_shared<plugin::ProviderRegistry>();
        auto report = loader().load_directory(dir_.path(), providers, *registry);
        ASSERT_TRUE(report) << report.error().message;
        ASSERT_EQ(registry->size(), 3u);
        registry_ = registry;
        factory_ = std::make_unique<plugin::RegistryConnectorFactory>(
            registry_, plugin::ContractCatalog::embedded());
    }

    plugin::PluginLoader loader() const {
        plugin::HostServicesOptions options;
        options.logger = log_.logger();
        return plugin::PluginLoader(plugin::ContractCatalog::embedded(), options);
    }

    std::unique_ptr<plugin::Connector> connect(std::string_view provider) {
        auto c = factory_->create(provider, "tenant-1", "00000000-0000-4000-8000-000000000001");
        EXPECT_TRUE(c) << (c ? "" : c.error().message);
        return c ? std::move(*c) : nullptr;
    }

    static json parse(const std::string& text) { return json::parse(text); }

    PluginsDir dir_;
    CapturingLogger log_;
    std::filesystem::path one_;
    std::filesystem::path two_;
    std::shared_ptr<const plugin::ProviderRegistry> registry_;
    std::unique_ptr<plugin::RegistryConnectorFactory> factory_;
};

// Reads a test library's counters through its second exported symbols, holding its own
// reference so that the library cannot disappear while the test reads.
class Counters {
public:
    explicit Counters(const std::filesystem::path& file)
        : handle_(::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD)) {
        EXPECT_NE(handle_, nullptr) << file << " is not loaded";
    }
    ~Counters() { release(); }
    void release() {
        if (handle_ != nullptr) {
            ::dlclose(handle_);
            handle_ = nullptr;
        }
    }
    int get(const char* symbol) const {
        auto fn = reinterpret_cast<int (*)()>(::dlsym(handle_, symbol));
        EXPECT_NE(fn, nullptr) << symbol;
        return fn != nullptr ? fn() : -1;
    }

private:
    void* handle_;
};

TEST_F(ConnectorTest, FactoryCreatesConnectorsByProviderId) {
    auto c = connect("test_crm");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->provider().id, "test_crm");
    EXPECT_EQ(c->provider().category, "crm");
    EXPECT_EQ(c->tenant_id(), "tenant-1");
    EXPECT_EQ(c->connector_id(), "00000000-0000-4000-8000-000000000001");
    Counters counters(two_);
    EXPECT_EQ(counters.get("sbtest_live_connectors"), 1);
    c.reset();
    EXPECT_EQ(counters.get("sbtest_live_connectors"), 0) << "destroy_connector ran";

    auto unknown = factory_->create("google_calendar", "tenant-1", "c");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
    EXPECT_EQ(unknown.error().code, "provider_not_found");
}

TEST_F(ConnectorTest, RegistryRefusesADuplicateNamingBothLibraries) {
    auto a = loader().load_library(dir_.add_library("good_one", "copy_a.so"));
    auto b = loader().load_library(dir_.add_library("good_one", "copy_b.so"));
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    plugin::ProviderRegistry registry;
    auto entry = [](const std::shared_ptr<plugin::PluginLibrary>& lib) {
        return plugin::ProviderEntry{
            std::make_shared<const plugin::ProviderDescriptor>(lib->providers()[0]),
            config::ProviderConfig{}, lib};
    };
    ASSERT_TRUE(registry.add(entry(*a)));
    auto second = registry.add(entry(*b));
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().kind, ErrorKind::conflict);
    EXPECT_NE(second.error().message.find("copy_a.so"), std::string::npos);
    EXPECT_NE(second.error().message.find("copy_b.so"), std::string::npos);
    EXPECT_EQ(registry.size(), 1u);
}

TEST_F(ConnectorTest, ConnectorKeepsItsLibraryAliveUntilItIsDestroyed) {
    auto connector = connect("test_calendar");
    ASSERT_NE(connector, nullptr);
    {
        Counters counters(one_);
        EXPECT_EQ(counters.get("sbtest_init_count"), 1);
        // Everything but the connector goes away.
        factory_.reset();
        registry_.reset();
        EXPECT_EQ(counters.get("sbtest_deinit_count"), 0)
            << "deinit must wait for the last connector";
        FakeCallContext context(
            [](const plugin::ProviderHttpRequest&) -> Result<plugin::ProviderHttpResponse> {
                return plugin::ProviderHttpResponse{200, {}, R"({"deleted":true,"event_id":"e1"})"};
            });
        auto outcome = connector->invoke("delete_event", R"({"event_id":"e1"})", context);
        EXPECT_EQ(outcome.status, SB_STATUS_OK) << outcome.json << " (the code is still mapped)";
        connector.reset();
        EXPECT_EQ(counters.get("sbtest_deinit_count"), 1) << "deinit ran after the last connector";
        EXPECT_EQ(counters.get("sbtest_live_connectors"), 0);
    }
    // The host's own reference is gone too: the library is unmapped.
    EXPECT_EQ(::dlopen(one_.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr);
    auto destroy = log_.matching({"[plugin good_one", "sbt: destroy_connector"});
    auto deinit = log_.matching({"[plugin good_one]", "sbt: deinit"});
    ASSERT_EQ(destroy.size(), 1u);
    ASSERT_EQ(deinit.size(), 1u);
    auto lines = log_.lines();
    auto at = [&](const std::string& line) {
        return std::find(lines.begin(), lines.end(), line) - lines.begin();
    };
    EXPECT_LT(at(destroy[0]), at(deinit[0]));
}

TEST_F(ConnectorTest, InvokeRunsTheActionThroughTheCallContext) {
    auto c = connect("test_calendar");
    FakeCallContext context(
        [](const plugin::ProviderHttpRequest& r) -> Result<plugin::ProviderHttpResponse> {
            if (r.path == "/events/missing") {
                return plugin::ProviderHttpResponse{404, {}, "{}"};
            }
            return plugin::ProviderHttpResponse{200, {}, R"({"deleted":true,"event_id":"e1"})"};
        });
    auto ok = c->invoke("delete_event", R"({"event_id":"e1","send_updates":"none"})", context);
    EXPECT_EQ(ok.status, SB_STATUS_OK);
    EXPECT_FALSE(ok.from_host);
    EXPECT_EQ(parse(ok.json), json({{"deleted", true}, {"event_id", "e1"}}));
    ASSERT_EQ(context.requests().size(), 1u);
    EXPECT_EQ(context.requests()[0].method, "DELETE");
    EXPECT_EQ(context.requests()[0].path, "/events/e1");

    auto missing = c->invoke("delete_event", R"({"event_id":"missing"})", context);
    EXPECT_EQ(missing.status, SB_STATUS_NOT_FOUND);
    EXPECT_FALSE(missing.from_host);
    EXPECT_EQ(parse(missing.json)["code"], "not_found");
    EXPECT_EQ(log_.matching({"[plugin good_one provider test_calendar connector "
                             "00000000-0000-4000-8000-000000000001]"})
                  .size(),
              1u)
        << "log lines during create_connector name the provider and connector";
}

TEST_F(ConnectorTest, InvokeChecksActionAndParamsBeforeThePluginRuns) {
    auto c = connect("test_calendar");
    FakeCallContext context;
    auto unknown = c->invoke("create_event", "{}", context);
    EXPECT_EQ(unknown.status, SB_STATUS_UNSUPPORTED) << "test_calendar does not declare it";
    EXPECT_TRUE(unknown.from_host);
    EXPECT_EQ(parse(unknown.json)["code"], "unsupported_action");

    auto not_json = c->invoke("delete_event", "{\"event_id\": ", context);
    EXPECT_EQ(not_json.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(parse(not_json.json)["code"], "invalid_json");

    auto invalid = c->invoke("delete_event", R"({"event_id": 5})", context);
    EXPECT_EQ(invalid.status, SB_STATUS_INVALID_INPUT);
    EXPECT_TRUE(invalid.from_host);
    json error = parse(invalid.json);
    EXPECT_EQ(error["code"], "invalid_params");
    EXPECT_EQ(error["field"], "/event_id");
    EXPECT_TRUE(plugin::ContractCatalog::embedded().validate_error(error)) << invalid.json;

    std::string deep(1000, '[');
    auto too_deep = c->invoke("delete_event", deep, context);
    EXPECT_EQ(too_deep.status, SB_STATUS_INVALID_INPUT);
    EXPECT_TRUE(context.requests().empty()) << "no HTTP for refused params";
    EXPECT_TRUE(log_.matching({"sbt: invoke"}).empty());
}

TEST_F(ConnectorTest, ResultThatBreaksTheContractIsAnInternalError) {
    auto c = connect("test_calendar");
    FakeCallContext context(
        [](const plugin::ProviderHttpRequest&) -> Result<plugin::ProviderHttpResponse> {
            return plugin::ProviderHttpResponse{200, {}, R"({"deleted":"yes"})"};
        });
    auto outcome = c->invoke("delete_event", R"({"event_id":"e1"})", context);
    EXPECT_EQ(outcome.status, SB_STATUS_INTERNAL);
    EXPECT_TRUE(outcome.from_host);
    json error = parse(outcome.json);
    EXPECT_EQ(error["code"], "plugin_bad_result");
    EXPECT_NE(error["message"].get<std::string>().find("/deleted"), std::string::npos);
}

TEST_F(ConnectorTest, HostRefusesBadHttpRequestsFromRealPluginCode) {
    auto c = connect("test_calendar");
    FakeCallContext context;
    for (const char* trigger : {"sbt-absolute-url", "sbt-auth-header"}) {
        auto outcome = c->invoke("delete_event", json({{"event_id", trigger}}).dump(), context);
        EXPECT_EQ(outcome.status, SB_STATUS_INVALID_INPUT) << trigger;
        EXPECT_FALSE(outcome.from_host) << "the plugin reported the host's refusal";
        EXPECT_EQ(parse(outcome.json)["code"], "http_failed");
    }
    EXPECT_TRUE(context.requests().empty());
    EXPECT_EQ(log_.matching({"host refused", "Authorization"}).size(), 1u);
    EXPECT_TRUE(log_.matching({"Bearer stolen"}).empty()) << "header values are never logged";
}

TEST_F(ConnectorTest, InvokeRawChecksWhatThePluginWrote) {
    auto entry = registry_->find("test_calendar");
    auto small = plugin::PluginConnector::create(*entry, plugin::ContractCatalog::embedded(), "t",
                                                 "c", plugin::OutputLimits{256, 256});
    ASSERT_TRUE(small);
    FakeCallContext context;
    auto raw = [&](const char* value) {
        return (*small)->invoke_raw("delete_event", json({{"event_id", value}}).dump(), context);
    };
    auto big = raw("sbt-big-result");
    EXPECT_EQ(big.status, SB_STATUS_INTERNAL);
    EXPECT_TRUE(big.from_host);
    EXPECT_EQ(parse(big.json)["code"], "plugin_output_too_large");

    auto unknown_status = raw("sbt-bad-status");
    EXPECT_EQ(unknown_status.status, SB_STATUS_INTERNAL);
    EXPECT_NE(parse(unknown_status.json)["message"].get<std::string>().find("unknown status 42"),
              std::string::npos);

    auto silent = raw("sbt-no-error");
    EXPECT_EQ(silent.status, SB_STATUS_INTERNAL);
    EXPECT_NE(parse(silent.json)["message"].get<std::string>().find("without an error object"),
              std::string::npos);
    EXPECT_EQ(log_.matching({"warning", "broke the ABI", "sbt_good_one.so"}).size(), 3u);

    auto bytes = (*small)->invoke_raw("delete_event", std::string("\x01\xff not json", 11), context);
    EXPECT_EQ(bytes.status, SB_STATUS_INVALID_INPUT);
    EXPECT_FALSE(bytes.from_host) << "the plugin itself refused the bytes";
    EXPECT_TRUE(plugin::ContractCatalog::embedded().validate_error(parse(bytes.json)));
}

TEST_F(ConnectorTest, PluginLogLinesAreCappedAndNameTheProvider) {
    auto connector = plugin::PluginConnector::create(
        *registry_->find("test_calendar"), plugin::ContractCatalog::embedded(), "t", "conn-9");
    ASSERT_TRUE(connector);
    FakeCallContext context;
    auto outcome = (*connector)->invoke_raw("delete_event", R"({"event_id":"sbt-log"})", context);
    EXPECT_EQ(outcome.status, SB_STATUS_OK);
    auto lines = log_.matching({"forged line"});
    ASSERT_EQ(lines.size(), 1u) << "a message with a line break stays one line";
    EXPECT_EQ(lines[0].rfind("warning [plugin good_one provider test_calendar connector conn-9] "
                             "first line\\nforged line",
                             0),
              0u)
        << lines[0];
    EXPECT_NE(lines[0].find("[truncated 2951 bytes]"), std::string::npos) << "capped at 2048";
}

TEST_F(ConnectorTest, ConcurrentInvokesOnOneConnectorKeepTheirCallsApart) {
    auto c = connect("test_crm");
    std::vector<std::thread> threads;
    std::vector<plugin::InvokeOutcome> outcomes(8);
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        threads.emplace_back([&, i] {
            FakeCallContext context(
                [](const plugin::ProviderHttpRequest& r) -> Result<plugin::ProviderHttpResponse> {
                    std::string id = r.path.substr(r.path.rfind('/') + 1);
                    return plugin::ProviderHttpResponse{200, {}, json({{"id", id}}).dump()};
                });
            std::string id = "contact" + std::to_string(i);
            outcomes[i] = c->invoke("get_contact", json({{"contact_id", id}}).dump(), context);
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        ASSERT_EQ(outcomes[i].status, SB_STATUS_OK) << outcomes[i].json;
        EXPECT_EQ(parse(outcomes[i].json)["id"], "contact" + std::to_string(i));
    }
}

} // namespace
} // namespace switchboard
