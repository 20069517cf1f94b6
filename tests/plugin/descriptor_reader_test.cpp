// Reading sb_provider_desc into owned values: every required field, struct sizes, and fields
// past struct_size that must read as absent.
#include "core/plugin/abi_layout.hpp"
#include "core/plugin/descriptor_reader.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace switchboard {
namespace {

// A valid descriptor the tests break one field at a time.
struct Fixture {
    const char* scopes[2] = {"openid", "email"};
    sb_pair offline{sizeof(sb_pair), "access_type", "offline"};
    const sb_pair* extra[1] = {&offline};
    const char* identity_scopes[1] = {"email"};
    const char* actions[2] = {"create_event", "list_events"};
    sb_oauth_desc oauth{sizeof(sb_oauth_desc),
                        "https://accounts.example.test/o/oauth2/auth",
                        "https://oauth2.example.test/token",
                        "https://oauth2.example.test/revoke",
                        SB_REVOKE_POST_FORM,
                        scopes,
                        2,
                        extra,
                        1,
                        1,
                        SB_CLIENT_AUTH_POST,
                        "https://www.example.test/oauth2/v3/userinfo",
                        "/email",
                        identity_scopes,
                        1,
                        nullptr};
    sb_provider_desc desc{sizeof(sb_provider_desc),
                          "google_calendar",
                          SB_CATEGORY_CALENDAR,
                          "Google Calendar",
                          "Events and availability.",
                          &oauth,
                          "https://www.example.test/calendar/v3",
                          actions,
                          2,
                          nullptr,
                          0,
                          nullptr,
                          1};

    Result<plugin::ProviderDescriptor> read() const {
        return plugin::read_provider_descriptor(&desc, 0, plugin::ContractCatalog::embedded());
    }
    std::string problem() const {
        auto r = read();
        EXPECT_FALSE(r);
        if (r) {
            return {};
        }
        EXPECT_EQ(r.error().code, "invalid_descriptor");
        return r.error().message;
    }
};

TEST(DescriptorReader, CopiesEveryField) {
    Fixture f;
    auto d = f.read();
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->id, "google_calendar");
    EXPECT_EQ(d->category, "calendar");
    EXPECT_EQ(d->display_name, "Google Calendar");
    EXPECT_EQ(d->description, "Events and availability.");
    EXPECT_EQ(d->api_base_url, "https://www.example.test/calendar/v3");
    EXPECT_EQ(d->actions, (std::vector<std::string>{"create_event", "list_events"}));
    EXPECT_EQ(d->oauth.authorize_url, "https://accounts.example.test/o/oauth2/auth");
    EXPECT_EQ(d->oauth.token_url, "https://oauth2.example.test/token");
    EXPECT_EQ(d->oauth.revoke_url, "https://oauth2.example.test/revoke");
    EXPECT_EQ(d->oauth.revoke_style, plugin::RevokeStyle::post_form);
    EXPECT_EQ(d->oauth.default_scopes, (std::vector<std::string>{"openid", "email"}));
    ASSERT_EQ(d->oauth.extra_authorize_params.size(), 1u);
    EXPECT_EQ(d->oauth.extra_authorize_params[0].first, "access_type");
    EXPECT_EQ(d->oauth.extra_authorize_params[0].second, "offline");
    EXPECT_TRUE(d->oauth.pkce);
    EXPECT_EQ(d->oauth.client_auth, plugin::ClientAuth::post);
    EXPECT_EQ(d->oauth.identity_url, "https://www.example.test/oauth2/v3/userinfo");
    EXPECT_EQ(d->oauth.identity_field, "/email");
    EXPECT_EQ(d->oauth.identity_scopes, (std::vector<std::string>{"email"}));
    // Nothing points into the plugin's memory.
    EXPECT_NE(d->id.data(), f.desc.id);
}

