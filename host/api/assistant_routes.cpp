#include "host/api/assistant_routes.hpp"

#include "core/connectors/assistant/assistant_contract.hpp"
#include "core/connectors/assistant/assistant_tools.hpp"
#include "host/api/action_routes.hpp"
#include "host/api/caller.hpp"
#include "host/api/idempotency_key.hpp"
#include "host/api/json_body.hpp"
#include "host/api/openapi_document.hpp"
#include "host/server/error_response.hpp"

#include <algorithm>
#include <memory>

namespace switchboard::api {

namespace http = server::http;
using nlohmann::json;
using server::Request;
using server::Response;
namespace assistant = connectors::assistant;

namespace {

Response run(const assistant::AssistantTools& tools, const Request& request,
             const auth::Principal& caller) {
    const std::string_view name = request.path_param("tool");
    if (assistant::find_assistant_tool(name) == nullptr) {
        return server::error_response(
            Error(ErrorKind::not_found, "unknown_tool",
                  "there is no assistant tool '" + std::string(name.substr(0, 128)) +
                      "'; the tools are book_meeting_via_connector, send_email_via_connector "
                      "and create_crm_contact"),
            request.request_id);
    }
    auto body = require_json_object(request);
    if (!body) return server::error_response(body.error(), request.request_id);
    auto key = idempotency_key(request);
    if (!key) return server::error_response(key.error(), request.request_id);
    auto answered = tools.run(caller, name, *body, *key);
    if (!answered) return server::error_response(answered.error(), request.request_id);
    auto response = Response::json(answered->answer);
    if (answered->replayed) response.headers.set(replayed_header, "true");
    return response;
}

std::vector<OperationDoc> tool_docs() {
    const plugin::ContractCatalog& contract = assistant::assistant_contract();
    std::vector<OperationDoc> docs;
    for (const auto& action : *contract.actions(assistant::contract_category)) {
        json operation = {
            {"operationId", action.name},
            {"tags", {"assistant"}},
            {"summary", action.description},
            {"description",
             "The body is the tool's arguments. A failure of the action it runs (no connector of "
             "the category: \"No calendar connected\"; the provider refusing; a rate limit) is "
             "answered 200 with success false, the reason and the API's error code; only "
             "arguments outside the schema are 400 invalid_params."},
            {"security", json::array({{{std::string(bearer_scheme), json::array()}}})},
            {"parameters",
             {{{"name", std::string(idempotency_key_header)},
               {"in", "header"},
               {"required", false},
               {"description", "At most once per key within 24 hours, as on the actions route."},
               {"schema", {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}}}}},
            {"requestBody",
             {{"required", true},
              {"content",
               json_content(schema_ref(contract_schema_name(assistant::contract_category,
                                                            action.params_definition)))}}},
            {"responses",
             {{"200",
               {{"description", "The tool's answer (success true, or false with the reason)."},
                {"content",
                 json_content(schema_ref(contract_schema_name(assistant::contract_category,
                                                              action.result_definition)))}}}}}};
        docs.push_back({std::string(assistant_base_path) + "/" + action.name, std::move(operation)});
    }
    return docs;
}

} // namespace

std::vector<ApiRoute> assistant_routes(const ApiContext& context) {
    auto tools = std::make_shared<const assistant::AssistantTools>(context.actions);
    std::vector<ApiRoute> routes = {ApiRoute{
        http::verb::post, std::string(assistant_base_path) + "/{tool}",
        server::Execution::worker_pool,
        with_caller(context.authenticator,
                    [tools](const Request& request, const auth::Principal& caller) {
                        return run(*tools, request, caller);
                    }),
        true, {400, 401, 404, 413, 415, 500}, tool_docs()}};
    // An e-mail's body may be large: the large limit once authenticated, as on the actions.
    routes.front().large_body = true;
    return routes;
}

} // namespace switchboard::api
