// Issue 14, point 6: isolation, proven. Three tenants, each with five connectors across the
// four providers, every connector on an account of its own at the simulator (typed on the
// consent page), and every account holding a marker of its own (a mail, an event, a folder,
// a contact) that only its tokens can read. Then thousands of random operations, each by a
// random tenant on a random connector, its own or another tenant's, through the REST API,
// the tools route, MCP and the proxy, plus callbacks and confirmations with another tenant's
// completion code or state. A model knows who owns what; every answer is checked against it:
// a foreign connector is answered as a missing one (same status and error code, nothing of
// its account in the body), an own connector works and shows its own account's marker and
// nobody else's (so no call went out with another tenant's token), a list holds exactly the
// tenant's connectors, as the model has them. A foreign refresh or delete is followed at once
// by the owner's read-back; every 100 operations every tenant's list is compared with the
// model (what a foreign read or action might have changed). At the end every connector is
// re-read through the API by every tenant, and every row of the database is checked.
//
// SB_ISOLATION_SEED replays a run (the seed is printed); SB_ISOLATION_OPERATIONS sets the
// count (default 10,000 on SQLite, 2,000 on PostgreSQL: the CI bound is per backend).
#include "tests/e2e/own_host.hpp"

#include <boost/url/url.hpp>
#include <soci/soci.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <regex>
#include <set>

namespace switchboard::e2e {
namespace isolation_test {

constexpr std::size_t kTenants = 3;
// How often (in operations) every tenant's list is compared with the model.
constexpr std::size_t kWorldCheckEvery = 100;

// A connector every tenant has, in the same place.
struct Slot {
    const char* provider;
    const char* type;
    const char* name;
    const char* list_action; // an action that lists what the account holds
    const char* proxy_path;  // a proxy GET that shows the account's marker ("" for Gmail: by id)
};

const std::vector<Slot>& slots() {
    static const std::vector<Slot> all = {
        {"gmail", "email", "Mail", "list_emails", ""},
        {"gmail", "email", "Mail 2", "list_emails", ""},
        {"google_calendar", "calendar", "Calendar", "list_events",
         "calendar/v3/calendars/primary/events?timeMin=2031-01-01T00:00:00Z&timeMax=2031-01-02T00:00:00Z"},
        {"google_drive", "drive", "Drive", "list_files", "drive/v3/files"},
        {"hubspot", "crm", "CRM", "list_contacts", "crm/v3/objects/contacts?properties=email"},
    };
    return all;
}

json list_params(const Slot& slot) {
    if (std::string(slot.list_action) == "list_events") {
        return {{"time_min", "2031-01-01T00:00:00Z"}, {"time_max", "2031-01-02T00:00:00Z"}};
    }
    return json::object();
}

std::string marker_of(std::size_t tenant, std::size_t slot) {
    return "isomark-t" + std::to_string(tenant) + "s" + std::to_string(slot);
}

std::string account_of(std::size_t tenant, std::size_t slot) {
    return marker_of(tenant, slot) + "@example.com";
}

// Every marker in `text`.
std::set<std::string> markers_in(const std::string& text) {
    static const std::regex marker("isomark-t[0-9]+s[0-9]+");
    std::set<std::string> found;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), marker); it != std::sregex_iterator(); ++it) {
        found.insert(it->str());
    }
    return found;
}

enum class Op {
    list, get, refresh, remove, action, write, tool_route, mcp_call, mcp_foreign_session, proxy,
    foreign_completion, crossed_state
};

const char* name_of(Op op) {
    switch (op) {
    case Op::list: return "list";
    case Op::get: return "get";
    case Op::refresh: return "refresh";
    case Op::remove: return "delete";
    case Op::action: return "action (REST connector route)";
    case Op::write: return "writing action (REST connector route)";
    case Op::tool_route: return "action (REST tools route)";
    case Op::mcp_call: return "action (MCP tools/call)";
    case Op::mcp_foreign_session: return "MCP with another tenant's session";
    case Op::proxy: return "proxy GET";
    case Op::foreign_completion: return "confirm another tenant's completion code";
    case Op::crossed_state: return "callback with another tenant's state";
    }
    return "?";
}

