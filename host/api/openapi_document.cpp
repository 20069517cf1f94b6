#include "host/api/openapi_document.hpp"

#include "core/connectors/assistant/assistant_contract.hpp"
#include "core/events/event_json.hpp"
#include "core/plugin/embedded_schemas.hpp"
#include "host/api/connector_json.hpp"
#include "host/api/events_routes.hpp"

#include <cctype>
#include <map>
#include <stdexcept>

namespace switchboard::api {

using nlohmann::json;

namespace {

constexpr std::string_view kDefinitionsPrefix = "#/definitions/";

struct ErrorResponse {
    unsigned status;
    const char* name;
    const char* description;
};

constexpr ErrorResponse kErrorResponses[] = {
    {400, "BadRequest", "Malformed JSON, or a field or param that is not valid; `field` names it "
                        "(a JSON Pointer into the body)."},
    {401, "Unauthorized", "No, or no valid, bearer credential."},
    {403, "Forbidden", "The caller may not do this (completion_forbidden: the connect flow was "
                       "started by another user)."},
    {404, "NotFound", "No such resource for the caller's tenant (another tenant's id is "
                      "answered exactly like a missing one)."},
    {409, "Conflict", "The connector is in a state that refuses the request (e.g. "
                      "connector_revoked: reconnect needed; already_connected), or the provider "
                      "reports a conflict with its state (e.g. contact_exists)."},
    {413, "PayloadTooLarge", "The body is larger than the server's limit (body_too_large)."},
    {415, "UnsupportedMediaType", "The body is not application/json."},
    {429, "TooManyRequests", "Over a rate limit: the provider's, or this host's own outbound limit "
                             "for the provider (rate_limited); Retry-After says when to retry."},
    {500, "InternalError", "A defect in the host."},
    {501, "NotImplemented", "The provider does not implement this action (not_implemented), or "
                            "the host does not serve this (events_unavailable)."},
    {502, "BadGateway", "The provider answered badly."},
    {503, "ServiceUnavailable", "A provider, the database or the OAuth state store is "
                                "unreachable, or a provider's plugin is restarting "
                                "(provider_unavailable); Retry-After may say when to retry."},
    {504, "GatewayTimeout", "The provider's plugin did not answer within the provider's call "
                            "timeout (plugin_timeout)."},
};

const ErrorResponse& error_response_for(unsigned status) {
    for (const auto& response : kErrorResponses) {
        if (response.status == status) {
            return response;
        }
    }
    throw std::logic_error("no documented error response for status " + std::to_string(status));
}

json error_schema() {
    return {{"type", "object"},
            {"description", "Every error the API answers has this shape."},
            {"required", {"error", "request_id"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", {"code", "message"}},
                {"properties",
                 {{"code",
                   {{"type", "string"},
                    {"pattern", "^[a-z][a-z0-9_]*$"},
                    {"description", "Stable snake_case code clients may match on."}}},
                  {"message", {{"type", "string"}, {"description", "For people."}}},
                  {"field",
                   {{"type", "string"},
                    {"description", "The input at fault: a JSON Pointer into the body, or a "
                                    "header name."}}}}},
                {"additionalProperties", false}}},
              {"request_id",
               {{"type", "string"},
                {"description", "Also in the X-Request-Id header and in the host's logs."}}}}},
            {"additionalProperties", false}};
}

json authorize_request_schema() {
    return {{"type", "object"},
            {"required", {"type", "provider", "name"}},
            {"properties",
             {{"type",
               {{"type", "string"},
                {"minLength", 1},
                {"maxLength", 64},
                {"description", "The category (calendar, email, crm, drive); must be the "
                                "provider's."}}},
              {"provider",
               {{"type", "string"},
                {"minLength", 1},
                {"maxLength", 64},
                {"description", "The provider id, e.g. google_calendar."}}},
              {"name",
               {{"type", "string"},
                {"minLength", 1},
                {"maxLength", 200},
                {"description", "A name for the connector, chosen by the user."}}}}},
            {"additionalProperties", false}};
}

json authorization_start_schema() {
    return {{"type", "object"},
            {"required", {"authorization_url", "state"}},
            {"properties",
             {{"authorization_url",
               {{"type", "string"},
                {"format", "uri"},
                {"description", "The provider's authorization URL, with the PKCE challenge."}}},
              {"state", {{"type", "string"}, {"description", "The single-use OAuth state."}}}}},
            {"additionalProperties", false}};
}

json error_responses() {
    json responses = json::object();
    for (const auto& response : kErrorResponses) {
        json entry = {{"description", response.description},
                      {"content", json_content(schema_ref("ApiError"))}};
        if (response.status == 401) {
            entry["headers"]["WWW-Authenticate"] = {{"schema", {{"type", "string"}}}};
        }
        if (response.status == 429 || response.status == 503) {
            entry["headers"]["Retry-After"] = {
                {"description", "Seconds to wait before retrying, when known."},
                {"schema", {{"type", "integer"}, {"minimum", 0}}}};
        }
        responses[response.name] = std::move(entry);
    }
    return responses;
}

