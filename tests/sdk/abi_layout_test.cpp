// plugin.h compiled as C++ (-pedantic -Werror) must lay out every struct exactly as the C
// compiler does (abi_c.c), and a plugin written in plain C must work with the SDK's host side.
#include "abi_frozen_1_0.h"
#include "abi_layout.h"

#include "switchboard/plugin.h"
#include "switchboard/testing/fake_host.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <set>
#include <string>

namespace {

using namespace switchboard::sdk::testing;

const sb_layout_entry layout_from_cxx[] = {SB_LAYOUT_ENTRIES};

TEST(AbiLayout, CAndCxxAgreeOnEverySizeAndOffset) {
    constexpr std::size_t count = sizeof(layout_from_cxx) / sizeof(layout_from_cxx[0]);
    ASSERT_EQ(sb_layout_from_c_count, count);
    for (std::size_t i = 0; i < count; ++i) {
        ASSERT_STREQ(sb_layout_from_c[i].name, layout_from_cxx[i].name);
        EXPECT_EQ(sb_layout_from_c[i].value, layout_from_cxx[i].value) << layout_from_cxx[i].name;
    }
}

// The frozen 1.0 table against this header: 1.0 may only have been appended to.
const sb_frozen_entry frozen_against_current[] = {SB_FROZEN_ENTRIES};

TEST(AbiFrozen1_0, TheCurrentHeaderOnlyAppendsToIt) {
#if UINTPTR_MAX != 0xFFFFFFFFFFFFFFFFu
    GTEST_SKIP() << "the frozen table is for LP64 platforms";
#endif
    for (const sb_frozen_entry& e : frozen_against_current) {
        if (e.kind == SB_FROZEN_STRUCT) {
            EXPECT_GE(e.actual, e.frozen) << e.name << " shrank";
        } else {
            EXPECT_EQ(e.actual, e.frozen) << e.name << " changed since ABI 1.0";
        }
    }
    EXPECT_EQ(SB_ABI_VERSION_MAJOR, 1u);
    EXPECT_GE(SB_ABI_VERSION_MINOR, 1u);
}

TEST(AbiFrozen1_0, TheFrozenHeaderCopyMatchesItExactly) {
#if UINTPTR_MAX != 0xFFFFFFFFFFFFFFFFu
    GTEST_SKIP() << "the frozen table is for LP64 platforms";
#endif
    ASSERT_EQ(sb_frozen_1_0_from_frozen_header_count, std::size(frozen_against_current));
    for (std::size_t i = 0; i < sb_frozen_1_0_from_frozen_header_count; ++i) {
        const sb_frozen_entry& e = sb_frozen_1_0_from_frozen_header[i];
        EXPECT_EQ(e.actual, e.frozen) << e.name;
    }
}

TEST(AbiFrozen1_0, TheTableCoversEveryField) {
    // Each 1.0 field is in the table, so none can move unnoticed: every FIELD of the 1.0
    // structs of the current layout table, minus what 1.1, 1.2 and 1.3 added, is a frozen entry.
    std::set<std::string> frozen;
    for (const sb_frozen_entry& e : frozen_against_current) {
        frozen.insert(e.name);
    }
    const std::set<std::string> added_after_1_0 = {
        "offsetof(sb_oauth_desc, identity_account_field)", "sizeof(sb_host_deadline)",
        "offsetof(sb_host_deadline, struct_size)", "offsetof(sb_host_deadline, remaining_ms)",
        "offsetof(sb_host_deadline, is_cancelled)",
        // 1.2
        "offsetof(sb_provider_desc, allowed_base_urls)",
        "offsetof(sb_provider_desc, allowed_base_url_count)",
        "offsetof(sb_provider_desc, access_token)", "sizeof(sb_access_token_desc)",
        "offsetof(sb_access_token_desc, struct_size)", "offsetof(sb_access_token_desc, label)",
        "offsetof(sb_access_token_desc, identity_url)",
        "offsetof(sb_access_token_desc, identity_field)",
        "offsetof(sb_access_token_desc, identity_account_field)",
        // 1.3
        "offsetof(sb_provider_desc, contract_revision)"};
    // Extensions have their own revisions (their ids), not the ABI's minors: their structs
    // are pinned by their own table below.
    const auto in_extension = [](const std::string& name) {
        for (const char* type : {"sb_host_deadline", "sb_oauth_error_meaning",
                                 "sb_rate_limit_header_rule", "sb_oauth_error_code",
                                 "sb_rate_limit_bucket", "sb_provider_policy",
                                 "sb_plugin_provider_policy"}) {
            if (name.find(std::string("(") + type + ")") != std::string::npos ||
                name.find(std::string("(") + type + ",") != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    for (const sb_layout_entry& e : layout_from_cxx) {
        if (added_after_1_0.count(e.name) == 0 && !in_extension(e.name)) {
            EXPECT_EQ(frozen.count(e.name), 1u) << e.name << " is missing from the frozen table";
        }
    }
}

// "switchboard.provider-policy/1" is released: its layout never changes (a change is /2, a new
// id and header). Within /1 fields may only be appended, so every offset below stays.
TEST(ExtensionLayout, ProviderPolicy1IsPinned) {
#if UINTPTR_MAX != 0xFFFFFFFFFFFFFFFFu
    GTEST_SKIP() << "the pinned table is for LP64 platforms";
#endif
    const std::pair<const char*, std::size_t> pinned[] = {
        {"sizeof(sb_oauth_error_meaning)", 4},
        {"offsetof(sb_rate_limit_header_rule, struct_size)", 0},
        {"offsetof(sb_rate_limit_header_rule, remaining_header)", 8},
        {"offsetof(sb_rate_limit_header_rule, wait_header)", 16},
        {"offsetof(sb_rate_limit_header_rule, wait_header_unit_ms)", 24},
        {"offsetof(sb_rate_limit_header_rule, default_wait_ms)", 28},
        {"offsetof(sb_rate_limit_header_rule, give_up)", 32},
        {"offsetof(sb_oauth_error_code, code)", 8},
        {"offsetof(sb_oauth_error_code, meaning)", 16},
        {"offsetof(sb_rate_limit_bucket, capacity)", 8},
        {"offsetof(sb_rate_limit_bucket, refill_per_second)", 16},
        {"offsetof(sb_provider_policy, provider_id)", 8},
        {"offsetof(sb_provider_policy, credential_prefix)", 16},
        {"offsetof(sb_provider_policy, rate_limit_headers)", 24},
        {"offsetof(sb_provider_policy, rate_limit_header_count)", 32},
        {"offsetof(sb_provider_policy, oauth_error_member)", 40},
        {"offsetof(sb_provider_policy, oauth_error_description_member)", 48},
        {"offsetof(sb_provider_policy, oauth_error_codes)", 56},
        {"offsetof(sb_provider_policy, oauth_error_code_count)", 64},
        {"offsetof(sb_provider_policy, provider_rate_limit)", 72},
        {"offsetof(sb_provider_policy, tenant_rate_limit)", 80},
        {"offsetof(sb_provider_policy, credential_headers)", 88},
        {"offsetof(sb_provider_policy, credential_header_count)", 96},
        {"offsetof(sb_plugin_provider_policy, policies)", 8},
        {"offsetof(sb_plugin_provider_policy, policy_count)", 16},
    };
    for (const auto& [name, offset] : pinned) {
        const auto it = std::find_if(std::begin(layout_from_cxx), std::end(layout_from_cxx),
                                     [&](const sb_layout_entry& e) {
                                         return std::string(e.name) == name;
                                     });
        ASSERT_NE(it, std::end(layout_from_cxx)) << name << " is missing from the layout table";
        EXPECT_EQ(it->value, offset) << name;
    }
    EXPECT_STREQ(SB_EXT_PROVIDER_POLICY, "switchboard.provider-policy/1");
    EXPECT_EQ(SB_OAUTH_ERROR_INVALID_GRANT, 1);
    EXPECT_EQ(SB_OAUTH_ERROR_INVALID_CLIENT, 2);
    EXPECT_EQ(SB_POLICY_MAX_WAIT_MS, 3600000u);
}

TEST(AbiLayout, FixedWidthTypesHaveTheirWidth) {
    EXPECT_EQ(sizeof(sb_status), 4u);
    EXPECT_EQ(sizeof(sb_log_level), 4u);
    EXPECT_EQ(sizeof(sb_client_auth), 4u);
    EXPECT_EQ(sizeof(sb_revoke_style), 4u);
    EXPECT_EQ(offsetof(sb_pair, struct_size), 0u);
    EXPECT_EQ(offsetof(sb_host, struct_size), 0u);
    EXPECT_EQ(offsetof(sb_plugin, struct_size), 0u);
}

TEST(AbiLayout, HasFieldHonoursStructSize) {
    sb_host host{};
    host.struct_size = static_cast<uint32_t>(offsetof(sb_host, http));
    EXPECT_TRUE(SB_HAS_FIELD(sb_host, &host, now_unix_ms));
    EXPECT_FALSE(SB_HAS_FIELD(sb_host, &host, http));
    host.struct_size = static_cast<uint32_t>(sizeof(sb_host));
    EXPECT_TRUE(SB_HAS_FIELD(sb_host, &host, get_extension));
}

TEST(CPlugin, RunsThroughTheFakeHost) {
    FakeHost host;
    host.expect("GET", "/events", CannedResponse::json(200, "[]"));
    PluginUnderTest plugin(&sb_test_c_plugin_entry, host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    EXPECT_TRUE(host.logged("c plugin ready"));
    const auto providers = plugin.providers();
    ASSERT_EQ(providers.size(), 1u);
    EXPECT_EQ(providers[0].id, "c_calendar");
    EXPECT_TRUE(providers[0].oauth.revoke_url.empty());
    EXPECT_EQ(providers[0].oauth.client_auth, SB_CLIENT_AUTH_BASIC);

    auto connector = plugin.connect("c_calendar");
    ASSERT_EQ(connector.status(), SB_STATUS_OK);
    const Invocation listed = connector.invoke("list_events", "{}");
    EXPECT_EQ(listed.status, SB_STATUS_OK);
    EXPECT_EQ(listed.result, R"({"events":[]})");
    const Invocation other = connector.invoke("create_event", "{}");
    EXPECT_EQ(other.status, SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(other.error_code(), "unsupported_action");

    EXPECT_EQ(plugin.connect("other").status(), SB_STATUS_INVALID_INPUT);
    EXPECT_TRUE(plugin.problems().empty());
}

} // namespace
