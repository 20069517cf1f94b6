// Every action of hubspot.so against the provider simulator, through the product's plugin
// loader and outbound HTTP client (tests/plugins/support/plugin_sim_harness.hpp): the
// result, the simulator's state, and that every request the plugin sent validated against
// the shared HubSpot description (the simulator's record, and this folder's own checker);
// then the error mappings the simulator can produce (expired/unknown token, missing scopes,
// 404, 409, 400, 429 bursts and HubSpot's own rate limits, 5xx, dropped connections).
#include "tests/plugins/hubspot/hubspot_api.hpp"
#include "tests/plugins/support/plugin_sim_harness.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <string>

namespace switchboard::testing::hubspot {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* user = "sim.user@example.com";

class HubSpotSim : public ::testing::Test {
protected:
    void SetUp() override { start({}); }

    void start(PluginSimOptions options) {
        options.provider_id = "hubspot";
        options.user = user;
        harness_ = PluginSimHarness::start(std::move(options));
        ASSERT_NE(harness_, nullptr);
    }

    void TearDown() override {
        if (!harness_) return;
        for (const auto& failure : harness_->sim().validation_failures()) {
            ADD_FAILURE() << "the simulator refused " << failure.verb << " " << failure.path << "?"
                          << failure.query << " " << failure.body << ": "
                          << ::testing::PrintToString(failure.errors);
        }
    }

    // Runs `action`; checks each request the plugin sent against the description too.
    plugin::InvokeOutcome invoke(std::string_view action, const json& params) {
        plugin::InvokeOutcome outcome = harness_->invoke(action, params.dump());
        EXPECT_FALSE(outcome.from_host) << outcome.json; // the plugin answered, not the host
        for (const auto& request : harness_->last_requests()) {
            std::string content_type;
            for (const auto& h : request.headers) {
                if (h.name == "Content-Type" || h.name == "content-type") content_type = h.value;
            }
            const RequestCheck check = api().check(request.method, request.path, request.body,
                                                   content_type);
            EXPECT_THAT(check.problems, IsEmpty()) << request.method << " " << request.path;
        }
        return outcome;
    }

    json ok(std::string_view action, const json& params) {
        const plugin::InvokeOutcome outcome = invoke(action, params);
        EXPECT_TRUE(outcome.ok()) << action << ": " << outcome.json;
        return json::parse(outcome.json, nullptr, false);
    }

    static json error_of(const plugin::InvokeOutcome& outcome) {
        return json::parse(outcome.json, nullptr, false);
    }

    std::string create_contact(const std::string& email, const std::string& first = "",
                               const std::string& last = "") {
        json params = {{"email", email}};
        if (!first.empty()) params["first_name"] = first;
        if (!last.empty()) params["last_name"] = last;
        return ok("create_contact", params).value("id", "");
    }

    std::vector<std::string> operations_of_last_invoke() {
        std::vector<std::string> out;
        for (const auto& request : harness_->last_requests()) {
            out.push_back(api().check(request.method, request.path, request.body,
                                      "application/json")
                              .operation);
        }
        return out;
    }

    static HubSpotApi& api() {
        static HubSpotApi instance;
        return instance;
    }

    std::unique_ptr<PluginSimHarness> harness_;
};

// --- the actions ------------------------------------------------------------------------

TEST_F(HubSpotSim, CreateContact) {
    const json contact = ok("create_contact", {{"email", "jane@example.com"},
                                               {"first_name", "Jane"},
                                               {"last_name", "Smith"},
                                               {"phone", "+1 555 0100"},
                                               {"company", "Acme"},
                                               {"job_title", "CTO"},
                                               {"properties", {{"lifecyclestage", "lead"}}}});
    EXPECT_EQ(operations_of_last_invoke(), std::vector<std::string>{"contacts_create"});
    EXPECT_EQ(contact.at("email"), "jane@example.com");
    EXPECT_EQ(contact.at("first_name"), "Jane");
    EXPECT_EQ(contact.at("job_title"), "CTO");
    EXPECT_EQ(contact.at("properties").at("lifecyclestage"), "lead");
    EXPECT_FALSE(contact.contains("url"));
    EXPECT_TRUE(contact.contains("created_at"));

    const auto records = harness_->sim().hubspot_records(user, "contacts");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].id, contact.at("id"));
    EXPECT_EQ(records[0].properties.at("jobtitle"), "CTO");
    EXPECT_EQ(records[0].properties.at("lifecyclestage"), "lead");
    EXPECT_EQ(harness_->sim().calls("contacts_create"), 1u);
}

