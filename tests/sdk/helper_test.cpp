// The C++ helper's trampolines, driven through the C table exactly as a host would call them:
// argument checks, descriptors, several providers, unknown actions, exceptions, and sinks.
#include "switchboard/plugin.hpp"
#include "switchboard/testing/fake_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace sdk = switchboard::sdk;
using namespace switchboard::sdk::testing;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

sdk::ProviderSpec provider(std::string id, std::string category, std::vector<std::string> actions) {
    sdk::ProviderSpec spec;
    spec.id = std::move(id);
    spec.category = std::move(category);
    spec.display_name = "Test " + spec.id;
    spec.description = "A provider for tests.";
    spec.oauth.authorize_url = "https://auth.example.com/authorize";
    spec.oauth.token_url = "https://auth.example.com/token";
    spec.oauth.default_scopes = {"all"};
    spec.api_base_url = "https://api.example.com";
    spec.actions = std::move(actions);
    return spec;
}

// Calendar connector: list_events goes through host HTTP; create_event misbehaves on demand
// (params {"mode": ...}) so the trampolines' safety nets can be observed.
class CalendarConnector final : public sdk::Connector {
public:
    sdk::Outcome invoke(sdk::Call& call, std::string_view action,
                        std::string_view params_json) override {
        if (action == SB_ACTION_CALENDAR_LIST_EVENTS) {
            const sdk::HttpResponse r = call.get("/events");
            if (!r.ok()) return sdk::error_from_response(r);
            return sdk::Outcome::success(R"({"events":)" + r.body + "}");
        }
        const std::string mode = json::parse(params_json).value("mode", "");
        if (mode == "throw_runtime_error") throw std::runtime_error("token=ya29.SECRET leaked");
        if (mode == "throw_int") throw 42;
        if (mode == "empty_result") return sdk::Outcome::success("");
        if (mode == "big_result") return sdk::Outcome::success(std::string(1000, ' ') + "{}");
        if (mode == "log") {
            call.host().info("created for tenant " + call.info().tenant_id);
            return sdk::Outcome::success(std::to_string(call.host().now_unix_ms()));
        }
        return sdk::Outcome::not_found("no such calendar");
    }
};

// CRM connector: echoes what it knows about itself.
class CrmConnector final : public sdk::Connector {
public:
    explicit CrmConnector(sdk::ConnectorInfo info) : info_(std::move(info)) {}
    sdk::Outcome invoke(sdk::Call& call, std::string_view, std::string_view params_json) override {
        const json out = {{"provider", info_.provider_id},
                          {"tenant", info_.tenant_id},
                          {"connector", info_.connector_id},
                          {"call_tenant", call.info().tenant_id},
                          {"params", json::parse(params_json)}};
        return sdk::Outcome::success(out.dump());
    }

private:
    sdk::ConnectorInfo info_;
};

class TwoProviderPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "two_providers";
    static constexpr const char* plugin_version = "2.3.4";
    static inline std::atomic<int> alive{0};

    TwoProviderPlugin() { ++alive; }
    ~TwoProviderPlugin() override { --alive; }

    std::vector<sdk::ProviderSpec> providers() const override {
        return {provider("alpha_calendar", SB_CATEGORY_CALENDAR,
                         {SB_ACTION_CALENDAR_LIST_EVENTS, SB_ACTION_CALENDAR_CREATE_EVENT}),
                provider("beta_crm", SB_CATEGORY_CRM, {SB_ACTION_CRM_CREATE_CONTACT})};
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo& info) override {
        if (info.provider_id == "alpha_calendar") return std::make_unique<CalendarConnector>();
        return std::make_unique<CrmConnector>(info);
    }
};

const sb_plugin* two_provider_entry() { return sdk::plugin_table<TwoProviderPlugin>(); }

// --- the table and init -------------------------------------------------------------------

TEST(Helper, TableDescribesThePlugin) {
    const sb_plugin* table = two_provider_entry();
    EXPECT_EQ(table, two_provider_entry());
    EXPECT_EQ(table->struct_size, sizeof(sb_plugin));
    EXPECT_EQ(table->abi.major, SB_ABI_VERSION_MAJOR);
    EXPECT_EQ(table->abi.minor, SB_ABI_VERSION_MINOR);
    EXPECT_STREQ(table->name, "two_providers");
    EXPECT_STREQ(table->version, "2.3.4");
    ASSERT_NE(table->get_extension, nullptr);
    EXPECT_EQ(table->get_extension(table, "switchboard.cache/1"), nullptr);
}

