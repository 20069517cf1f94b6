#include "host/api/operations_routes.hpp"

#include "host/api/openapi_document.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::api {

namespace http = server::http;
using nlohmann::json;
using server::Request;
using server::Response;

namespace {

json status_schema(std::string_view value) {
    return {{"type", "object"},
            {"required", {"status"}},
            {"properties", {{"status", {{"type", "string"}, {"const", value}}}}}};
}

} // namespace

std::vector<ApiRoute> operations_routes(const ApiContext& context) {
    std::vector<ApiRoute> routes;
    routes.push_back(ApiRoute{
        http::verb::get, "/healthz", server::Execution::io_thread, {}, false, {},
        {{"/healthz",
          {{"operationId", "getHealth"},
           {"tags", {"operations"}},
           {"summary", "Liveness: the process serves HTTP"},
           {"security", json::array()},
           {"responses",
            {{"200", {{"description", "Alive."}, {"content", json_content(status_schema("ok"))}}}}}}}}});

    auto check_ready = context.check_ready;
    routes.push_back(ApiRoute{
        http::verb::get, "/readyz", server::Execution::operations,
        [check_ready](const Request& request) {
            auto ready = check_ready();
            if (!ready) {
                // Anyone may ask, so the answer says "not ready" and nothing more: what
                // failed (a host name, a driver's message) goes to the operator's log only.
                spdlog::warn("not ready: {} (request {})", ready.error().message,
                             request.request_id);
                return Response::json(http::status::service_unavailable,
                                      {{"status", "not_ready"}});
            }
            return Response::json({{"status", "ready"}});
        },
        false, {},
        {{"/readyz",
          {{"operationId", "getReadiness"},
           {"tags", {"operations"}},
           {"summary", "Readiness: the database and the OAuth state store answer"},
           {"description", "Unauthenticated, so it says only ready or not ready; the reason "
                           "for not being ready is in the host's log."},
           {"security", json::array()},
           {"responses",
            {{"200",
              {{"description", "Ready to serve."},
               {"content", json_content(status_schema("ready"))}}},
             {"503",
              {{"description", "Not ready: the database or the state store does not answer."},
               {"content", json_content(status_schema("not_ready"))}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::get, "/metrics", server::Execution::operations, {}, false, {},
        {{"/metrics",
          {{"operationId", "getMetrics"},
           {"tags", {"operations"}},
           {"summary", "Prometheus metrics (text exposition format 0.0.4)"},
           {"description", "The server's request metrics and those the services register "
                           "(token refreshes, provider calls, actions). Served on "
                           "server.metrics_listen:server.metrics_port instead when the "
                           "configuration sets them."},
           {"security", json::array()},
           {"responses",
            {{"200",
              {{"description", "The metrics."},
               {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}}}}}}}});
    return routes;
}

} // namespace switchboard::api