TEST(DescriptorReader, IgnoresOptionalFieldsPastStructSize) {
    Fixture f;
    f.oauth.struct_size = static_cast<uint32_t>(offsetof(sb_oauth_desc, identity_url));
    f.oauth.identity_url = "https://poison.invalid/";
    f.oauth.identity_field = "/poison";
    f.oauth.identity_scope_count = 999; // would read far past the array if honoured
    auto d = f.read();
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_TRUE(d->oauth.identity_url.empty());
    EXPECT_TRUE(d->oauth.identity_field.empty());
    EXPECT_TRUE(d->oauth.identity_scopes.empty());
}

TEST(DescriptorReader, ReadsTheAccountFieldOfABI1_1) {
    Fixture f;
    f.oauth.identity_account_field = "/hub_id";
    auto d = f.read();
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->oauth.identity_account_field, "/hub_id");

    // A 1.0 plugin's sb_oauth_desc ends before it: whatever lies there is not read.
    Fixture old;
    old.oauth.struct_size = static_cast<uint32_t>(offsetof(sb_oauth_desc, identity_account_field));
    old.oauth.identity_account_field = reinterpret_cast<const char*>(1); // would crash if read
    auto d10 = old.read();
    ASSERT_TRUE(d10) << d10.error().message;
    EXPECT_TRUE(d10->oauth.identity_account_field.empty());

    Fixture not_pointer;
    not_pointer.oauth.identity_account_field = "hub_id";
    EXPECT_NE(not_pointer.problem().find("oauth.identity_account_field must be a JSON Pointer"),
              std::string::npos);
    Fixture without_identity;
    without_identity.oauth.identity_url = nullptr;
    without_identity.oauth.identity_field = nullptr;
    without_identity.oauth.identity_account_field = "/hub_id";
    EXPECT_NE(without_identity.problem().find(
                  "oauth.identity_account_field needs oauth.identity_url"),
              std::string::npos);
}

TEST(DescriptorReader, ReadsTheContractRevisionOfABI1_3) {
    Fixture f;
    auto d = f.read();
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->contract_revision, 1u);

    Fixture unset;
    unset.desc.contract_revision = 0; // 0 means revision 1
    auto d0 = unset.read();
    ASSERT_TRUE(d0) << d0.error().message;
    EXPECT_EQ(d0->contract_revision, 1u);

    // A plugin built before 1.3: its sb_provider_desc ends before the field, and whatever
    // lies there is not read.
    Fixture old;
    old.desc.struct_size = static_cast<uint32_t>(offsetof(sb_provider_desc, contract_revision));
    old.desc.contract_revision = 7;
    auto d12 = old.read();
    ASSERT_TRUE(d12) << d12.error().message;
    EXPECT_EQ(d12->contract_revision, 1u);

    Fixture future;
    future.desc.contract_revision = 7;
    auto refused = future.read();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "unsupported_contract_revision");
    EXPECT_EQ(refused.error().message,
              "provider 'google_calendar': implements contract calendar/7, which this host "
              "does not honour (it honours calendar/1)");
}

TEST(DescriptorReader, ReadsTheProxyBasesOfABI1_2) {
    Fixture f;
    const char* bases[2] = {"https://www.example.test/calendar/v3",
                            "https://upload.example.test/calendar"};
    f.desc.allowed_base_urls = bases;
    f.desc.allowed_base_url_count = 2;
    auto d = f.read();
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->allowed_base_urls,
              (std::vector<std::string>{bases[0], bases[1]}));

    // None named: the API base alone. A 1.1 plugin's struct ends before them: not read.
    Fixture none;
    auto plain = none.read();
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->allowed_base_urls, (std::vector<std::string>{plain->api_base_url}));
    Fixture old;
    old.desc.struct_size = static_cast<uint32_t>(offsetof(sb_provider_desc, allowed_base_urls));
    old.desc.allowed_base_urls = reinterpret_cast<const char* const*>(1); // would crash if read
    old.desc.allowed_base_url_count = 5;
    auto d11 = old.read();
    ASSERT_TRUE(d11) << d11.error().message;
    EXPECT_EQ(d11->allowed_base_urls, (std::vector<std::string>{d11->api_base_url}));
}

