#include "host/app/server_options_from_config.hpp"

namespace switchboard::app {

server::ServerOptions server_options_from_config(const config::ServerConfig& config) {
    server::ServerOptions options;
    options.address = config.listen;
    options.port = config.port;
    if (config.metrics_port) {
        options.metrics_endpoint =
            server::ListenEndpoint{config.metrics_listen, *config.metrics_port};
    }
    options.io_threads = config.io_threads;
    options.worker_threads = config.worker_threads;
    options.worker_queue_limit = config.worker_queue_limit;
    options.body_limit_bytes = config.body_limit_bytes;
    options.authenticated_body_limit_bytes = config.authenticated_body_limit_bytes;
    options.header_limit_bytes = config.header_limit_bytes;
    options.max_connections = config.max_connections;
    options.max_connections_per_address = config.max_connections_per_address;
    options.retry_after_seconds = config.retry_after_seconds;
    options.read_timeout = std::chrono::milliseconds(config.read_timeout_ms);
    options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
    options.pipeline_limit = config.pipeline_limit;
    options.shutdown_grace = std::chrono::milliseconds(config.shutdown_grace_ms);
    options.cors.allowed_origins = config.cors.allowed_origins;
    options.cors.allow_credentials = config.cors.allow_credentials;
    options.cors.max_age_seconds = config.cors.max_age_seconds;
    if (config.tls) {
        options.tls = server::TlsOptions{config.tls->certificate_file,
                                         config.tls->private_key_file};
    }
    options.handle_signals = true;
    return options;
}

} // namespace switchboard::app
