#include "tests/provider_sim/google/google_oauth.hpp"

#include "tests/provider_sim/common/digest.hpp"
#include "tests/provider_sim/common/text.hpp"
#include "tests/provider_sim/google/google_errors.hpp"
#include "tests/provider_sim/oauth/http_auth.hpp"
#include "tests/provider_sim/oauth/pkce.hpp"
#include "tests/provider_sim/validation/google_catalog.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>

namespace switchboard::sim {
namespace {

constexpr const char* kGoogleName = "Google";
constexpr const char* kGoogleConsentFormAction = "/accounts.google.com/o/oauth2/v2/auth/consent";
constexpr auto kGoogleCodeLifetime = std::chrono::minutes(10);

// Google grants the short identity scopes under their long names.
std::string normalize_scope(const std::string& scope) {
    if (scope == "email") {
        return "https://www.googleapis.com/auth/userinfo.email";
    }
    if (scope == "profile") {
        return "https://www.googleapis.com/auth/userinfo.profile";
    }
    return scope;
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        out += (out.empty() ? "" : " ") + w;
    }
    return out;
}

// The first parameter given twice, if any (RFC 6749 §3.1: "MUST NOT be included more than once").
std::optional<std::string> repeated_param(const Params& params) {
    std::set<std::string> seen;
    for (const auto& [name, value] : params) {
        if (!seen.insert(name).second) {
            return name;
        }
    }
    return std::nullopt;
}

Response error_page(RecordedRequest& record, unsigned status, const std::string& title,
                    const std::string& detail) {
    record.errors.push_back(title + ": " + detail);
    return Response::html(status, render_error_page(kGoogleName, "Error " + std::to_string(status) + ": " + title, detail));
}

Response token_error(RecordedRequest& record, unsigned status, const std::string& error,
                     const std::string& description, bool is_request_error) {
    // Only malformed requests are validation failures; a revoked token is not the client's bug.
    if (is_request_error) {
        record.errors.push_back(error + ": " + description);
    }
    return oauth_error(status, error, description);
}

} // namespace

Response GoogleOAuth::handle(const Request& request, RecordedRequest& record) {
    record.provider = "google";
    const auto& s = request.segments;
    const auto is = [&](std::initializer_list<std::string_view> path) {
        return s.size() == path.size() && std::equal(path.begin(), path.end(), s.begin());
    };
    if (is({"accounts.google.com", "o", "oauth2", "v2", "auth"}) && request.method == "GET") {
        return authorize(request, record);
    }
    if (is({"accounts.google.com", "o", "oauth2", "v2", "auth", "consent"}) && request.method == "POST") {
        return consent(request, record);
    }
    if (is({"oauth2.googleapis.com", "token"}) && request.method == "POST") {
        return token(request, record);
    }
    if (is({"oauth2.googleapis.com", "revoke"}) && request.method == "POST") {
        return revoke(request, record);
    }
    if (is({"openidconnect.googleapis.com", "v1", "userinfo"}) &&
        (request.method == "GET" || request.method == "POST")) {
        return userinfo(request, record);
    }
    record.errors.push_back("no Google OAuth endpoint at " + request.method + " " + request.path);
    return Response::html(404, render_error_page(kGoogleName, "Error 404 (Not Found)",
                                                 "The requested URL was not found on this server."));
}

