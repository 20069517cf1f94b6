#include "host/api/action_routes.hpp"

#include "host/api/caller.hpp"
#include "host/api/connector_routes.hpp"
#include "host/api/idempotency_key.hpp"
#include "host/api/json_body.hpp"
#include "host/api/openapi_document.hpp"
#include "host/server/error_response.hpp"
#include "host/server/require_json.hpp"

#include <algorithm>
#include <set>

namespace switchboard::api {

namespace http = server::http;
using nlohmann::json;
using server::Request;
using server::Response;

namespace {

constexpr std::size_t kMaxConnectorId = 128;
constexpr std::size_t kMaxConnectorName = 200;

// A params error from the contract names a pointer into the params; in an envelope the
// params sit under /params. Other fields the service names (connector_id, connector_name)
// are the envelope's own.
Error under_params(Error error) {
    if (error.kind == ErrorKind::invalid_input && error.code == "invalid_params") {
        error.field = "/params" + error.field;
        return error;
    }
    return with_body_pointer(std::move(error));
}

Response run_on_connector(connectors::ConnectorService& service, const Request& request,
                          const auth::Principal& caller) {
    // The service parses and validates the params; here only the media type and the JSON
    // syntax are checked, so that both fail with the same codes on every route.
    auto body = server::require_json(request);
    if (!body) {
        return server::error_response(body.error(), request.request_id);
    }
    auto result = service.invoke(caller, request.path_param("id"), request.path_param("action"),
                                 request.body);
    if (!result) {
        return server::error_response(result.error(), request.request_id);
    }
    return Response::json({{"result", std::move(*result)}});
}

Result<connectors::ActionRequest> read_tool_request(const Request& request,
                                                    const plugin::ContractCatalog& catalog) {
    const std::string_view tool = request.path_param("tool");
    const auto dot = tool.find('.');
    const std::string_view category = tool.substr(0, dot);
    const std::string_view action = dot == std::string_view::npos ? "" : tool.substr(dot + 1);
    if (dot == std::string_view::npos || catalog.find_action(category, action) == nullptr) {
        return Error(ErrorKind::not_found, "unknown_action",
                     "there is no action '" + std::string(tool.substr(0, 128)) +
                         "'; actions are named <category>.<action>, e.g. calendar.create_event");
    }
    auto body = require_json_object(request);
    if (!body) {
        return body.error();
    }
    if (auto only = only_fields(*body, {"connector_id", "connector_name", "params"}); !only) {
        return only.error();
    }
    connectors::ActionRequest out;
    out.category = std::string(category);
    out.action = std::string(action);
    auto id = optional_string(*body, "connector_id", kMaxConnectorId);
    if (!id) {
        return id.error();
    }
    auto name = optional_string(*body, "connector_name", kMaxConnectorName);
    if (!name) {
        return name.error();
    }
    if (*id && *name) {
        return Error(ErrorKind::invalid_input, "invalid_field",
                     "give connector_id or connector_name, not both", "/connector_name");
    }
    out.connector_id = std::move(*id);
    out.connector_name = std::move(*name);
    const auto params = body->find("params");
    if (params == body->end() || params->is_null()) {
        out.params_json = "{}";
    } else if (!params->is_object()) {
        return Error(ErrorKind::invalid_input, "invalid_field",
                     "'params' must be a JSON object: the action's params", "/params");
    } else {
        out.params_json = params->dump();
    }
    auto key = idempotency_key(request);
    if (!key) {
        return key.error();
    }
    out.idempotency_key = std::move(*key);
    return out;
}

Response run_tool(connectors::ActionService& service, const plugin::ContractCatalog& catalog,
                  const Request& request, const auth::Principal& caller) {
    auto action = read_tool_request(request, catalog);
    if (!action) {
        return server::error_response(action.error(), request.request_id);
    }
    auto outcome = service.run(caller, *action);
    if (!outcome) {
        return server::error_response(under_params(outcome.error()), request.request_id);
    }
    auto response = Response::json({{"result", std::move(outcome->result)},
                                    {"connector_id", outcome->connector_id},
                                    {"provider", outcome->provider},
                                    {"replayed", outcome->replayed}});
    if (outcome->replayed) {
        response.headers.set(replayed_header, "true");
    }
    return response;
}

// Every action of every category, and anyOf the params (or results) of all of them: the
// connector route's body depends on the connector's category, known only at run time.
json any_contract_schema(const plugin::ContractCatalog& catalog, bool params) {
    json any = json::array();
    std::set<std::string> seen;
    for (const auto& category : catalog.categories()) {
        for (const auto& action : *catalog.actions(category)) {
            const auto& definition = params ? action.params_definition : action.result_definition;
            const std::string name = contract_schema_name(category, definition);
            if (seen.insert(name).second) {
                any.push_back(schema_ref(name));
            }
        }
    }
    return {{"anyOf", any}};
}

json all_action_names(const plugin::ContractCatalog& catalog) {
    std::set<std::string> names;
    for (const auto& category : catalog.categories()) {
        for (const auto& action : *catalog.actions(category)) {
            names.insert(action.name);
        }
    }
    return json(names);
}

std::vector<OperationDoc> tool_docs(const plugin::ContractCatalog& catalog) {
    std::vector<OperationDoc> docs;
    for (const auto& category : catalog.categories()) {
        for (const auto& action : *catalog.actions(category)) {
            const std::string tool = category + "." + action.name;
            json envelope = {
                {"type", "object"},
                {"properties",
                 {{"connector_id",
                   {{"type", "string"},
                    {"description", "Run on this connector of the caller's tenant."}}},
                  {"connector_name",
                   {{"type", "string"},
                    {"description", "Run on the tenant's connector of this name."}}},
                  {"params", schema_ref(contract_schema_name(category, action.params_definition))}}},
                {"additionalProperties", false},
                {"description", "Without connector_id or connector_name the tenant's single "
                                "active " + category + " connector is used (409 "
                                "ambiguous_connector when there are several)."}};
            json result = {
                {"type", "object"},
                {"required", {"result", "connector_id", "provider", "replayed"}},
                {"properties",
                 {{"result", schema_ref(contract_schema_name(category, action.result_definition))},
                  {"connector_id", {{"type", "string"}}},
                  {"provider", {{"type", "string"}}},
                  {"replayed",
                   {{"type", "boolean"},
                    {"description", "True when this is the stored result of an earlier call "
                                    "with the same Idempotency-Key."}}}}}};
            json operation = {
                {"operationId", category + "_" + action.name},
                {"tags", {"actions"}},
                {"summary", action.description},
                {"security", bearer_security()},
                {"parameters",
                 {{{"name", std::string(idempotency_key_header)},
                   {"in", "header"},
                   {"required", false},
                   {"description", "At most once per key within 24 hours: a repeat answers the "
                                   "first result (same params required; other params with the "
                                   "same key are 409 idempotency_key_reused)."},
                   {"schema", {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}}}}},
                {"requestBody", {{"required", true}, {"content", json_content(envelope)}}},
                {"responses",
                 {{"200",
                   {{"description", "The action's result."},
                    {"headers",
                     {{std::string(replayed_header),
                       {{"description", "\"true\" when the result is replayed."},
                        {"schema", {{"type", "string"}, {"enum", {"true"}}}}}}}},
                    {"content", json_content(result)}}}}}};
            docs.push_back({std::string(tools_base_path) + "/" + tool, std::move(operation)});
        }
    }
    return docs;
}

} // namespace

std::vector<ApiRoute> action_routes(const ApiContext& context) {
    auto& connectors = context.connectors;
    auto& actions = context.actions;
    const plugin::ContractCatalog& catalog = context.catalog;
    std::vector<ApiRoute> routes;

    const std::string connector_action =
        std::string(connectors_base_path) + "/{id}/actions/{action}";
    routes.push_back(ApiRoute{
        http::verb::post, connector_action, server::Execution::worker_pool,
        with_caller(context.authenticator,
                    [&connectors](const Request& request, const auth::Principal& caller) {
                        return run_on_connector(connectors, request, caller);
                    }),
        true, {400, 401, 404, 409, 413, 415, 429, 500, 501, 502, 503, 504},
        {{connector_action,
          {{"operationId", "invokeConnectorAction"},
           {"tags", {"actions"}},
           {"summary", "Run an action on one connector"},
           {"description",
            "The body is the action's params, as the connector's category contract defines "
            "them (see the <Category><Action>Params schemas). Params are validated before the "
            "plugin runs and the result after. A plugin's failure keeps its code: invalid "
            "input 400, reconnect needed or a conflict at the provider 409, not found 404, "
            "rate limited 429 (Retry-After), unavailable 503 (also while the plugin restarts), "
            "not implemented 501, a bad provider answer or a crashed plugin 502, a plugin that "
            "missed its call timeout 504 (plugin_timeout)."},
           {"security", bearer_security()},
           {"parameters",
            {path_parameter("id", "The connector's id."),
             path_parameter("action", "The action, e.g. create_event.",
                            {{"type", "string"}, {"enum", all_action_names(catalog)}})}},
           {"requestBody",
            {{"required", true}, {"content", json_content(any_contract_schema(catalog, true))}}},
           {"responses",
            {{"200",
              {{"description", "The action's result."},
               {"content", json_content({{"type", "object"},
                                         {"required", {"result"}},
                                         {"properties",
                                          {{"result", any_contract_schema(catalog, false)}}}})}}}}}}}}});

    const std::string tool = std::string(tools_base_path) + "/{tool}";
    routes.push_back(ApiRoute{
        http::verb::post, tool, server::Execution::worker_pool,
        with_caller(context.authenticator,
                    [&actions, &catalog](const Request& request, const auth::Principal& caller) {
                        return run_tool(actions, catalog, request, caller);
                    }),
        true, {400, 401, 404, 409, 413, 415, 429, 500, 501, 502, 503, 504}, tool_docs(catalog)});
    // Both carry drive uploads (base64 in JSON): the large body limit, once authenticated.
    for (auto& route : routes) {
        route.large_body = true;
    }
    return routes;
}

} // namespace switchboard::api
