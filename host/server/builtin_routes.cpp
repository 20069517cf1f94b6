#include "host/server/builtin_routes.hpp"

#include "host/server/http_metrics.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::server {

void add_health_route(Router& router) {
    router.add(
        http::verb::get, "/healthz",
        [](const Request&) { return Response::json({{"status", "ok"}}); }, Execution::io_thread);
}

void add_metrics_route(Router& router, std::shared_ptr<prometheus::Registry> registry) {
    router.add(
        http::verb::get, "/metrics",
        [registry = std::move(registry)](const Request&) {
            return Response::text(http::status::ok, serialize_metrics(*registry),
                                  metrics_content_type);
        },
        Execution::operations);
}

} // namespace switchboard::server
