// gmail.so against the provider simulator, through the product's plugin loader and outbound
// HTTP client (tests/plugins/support/plugin_sim_harness.hpp): every action's result, that
// every request the plugin sent validated against Google's discovery document (the simulator
// checks and records it), what the simulated mailboxes hold afterwards, and the errors the
// simulator can produce (404, expired and revoked tokens, 429 bursts, 5xx).
#include "tests/plugins/gmail/category_schema.hpp"
#include "tests/plugins/support/plugin_sim_harness.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

using switchboard::testing::PluginSimHarness;
using switchboard::testing::PluginSimOptions;
namespace sim = switchboard::sim;
namespace t = switchboard::plugins::testing;
using nlohmann::json;
using ::testing::IsEmpty;

const std::string me = "sim.user@example.com";
const std::vector<std::string> gmail_scopes = {"https://www.googleapis.com/auth/gmail.send",
                                               "https://www.googleapis.com/auth/gmail.readonly"};

const t::CategorySchema& schema() {
    static const t::CategorySchema s("email.schema.json");
    return s;
}

std::string lf(std::string s) {
    for (std::size_t p; (p = s.find("\r\n")) != std::string::npos;) s.replace(p, 2, "\n");
    return s;
}

// "method id: errors" for every request the simulator refused as not matching the
// discovery document.
std::vector<std::string> invalid_requests(PluginSimHarness& h) {
    std::vector<std::string> out;
    for (const auto& r : h.sim().validation_failures()) {
        std::string line = r.verb + " " + r.path + " (" + r.method_id + "):";
        for (const auto& e : r.errors) line += " " + e;
        out.push_back(line);
    }
    return out;
}

class GmailSim : public ::testing::Test {
protected:
    void SetUp() override {
        harness = PluginSimHarness::start("gmail");
        ASSERT_NE(harness, nullptr);
        original_token = harness->access_token();
    }
    void TearDown() override {
        if (harness) {
            EXPECT_THAT(invalid_requests(*harness), IsEmpty());
        }
    }

    switchboard::plugin::InvokeOutcome invoke(std::string_view action, const json& params) {
        return harness->invoke(action, params.dump());
    }
    json ok(std::string_view action, const json& params, const char* definition) {
        const auto out = invoke(action, params);
        EXPECT_EQ(out.status, SB_STATUS_OK) << action << ": " << out.json;
        if (out.status != SB_STATUS_OK) return json();
        EXPECT_THAT(schema().problems(definition, out.json), IsEmpty()) << out.json;
        return json::parse(out.json);
    }
    // Sends as `sender` (a token the simulator issues for that account), then goes back.
    json send_as(const std::string& sender, const json& params) {
        const auto tokens = harness->sim().issue_tokens(sim::Provider::google, sender, gmail_scopes);
        harness->set_access_token(tokens.access_token);
        json sent = ok("send_email", params, "SendEmailResult");
        harness->set_access_token(original_token);
        return sent;
    }
    // A fresh token for the connected account.
    std::string new_token() {
        return harness->sim().issue_tokens(sim::Provider::google, me, gmail_scopes).access_token;
    }
    std::string error_code(const switchboard::plugin::InvokeOutcome& out) {
        return json::parse(out.json, nullptr, false).value("code", "");
    }

    std::unique_ptr<PluginSimHarness> harness;
    std::string original_token;
};

