// Reading a plugin's provider policies (switchboard.provider-policy/1): what the host takes
// from the C table, and every malformed policy refused with the provider and the field named.
#include "core/plugin/policy_reader.hpp"

#include <gtest/gtest.h>
#include <switchboard/ext/provider_policy.hpp>

#include <cmath>
#include <limits>

namespace switchboard {
namespace {

using std::chrono::milliseconds;

std::vector<plugin::ProviderDescriptor> providers(std::initializer_list<const char*> ids) {
    std::vector<plugin::ProviderDescriptor> out;
    for (const char* id : ids) {
        plugin::ProviderDescriptor d;
        d.id = id;
        d.policy = plugin::generic_provider_policy(id);
        out.push_back(std::move(d));
    }
    return out;
}

sdk::ProviderPolicySpec valid_policy() {
    sdk::ProviderPolicySpec p;
    p.provider_id = "acme_crm";
    p.credential_prefix = "ACME";
    p.rate_limit_headers = {
        {.remaining_header = "X-Acme-Daily-Remaining", .give_up = true},
        {.remaining_header = "X-Acme-Remaining",
         .wait_header = "X-Acme-Reset",
         .wait_header_unit_ms = 1000,
         .default_wait_ms = 2000},
    };
    p.oauth_error_member = "status";
    p.oauth_error_description_member = "message";
    p.oauth_error_codes = {{"TOKEN_GONE", SB_OAUTH_ERROR_INVALID_GRANT},
                           {"NO_SUCH_APP", SB_OAUTH_ERROR_INVALID_CLIENT}};
    p.provider_rate_limit = sdk::RateBucket{100, 10};
    p.tenant_rate_limit = sdk::RateBucket{10, 1};
    p.credential_headers = {"X-Acme-Key"};
    return p;
}

// Reads `policies` as a plugin shipping `ids` would hand them over.
Result<std::vector<plugin::ProviderDescriptor>> read(std::vector<sdk::ProviderPolicySpec> policies,
                                                     std::initializer_list<const char*> ids = {
                                                         "acme_crm"}) {
    auto list = providers(ids);
    const sdk::ProviderPolicyTable table(std::move(policies));
    if (auto ok = plugin::read_provider_policies(table.c_table(), list); !ok) return ok.error();
    return list;
}

// The refusal of `policy`, checking its code.
std::string refusal(const sdk::ProviderPolicySpec& policy) {
    auto result = read({policy});
    EXPECT_FALSE(result) << "accepted";
    if (result) return {};
    EXPECT_EQ(result.error().code, "invalid_provider_policy");
    return result.error().message;
}

TEST(PolicyReader, ReadsEveryFieldIntoTheProvidersPolicy) {
    auto result = read({valid_policy()}, {"acme_crm", "acme_other"});
    ASSERT_TRUE(result) << result.error().message;
    const plugin::ProviderPolicy& p = (*result)[0].policy;
    EXPECT_EQ(p.credential_prefix, "ACME");
    ASSERT_EQ(p.rate_limit_headers.size(), 2u);
    EXPECT_EQ(p.rate_limit_headers[0].remaining_header, "x-acme-daily-remaining")
        << "header names are matched in lower case";
    EXPECT_TRUE(p.rate_limit_headers[0].give_up);
    EXPECT_EQ(p.rate_limit_headers[1].wait_header, "x-acme-reset");
    EXPECT_EQ(p.rate_limit_headers[1].wait_unit, milliseconds{1000});
    EXPECT_EQ(p.rate_limit_headers[1].default_wait, milliseconds{2000});
    EXPECT_EQ(p.oauth_errors.code_member, "status");
    EXPECT_EQ(p.oauth_errors.description_member, "message");
    ASSERT_EQ(p.oauth_errors.codes.size(), 2u);
    EXPECT_EQ(p.oauth_errors.codes[1].meaning, plugin::OAuthErrorMeaning::invalid_client);
    ASSERT_TRUE(p.default_rate_limits.provider);
    EXPECT_EQ(p.default_rate_limits.provider->capacity, 100);
    ASSERT_TRUE(p.default_rate_limits.tenant);
    EXPECT_EQ(p.default_rate_limits.tenant->refill_per_second, 1);
    EXPECT_EQ(p.credential_headers, std::vector<std::string>{"x-acme-key"});
    // The provider without a policy keeps the generic rules.
    EXPECT_EQ((*result)[1].policy, plugin::generic_provider_policy("acme_other"));
    EXPECT_EQ((*result)[1].policy.credential_prefix, "ACME");
}

TEST(PolicyReader, NoTableOrAnEmptyPolicyMeansTheGenericRules) {
    auto list = providers({"zoho_crm"});
    ASSERT_TRUE(plugin::read_provider_policies(nullptr, list));
    EXPECT_EQ(list[0].policy.credential_prefix, "ZOHO");
    EXPECT_TRUE(list[0].policy.rate_limit_headers.empty());
    sdk::ProviderPolicySpec bare;
    bare.provider_id = "acme_crm";
    auto result = read({bare});
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ((*result)[0].policy, plugin::generic_provider_policy("acme_crm"));
}

TEST(PolicyReader, RefusesPoliciesForOtherProvidersOrTwice) {
    sdk::ProviderPolicySpec other = valid_policy();
    other.provider_id = "someone_else";
    EXPECT_EQ(refusal(other), "provider policy #0: provider_id names no provider of this plugin");
    auto twice = read({valid_policy(), valid_policy()}, {"acme_crm", "acme_other"});
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message, "provider 'acme_crm' policy: is declared twice");
    sdk::ProviderPolicySpec none = valid_policy();
    none.provider_id.clear();
    EXPECT_EQ(refusal(none), "provider policy #0: provider_id is empty");
}

TEST(PolicyReader, RefusesBadHeaderNamesAndAbsurdWaits) {
    auto p = valid_policy();
    p.rate_limit_headers[0].remaining_header = "X-Acme Daily";
    EXPECT_EQ(refusal(p), "provider 'acme_crm' policy: rate_limit_headers[0].remaining_header "
                          "'X-Acme Daily' is not an HTTP header name");
    p = valid_policy();
    p.rate_limit_headers[1].wait_header = "X-Acme-Reset:";
    EXPECT_NE(refusal(p).find("rate_limit_headers[1].wait_header"), std::string::npos);
    p = valid_policy();
    p.credential_headers = {"X-Acme Key"};
    EXPECT_NE(refusal(p).find("credential_headers[0] 'X-Acme Key' is not an HTTP header name"),
              std::string::npos);
    p = valid_policy();
    p.rate_limit_headers[1].default_wait_ms = 24 * 3600 * 1000;
    EXPECT_EQ(refusal(p), "provider 'acme_crm' policy: rate_limit_headers[1].default_wait_ms "
                          "86400000 is more than an hour (3600000)");
    p = valid_policy();
    p.rate_limit_headers[1].wait_header_unit_ms = 60'000;
    EXPECT_NE(refusal(p).find("wait_header_unit_ms must be 1 (milliseconds) or 1000"),
              std::string::npos);
    p = valid_policy();
    p.rate_limit_headers[0].give_up = false;
    EXPECT_EQ(refusal(p), "provider 'acme_crm' policy: rate_limit_headers[0] neither gives up "
                          "nor asks for a wait");
    p = valid_policy();
    const sdk::RateLimitHeaderRule first = p.rate_limit_headers[0];
    p.rate_limit_headers.resize(plugin::kMaxRateLimitHeaderRules + 1, first);
    EXPECT_NE(refusal(p).find("rate_limit_headers has 17 entries; at most 16"), std::string::npos);
}

TEST(PolicyReader, RefusesBadPrefixesMembersCodesAndBuckets) {
    auto p = valid_policy();
    p.credential_prefix = "acme";
    EXPECT_NE(refusal(p).find("credential_prefix 'acme' must be"), std::string::npos);
    p = valid_policy();
    p.credential_prefix = "ACME-1";
    EXPECT_NE(refusal(p).find("credential_prefix"), std::string::npos);
    p = valid_policy();
    p.oauth_error_member.clear();
    EXPECT_NE(refusal(p).find("oauth_error_description_member needs oauth_error_member"),
              std::string::npos);
    p = valid_policy();
    p.oauth_error_member = "status\n";
    EXPECT_NE(refusal(p).find("oauth_error_member is not printable ASCII"), std::string::npos);
    p = valid_policy();
    p.oauth_error_codes[0].meaning = 3;
    EXPECT_NE(refusal(p).find("oauth_error_codes[0].meaning 3 is not"), std::string::npos);
    p = valid_policy();
    p.oauth_error_codes[1].code = "TOKEN_GONE";
    EXPECT_NE(refusal(p).find("oauth_error_codes[1].code 'TOKEN_GONE' is listed twice"),
              std::string::npos);
    p = valid_policy();
    p.oauth_error_codes[0].code = "<script>";
    EXPECT_NE(refusal(p).find("oauth_error_codes[0].code must be"), std::string::npos);
    for (double bad : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity(), 2e6}) {
        p = valid_policy();
        p.tenant_rate_limit->refill_per_second = bad;
        EXPECT_NE(refusal(p).find("tenant_rate_limit.refill_per_second"), std::string::npos)
            << bad;
    }
    p = valid_policy();
    p.provider_rate_limit->capacity = 0.5;
    EXPECT_NE(refusal(p).find("provider_rate_limit.capacity must be from 1"), std::string::npos);
}

