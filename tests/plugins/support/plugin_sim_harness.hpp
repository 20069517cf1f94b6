// PluginSimHarness: one shipped plugin, loaded by the product's PluginLoader from the build's
// plugins directory, talking to the provider simulator (in-process, free loopback port)
// through the product's outbound HTTP client. Its API base URL is overridden to the
// simulator's, exactly as an operator's config would, and its bearer token is one the
// simulator issued for `user`.
//
//   auto harness = PluginSimHarness::start("google_calendar");
//   InvokeOutcome out = harness->invoke("create_event", R"({"summary": ...})");
//   EXPECT_TRUE(out.ok()) << out.json;
//   EXPECT_TRUE(harness->sim().validation_failures().empty());
//
// invoke() goes through Connector::invoke, so params and results are checked against the
// category schema as in the running host. What the harness does not do is the host's token
// refresh: a request that fails with 401 is answered as the simulator answered it.
#pragma once

#include "core/plugin/call_context.hpp"
#include "core/plugin/connector.hpp"
#include "tests/provider_sim/provider_sim.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::testing {

struct PluginSimOptions {
    std::string provider_id;                     // e.g. "google_calendar"
    std::string user = "sim.user@example.com";   // the connected account
    // Scopes of the issued token; empty: the descriptor's default scopes.
    std::vector<std::string> scopes;
    sim::SimOptions sim;                         // the simulator's own options
    // Retries of the outbound client (429/5xx); waits are shortened so tests stay fast.
    int max_attempts = 3;
    std::chrono::milliseconds base_backoff{5};
    std::chrono::milliseconds max_backoff{50};
};

class PluginSimHarness {
public:
    // Fails the calling test (ADD_FAILURE) and returns nullptr when something cannot start.
    static std::unique_ptr<PluginSimHarness> start(std::string provider_id);
    static std::unique_ptr<PluginSimHarness> start(PluginSimOptions options);

    ~PluginSimHarness();

    sim::ProviderSim& sim();
    const plugin::ProviderDescriptor& provider() const;
    const std::string& access_token() const;

    // Runs `action` on a connector of the provider (tenant "tenant-1"), as the host would.
    plugin::InvokeOutcome invoke(std::string_view action, std::string_view params_json);

    // The HTTP requests the plugin made through the host during the last invoke().
    const std::vector<plugin::ProviderHttpRequest>& last_requests() const;

    // Replaces the bearer token the plugin's requests carry (e.g. a revoked or made-up one).
    void set_access_token(std::string token);

    struct Impl;

private:
    explicit PluginSimHarness(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace switchboard::testing