TEST(DescriptorReader, RefusesBadProxyBases) {
    const auto with_base = [](const char* base) {
        Fixture f;
        const char* bases[1] = {base};
        f.desc.allowed_base_urls = bases;
        f.desc.allowed_base_url_count = 1;
        return f.problem();
    };
    EXPECT_NE(with_base("http://www.example.test/x").find("allowed_base_urls[0] must be an "
                                                          "absolute https URL"),
              std::string::npos);
    EXPECT_NE(with_base("https://www.example.test/x/").find("no trailing slash"),
              std::string::npos);
    EXPECT_NE(with_base("https://www.example.test/x?key=1").find("no trailing slash, query"),
              std::string::npos);
    Fixture null_list;
    null_list.desc.allowed_base_url_count = 1;
    EXPECT_NE(null_list.problem().find("allowed_base_urls is NULL"), std::string::npos);

}

TEST(DescriptorReader, ReadsTheAccessTokenOfABI1_2) {
    Fixture f;
    sb_access_token_desc token{sizeof(sb_access_token_desc), "Private app access token",
                               "https://api.example.test/account-info/v3/details", "/portalId",
                               "/portalId"};
    f.desc.access_token = &token;
    auto d = f.read();
    ASSERT_TRUE(d) << d.error().message;
    ASSERT_TRUE(d->access_token);
    EXPECT_EQ(d->access_token->label, "Private app access token");
    EXPECT_EQ(d->access_token->identity_url, "https://api.example.test/account-info/v3/details");
    EXPECT_EQ(d->access_token->identity_field, "/portalId");
    EXPECT_EQ(d->access_token->identity_account_field, "/portalId");

    // No account field: the identity alone names the account.
    token.identity_account_field = nullptr;
    auto without_account = f.read();
    ASSERT_TRUE(without_account) << without_account.error().message;
    EXPECT_EQ(without_account->access_token->identity_account_field, "");

    // None given: OAuth only. A 1.1 plugin's struct ends before the field: never read.
    Fixture none;
    auto plain = none.read();
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->access_token);
    Fixture old;
    old.desc.struct_size = static_cast<uint32_t>(offsetof(sb_provider_desc, allowed_base_urls));
    old.desc.access_token = reinterpret_cast<const sb_access_token_desc*>(1); // would crash
    auto d11 = old.read();
    ASSERT_TRUE(d11) << d11.error().message;
    EXPECT_FALSE(d11->access_token);
    // A 1.2 struct cut off right before access_token reads as OAuth only too.
    old.desc.struct_size = static_cast<uint32_t>(offsetof(sb_provider_desc, access_token));
    auto before = old.read();
    ASSERT_TRUE(before) << before.error().message;
    EXPECT_FALSE(before->access_token);
}

TEST(DescriptorReader, RefusesBadAccessTokens) {
    const auto with_token = [](sb_access_token_desc token) {
        Fixture f;
        f.desc.access_token = &token;
        return f.problem();
    };
    const sb_access_token_desc good{sizeof(sb_access_token_desc), "Key",
                                    "https://api.example.test/me", "/id", nullptr};
    auto no_label = good;
    no_label.label = nullptr;
    EXPECT_NE(with_token(no_label).find("access_token.label is missing"), std::string::npos);
    auto empty_label = good;
    empty_label.label = "";
    EXPECT_NE(with_token(empty_label).find("access_token.label is empty"), std::string::npos);
    auto plain_http = good;
    plain_http.identity_url = "http://api.example.test/me";
    EXPECT_NE(with_token(plain_http).find("access_token.identity_url must be an absolute https"),
              std::string::npos);
    auto no_url = good;
    no_url.identity_url = nullptr;
    EXPECT_NE(with_token(no_url).find("access_token.identity_url is missing"), std::string::npos);
    auto not_pointer = good;
    not_pointer.identity_field = "id";
    EXPECT_NE(with_token(not_pointer).find("access_token.identity_field must be a JSON Pointer"),
              std::string::npos);
    auto no_field = good;
    no_field.identity_field = nullptr;
    EXPECT_NE(with_token(no_field).find("access_token.identity_field is missing"),
              std::string::npos);
    auto bad_account = good;
    bad_account.identity_account_field = "portalId";
    EXPECT_NE(with_token(bad_account)
                  .find("access_token.identity_account_field must be a JSON Pointer"),
              std::string::npos);
    auto truncated = good;
    truncated.struct_size = static_cast<uint32_t>(offsetof(sb_access_token_desc, identity_field));
    EXPECT_NE(with_token(truncated).find("access_token is truncated"), std::string::npos);
    // The message names the provider.
    EXPECT_NE(with_token(no_label).find("provider 'google_calendar'"), std::string::npos);
}

