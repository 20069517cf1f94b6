// Issue 14, point 7: no secrets out. A host of its own at log level debug, with a webhook to a
// receiver in the test, goes through a whole run: connect flows on all four providers, a
// HubSpot private-app token, actions through REST, the tools route and MCP, the proxy,
// refreshes (asked for, and forced by expired access tokens), a confirmation refused across
// tenants (tokens revoked), callbacks and credentials that are refused, disconnects with
// revocation, the event feed and /metrics. Then every secret the run used — each code, access
// and refresh token the simulator issued and each PKCE verifier it was shown, the client
// secrets, the encryption key, the JWT secret, the JWTs, the API key, the webhook secret and
// the completion codes — is looked for in every log line, every API and MCP answer (status,
// headers, body), every webhook request and /metrics: none may be found.
//
// The two places a secret belongs in an answer are excluded by name: the callback's redirect
// carries the completion code to the front end, and the authorize answer hands the caller its
// flow's OAuth state (in the authorization URL); everywhere else both are looked for too.
#include "tests/e2e/own_host.hpp"
#include "tests/events/webhook_receiver.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <iostream>
#include <set>
#include <sstream>

namespace switchboard::e2e {
namespace secret_scan_test {

constexpr const char* kWebhookSecret = "whsec-scan-0123456789abcdef0123";

struct Captured {
    std::string what;
    std::string text;
};

class SecretScan : public OwnHostE2E {
protected:
    // Every answer the host gave, as text: status, headers, body.
    HttpResult keep(const std::string& what, HttpResult r) {
        std::string text = std::to_string(r.status) + "\n";
        for (const auto& [name, value] : r.headers) text += name + ": " + value + "\n";
        text += r.body;
        answers_.push_back({what, std::move(text)});
        return r;
    }

    HttpResult send(const std::string& what, const std::string& method, const std::string& path,
                    const std::string& credential, const json& body = nullptr,
                    std::map<std::string, std::string> headers = {}) {
        if (!credential.empty()) headers["Authorization"] = "Bearer " + credential;
        if (!body.is_null()) headers["Content-Type"] = "application/json";
        return keep(what, http_.request(method, own_.url(path), headers,
                                        body.is_null() ? std::string() : body.dump()));
    }

    // authorize, the simulator (auto-approve), the callback: the front end's URL. The
    // callback's own answer is kept without the completion code it exists to carry.
    std::string callback(const std::string& jwt, const std::string& type, const std::string& provider,
                         const std::string& name) {
        auto start = send("authorize " + provider, "POST", "/api/v1/connectors/authorize", jwt,
                          {{"type", type}, {"provider", provider}, {"name", name}});
        if (start.status != 200) throw std::runtime_error("authorize: " + start.body);
        auto at_provider = http_.get(authorization_url_of(start));
        if (at_provider.status != 302) throw std::runtime_error("simulator: " + at_provider.body);
        return keep_callback("callback " + provider, http_.get(at_provider.header("Location")));
    }

    // A callback's answer, kept without the completion code its redirect exists to carry
    // (the code is on the list of secrets): the front end's URL.
    std::string keep_callback(const std::string& what, const HttpResult& back) {
        const std::string landing = back.header("Location");
        const auto completion = query_param(landing, "completion");
        if (completion) completions_.push_back(*completion);
        HttpResult kept = back;
        for (auto& [header, value] : kept.headers) {
            if (completion && value == landing) {
                value.replace(value.find(*completion), completion->size(), "<completion>");
            }
        }
        keep(what, kept);
        return landing;
    }

    std::string connect(const std::string& jwt, const std::string& type, const std::string& provider,
                        const std::string& name) {
        const std::string landing = callback(jwt, type, provider, name);
        auto done = send("complete " + provider, "POST", "/api/v1/connectors/complete", jwt,
                         {{"completion", query_param(landing, "completion").value_or("")}});
        EXPECT_EQ(done.status, 201) << done.body;
        return done.status == 201 ? done.json_body().at("id").get<std::string>() : std::string();
    }

    // The authorize answer's URL; its state is remembered (a secret everywhere but there).
    std::string authorization_url_of(const HttpResult& start) {
        const std::string url = start.json_body().at("authorization_url");
        if (auto state = query_param(url, "state")) states_.push_back(*state);
        return url;
    }

