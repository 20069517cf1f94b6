// What every connection of one server shares. Owned by the Server, which outlives them all.
#pragma once

#include "host/server/connection_registry.hpp"
#include "host/server/http_metrics.hpp"
#include "host/server/router.hpp"
#include "host/server/server_options.hpp"

#include <boost/asio/thread_pool.hpp>

namespace switchboard::server {

struct SessionContext {
    const ServerOptions& options;
    const Router& router;
    HttpMetrics& metrics;
    boost::asio::thread_pool& workers;
    ConnectionRegistry& connections;
};

} // namespace switchboard::server
