// tiny_crm.so through the SDK's fake host, loaded with dlopen as the host loads it: the
// requests it sends, the contacts it returns, and the params it refuses without a request.
#include "switchboard/testing/fake_host.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace {

using nlohmann::json;
using namespace switchboard::sdk::testing;

class TinyCrmTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(plugin.init(), SB_STATUS_OK) << problems(); }

    Invocation run(std::string_view action, std::string_view params) {
        auto connector = plugin.connect("tiny_crm");
        EXPECT_EQ(connector.status(), SB_STATUS_OK);
        return connector.invoke(action, params);
    }

    std::string problems() const {
        std::string out;
        for (const auto& p : plugin.problems()) out += p + "\n";
        return out;
    }

    FakeHost host; // declared first: it must outlive the plugin
    PluginUnderTest plugin{std::filesystem::path(SB_TINY_CRM_PLUGIN), host};
};

constexpr const char* record = R"({"id":"51","properties":{"email":"ann@example.com",
    "firstname":"Ann","hs_object_id":"51"},"createdAt":"2026-01-02T03:04:05.000Z"})";

TEST_F(TinyCrmTest, DescribesAnOAuthCrmProviderWithTwoActions) {
    const auto providers = plugin.providers();
    ASSERT_EQ(providers.size(), 1u);
    EXPECT_EQ(providers[0].id, "tiny_crm");
    EXPECT_EQ(providers[0].category, "crm");
    EXPECT_EQ(providers[0].actions, (std::vector<std::string>{"create_contact", "get_contact"}));
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(TinyCrmTest, CreateContactPostsThePropertiesAndReturnsTheContact) {
    host.expect("POST", "/crm/v3/objects/contacts", CannedResponse::json(201, record));
    const Invocation call =
        run("create_contact", R"({"email":"ann@example.com","first_name":"Ann","job_title":"CTO"})");
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(json::parse(call.result), json({{"id", "51"},
                                              {"email", "ann@example.com"},
                                              {"first_name", "Ann"},
                                              {"created_at", "2026-01-02T03:04:05.000Z"}}));
    const auto requests = host.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(json::parse(requests[0].body),
              json({{"properties", {{"email", "ann@example.com"}, {"firstname", "Ann"}, {"jobtitle", "CTO"}}}}));
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(TinyCrmTest, GetContactAsksForTheMappedProperties) {
    host.expect("GET", "/crm/v3/objects/contacts/51?properties=email%2Cfirstname%2Clastname%2Cphone%2Ccompany%2Cjobtitle",
                CannedResponse::json(200, record));
    const Invocation call = run("get_contact", R"({"contact_id":"51"})");
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(json::parse(call.result).at("first_name"), "Ann");
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(TinyCrmTest, ProviderErrorsAreTheSdksMapping) {
    host.expect(RequestMatcher::prefix("GET", "/crm/v3/objects/contacts/9"),
                CannedResponse::json(404, R"({"message":"gone"})"));
    const Invocation missing = run("get_contact", R"({"contact_id":"9"})");
    EXPECT_EQ(missing.status, SB_STATUS_NOT_FOUND);
    EXPECT_EQ(missing.error_code(), "not_found");

    host.expect("POST", "/crm/v3/objects/contacts", CannedResponse::json(200, "[]"));
    const Invocation unreadable = run("create_contact", R"({"email":"ann@example.com"})");
    EXPECT_EQ(unreadable.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(unreadable.error_code(), "invalid_provider_response");
}

TEST_F(TinyCrmTest, BadParamsAreRefusedWithTheFieldAndNoRequest) {
    const std::pair<const char*, const char*> cases[] = {
        {"{}", "/email"},
        {R"({"email":5})", "/email"},
        {R"({"email":"not-an-address"})", "/email"},
        {R"({"email":"a@example.com","first_name":["x"]})", "/first_name"},
        {"[]", ""},
    };
    for (const auto& [params, field] : cases) {
        const Invocation call = run("create_contact", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(call.error_code(), "invalid_params") << params;
        EXPECT_EQ(json::parse(call.error).value("field", ""), field) << params;
    }
    const Invocation no_id = run("get_contact", R"({"contact_id":""})");
    EXPECT_EQ(json::parse(no_id.error).value("field", ""), "/contact_id");
    EXPECT_TRUE(host.requests().empty());
}

} // namespace
