#include "host/server/builtin_routes.hpp"

#include "host/server/http_metrics.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::server {

void add_builtin_routes(Router& router, std::shared_ptr<prometheus::Registry> registry) {
    router.add(
        http::verb::get, "/healthz",
        [](const Request&) { return Response::json({{"status", "ok"}}); }, Execution::io_thread);
    router.add(http::verb::get, "/metrics", [registry = std::move(registry)](const Request&) {
        return Response::text(http::status::ok, serialize_metrics(*registry),
                              metrics_content_type);
    });
}

} // namespace switchboard::server