std::string camel_case(std::string_view id) {
    std::string out;
    bool upper = true;
    for (char c : id) {
        if (c == '_' || c == '-') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

void rewrite_refs(json& node, std::string_view category) {
    if (node.is_object()) {
        for (auto& [key, value] : node.items()) {
            if (key == "$ref" && value.is_string()) {
                const auto& ref = value.get_ref<const std::string&>();
                if (ref.rfind(kDefinitionsPrefix, 0) != 0) {
                    throw std::logic_error("embedded schema of '" + std::string(category) +
                                           "' has a non-local $ref " + ref);
                }
                value = "#/components/schemas/" +
                        contract_schema_name(category, ref.substr(kDefinitionsPrefix.size()));
            } else {
                rewrite_refs(value, category);
            }
        }
    } else if (node.is_array()) {
        for (auto& item : node) {
            rewrite_refs(item, category);
        }
    }
}

} // namespace

json schema_ref(std::string_view component) {
    return {{"$ref", "#/components/schemas/" + std::string(component)}};
}

json json_content(json schema) {
    return {{"application/json", {{"schema", std::move(schema)}}}};
}

json path_parameter(std::string_view name, std::string_view description, json schema) {
    return {{"name", name},
            {"in", "path"},
            {"required", true},
            {"description", description},
            {"schema", std::move(schema)}};
}

std::string contract_schema_name(std::string_view category, std::string_view definition) {
    return camel_case(category) + std::string(definition);
}

namespace {

// Every `definitions` entry of one contract document into `schemas`, refs rewritten.
void add_document_schemas(json& schemas, std::string_view text, std::string_view file_name) {
    const json document = json::parse(text);
    std::string category;
    if (auto it = document.find("x-category"); it != document.end() && it->is_string()) {
        category = it->get<std::string>();
    } else {
        category = std::string(file_name.substr(0, file_name.find('.')));
    }
    const auto definitions = document.find("definitions");
    if (definitions == document.end() || !definitions->is_object()) {
        return;
    }
    for (const auto& [name, definition] : definitions->items()) {
        json schema = definition;
        rewrite_refs(schema, category);
        const std::string component = contract_schema_name(category, name);
        if (schemas.contains(component)) {
            throw std::logic_error("two contract definitions map to the component " + component);
        }
        schemas[component] = std::move(schema);
    }
}

} // namespace

json contract_component_schemas() {
    json schemas = json::object();
    for (const auto& embedded : plugin::embedded_schemas()) {
        if (!embedded.is_current()) {
            continue; // the API documents the current contracts, not the released revisions
        }
        add_document_schemas(schemas, embedded.text(), embedded.file_name);
    }
    // The assistant tools' arguments and answers (Assistant<Name>).
    add_document_schemas(schemas, connectors::assistant::assistant_schema_text(),
                         "assistant.schema.json");
    return schemas;
}

json build_openapi_document(const std::vector<ApiRoute>& routes, const OpenApiInfo& info) {
    json schemas = contract_component_schemas();
    const std::map<std::string, json> own = {
        {"ApiError", error_schema()},
        {"Connector", connector_schema()},
        {"Provider", provider_schema()},
        {"AuthorizeRequest", authorize_request_schema()},
        {"AuthorizationStart", authorization_start_schema()},
        {"CompletionRequest", completion_request_schema()},
        {"AccessTokenRequest", access_token_request_schema()},
        {"DisconnectResult", disconnect_result_schema()},
        {"ConnectorEvent", events::event_schema()},
        {"EventPage", event_page_schema()},
    };
    for (const auto& [name, schema] : own) {
        if (schemas.contains(name)) {
            throw std::logic_error("the component " + name + " is also a contract definition");
        }
        schemas[name] = schema;
    }

    json paths = json::object();
    for (const auto& route : routes) {
        std::string method(server::http::to_string(route.method));
        for (char& c : method) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        for (const auto& doc : route.docs) {
            json& item = paths[doc.path];
            if (item.contains(method)) {
                throw std::logic_error("the route table documents " + method + " " + doc.path +
                                       " twice");
            }
            json operation = doc.operation;
            for (unsigned status : route.error_statuses) {
                operation["responses"][std::to_string(status)] = {
                    {"$ref", "#/components/responses/" +
                                 std::string(error_response_for(status).name)}};
            }
            item[method] = std::move(operation);
        }
    }

    json document = {
        {"openapi", "3.1.0"},
        {"info",
         {{"title", info.title},
          {"version", info.version},
          {"description",
           "Connect the tenants' accounts at providers through OAuth 2.0 with PKCE, and act on "
           "them. Authenticated routes take `Authorization: Bearer <JWT or API key>`; the "
           "tenant always comes from the verified credential. Every error has the ApiError "
           "shape with a stable code."}}},
        {"tags",
         {{{"name", "connectors"}, {"description", "Providers, connectors and the OAuth flow."}},
          {{"name", "actions"}, {"description", "Acting on connected accounts; the assistant's tools."}},
          {{"name", "assistant"},
           {"description", "The seed's assistant tools, each composed from a category action."}},
          {{"name", "events"},
           {"description", "Connector events: the feed, and the signed webhooks that push them."}},
          {{"name", "mcp"},
           {"description", "The MCP server (Model Context Protocol, Streamable HTTP): the same "
                           "actions and assistant tools as MCP tools."}},
          {{"name", "operations"}, {"description", "Health, readiness, metrics, this document."}}}},
        {"paths", std::move(paths)},
        {"webhooks", webhooks_document()},
        {"components",
         {{"schemas", std::move(schemas)},
          {"responses", error_responses()},
          {"securitySchemes",
           {{std::string(bearer_scheme),
             {{"type", "http"},
              {"scheme", "bearer"},
              {"description", "A JWT from the product's identity provider (HS256, RS256 or "
                              "ES256), or a static API key from the host's config."}}}}}}},
    };
    if (!info.server_url.empty()) {
        document["servers"] = json::array({{{"url", info.server_url}}});
    }
    return document;
}

json bearer_security() { return json::array({{{std::string(bearer_scheme), json::array()}}}); }

} // namespace switchboard::api
