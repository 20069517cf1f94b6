// The four shipped provider plugins, loaded from their built libraries through the SDK's
// fake host: each descriptor exactly as specified (issue 3), and every action run by the
// plugin itself (no "not_implemented" left; each plugin's own tests are in tests/plugins/).
#include "switchboard/categories.hpp"
#include "switchboard/testing/fake_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace sdk = switchboard::sdk;
using namespace switchboard::sdk::testing;
using ::testing::IsEmpty;

sdk::OAuthSpec google_oauth(std::vector<std::string> scopes) {
    sdk::OAuthSpec oauth;
    oauth.authorize_url = "https://accounts.google.com/o/oauth2/v2/auth";
    oauth.token_url = "https://oauth2.googleapis.com/token";
    oauth.revoke_url = "https://oauth2.googleapis.com/revoke";
    oauth.revoke_style = SB_REVOKE_POST_FORM;
    oauth.default_scopes = std::move(scopes);
    oauth.extra_authorize_params = {{"access_type", "offline"}, {"prompt", "consent"}};
    oauth.pkce = true;
    oauth.client_auth = SB_CLIENT_AUTH_POST;
    oauth.identity_url = "https://openidconnect.googleapis.com/v1/userinfo";
    oauth.identity_field = "/email";
    oauth.identity_scopes = {"openid", "email"};
    return oauth;
}

struct Shipped {
    const char* library;
    sdk::ProviderSpec expected;
};

std::vector<Shipped> shipped() {
    std::vector<Shipped> out;

    sdk::ProviderSpec calendar;
    calendar.id = "google_calendar";
    calendar.category = "calendar";
    calendar.contract_revision = 1; // calendar/1, declared by the plugin
    calendar.display_name = "Google Calendar";
    calendar.oauth = google_oauth({"https://www.googleapis.com/auth/calendar",
                                   "https://www.googleapis.com/auth/calendar.events"});
    calendar.api_base_url = "https://www.googleapis.com";
    calendar.actions = {"create_event", "update_event", "delete_event", "list_events",
                        "get_availability"};
    calendar.allowed_base_urls = {"https://www.googleapis.com/calendar/v3"};
    out.push_back({SB_PLUGIN_GOOGLE_CALENDAR, calendar});

    sdk::ProviderSpec gmail;
    gmail.id = "gmail";
    gmail.category = "email";
    gmail.contract_revision = 1; // email/1, declared by the plugin
    gmail.display_name = "Gmail";
    gmail.oauth = google_oauth({"https://www.googleapis.com/auth/gmail.send",
                                "https://www.googleapis.com/auth/gmail.readonly"});
    gmail.api_base_url = "https://gmail.googleapis.com";
    gmail.actions = {"send_email", "get_email", "list_emails"};
    gmail.allowed_base_urls = {"https://gmail.googleapis.com/gmail/v1",
                               "https://gmail.googleapis.com/upload/gmail/v1",
                               "https://gmail.googleapis.com/resumable/upload/gmail/v1"};
    out.push_back({SB_PLUGIN_GMAIL, gmail});

    sdk::ProviderSpec drive;
    drive.id = "google_drive";
    drive.category = "drive";
    drive.contract_revision = 1; // drive/1, declared by the plugin
    drive.display_name = "Google Drive";
    drive.oauth = google_oauth({"https://www.googleapis.com/auth/drive.file",
                                "https://www.googleapis.com/auth/drive.readonly"});
    drive.api_base_url = "https://www.googleapis.com";
    drive.actions = {"upload_file", "download_file", "list_files", "create_folder", "delete_file"};
    drive.allowed_base_urls = {"https://www.googleapis.com/drive/v3",
                               "https://www.googleapis.com/upload/drive/v3",
                               "https://www.googleapis.com/resumable/upload/drive/v3"};
    out.push_back({SB_PLUGIN_GOOGLE_DRIVE, drive});

    sdk::ProviderSpec hubspot;
    hubspot.id = "hubspot";
    hubspot.category = "crm";
    hubspot.contract_revision = 1; // crm/1, declared by the plugin
    hubspot.display_name = "HubSpot";
    hubspot.oauth.authorize_url = "https://app.hubspot.com/oauth/authorize";
    hubspot.oauth.token_url = "https://api.hubapi.com/oauth/v1/token";
    hubspot.oauth.revoke_url = "https://api.hubapi.com/oauth/v1/refresh-tokens/{token}";
    hubspot.oauth.revoke_style = SB_REVOKE_DELETE_PATH;
    hubspot.oauth.default_scopes = {"crm.objects.contacts.read", "crm.objects.contacts.write",
                                    "crm.objects.deals.read", "crm.objects.deals.write",
                                    "crm.objects.companies.read", "oauth"};
    hubspot.oauth.pkce = true; // the v1 token endpoint takes code_verifier
    hubspot.oauth.client_auth = SB_CLIENT_AUTH_POST;
    hubspot.oauth.identity_url = "https://api.hubapi.com/oauth/v1/access-tokens/{access_token}";
    hubspot.oauth.identity_field = "/user";
    hubspot.oauth.identity_account_field = "/hub_id"; // a second portal is a second account
    hubspot.api_base_url = "https://api.hubapi.com";
    hubspot.actions = {"create_contact", "update_contact", "get_contact", "list_contacts",
                       "find_contact_by_email", "create_deal"};
    hubspot.allowed_base_urls = {"https://api.hubapi.com"};
    hubspot.access_token = {"Private app access token",
                            "https://api.hubapi.com/account-info/v3/details", "/portalId",
                            "/portalId"};
    out.push_back({SB_PLUGIN_HUBSPOT, hubspot});
    return out;
}