TEST_F(HubSpotSim, CreateContactTwiceIsContactExists) {
    const std::string first = create_contact("dup@example.com");
    const plugin::InvokeOutcome again = invoke("create_contact", {{"email", "dup@example.com"}});
    EXPECT_EQ(again.status, SB_STATUS_CONFLICT);
    const json error = error_of(again);
    EXPECT_EQ(error.at("code"), "contact_exists");
    EXPECT_EQ(error.at("details").at("existing_id"), first);
    EXPECT_THAT(error.at("message").get<std::string>(), HasSubstr("Existing ID: " + first));
    EXPECT_EQ(harness_->sim().hubspot_records(user, "contacts").size(), 1u);
}

TEST_F(HubSpotSim, UpdateContact) {
    const std::string id = create_contact("upd@example.com", "Jo");
    const json contact = ok("update_contact", {{"contact_id", id},
                                               {"first_name", "Joanna"},
                                               {"company", "Initech"},
                                               {"properties", {{"hs_lead_status", "OPEN"}}}});
    EXPECT_EQ(operations_of_last_invoke(), std::vector<std::string>{"contacts_update"});
    EXPECT_EQ(contact.at("id"), id);
    EXPECT_EQ(contact.at("first_name"), "Joanna");
    EXPECT_EQ(contact.at("company"), "Initech");
    EXPECT_EQ(contact.at("email"), "upd@example.com"); // kept
    const auto records = harness_->sim().hubspot_records(user, "contacts");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].properties.at("firstname"), "Joanna");
    EXPECT_EQ(records[0].properties.at("hs_lead_status"), "OPEN");
}

TEST_F(HubSpotSim, UpdateAnUnknownContactIsNotFound) {
    const plugin::InvokeOutcome outcome =
        invoke("update_contact", {{"contact_id", "999999"}, {"phone", "1"}});
    EXPECT_EQ(outcome.status, SB_STATUS_NOT_FOUND) << outcome.json;
    EXPECT_EQ(error_of(outcome).at("code"), "not_found");
}

TEST_F(HubSpotSim, UpdateWithAValueHubSpotRefusesIsInvalidInput) {
    const std::string id = create_contact("bad@example.com");
    const plugin::InvokeOutcome outcome =
        invoke("update_contact", {{"contact_id", id}, {"properties", {{"lifecyclestage", "royalty"}}}});
    EXPECT_EQ(outcome.status, SB_STATUS_INVALID_INPUT) << outcome.json;
    const json error = error_of(outcome);
    EXPECT_EQ(error.at("code"), "provider_rejected_request");
    EXPECT_THAT(error.at("message").get<std::string>(), HasSubstr("royalty"));
    EXPECT_EQ(error.at("details").at("category"), "VALIDATION_ERROR");
}

TEST_F(HubSpotSim, GetContact) {
    const std::string id = create_contact("get@example.com", "Gert", "Getter");
    const json contact = ok("get_contact", {{"contact_id", id}});
    EXPECT_EQ(operations_of_last_invoke(), std::vector<std::string>{"contacts_get"});
    EXPECT_EQ(contact.at("id"), id);
    EXPECT_EQ(contact.at("email"), "get@example.com");
    EXPECT_EQ(contact.at("first_name"), "Gert");
    EXPECT_EQ(contact.at("last_name"), "Getter");
    EXPECT_FALSE(contact.contains("phone")); // never set: null at HubSpot, absent here
    EXPECT_EQ(contact.at("properties").at("hs_object_id"), id);
}

