#include "tests/provider_sim/admin/admin_api.hpp"

#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/provider_sim.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace switchboard::sim {
namespace {

using nlohmann::json;

Response ok(const json& body, unsigned status = 200) { return Response::json(status, body.dump()); }

Response fail(unsigned status, const std::string& code, const std::string& message) {
    return ok(json{{"error", {{"code", code}, {"message", message}}}}, status);
}

std::optional<json> body_json(const Request& request) {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return json::object();
    }
    try {
        return json::parse(request.body);
    } catch (const json::parse_error&) {
        return std::nullopt;
    }
}

json settings_json(const SimSettings& s) {
    return {{"auto_approve", s.auto_approve},
            {"google_access_token_lifetime", s.google_access_token_lifetime.count()},
            {"hubspot_access_token_lifetime", s.hubspot_access_token_lifetime.count()},
            {"rotate_refresh_tokens", s.rotate_refresh_tokens}};
}

json record_json(const CrmService::Record& r) {
    json props = json::object();
    for (const auto& [name, value] : r.properties) {
        props[name] = value ? json(*value) : json(nullptr);
    }
    json associations = json::object();
    for (const auto& [type, ids] : r.associations) {
        associations[type] = ids;
    }
    return {{"id", r.id}, {"properties", props}, {"archived", r.archived}, {"associations", associations}};
}

} // namespace