TEST(DescriptorReader, RefusesTruncatedStructs) {
    Fixture f;
    f.desc.struct_size = static_cast<uint32_t>(offsetof(sb_provider_desc, actions));
    EXPECT_NE(f.problem().find("sb_provider_desc is truncated"), std::string::npos);
    Fixture g;
    g.oauth.struct_size = static_cast<uint32_t>(offsetof(sb_oauth_desc, pkce));
    EXPECT_NE(g.problem().find("oauth is truncated"), std::string::npos);
    Fixture h;
    h.offline.struct_size = 4;
    EXPECT_NE(h.problem().find("extra_authorize_params[0] is truncated"), std::string::npos);
}

TEST(DescriptorReader, NamesTheMissingOrBadField) {
    const std::pair<std::function<void(Fixture&)>, const char*> cases[] = {
        {[](Fixture& f) { f.desc.id = nullptr; }, "provider #0: id is missing"},
        {[](Fixture& f) { f.desc.id = "Google-Calendar"; }, "must be 1 to 64 characters"},
        {[](Fixture& f) { f.desc.category = nullptr; }, "provider 'google_calendar': category is missing"},
        {[](Fixture& f) { f.desc.category = "chat"; }, "unknown category 'chat'"},
        {[](Fixture& f) { f.desc.display_name = nullptr; }, "display_name is missing"},
        {[](Fixture& f) { f.desc.display_name = ""; }, "display_name is empty"},
        {[](Fixture& f) { f.desc.description = "\xff\xfe"; }, "description is not valid UTF-8"},
        {[](Fixture& f) { f.desc.oauth = nullptr; }, "oauth is missing"},
        {[](Fixture& f) { f.desc.api_base_url = "http://plain.example.test"; }, "api_base_url must be an absolute https URL"},
        {[](Fixture& f) { f.desc.api_base_url = "https://www.example.test/v3/"; }, "no trailing slash"},
        {[](Fixture& f) { f.desc.action_count = 0; }, "declares no actions"},
        {[](Fixture& f) { f.desc.actions = nullptr; }, "actions is NULL but its count is 2"},
        {[](Fixture& f) { f.actions[1] = "launch_rockets"; }, "action 'launch_rockets' is not in the 'calendar/1' contract"},
        {[](Fixture& f) { f.actions[1] = "create_event"; }, "listed twice"},
        {[](Fixture& f) { f.actions[0] = nullptr; }, "actions[0] is missing"},
        {[](Fixture& f) { f.oauth.authorize_url = "/relative"; }, "oauth.authorize_url must be an absolute https URL"},
        {[](Fixture& f) { f.oauth.token_url = nullptr; }, "oauth.token_url is missing"},
        {[](Fixture& f) { f.oauth.revoke_url = nullptr; }, "oauth.revoke_url is missing"},
        {[](Fixture& f) { f.oauth.revoke_style = 9; }, "oauth.revoke_style has unknown value 9"},
        {[](Fixture& f) { f.oauth.revoke_style = SB_REVOKE_DELETE_PATH; }, "must contain {token}"},
        {[](Fixture& f) { f.oauth.pkce = 2; }, "oauth.pkce must be 0 or 1"},
        {[](Fixture& f) { f.oauth.client_auth = 5; }, "oauth.client_auth has unknown value 5"},
        {[](Fixture& f) { f.oauth.identity_field = nullptr; }, "must be given together"},
        {[](Fixture& f) { f.oauth.identity_field = "email"; }, "JSON Pointer"},
        {[](Fixture& f) { f.scopes[1] = nullptr; }, "oauth.default_scopes[1] is missing"},
        {[](Fixture& f) { f.offline.value = nullptr; }, "extra_authorize_params[0].value is missing"},
        {[](Fixture& f) { f.extra[0] = nullptr; }, "extra_authorize_params[0] is missing"},
    };
    for (const auto& [breakage, expected] : cases) {
        Fixture f;
        breakage(f);
        std::string message = f.problem();
        EXPECT_NE(message.find(expected), std::string::npos)
            << "expected '" << expected << "' in '" << message << "'";
    }
}