// Test names and failure messages show the provider id, not the struct's bytes.
void PrintTo(const Shipped& shipped, std::ostream* out) { *out << shipped.expected.id; }

class ShippedPlugin : public ::testing::TestWithParam<Shipped> {};

TEST_P(ShippedPlugin, LoadsWithTheSpecifiedDescriptor) {
    const Shipped& p = GetParam();
    FakeHost host;
    PluginUnderTest plugin(std::filesystem::path(p.library), host);
    ASSERT_NE(plugin.table(), nullptr) << ::testing::PrintToString(plugin.problems());
    EXPECT_EQ(plugin.table()->name, p.expected.id); // one provider per library, same name
    EXPECT_STREQ(plugin.table()->version, SB_PROJECT_VERSION);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);

    const auto providers = plugin.providers();
    ASSERT_EQ(providers.size(), 1u);
    sdk::ProviderSpec got = providers[0];
    // Descriptions are prose: one sentence, checked for shape rather than wording.
    EXPECT_TRUE(got.description.ends_with('.') && got.description.size() > 20 &&
                got.description.find(". ") == std::string::npos)
        << got.description;
    got.description.clear();
    EXPECT_EQ(got, p.expected);
    EXPECT_EQ(got.actions, sdk::category_action_names(got.category)); // the whole category
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

