#include "host/api/connector_json.hpp"

#include <ctime>

namespace switchboard::api {

using nlohmann::json;

std::string rfc3339(store::Timestamp time) {
    const std::time_t seconds = static_cast<std::time_t>(time.time_since_epoch().count());
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char buffer[32];
    const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buffer, n);
}

namespace {

json optional_time(const std::optional<store::Timestamp>& time) {
    return time ? json(rfc3339(*time)) : json(nullptr);
}

json optional_text(const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
}

// anyOf rather than "type": [..., "null"]: a `format` next to a type list is applied to the
// null by some validators (Valijson 1.0 among them).
json nullable(json schema) {
    json description = schema.value("description", json());
    schema.erase("description");
    json out = {{"anyOf", json::array({std::move(schema), {{"type", "null"}}})}};
    if (!description.is_null()) {
        out["description"] = std::move(description);
    }
    return out;
}

json date_time_schema(std::string description) {
    return {{"type", "string"}, {"format", "date-time"}, {"description", std::move(description)}};
}

} // namespace

json connector_json(const store::ConnectorSummary& c) {
    json out = json::object();
    out["id"] = c.id;
    out["type"] = c.category;
    out["provider"] = c.provider;
    out["name"] = c.name;
    out["status"] = std::string(store::to_string(c.status));
    out["account_identity"] = optional_text(c.account_identity);
    out["account_id"] = optional_text(c.account_id);
    out["auth_method"] = std::string(store::to_string(c.auth_method));
    out["scopes"] = c.scopes;
    out["user_id"] = c.user_id;
    out["has_refresh_token"] = c.has_refresh_token;
    out["token_expires_at"] = optional_time(c.token_expires_at);
    out["created_at"] = rfc3339(c.created_at);
    out["updated_at"] = rfc3339(c.updated_at);
    out["last_refreshed_at"] = optional_time(c.last_refreshed_at);
    out["last_error"] = optional_text(c.last_error);
    return out;
}

json provider_json(const connectors::ProviderInfo& p) {
    return {{"provider", p.provider},       {"type", p.type},
            {"name", p.name},               {"description", p.description},
            {"requires_oauth", p.requires_oauth}, {"configured", p.configured},
            {"actions", p.actions}, {"access_token_label", optional_text(p.access_token_label)}};
}