    HttpResult mcp(const std::string& jwt, const std::string& session, const json& message) {
        std::map<std::string, std::string> headers = {{"Accept", "application/json, text/event-stream"}};
        if (!session.empty()) headers["Mcp-Session-Id"] = session;
        return send("mcp " + message.value("method", ""), "POST", "/mcp", jwt, message, headers);
    }

    OwnHost own_;
    Client http_{true};
    std::vector<Captured> answers_;
    std::vector<std::string> completions_;
    std::vector<std::string> states_;
};

// `secret` as it would appear percent-encoded in a URL or form.
std::string percent_encoded(const std::string& secret) {
    return boost::urls::encode(secret, boost::urls::unreserved_chars);
}

TEST_F(SecretScan, NoSecretReachesALogLineAnAnswerAWebhookOrAMetric) {
    events::test::WebhookReceiver receiver;
    own_ = start_own_host(
        {{"log", {{"level", "debug"}, {"format", "text"}}},
         {"events", {{"webhooks", {{{"name", "scan"}, {"url", receiver.url()}, {"secret_env", "SB_E2E_SCAN_WEBHOOK_SECRET"}}}},
                     {"poll_interval_ms", 100}}}},
        {std::string("SB_E2E_SCAN_WEBHOOK_SECRET=") + kWebhookSecret});
    const std::set<std::string> secrets_before = [&] {
        std::set<std::string> out;
        const json issued = sim_->admin("GET", "/_admin/secrets");
        for (const auto& s : issued.at("secrets")) out.insert(s.get<std::string>());
        return out;
    }();

    const std::string jwt = token_for("scan-a", "scan-user");
    const std::string other = token_for("scan-b", "scan-other");
    std::vector<std::string> jwts = {jwt, other};

    // Connect flows on all four providers.
    const std::string mail = connect(jwt, "email", "gmail", "Mail");
    const std::string calendar = connect(jwt, "calendar", "google_calendar", "Calendar");
    const std::string drive = connect(jwt, "drive", "google_drive", "Drive");
    const std::string crm = connect(jwt, "crm", "hubspot", "CRM");
    ASSERT_FALSE(mail.empty() || calendar.empty() || drive.empty() || crm.empty());
    // A HubSpot private app's token, for the other tenant.
    const std::string pat = sim_->admin("POST", "/_admin/hubspot/private-apps",
                                        {{"user", "scan.pat@example.com"},
                                         {"scopes", {"crm.objects.contacts.read", "crm.objects.contacts.write"}}})
                                .at("token");
    auto by_token = send("access-token", "POST", "/api/v1/connectors/access-token", other,
                         {{"provider", "hubspot"}, {"access_token", pat}});
    ASSERT_EQ(by_token.status, 201) << by_token.body;
    const std::string pat_connector = by_token.json_body().at("id");

    // Lists, gets, actions (connector route and tools route), the proxy.
    send("list", "GET", "/api/v1/connectors", jwt);
    for (const auto& id : {mail, calendar, drive, crm}) send("get", "GET", "/api/v1/connectors/" + id, jwt);
    EXPECT_EQ(send("send_email", "POST", "/api/v1/connectors/" + mail + "/actions/send_email", jwt,
                   {{"to", {{{"email", "scan.reader@example.com"}}}}, {"subject", "hello"}, {"text_body", "hi"}})
                  .status, 200);
    EXPECT_EQ(send("list_emails", "POST", "/api/v1/actions/email.list_emails", jwt, {{"params", json::object()}}).status, 200);
    EXPECT_EQ(send("create_event", "POST", "/api/v1/actions/calendar.create_event", jwt,
                   {{"params", {{"summary", "Scan"},
                                {"start", {{"date_time", "2031-02-01T10:00:00Z"}}},
                                {"end", {{"date_time", "2031-02-01T11:00:00Z"}}}}}})
                  .status, 200);
    EXPECT_EQ(send("create_folder", "POST", "/api/v1/connectors/" + drive + "/actions/create_folder", jwt,
                   {{"name", "Scan folder"}}).status, 200);
    EXPECT_EQ(send("create_contact", "POST", "/api/v1/connectors/" + crm + "/actions/create_contact", jwt,
                   {{"email", "scan.contact@example.com"}}).status, 200);
    EXPECT_EQ(send("pat list_contacts", "POST", "/api/v1/connectors/" + pat_connector + "/actions/list_contacts",
                   other, json::object()).status, 200);
    EXPECT_EQ(send("proxy gmail", "GET", "/api/v1/connectors/" + mail + "/proxy/gmail/v1/users/me/labels", jwt).status, 200);
    EXPECT_EQ(send("proxy calendar", "GET", "/api/v1/connectors/" + calendar + "/proxy/calendar/v3/calendars/primary/events", jwt).status, 200);
    EXPECT_EQ(send("proxy drive", "GET", "/api/v1/connectors/" + drive + "/proxy/drive/v3/files", jwt).status, 200);
    EXPECT_EQ(send("proxy hubspot", "GET", "/api/v1/connectors/" + crm + "/proxy/crm/v3/objects/contacts", jwt).status, 200);

    // MCP: a session, the tools, a call.
    auto init = mcp(jwt, "", {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
                              {"params", {{"protocolVersion", "2025-06-18"}, {"capabilities", json::object()},
                                          {"clientInfo", {{"name", "scan"}, {"version", "1"}}}}}});
    ASSERT_EQ(init.status, 200) << init.body;
    const std::string session = init.header("Mcp-Session-Id");
    mcp(jwt, session, {{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
    EXPECT_EQ(mcp(jwt, session, {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}}).status, 200);
    auto called = mcp(jwt, session, {{"jsonrpc", "2.0"}, {"id", 3}, {"method", "tools/call"},
                                     {"params", {{"name", "crm_list_contacts"}, {"arguments", json::object()}}}});
    EXPECT_EQ(called.status, 200) << called.body;

    // Refreshes: asked for, and forced (every access token expired at the provider, then used).
    for (const auto& id : {mail, calendar, drive, crm}) {
        EXPECT_EQ(send("refresh", "POST", "/api/v1/connectors/" + id + "/refresh", jwt).status, 200);
    }
    sim_->admin("POST", "/_admin/tokens/expire");
    EXPECT_EQ(send("after expiry", "POST", "/api/v1/actions/email.list_emails", jwt, {{"params", json::object()}}).status, 200);
    EXPECT_EQ(send("after expiry", "GET", "/api/v1/connectors/" + crm + "/proxy/crm/v3/objects/contacts", jwt).status, 200);

    // Refusals: another tenant's completion code (the tokens are revoked), a callback with a
    // real code and a state nobody issued, a replayed callback, bad credentials.
    const std::string parked = callback(jwt, "email", "gmail", "Parked");
    EXPECT_EQ(send("stolen completion", "POST", "/api/v1/connectors/complete", other,
                   {{"completion", query_param(parked, "completion").value_or("")}}).status, 403);
    {
        auto start = send("authorize", "POST", "/api/v1/connectors/authorize", jwt,
                          {{"type", "calendar"}, {"provider", "google_calendar"}, {"name", "Replay"}});
        auto at_provider = http_.get(authorization_url_of(start));
        const std::string back = at_provider.header("Location");
        const std::string code = query_param(back, "code").value_or("");
        keep("forged state", http_.get(own_.url(std::string(kCallbackPath) + "?state=forged-state-0123456789&code=" +
                                                percent_encoded(code))));
        keep_callback("callback", http_.get(back));
        keep_callback("replayed callback", http_.get(back));
    }
    send("bad jwt", "GET", "/api/v1/connectors", jwt.substr(0, jwt.size() - 4) + "AAAA");
    send("api key", "GET", "/api/v1/connectors", kApiKey);
    send("bad api key", "GET", "/api/v1/connectors", std::string(kApiKey) + "x");
    send("unknown private-app token", "POST", "/api/v1/connectors/access-token", other,
         {{"provider", "hubspot"}, {"access_token", "pat-na1-00000000-0000-0000-0000-000000000000"}});

    // Disconnects (revoked at the provider), the feed, the webhooks, /metrics.
    for (const auto& id : {mail, calendar, drive, crm}) {
        EXPECT_EQ(send("disconnect", "DELETE", "/api/v1/connectors/" + id, jwt).status, 204);
    }
    EXPECT_EQ(send("disconnect pat", "DELETE", "/api/v1/connectors/" + pat_connector, other).status, 204);
    std::size_t events = 0;
    for (const auto& t : {jwt, other}) {
        auto feed = send("events", "GET", "/api/v1/events", t);
        ASSERT_EQ(feed.status, 200) << feed.body;
        events += feed.json_body().at("events").size();
    }
    ASSERT_GT(events, 0u);
    EXPECT_TRUE(events::test::WebhookReceiver::wait_until([&] { return receiver.taken().size() >= events; }))
        << receiver.taken().size() << " of " << events << " events delivered";
    auto metrics = send("metrics", "GET", "/metrics", "");
    EXPECT_EQ(metrics.status, 200);
    own_.host->stop();

    // What the run used.
    std::vector<std::pair<std::string, std::string>> secrets; // (kind, value)
    std::size_t from_simulator = 0;
    const json issued = sim_->admin("GET", "/_admin/secrets");
    for (const auto& s : issued.at("secrets")) {
        if (secrets_before.count(s.get<std::string>())) continue;
        secrets.emplace_back("simulator code/token/verifier", s.get<std::string>());
        ++from_simulator;
    }
    for (const auto& c : completions_) secrets.emplace_back("completion code", c);
    for (const auto& j : jwts) secrets.emplace_back("JWT", j);
    secrets.emplace_back("Google client secret", "sim-google-client-secret");
    secrets.emplace_back("HubSpot client secret", "sim-hubspot-client-secret");
    secrets.emplace_back("encryption key", encryption_key_);
    secrets.emplace_back("JWT signing secret", kJwtSecret);
    secrets.emplace_back("API key", kApiKey);
    secrets.emplace_back("webhook secret", kWebhookSecret);
    for (const auto& state : states_) secrets.emplace_back("OAuth state", state);
    EXPECT_GT(from_simulator, 20u);
    EXPECT_GE(completions_.size(), 6u);

    // Where they must not be.
    std::vector<Captured> haystacks;
    std::size_t log_lines = 0;
    std::size_t debug_lines = 0;
    {
        std::istringstream log(own_.host->log());
        for (std::string line; std::getline(log, line);) {
            ++log_lines;
            if (line.find("] [debug] ") != std::string::npos) ++debug_lines;
            haystacks.push_back({"log line " + std::to_string(log_lines), line});
        }
    }
    for (const auto& a : answers_) haystacks.push_back({"answer to " + a.what, a.text});
    for (const auto& hook : receiver.taken()) {
        std::string text = hook.body;
        for (const auto& [name, value] : hook.headers) text += "\n" + name + ": " + value;
        haystacks.push_back({"webhook", text});
    }
    haystacks.push_back({"metrics", metrics.body});

    std::size_t bytes = 0;
    for (const auto& h : haystacks) bytes += h.text.size();
    std::size_t hits = 0;
    std::size_t short_secrets = 0;
    for (const auto& [kind, secret] : secrets) {
        if (secret.size() < 8) {
            ++short_secrets;
            ADD_FAILURE() << "a " << kind << " shorter than 8 characters: " << secret.size();
            continue;
        }
        std::set<std::string> forms = {secret, percent_encoded(secret)};
        for (const auto& h : haystacks) {
            // The authorize answer hands the caller its flow's state, by design.
            if (kind == "OAuth state" && h.what.rfind("answer to authorize", 0) == 0) continue;
            for (const auto& form : forms) {
                if (h.text.find(form) == std::string::npos) continue;
                ++hits;
                ADD_FAILURE() << "a " << kind << " (" << secret.substr(0, 6) << "...) in the "
                              << h.what << ": " << h.text.substr(0, 2000);
            }
        }
    }
    EXPECT_EQ(hits, 0u);
    std::cout << "secret scan: " << secrets.size() << " secrets (" << from_simulator
              << " codes, tokens and verifiers from the simulator, " << completions_.size()
              << " completion codes, " << states_.size() << " OAuth states, " << jwts.size()
              << " JWTs, 6 keys and client secrets), "
              << short_secrets << " shorter than 8 characters; scanned " << log_lines
              << " log lines (" << debug_lines << " at debug), " << answers_.size() << " answers, " << receiver.taken().size()
              << " webhook requests and /metrics: " << haystacks.size() << " texts, " << bytes
              << " bytes; " << hits << " hits" << std::endl;
}

} // namespace secret_scan_test
} // namespace switchboard::e2e