TEST_F(HubSpotSim, GetAnUnknownContactIsNotFound) {
    const plugin::InvokeOutcome outcome = invoke("get_contact", {{"contact_id", "424242"}});
    EXPECT_EQ(outcome.status, SB_STATUS_NOT_FOUND) << outcome.json;
    EXPECT_EQ(error_of(outcome).at("code"), "not_found");
    EXPECT_EQ(error_of(outcome).at("details").at("category"), "OBJECT_NOT_FOUND");
}

TEST_F(HubSpotSim, ListContactsPagesThroughTheListEndpoint) {
    std::vector<std::string> ids;
    for (const char* email : {"l1@example.com", "l2@example.com", "l3@example.com"}) {
        ids.push_back(create_contact(email));
    }
    const json first = ok("list_contacts", {{"max_results", 2}});
    EXPECT_EQ(operations_of_last_invoke(), std::vector<std::string>{"contacts_list"});
    ASSERT_EQ(first.at("contacts").size(), 2u);
    EXPECT_EQ(first.at("contacts")[0].at("id"), ids[0]);
    EXPECT_EQ(first.at("contacts")[1].at("email"), "l2@example.com");
    ASSERT_TRUE(first.contains("next_page_token"));

    const json second = ok("list_contacts", {{"max_results", 2}, {"page_token", first.at("next_page_token")}});
    ASSERT_EQ(second.at("contacts").size(), 1u);
    EXPECT_EQ(second.at("contacts")[0].at("id"), ids[2]);
    EXPECT_FALSE(second.contains("next_page_token"));
}

TEST_F(HubSpotSim, ListContactsWithAQuerySearchesAndPages) {
    const std::string smith1 = create_contact("jane@example.com", "Jane", "Smith");
    create_contact("john@example.com", "John", "Doe");
    const std::string smith2 = create_contact("janet@example.com", "Janet", "Smith");

    const json first = ok("list_contacts", {{"query", "smith"}, {"max_results", 1}});
    EXPECT_EQ(operations_of_last_invoke(), std::vector<std::string>{"contacts_search"});
    ASSERT_EQ(first.at("contacts").size(), 1u);
    EXPECT_EQ(first.at("contacts")[0].at("id"), smith1); // in id order
    ASSERT_TRUE(first.contains("next_page_token"));

    const json second =
        ok("list_contacts", {{"query", "smith"}, {"max_results", 1}, {"page_token", first.at("next_page_token")}});
    ASSERT_EQ(second.at("contacts").size(), 1u);
    EXPECT_EQ(second.at("contacts")[0].at("id"), smith2);
    EXPECT_EQ(second.at("contacts")[0].at("last_name"), "Smith");
    EXPECT_FALSE(second.contains("next_page_token"));
}

TEST_F(HubSpotSim, FindContactByEmail) {
    const std::string id = create_contact("find.me@example.com", "Finn");
    const json found = ok("find_contact_by_email", {{"email", "find.me@example.com"}});
    EXPECT_EQ(operations_of_last_invoke(), std::vector<std::string>{"contacts_search"});
    ASSERT_TRUE(found.at("contact").is_object()) << found;
    EXPECT_EQ(found.at("contact").at("id"), id);
    EXPECT_EQ(found.at("contact").at("first_name"), "Finn");

    const json missing = ok("find_contact_by_email", {{"email", "nobody@example.com"}});
    EXPECT_EQ(missing, json({{"contact", nullptr}}));
}

