// Issue 7 through the REST API: each of the assistant's everyday actions in one request
// against the simulator, the tools route (POST /api/v1/actions/{category}.{action}) and its
// connector choice, Idempotency-Key, the audit log, and what the host does when the provider
// answers 401, 404, 429 or 5xx.
#include "tests/e2e/e2e_suite.hpp"

#include "core/store/action_audit_log.hpp"

#include <openssl/evp.h>

#include <set>

namespace switchboard::e2e {
namespace {

std::string base64(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

json event_params(const std::string& summary) {
    return {{"summary", summary},
            {"start", {{"date_time", "2030-05-01T10:00:00Z"}}},
            {"end", {{"date_time", "2030-05-01T11:00:00Z"}}},
            {"attendees", {{{"email", "guest@example.com"}}}},
            {"video_conference", true}};
}

class Actions : public E2E {
protected:
    int faults_hit() { return sim_->admin("GET", "/_admin/counters").value("faults_hit", 0); }
};

TEST_F(Actions, BookAMeetingWithAMeetLink) {
    const std::string token = token_for("act-calendar");
    ASSERT_FALSE(connect_id(token, "calendar", "google_calendar", "Work calendar").empty());
    const int inserts = sim_->calls("calendar.events.insert");
    auto r = tool(token, "calendar.create_event", event_params("Kick-off"));
    ASSERT_EQ(r.status, 200) << r.body;
    const json body = r.json_body();
    EXPECT_EQ(body.at("provider"), "google_calendar");
    EXPECT_EQ(body.at("replayed"), false);
    const json& event = body.at("result");
    EXPECT_EQ(event.at("summary"), "Kick-off");
    EXPECT_EQ(event.at("status"), "confirmed");
    EXPECT_EQ(event.value("video_conference_link", "").rfind("https://meet.google.com/", 0), 0u)
        << r.body;
    EXPECT_EQ(sim_->calls("calendar.events.insert"), inserts + 1);
    EXPECT_EQ(find_secret(r.body), "");
}

TEST_F(Actions, SendAnHtmlEmail) {
    const std::string token = token_for("act-email");
    ASSERT_FALSE(connect_id(token, "email", "gmail", "Mail").empty());
    auto r = tool(token, "email.send_email",
                  {{"to", {{{"email", "html-reader@example.com"}, {"name", "Reader"}}}},
                   {"subject", "Quarterly numbers"},
                   {"html_body", "<p>The <b>numbers</b> are in.</p>"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(r.json_body().at("result").at("id").get<std::string>().empty());
    const json inbox = sim_->admin("GET", "/_admin/gmail/messages?account=html-reader@example.com");
    ASSERT_EQ(inbox.at("messages").size(), 1u) << inbox.dump();
    const json& message = inbox.at("messages")[0];
    EXPECT_EQ(message.value("subject", ""), "Quarterly numbers") << message.dump();
    EXPECT_NE(message.dump().find("<b>numbers</b>"), std::string::npos) << message.dump();
}

TEST_F(Actions, CreateAContactAndADealAssociatedWithIt) {
    const std::string token = token_for("act-crm");
    const std::string id = connect_id(token, "crm", "hubspot", "Sales");
    ASSERT_FALSE(id.empty());
    // The connector route: the body is the action's params.
    auto contact = post("/api/v1/connectors/" + id + "/actions/create_contact", token,
                        {{"email", "ada@example.com"}, {"first_name", "Ada"}, {"last_name", "Lovelace"}});
    ASSERT_EQ(contact.status, 200) << contact.body;
    const std::string contact_id = contact.json_body().at("result").at("id");
    EXPECT_EQ(contact.json_body().at("result").value("email", ""), "ada@example.com");

    auto deal = tool(token, "crm.create_deal",
                     {{"name", "Analytical engine"}, {"amount", 1843}, {"stage", "appointmentscheduled"},
                      {"contact_id", contact_id}});
    ASSERT_EQ(deal.status, 200) << deal.body;
    const json result = deal.json_body().at("result");
    EXPECT_EQ(result.at("name"), "Analytical engine");
    EXPECT_EQ(result.value("contact_ids", json::array()), json::array({contact_id})) << deal.body;

    const json deals = sim_->admin("GET", std::string("/_admin/hubspot/deals?user=") + kSimUser);
    bool associated = false;
    for (const auto& d : deals.at("deals")) {
        if (d.value("id", json()) == result.at("id")) associated = d.dump().find(contact_id) != std::string::npos;
    }
    EXPECT_TRUE(associated) << deals.dump() << "\n" << deal.body;
}

TEST_F(Actions, UploadAndDownloadFilesSmallAndResumable) {
    const std::string token = token_for("act-drive");
    ASSERT_FALSE(connect_id(token, "drive", "google_drive", "Files").empty());

    const std::string small = "hello from the e2e tests\n";
    auto up = tool(token, "drive.upload_file",
                   {{"name", "hello.txt"}, {"mime_type", "text/plain"}, {"content_base64", base64(small)}});
    ASSERT_EQ(up.status, 200) << up.body;
    const std::string small_id = up.json_body().at("result").at("id");
    auto down = tool(token, "drive.download_file", {{"file_id", small_id}});
    ASSERT_EQ(down.status, 200) << down.body;
    EXPECT_EQ(down.json_body().at("result").at("content_base64"), base64(small));
    EXPECT_EQ(down.json_body().at("result").at("file").at("name"), "hello.txt");

    // Over the plugin's 5 MiB multipart limit: a resumable session and chunked PUTs.
    std::string large(6 * 1024 * 1024 + 123, '\0');
    for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
    const json before = sim_->admin("GET", "/_admin/requests");
    auto big = tool(token, "drive.upload_file",
                    {{"name", "large.bin"}, {"mime_type", "application/octet-stream"},
                     {"content_base64", base64(large)}});
    ASSERT_EQ(big.status, 200) << big.body.substr(0, 500);
    const std::string large_id = big.json_body().at("result").at("id");
    const json after = sim_->admin("GET", "/_admin/requests");
    bool resumable = false;
    for (const auto& request : after.at("requests")) {
        resumable = resumable || request.value("query", "").find("uploadType=resumable") != std::string::npos;
    }
    EXPECT_TRUE(resumable) << "no uploadType=resumable request reached the simulator";
    (void)before;
    auto back = tool(token, "drive.download_file", {{"file_id", large_id}});
    ASSERT_EQ(back.status, 200) << back.body.substr(0, 500);
    EXPECT_TRUE(back.json_body().at("result").at("content_base64") == base64(large))
        << "the downloaded bytes differ";
}

TEST_F(Actions, ToolsRunOnTheActiveConnectorOfTheirCategoryOrANamedOne) {
    const std::string token = token_for("act-choice");
    auto none = tool(token, "calendar.list_events",
                     {{"time_min", "2030-01-01T00:00:00Z"}, {"time_max", "2030-12-31T00:00:00Z"}});
    EXPECT_EQ(none.status, 404) << none.body;
    EXPECT_EQ(none.error_code(), "no_active_connector");

    const std::string id = connect_id(token, "calendar", "google_calendar", "Team");
    ASSERT_FALSE(id.empty());
    const json params = {{"time_min", "2030-01-01T00:00:00Z"}, {"time_max", "2030-12-31T00:00:00Z"}};
    auto active = tool(token, "calendar.list_events", params);
    ASSERT_EQ(active.status, 200) << active.body;
    EXPECT_EQ(active.json_body().at("connector_id"), id);
    auto named = tool(token, "calendar.list_events", params, {}, {{"connector_name", "Team"}});
    EXPECT_EQ(named.status, 200) << named.body;
    EXPECT_EQ(named.json_body().at("connector_id"), id);
    auto by_id = tool(token, "calendar.list_events", params, {}, {{"connector_id", id}});
    EXPECT_EQ(by_id.status, 200) << by_id.body;
    auto wrong_name = tool(token, "calendar.list_events", params, {}, {{"connector_name", "Nope"}});
    EXPECT_EQ(wrong_name.status, 404) << wrong_name.body;
    auto both = tool(token, "calendar.list_events", params, {},
                     {{"connector_name", "Team"}, {"connector_id", id}});
    EXPECT_EQ(both.status, 400) << both.body;
    EXPECT_EQ(both.json_body().at("error").value("field", ""), "/connector_name");
}

TEST_F(Actions, AnIdempotencyKeyRunsTheActionOncePerTenant) {
    const std::string token = token_for("act-idem");
    const std::string other = token_for("act-idem-other");
    ASSERT_FALSE(connect_id(token, "calendar", "google_calendar", "Cal").empty());
    ASSERT_FALSE(connect_id(other, "calendar", "google_calendar", "Cal").empty());
    const std::map<std::string, std::string> key = {{"Idempotency-Key", "e2e-book-1"}};
    const int inserts = sim_->calls("calendar.events.insert");

    auto first = tool(token, "calendar.create_event", event_params("Once"), key);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.json_body().at("replayed"), false);
    auto again = tool(token, "calendar.create_event", event_params("Once"), key);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json_body().at("replayed"), true);
    EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(again.json_body().at("result"), first.json_body().at("result"));
    EXPECT_EQ(sim_->calls("calendar.events.insert"), inserts + 1);

    auto reused = tool(token, "calendar.create_event", event_params("Something else"), key);
    EXPECT_EQ(reused.status, 409) << reused.body;
    EXPECT_EQ(reused.error_code(), "idempotency_key_reused");
    EXPECT_EQ(sim_->calls("calendar.events.insert"), inserts + 1);

    // Keys are the tenant's own: another tenant's same key is a new call.
    auto theirs = tool(other, "calendar.create_event", event_params("Once"), key);
    ASSERT_EQ(theirs.status, 200) << theirs.body;
    EXPECT_EQ(theirs.json_body().at("replayed"), false);
    EXPECT_NE(theirs.json_body().at("result").at("id"), first.json_body().at("result").at("id"));
    EXPECT_EQ(sim_->calls("calendar.events.insert"), inserts + 2);

    auto bad_key = tool(token, "calendar.create_event", event_params("x"),
                        {{"Idempotency-Key", std::string(300, 'k')}});
    EXPECT_EQ(bad_key.status, 400) << bad_key.body;
    EXPECT_EQ(bad_key.error_code(), "invalid_idempotency_key");
}

TEST_F(Actions, TheAuditLogRecordsEachCallWithoutItsParams) {
    const std::string tenant = "act-audit";
    const std::string token = token_for(tenant, "auditor");
    const std::string id = connect_id(token, "email", "gmail", "Mail");
    ASSERT_FALSE(id.empty());
    const std::string secretish = "pa55-word-in-the-body-7f3a9c";
    const json params = {{"to", {{{"email", "audit@example.com"}}}},
                         {"subject", "Your code " + secretish},
                         {"text_body", "Use " + secretish}};
    ASSERT_EQ(tool(token, "email.send_email", params, {{"Idempotency-Key", "audit-1"}}).status, 200);
    ASSERT_EQ(tool(token, "email.send_email", params, {{"Idempotency-Key", "audit-1"}}).status, 200);
    EXPECT_EQ(tool(token, "calendar.list_events", {{"time_min", "2030-01-01T00:00:00Z"}}).status, 404);

    // The audit log is not served by the API; it is read where the host keeps it.
    std::shared_ptr<store::Database> db(&database(), [](store::Database*) {});
    store::ActionAuditLog log(db);
    auto entries = log.recent(tenant);
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries->size(), 3u);
    std::multiset<std::string> seen;
    for (const auto& e : *entries) {
        seen.insert(e.category + "." + e.action + ":" + std::string(store::to_string(e.outcome)) +
                    ":" + e.error_code);
        EXPECT_EQ(e.tenant_id, tenant);
        EXPECT_EQ(e.user_id, "auditor");
        const std::string row = e.id + e.connector_id + e.provider + e.category + e.action + e.error_code;
        EXPECT_EQ(row.find(secretish), std::string::npos);
        EXPECT_EQ(row.find("audit@example.com"), std::string::npos);
    }
    EXPECT_EQ(seen, (std::multiset<std::string>{"email.send_email:succeeded:",
                                                "email.send_email:replayed:",
                                                "calendar.list_events:failed:no_active_connector"}));
    for (const auto& e : *entries) {
        if (e.category == "email") {
            EXPECT_EQ(e.connector_id, id);
            EXPECT_EQ(e.provider, "gmail");
        }
    }
}

TEST_F(Actions, AnExpiredAccessTokenIsRefreshedAndTheCallRetried) {
    const std::string token = token_for("act-401");
    ASSERT_FALSE(connect_id(token, "calendar", "google_calendar", "Cal").empty());
    const json expired = sim_->admin("POST", "/_admin/tokens/expire", {{"provider", "google"}});
    EXPECT_GE(expired.at("expired").get<int>(), 1);
    const int refreshes = sim_->calls("oauth2.token");
    const int inserts = sim_->calls("calendar.events.insert");
    auto r = tool(token, "calendar.create_event", event_params("After expiry"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(sim_->calls("oauth2.token"), refreshes + 1);
    // Refused once with 401, then done once.
    EXPECT_EQ(sim_->calls("calendar.events.insert"), inserts + 2);
}

TEST_F(Actions, ProviderFailuresKeepTheirMeaning) {
    const std::string token = token_for("act-faults");
    ASSERT_FALSE(connect_id(token, "drive", "google_drive", "Files").empty());
    ASSERT_FALSE(connect_id(token, "crm", "hubspot", "CRM").empty());

    // 404 at the provider.
    auto missing = tool(token, "drive.download_file", {{"file_id", "no-such-file-0000"}});
    EXPECT_EQ(missing.status, 404) << missing.body;

    // One 429 with Retry-After: the host waits and retries, the caller sees success.
    sim_->admin("POST", "/_admin/faults",
                {{"kind", "error"}, {"prefix", "/api.hubapi.com/crm"}, {"status", 429}, {"count", 1},
                 {"retry_after", 1}});
    const int hit = faults_hit();
    auto retried = tool(token, "crm.create_contact", {{"email", "retry@example.com"}});
    EXPECT_EQ(retried.status, 200) << retried.body;
    EXPECT_EQ(faults_hit(), hit + 1);

    // 429 that does not end: the caller gets 429 with Retry-After.
    sim_->admin("POST", "/_admin/faults",
                {{"kind", "error"}, {"prefix", "/api.hubapi.com/crm"}, {"status", 429},
                 {"retry_after", 120}});
    auto limited = tool(token, "crm.create_contact", {{"email", "limited@example.com"}});
    EXPECT_EQ(limited.status, 429) << limited.body;
    EXPECT_FALSE(limited.header("Retry-After").empty());
    sim_->admin("DELETE", "/_admin/faults");

    // Google's 500 (backendError) and 503 mean "try later": after the host's retries the
    // caller gets 503 provider_unavailable.
    sim_->admin("POST", "/_admin/faults",
                {{"kind", "error"}, {"prefix", "/www.googleapis.com/drive"}, {"status", 500}});
    auto broken = tool(token, "drive.list_files", json::object());
    EXPECT_EQ(broken.status, 503) << broken.body;
    EXPECT_EQ(broken.error_code(), "provider_unavailable") << broken.body;
    sim_->admin("DELETE", "/_admin/faults");
    sim_->admin("POST", "/_admin/faults",
                {{"kind", "error"}, {"prefix", "/www.googleapis.com/drive"}, {"status", 503}});
    auto down = tool(token, "drive.list_files", json::object());
    EXPECT_EQ(down.status, 503) << down.body;
    EXPECT_EQ(down.error_code(), "provider_unavailable") << down.body;
    sim_->admin("DELETE", "/_admin/faults");

    auto fine = tool(token, "drive.list_files", json::object());
    EXPECT_EQ(fine.status, 200) << fine.body;
}

} // namespace
} // namespace switchboard::e2e