// Every action of every shipped plugin is implemented: params that are not a JSON object are
// the plugin's own to refuse, as invalid input, before any HTTP (the host validates params
// first, but a plugin must not trust that), and an action outside the category is unsupported.
TEST_P(ShippedPlugin, EveryActionIsImplementedAndRefusesParamsThatAreNotAnObject) {
    const Shipped& p = GetParam();
    FakeHost host;
    PluginUnderTest plugin(std::filesystem::path(p.library), host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    auto connector = plugin.connect(p.expected.id, "tenant-1");
    ASSERT_EQ(connector.status(), SB_STATUS_OK);
    for (const std::string& action : p.expected.actions) {
        const Invocation call = connector.invoke(action, "[]");
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << action << ": " << call.error;
        EXPECT_NE(call.error_code(), "not_implemented") << action;
        EXPECT_EQ(call.result, "") << action;
    }
    const Invocation unknown = connector.invoke("make_coffee", "{}");
    EXPECT_EQ(unknown.status, SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(unknown.error_code(), "unsupported_action");
    EXPECT_TRUE(host.requests().empty());
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

// Every crm action of hubspot.so reaches HubSpot's API or refuses its params itself; none is
// "not_implemented" any more.
TEST(HubSpotPlugin, EveryActionIsImplemented) {
    FakeHost host;
    // Only list_contacts can run on empty params (the others need an id, e-mail or name).
    host.expect_prefix("GET", "/crm/v3/objects/contacts?limit=20&",
                       CannedResponse::json(200, R"({"results": []})"));
    PluginUnderTest plugin(std::filesystem::path(SB_PLUGIN_HUBSPOT), host);
    ASSERT_EQ(plugin.init(), SB_STATUS_OK);
    auto connector = plugin.connect("hubspot", "tenant-1");
    ASSERT_EQ(connector.status(), SB_STATUS_OK);
    for (const auto action : sdk::category_actions("crm")) {
        const Invocation call = connector.invoke(action, "{}");
        EXPECT_NE(call.status, SB_STATUS_UNSUPPORTED) << action;
        EXPECT_NE(call.error_code(), "not_implemented") << action;
        if (action == "list_contacts") {
            EXPECT_EQ(call.status, SB_STATUS_OK) << call.error;
            EXPECT_EQ(call.result, R"({"contacts":[]})");
        } else {
            EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << action; // a required field is missing
        }
    }
    EXPECT_EQ(host.requests().size(), 1u);
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

// The Google descriptors agree with Google's own discovery documents (tests/specs/google/): the
// API base URL is the document's rootUrl without its trailing slash, and every scope is one
// the API defines.
TEST(GoogleDiscovery, BaseUrlsAndScopesMatch) {
    const std::pair<const char*, const char*> documents[] = {
        {"google_calendar", "calendar_v3.json"}, {"gmail", "gmail_v1.json"},
        {"google_drive", "drive_v3.json"}};
    for (const auto& [id, file] : documents) {
        const std::filesystem::path path = std::filesystem::path(SB_TEST_SPECS_DIR) / "google" / file;
        std::ifstream in(path);
        ASSERT_TRUE(in) << "cannot read " << path;
        const auto discovery = nlohmann::json::parse(in);
        const auto all = shipped();
        const auto it = std::find_if(all.begin(), all.end(),
                                     [&](const Shipped& s) { return s.expected.id == id; });
        ASSERT_NE(it, all.end());
        std::string root = discovery.at("rootUrl");
        root.pop_back(); // "https://www.googleapis.com/" -> without the slash
        EXPECT_EQ(it->expected.api_base_url, root) << id;
        for (const auto& scope : it->expected.oauth.default_scopes) {
            EXPECT_TRUE(discovery.at("auth").at("oauth2").at("scopes").contains(scope))
                << id << ": " << scope;
        }
    }
}

// Every method and media upload of each Google API lies under one of the plugin's allowed base
// URLs (so the proxy reaches the whole API the connector's scopes allow, and no other).
void collect_method_urls(const nlohmann::json& resources, const std::string& root,
                         const std::string& service, std::vector<std::string>& urls) {
    for (const auto& [name, resource] : resources.items()) {
        (void)name;
        // Kept: items() of value()'s temporary would outlive it.
        const nlohmann::json methods = resource.value("methods", nlohmann::json::object());
        for (const auto& [id, method] : methods.items()) {
            (void)id;
            urls.push_back(root + service + method.at("path").get<std::string>());
            if (method.contains("mediaUpload")) {
                for (const auto& [protocol, spec] :
                     method.at("mediaUpload").at("protocols").items()) {
                    (void)protocol;
                    urls.push_back(root + spec.at("path").get<std::string>().substr(1));
                }
            }
        }
        collect_method_urls(resource.value("resources", nlohmann::json::object()), root, service,
                            urls);
    }
}

TEST(GoogleDiscovery, EveryMethodIsUnderAnAllowedBaseUrl) {
    const std::pair<const char*, const char*> documents[] = {
        {"google_calendar", "calendar_v3.json"}, {"gmail", "gmail_v1.json"},
        {"google_drive", "drive_v3.json"}};
    for (const auto& [id, file] : documents) {
        std::ifstream in(std::filesystem::path(SB_TEST_SPECS_DIR) / "google" / file);
        ASSERT_TRUE(in) << file;
        const auto discovery = nlohmann::json::parse(in);
        const auto all = shipped();
        const auto it = std::find_if(all.begin(), all.end(),
                                     [&](const Shipped& s) { return s.expected.id == id; });
        ASSERT_NE(it, all.end());
        std::vector<std::string> urls;
        collect_method_urls(discovery.at("resources"), discovery.at("rootUrl"),
                            discovery.at("servicePath"), urls);
        ASSERT_FALSE(urls.empty()) << id;
        for (const auto& url : urls) {
            const bool allowed = std::any_of(
                it->expected.allowed_base_urls.begin(), it->expected.allowed_base_urls.end(),
                [&](const std::string& base) { return url.starts_with(base + "/"); });
            EXPECT_TRUE(allowed) << id << ": " << url;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Plugins, ShippedPlugin, ::testing::ValuesIn(shipped()),
                         [](const auto& test) { return test.param.expected.id; });

} // namespace