TEST_F(HubSpotSim, CreateDealAssociatedWithAContact) {
    const std::string contact = create_contact("buyer@example.com");
    const json deal = ok("create_deal", {{"name", "Big deal"},
                                         {"amount", 1500.5},
                                         {"stage", "appointmentscheduled"},
                                         {"pipeline", "default"},
                                         {"close_date", "2024-06-30T09:00:00+02:00"},
                                         {"contact_id", contact},
                                         {"properties", {{"hs_priority", "high"}}}});
    EXPECT_EQ(operations_of_last_invoke(), std::vector<std::string>{"deals_create"});
    EXPECT_EQ(deal.at("name"), "Big deal");
    EXPECT_EQ(deal.at("amount"), 1500.5);
    EXPECT_EQ(deal.at("stage"), "appointmentscheduled");
    EXPECT_EQ(deal.at("pipeline"), "default");
    EXPECT_EQ(deal.at("close_date"), "2024-06-30T07:00:00.000Z");
    EXPECT_EQ(deal.at("contact_ids"), json({contact}));
    EXPECT_EQ(deal.at("properties").at("hs_priority"), "high");
    EXPECT_FALSE(deal.contains("url"));

    const auto deals = harness_->sim().hubspot_records(user, "deals");
    ASSERT_EQ(deals.size(), 1u);
    EXPECT_EQ(deals[0].associations.at("contacts"), std::set<std::string>{contact});
    EXPECT_EQ(deals[0].properties.at("amount"), "1500.5");
    const auto contacts = harness_->sim().hubspot_records(user, "contacts");
    EXPECT_EQ(contacts[0].associations.at("deals"), std::set<std::string>{deals[0].id});
}

TEST_F(HubSpotSim, CreateDealWithoutAContact) {
    const json deal = ok("create_deal", {{"name", "Solo"}, {"stage", "closedwon"}, {"amount", 20}});
    EXPECT_FALSE(deal.contains("contact_ids"));
    EXPECT_EQ(deal.at("amount"), 20);
    EXPECT_EQ(deal.at("pipeline"), "default"); // HubSpot's default pipeline
    const auto deals = harness_->sim().hubspot_records(user, "deals");
    ASSERT_EQ(deals.size(), 1u);
    EXPECT_TRUE(deals[0].associations.empty());
}

TEST_F(HubSpotSim, CreateDealWithoutAStageStartsInTheDefaultPipelinesFirstStage) {
    // The CRM schema makes the stage optional; HubSpot needs one: the plugin reads the
    // account's pipelines and takes the first stage, as HubSpot's own form does.
    const json deal = ok("create_deal", {{"name", "No stage given"}});
    EXPECT_EQ(deal.at("stage"), "appointmentscheduled");
    EXPECT_EQ(deal.at("pipeline"), "default");
    const auto deals = harness_->sim().hubspot_records(user, "deals");
    ASSERT_EQ(deals.size(), 1u);
    EXPECT_EQ(deals[0].properties.at("dealstage"), "appointmentscheduled");
}

TEST_F(HubSpotSim, CreateDealWithAnUnknownContactOrStageIsInvalidInput) {
    plugin::InvokeOutcome outcome =
        invoke("create_deal", {{"name", "d"}, {"stage", "closedwon"}, {"contact_id", "987654"}});
    EXPECT_EQ(outcome.status, SB_STATUS_INVALID_INPUT) << outcome.json;
    EXPECT_THAT(error_of(outcome).at("message").get<std::string>(), HasSubstr("987654"));

    outcome = invoke("create_deal", {{"name", "d"}, {"stage", "nosuchstage"}});
    EXPECT_EQ(outcome.status, SB_STATUS_INVALID_INPUT) << outcome.json;
    EXPECT_THAT(error_of(outcome).at("message").get<std::string>(), HasSubstr("nosuchstage"));
    EXPECT_TRUE(harness_->sim().hubspot_records(user, "deals").empty());
}

