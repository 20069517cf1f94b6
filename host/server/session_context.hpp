// What every connection of one listener shares. Owned by the Server, which outlives them all.
#pragma once

#include "host/server/connection_registry.hpp"
#include "host/server/cors_policy.hpp"
#include "host/server/http_metrics.hpp"
#include "host/server/router.hpp"
#include "host/server/server_options.hpp"
#include "host/server/work_queue.hpp"

#include <memory>

namespace switchboard::server {

class TlsCredentials;

struct SessionContext {
    const ServerOptions& options;
    const Router& router;
    const CorsPolicy& cors;
    HttpMetrics& metrics;
    WorkQueue& workers;    // Execution::worker_pool
    WorkQueue& operations; // Execution::operations
    ConnectionRegistry& connections;
    // Whether the connection caps apply. Not on the metrics endpoint: it sits on a network only
    // the monitoring reaches, and must answer while the public listener is full.
    bool capped = true;
    // When set, connections speak TLS with its current certificate.
    std::shared_ptr<const TlsCredentials> tls = nullptr;
};

} // namespace switchboard::server
