// The fake host: canned answers in order, recorded requests, refusals, clock and logs; the
// JSON checks it relies on; and PluginUnderTest's detection of plugins that break the ABI.
#include "switchboard/plugin.hpp"
#include "switchboard/testing/fake_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace sdk = switchboard::sdk;
using namespace switchboard::sdk::testing;
using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A connector that performs the requests its params describe and returns what it got:
//   {"requests": [{"method", "path", "headers": {name: value}, "body"}], "log": "..."}
class ScriptConnector final : public sdk::Connector {
public:
    sdk::Outcome invoke(sdk::Call& call, std::string_view, std::string_view params_json) override {
        const json script = json::parse(params_json);
        json responses = json::array();
        for (const json& r : script.value("requests", json::array())) {
            sdk::HttpRequest request;
            request.method = r.value("method", "GET");
            request.path = r.at("path");
            request.body = r.value("body", "");
            const json headers_in = r.value("headers", json::object());
            for (const auto& [name, value] : headers_in.items()) {
                request.headers.push_back({name, value});
            }
            const sdk::HttpResponse response = call.send(request);
            json headers = json::object();
            for (const auto& h : response.headers) headers[h.name] = h.value;
            responses.push_back({{"host_status", response.host_status},
                                 {"status", response.status},
                                 {"headers", headers},
                                 {"body", response.body}});
        }
        if (script.contains("log")) call.host().warning(script.at("log").get<std::string>());
        return sdk::Outcome::success(
            json{{"responses", responses}, {"now", call.host().now_unix_ms()}}.dump());
    }
};

class ScriptPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "script";
    static constexpr const char* plugin_version = "1";
    std::vector<sdk::ProviderSpec> providers() const override {
        sdk::ProviderSpec spec;
        spec.id = "script_drive";
        spec.category = SB_CATEGORY_DRIVE;
        spec.display_name = "Script";
        spec.description = "Runs scripted requests.";
        spec.oauth.authorize_url = "https://auth.example.com/authorize";
        spec.oauth.token_url = "https://auth.example.com/token";
        spec.api_base_url = "https://api.example.com";
        spec.actions = {SB_ACTION_DRIVE_LIST_FILES};
        return {spec};
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<ScriptConnector>();
    }
};

class FakeHostTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(plugin.init(), SB_STATUS_OK);
        connector = plugin.connect("script_drive");
        ASSERT_EQ(connector.status(), SB_STATUS_OK);
    }
    // Runs the requests and returns the plugin's view of the responses.
    json run(const json& requests, const json& extra = json::object()) {
        json script = extra;
        script["requests"] = requests;
        const Invocation call = connector.invoke("list_files", script.dump());
        EXPECT_EQ(call.status, SB_STATUS_OK) << call.error;
        return call.ok() ? json::parse(call.result) : json();
    }

    FakeHost host;
    PluginUnderTest plugin{+[] { return sdk::plugin_table<ScriptPlugin>(); }, host};
    ConnectorHandle connector;
};

TEST_F(FakeHostTest, AnswersExpectedRequestsInOrderAndRecordsThem) {
    host.expect("GET", "/files?q=a", CannedResponse::json(200, R"({"n":1})"));
    host.expect("POST", "/files", CannedResponse::empty(201));
    const json out = run(json::parse(R"([
        {"method": "GET", "path": "/files?q=a"},
        {"method": "POST", "path": "/files", "headers": {"X-Test": "yes"}, "body": "payload"}])"));
    EXPECT_EQ(out["responses"][0]["status"], 200);
    EXPECT_EQ(out["responses"][0]["body"], R"({"n":1})");
    EXPECT_EQ(out["responses"][0]["headers"]["content-type"], "application/json");
    EXPECT_EQ(out["responses"][1]["status"], 201);
    EXPECT_EQ(out["responses"][1]["body"], "");

    const auto requests = host.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].path, "/files?q=a");
    EXPECT_EQ(requests[1].method, "POST");
    EXPECT_EQ(requests[1].body, "payload");
    ASSERT_NE(requests[1].header("x-test"), nullptr);
    EXPECT_EQ(*requests[1].header("x-test"), "yes");
    EXPECT_EQ(host.pending_expectations(), 0u);
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(FakeHostTest, RequestOutOfOrderIsUnexpected) {
    host.expect("GET", "/a", CannedResponse::empty(200));
    host.expect("GET", "/b", CannedResponse::empty(200));
    const json out = run(json::parse(R"([{"path": "/b"}])"));
    EXPECT_EQ(out["responses"][0]["host_status"], SB_STATUS_UNAVAILABLE);
    EXPECT_THAT(host.failures(), ElementsAre("unexpected request GET /b (expected GET /a)"));
    EXPECT_THAT(plugin.problems(), Contains("expected request never made: GET /a"));
    EXPECT_THAT(plugin.problems(), Contains("expected request never made: GET /b"));
}