// A deal's currency is HubSpot's deal_currency_code, one of the account's currencies: the
// simulated account has seven; another code is HubSpot's INVALID_OPTION, reported as invalid
// input with HubSpot's message.
TEST_F(HubSpotSim, CurrencyIsTheDealCurrencyCode) {
    const plugin::InvokeOutcome created =
        invoke("create_deal", {{"name", "Euro deal"}, {"stage", "closedwon"}, {"currency", "EUR"}});
    ASSERT_EQ(created.status, SB_STATUS_OK) << created.json;
    EXPECT_EQ(json::parse(created.json).at("currency"), "EUR");
    const plugin::InvokeOutcome refused =
        invoke("create_deal", {{"name", "Rand deal"}, {"stage", "closedwon"}, {"currency", "ZAR"}});
    EXPECT_EQ(refused.status, SB_STATUS_INVALID_INPUT) << refused.json;
    EXPECT_THAT(error_of(refused).at("message").get<std::string>(), HasSubstr("ZAR"));
    ASSERT_EQ(harness_->sim().requests().size(), 2u);
    EXPECT_TRUE(harness_->sim().requests()[0].valid());
    EXPECT_TRUE(harness_->sim().requests()[1].valid());
}

// --- error mapping ----------------------------------------------------------------------

TEST_F(HubSpotSim, AnExpiredTokenIsAuth) {
    harness_->sim().expire_access_tokens();
    const plugin::InvokeOutcome outcome = invoke("get_contact", {{"contact_id", "101"}});
    EXPECT_EQ(outcome.status, SB_STATUS_AUTH) << outcome.json;
    EXPECT_EQ(error_of(outcome).at("code"), "unauthorized");
    EXPECT_THAT(error_of(outcome).at("message").get<std::string>(), HasSubstr("expired"));
    EXPECT_EQ(error_of(outcome).at("details").at("category"), "EXPIRED_AUTHENTICATION");
}

TEST_F(HubSpotSim, AnUnknownTokenIsAuth) {
    harness_->set_access_token("CKDZ-not-a-token-the-simulator-issued");
    const plugin::InvokeOutcome outcome = invoke("list_contacts", json::object());
    EXPECT_EQ(outcome.status, SB_STATUS_AUTH) << outcome.json;
    EXPECT_EQ(error_of(outcome).at("code"), "unauthorized");
    EXPECT_EQ(error_of(outcome).at("details").at("category"), "INVALID_AUTHENTICATION");
}

TEST_F(HubSpotSim, AMissingScopeIsAuthMissingScopes) {
    harness_.reset();
    PluginSimOptions options;
    options.scopes = {"oauth", "crm.objects.contacts.read", "crm.objects.contacts.write",
                      "crm.objects.deals.read"};
    start(options);
    const plugin::InvokeOutcome outcome =
        invoke("create_deal", {{"name", "d"}, {"stage", "closedwon"}});
    EXPECT_EQ(outcome.status, SB_STATUS_AUTH) << outcome.json;
    const json error = error_of(outcome);
    EXPECT_EQ(error.at("code"), "missing_scopes");
    EXPECT_EQ(error.at("details").at("required_scopes"), json({"crm.objects.deals.write"}));
}

TEST_F(HubSpotSim, ABriefBurstOf429IsRetriedByTheHost) {
    sim::FaultRule burst;
    burst.prefix = "/api.hubapi.com/crm/";
    burst.status = 429;
    burst.count = 1;
    burst.retry_after_seconds = 1;
    harness_->sim().add_fault(burst);
    const std::string id = create_contact("burst@example.com");
    EXPECT_FALSE(id.empty());
    EXPECT_EQ(harness_->sim().faults_hit(), 1u);
    EXPECT_EQ(harness_->last_requests().size(), 1u); // one plugin request, retried by the host
}

TEST_F(HubSpotSim, ALasting429IsRateLimitedWithRetryAfter) {
    sim::FaultRule burst;
    burst.prefix = "/api.hubapi.com/crm/";
    burst.status = 429;
    burst.count = 10;
    burst.retry_after_seconds = 1;
    harness_->sim().add_fault(burst);
    const plugin::InvokeOutcome outcome = invoke("get_contact", {{"contact_id", "101"}});
    EXPECT_EQ(outcome.status, SB_STATUS_RATE_LIMITED) << outcome.json;
    EXPECT_EQ(error_of(outcome).at("code"), "rate_limited");
    EXPECT_EQ(error_of(outcome).at("details").at("retry_after_seconds"), 1);
}