Response GoogleOAuth::authorize(const Request& request, RecordedRequest& record) {
    record.method_id = "oauth2.authorize";
    const Params& q = request.query;
    const OAuthClientConfig& client = state_.options().google_client;

    if (const auto repeated = repeated_param(q)) {
        return error_page(record, 400, "invalid_request", "Parameter given more than once: " + *repeated);
    }
    const auto client_id = param(q, "client_id");
    if (!client_id || *client_id != client.id) {
        return error_page(record, 401, "invalid_client", "The OAuth client was not found.");
    }
    const auto redirect_uri = param(q, "redirect_uri");
    if (!redirect_uri) {
        return error_page(record, 400, "invalid_request", "Missing required parameter: redirect_uri");
    }
    if (!redirect_uri_allowed(client, *redirect_uri)) {
        return error_page(record, 400, "redirect_uri_mismatch",
                          "The redirect URI in the request does not match the ones authorized for the OAuth client.");
    }
    const auto response_type = param(q, "response_type");
    if (!response_type) {
        return error_page(record, 400, "invalid_request", "Required parameter is missing: response_type");
    }
    if (*response_type != "code") {
        return error_page(record, 400, "unsupported_response_type",
                          "Invalid response_type: " + *response_type);
    }
    const auto scope = param(q, "scope");
    if (!scope || split_spaces(*scope).empty()) {
        return error_page(record, 400, "invalid_request", "Missing required parameter: scope");
    }
    std::vector<std::string> invalid;
    std::vector<std::string> scopes;
    for (const auto& s : split_spaces(*scope)) {
        if (!state_.google().known_scopes().contains(s)) {
            invalid.push_back(s);
        }
        const std::string normalized = normalize_scope(s);
        if (std::find(scopes.begin(), scopes.end(), normalized) == scopes.end()) {
            scopes.push_back(normalized);
        }
    }
    if (!invalid.empty()) {
        return error_page(record, 400, "invalid_scope",
                          "Some requested scopes were invalid. {invalid=[" + join(invalid) + "]}");
    }
    const auto challenge = param(q, "code_challenge");
    std::string method = param(q, "code_challenge_method").value_or(challenge ? "plain" : "");
    if (!challenge && param(q, "code_challenge_method")) {
        return error_page(record, 400, "invalid_request", "code_challenge_method without code_challenge");
    }
    if (challenge) {
        if (method != "S256" && method != "plain") {
            return error_page(record, 400, "invalid_request", "Invalid code_challenge_method: " + method);
        }
        if (!pkce_verifier_well_formed(*challenge)) {
            return error_page(record, 400, "invalid_request",
                              "Invalid code_challenge: 43 to 128 characters of [A-Za-z0-9-._~] expected");
        }
    }
    const std::string access_type = param(q, "access_type").value_or("online");
    if (access_type != "online" && access_type != "offline") {
        return error_page(record, 400, "invalid_request", "Invalid access_type: " + access_type);
    }
    const std::string prompt = param(q, "prompt").value_or("");
    const auto prompts = split_spaces(prompt);
    for (const auto& p : prompts) {
        if (p != "none" && p != "consent" && p != "select_account") {
            return error_page(record, 400, "invalid_request", "Invalid prompt: " + prompt);
        }
    }
    if (std::find(prompts.begin(), prompts.end(), "none") != prompts.end() && prompts.size() > 1) {
        return error_page(record, 400, "invalid_request", "prompt=none cannot be combined with other values");
    }
    std::string user = state_.options().default_user;
    if (const auto hint = param(q, "login_hint"); hint && looks_like_email(*hint)) {
        user = *hint;
    }

    PendingAuthorization pending;
    pending.code.grant.provider = Provider::google;
    pending.code.grant.client_id = client.id;
    pending.code.grant.scopes = scopes;
    pending.code.redirect_uri = *redirect_uri;
    pending.code.code_challenge = challenge.value_or("");
    pending.code.code_challenge_method = challenge ? method : "";
    pending.code.issue_refresh_token = access_type == "offline";
    pending.state = param(q, "state").value_or("");
    pending.has_state = param(q, "state").has_value();
    pending.suggested_user = user;
    pending.prompt = prompt;
    pending.include_granted_scopes = param(q, "include_granted_scopes") == std::optional<std::string>("true");

    if (state_.settings().auto_approve) {
        return approve(pending, user);
    }
    if (prompt == "none") {
        // No signed-in browser session exists in the simulator.
        Params back{{"error", "interaction_required"}};
        if (pending.has_state) {
            back.emplace_back("state", pending.state);
        }
        return Response::redirect(append_query(*redirect_uri, back));
    }
    const std::string id = state_.consent.add(pending);
    return Response::html(200, render_consent_page(kGoogleName, id, pending, kGoogleConsentFormAction));
}

Response GoogleOAuth::consent(const Request& request, RecordedRequest& record) {
    record.method_id = "oauth2.consent";
    const auto form = parse_params(request.body);
    const auto id = form ? param(*form, "request") : std::nullopt;
    auto pending = id ? state_.consent.take(*id) : std::nullopt;
    if (!pending) {
        return error_page(record, 400, "invalid_request",
                          "This sign-in request is unknown or has expired; start again from the application.");
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
        return error_page(record, 400, "invalid_request", "Enter the e-mail address of an account.");
    }
    return approve(*pending, user);
}