TEST(Helper, InitKeepsThePluginUntilDeinit) {
    FakeHost host;
    {
        PluginUnderTest plugin(&two_provider_entry, host);
        ASSERT_EQ(plugin.init(), SB_STATUS_OK);
        EXPECT_EQ(TwoProviderPlugin::alive, 1);
        EXPECT_THAT(plugin.problems(), IsEmpty());
    }
    EXPECT_EQ(TwoProviderPlugin::alive, 0);
}

TEST(Helper, InitChecksTheHost) {
    const sb_plugin* table = two_provider_entry();
    EXPECT_EQ(table->init(table, nullptr), SB_STATUS_INVALID_INPUT);

    FakeHost host;
    host.set_abi({SB_ABI_VERSION_MAJOR + 1, 0});
    EXPECT_EQ(table->init(table, host.table()), SB_STATUS_INVALID_INPUT);
    EXPECT_TRUE(host.logged("ABI major version"));

    sb_host tiny = *host.table();
    tiny.struct_size = static_cast<uint32_t>(offsetof(sb_host, abi)); // too old to say its ABI
    EXPECT_EQ(table->init(table, &tiny), SB_STATUS_INVALID_INPUT);
}

TEST(Helper, InitTwiceIsRefused) {
    FakeHost host;
    PluginUnderTest plugin(&two_provider_entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    const sb_plugin* table = plugin.table();
    EXPECT_EQ(table->init(table, host.table()), SB_STATUS_INTERNAL);
    EXPECT_TRUE(host.logged("init called twice"));
}

TEST(Helper, NothingBeforeInit) {
    const sb_plugin* table = two_provider_entry();
    const sb_provider_desc* const* providers = reinterpret_cast<const sb_provider_desc* const*>(1);
    EXPECT_EQ(table->get_providers(table, &providers), 0u);
    EXPECT_EQ(providers, nullptr);
    EXPECT_EQ(table->get_providers(table, nullptr), 0u);
    sb_connector* connector = nullptr;
    sb_connector_info info{static_cast<uint32_t>(sizeof info), "beta_crm", "t", "c"};
    EXPECT_EQ(table->create_connector(table, &info, &connector), SB_STATUS_INTERNAL);
}

// --- descriptors --------------------------------------------------------------------------

TEST(Helper, ShipsEveryProviderWithCorrectStructs) {
    FakeHost host;
    PluginUnderTest plugin(&two_provider_entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    const sb_plugin* table = plugin.table();
    const sb_provider_desc* const* providers = nullptr;
    ASSERT_EQ(table->get_providers(table, &providers), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(providers[i]->struct_size, sizeof(sb_provider_desc));
        EXPECT_EQ(providers[i]->oauth->struct_size, sizeof(sb_oauth_desc));
    }
    EXPECT_STREQ(providers[0]->id, "alpha_calendar");
    EXPECT_STREQ(providers[1]->id, "beta_crm");
    const auto specs = plugin.providers();
    ASSERT_EQ(specs.size(), 2u);
    EXPECT_EQ(specs[0], provider("alpha_calendar", SB_CATEGORY_CALENDAR,
                                 {SB_ACTION_CALENDAR_LIST_EVENTS, SB_ACTION_CALENDAR_CREATE_EVENT}));
    EXPECT_EQ(specs[1], provider("beta_crm", SB_CATEGORY_CRM, {SB_ACTION_CRM_CREATE_CONTACT}));
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

template <int Variant>
class BadProvidersPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "bad";
    static constexpr const char* plugin_version = "1";
    std::vector<sdk::ProviderSpec> providers() const override {
        switch (Variant) {
        case 0: return {};
        case 1: return {provider("twin", "crm", {}), provider("twin", "crm", {})};
        case 2: return {provider("odd", "music", {})};
        default: return {provider("odd", "crm", {"send_email"})};
        }
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return nullptr;
    }
};

template <int Variant>
const sb_plugin* bad_entry() {
    return sdk::plugin_table<BadProvidersPlugin<Variant>>();
}

TEST(Helper, InitRefusesProviderListsItCanTellAreWrong) {
    const std::pair<sb_plugin_entry_fn, const char*> cases[] = {
        {&bad_entry<0>, "ships no provider"},
        {&bad_entry<1>, "appears twice"},
        {&bad_entry<2>, "unknown category 'music'"},
        {&bad_entry<3>, "action 'send_email'"}};
    for (const auto& [entry, why] : cases) {
        FakeHost host;
        PluginUnderTest plugin(entry, host);
        EXPECT_EQ(plugin.init(), SB_STATUS_INTERNAL) << why;
        EXPECT_TRUE(host.logged(why)) << why;
    }
}

// --- connectors ---------------------------------------------------------------------------

TEST(Helper, CreatesConnectorsForEachProvider) {
    FakeHost host;
    PluginUnderTest plugin(&two_provider_entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    auto crm = plugin.connect("beta_crm", "tenant-7", "0b7e1b7c-2f5c-4b1e-9a53-1f0c3c0a9e11");
    ASSERT_EQ(crm.status(), SB_STATUS_OK);
    const Invocation call = crm.invoke("create_contact", R"({"email":"a@example.org"})");
    ASSERT_EQ(call.status, SB_STATUS_OK) << call.error;
    EXPECT_EQ(json::parse(call.result), json::parse(R"({"provider":"beta_crm","tenant":"tenant-7",
        "connector":"0b7e1b7c-2f5c-4b1e-9a53-1f0c3c0a9e11","call_tenant":"tenant-7",
        "params":{"email":"a@example.org"}})"));
    EXPECT_EQ(plugin.connect("alpha_calendar").status(), SB_STATUS_OK);
    EXPECT_EQ(plugin.connect("gamma_drive").status(), SB_STATUS_INVALID_INPUT);
    EXPECT_TRUE(host.logged("unknown provider id 'gamma_drive'"));
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST(Helper, CreateConnectorChecksItsArguments) {
    FakeHost host;
    PluginUnderTest plugin(&two_provider_entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    const sb_plugin* table = plugin.table();
    sb_connector* connector = reinterpret_cast<sb_connector*>(1);
    EXPECT_EQ(table->create_connector(table, nullptr, &connector), SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(connector, nullptr);
    sb_connector_info info{static_cast<uint32_t>(sizeof info), "beta_crm", "t", nullptr};
    EXPECT_EQ(table->create_connector(table, &info, &connector), SB_STATUS_INVALID_INPUT);
    info.connector_id = "c";
    info.struct_size = static_cast<uint32_t>(offsetof(sb_connector_info, connector_id));
    EXPECT_EQ(table->create_connector(table, &info, &connector), SB_STATUS_INVALID_INPUT);
    info.struct_size = static_cast<uint32_t>(sizeof info);
    EXPECT_EQ(table->create_connector(table, &info, nullptr), SB_STATUS_INVALID_INPUT);
    ASSERT_EQ(table->create_connector(table, &info, &connector), SB_STATUS_OK);
    table->destroy_connector(table, connector);
    table->destroy_connector(table, nullptr); // harmless
}

class NullConnectorPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "null_connector";
    static constexpr const char* plugin_version = "1";
    std::vector<sdk::ProviderSpec> providers() const override {
        return {provider("only", SB_CATEGORY_DRIVE, {})};
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo& info) override {
        if (info.tenant_id == "throw") throw std::bad_alloc();
        return nullptr;
    }
};

TEST(Helper, ConnectorCreationFailuresAreInternal) {
    FakeHost host;
    PluginUnderTest plugin(+[] { return sdk::plugin_table<NullConnectorPlugin>(); }, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    EXPECT_EQ(plugin.connect("only").status(), SB_STATUS_INTERNAL);
    EXPECT_TRUE(host.logged("created no connector"));
    EXPECT_EQ(plugin.connect("only", "throw").status(), SB_STATUS_INTERNAL);
    EXPECT_TRUE(host.logged("std::bad_alloc"));
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

class HostAwarePlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "host_aware";
    static constexpr const char* plugin_version = "1";
    explicit HostAwarePlugin(const sdk::Host& host) {
        host.info("hello " + std::string(host.name()) + " " + std::string(host.version()));
    }
    std::vector<sdk::ProviderSpec> providers() const override {
        return {provider("only", SB_CATEGORY_DRIVE, {})};
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        throw std::logic_error("unused");
    }
};

class ThrowingPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "throwing";
    static constexpr const char* plugin_version = "1";
    ThrowingPlugin() { throw std::invalid_argument("client_secret=hunter2"); }
    std::vector<sdk::ProviderSpec> providers() const override { return {}; }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return nullptr;
    }
};

TEST(Helper, ConstructsThePluginWithTheHost) {
    FakeHost host;
    PluginUnderTest plugin(+[] { return sdk::plugin_table<HostAwarePlugin>(); }, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    EXPECT_TRUE(host.logged("hello switchboard-fake-host 0.0.0-test"));
}

TEST(Helper, InitExceptionIsInternalAndNamesOnlyTheType) {
    FakeHost host;
    PluginUnderTest plugin(+[] { return sdk::plugin_table<ThrowingPlugin>(); }, host);
    EXPECT_EQ(plugin.init(), SB_STATUS_INTERNAL);
    EXPECT_TRUE(host.logged("std::invalid_argument"));
    EXPECT_FALSE(host.logged("hunter2"));
}

// --- invoke -------------------------------------------------------------------------------

class InvokeTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(plugin.init(), SB_STATUS_OK);
        calendar = plugin.connect("alpha_calendar");
        ASSERT_EQ(calendar.status(), SB_STATUS_OK);
    }
    Invocation create(const std::string& mode) {
        return calendar.invoke("create_event", R"({"mode":")" + mode + R"("})");
    }

    FakeHost host;
    PluginUnderTest plugin{&two_provider_entry, host};
    ConnectorHandle calendar;
};

TEST_F(InvokeTest, SuccessGoesToTheResultSink) {
    host.expect("GET", "/events", CannedResponse::json(200, R"([{"id":"e1"}])"));
    const Invocation call = calendar.invoke("list_events", "{}");
    EXPECT_EQ(call.status, SB_STATUS_OK);
    EXPECT_EQ(call.result, R"({"events":[{"id":"e1"}]})");
    EXPECT_EQ(call.error, "");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(InvokeTest, ErrorsGoToTheErrorSink) {
    const Invocation call = create("not_found");
    EXPECT_EQ(call.status, SB_STATUS_NOT_FOUND);
    EXPECT_EQ(call.result, "");
    EXPECT_EQ(call.error_code(), "not_found");
    EXPECT_EQ(call.error_message(), "no such calendar");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(InvokeTest, UnknownActionsAreUnsupported) {
    for (const char* action : {"delete_event", "create_contact", "", "drop table"}) {
        const Invocation call = calendar.invoke(action, "{}");
        EXPECT_EQ(call.status, SB_STATUS_UNSUPPORTED) << action;
        EXPECT_EQ(call.error_code(), "unsupported_action") << action;
    }
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(InvokeTest, ExceptionsBecomeInternalWithoutTheirText) {
    const Invocation call = create("throw_runtime_error");
    EXPECT_EQ(call.status, SB_STATUS_INTERNAL);
    EXPECT_EQ(call.error_code(), "internal");
    EXPECT_THAT(call.error_message(), HasSubstr("std::runtime_error"));
    EXPECT_THAT(call.error, Not(HasSubstr("SECRET")));
    EXPECT_TRUE(host.logged("action 'create_event' failed with an exception of type std::runtime_error"));
    EXPECT_FALSE(host.logged("SECRET"));

    const Invocation odd = create("throw_int");
    EXPECT_EQ(odd.status, SB_STATUS_INTERNAL);
    EXPECT_EQ(odd.error_code(), "internal");
    EXPECT_THAT(odd.error_message(), HasSubstr("not derived from std::exception"));
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(InvokeTest, EmptyResultIsInternal) {
    const Invocation call = create("empty_result");
    EXPECT_EQ(call.status, SB_STATUS_INTERNAL);
    EXPECT_EQ(call.result, "");
    EXPECT_THAT(call.error_message(), HasSubstr("empty result"));
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(InvokeTest, ResultTooLargeForTheSinkIsReported) {
    host.set_sink_limit(500);
    const Invocation call = create("big_result");
    EXPECT_EQ(call.status, SB_STATUS_INTERNAL);
    EXPECT_EQ(call.result, "");
    EXPECT_EQ(call.error_code(), "result_too_large");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(InvokeTest, UsesTheHostsLogAndClock) {
    host.set_now_unix_ms(1'000);
    host.advance_ms(234);
    const Invocation call = create("log");
    EXPECT_EQ(call.result, "1234");
    EXPECT_TRUE(host.logged("created for tenant tenant-test"));
}

TEST_F(InvokeTest, HostHttpFailuresAreMapped) {
    host.expect("GET", "/events", CannedResponse::host_failure(SB_STATUS_AUTH));
    host.expect("GET", "/events", CannedResponse::json(429, "{}").with_header("Retry-After", "5"));
    const Invocation auth = calendar.invoke("list_events", "{}");
    EXPECT_EQ(auth.status, SB_STATUS_AUTH);
    EXPECT_EQ(auth.error_code(), "credentials_unavailable");
    const Invocation limited = calendar.invoke("list_events", "{}");
    EXPECT_EQ(limited.status, SB_STATUS_RATE_LIMITED);
    EXPECT_EQ(json::parse(limited.error).at("details").at("retry_after_seconds"), 5);
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(InvokeTest, ChecksWhatTheHostPasses) {
    const sb_plugin* table = plugin.table();
    sb_connector* c = calendar.c_connector();
    Sink result(1000);
    Sink error(1000);
    // No usable error sink: nothing can be reported, the status says why.
    EXPECT_EQ(table->invoke(table, c, nullptr, "list_events", "{}", 2, result.c_sink(), nullptr),
              SB_STATUS_INVALID_INPUT);
    sb_sink short_sink = *error.c_sink();
    short_sink.struct_size = static_cast<uint32_t>(offsetof(sb_sink, write));
    EXPECT_EQ(table->invoke(table, c, nullptr, "list_events", "{}", 2, result.c_sink(), &short_sink),
              SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(error.data(), "");
    // Each of these is reported in the error sink.
    const auto refused = [&](sb_connector* connector, const char* action, const char* params,
                             std::size_t size, const sb_sink* result_sink) {
        Sink e(1000);
        const sb_status status =
            table->invoke(table, connector, nullptr, action, params, size, result_sink, e.c_sink());
        EXPECT_EQ(status, SB_STATUS_INVALID_INPUT);
        EXPECT_EQ(json_string_member(e.data(), "code"), "invalid_invocation");
    };
    refused(nullptr, "list_events", "{}", 2, result.c_sink());
    refused(c, nullptr, "{}", 2, result.c_sink());
    refused(c, "list_events", nullptr, 2, result.c_sink());
    refused(c, "list_events", "{}", 2, nullptr);
    EXPECT_EQ(result.data(), "");
}

TEST_F(InvokeTest, ConnectorsServeSeveralThreadsAtOnce) {
    auto crm = plugin.connect("beta_crm");
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                const std::string params = R"({"n":)" + std::to_string(t * 100 + i) + "}";
                const Invocation call = crm.invoke("create_contact", params);
                if (call.ok() && json::parse(call.result).at("params") == json::parse(params)) ++ok;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(ok, 200);
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

} // namespace

// --- ABI 1.1: extensions, the call's deadline, SB_STATUS_CONFLICT ----------------------------

namespace ext_test {

// A plugin extension's table, as a switchboard/ext/ header would declare one.
struct EchoExtension {
    uint32_t struct_size;
    int (*echo)(int);
};
const EchoExtension echo_extension{static_cast<uint32_t>(sizeof(EchoExtension)),
                                   [](int v) { return v; }};

// list_events reports what the call knows of its deadline; create_event conflicts.
class DeadlineConnector final : public sdk::Connector {
public:
    sdk::Outcome invoke(sdk::Call& call, std::string_view action, std::string_view) override {
        if (action == SB_ACTION_CALENDAR_CREATE_EVENT) {
            return sdk::Outcome::conflict("event_exists", "an event with this id exists");
        }
        const auto left = call.remaining();
        const json out = {{"remaining_ms", left ? json(left->count()) : json(nullptr)},
                          {"cancelled", call.cancelled()}};
        return sdk::Outcome::success(out.dump());
    }
};

class ExtensionPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "extension_plugin";
    static constexpr const char* plugin_version = "1.0.0";

    std::vector<sdk::ProviderSpec> providers() const override {
        return {provider("ext_calendar", SB_CATEGORY_CALENDAR,
                         {SB_ACTION_CALENDAR_LIST_EVENTS, SB_ACTION_CALENDAR_CREATE_EVENT})};
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<DeadlineConnector>();
    }
    const void* extension(std::string_view id) const noexcept override {
        return id == "test.echo/1" ? &echo_extension : nullptr;
    }
};

const sb_plugin* entry() { return sdk::plugin_table<ExtensionPlugin>(); }

} // namespace ext_test

TEST(HelperExtensions, ThePluginsExtensionsAreReachedThroughItsTable) {
    const sb_plugin* table = ext_test::entry();
    ASSERT_NE(table->get_extension, nullptr);
    EXPECT_EQ(table->get_extension(table, "test.echo/1"), nullptr) << "nothing before init";
    FakeHost host;
    PluginUnderTest plugin(&ext_test::entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    const auto* echo =
        static_cast<const ext_test::EchoExtension*>(table->get_extension(table, "test.echo/1"));
    ASSERT_EQ(echo, &ext_test::echo_extension);
    EXPECT_EQ(echo->echo(7), 7);
    EXPECT_EQ(table->get_extension(table, "test.echo/2"), nullptr) << "a revision is another id";
    EXPECT_EQ(table->get_extension(table, nullptr), nullptr);
}

TEST(HelperExtensions, TheCallReadsItsDeadlineFromTheHost) {
    FakeHost host;
    PluginUnderTest plugin(&ext_test::entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    auto connector = plugin.connect("ext_calendar");
    const auto ask = [&] { return json::parse(connector.invoke("list_events", "{}").result); };

    EXPECT_EQ(ask(), json({{"remaining_ms", nullptr}, {"cancelled", false}})) << "no deadline";
    host.set_call_deadline_in_ms(1500);
    EXPECT_EQ(ask(), json({{"remaining_ms", 1500}, {"cancelled", false}}));
    host.advance_ms(1000);
    EXPECT_EQ(ask(), json({{"remaining_ms", 500}, {"cancelled", false}}));
    host.advance_ms(600);
    EXPECT_EQ(ask(), json({{"remaining_ms", 0}, {"cancelled", true}})) << "past the deadline";
    host.set_call_deadline_in_ms(1500);
    host.cancel_calls();
    EXPECT_EQ(ask()["cancelled"], true);
    host.set_offers_deadline_extension(false);
    EXPECT_EQ(ask(), json({{"remaining_ms", nullptr}, {"cancelled", false}}))
        << "a host without the extension: no deadline known, never cancelled";
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST(HelperExtensions, AConflictReachesA1_1HostAndIsInvalidInputForA1_0Host) {
    FakeHost host;
    PluginUnderTest plugin(&ext_test::entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    auto connector = plugin.connect("ext_calendar");
    const Invocation conflict = connector.invoke("create_event", "{}");
    EXPECT_EQ(conflict.status, SB_STATUS_CONFLICT);
    EXPECT_EQ(conflict.error_code(), "event_exists");

    host.set_abi({1, 0}); // the lower version wins: a 1.0 host knows no SB_STATUS_CONFLICT
    const Invocation downgraded = connector.invoke("create_event", "{}");
    EXPECT_EQ(downgraded.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(downgraded.error, conflict.error) << "the error object is kept";
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

// --- The provider-policy extension (switchboard.provider-policy/1) -----------------------------

namespace policy_test {

class PolicyPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "policy_plugin";
    static constexpr const char* plugin_version = "1.0.0";

    std::vector<sdk::ProviderSpec> providers() const override {
        return {provider("policy_crm", SB_CATEGORY_CRM, {SB_ACTION_CRM_GET_CONTACT})};
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo& info) override {
        return std::make_unique<CrmConnector>(info);
    }
    std::vector<sdk::ProviderPolicySpec> provider_policies() const override {
        sdk::ProviderPolicySpec p;
        p.provider_id = "policy_crm";
        p.credential_prefix = "POLICY";
        p.rate_limit_headers = {{.remaining_header = "X-Daily-Left", .give_up = true}};
        p.oauth_error_member = "status";
        p.oauth_error_codes = {{"TOKEN_GONE", SB_OAUTH_ERROR_INVALID_GRANT}};
        p.tenant_rate_limit = sdk::RateBucket{10, 1};
        return {p};
    }
    const void* extension(std::string_view id) const noexcept override {
        return id == "test.echo/1" ? &ext_test::echo_extension : nullptr;
    }
};

// Names a provider the plugin does not ship: the helper refuses to initialise.
class StrayPolicyPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "stray_policy";
    static constexpr const char* plugin_version = "1.0.0";

    std::vector<sdk::ProviderSpec> providers() const override {
        return {provider("policy_crm", SB_CATEGORY_CRM, {SB_ACTION_CRM_GET_CONTACT})};
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo& info) override {
        return std::make_unique<CrmConnector>(info);
    }
    std::vector<sdk::ProviderPolicySpec> provider_policies() const override {
        sdk::ProviderPolicySpec p;
        p.provider_id = "someone_else";
        return {p};
    }
};

} // namespace policy_test

TEST(HelperProviderPolicy, ThePoliciesAreTheExtensionsTable) {
    const sb_plugin* table = sdk::plugin_table<policy_test::PolicyPlugin>();
    FakeHost host;
    PluginUnderTest plugin(+[] { return sdk::plugin_table<policy_test::PolicyPlugin>(); }, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    const auto* ext = static_cast<const sb_plugin_provider_policy*>(
        table->get_extension(table, SB_EXT_PROVIDER_POLICY));
    ASSERT_NE(ext, nullptr);
    ASSERT_EQ(ext->struct_size, sizeof(sb_plugin_provider_policy));
    ASSERT_EQ(ext->policy_count, 1u);
    const sb_provider_policy* c = ext->policies[0];
    EXPECT_STREQ(c->provider_id, "policy_crm");
    EXPECT_STREQ(c->credential_prefix, "POLICY");
    ASSERT_EQ(c->rate_limit_header_count, 1u);
    EXPECT_STREQ(c->rate_limit_headers[0]->remaining_header, "X-Daily-Left");
    EXPECT_EQ(c->rate_limit_headers[0]->wait_header, nullptr) << "an empty string is NULL";
    EXPECT_EQ(c->rate_limit_headers[0]->give_up, 1);
    EXPECT_EQ(c->oauth_error_description_member, nullptr);
    EXPECT_EQ(c->provider_rate_limit, nullptr);
    ASSERT_NE(c->tenant_rate_limit, nullptr);
    EXPECT_EQ(c->tenant_rate_limit->capacity, 10);
    // Read back, it is the value the plugin wrote.
    const auto read = sdk::read_provider_policies(ext);
    ASSERT_EQ(read.size(), 1u);
    EXPECT_EQ(read[0], policy_test::PolicyPlugin().provider_policies()[0]);
    // The plugin's other extensions are still its own.
    EXPECT_EQ(table->get_extension(table, "test.echo/1"), &ext_test::echo_extension);
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST(HelperProviderPolicy, APluginWithoutPoliciesOffersNoTable) {
    FakeHost host;
    PluginUnderTest plugin(&ext_test::entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    const sb_plugin* table = ext_test::entry();
    EXPECT_EQ(table->get_extension(table, SB_EXT_PROVIDER_POLICY), nullptr);
}

TEST(HelperProviderPolicy, APolicyForAProviderNotShippedFailsInit) {
    FakeHost host;
    PluginUnderTest plugin(+[] { return sdk::plugin_table<policy_test::StrayPolicyPlugin>(); },
                           host);
    EXPECT_EQ(plugin.init(), SB_STATUS_INTERNAL);
    EXPECT_TRUE(host.logged("a provider policy names 'someone_else'"));
}