TEST(DescriptorReader, AcceptsTheOtherRevokeStylesAndNoIdentity) {
    Fixture f;
    f.oauth.revoke_style = SB_REVOKE_NONE;
    f.oauth.revoke_url = nullptr;
    f.oauth.identity_url = nullptr;
    f.oauth.identity_field = nullptr;
    f.oauth.client_auth = SB_CLIENT_AUTH_BASIC;
    f.oauth.pkce = 0;
    auto d = f.read();
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->oauth.revoke_style, plugin::RevokeStyle::none);
    EXPECT_TRUE(d->oauth.revoke_url.empty());
    EXPECT_EQ(d->oauth.client_auth, plugin::ClientAuth::basic);
    EXPECT_FALSE(d->oauth.pkce);

    Fixture g;
    g.oauth.revoke_style = SB_REVOKE_DELETE_PATH;
    g.oauth.revoke_url = "https://api.example.test/oauth/v1/refresh-tokens/{token}";
    g.oauth.identity_url = "https://api.example.test/oauth/v1/access-tokens/{access_token}";
    g.oauth.identity_field = "/user";
    auto e = g.read();
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->oauth.revoke_style, plugin::RevokeStyle::delete_path);
}

TEST(AbiLayout, CopyStructReadsOnlyTheDeclaredBytes) {
    struct Bigger {
        sb_pair pair;
        const char* beyond;
    } source{{static_cast<uint32_t>(offsetof(sb_pair, value)), "name", "value-past-size"}, "x"};
    auto copy = plugin::copy_struct(&source.pair, offsetof(sb_pair, value));
    ASSERT_TRUE(copy);
    EXPECT_STREQ(copy->name, "name");
    EXPECT_EQ(copy->value, nullptr) << "a field past struct_size reads as NULL";
    EXPECT_FALSE(SB_HAS_FIELD(sb_pair, &*copy, value));
    EXPECT_FALSE(plugin::copy_struct(&source.pair, plugin::kPairMinSize));
    // A struct from a newer minor: only our sizeof is copied.
    source.pair.struct_size = sizeof(Bigger);
    auto newer = plugin::copy_struct(&source.pair, plugin::kPairMinSize);
    ASSERT_TRUE(newer);
    EXPECT_STREQ(newer->value, "value-past-size");
}

TEST(AbiLayout, MinimumSizesFollowTheRequiredFields) {
    EXPECT_EQ(plugin::kPluginMinSize, offsetof(sb_plugin, get_extension));
    // ABI 1.2 appended allowed_base_urls (optional): the minimum is still 1.0's struct.
    EXPECT_EQ(plugin::kProviderDescMinSize, offsetof(sb_provider_desc, allowed_base_urls));
    EXPECT_EQ(plugin::kOAuthDescMinSize, offsetof(sb_oauth_desc, identity_url));
    EXPECT_EQ(plugin::kHttpRequestMinSize, sizeof(sb_http_request));
    // An access-token description needs its label, identity URL and field; the account field
    // is optional.
    EXPECT_EQ(plugin::kAccessTokenDescMinSize,
              offsetof(sb_access_token_desc, identity_account_field));
}

} // namespace
} // namespace switchboard
