// Issue 10, point 1: connect-jacking. A user of tenant A starts a connect flow and sends the
// provider's authorization URL to someone else; that person (the "victim", a user of tenant
// B) signs in at the provider with their own account and consents, and their browser lands
// on the host's callback. The victim's account must never become usable in tenant A: the
// callback parks the tokens as a pending connection, only the principal who started the flow
// can confirm it, and the victim's confirmation discards the tokens and revokes them at the
// provider.
#include "tests/e2e/e2e_suite.hpp"

#include <soci/soci.h>

#include <regex>
#include <thread>

namespace switchboard::e2e {
namespace {

constexpr const char* kGoogleConsentPath = "/accounts.google.com/o/oauth2/v2/auth/consent";

class ConnectJacking : public E2E {
protected:
    // The victim's browser at the provider: the consent page (auto-approve is off), the
    // victim's own e-mail typed in, Allow. Returns where the provider sends the browser (the
    // host's callback, with the code and A's state).
    std::string consent_as(const std::string& authorization_url, const std::string& email) {
        auto page = client_.get(authorization_url);
        if (page.status != 200) {
            throw std::runtime_error("consent page: " + std::to_string(page.status) + " " + page.body);
        }
        std::smatch match;
        static const std::regex request_id(R"re(name="request" value="([^"]+)")re");
        if (!std::regex_search(page.body, match, request_id)) {
            throw std::runtime_error("no consent request id in the page: " + page.body);
        }
        const std::string form = "request=" + match[1].str() + "&email=" + email +
                                 "&decision=approve";
        auto allowed = client_.request("POST", sim_->url(kGoogleConsentPath),
                                       {{"Content-Type", "application/x-www-form-urlencoded"}}, form);
        if (allowed.status != 302) {
            throw std::runtime_error("consent: " + std::to_string(allowed.status) + " " + allowed.body);
        }
        return allowed.header("Location");
    }

    // How many refresh tokens of `email` the simulator still honours (revoking them all:
    // afterwards there are none, so call it last).
    int live_refresh_tokens_of(const std::string& email) {
        return sim_->admin("POST", "/_admin/tokens/revoke", {{"user", email}}).at("revoked").get<int>();
    }
};

TEST_F(ConnectJacking, AVictimsConsentNeverLandsTheirAccountInTheAttackersTenant) {
    const std::string attacker = token_for("jacking-a", "attacker");
    const std::string victim = token_for("jacking-b", "victim");
    const std::string victim_email = "victim.jacking@example.com";
    sim_->set_auto_approve(false);

    // 1. Tenant A's user starts a flow and sends the URL to the victim.
    auto start = post("/api/v1/connectors/authorize", attacker,
                      {{"type", "email"}, {"provider", "gmail"}, {"name", "Jacked mail"}});
    ASSERT_EQ(start.status, 200) << start.body;
    EXPECT_FALSE(start.json_body().contains("completion")) << start.body;

    // 2. The victim consents with their own account; their browser follows the redirect.
    const std::string callback = consent_as(start.json_body().at("authorization_url"), victim_email);
    auto back = client_.get(callback);
    ASSERT_EQ(back.status, 302) << back.body;
    const std::string landing = back.header("Location");
    EXPECT_EQ(landing.rfind(std::string(kFrontend) + "/settings/integrations?success=true&provider=gmail", 0), 0u)
        << landing;
    const std::string completion = query_param(landing, "completion").value_or("");

    // Before anyone confirms: nothing usable in A, and A is shown no account identity.
    for (const auto& c : connectors(attacker)) {
        EXPECT_NE(c.at("status"), "active") << c.dump();
        EXPECT_TRUE(c.at("account_identity").is_null()) << c.dump();
    }
    auto early = tool(attacker, "email.list_emails", {{"max_results", 1}});
    EXPECT_NE(early.status, 200) << "an action ran on the victim's mailbox in tenant A: " << early.body;

    // 3. The victim's front end, signed in to tenant B, confirms the code its browser got.
    const int revokes = sim_->calls("oauth2.revoke");
    auto refused = post("/api/v1/connectors/complete", victim, {{"completion", completion}});
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(refused.error_code(), "completion_forbidden") << refused.body;
    EXPECT_EQ(find_secret(refused.body), "") << refused.body;

    // 4. The account is in neither tenant, and no action in A reaches the victim's mailbox.
    EXPECT_TRUE(connectors(attacker).empty()) << connectors(attacker).dump();
    EXPECT_TRUE(connectors(victim).empty()) << connectors(victim).dump();
    auto action = tool(attacker, "email.list_emails", {{"max_results", 1}});
    EXPECT_NE(action.status, 200) << "an action ran on the victim's mailbox in tenant A: " << action.body;

    // 5. A never had the code, and once discarded it confirms nothing for anyone.
    auto attackers_try = post("/api/v1/connectors/complete", attacker, {{"completion", completion}});
    EXPECT_EQ(attackers_try.status, 404) << attackers_try.body;
    EXPECT_EQ(attackers_try.error_code(), "completion_not_found") << attackers_try.body;
    EXPECT_TRUE(connectors(attacker).empty());

    // 6. The tokens were revoked at the provider: the simulator saw the revocation and holds
    //    no live refresh token of the victim any more.
    EXPECT_EQ(sim_->calls("oauth2.revoke"), revokes + 1);
    EXPECT_EQ(live_refresh_tokens_of(victim_email), 0);
}

// Nobody confirms: once the state's TTL has passed the tokens are revoked at the provider and
// the pending connector is gone. (The host's clock is not ours to move, so the pending row's
// time is moved into the past where it is kept; the sweep runs every second here.)
TEST_F(ConnectJacking, AnUnconfirmedFlowIsRevokedOnceTheStateTtlHasPassed) {
    const std::string token = token_for("jacking-ttl");
    const std::string landing = callback_on(client_, api(""), token, "email", "gmail", "Unconfirmed");
    ASSERT_TRUE(query_param(landing, "completion")) << landing;
    ASSERT_EQ(connectors(token).size(), 1u);
    const int revokes = sim_->calls("oauth2.revoke");

    auto moved = database().with_session("expiring the pending connection", [](soci::session& sql) {
        sql << "UPDATE connector_accounts SET pending_until = 1 WHERE tenant_id = 'jacking-ttl' "
               "AND status = 'pending'";
        return Result<void>();
    });
    ASSERT_TRUE(moved) << moved.error().message;
    for (int i = 0; i < 200 && !connectors(token).empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(connectors(token).empty());
    EXPECT_EQ(sim_->calls("oauth2.revoke"), revokes + 1);
    auto late = confirm(token, landing);
    EXPECT_EQ(late.status, 404) << late.body;
    EXPECT_EQ(late.error_code(), "completion_not_found");
}

} // namespace
} // namespace switchboard::e2e
