#include "host/api/operations_routes.hpp"

#include "host/api/openapi_document.hpp"
#include "host/server/error_response.hpp"

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
        http::verb::get, "/readyz", server::Execution::worker_pool,
        [check_ready](const Request& request) {
            auto ready = check_ready();
            if (!ready) {
                // Whatever failed, the answer to a load balancer is "not ready".
                Error error = ready.error();
                error.kind = ErrorKind::unavailable;
                spdlog::warn("not ready: {}", error.message);
                return server::error_response(error, request.request_id);
            }
            return Response::json({{"status", "ready"}});
        },
        false, {503},
        {{"/readyz",
          {{"operationId", "getReadiness"},
           {"tags", {"operations"}},
           {"summary", "Readiness: the database and the OAuth state store answer"},
           {"security", json::array()},
           {"responses",
            {{"200",
              {{"description", "Ready to serve."},
               {"content", json_content(status_schema("ready"))}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::get, "/metrics", server::Execution::worker_pool, {}, false, {},
        {{"/metrics",
          {{"operationId", "getMetrics"},
           {"tags", {"operations"}},
           {"summary", "Prometheus metrics (text exposition format 0.0.4)"},
           {"description", "The server's request metrics and those the services register "
                           "(token refreshes, provider calls, actions)."},
           {"security", json::array()},
           {"responses",
            {{"200",
              {{"description", "The metrics."},
               {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}}}}}}}});
    return routes;
}

} // namespace switchboard::api