Response AdminApi::handle(const Request& request) {
    std::vector<std::string> s(request.segments.begin() + 1, request.segments.end());
    const std::string& verb = request.method;
    const auto is = [&](std::string_view method, std::initializer_list<std::string_view> path) {
        return verb == method && s.size() == path.size() && std::equal(path.begin(), path.end(), s.begin());
    };
    const auto body = body_json(request);
    if (!body || !body->is_object()) {
        return fail(400, "invalid_json", "the request body must be a JSON object");
    }

    if (is("GET", {"health"})) {
        return ok({{"status", "ok"}, {"base_url", sim_.base_url()}});
    }
    if (is("GET", {"requests"})) {
        const bool invalid_only = param(request.query, "invalid") == std::optional<std::string>("true");
        json out = json::array();
        for (const auto& r : invalid_only ? sim_.validation_failures() : sim_.requests()) {
            out.push_back(to_json(r));
        }
        return ok({{"requests", out}});
    }
    if (is("DELETE", {"requests"})) {
        sim_.clear_requests();
        return Response::empty(204);
    }
    if (is("GET", {"counters"})) {
        return ok({{"calls", sim_.counters()}, {"faults_hit", sim_.faults_hit()}});
    }
    if (is("GET", {"faults"})) {
        json out = json::array();
        for (const auto& [id, rule] : sim_.faults()) {
            json j = to_json(rule);
            j["id"] = id;
            out.push_back(std::move(j));
        }
        return ok({{"faults", out}});
    }
    if (is("POST", {"faults"})) {
        auto rule = fault_rule_from_json(*body);
        if (!rule) {
            return fail(400, rule.error().code, rule.error().message);
        }
        json j = to_json(*rule);
        j["id"] = sim_.add_fault(std::move(*rule));
        return ok(j, 201);
    }
    if (is("DELETE", {"faults"})) {
        sim_.clear_faults();
        return Response::empty(204);
    }
    if (verb == "DELETE" && s.size() == 2 && s[0] == "faults") {
        std::uint64_t id = 0;
        const auto [end, ec] = std::from_chars(s[1].data(), s[1].data() + s[1].size(), id);
        if (ec != std::errc() || end != s[1].data() + s[1].size() || !sim_.remove_fault(id)) {
            return fail(404, "unknown_fault", "no fault rule with id '" + s[1] + "'");
        }
        return Response::empty(204);
    }
    if (is("GET", {"secrets"})) {
        return ok({{"secrets", sim_.issued_secrets()}});
    }
    if (is("POST", {"tokens", "expire"})) {
        std::optional<Provider> provider;
        const std::string name = body->value("provider", "");
        if (name == "google") {
            provider = Provider::google;
        } else if (name == "hubspot") {
            provider = Provider::hubspot;
        } else if (!name.empty()) {
            return fail(400, "invalid_provider", "provider must be google or hubspot");
        }
        return ok({{"expired", sim_.expire_access_tokens(provider)}});
    }
    if (is("POST", {"hubspot", "private-apps"})) {
        const auto user = body->find("user");
        const auto scopes = body->find("scopes");
        if (user == body->end() || !user->is_string() || user->get_ref<const std::string&>().empty() ||
            scopes == body->end() || !scopes->is_array()) {
            return fail(400, "invalid_request", "give user (the account's e-mail) and scopes (a list)");
        }
        std::vector<std::string> granted;
        for (const auto& scope : *scopes) {
            if (!scope.is_string()) {
                return fail(400, "invalid_request", "scopes are strings");
            }
            granted.push_back(scope.get<std::string>());
        }
        const std::string token = sim_.issue_private_app_token(user->get<std::string>(), granted);
        return ok({{"token", token}, {"hub_id", SimState::hub_id_for(user->get<std::string>())}}, 201);
    }
    if (is("POST", {"tokens", "revoke"})) {
        if (body->contains("access_token") && body->at("access_token").is_string()) {
            return ok({{"revoked", sim_.revoke_access_token(body->at("access_token").get<std::string>()) ? 1 : 0}});
        }
        if (body->contains("refresh_token") && body->at("refresh_token").is_string()) {
            return ok({{"revoked", sim_.revoke_refresh_token(body->at("refresh_token").get<std::string>()) ? 1 : 0}});
        }
        if (body->contains("user") && body->at("user").is_string()) {
            return ok({{"revoked", sim_.revoke_refresh_tokens_of(body->at("user").get<std::string>())}});
        }
        return fail(400, "invalid_request", "give access_token, refresh_token or user");
    }
    if (is("POST", {"clock", "advance"})) {
        if (!body->contains("seconds") || !body->at("seconds").is_number_integer() ||
            body->at("seconds").get<long long>() < 0) {
            return fail(400, "invalid_request", "seconds must be a non-negative integer");
        }
        sim_.advance_clock(std::chrono::seconds(body->at("seconds").get<long long>()));
        return ok({{"advanced", body->at("seconds")}});
    }
    if (is("GET", {"settings"})) {
        return ok(settings_json(sim_.settings()));
    }
    if (is("PUT", {"settings"})) {
        SimSettings settings = sim_.settings();
        try {
            settings.auto_approve = body->value("auto_approve", settings.auto_approve);
            settings.rotate_refresh_tokens = body->value("rotate_refresh_tokens", settings.rotate_refresh_tokens);
            settings.google_access_token_lifetime = std::chrono::seconds(
                body->value("google_access_token_lifetime", settings.google_access_token_lifetime.count()));
            settings.hubspot_access_token_lifetime = std::chrono::seconds(
                body->value("hubspot_access_token_lifetime", settings.hubspot_access_token_lifetime.count()));
        } catch (const json::exception&) {
            return fail(400, "invalid_settings", "a setting has the wrong type");
        }
        sim_.set_settings(settings);
        return ok(settings_json(settings));
    }
    if (is("GET", {"gmail", "messages"})) {
        const auto account = param(request.query, "account");
        if (!account) {
            return fail(400, "invalid_request", "give ?account=<e-mail>");
        }
        json out = json::array();
        for (const auto& m : sim_.gmail_messages(*account)) {
            json j = to_json(m.parsed);
            j["id"] = m.id;
            j["thread_id"] = m.thread_id;
            j["labels"] = m.labels;
            j["internal_date"] = format_rfc3339(m.internal_date);
            out.push_back(std::move(j));
        }
        return ok({{"messages", out}});
    }
    if (verb == "GET" && s.size() == 2 && s[0] == "hubspot" && (s[1] == "contacts" || s[1] == "deals")) {
        const auto user = param(request.query, "user");
        if (!user) {
            return fail(400, "invalid_request", "give ?user=<e-mail> (the HubSpot account's user)");
        }
        json out = json::array();
        for (const auto& r : sim_.hubspot_records(*user, s[1])) {
            out.push_back(record_json(r));
        }
        return ok({{s[1], out}, {"hub_id", SimState::hub_id_for(*user)}});
    }
    if (is("POST", {"reset"})) {
        sim_.reset();
        return Response::empty(204);
    }
    return fail(404, "unknown_admin_endpoint", "no admin endpoint " + verb + " " + request.path);
}

} // namespace switchboard::sim
