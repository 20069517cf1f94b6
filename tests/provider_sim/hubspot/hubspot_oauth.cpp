#include "tests/provider_sim/hubspot/hubspot_oauth.hpp"

#include "tests/provider_sim/common/digest.hpp"
#include "tests/provider_sim/common/text.hpp"
#include "tests/provider_sim/hubspot/hubspot_errors.hpp"
#include "tests/provider_sim/oauth/http_auth.hpp"
#include "tests/provider_sim/oauth/pkce.hpp"

#include <sstream>

namespace switchboard::sim {
namespace {

using nlohmann::json;

constexpr const char* kHubSpotName = "HubSpot";
constexpr const char* kHubSpotConsentFormAction = "/app.hubspot.com/oauth/authorize/consent";
constexpr auto kHubSpotCodeLifetime = std::chrono::minutes(10);

Response error_page(unsigned status, const std::string& title, const std::string& detail) {
    return Response::html(status, render_error_page(kHubSpotName, title, detail));
}

std::int64_t app_id_of(const std::string& client_id) {
    return std::stoll(stable_digits("hubspot-app:" + client_id, 7));
}

std::int64_t user_id_of(const std::string& email) {
    return std::stoll(stable_digits("hubspot-user:" + email, 8));
}

std::string hub_domain_of(std::int64_t hub_id) { return "hub-" + std::to_string(hub_id) + ".sim.hubspot.com"; }

} // namespace

void HubSpotOAuth::register_with(HubSpotApi& api) {
    api.add("oauth_authorize", [this](const HubSpotCall& c) { return authorize(c); }, true);
    api.add("oauth_token", [this](const HubSpotCall& c) { return token(c); }, true);
    api.add("oauth_access_token_info", [this](const HubSpotCall& c) { return access_token_info(c); }, true);
    api.add("oauth_refresh_token_info", [this](const HubSpotCall& c) { return refresh_token_info(c); }, true);
    api.add("oauth_refresh_token_delete", [this](const HubSpotCall& c) { return refresh_token_delete(c); }, true);
}

Response HubSpotOAuth::authorize(const HubSpotCall& call) {
    const OAuthClientConfig& client = state_.options().hubspot_client;
    const Params& q = call.request.query;
    if (param(q, "client_id") != std::optional<std::string>(client.id)) {
        return error_page(400, "BAD_CLIENT_ID", "The app's client_id is missing or unknown.");
    }
    const auto redirect_uri = param(q, "redirect_uri");
    if (!redirect_uri || !redirect_uri_allowed(client, *redirect_uri)) {
        return error_page(400, "BAD_REDIRECT_URI", "The redirect_uri is missing or not registered for the app.");
    }
    if (!call.issues.empty()) {
        std::string detail;
        for (const auto& i : call.issues) {
            detail += i.to_string() + "; ";
        }
        return error_page(400, "Invalid authorization request", detail);
    }
    if (const auto type = param(q, "response_type"); type && *type != "code") {
        return error_page(400, "Invalid authorization request", "response_type must be code");
    }
    const auto challenge = param(q, "code_challenge");
    const auto challenge_method = param(q, "code_challenge_method");
    if (challenge_method && (!challenge || *challenge_method != "S256")) {
        return error_page(400, "Invalid authorization request",
                          "code_challenge_method must be S256, with a code_challenge");
    }
    if (challenge && !pkce_verifier_well_formed(*challenge)) {
        return error_page(400, "Invalid authorization request", "code_challenge is malformed");
    }
    std::vector<std::string> scopes = split_spaces(param(q, "scope").value_or(""));
    for (const auto& s : split_spaces(param(q, "optional_scope").value_or(""))) {
        scopes.push_back(s); // the simulated user grants optional scopes too
    }
    for (const auto& s : scopes) {
        if (!state_.hubspot().known_scopes().contains(s)) {
            return error_page(400, "Invalid scope", "The scope '" + s + "' is not one the app may request.");
        }
    }
    PendingAuthorization pending;
    pending.code.grant.provider = Provider::hubspot;
    pending.code.grant.client_id = client.id;
    pending.code.grant.scopes = scopes;
    pending.code.redirect_uri = *redirect_uri;
    pending.code.issue_refresh_token = true;
    pending.code.code_challenge = challenge.value_or("");
    pending.code.code_challenge_method = challenge ? challenge_method.value_or("plain") : "";
    pending.state = param(q, "state").value_or("");
    pending.has_state = param(q, "state").has_value();
    pending.suggested_user = state_.options().default_user;
    if (state_.settings().auto_approve) {
        return approve(pending, pending.suggested_user);
    }
    const std::string id = state_.consent.add(pending);
    return Response::html(200, render_consent_page(kHubSpotName, id, pending, kHubSpotConsentFormAction));
}

Response HubSpotOAuth::consent(const Request& request, RecordedRequest& record) {
    record.provider = "hubspot";
    record.method_id = "oauth_consent";
    const auto form = parse_params(request.body);
    const auto id = form ? param(*form, "request") : std::nullopt;
    auto pending = id ? state_.consent.take(*id) : std::nullopt;
    if (!pending || pending->code.grant.provider != Provider::hubspot) {
        record.errors.push_back("unknown or expired consent request");
        return error_page(400, "Request expired", "This install request is unknown or has expired.");
    }
    if (param(*form, "decision") != std::optional<std::string>("approve")) {
        Params back{{"error", "access_denied"}};
        if (pending->has_state) {
            back.emplace_back("state", pending->state);
        }
        return Response::redirect(append_query(pending->code.redirect_uri, back));
    }
    const std::string user = param(*form, "email").value_or("");
    if (!looks_like_email(user)) {
        return error_page(400, "Invalid e-mail", "Enter the e-mail address of a HubSpot user.");
    }
    return approve(*pending, user);
}

Response HubSpotOAuth::approve(const PendingAuthorization& pending, const std::string& user) {
    AuthorizationCode code = pending.code;
    code.grant.user = user;
    code.grant.hub_id = SimState::hub_id_for(user);
    code.expires_at = state_.clock.now() + kHubSpotCodeLifetime;
    const std::string redirect_uri = code.redirect_uri;
    Params back{{"code", state_.tokens.issue_code(std::move(code))}};
    if (pending.has_state) {
        back.emplace_back("state", pending.state);
    }
    return Response::redirect(append_query(redirect_uri, back));
}

Response HubSpotOAuth::token(const HubSpotCall& call) {
    const json& form = call.body;
    const auto field = [&](const char* name) -> std::optional<std::string> {
        if (form.is_object() && form.contains(name) && form.at(name).is_string()) {
            return form.at(name).get<std::string>();
        }
        return std::nullopt;
    };
    const OAuthClientConfig& client = state_.options().hubspot_client;
    const auto grant_type = field("grant_type");
    if (grant_type != std::optional<std::string>("authorization_code") &&
        grant_type != std::optional<std::string>("refresh_token")) {
        return hubspot_oauth_error(400, "BAD_GRANT_TYPE", "missing or unknown grant_type");
    }
    if (field("client_id") != std::optional<std::string>(client.id)) {
        return hubspot_oauth_error(400, "BAD_CLIENT_ID", "missing or unknown client_id");
    }
    const auto secret = field("client_secret");
    if (!secret || !secret_equals(*secret, client.secret)) {
        return hubspot_oauth_error(400, "BAD_CLIENT_SECRET", "missing or invalid client_secret");
    }
    const SimSettings settings = state_.settings();
    IssuedTokens issued;
    Grant grant;
    if (*grant_type == "authorization_code") {
        const auto code = field("code");
        if (!code) {
            return hubspot_oauth_error(400, "BAD_AUTH_CODE", "missing or unknown auth code");
        }
        if (!field("redirect_uri")) {
            return hubspot_oauth_error(400, "BAD_REDIRECT_URI", "missing redirect_uri");
        }
        if (!call.issues.empty()) {
            return hubspot_oauth_error(400, "BAD_REQUEST", call.issues.front().message);
        }
        const auto redeemed = state_.tokens.redeem_code(Provider::hubspot, *code);
        if (redeemed.state == TokenStore::CodeState::expired) {
            return hubspot_oauth_error(400, "EXPIRED_AUTH_CODE", "auth code is expired");
        }
        if (redeemed.state != TokenStore::CodeState::valid || redeemed.code.grant.client_id != client.id) {
            return hubspot_oauth_error(400, "BAD_AUTH_CODE", "missing or unknown auth code");
        }
        if (redeemed.code.redirect_uri != *field("redirect_uri")) {
            return hubspot_oauth_error(400, "BAD_REDIRECT_URI", "redirect_uri does not match the authorization request");
        }
        if (!redeemed.code.code_challenge.empty()) {
            const auto verifier = field("code_verifier");
            if (verifier) state_.tokens.note_verifier(*verifier);
            if (!verifier || !pkce_verify(redeemed.code.code_challenge_method,
                                          redeemed.code.code_challenge, *verifier)) {
                return hubspot_oauth_error(400, "BAD_AUTH_CODE", "code_verifier does not match the code_challenge");
            }
        }
        grant = redeemed.code.grant;
        issued = state_.tokens.issue(grant, settings.hubspot_access_token_lifetime, true, redeemed.family);
    } else {
        const auto refresh_token = field("refresh_token");
        const auto stored = refresh_token ? state_.tokens.find_refresh(Provider::hubspot, *refresh_token)
                                          : std::nullopt;
        if (!stored || stored->grant.client_id != client.id) {
            return hubspot_oauth_error(400, "BAD_REFRESH_TOKEN", "missing or invalid refresh token");
        }
        if (!call.issues.empty()) {
            return hubspot_oauth_error(400, "BAD_REQUEST", call.issues.front().message);
        }
        grant = stored->grant;
        auto refreshed = state_.tokens.refresh(Provider::hubspot, *refresh_token,
                                               settings.hubspot_access_token_lifetime, settings.rotate_refresh_tokens);
        if (!refreshed) { // deleted meanwhile
            return hubspot_oauth_error(400, "BAD_REFRESH_TOKEN", "missing or invalid refresh token");
        }
        issued = std::move(*refreshed);
        if (!issued.refresh_token) {
            issued.refresh_token = *refresh_token; // HubSpot answers the same refresh token
        }
    }
    const json body{{"token_type", "bearer"},
                    {"refresh_token", *issued.refresh_token},
                    {"access_token", issued.access_token},
                    {"expires_in", issued.expires_in.count()},
                    {"hub_id", grant.hub_id},
                    {"scopes", grant.scopes}};
    return Response::json(200, body.dump());
}

Response HubSpotOAuth::access_token_info(const HubSpotCall& call) {
    const auto found = state_.tokens.find_access(Provider::hubspot, call.path("token"));
    if (found.state != TokenStore::AccessState::valid) {
        return hubspot_oauth_error(404, "NOT_FOUND", "access token not found or expired");
    }
    const Grant& g = found.token.grant;
    const json body{{"token", call.path("token")},
                    {"user", g.user},
                    {"hub_domain", hub_domain_of(g.hub_id)},
                    {"scopes", g.scopes},
                    {"hub_id", g.hub_id},
                    {"app_id", app_id_of(g.client_id)},
                    {"expires_in", found.remaining.count()},
                    {"user_id", user_id_of(g.user)},
                    {"token_type", "access"}};
    return Response::json(200, body.dump());
}

Response HubSpotOAuth::refresh_token_info(const HubSpotCall& call) {
    const auto found = state_.tokens.find_refresh(Provider::hubspot, call.path("token"));
    if (!found) {
        return hubspot_oauth_error(404, "NOT_FOUND", "refresh token not found");
    }
    const Grant& g = found->grant;
    const json body{{"token", call.path("token")},
                    {"user", g.user},
                    {"hub_domain", hub_domain_of(g.hub_id)},
                    {"scopes", g.scopes},
                    {"hub_id", g.hub_id},
                    {"client_id", g.client_id},
                    {"user_id", user_id_of(g.user)},
                    {"token_type", "refresh"}};
    return Response::json(200, body.dump());
}

Response HubSpotOAuth::refresh_token_delete(const HubSpotCall& call) {
    if (!state_.tokens.delete_refresh(Provider::hubspot, call.path("token"))) {
        return hubspot_oauth_error(404, "NOT_FOUND", "refresh token not found");
    }
    return Response::empty(204);
}

} // namespace switchboard::sim
