#include "host/app/server_options_from_config.hpp"

namespace switchboard {

server::ServerOptions server_options_from_config(const ServerConfig& config) {
    server::ServerOptions options;
    options.address = config.listen;
    options.port = config.port;
    options.io_threads = config.io_threads;
    options.worker_threads = config.worker_threads;
    options.body_limit_bytes = config.body_limit_bytes;
    options.header_limit_bytes = config.header_limit_bytes;
    options.read_timeout = std::chrono::milliseconds(config.read_timeout_ms);
    options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
    options.pipeline_limit = config.pipeline_limit;
    options.shutdown_grace = std::chrono::milliseconds(config.shutdown_grace_ms);
    options.handle_signals = true;
    return options;
}

} // namespace switchboard