// Weights out of 1000.
const std::vector<std::pair<Op, int>>& weights() {
    static const std::vector<std::pair<Op, int>> all = {
        {Op::list, 100}, {Op::get, 120}, {Op::refresh, 80}, {Op::remove, 30},
        {Op::action, 130}, {Op::write, 70}, {Op::tool_route, 90}, {Op::mcp_call, 130},
        {Op::mcp_foreign_session, 40}, {Op::proxy, 170}, {Op::foreign_completion, 25},
        {Op::crossed_state, 15}};
    return all;
}

struct Connector {
    std::size_t tenant = 0;
    std::size_t slot = 0;
    json snapshot; // the connector as its owner last saw it
};

struct Tenant {
    std::string id;
    std::string token; // a JWT valid for ten minutes: minted again after five (see auth())
    std::chrono::steady_clock::time_point minted;
    std::string mcp_session;
};

std::uint64_t seed_from_environment() {
    if (const char* text = std::getenv("SB_ISOLATION_SEED"); text != nullptr && *text != '\0') {
        return std::stoull(text);
    }
    return std::random_device{}() * 0x100000000ull + std::random_device{}();
}

std::size_t operations_from_environment() {
    if (const char* text = std::getenv("SB_ISOLATION_OPERATIONS"); text != nullptr && *text != '\0') {
        return std::stoul(text);
    }
    return use_postgres() ? 2000 : 10000;
}

class Isolation : public OwnHostE2E {
protected:
    void SetUp() override {
        // Rate limits off: thousands of calls a minute from three tenants are the point here,
        // and waiting for tokens would only make the run longer.
        own_ = start_own_host({{"rate_limits", {{"enabled", false}}}});
        sim_->set_auto_approve(false);
        for (std::size_t t = 0; t < kTenants; ++t) {
            const std::string id = "iso-" + std::to_string(t);
            tenants_.push_back({id, token_for(id, "user-" + id), std::chrono::steady_clock::now(), ""});
        }
    }

    std::string url(const std::string& path) const { return own_.url(path); }

    // A run can outlast a JWT on a loaded machine: each tenant's is minted again (same tenant,
    // same user) once it is five minutes old.
    std::map<std::string, std::string> auth(std::size_t tenant, bool with_json = false) {
        Tenant& t = tenants_[tenant];
        if (std::chrono::steady_clock::now() - t.minted > std::chrono::minutes(5)) {
            t.token = token_for(t.id, "user-" + t.id);
            t.minted = std::chrono::steady_clock::now();
        }
        std::map<std::string, std::string> h = {{"Authorization", "Bearer " + t.token}};
        if (with_json) h["Content-Type"] = "application/json";
        return h;
    }

    HttpResult call(std::size_t tenant, const std::string& method, const std::string& path,
                    const json& body = nullptr) {
        return http_.request(method, url(path), auth(tenant, !body.is_null()),
                             body.is_null() ? std::string() : body.dump());
    }

    // ---- the browser's part of a connect flow -------------------------------------------

