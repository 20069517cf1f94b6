#include "host/api/api_routes.hpp"

#include "host/api/action_routes.hpp"
#include "host/api/assistant_routes.hpp"
#include "host/api/caller.hpp"
#include "host/api/connector_routes.hpp"
#include "host/api/events_routes.hpp"
#include "host/api/mcp_route_docs.hpp"
#include "host/api/operations_routes.hpp"
#include "host/api/proxy_routes.hpp"

namespace switchboard::api {

using nlohmann::json;

ApiTable api_table(const ApiContext& context, const OpenApiInfo& info) {
    ApiTable table;
    for (auto part : {operations_routes(context), connector_routes(context), action_routes(context),
                      assistant_routes(context), events_routes(context), mcp_route_docs(),
                      proxy_routes(context)}) {
        for (auto& route : part) {
            table.routes.push_back(std::move(route));
        }
    }
    table.routes.push_back(ApiRoute{
        server::http::verb::get, std::string(openapi_path), server::Execution::io_thread, {},
        false, {},
        {{std::string(openapi_path),
          {{"operationId", "getOpenApiDocument"},
           {"tags", {"operations"}},
           {"summary", "This document (OpenAPI 3.1)"},
           {"security", json::array()},
           {"responses",
            {{"200",
              {{"description", "The OpenAPI document of the whole API."},
               {"content", json_content({{"type", "object"}})}}}}}}}}});
    table.openapi = build_openapi_document(table.routes, info);
    // Serialised once: the handler only copies it out (it runs on the I/O thread).
    auto text = std::make_shared<const std::string>(
        table.openapi.dump(-1, ' ', false, json::error_handler_t::replace));
    table.routes.back().handler = [text](const server::Request&) {
        server::Response response;
        response.body = *text;
        response.headers.set(server::http::field::cache_control, "public, max-age=300");
        return response;
    };
    return table;
}

ApiTable add_api_routes(server::Router& router, const ApiContext& context,
                        const OpenApiInfo& info) {
    ApiTable table = api_table(context, info);
    // One gate for every authenticated route: the caller is verified on the request's header,
    // before the server reads (or is made to buffer) the body.
    const server::Gate gate = caller_gate(context.authenticator);
    for (const auto& route : table.routes) {
        if (route.handler) {
            server::RouteOptions options;
            options.execution = route.execution;
            if (route.authenticated) {
                options.gate = gate;
            }
            if (route.large_body) {
                options.body_limit = server::BodyLimit::large_after_gate;
            }
            if (route.streamed_body_limit != 0) {
                options.body_mode = server::BodyMode::streamed;
                options.streamed_body_limit_bytes = route.streamed_body_limit;
            }
            router.add(route.method, route.pattern, route.handler, std::move(options));
        }
    }
    return table;
}

} // namespace switchboard::api