TEST_F(GmailSim, SendEmailDeliversAWellFormedMessage) {
    const json params = {{"to", {{{"email", "bob@example.com"}, {"name", "Bob \"The Builder\" Smith"}},
                                 {{"email", "jp@example.com"}, {"name", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"}}}},
                         {"cc", {{{"email", "carol@example.com"}, {"name", "Doe, Carol"}}}},
                         {"bcc", {{{"email", "dave@example.com"}}}},
                         {"reply_to", {{"email", "replies@example.com"}, {"name", "Z\xC3\xB6\xC3\xAB"}}},
                         {"subject", "Caf\xC3\xA9 \xE2\x98\x95 meeting \xE2\x80\x94 agenda for the long quarterly review of everything"},
                         {"text_body", "Hello Bob,\nsee you at the caf\xC3\xA9.\n" + std::string(200, '-') + "\n"},
                         {"html_body", "<p>Hello <b>Bob</b>, see you at the caf\xC3\xA9.</p>"},
                         {"in_reply_to", "<original@example.com>"}};
    const json sent = ok("send_email", params, "SendEmailResult");
    EXPECT_EQ(harness->sim().calls("gmail.users.messages.send"), 1u);

    const auto outbox = harness->sim().gmail_messages(me);
    ASSERT_EQ(outbox.size(), 1u);
    const sim::StoredEmail& stored = outbox[0];
    EXPECT_EQ(sent.at("id"), stored.id);
    EXPECT_EQ(sent.at("thread_id"), stored.thread_id);
    EXPECT_EQ(sent.at("label_ids"), json({"SENT"}));
    const auto& m = stored.parsed;
    EXPECT_EQ(m.subject, params["subject"]);
    EXPECT_EQ(lf(m.text), lf(params["text_body"]));
    EXPECT_EQ(lf(m.html), lf(params["html_body"]));
    ASSERT_EQ(m.to.size(), 2u);
    EXPECT_EQ(m.to[0].address, "bob@example.com");
    EXPECT_EQ(m.to[0].name, "Bob \"The Builder\" Smith");
    EXPECT_EQ(m.to[1].name, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");
    ASSERT_EQ(m.cc.size(), 1u);
    EXPECT_EQ(m.cc[0].name, "Doe, Carol");
    ASSERT_EQ(m.bcc.size(), 1u);
    EXPECT_EQ(m.bcc[0].address, "dave@example.com");
    ASSERT_EQ(m.reply_to.size(), 1u);
    EXPECT_EQ(m.reply_to[0].name, "Z\xC3\xB6\xC3\xAB");
    EXPECT_EQ(m.in_reply_to, "<original@example.com>");
    EXPECT_EQ(m.references, "<original@example.com>");
    ASSERT_EQ(m.from.size(), 1u);
    EXPECT_EQ(m.from[0].address, me); // Gmail's own From
    EXPECT_EQ(m.root.media_type, "multipart/alternative");

    // Each recipient got it; Bcc is not in their copies.
    for (const char* who : {"bob@example.com", "jp@example.com", "carol@example.com", "dave@example.com"}) {
        const auto box = harness->sim().gmail_messages(who);
        ASSERT_EQ(box.size(), 1u) << who;
        EXPECT_TRUE(box[0].parsed.bcc.empty()) << who;
        EXPECT_EQ(box[0].parsed.subject, params["subject"]) << who;
    }
}

TEST_F(GmailSim, SendEmailPlainOnlyAndHtmlOnly) {
    ok("send_email", {{"to", {{{"email", "bob@example.com"}}}}, {"subject", "plain"}, {"text_body", "just text"}},
       "SendEmailResult");
    ok("send_email", {{"to", {{{"email", "bob@example.com"}}}}, {"subject", ""}, {"html_body", "<i>just html</i>"}},
       "SendEmailResult");
    const auto box = harness->sim().gmail_messages("bob@example.com");
    ASSERT_EQ(box.size(), 2u);
    EXPECT_EQ(box[0].parsed.root.media_type, "text/plain");
    EXPECT_EQ(lf(box[0].parsed.text), "just text");
    EXPECT_EQ(box[1].parsed.root.media_type, "text/html");
    EXPECT_EQ(lf(box[1].parsed.html), "<i>just html</i>");
    EXPECT_EQ(box[1].parsed.subject, "");
}

TEST_F(GmailSim, GetEmailReadsAReceivedMessage) {
    send_as("alice@example.com", {{"to", {{{"email", me}, {"name", "Sim User"}}}},
                                  {"cc", {{{"email", "carol@example.com"}}}},
                                  {"subject", "R\xC3\xA9sum\xC3\xA9 attached \xE2\x80\x94 please read"},
                                  {"text_body", "Plain caf\xC3\xA9\nsecond line"},
                                  {"html_body", "<p>HTML caf\xC3\xA9</p>"}});
    const auto inbox = harness->sim().gmail_messages(me);
    ASSERT_EQ(inbox.size(), 1u);
    const json email = ok("get_email", {{"email_id", inbox[0].id}}, "Email");
    EXPECT_EQ(email.at("id"), inbox[0].id);
    EXPECT_EQ(email.at("from"), json({{"email", "alice@example.com"}}));
    EXPECT_EQ(email.at("to"), json::parse(R"([{"email":"sim.user@example.com","name":"Sim User"}])"));
    EXPECT_EQ(email.at("cc"), json::parse(R"([{"email":"carol@example.com"}])"));
    EXPECT_EQ(email.at("subject"), "R\xC3\xA9sum\xC3\xA9 attached \xE2\x80\x94 please read");
    EXPECT_EQ(lf(email.at("text_body")), "Plain caf\xC3\xA9\nsecond line");
    EXPECT_EQ(lf(email.at("html_body")), "<p>HTML caf\xC3\xA9</p>");
    EXPECT_THAT(email.at("label_ids"), ::testing::Contains("INBOX"));
    EXPECT_THAT(email.at("message_id_header").get<std::string>(), ::testing::EndsWith("@switchboard.invalid>"));
    EXPECT_TRUE(email.contains("date"));
    EXPECT_FALSE(email.contains("bcc"));
    EXPECT_EQ(harness->sim().calls("gmail.users.messages.get"), 1u);
}

TEST_F(GmailSim, ListEmailsPagesThroughSummaries) {
    for (int i = 0; i < 5; ++i) {
        send_as(i % 2 == 0 ? "alice@example.com" : "bob@example.com",
                {{"to", {{{"email", me}}}}, {"subject", "note " + std::to_string(i)}, {"text_body", "body " + std::to_string(i)}});
    }
    const json first = ok("list_emails", {{"max_results", 3}, {"label", "INBOX"}}, "ListEmailsResult");
    ASSERT_EQ(first.at("emails").size(), 3u);
    ASSERT_TRUE(first.contains("next_page_token"));
    EXPECT_EQ(first.at("emails")[0].at("subject"), "note 4"); // newest first
    EXPECT_EQ(first.at("emails")[0].at("from"), json({{"email", "alice@example.com"}}));
    EXPECT_TRUE(first.at("emails")[0].contains("date"));
    EXPECT_TRUE(first.at("emails")[0].contains("snippet"));
    const json second = ok("list_emails", {{"max_results", 3}, {"label", "INBOX"}, {"page_token", first.at("next_page_token")}},
                           "ListEmailsResult");
    ASSERT_EQ(second.at("emails").size(), 2u);
    EXPECT_FALSE(second.contains("next_page_token"));
    EXPECT_EQ(second.at("emails")[1].at("subject"), "note 0");

    const json from_bob = ok("list_emails", {{"query", "from:bob@example.com subject:note"}}, "ListEmailsResult");
    ASSERT_EQ(from_bob.at("emails").size(), 2u);
    for (const auto& e : from_bob.at("emails")) EXPECT_EQ(e.at("from").at("email"), "bob@example.com");
    EXPECT_EQ(harness->sim().calls("gmail.users.messages.list"), 3u);
    EXPECT_EQ(harness->sim().calls("gmail.users.messages.get"), 7u); // one metadata read per summary

    const json none = ok("list_emails", {{"query", "from:nobody@example.com"}}, "ListEmailsResult");
    EXPECT_EQ(none, json({{"emails", json::array()}}));
}

TEST_F(GmailSim, GetEmailOfAnUnknownIdIsNotFound) {
    const auto out = invoke("get_email", {{"email_id", "0123456789abcdef"}});
    EXPECT_EQ(out.status, SB_STATUS_NOT_FOUND) << out.json;
    EXPECT_EQ(error_code(out), "not_found");
}

TEST_F(GmailSim, AnExpiredOrRevokedTokenIsAnAuthError) {
    harness->sim().expire_access_tokens();
    auto out = invoke("list_emails", json::object());
    EXPECT_EQ(out.status, SB_STATUS_AUTH) << out.json;
    EXPECT_EQ(error_code(out), "unauthorized");

    harness->set_access_token(new_token());
    ASSERT_EQ(invoke("list_emails", json::object()).status, SB_STATUS_OK);
    // A token the simulator does not know (revoked, or never issued): Google's 401.
    harness->set_access_token("ya29.revoked-or-never-issued");
    out = invoke("send_email", {{"to", {{{"email", "bob@example.com"}}}}, {"subject", "s"}, {"text_body", "t"}});
    EXPECT_EQ(out.status, SB_STATUS_AUTH) << out.json;
    EXPECT_EQ(error_code(out), "unauthorized");
    EXPECT_TRUE(harness->sim().gmail_messages("bob@example.com").empty());
}

TEST_F(GmailSim, AShort429BurstIsRetriedByTheHost) {
    sim::FaultRule burst;
    burst.prefix = "/gmail.googleapis.com/";
    burst.status = 429;
    burst.count = 2;
    burst.retry_after_seconds = 1;
    harness->sim().add_fault(burst);
    const json page = ok("list_emails", json::object(), "ListEmailsResult");
    EXPECT_EQ(page.at("emails"), json::array());
    EXPECT_EQ(harness->sim().faults_hit(), 2u);
}

TEST_F(GmailSim, PersistentRateLimitingAndOutagesReachTheCaller) {
    sim::FaultRule limit;
    limit.prefix = "/gmail.googleapis.com/";
    limit.status = 429;
    limit.count = 3; // the harness's client tries three times
    limit.retry_after_seconds = 1;
    harness->sim().add_fault(limit);
    auto out = invoke("get_email", {{"email_id", "x"}});
    EXPECT_EQ(out.status, SB_STATUS_RATE_LIMITED) << out.json;
    EXPECT_EQ(error_code(out), "rate_limited");
    EXPECT_EQ(json::parse(out.json).at("details").at("retry_after_seconds"), 1);

    sim::FaultRule outage;
    outage.prefix = "/gmail.googleapis.com/";
    outage.status = 503;
    outage.count = 3;
    harness->sim().add_fault(outage);
    out = invoke("send_email", {{"to", {{{"email", "bob@example.com"}}}}, {"subject", "s"}, {"text_body", "t"}});
    EXPECT_EQ(out.status, SB_STATUS_UNAVAILABLE) << out.json;
    EXPECT_EQ(error_code(out), "provider_unavailable");
}

} // namespace