Response GoogleOAuth::approve(const PendingAuthorization& pending, const std::string& user) {
    AuthorizationCode code = pending.code;
    code.grant.user = user;
    if (pending.include_granted_scopes) {
        for (auto& s : state_.tokens.granted_scopes(Provider::google, code.grant.client_id, user)) {
            if (!code.grant.has_scope(s)) {
                code.grant.scopes.push_back(s);
            }
        }
    }
    // Google returns a refresh token on the first offline consent only, or again when the
    // client forces the consent screen (providers/google_oauth.md §1).
    const bool forced_consent = pending.prompt.find("consent") != std::string::npos;
    code.issue_refresh_token =
        code.issue_refresh_token &&
        (forced_consent || !state_.tokens.has_refresh(Provider::google, code.grant.client_id, user));
    code.expires_at = state_.clock.now() + kGoogleCodeLifetime;
    const std::string scope = join(code.grant.scopes);
    const std::string redirect_uri = code.redirect_uri;
    Params back;
    if (pending.has_state) {
        back.emplace_back("state", pending.state);
    }
    back.emplace_back("code", state_.tokens.issue_code(std::move(code)));
    back.emplace_back("scope", scope);
    back.emplace_back("authuser", "0");
    back.emplace_back("prompt", forced_consent ? "consent" : "none");
    return Response::redirect(append_query(redirect_uri, back));
}

Response GoogleOAuth::token(const Request& request, RecordedRequest& record) {
    record.method_id = "oauth2.token";
    if (request.media_type() != "application/x-www-form-urlencoded") {
        return token_error(record, 400, "invalid_request",
                           "Content-Type must be application/x-www-form-urlencoded", true);
    }
    const auto form = parse_params(request.body);
    if (!form) {
        return token_error(record, 400, "invalid_request", "Malformed form body", true);
    }
    if (const auto repeated = repeated_param(*form)) {
        return token_error(record, 400, "invalid_request", "Duplicate parameter: " + *repeated, true);
    }

    // Client authentication: client_secret_post or client_secret_basic, not both.
    const OAuthClientConfig& client = state_.options().google_client;
    const auto basic = basic_credentials(request);
    auto client_id = param(*form, "client_id");
    auto client_secret = param(*form, "client_secret");
    if (basic && client_secret) {
        return token_error(record, 400, "invalid_request", "Multiple client authentication methods", true);
    }
    if (basic) {
        if (client_id && *client_id != basic->first) {
            return token_error(record, 400, "invalid_request", "client_id does not match the Authorization header", true);
        }
        client_id = basic->first;
        client_secret = basic->second;
    }
    if (!client_id || client_id->empty()) {
        return token_error(record, 400, "invalid_request", "Could not determine client ID from request.", true);
    }
    const auto client_failure = [&](const std::string& description) {
        Response r = token_error(record, 401, "invalid_client", description, true);
        if (basic) {
            r.set_header("WWW-Authenticate", "Basic realm=\"oauth2.googleapis.com\"");
        }
        return r;
    };
    if (*client_id != client.id) {
        return client_failure("The OAuth client was not found.");
    }
    if (!client_secret || !secret_equals(*client_secret, client.secret)) {
        return client_failure("Unauthorized");
    }

    const auto grant_type = param(*form, "grant_type");
    if (!grant_type) {
        return token_error(record, 400, "invalid_request", "Missing required parameter: grant_type", true);
    }
    const SimSettings settings = state_.settings();
    nlohmann::json body;
    if (*grant_type == "authorization_code") {
        const auto code = param(*form, "code");
        if (!code) {
            return token_error(record, 400, "invalid_request", "Missing required parameter: code", true);
        }
        const auto redirect_uri = param(*form, "redirect_uri");
        if (!redirect_uri) {
            return token_error(record, 400, "invalid_request", "Missing required parameter: redirect_uri", true);
        }
        const auto verifier = param(*form, "code_verifier");
        if (verifier) state_.tokens.note_verifier(*verifier);
        const auto redeemed = state_.tokens.redeem_code(Provider::google, *code);
        switch (redeemed.state) {
        case TokenStore::CodeState::unknown:
            return token_error(record, 400, "invalid_grant", "Malformed auth code.", false);
        case TokenStore::CodeState::expired:
        case TokenStore::CodeState::reused:
            return token_error(record, 400, "invalid_grant", "Bad Request", false);
        case TokenStore::CodeState::valid: break;
        }
        const AuthorizationCode& c = redeemed.code;
        if (c.grant.client_id != *client_id) {
            return token_error(record, 400, "invalid_grant", "Bad Request", true);
        }
        if (c.redirect_uri != *redirect_uri) {
            return token_error(record, 400, "redirect_uri_mismatch", "Bad Request", true);
        }
        if (!c.code_challenge.empty()) {
            if (!verifier) {
                return token_error(record, 400, "invalid_grant", "Missing code verifier.", true);
            }
            if (!pkce_verify(c.code_challenge_method, c.code_challenge, *verifier)) {
                return token_error(record, 400, "invalid_grant", "Invalid code verifier.", true);
            }
        } else if (verifier) {
            return token_error(record, 400, "invalid_grant", "code_verifier or verifier is not needed.", true);
        }
        const IssuedTokens tokens = state_.tokens.issue(c.grant, settings.google_access_token_lifetime,
                                                        c.issue_refresh_token, redeemed.family);
        body = {{"access_token", tokens.access_token},
                {"expires_in", tokens.expires_in.count()},
                {"scope", join(c.grant.scopes)},
                {"token_type", "Bearer"}};
        if (tokens.refresh_token) {
            body["refresh_token"] = *tokens.refresh_token;
        }
    } else if (*grant_type == "refresh_token") {
        const auto refresh_token = param(*form, "refresh_token");
        if (!refresh_token) {
            return token_error(record, 400, "invalid_request", "Missing required parameter: refresh_token", true);
        }
        const auto stored = state_.tokens.find_refresh(Provider::google, *refresh_token);
        if (!stored) {
            return token_error(record, 400, "invalid_grant", "Token has been expired or revoked.", false);
        }
        if (stored->grant.client_id != *client_id) {
            return token_error(record, 400, "unauthorized_client", "Unauthorized", true);
        }
        if (const auto scope = param(*form, "scope")) {
            for (const auto& s : split_spaces(*scope)) {
                if (!stored->grant.has_scope(normalize_scope(s))) {
                    return token_error(record, 400, "invalid_scope",
                                       "Some requested scopes were not granted: " + s, true);
                }
            }
        }
        const auto tokens = state_.tokens.refresh(Provider::google, *refresh_token,
                                                  settings.google_access_token_lifetime,
                                                  settings.rotate_refresh_tokens);
        if (!tokens) { // revoked meanwhile
            return token_error(record, 400, "invalid_grant", "Token has been expired or revoked.", false);
        }
        body = {{"access_token", tokens->access_token},
                {"expires_in", tokens->expires_in.count()},
                {"scope", join(stored->grant.scopes)},
                {"token_type", "Bearer"}};
        if (tokens->refresh_token) {
            body["refresh_token"] = *tokens->refresh_token;
        }
    } else {
        return token_error(record, 400, "unsupported_grant_type", "Invalid grant_type: " + *grant_type, true);
    }
    Response r = Response::json(200, body.dump());
    r.set_header("Cache-Control", "no-store");
    r.set_header("Pragma", "no-cache");
    return r;
}

