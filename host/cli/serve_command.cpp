// `switchboard serve`: load the config, set up logging, load the plugins, build the
// Application and hand it to the HTTP server (host/app/http_server_entry.hpp).
#include "host/app/application.hpp"
#include "host/app/core_dumps.hpp"
#include "host/app/http_server_entry.hpp"
#include "host/app/logging.hpp"
#include "host/app/server_options_from_config.hpp"
#include "host/cli/commands.hpp"
#include "host/server/tls_credentials.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::cli {

namespace {

int run_serve(const CommonOptions& options) {
    // First, before any secret is read: a crash of the host must not write them to a core file.
    if (auto hardened = app::disable_core_dumps(); !hardened) {
        print_error(hardened.error().message);
        return kExitFailure;
    }
    auto config = load_command_config(options, /*required=*/true);
    if (!config) {
        return kExitUsage;
    }
    app::setup_logging(config->log);
    // TLS files that cannot serve are a config error like any other (exit 2), found before
    // the plugins load; the server reads them again when it listens.
    if (const auto server_options = app::server_options_from_config(config->server);
        server_options.tls) {
        if (auto usable = server::load_tls_context(*server_options.tls); !usable) {
            print_error(usable.error().message);
            return kExitUsage;
        }
    }
    auto plugins = resolve_plugins_directory(options, *config);
    if (!plugins) {
        return kExitFailure;
    }
    app::ApplicationOptions app_options;
    app_options.config = std::move(*config);
    app_options.plugins_directory = *plugins;
    auto app = app::Application::create(std::move(app_options));
    if (!app) {
        print_error(app.error().message);
        return kExitFailure;
    }
    spdlog::info("{} provider(s) registered from {}", (*app)->providers().size(),
                 (*app)->plugins_directory().string());
    auto served = app::run_http_server(**app);
    if (!served) {
        // One log line (JSON when the config says so) naming what is wrong: the message
        // names the variable or config key, never a secret.
        spdlog::critical("cannot serve: {}", served.error().message);
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace

void add_serve_command(CommandSet& commands) {
    commands.add(commands.app(), "serve",
                 "Run the connector host: load the config and plugins, then serve the REST API",
                 run_serve);
}

} // namespace switchboard::cli
