// provider-sim: the Google and HubSpot simulator as its own process.
//   provider-sim --port 0 --auto-approve
// prints "provider-sim listening on http://127.0.0.1:PORT" as its first line and serves
// until SIGINT or SIGTERM.
#include "tests/provider_sim/provider_sim.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

int main(int argc, char** argv) {
    using switchboard::sim::ProviderSim;
    using switchboard::sim::SimOptions;

    SimOptions options;
    std::string specs_dir = options.specs_dir.string();
    long long google_lifetime = options.google_access_token_lifetime.count();
    long long hubspot_lifetime = options.hubspot_access_token_lifetime.count();
    long long both_lifetime = -1;
    unsigned burst_limit = 0;
    std::string log_level = "info";

    CLI::App app{"provider-sim: Google (OAuth, Calendar, Gmail, Drive) and HubSpot (OAuth, CRM) in memory, "
                 "checked against their published API descriptions"};
    app.add_option("--port", options.port, "TCP port; 0 picks a free one")->capture_default_str();
    app.add_option("--bind", options.bind_address, "address to listen on")->capture_default_str();
    app.add_option("--specs-dir", specs_dir, "the API descriptions (google/, providers/; tests/specs/README.md)")->capture_default_str();
    app.add_option("--threads", options.threads, "I/O threads")->capture_default_str();
    long long read_timeout = options.read_timeout.count();
    app.add_option("--read-timeout", read_timeout, "seconds one request may take to arrive, body included")
        ->capture_default_str();
    app.add_option("--body-limit", options.body_limit, "largest request body in bytes")
        ->capture_default_str();
    app.add_option("--access-token-lifetime", both_lifetime, "access-token lifetime in seconds, both providers");
    app.add_option("--google-access-token-lifetime", google_lifetime, "Google access-token lifetime (s)")
        ->capture_default_str();
    app.add_option("--hubspot-access-token-lifetime", hubspot_lifetime, "HubSpot access-token lifetime (s)")
        ->capture_default_str();
    app.add_flag("--rotate-refresh-tokens", options.rotate_refresh_tokens,
                 "issue a new refresh token on every refresh and retire the old one");
    app.add_flag("--auto-approve", options.auto_approve,
                 "approve authorization requests at once as --user (or the request's login_hint)");
    app.add_option("--user", options.default_user, "the account e-mail that approves")->capture_default_str();
    app.add_option("--google-client-id", options.google_client.id)->capture_default_str();
    app.add_option("--google-client-secret", options.google_client.secret, "(default: sim-google-client-secret)");
    app.add_option("--google-redirect-uri", options.google_client.redirect_uris,
                   "an allowed redirect URI (exact match; repeatable); none: any http(s) URI");
    app.add_option("--hubspot-client-id", options.hubspot_client.id)->capture_default_str();
    app.add_option("--hubspot-client-secret", options.hubspot_client.secret,
                   "(default: sim-hubspot-client-secret)");
    app.add_option("--hubspot-redirect-uri", options.hubspot_client.redirect_uris,
                   "an allowed redirect URI (exact match; repeatable); none: any http(s) URI");
    app.add_option("--hubspot-burst-limit", burst_limit,
                   "HubSpot requests per 10 s per account (default: the description's 100)");
    app.add_option("--fault-seed", options.fault_seed, "seed of probabilistic faults")->capture_default_str();
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    spdlog::set_level(spdlog::level::from_str(log_level));
    options.specs_dir = specs_dir;
    options.read_timeout = std::chrono::seconds(read_timeout);
    options.google_access_token_lifetime = std::chrono::seconds(both_lifetime >= 0 ? both_lifetime : google_lifetime);
    options.hubspot_access_token_lifetime = std::chrono::seconds(both_lifetime >= 0 ? both_lifetime : hubspot_lifetime);
    if (burst_limit > 0) {
        options.hubspot_burst_limit = burst_limit;
    }

    // Installed before the server threads start, so a signal never finds no handler.
    boost::asio::io_context signals_context;
    boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);

    auto sim = ProviderSim::start(options);
    if (!sim) {
        std::cerr << "provider-sim: " << sim.error().message << "\n";
        return 1;
    }
    std::cout << "provider-sim listening on " << (*sim)->base_url() << std::endl;
    signals.async_wait([&](const boost::system::error_code&, int signal) {
        spdlog::info("provider-sim: signal {}, stopping", signal);
    });
    signals_context.run();
    (*sim)->stop();
    return 0;
}