Response GoogleOAuth::revoke(const Request& request, RecordedRequest& record) {
    record.method_id = "oauth2.revoke";
    std::optional<std::string> token = param(request.query, "token");
    if (!token && !request.body.empty()) {
        if (request.media_type() != "application/x-www-form-urlencoded") {
            return token_error(record, 400, "invalid_request",
                               "Content-Type must be application/x-www-form-urlencoded", true);
        }
        if (const auto form = parse_params(request.body)) {
            token = param(*form, "token");
        }
    }
    if (!token) {
        return token_error(record, 400, "invalid_request", "Missing required parameter: token", true);
    }
    // Unlike RFC 7009, Google answers 400 for a token it does not know (google_oauth.md §3).
    if (!state_.tokens.revoke_family(Provider::google, *token)) {
        return token_error(record, 400, "invalid_token", "Token expired or revoked", false);
    }
    return Response::json(200, "{}");
}

Response GoogleOAuth::userinfo(const Request& request, RecordedRequest& record) {
    record.method_id = "oauth2.userinfo";
    const auto unauthorized = [] {
        Response r = oauth_error(401, "invalid_request", "Invalid Credentials");
        r.set_header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
        return r;
    };
    const auto token = bearer_token(request);
    if (!token) {
        record.errors.push_back("missing Authorization: Bearer header");
        return unauthorized();
    }
    const auto found = state_.tokens.find_access(Provider::google, *token);
    if (found.state != TokenStore::AccessState::valid) {
        return unauthorized();
    }
    const Grant& g = found.token.grant;
    const bool email = g.has_scope("https://www.googleapis.com/auth/userinfo.email");
    const bool profile = g.has_scope("https://www.googleapis.com/auth/userinfo.profile");
    if (!g.has_scope("openid") && !email && !profile) {
        Response r = oauth_error(403, "insufficient_scope",
                                 "The access token needs openid, email or profile to read userinfo.");
        r.set_header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\"");
        return r;
    }
    nlohmann::json body{{"sub", stable_digits("google-sub:" + g.user, 21)}};
    if (email) {
        body["email"] = g.user;
        body["email_verified"] = true;
    }
    if (profile) {
        const std::string name = g.user.substr(0, g.user.find('@'));
        body["name"] = name;
        body["given_name"] = name;
    }
    return Response::json(200, body.dump());
}

} // namespace switchboard::sim