TEST_F(FakeHostTest, RequestBeyondTheExpectationsIsUnexpected) {
    const json out = run(json::parse(R"([{"path": "/x"}])"));
    EXPECT_EQ(out["responses"][0]["host_status"], SB_STATUS_UNAVAILABLE);
    EXPECT_THAT(host.failures(), ElementsAre("unexpected request GET /x (expected no more requests)"));
    EXPECT_EQ(host.requests().size(), 1u);
}

TEST_F(FakeHostTest, MatchesByPrefixAndPredicate) {
    host.expect_prefix("GET", "/files?", CannedResponse::empty(204));
    host.expect(RequestMatcher::when("a POST with a JSON body",
                                     [](const RecordedRequest& r) {
                                         return r.method == "POST" && json::accept(r.body);
                                     }),
                CannedResponse::empty(202));
    const json out = run(json::parse(R"([{"path": "/files?page=2"},
                                          {"method": "POST", "path": "/any", "body": "[1]"}])"));
    EXPECT_EQ(out["responses"][0]["status"], 204);
    EXPECT_EQ(out["responses"][1]["status"], 202);
    EXPECT_THAT(plugin.problems(), IsEmpty());

    host.expect(RequestMatcher::when("a POST with a JSON body",
                                     [](const RecordedRequest& r) { return r.method == "POST"; }),
                CannedResponse::empty(202));
    run(json::parse(R"([{"path": "/files"}])"));
    EXPECT_THAT(host.failures(),
                ElementsAre("unexpected request GET /files (expected a POST with a JSON body)"));
}