TEST_F(HubSpotSim, HubSpotsBurstLimitGivesTheWindowAsRetryAfter) {
    harness_.reset();
    PluginSimOptions options;
    options.max_attempts = 1; // the host would wait out the 10 s window otherwise
    options.sim.hubspot_burst_limit = 2;
    start(options);
    create_contact("a@example.com");
    create_contact("b@example.com");
    const plugin::InvokeOutcome outcome = invoke("create_contact", {{"email", "c@example.com"}});
    EXPECT_EQ(outcome.status, SB_STATUS_RATE_LIMITED) << outcome.json;
    const json error = error_of(outcome);
    EXPECT_EQ(error.at("details").at("retry_after_seconds"), 10); // X-HubSpot-RateLimit-Interval-Milliseconds
    EXPECT_EQ(error.at("details").at("policy_name"), "TEN_SECONDLY_ROLLING");
    EXPECT_THAT(error.at("message").get<std::string>(), HasSubstr("ten_secondly_rolling limit"));
}

TEST_F(HubSpotSim, TheSearchLimitIsRateLimited) {
    harness_.reset();
    PluginSimOptions options;
    options.max_attempts = 1;
    start(options);
    // Five searches a second per account; searches answer without rate-limit headers.
    std::optional<plugin::InvokeOutcome> limited;
    for (int i = 0; i < 20 && !limited; ++i) {
        plugin::InvokeOutcome outcome =
            invoke("find_contact_by_email", {{"email", "x@example.com"}});
        if (outcome.status == SB_STATUS_RATE_LIMITED) limited = std::move(outcome);
        else EXPECT_TRUE(outcome.ok()) << outcome.json;
    }
    ASSERT_TRUE(limited.has_value()) << "no search was rate limited";
    const json error = error_of(*limited);
    EXPECT_EQ(error.at("code"), "rate_limited");
    EXPECT_EQ(error.at("details").at("policy_name"), "SECONDLY");
    EXPECT_FALSE(error.at("details").contains("retry_after_seconds"));
}

TEST_F(HubSpotSim, ServerErrorsAreUnavailableOnceTheHostGivesUp) {
    sim::FaultRule outage;
    outage.prefix = "/api.hubapi.com/crm/";
    outage.status = 503;
    outage.count = 10;
    harness_->sim().add_fault(outage);
    const plugin::InvokeOutcome outcome = invoke("get_contact", {{"contact_id", "101"}});
    EXPECT_EQ(outcome.status, SB_STATUS_UNAVAILABLE) << outcome.json;
    EXPECT_EQ(error_of(outcome).at("code"), "provider_unavailable");

    harness_->sim().clear_faults();
    outage.count = 1; // a GET is retried by the host
    harness_->sim().add_fault(outage);
    const plugin::InvokeOutcome retried = invoke("get_contact", {{"contact_id", "101"}});
    EXPECT_EQ(retried.status, SB_STATUS_NOT_FOUND) << retried.json; // past the 503: no contact 101
}

TEST_F(HubSpotSim, ADroppedConnectionIsUnreachable) {
    sim::FaultRule drop;
    drop.kind = sim::FaultRule::Kind::drop;
    drop.prefix = "/api.hubapi.com/crm/";
    drop.count = 10;
    harness_->sim().add_fault(drop);
    const plugin::InvokeOutcome outcome = invoke("list_contacts", json::object());
    EXPECT_EQ(outcome.status, SB_STATUS_UNAVAILABLE) << outcome.json;
    EXPECT_EQ(error_of(outcome).at("code"), "provider_unreachable");
}

} // namespace
} // namespace switchboard::testing::hubspot
