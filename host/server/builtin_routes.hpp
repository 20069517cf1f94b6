// The routes every server has: GET /healthz (liveness) and GET /metrics (Prometheus text).
#pragma once

#include "host/server/router.hpp"

#include <prometheus/registry.h>

#include <memory>

namespace switchboard::server {

// GET /healthz answers {"status":"ok"} on the I/O thread: it must answer even when every
// worker is busy.
void add_health_route(Router& router);

// GET /metrics serialises `registry` on the operations pool, beside the workers.
void add_metrics_route(Router& router, std::shared_ptr<prometheus::Registry> registry);

} // namespace switchboard::server