json connector_schema() {
    json properties = {
        {"id", {{"type", "string"}, {"description", "The connector's id."}}},
        {"type", {{"type", "string"}, {"description", "The category: calendar, email, crm, drive."}}},
        {"provider", {{"type", "string"}, {"description", "The provider id, e.g. google_calendar."}}},
        {"name", {{"type", "string"}, {"description", "The name the user gave the connector."}}},
        {"status",
         {{"type", "string"},
          {"enum", {"pending", "active", "expired", "revoked", "error", "disconnected"}},
          {"description", "pending: the OAuth flow finished but the user who started it has not "
                          "confirmed it yet (POST /api/v1/connectors/complete); listed to that "
                          "user only, and unusable."}}},
        {"account_identity",
         nullable({{"type", "string"},
                   {"description", "The account at the provider (e.g. its e-mail address); "
                                   "null while the connector is pending."}})},
        {"account_id",
         nullable({{"type", "string"},
                   {"description", "The provider-side account the identity acts in, where the "
                                   "provider has one (HubSpot: the portal's hub_id); with "
                                   "account_identity it is what makes two connectors the same "
                                   "account. Null when none (or while pending)."}})},
        {"auth_method",
         {{"type", "string"},
          {"enum", {"oauth", "access_token"}},
          {"description", "How the account was connected: the OAuth flow, or an access token "
                          "the provider issued outside OAuth (POST "
                          "/api/v1/connectors/access-token; no refresh token, never expires "
                          "here, not revoked at the provider by a disconnect)."}}},
        {"scopes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"user_id", {{"type", "string"}, {"description", "The user who connected it."}}},
        {"has_refresh_token", {{"type", "boolean"}}},
        {"token_expires_at", nullable(date_time_schema("When the access token expires."))},
        {"created_at", date_time_schema("When the connector was created.")},
        {"updated_at", date_time_schema("When it last changed.")},
        {"last_refreshed_at", nullable(date_time_schema("When its token was last refreshed."))},
        {"last_error", nullable({{"type", "string"}, {"description", "The last failure, if any."}})},
    };
    json required = json::array();
    for (const auto& [name, schema] : properties.items()) {
        required.push_back(name);
    }
    return {{"type", "object"},
            {"description", "A connected account. Never carries a token or a ciphertext."},
            {"required", required},
            {"properties", properties},
            {"additionalProperties", false}};
}

json disconnect_json(const connectors::DisconnectOutcome& outcome) {
    return {{"revoked_at_provider", outcome.revoked_at_provider},
            {"revocation_error", optional_text(outcome.revocation_error)}};
}

json completion_request_schema() {
    return {{"type", "object"},
            {"required", {"completion"}},
            {"properties",
             {{"completion",
               {{"type", "string"},
                {"minLength", 1},
                {"maxLength", 256},
                {"description", "The completion code the callback put in the front end's URL "
                                "(?completion=...). Single use."}}}}},
            {"additionalProperties", false}};
}

json access_token_request_schema() {
    return {{"type", "object"},
            {"required", {"provider", "access_token"}},
            {"properties",
             {{"provider",
               {{"type", "string"},
                {"minLength", 1},
                {"maxLength", 64},
                {"description", "A provider whose access_token_label is not null, e.g. hubspot."}}},
              {"access_token",
               {{"type", "string"},
                {"minLength", 1},
                {"maxLength", 4096},
                {"description", "The token the provider issued (HubSpot: a private app's access "
                                "token, pat-na1-...). Stored encrypted; never answered or "
                                "logged."}}},
              {"name",
               {{"type", "string"},
                {"minLength", 1},
                {"maxLength", 200},
                {"description", "The connector's name (default: the provider's name and the "
                                "account, e.g. \"HubSpot 12345\")."}}}}},
            {"additionalProperties", false}};
}

json disconnect_result_schema() {
    return {{"type", "object"},
            {"required", {"revoked_at_provider", "revocation_error"}},
            {"properties",
             {{"revoked_at_provider",
               {{"type", "boolean"},
                {"description", "Whether the provider revoked the grant. When false, the "
                                "grant may still be live there: revoke it in the provider's "
                                "own settings."}}},
              {"revocation_error",
               nullable({{"type", "string"},
                         {"description", "Why not: the provider's error code "
                                         "(provider_unavailable, provider_error, invalid_client), "
                                         "revocation_unsupported or provider_not_enabled."}})}}},
            {"additionalProperties", false}};
}

json provider_schema() {
    json properties = {
        {"provider", {{"type", "string"}, {"description", "The provider id, e.g. hubspot."}}},
        {"type", {{"type", "string"}, {"description", "Its category."}}},
        {"name", {{"type", "string"}}},
        {"description", {{"type", "string"}}},
        {"requires_oauth", {{"type", "boolean"}}},
        {"configured",
         {{"type", "boolean"},
          {"description", "Whether the host has the provider's OAuth client credentials."}}},
        {"actions",
         {{"type", "array"},
          {"items", {{"type", "string"}}},
          {"description", "The category actions this provider implements."}}},
        {"access_token_label",
         nullable({{"type", "string"},
                   {"description", "What the provider calls the access token a user may connect "
                                   "with instead of OAuth (POST /api/v1/connectors/access-token), "
                                   "e.g. \"Private app access token\"; null when it takes OAuth "
                                   "only."}})},
    };
    json required = json::array();
    for (const auto& [name, schema] : properties.items()) {
        required.push_back(name);
    }
    return {{"type", "object"},
            {"required", required},
            {"properties", properties},
            {"additionalProperties", false}};
}

} // namespace switchboard::api
