// Fault controls: latency, a burst of 429 with Retry-After, an error rate, 5xx, dropped
// connections (before and after the request takes effect), scoped by path prefix, in each
// provider's error shape; plus revoking refresh tokens and expiring access tokens.
#include "tests/provider_sim/tests/sim_fixture.hpp"

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

class FaultsTest : public SimTest {
protected:
    std::string google = google_token({kEventsScope});
    std::string hubspot = hubspot_token({"crm.objects.contacts.read", "crm.objects.contacts.write"});
};

TEST_F(FaultsTest, ABurstOf429WithRetryAfterThenRecovery) {
    FaultRule rule;
    rule.prefix = "/api.hubapi.com/";
    rule.status = 429;
    rule.count = 2;
    rule.retry_after_seconds = 3;
    sim().add_fault(rule);
    for (int i = 0; i < 2; ++i) {
        const auto r = client().get(kContacts, hubspot);
        ASSERT_EQ(r.status, 429);
        EXPECT_EQ(r.header("Retry-After"), "3");
        EXPECT_EQ(r.json().at("errorType"), "RATE_LIMIT"); // HubSpot's shape
    }
    EXPECT_EQ(client().get(kContacts, hubspot).status, 200);
    EXPECT_TRUE(sim().faults().empty()); // a spent burst disarms
    EXPECT_EQ(sim().faults_hit(), 2u);
    // Faulted calls still count for their method.
    EXPECT_EQ(sim().calls("contacts_list"), 3u);
}

TEST_F(FaultsTest, FaultsStayWithinTheirPrefix) {
    FaultRule rule;
    rule.prefix = "/www.googleapis.com/calendar/";
    rule.status = 503;
    sim().add_fault(rule);
    const auto google_failure = client().get(kEvents, google);
    ASSERT_EQ(google_failure.status, 503);
    EXPECT_EQ(google_failure.json().at("error").at("status"), "UNAVAILABLE"); // Google's shape
    EXPECT_EQ(client().get(kContacts, hubspot).status, 200);
    const auto token_failure = [&] {
        FaultRule oauth;
        oauth.prefix = "/oauth2.googleapis.com/token";
        oauth.status = 500;
        oauth.count = 1;
        sim().add_fault(oauth);
        return client().post_form("/oauth2.googleapis.com/token", {{"grant_type", "refresh_token"}});
    }();
    EXPECT_EQ(token_failure.status, 500);
    EXPECT_EQ(token_failure.json().at("error"), "server_error"); // OAuth's shape
}

TEST_F(FaultsTest, AnErrorRateHitsAboutThatShare) {
    FaultRule rule;
    rule.prefix = kContacts;
    rule.status = 500;
    rule.probability = 0.5;
    sim().add_fault(rule);
    int failed = 0;
    for (int i = 0; i < 40; ++i) {
        failed += client().get(kContacts, hubspot).status == 500 ? 1 : 0;
    }
    // Seeded, so the count is the same every run; any fair coin lands well inside this.
    EXPECT_GT(failed, 5);
    EXPECT_LT(failed, 35);
}

TEST_F(FaultsTest, LatencyDelaysTheAnswer) {
    FaultRule rule;
    rule.kind = FaultRule::Kind::latency;
    rule.latency = std::chrono::milliseconds(300);
    rule.count = 1;
    sim().add_fault(rule);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(client().get(kEvents, google).status, 200);
    // A lower bound only: the delay is the fault's contract; no upper (speed) bound.
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST_F(FaultsTest, DroppedConnectionsBeforeAndAfterTheRequestTakesEffect) {
    FaultRule before;
    before.kind = FaultRule::Kind::drop;
    before.prefix = kContacts;
    before.count = 1;
    sim().add_fault(before);
    const auto lost = client().post_json(kContacts, {{"properties", {{"email", "a@example.com"}}}}, hubspot);
    EXPECT_EQ(lost.status, 0);
    EXPECT_TRUE(sim().hubspot_records(kUser, "contacts").empty());

    FaultRule after = before;
    after.after_processing = true;
    sim().add_fault(after);
    const auto done_but_lost = client().post_json(kContacts, {{"properties", {{"email", "a@example.com"}}}}, hubspot);
    EXPECT_EQ(done_but_lost.status, 0);
    EXPECT_EQ(sim().hubspot_records(kUser, "contacts").size(), 1u); // the retry will meet a 409
    EXPECT_EQ(client().post_json(kContacts, {{"properties", {{"email", "a@example.com"}}}}, hubspot).status, 409);
}

TEST_F(FaultsTest, RevokedRefreshTokensAndExpiredAccessTokens) {
    const IssuedTokens t = sim().issue_tokens(Provider::google, kUser, {kEventsScope});
    ASSERT_TRUE(t.refresh_token);
    EXPECT_TRUE(sim().revoke_refresh_token(*t.refresh_token));
    const auto refresh = client().post_form("/oauth2.googleapis.com/token",
                                            {{"grant_type", "refresh_token"}, {"refresh_token", *t.refresh_token},
                                             {"client_id", "sim-google-client-id"},
                                             {"client_secret", "sim-google-client-secret"}});
    EXPECT_EQ(refresh.status, 400);
    EXPECT_EQ(refresh.json().at("error"), "invalid_grant");
    EXPECT_EQ(client().get(kEvents, t.access_token).status, 200); // access tokens live on
    EXPECT_GE(sim().expire_access_tokens(Provider::google), 1u);
    EXPECT_EQ(client().get(kEvents, t.access_token).status, 401);
    EXPECT_EQ(client().get(kContacts, hubspot).status, 200); // HubSpot's untouched
}

TEST(FaultRuleJson, ReadsAndRefusesRules) {
    const auto rule = fault_rule_from_json(
        json::parse(R"({"kind":"error","prefix":"/api.hubapi.com/","status":429,"count":3,"retry_after":2})"));
    ASSERT_TRUE(rule);
    EXPECT_EQ(rule->status, 429u);
    EXPECT_EQ(rule->count, 3u);
    EXPECT_EQ(rule->retry_after_seconds, 2u);
    EXPECT_EQ(to_json(*rule).at("prefix"), "/api.hubapi.com/");
    EXPECT_FALSE(fault_rule_from_json(json::parse(R"({"kind":"explode"})")));
    EXPECT_FALSE(fault_rule_from_json(json::parse(R"({"prefix":"api.hubapi.com"})")));
    EXPECT_FALSE(fault_rule_from_json(json::parse(R"({"status":200})")));
    EXPECT_FALSE(fault_rule_from_json(json::parse(R"({"probability":2})")));
    EXPECT_FALSE(fault_rule_from_json(json::parse(R"({"count":"many"})")));
}

} // namespace
} // namespace switchboard::sim::testing
