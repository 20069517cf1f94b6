// The HTTP server's options from the config's `server` section.
#pragma once

#include "core/config/config.hpp"
#include "host/server/server_options.hpp"

namespace switchboard {

// listen, port, io_threads, worker_threads, body_limit_bytes, header_limit_bytes,
// read_timeout_ms, idle_timeout_ms, pipeline_limit and shutdown_grace_ms, one for one; the
// write timeout (not in the config) keeps the server's default; signals are handled.
server::ServerOptions server_options_from_config(const ServerConfig& config);

} // namespace switchboard