TEST(PolicyReader, HonoursStructSizes) {
    // A table truncated below its count is refused; a policy that ends after provider_id is a
    // policy with nothing in it (fields past struct_size read as absent).
    auto list = providers({"acme_crm"});
    const sdk::ProviderPolicyTable table({valid_policy()});
    sb_plugin_provider_policy short_table = *table.c_table();
    short_table.struct_size = 8;
    auto refused = plugin::read_provider_policies(&short_table, list);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("truncated"), std::string::npos);

    sb_provider_policy short_policy = *table.c_table()->policies[0];
    short_policy.struct_size =
        static_cast<uint32_t>(offsetof(sb_provider_policy, credential_prefix));
    const sb_provider_policy* one[] = {&short_policy};
    const sb_plugin_provider_policy cut = {sizeof(sb_plugin_provider_policy), one, 1};
    ASSERT_TRUE(plugin::read_provider_policies(&cut, list));
    EXPECT_EQ(list[0].policy, plugin::generic_provider_policy("acme_crm"));
}

TEST(PolicyReader, CredentialVariablesComeFromThePolicyUnlessTheConfigNamesThem) {
    plugin::ProviderPolicy policy = plugin::generic_provider_policy("gmail");
    EXPECT_EQ(plugin::with_credential_variables({}, policy).client_id_env, "GMAIL_CLIENT_ID");
    policy.credential_prefix = "GOOGLE";
    config::ProviderConfig config = plugin::with_credential_variables({}, policy);
    EXPECT_EQ(config.client_id_env, "GOOGLE_CLIENT_ID");
    EXPECT_EQ(config.client_secret_env, "GOOGLE_CLIENT_SECRET");
    config::ProviderConfig named;
    named.client_secret_env = "MY_SECRET";
    config = plugin::with_credential_variables(named, policy);
    EXPECT_EQ(config.client_id_env, "GOOGLE_CLIENT_ID");
    EXPECT_EQ(config.client_secret_env, "MY_SECRET") << "the operator's choice wins";
}

} // namespace
} // namespace switchboard
