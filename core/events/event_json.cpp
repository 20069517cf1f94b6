#include "core/events/event_json.hpp"

#include <ctime>

namespace switchboard::events {
namespace {

nlohmann::ordered_json optional_text(const std::string& text) {
    return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

nlohmann::json nullable_string(std::string description) {
    return {{"anyOf", nlohmann::json::array({{{"type", "string"}}, {{"type", "null"}}})},
            {"description", std::move(description)}};
}

} // namespace

std::string rfc3339_ms(std::chrono::sys_time<std::chrono::milliseconds> time) {
    const auto since = time.time_since_epoch().count();
    const long long seconds = since >= 0 ? since / 1000 : (since - 999) / 1000;
    const long long millis = since - seconds * 1000;
    const std::time_t whole = static_cast<std::time_t>(seconds);
    std::tm tm{};
    ::gmtime_r(&whole, &tm);
    char buffer[40];
    const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03lldZ", millis);
    return std::string(buffer, n) + fraction;
}

nlohmann::ordered_json event_json(const store::ConnectorEvent& event) {
    nlohmann::ordered_json data;
    data["connector_id"] = event.connector_id;
    data["provider"] = event.provider;
    data["type"] = event.category;
    data["user_id"] = event.user_id;
    data["status"] = std::string(store::to_string(event.status));
    data["previous_status"] =
        event.previous_status
            ? nlohmann::ordered_json(std::string(store::to_string(*event.previous_status)))
            : nlohmann::ordered_json(nullptr);
    data["reason"] = optional_text(event.reason);
    data["error_code"] = optional_text(event.error_code);

    nlohmann::ordered_json out;
    out["id"] = event.id;
    out["type"] = std::string(store::to_string(event.type));
    out["sequence"] = event.sequence;
    out["occurred_at"] = rfc3339_ms(event.occurred_at);
    out["tenant_id"] = event.tenant_id;
    out["data"] = std::move(data);
    return out;
}

nlohmann::json event_schema() {
    const nlohmann::json statuses = {"pending", "active",       "expired",
                                     "revoked", "error",        "disconnected"};
    const nlohmann::json types = {"connector.connected",      "connector.refreshed",
                                  "connector.refresh_failed", "connector.revoked",
                                  "connector.expired",        "connector.disconnected"};
    nlohmann::json data = {
        {"type", "object"},
        {"required",
         {"connector_id", "provider", "type", "user_id", "status", "previous_status", "reason",
          "error_code"}},
        {"properties",
         {{"connector_id", {{"type", "string"}}},
          {"provider", {{"type", "string"}, {"description", "The provider id, e.g. hubspot."}}},
          {"type", {{"type", "string"}, {"description", "The connector's category."}}},
          {"user_id", {{"type", "string"}, {"description", "The user who connected it."}}},
          {"status",
           {{"type", "string"},
            {"enum", statuses},
            {"description", "The connector's status after the change (disconnected: removed)."}}},
          {"previous_status",
           {{"anyOf", nlohmann::json::array({{{"type", "string"}, {"enum", statuses}},
                                             {{"type", "null"}}})},
            {"description", "Before the change; null for a new connector."}}},
          {"reason", nullable_string("Why, in words (the connector's last error).")},
          {"error_code", nullable_string("The stable code of the failure behind the change "
                                         "(invalid_grant, invalid_client, "
                                         "provider_unavailable, ...).")}}},
        {"additionalProperties", false}};
    return {{"type", "object"},
            {"description",
             "A change of a connector's state. Written in the same transaction as the change; "
             "delivered to each webhook at least once, a connector's events in order."},
            {"required", {"id", "type", "sequence", "occurred_at", "tenant_id", "data"}},
            {"properties",
             {{"id",
               {{"type", "string"},
                {"description", "Unique; a redelivery carries the same id (deduplicate on it)."}}},
              {"type", {{"type", "string"}, {"enum", types}}},
              {"sequence",
               {{"type", "integer"},
                {"minimum", 1},
                {"description", "The tenant's events numbered in the order their changes "
                                "committed."}}},
              {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
              {"tenant_id", {{"type", "string"}}},
              {"data", data}}},
            {"additionalProperties", false}};
}

} // namespace switchboard::events