TEST_F(FakeHostTest, CannedHostFailuresGiveNoResponse) {
    host.expect("GET", "/a", CannedResponse::host_failure(SB_STATUS_AUTH));
    const json out = run(json::parse(R"([{"path": "/a"}])"));
    EXPECT_EQ(out["responses"][0]["host_status"], SB_STATUS_AUTH);
    EXPECT_EQ(out["responses"][0]["status"], 0);
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(FakeHostTest, ResponseHeaderNamesAreLowerCase) {
    host.expect("GET", "/a", CannedResponse::empty(200).with_header("X-Request-Id", "r1"));
    const json out = run(json::parse(R"([{"path": "/a"}])"));
    EXPECT_EQ(out["responses"][0]["headers"], json::parse(R"({"x-request-id":"r1"})"));
}

TEST_F(FakeHostTest, RefusesWhatTheRealHostRefuses) {
    const std::pair<json, const char*> cases[] = {
        {json::parse(R"({"path": "/a", "headers": {"Authorization": "Bearer x"}})"),
         "Authorization"},
        {json::parse(R"({"path": "https://evil.example/a"})"), "not relative"},
        {json::parse(R"({"path": "//evil.example/a"})"), "not relative"},
        {json::parse(R"({"path": "/a b"})"), "not percent-encoded"},
        {json::parse(R"({"method": "TRACE", "path": "/a"})"), "TRACE"}};
    for (const auto& [request, why] : cases) {
        const json out = run(json::array({request}));
        EXPECT_EQ(out["responses"][0]["host_status"], SB_STATUS_INVALID_INPUT) << why;
        ASSERT_FALSE(host.failures().empty());
        EXPECT_THAT(host.failures().back(), HasSubstr(why));
    }
    EXPECT_EQ(host.failures().size(), 5u);
    EXPECT_TRUE(host.requests().empty());
}

TEST_F(FakeHostTest, HttpOutsideAnInvokeIsAFailure) {
    sb_http_request request{};
    request.struct_size = static_cast<uint32_t>(sizeof request);
    request.method = "GET";
    request.path = "/a";
    const sb_http_response* response = reinterpret_cast<const sb_http_response*>(1);
    const sb_host* table = host.table();
    EXPECT_EQ(table->http(table, nullptr, &request, &response), SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(response, nullptr);
    FakeHost::CallScope scope(host);
    request.struct_size = static_cast<uint32_t>(offsetof(sb_http_request, body));
    EXPECT_EQ(table->http(table, scope.c_call(), &request, &response), SB_STATUS_INVALID_INPUT);
    EXPECT_THAT(host.failures(), ElementsAre(HasSubstr("outside its invoke"),
                                             HasSubstr("struct_size")));
}

TEST_F(FakeHostTest, ClockAndLogsAreTheTests) {
    EXPECT_EQ(run(json::array())["now"], FakeHost::default_now_unix_ms);
    host.set_now_unix_ms(1'700'000'000'000);
    host.advance_ms(5);
    EXPECT_EQ(run(json::array(), {{"log", "calendar sync slow"}})["now"], 1'700'000'000'005);
    const auto logs = host.logs();
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_EQ(logs[0].level, SB_LOG_WARNING);
    EXPECT_EQ(logs[0].message, "calendar sync slow");
    EXPECT_TRUE(host.logged("sync slow"));
    EXPECT_FALSE(host.logged("fast"));
}

TEST(FakeHost, UnusedExpectationIsAProblem) {
    FakeHost host;
    host.expect_prefix("DELETE", "/files/", CannedResponse::empty(204));
    EXPECT_THAT(host.problems(), ElementsAre("expected request never made: DELETE /files/*"));
    EXPECT_THAT(host.failures(), IsEmpty());
}

// --- json_check -----------------------------------------------------------------------------

TEST(JsonCheck, AcceptsValidJsonOnly) {
    for (const char* good : {"{}", "[]", "0", "-1.5e+3", "\"a\\u00e9\\ud83d\\ude00\"", "true",
                             " null ", R"({"a":[1,{"b":null}],"c":"d"})"}) {
        EXPECT_TRUE(is_valid_json(good)) << good;
        EXPECT_TRUE(json::accept(good)) << good; // agrees with nlohmann
    }
    for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "'a'", "{\"a\" 1}",
                            "\"\x01\"", "\"\\x\"", "nul", "{} {}", "\"\xff\""}) {
        EXPECT_FALSE(is_valid_json(bad)) << bad;
        EXPECT_FALSE(json::accept(bad)) << bad;
    }
}

TEST(JsonCheck, ReadsTopLevelStringMembers) {
    const std::string error = R"({"code":"rate_limited","message":"slow \"down\" \u00e9",
                                  "details":{"code":"nested"}})";
    EXPECT_EQ(json_string_member(error, "code"), "rate_limited");
    EXPECT_EQ(json_string_member(error, "message"), "slow \"down\" \xC3\xA9");
    EXPECT_EQ(json_string_member(error, "details"), std::nullopt); // not a string
    EXPECT_EQ(json_string_member(error, "field"), std::nullopt);
    EXPECT_EQ(json_string_member("[1]", "code"), std::nullopt);
}

TEST(JsonCheck, ErrorObjectProblems) {
    EXPECT_THAT(error_object_problems(R"({"code":"x","message":"m","field":"/a","details":{}})"),
                IsEmpty());
    EXPECT_THAT(error_object_problems(R"({"message":"m"})"), ElementsAre("the error has no code"));
    EXPECT_THAT(error_object_problems(R"({"code":"Bad","message":"m"})"),
                ElementsAre(HasSubstr("snake_case")));
    EXPECT_THAT(error_object_problems(R"({"code":"x","message":1,"hint":2})"),
                ElementsAre(HasSubstr("message is not a string"), HasSubstr("unknown member 'hint'")));
    EXPECT_THAT(error_object_problems("oops"), ElementsAre(HasSubstr("not a JSON object")));
}

// --- PluginUnderTest's ABI checks -------------------------------------------------------------

// A plugin written against the raw C table, misbehaving as the test asks.
struct RawPlugin {
    enum class Mode { good, both_sinks, no_error, ok_empty, error_not_json, error_extra_member,
                      result_not_json, unknown_status };
    static inline Mode mode = Mode::good;
    static inline sdk::ProviderSpec spec;
    static inline std::unique_ptr<sdk::ProviderDescriptor> descriptor;
    static inline int connector_instance = 0;
    static inline sb_plugin table_override{};

    static sb_status init(const sb_plugin*, const sb_host*) {
        descriptor = std::make_unique<sdk::ProviderDescriptor>(spec);
        return SB_STATUS_OK;
    }
    static void deinit(const sb_plugin*) { descriptor.reset(); }
    static size_t get_providers(const sb_plugin*, const sb_provider_desc* const** providers) {
        static const sb_provider_desc* list[1];
        list[0] = descriptor->c_desc();
        *providers = list;
        return 1;
    }
    static sb_status create_connector(const sb_plugin*, const sb_connector_info*,
                                      sb_connector** connector) {
        *connector = reinterpret_cast<sb_connector*>(&connector_instance);
        return SB_STATUS_OK;
    }
    static void destroy_connector(const sb_plugin*, sb_connector*) {}
    static sb_status invoke(const sb_plugin*, sb_connector*, sb_call*, const char*, const char*,
                            size_t, const sb_sink* result, const sb_sink* error) {
        const auto write = [](const sb_sink* sink, std::string_view text) {
            sink->write(sink, text.data(), text.size());
        };
        switch (mode) {
        case Mode::good: write(result, "{}"); return SB_STATUS_OK;
        case Mode::both_sinks:
            write(result, "{}");
            write(error, R"({"code":"x","message":"y"})");
            return SB_STATUS_OK;
        case Mode::no_error: return SB_STATUS_NOT_FOUND;
        case Mode::ok_empty: return SB_STATUS_OK;
        case Mode::error_not_json: write(error, "it broke"); return SB_STATUS_INTERNAL;
        case Mode::error_extra_member:
            write(error, R"({"code":"x","message":"y","hint":"z"})");
            return SB_STATUS_INTERNAL;
        case Mode::result_not_json: write(result, "{"); return SB_STATUS_OK;
        case Mode::unknown_status: write(error, R"({"code":"x","message":"y"})"); return 99;
        }
        return SB_STATUS_INTERNAL;
    }

    static sb_plugin table() {
        sb_plugin t{};
        t.struct_size = static_cast<uint32_t>(sizeof(sb_plugin));
        t.abi = {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR};
        t.name = "raw";
        t.version = "1";
        t.init = &init;
        t.deinit = &deinit;
        t.get_providers = &get_providers;
        t.create_connector = &create_connector;
        t.destroy_connector = &destroy_connector;
        t.invoke = &invoke;
        return t;
    }
    static const sb_plugin* entry() { return &table_override; }

    static sdk::ProviderSpec good_spec() {
        sdk::ProviderSpec s;
        s.id = "raw_crm";
        s.category = SB_CATEGORY_CRM;
        s.display_name = "Raw";
        s.description = "Raw C table.";
        s.oauth.authorize_url = "https://auth.example.com/authorize";
        s.oauth.token_url = "https://auth.example.com/token";
        s.api_base_url = "https://api.example.com";
        s.actions = {SB_ACTION_CRM_GET_CONTACT};
        return s;
    }
};

class AbiChecks : public ::testing::Test {
protected:
    void SetUp() override {
        RawPlugin::mode = RawPlugin::Mode::good;
        RawPlugin::spec = RawPlugin::good_spec();
        RawPlugin::table_override = RawPlugin::table();
    }
    FakeHost host;
};

TEST_F(AbiChecks, AWellBehavedRawPluginHasNoProblems) {
    PluginUnderTest plugin(&RawPlugin::entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    const Invocation call = plugin.connect("raw_crm").invoke("get_contact", "{}");
    EXPECT_EQ(call.status, SB_STATUS_OK);
    EXPECT_THAT(call.violations, IsEmpty());
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(AbiChecks, CatchesSinkMisuse) {
    using Mode = RawPlugin::Mode;
    const std::pair<Mode, const char*> cases[] = {
        {Mode::both_sinks, "SB_STATUS_OK but an error was written"},
        {Mode::no_error, "without an error object"},
        {Mode::ok_empty, "SB_STATUS_OK with an empty result"},
        {Mode::error_not_json, "not a JSON object"},
        {Mode::error_extra_member, "unknown member 'hint'"},
        {Mode::result_not_json, "the result is not valid JSON"},
        {Mode::unknown_status, "unknown status 99"}};
    for (const auto& [mode, why] : cases) {
        FakeHost fresh;
        PluginUnderTest plugin(&RawPlugin::entry, fresh);
        ASSERT_EQ(plugin.init(), SB_STATUS_OK);
        RawPlugin::mode = mode;
        const Invocation call = plugin.connect("raw_crm").invoke("get_contact", "{}");
        EXPECT_THAT(call.violations, Contains(HasSubstr(why))) << why;
        EXPECT_THAT(plugin.problems(), Contains(HasSubstr(why))) << why;
    }
}

TEST_F(AbiChecks, CatchesDescriptorMistakes) {
    using Edit = void (*)(sdk::ProviderSpec&);
    const std::pair<Edit, const char*> cases[] = {
        {[](sdk::ProviderSpec& s) { s.id = "Raw-CRM"; }, "id must match"},
        {[](sdk::ProviderSpec& s) { s.category = "music"; }, "unknown category"},
        {[](sdk::ProviderSpec& s) { s.display_name.clear(); }, "display_name is missing"},
        {[](sdk::ProviderSpec& s) { s.api_base_url += "/"; }, "trailing slash"},
        {[](sdk::ProviderSpec& s) { s.actions = {"send_email"}; }, "not in category 'crm'"},
        {[](sdk::ProviderSpec& s) { s.actions = {"get_contact", "get_contact"}; }, "listed twice"},
        {[](sdk::ProviderSpec& s) { s.oauth.token_url = "http://auth.example.com/token"; },
         "token_url must be an https URL"},
        {[](sdk::ProviderSpec& s) {
             s.oauth.revoke_style = SB_REVOKE_DELETE_PATH;
             s.oauth.revoke_url = "https://auth.example.com/revoke";
         },
         "containing {token}"},
        {[](sdk::ProviderSpec& s) { s.oauth.revoke_style = SB_REVOKE_POST_FORM; },
         "revoke_url must be an https URL"},
        {[](sdk::ProviderSpec& s) { s.oauth.extra_authorize_params = {{"state", "x"}}; },
         "'state' is set by the host"},
        {[](sdk::ProviderSpec& s) { s.oauth.identity_url = "https://auth.example.com/me"; },
         "given together"},
        {[](sdk::ProviderSpec& s) { s.oauth.default_scopes = {"a b"}; }, "contains a space"}};
    for (const auto& [edit, why] : cases) {
        RawPlugin::spec = RawPlugin::good_spec();
        edit(RawPlugin::spec);
        FakeHost fresh;
        PluginUnderTest plugin(&RawPlugin::entry, fresh);
        ASSERT_EQ(plugin.init(), SB_STATUS_OK);
        EXPECT_THAT(plugin.problems(), Contains(HasSubstr(why))) << why;
    }
}

TEST_F(AbiChecks, CatchesTableMistakes) {
    {
        PluginUnderTest plugin(+[]() -> const sb_plugin* { return nullptr; }, host);
        EXPECT_EQ(plugin.table(), nullptr);
        EXPECT_THAT(plugin.problems(), ElementsAre("the entry function returned NULL"));
        EXPECT_EQ(plugin.init(), SB_STATUS_INTERNAL);
    }
    RawPlugin::table_override.abi.major = SB_ABI_VERSION_MAJOR + 1;
    {
        PluginUnderTest plugin(&RawPlugin::entry, host);
        EXPECT_EQ(plugin.table(), nullptr);
        EXPECT_THAT(plugin.problems(), ElementsAre(HasSubstr("is not compatible")));
    }
    RawPlugin::table_override = RawPlugin::table();
    RawPlugin::table_override.invoke = nullptr;
    {
        PluginUnderTest plugin(&RawPlugin::entry, host);
        EXPECT_EQ(plugin.table(), nullptr);
        EXPECT_THAT(plugin.problems(), ElementsAre(HasSubstr("lacks a required function")));
    }
}

// --- loading a library ------------------------------------------------------------------------

TEST(PluginLibrary, LoadsABuiltPluginByPath) {
    FakeHost host;
    host.expect("GET", "/files", CannedResponse::json(200, R"([{"id":"f1"}])"));
    PluginUnderTest plugin(std::filesystem::path(SB_TEST_PLUGIN_LIBRARY), host);
    ASSERT_NE(plugin.table(), nullptr) << ::testing::PrintToString(plugin.problems());
    EXPECT_STREQ(plugin.table()->name, "sdk_test_plugin");
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    ASSERT_EQ(plugin.providers().size(), 1u);
    const Invocation call = plugin.connect("test_drive").invoke("list_files", "{}");
    EXPECT_EQ(call.status, SB_STATUS_OK);
    EXPECT_EQ(json::parse(call.result), json::parse(R"({"files":[{"id":"f1"}]})"));
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST(PluginLibrary, ReportsALibraryThatCannotBeUsed) {
    FakeHost host;
    {
        PluginUnderTest plugin(std::filesystem::path("/nonexistent/plugin.so"), host);
        EXPECT_EQ(plugin.table(), nullptr);
        EXPECT_THAT(plugin.problems(), ElementsAre(HasSubstr("cannot load /nonexistent/plugin.so")));
    }
    {
        PluginUnderTest plugin(std::filesystem::path("libm.so.6"), host); // no entry function
        EXPECT_EQ(plugin.table(), nullptr);
        EXPECT_THAT(plugin.problems(),
                    ElementsAre("libm.so.6 does not export switchboard_plugin_entry"));
    }
}

} // namespace