    // POST authorize, then the provider's consent page answered as `email`: the callback URL
    // the provider sends the browser to.
    std::string authorize_and_consent(std::size_t tenant, const Slot& slot, const std::string& name,
                                      const std::string& email) {
        auto start = call(tenant, "POST", "/api/v1/connectors/authorize",
                          {{"type", slot.type}, {"provider", slot.provider}, {"name", name}});
        if (start.status != 200) throw std::runtime_error("authorize: " + start.body);
        auto page = http_.get(start.json_body().at("authorization_url").get<std::string>());
        static const std::regex request_id(R"re(name="request" value="([^"]+)")re");
        static const std::regex action(R"re(<form method="post" action="([^"]+)")re");
        std::smatch id_match;
        std::smatch action_match;
        if (page.status != 200 || !std::regex_search(page.body, id_match, request_id) ||
            !std::regex_search(page.body, action_match, action)) {
            throw std::runtime_error("consent page: " + std::to_string(page.status) + " " + page.body);
        }
        auto allowed = http_.request("POST", sim_->url(action_match[1].str()),
                                     {{"Content-Type", "application/x-www-form-urlencoded"}},
                                     "request=" + id_match[1].str() + "&email=" + email +
                                         "&decision=approve");
        if (allowed.status != 302) throw std::runtime_error("consent: " + allowed.body);
        return allowed.header("Location");
    }

    // The callback: where the host sends the browser.
    std::string follow_callback(const std::string& callback_url) {
        auto back = http_.get(callback_url);
        if (back.status != 302) throw std::runtime_error("callback: " + back.body);
        return back.header("Location");
    }

    HttpResult complete(std::size_t tenant, const std::string& landing) {
        return call(tenant, "POST", "/api/v1/connectors/complete",
                    {{"completion", query_param(landing, "completion").value_or("")}});
    }

    // Connects `slot` for `tenant` on its account and records it in the model.
    std::string connect_slot(std::size_t tenant, std::size_t slot) {
        const Slot& s = slots()[slot];
        const std::string landing =
            follow_callback(authorize_and_consent(tenant, s, s.name, account_of(tenant, slot)));
        auto confirmed = complete(tenant, landing);
        if (confirmed.status != 201) throw std::runtime_error("complete: " + landing + " " + confirmed.body);
        json connector = confirmed.json_body();
        const std::string id = connector.at("id");
        EXPECT_EQ(connector.at("account_identity"), account_of(tenant, slot)) << connector.dump();
        model_[id] = Connector{tenant, slot, connector};
        return id;
    }

    // ---- the markers ----------------------------------------------------------------------

    HttpResult run_action(std::size_t tenant, const std::string& id, const std::string& action,
                          const json& params) {
        return call(tenant, "POST", "/api/v1/connectors/" + id + "/actions/" + action, params);
    }

    // An action that writes the marker of `c`'s account into it (a mail to itself, an event,
    // a folder, a contact), by `caller` on connector `id`; `n` makes it unique.
    HttpResult write_marker(std::size_t caller, const std::string& id, const Connector& c, std::size_t n) {
        const std::string marker = marker_of(c.tenant, c.slot);
        const std::string provider = slots()[c.slot].provider;
        if (provider == "gmail") {
            return run_action(caller, id, "send_email",
                              {{"to", {{{"email", account_of(c.tenant, c.slot)}}}},
                               {"subject", marker},
                               {"text_body", "the marker of " + marker + ", " + std::to_string(n)}});
        }
        if (provider == "google_calendar") {
            return run_action(caller, id, "create_event",
                              {{"summary", marker},
                               {"start", {{"date_time", "2031-01-01T10:00:00Z"}}},
                               {"end", {{"date_time", "2031-01-01T11:00:00Z"}}}});
        }
        if (provider == "google_drive") {
            return run_action(caller, id, "create_folder", {{"name", marker}});
        }
        return run_action(caller, id, "create_contact",
                          {{"email", marker + "-" + std::to_string(n) + "@example.com"}});
    }

    void seed_marker(const std::string& id) {
        const Connector& c = model_.at(id);
        const std::string marker = marker_of(c.tenant, c.slot);
        const std::string provider = slots()[c.slot].provider;
        const HttpResult r = write_marker(c.tenant, id, c, 0);
        ASSERT_EQ(r.status, 200) << provider << ": " << r.body;
        if (provider == "gmail") {
            auto listed = run_action(c.tenant, id, "list_emails", json::object());
            ASSERT_EQ(listed.status, 200) << listed.body;
            const json body = listed.json_body();
            for (const auto& e : body.at("result").at("emails")) {
                if (e.value("subject", "") == marker) gmail_message_[marker] = e.at("id");
            }
            ASSERT_TRUE(gmail_message_.count(marker)) << listed.body;
        }
    }

    // ---- checks ---------------------------------------------------------------------------

    // An own connector's answer: it worked, on the connector's own account.
    void expect_own_account(const char* what, const HttpResult& r, const Connector& c) {
        EXPECT_EQ(r.status, 200) << what << " " << slots()[c.slot].provider << ": " << r.body;
        const auto found = markers_in(r.body);
        EXPECT_EQ(found, std::set<std::string>{marker_of(c.tenant, c.slot)})
            << what << " on " << slots()[c.slot].provider << " of tenant " << c.tenant << ": " << r.body;
    }

    // A foreign connector's answer: exactly what a missing connector gets, and nothing of it.
    void expect_like_missing(Op op, const HttpResult& r, const std::string& foreign_id) {
        const auto& missing = missing_answer_.at(op);
        EXPECT_EQ(r.status, missing.first) << name_of(op) << " on a foreign connector: " << r.body;
        EXPECT_EQ(r.error_code(), missing.second) << name_of(op) << ": " << r.body;
        EXPECT_TRUE(markers_in(r.body).empty()) << name_of(op) << " on " << foreign_id << ": " << r.body;
    }

    // The owner still sees `id` as it was.
    void expect_unchanged(const std::string& id) {
        const Connector& c = model_.at(id);
        auto r = call(c.tenant, "GET", "/api/v1/connectors/" + id);
        ASSERT_EQ(r.status, 200) << "a foreign operation changed " << id << ": " << r.body;
        EXPECT_EQ(r.json_body(), c.snapshot);
        ++verifications_;
    }

    void expect_list_matches_model(std::size_t tenant) {
        auto r = call(tenant, "GET", "/api/v1/connectors");
        ASSERT_EQ(r.status, 200) << r.body;
        std::map<std::string, json> listed;
        const json body = r.json_body();
        for (const auto& c : body.at("connectors")) listed[c.at("id")] = c;
        std::map<std::string, json> expected;
        for (const auto& [id, c] : model_) {
            if (c.tenant == tenant) expected[id] = c.snapshot;
        }
        EXPECT_EQ(listed, expected) << "tenant " << tenant;
        ++verifications_;
    }

    // ---- MCP ------------------------------------------------------------------------------

    HttpResult mcp(std::size_t caller, const std::string& session, const json& message) {
        auto headers = auth(caller, true);
        headers["Accept"] = "application/json, text/event-stream";
        if (!session.empty()) headers["Mcp-Session-Id"] = session;
        return http_.request("POST", url("/mcp"), headers, message.dump());
    }

    void open_mcp_session(std::size_t tenant) {
        auto r = mcp(tenant, "", {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
                                  {"params", {{"protocolVersion", "2025-06-18"},
                                              {"capabilities", json::object()},
                                              {"clientInfo", {{"name", "isolation"}, {"version", "1"}}}}}});
        ASSERT_EQ(r.status, 200) << r.body;
        tenants_[tenant].mcp_session = r.header("Mcp-Session-Id");
        ASSERT_FALSE(tenants_[tenant].mcp_session.empty());
        auto initialized = mcp(tenant, tenants_[tenant].mcp_session,
                               {{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
        ASSERT_EQ(initialized.status, 202) << initialized.body;
    }

    HttpResult mcp_tool_call(std::size_t tenant, const std::string& tool, const json& arguments) {
        return mcp(tenant, tenants_[tenant].mcp_session,
                   {{"jsonrpc", "2.0"}, {"id", ++rpc_id_}, {"method", "tools/call"},
                    {"params", {{"name", tool}, {"arguments", arguments}}}});
    }

    // ---- the random operations --------------------------------------------------------------

    std::string own_connector(std::size_t tenant) {
        std::vector<std::string> own;
        for (const auto& [id, c] : model_) {
            if (c.tenant == tenant) own.push_back(id);
        }
        return own.at(pick(own.size()));
    }

    std::string foreign_connector(std::size_t tenant) {
        std::vector<std::string> foreign;
        for (const auto& [id, c] : model_) {
            if (c.tenant != tenant) foreign.push_back(id);
        }
        return foreign.at(pick(foreign.size()));
    }

    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

    void run(Op op, std::size_t tenant, bool own, const std::string& id);

    // The requests the simulator found invalid, but the token requests (the crossed-state
    // operation presents a code with another flow's PKCE verifier on purpose).
    json invalid_provider_calls() {
        json out = json::array();
        const json requests = sim_->admin("GET", "/_admin/requests?invalid=true");
        for (const auto& r : requests.at("requests")) {
            if (r.value("path", "").find("/token") == std::string::npos) out.push_back(r);
        }
        return out;
    }

    OwnHost own_;
    Client http_{true};
    std::vector<Tenant> tenants_;
    std::map<std::string, Connector> model_;
    std::map<std::string, std::string> gmail_message_; // marker -> its message id
    std::map<Op, std::pair<int, std::string>> missing_answer_;
    std::mt19937_64 rng_;
    std::map<std::string, std::size_t> counts_;
    std::size_t verifications_ = 0;
    std::size_t writes_ = 0;
    int rpc_id_ = 1;
};

void Isolation::run(Op op, std::size_t tenant, bool own, const std::string& id) {
    const Connector target = model_.at(id);
    const Slot& slot = slots()[target.slot];
    const std::string base = "/api/v1/connectors/" + id;
    switch (op) {
    case Op::list:
        expect_list_matches_model(tenant);
        return;
    case Op::get: {
        auto r = call(tenant, "GET", base);
        if (own) {
            EXPECT_EQ(r.status, 200) << r.body;
            EXPECT_EQ(r.json_body(), target.snapshot);
        } else {
            expect_like_missing(op, r, id);
        }
        return;
    }
    case Op::refresh: {
        auto r = call(tenant, "POST", base + "/refresh");
        if (own) {
            ASSERT_EQ(r.status, 200) << r.body;
            const json refreshed = r.json_body();
            EXPECT_EQ(refreshed.at("id"), id);
            EXPECT_EQ(refreshed.at("status"), "active");
            model_[id].snapshot = refreshed;
        } else {
            expect_like_missing(op, r, id);
            expect_unchanged(id);
        }
        return;
    }
    case Op::remove: {
        auto r = call(tenant, "DELETE", base);
        if (own) {
            ASSERT_EQ(r.status, 204) << r.body;
            model_.erase(id);
            auto gone = call(tenant, "GET", base);
            EXPECT_EQ(gone.status, 404) << gone.body;
            // Reconnected on the same account, to keep the world populated.
            connect_slot(tenant, target.slot);
        } else {
            expect_like_missing(op, r, id);
            expect_unchanged(id);
        }
        return;
    }
    case Op::action: {
        auto r = run_action(tenant, id, slot.list_action, list_params(slot));
        if (own) {
            expect_own_account("action", r, target);
        } else {
            expect_like_missing(op, r, id);
        }
        return;
    }
    case Op::write: {
        // Own: the owner's marker, written into its own account. Foreign: the caller tries to
        // write into another tenant's account (the end checks every mailbox and CRM).
        auto r = write_marker(tenant, id, target, ++writes_);
        if (own) {
            EXPECT_EQ(r.status, 200) << r.body;
            EXPECT_TRUE(markers_in(r.body).empty() ||
                        markers_in(r.body) == std::set<std::string>{marker_of(target.tenant, target.slot)})
                << r.body;
        } else {
            expect_like_missing(op, r, id);
        }
        return;
    }
    case Op::tool_route: {
        auto r = call(tenant, "POST",
                      std::string("/api/v1/actions/") + slot.type + "." + slot.list_action,
                      {{"params", list_params(slot)}, {"connector_id", id}});
        if (own) {
            expect_own_account("tools route", r, target);
        } else {
            expect_like_missing(op, r, id);
        }
        return;
    }
    case Op::mcp_call: {
        const std::string tool = std::string(slot.type) + "_" + slot.list_action;
        json arguments = list_params(slot);
        // Two mail connectors: the tool takes `connector`, naming one. Foreign: the other
        // tenant's connector id, which must name nothing here.
        const bool choice = std::string(slot.type) == "email";
        if (own && choice) arguments["connector"] = slot.name;
        if (!own) arguments["connector"] = id;
        auto r = mcp_tool_call(tenant, tool, arguments);
        ASSERT_EQ(r.status, 200) << r.body;
        const json result = r.json_body().at("result");
        if (own) {
            EXPECT_EQ(result.at("isError"), false) << r.body;
            EXPECT_EQ(markers_in(r.body), std::set<std::string>{marker_of(target.tenant, target.slot)})
                << r.body;
        } else {
            // Refused (an unknown connector value, or an argument the action does not take):
            // nothing of the other tenant's account in the answer.
            EXPECT_EQ(result.at("isError"), true) << r.body;
            EXPECT_TRUE(markers_in(r.body).empty()) << r.body;
        }
        return;
    }
    case Op::mcp_foreign_session: {
        // `tenant` presents the session of the owner of `id` (another tenant).
        const std::string& session = tenants_[target.tenant].mcp_session;
        auto r = mcp(tenant, session, {{"jsonrpc", "2.0"}, {"id", ++rpc_id_}, {"method", "tools/list"}});
        EXPECT_EQ(r.status, 404) << r.body;
        EXPECT_TRUE(markers_in(r.body).empty()) << r.body;
        EXPECT_EQ(r.body.find(slot.list_action), std::string::npos) << r.body;
        return;
    }
    case Op::proxy: {
        std::string path = slot.proxy_path;
        if (path.empty()) {
            path = "gmail/v1/users/me/messages/" +
                   gmail_message_.at(marker_of(target.tenant, target.slot)) +
                   "?format=metadata&metadataHeaders=Subject";
        }
        auto r = http_.get(url(base + "/proxy/" + path), auth(tenant));
        if (own) {
            expect_own_account("proxy", r, target);
        } else {
            expect_like_missing(op, r, id);
        }
        return;
    }
    case Op::foreign_completion: {
        // The owner of `id` starts a flow (a mailbox of its own); `tenant` (another one)
        // presents its completion code.
        const std::size_t starter = target.tenant;
        const std::string landing = follow_callback(authorize_and_consent(
            starter, slots()[0], "Pending", "iso-pending-" + std::to_string(starter) + "@example.com"));
        ASSERT_TRUE(query_param(landing, "completion")) << landing;
        auto stolen = complete(tenant, landing);
        EXPECT_EQ(stolen.status, 403) << stolen.body;
        EXPECT_EQ(stolen.error_code(), "completion_forbidden") << stolen.body;
        EXPECT_EQ(find_secret(stolen.body), "") << stolen.body;
        // Discarded: not even its starter can confirm it now.
        auto late = complete(starter, landing);
        EXPECT_EQ(late.status, 404) << late.body;
        EXPECT_EQ(late.error_code(), "completion_not_found") << late.body;
        expect_list_matches_model(tenant);
        expect_list_matches_model(starter);
        return;
    }
    case Op::crossed_state: {
        // Two flows, the owner of `id`'s and `tenant`'s, both consented; the callback gets
        // the owner's state with `tenant`'s code. The code was issued for another PKCE
        // challenge: the exchange fails, and nothing lands anywhere.
        const std::size_t victim = target.tenant;
        const std::string theirs = authorize_and_consent(
            victim, slots()[0], "Pending", "iso-pending-" + std::to_string(victim) + "@example.com");
        const std::string mine = authorize_and_consent(
            tenant, slots()[0], "Pending", "iso-pending-" + std::to_string(tenant) + "@example.com");
        const std::string state = query_param(theirs, "state").value_or("");
        const std::string code = query_param(mine, "code").value_or("");
        ASSERT_FALSE(state.empty());
        ASSERT_FALSE(code.empty());
        boost::urls::url crossed(theirs);
        crossed.params().set("code", code);
        const std::string landing = follow_callback(std::string(crossed.buffer()));
        EXPECT_EQ(query_param(landing, "success"), std::optional<std::string>("false")) << landing;
        EXPECT_FALSE(query_param(landing, "completion")) << landing;
        expect_list_matches_model(tenant);
        expect_list_matches_model(victim);
        return;
    }
    }
}

TEST_F(Isolation, NoTenantEverReadsChangesOrActsOnAnothersConnector) {
    const std::uint64_t seed = seed_from_environment();
    const std::size_t operations = operations_from_environment();
    std::cout << "isolation: seed " << seed << " (SB_ISOLATION_SEED=" << seed
              << " replays it), " << operations << " operations" << std::endl;
    rng_.seed(seed);
    const auto started = std::chrono::steady_clock::now();

    // The world: every tenant's connectors, each on an account of its own with its marker.
    for (std::size_t t = 0; t < kTenants; ++t) {
        for (std::size_t s = 0; s < slots().size(); ++s) {
            const std::string id = connect_slot(t, s);
            ASSERT_NO_FATAL_FAILURE(seed_marker(id));
        }
        ASSERT_NO_FATAL_FAILURE(open_mcp_session(t));
    }
    // Markers are in place: snapshots as the owners see them now.
    for (auto& [id, c] : model_) c.snapshot = call(c.tenant, "GET", "/api/v1/connectors/" + id).json_body();

    // What a missing connector gets, per operation: the answer a foreign one must get too.
    const std::string missing = "00000000-0000-4000-8000-000000000000";
    const std::string m = "/api/v1/connectors/" + missing;
    auto remember = [&](Op op, const HttpResult& r) {
        ASSERT_EQ(r.status / 100, 4) << name_of(op) << ": " << r.body;
        missing_answer_[op] = {r.status, r.error_code()};
    };
    remember(Op::get, call(0, "GET", m));
    remember(Op::refresh, call(0, "POST", m + "/refresh"));
    remember(Op::remove, call(0, "DELETE", m));
    remember(Op::action, run_action(0, missing, "list_emails", json::object()));
    remember(Op::write, run_action(0, missing, "send_email",
                                   {{"to", {{{"email", "nobody@example.com"}}}}, {"subject", "x"}}));
    remember(Op::tool_route, call(0, "POST", "/api/v1/actions/email.list_emails",
                                  {{"params", json::object()}, {"connector_id", missing}}));
    remember(Op::proxy, http_.get(url(m + "/proxy/gmail/v1/users/me/labels"), auth(0)));
    const std::size_t invalid_before = invalid_provider_calls().size();
    const double setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    int total_weight = 0;
    for (const auto& [op, w] : weights()) total_weight += w;
    std::size_t foreign_ops = 0;
    for (std::size_t i = 0; i < operations; ++i) {
        int roll = std::uniform_int_distribution<int>(0, total_weight - 1)(rng_);
        Op op = weights().front().first;
        for (const auto& [candidate, w] : weights()) {
            if (roll < w) {
                op = candidate;
                break;
            }
            roll -= w;
        }
        const std::size_t tenant = pick(kTenants);
        // A list is the tenant's own; the flows across tenants and the foreign session always
        // involve another tenant; the rest target an own or a foreign connector, half and half.
        const bool always_foreign = op == Op::mcp_foreign_session || op == Op::foreign_completion ||
                                    op == Op::crossed_state;
        const bool own = op == Op::list || (!always_foreign && pick(2) == 0);
        const std::string id = own ? own_connector(tenant) : foreign_connector(tenant);
        const std::string key = std::string(name_of(op)) + (own ? ", own" : ", foreign");
        ++counts_[key];
        if (!own) ++foreign_ops;
        SCOPED_TRACE("operation " + std::to_string(i) + ": " + key + " by tenant " +
                     std::to_string(tenant) + " on " + id + " (seed " + std::to_string(seed) + ")");
        run(op, tenant, own, id);
        // Every tenant's connectors as their owners see them, against the model: what a
        // foreign read or action might have changed shows here (a foreign refresh or delete
        // is checked at once).
        if (i % kWorldCheckEvery == kWorldCheckEvery - 1) {
            for (std::size_t t = 0; t < kTenants; ++t) expect_list_matches_model(t);
        }
        if (HasFailure()) break; // the seed and the operation say how to replay it
    }
    const double run_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() - setup_seconds;

    // The end: every connector through the API, every row of the database.
    for (std::size_t t = 0; t < kTenants; ++t) expect_list_matches_model(t);
    for (const auto& [id, c] : model_) {
        for (std::size_t t = 0; t < kTenants; ++t) {
            auto r = call(t, "GET", "/api/v1/connectors/" + id);
            if (t == c.tenant) {
                EXPECT_EQ(r.status, 200) << r.body;
                EXPECT_EQ(r.json_body(), c.snapshot);
            } else {
                EXPECT_EQ(r.status, 404) << r.body;
            }
        }
    }
    store::DatabaseOptions options;
    options.pool_size = 1;
    options.migrate = false;
    auto database = store::Database::open(own_.database_url, options);
    ASSERT_TRUE(database) << database.error().message;
    std::size_t rows = 0;
    auto read = (*database)->with_session("reading every connector", [&](soci::session& sql) {
        soci::rowset<soci::row> all = (sql.prepare << "SELECT id, tenant_id, user_id, provider, "
                                                      "status, account_identity FROM connector_accounts");
        for (const auto& row : all) {
            ++rows;
            const std::string id = row.get<std::string>(0);
            const auto it = model_.find(id);
            if (it == model_.end()) {
                ADD_FAILURE() << "a row the model does not know: " << id << " tenant "
                              << row.get<std::string>(1) << " status " << row.get<std::string>(4);
                continue;
            }
            const Connector& c = it->second;
            EXPECT_EQ(row.get<std::string>(1), tenants_[c.tenant].id) << id;
            EXPECT_EQ(row.get<std::string>(2), "user-" + tenants_[c.tenant].id) << id;
            EXPECT_EQ(row.get<std::string>(3), slots()[c.slot].provider) << id;
            EXPECT_EQ(row.get<std::string>(4), "active") << id;
            EXPECT_EQ(row.get<std::string>(5), account_of(c.tenant, c.slot)) << id;
        }
        return Result<void>();
    });
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(rows, model_.size());
    // What the simulator holds: every mailbox and every CRM only its own account's markers,
    // however many writes went to whichever connector.
    for (std::size_t t = 0; t < kTenants; ++t) {
        for (std::size_t s = 0; s < slots().size(); ++s) {
            const std::string provider = slots()[s].provider;
            json held;
            if (provider == "gmail") {
                held = sim_->admin("GET", "/_admin/gmail/messages?account=" + account_of(t, s));
            } else if (provider == "hubspot") {
                held = sim_->admin("GET", "/_admin/hubspot/contacts?user=" + account_of(t, s));
            } else {
                continue;
            }
            EXPECT_EQ(markers_in(held.dump()), std::set<std::string>{marker_of(t, s)}) << held.dump();
        }
    }
    // Every request the host made to the simulator matched the providers' descriptions.
    const json invalid = invalid_provider_calls();
    EXPECT_EQ(invalid.size(), invalid_before) << invalid.dump();

    std::cout << "isolation: " << operations << " operations (" << foreign_ops
              << " on another tenant's connector, session or flow) by " << kTenants
              << " tenants on " << model_.size() << " connectors in " << run_seconds
              << " s (set-up " << setup_seconds << " s), " << verifications_
              << " extra read-backs; by kind:\n";
    for (const auto& [key, n] : counts_) std::cout << "  " << key << ": " << n << "\n";
    std::cout << "  database rows checked at the end: " << rows << std::endl;
}

} // namespace isolation_test
} // namespace switchboard::e2e
