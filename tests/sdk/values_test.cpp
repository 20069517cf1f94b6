// The helper's value types: the JSON string writer, Outcome and its error objects, the HTTP
// failure mapping, URL encoding, and provider descriptors in their C form.
#include "switchboard/plugin.hpp"
#include "switchboard/testing/fake_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <random>
#include <string>

namespace {

namespace sdk = switchboard::sdk;
using nlohmann::json;

// --- json_string -------------------------------------------------------------------------

TEST(JsonString, QuotesAndEscapes) {
    EXPECT_EQ(sdk::json_string("plain"), R"("plain")");
    EXPECT_EQ(sdk::json_string("q\"b\\/"), R"("q\"b\\/")");
    EXPECT_EQ(sdk::json_string("\b\f\n\r\t"), R"("\b\f\n\r\t")");
    EXPECT_EQ(sdk::json_string(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
    EXPECT_EQ(sdk::json_string(std::string("a\0b", 3)), R"("a\u0000b")");
}

TEST(JsonString, KeepsValidUtf8) {
    const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
    EXPECT_EQ(sdk::json_string(text), "\"" + text + "\"");
    EXPECT_EQ(json::parse(sdk::json_string(text)).get<std::string>(), text);
}

TEST(JsonString, ReplacesIllFormedUtf8) {
    // A stray continuation byte, an overlong '/', a UTF-16 surrogate, a truncated sequence,
    // and a code point above U+10FFFF: none is UTF-8.
    for (const std::string bad : {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xF4\x90\x80\x80",
                                  "\xFF"}) {
        const std::string out = sdk::json_string("a" + bad + "b");
        EXPECT_THAT(out, ::testing::HasSubstr("\\ufffd")) << out;
        const std::string decoded = json::parse(out).get<std::string>();
        EXPECT_EQ(decoded.front(), 'a');
        EXPECT_EQ(decoded.back(), 'b');
    }
}

TEST(JsonString, AnyBytesGiveValidJson) {
    std::mt19937 random(20240601);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 40);
    for (int i = 0; i < 2000; ++i) {
        std::string text;
        for (int n = length(random); n > 0; --n) text.push_back(static_cast<char>(byte(random)));
        const std::string out = sdk::json_string(text);
        EXPECT_TRUE(json::accept(out)) << out;
    }
}

TEST(JsonString, CutsOnCodePoints) {
    std::string out;
    sdk::append_json_string(out, "a\xC3\xA9\xF0\x9F\x98\x80z", 3);
    EXPECT_EQ(out, "\"a\xC3\xA9\xF0\x9F\x98\x80\"");
}

// --- Outcome -----------------------------------------------------------------------------

TEST(Outcome, SuccessCarriesTheResult) {
    const auto outcome = sdk::Outcome::success(R"({"id":"1"})");
    EXPECT_TRUE(outcome.succeeded());
    EXPECT_EQ(outcome.status(), SB_STATUS_OK);
    EXPECT_EQ(outcome.json(), R"({"id":"1"})");
}

TEST(Outcome, ErrorIsAContractErrorObject) {
    const auto outcome = sdk::Outcome::error(
        SB_STATUS_INVALID_INPUT, "invalid_time_range", "time_max is before \"time_min\"",
        {.field = "/time_max", .details_json = R"({"hint":1})"});
    EXPECT_EQ(outcome.status(), SB_STATUS_INVALID_INPUT);
    const json error = json::parse(outcome.json());
    EXPECT_EQ(error, json::parse(R"({"code":"invalid_time_range",
        "message":"time_max is before \"time_min\"","field":"/time_max","details":{"hint":1}})"));
}

TEST(Outcome, NamedErrors) {
    EXPECT_EQ(sdk::Outcome::not_found("x").status(), SB_STATUS_NOT_FOUND);
    EXPECT_EQ(sdk::Outcome::internal("x").status(), SB_STATUS_INTERNAL);
    const auto field = json::parse(sdk::Outcome::invalid_input("bad", "x", "/a").json());
    EXPECT_EQ(field.at("field"), "/a");

    const auto unsupported = sdk::Outcome::unsupported_action("get_availability");
    EXPECT_EQ(unsupported.status(), SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(json::parse(unsupported.json()).at("code"), "unsupported_action");
    const auto missing = sdk::Outcome::not_implemented("send_email");
    EXPECT_EQ(missing.status(), SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(json::parse(missing.json()).at("code"), "not_implemented");
    EXPECT_THAT(json::parse(missing.json()).at("message").get<std::string>(),
                ::testing::HasSubstr("send_email"));
}

TEST(Outcome, InvalidErrorsBecomeInternal) {
    for (const auto& outcome : {sdk::Outcome::error(SB_STATUS_NOT_FOUND, "Not-Found", "x"),
                                sdk::Outcome::error(SB_STATUS_NOT_FOUND, "", "x"),
                                sdk::Outcome::error(SB_STATUS_NOT_FOUND, std::string(65, 'a'), "x"),
                                sdk::Outcome::error(SB_STATUS_OK, "fine", "x")}) {
        EXPECT_EQ(outcome.status(), SB_STATUS_INTERNAL);
        EXPECT_EQ(json::parse(outcome.json()).at("code"), "internal");
    }
    EXPECT_TRUE(sdk::is_valid_error_code(std::string(64, 'a')));
    EXPECT_TRUE(sdk::is_valid_error_code("a1_b"));
    EXPECT_FALSE(sdk::is_valid_error_code("1a"));
}

TEST(Outcome, LongMessagesAreCutToTheContractLimit) {
    std::string message;
    for (int i = 0; i < 3000; ++i) message += "\xC3\xA9"; // é, two bytes, one code point
    const json error = json::parse(sdk::Outcome::internal(message).json());
    const std::string kept = error.at("message");
    EXPECT_EQ(kept.size(), 2 * sdk::max_error_message_length);
}

// --- error_from_response ------------------------------------------------------------------

sdk::HttpResponse answered(int status) {
    sdk::HttpResponse r;
    r.status = status;
    r.body = R"({"error":"token ya29.secret is bad"})";
    return r;
}

TEST(ErrorFromResponse, MapsHttpStatuses) {
    struct Case {
        int http;
        sb_status status;
        const char* code;
    };
    for (const Case c : {Case{401, SB_STATUS_AUTH, "unauthorized"},
                         Case{403, SB_STATUS_AUTH, "forbidden"},
                         Case{404, SB_STATUS_NOT_FOUND, "not_found"},
                         Case{410, SB_STATUS_NOT_FOUND, "not_found"},
                         Case{429, SB_STATUS_RATE_LIMITED, "rate_limited"},
                         Case{400, SB_STATUS_INVALID_INPUT, "provider_rejected_request"},
                         Case{409, SB_STATUS_INVALID_INPUT, "provider_rejected_request"},
                         Case{422, SB_STATUS_INVALID_INPUT, "provider_rejected_request"},
                         Case{500, SB_STATUS_UNAVAILABLE, "provider_unavailable"},
                         Case{503, SB_STATUS_UNAVAILABLE, "provider_unavailable"},
                         Case{302, SB_STATUS_UNAVAILABLE, "unexpected_provider_status"},
                         Case{204, SB_STATUS_INTERNAL, "internal"}}) {
        const auto outcome = sdk::error_from_response(answered(c.http));
        EXPECT_EQ(outcome.status(), c.status) << c.http;
        const json error = json::parse(outcome.json());
        EXPECT_EQ(error.at("code"), c.code) << c.http;
        // The provider's body may echo secrets or user data: it never reaches the message.
        EXPECT_THAT(outcome.json(), ::testing::Not(::testing::HasSubstr("secret")));
    }
}

TEST(ErrorFromResponse, MapsHostFailures) {
    sdk::HttpResponse r;
    r.host_status = SB_STATUS_AUTH;
    EXPECT_EQ(sdk::error_from_response(r).status(), SB_STATUS_AUTH);
    EXPECT_EQ(json::parse(sdk::error_from_response(r).json()).at("code"), "credentials_unavailable");
    r.host_status = SB_STATUS_UNAVAILABLE;
    EXPECT_EQ(sdk::error_from_response(r).status(), SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(json::parse(sdk::error_from_response(r).json()).at("code"), "provider_unreachable");
    r.host_status = SB_STATUS_INVALID_INPUT; // the plugin's request was malformed: its bug
    EXPECT_EQ(sdk::error_from_response(r).status(), SB_STATUS_INTERNAL);
}

TEST(ErrorFromResponse, PassesOnRetryAfterSeconds) {
    auto r = answered(429);
    r.headers = {{"retry-after", "17"}};
    EXPECT_EQ(json::parse(sdk::error_from_response(r).json()).at("details"),
              json::parse(R"({"retry_after_seconds":17})"));
    r.headers = {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}};
    EXPECT_FALSE(json::parse(sdk::error_from_response(r).json()).contains("details"));
}

TEST(HttpResponse, FindsHeadersCaseInsensitively) {
    sdk::HttpResponse r;
    r.headers = {{"content-type", "application/json"}, {"X-Thing", "1"}};
    ASSERT_NE(r.header("Content-Type"), nullptr);
    EXPECT_EQ(*r.header("Content-Type"), "application/json");
    ASSERT_NE(r.header("x-thing"), nullptr);
    EXPECT_EQ(r.header("x-thin"), nullptr);
    r.status = 200;
    EXPECT_TRUE(r.ok());
    r.host_status = SB_STATUS_UNAVAILABLE;
    EXPECT_FALSE(r.ok());
}

// --- url -----------------------------------------------------------------------------------

TEST(Url, PercentEncodesAllButUnreserved) {
    EXPECT_EQ(sdk::percent_encode("a b/c?d=e&f+g@h~i-j.k_l"),
              "a%20b%2Fc%3Fd%3De%26f%2Bg%40h~i-j.k_l");
    EXPECT_EQ(sdk::percent_encode("\xC3\xA9%"), "%C3%A9%25");
    EXPECT_EQ(sdk::percent_encode(""), "");
}

TEST(Url, BuildsQueries) {
    EXPECT_EQ(sdk::Query().str(), "");
    EXPECT_EQ(sdk::Query().add("maxResults", "50").add("q", "team sync&more").str(),
              "?maxResults=50&q=team%20sync%26more");
}

// --- categories.hpp --------------------------------------------------------------------------

TEST(Categories, ListActionsPerCategory) {
    EXPECT_EQ(sdk::all_categories().size(), 4u);
    EXPECT_EQ(sdk::category_actions(SB_CATEGORY_CALENDAR).size(), 5u);
    EXPECT_EQ(sdk::category_actions(SB_CATEGORY_CRM).front(), SB_ACTION_CRM_CREATE_CONTACT);
    EXPECT_TRUE(sdk::category_actions("music").empty());
    EXPECT_EQ(sdk::category_action_names(SB_CATEGORY_EMAIL),
              (std::vector<std::string>{"send_email", "get_email", "list_emails"}));
}

// --- descriptors ---------------------------------------------------------------------------

sdk::ProviderSpec full_spec() {
    sdk::ProviderSpec spec;
    spec.id = "acme_crm";
    spec.category = SB_CATEGORY_CRM;
    spec.display_name = "Acme CRM";
    spec.description = "Acme's CRM.";
    spec.oauth.authorize_url = "https://acme.example/authorize";
    spec.oauth.token_url = "https://acme.example/token";
    spec.oauth.revoke_url = "https://acme.example/revoke/{token}";
    spec.oauth.revoke_style = SB_REVOKE_DELETE_PATH;
    spec.oauth.default_scopes = {"contacts", "deals"};
    spec.oauth.extra_authorize_params = {{"access_type", "offline"}, {"prompt", "consent"}};
    spec.oauth.pkce = false;
    spec.oauth.client_auth = SB_CLIENT_AUTH_BASIC;
    spec.oauth.identity_url = "https://acme.example/me/{access_token}";
    spec.oauth.identity_field = "/user/email";
    spec.oauth.identity_scopes = {"profile"};
    spec.api_base_url = "https://api.acme.example";
    spec.actions = {SB_ACTION_CRM_CREATE_CONTACT, SB_ACTION_CRM_GET_CONTACT};
    return spec;
}

std::vector<std::string> testing_problems_of(const sdk::ProviderSpec& spec) {
    const sdk::ProviderDescriptor descriptor(spec);
    return sdk::testing::descriptor_problems(descriptor.c_desc());
}

TEST(ProviderDescriptor, ExposesTheCStructs) {
    const sdk::ProviderDescriptor descriptor(full_spec());
    const sb_provider_desc* d = descriptor.c_desc();
    EXPECT_EQ(d->struct_size, sizeof(sb_provider_desc));
    EXPECT_STREQ(d->id, "acme_crm");
    EXPECT_STREQ(d->category, "crm");
    EXPECT_STREQ(d->api_base_url, "https://api.acme.example");
    ASSERT_EQ(d->action_count, 2u);
    EXPECT_STREQ(d->actions[1], "get_contact");
    const sb_oauth_desc* o = d->oauth;
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->struct_size, sizeof(sb_oauth_desc));
    EXPECT_EQ(o->revoke_style, SB_REVOKE_DELETE_PATH);
    EXPECT_EQ(o->pkce, 0);
    EXPECT_EQ(o->client_auth, SB_CLIENT_AUTH_BASIC);
    ASSERT_EQ(o->default_scope_count, 2u);
    EXPECT_STREQ(o->default_scopes[0], "contacts");
    ASSERT_EQ(o->extra_authorize_param_count, 2u);
    EXPECT_EQ(o->extra_authorize_params[1]->struct_size, sizeof(sb_pair));
    EXPECT_STREQ(o->extra_authorize_params[1]->name, "prompt");
    EXPECT_STREQ(o->extra_authorize_params[1]->value, "consent");
    EXPECT_STREQ(o->identity_field, "/user/email");
    ASSERT_EQ(o->identity_scope_count, 1u);
    EXPECT_STREQ(o->identity_scopes[0], "profile");
    EXPECT_TRUE(descriptor.has_action("create_contact"));
    EXPECT_FALSE(descriptor.has_action("create_deal"));
    EXPECT_EQ(sdk::read_provider_desc(d), full_spec());
}

TEST(ProviderDescriptor, EmptyOptionalsAreNull) {
    sdk::ProviderSpec spec = full_spec();
    spec.oauth = {};
    spec.oauth.authorize_url = "https://acme.example/authorize";
    spec.actions.clear();
    const sdk::ProviderDescriptor descriptor(spec);
    const sb_oauth_desc* o = descriptor.c_desc()->oauth;
    EXPECT_EQ(o->revoke_url, nullptr);
    EXPECT_EQ(o->identity_url, nullptr);
    EXPECT_EQ(o->identity_field, nullptr);
    EXPECT_EQ(o->default_scopes, nullptr);
    EXPECT_EQ(o->extra_authorize_params, nullptr);
    EXPECT_EQ(o->identity_scopes, nullptr);
    EXPECT_EQ(descriptor.c_desc()->actions, nullptr);
    EXPECT_NE(o->token_url, nullptr); // required strings stay non-NULL even when empty
    EXPECT_EQ(sdk::read_provider_desc(descriptor.c_desc()), spec);
}

TEST(ProviderDescriptor, ReaderHonoursStructSize) {
    const sdk::ProviderDescriptor descriptor(full_spec());
    sb_provider_desc older = *descriptor.c_desc();
    older.struct_size = static_cast<uint32_t>(offsetof(sb_provider_desc, api_base_url));
    const sdk::ProviderSpec read = sdk::read_provider_desc(&older);
    EXPECT_EQ(read.id, "acme_crm");
    EXPECT_EQ(read.oauth, full_spec().oauth);
    EXPECT_TRUE(read.api_base_url.empty());
    EXPECT_TRUE(read.actions.empty());
    EXPECT_EQ(sdk::read_provider_desc(nullptr), sdk::ProviderSpec{});
}

TEST(ProviderDescriptor, CarriesTheContractRevision) {
    EXPECT_EQ(sdk::ProviderSpec{}.contract_revision, 1u) << "the default: revision 1";
    EXPECT_EQ(sdk::contract_revision(SB_CATEGORY_CALENDAR), SB_CONTRACT_REVISION_CALENDAR);
    EXPECT_EQ(sdk::contract_revision("music"), 0u);
    sdk::ProviderSpec spec = full_spec();
    spec.contract_revision = 3;
    const sdk::ProviderDescriptor descriptor(spec);
    EXPECT_EQ(descriptor.c_desc()->contract_revision, 3u);
    EXPECT_EQ(sdk::read_provider_desc(descriptor.c_desc()).contract_revision, 3u);

    // 0, and a struct from before ABI 1.3, read as revision 1.
    sb_provider_desc zero = *descriptor.c_desc();
    zero.contract_revision = 0;
    EXPECT_EQ(sdk::read_provider_desc(&zero).contract_revision, 1u);
    sb_provider_desc older = *descriptor.c_desc();
    older.struct_size = static_cast<uint32_t>(offsetof(sb_provider_desc, contract_revision));
    EXPECT_EQ(sdk::read_provider_desc(&older).contract_revision, 1u);

    // The fake host's checks know the SDK's revisions: a newer one is a mistake.
    EXPECT_TRUE(testing_problems_of(full_spec()).empty());
    const auto problems = testing_problems_of(spec);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "provider 'acme_crm': contract_revision 3 is newer than this SDK's crm/1");
}

TEST(ProviderDescriptor, CarriesTheAccessTokenOfABI1_2) {
    sdk::ProviderSpec spec = full_spec();
    spec.access_token = {"API key", "https://api.acme.example/me", "/account/name",
                         "/account/id"};
    const sdk::ProviderDescriptor descriptor(spec);
    const sb_access_token_desc* t = descriptor.c_desc()->access_token;
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->struct_size, sizeof(sb_access_token_desc));
    EXPECT_STREQ(t->label, "API key");
    EXPECT_STREQ(t->identity_url, "https://api.acme.example/me");
    EXPECT_STREQ(t->identity_field, "/account/name");
    EXPECT_STREQ(t->identity_account_field, "/account/id");
    EXPECT_EQ(sdk::read_provider_desc(descriptor.c_desc()), spec);
    spec.access_token.identity_account_field.clear();
    const sdk::ProviderDescriptor without_account(spec);
    EXPECT_EQ(without_account.c_desc()->access_token->identity_account_field, nullptr);
    EXPECT_EQ(sdk::read_provider_desc(without_account.c_desc()), spec);

    // No label: OAuth only, NULL in the C struct.
    EXPECT_EQ(sdk::ProviderDescriptor(full_spec()).c_desc()->access_token, nullptr);
    // A 1.1 struct ends before the field: read as OAuth only, the pointer never followed.
    sb_provider_desc older = *descriptor.c_desc();
    older.struct_size = static_cast<uint32_t>(offsetof(sb_provider_desc, access_token));
    older.access_token = reinterpret_cast<const sb_access_token_desc*>(1);
    EXPECT_TRUE(sdk::read_provider_desc(&older).access_token.label.empty());
}

} // namespace
