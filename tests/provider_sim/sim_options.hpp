// Everything a ProviderSim (and the provider-sim executable) can be told at start-up.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#ifndef SB_TEST_SPECS_DIR
#error "SB_TEST_SPECS_DIR must name tests/specs (set by tests/provider_sim/CMakeLists.txt)"
#endif

namespace switchboard::sim {

// One OAuth client (an app registered at the provider).
struct OAuthClientConfig {
    std::string id;
    std::string secret;
    // Exact-match list, as Google compares them. Empty: any http(s) redirect URI is accepted.
    std::vector<std::string> redirect_uris;
};

struct SimOptions {
    std::string bind_address = "127.0.0.1";
    std::uint16_t port = 0; // 0: a free port (ProviderSim::port() tells which)
    std::filesystem::path specs_dir = SB_TEST_SPECS_DIR;
    int threads = 2;
    // The largest request body taken (413 beyond): the simulator holds bodies in memory; this
    // is large enough for the proxy's 100 MB Drive transfers.
    std::size_t body_limit = 256 * 1024 * 1024;
    // How long one request may take to arrive, body included (a slow 100 MB upload needs more).
    std::chrono::seconds read_timeout{30};

    OAuthClientConfig google_client{"sim-google-client-id", "sim-google-client-secret", {}};
    OAuthClientConfig hubspot_client{"sim-hubspot-client-id", "sim-hubspot-client-secret", {}};

    // Access-token lifetimes (Google's are about an hour, HubSpot's example says 1800 s).
    std::chrono::seconds google_access_token_lifetime{3599};
    std::chrono::seconds hubspot_access_token_lifetime{1800};
    // Issue a new refresh token on every refresh grant and retire the old one (neither
    // provider does this by default; clients must cope with both).
    bool rotate_refresh_tokens = false;

    // Approve every authorization request at once for `default_user` (or the request's
    // login_hint) instead of showing the consent page.
    bool auto_approve = false;
    std::string default_user = "sim.user@example.com";

    // HubSpot's burst limit per account; default: rateLimits.publicOAuthApp.burst in the
    // HubSpot description (100 requests per 10 s).
    std::optional<unsigned> hubspot_burst_limit;

    // Seeds the random choices of probabilistic faults, so a failing test replays.
    std::uint64_t fault_seed = 1;
};

} // namespace switchboard::sim
