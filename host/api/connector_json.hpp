// The JSON shapes of the connector routes, and their JSON Schemas for the OpenAPI document,
// side by side so that the two cannot drift apart. No shape carries a token or a
// ciphertext: ConnectorSummary has none, and only the fields listed here are written.
#pragma once

#include "core/connectors/connector_service.hpp"
#include "core/store/connector_account.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace switchboard::api {

// {"id", "type", "provider", "name", "status", "account_identity", "account_id", "scopes",
//  "user_id", "has_refresh_token", "token_expires_at", "created_at", "updated_at",
//  "last_refreshed_at", "last_error"}; times are RFC 3339 UTC ("2024-05-01T09:00:00Z");
// absent optional values are null.
nlohmann::json connector_json(const store::ConnectorSummary& connector);

// DELETE ?force=true's answer: {"revoked_at_provider", "revocation_error"}.
nlohmann::json disconnect_json(const connectors::DisconnectOutcome& outcome);

// {"provider", "type", "name", "description", "requires_oauth", "configured", "actions"}.
nlohmann::json provider_json(const connectors::ProviderInfo& provider);

// "2024-05-01T09:00:00Z"
std::string rfc3339(store::Timestamp time);

// JSON Schemas (OpenAPI 3.1 / JSON Schema 2020-12) of the shapes above.
nlohmann::json connector_schema();
nlohmann::json provider_schema();
nlohmann::json completion_request_schema();
nlohmann::json access_token_request_schema();
nlohmann::json disconnect_result_schema();

} // namespace switchboard::api
