// ProviderSim: Google (OAuth 2.0, Calendar v3, Gmail v1, Drive v3) and HubSpot (OAuth v1,
// CRM v3) in one in-memory HTTP server on loopback, checked against their published
// descriptions (SimOptions::specs_dir). Each real host is a path prefix:
//   http://127.0.0.1:<port>/oauth2.googleapis.com/token
//   http://127.0.0.1:<port>/www.googleapis.com/calendar/v3/calendars/primary/events
//   http://127.0.0.1:<port>/api.hubapi.com/crm/v3/objects/contacts
// so a client's base URL override is base_url() + "/" + host.
//
// In a GoogleTest fixture:
//   auto sim = switchboard::sim::ProviderSim::start({}).value();   // a free port
//   std::string token_url = sim->url("oauth2.googleapis.com/token");
//   sim->add_fault({.kind = FaultRule::Kind::error, .prefix = "/api.hubapi.com/",
//                   .count = 2, .status = 429, .retry_after_seconds = 1});
//   ... exercise the code under test ...
//   EXPECT_TRUE(sim->validation_failures().empty());
#pragma once

#include "core/common/error.hpp"
#include "tests/provider_sim/admin/fault_controller.hpp"
#include "tests/provider_sim/admin/request_log.hpp"
#include "tests/provider_sim/google/gmail/gmail_service.hpp"
#include "tests/provider_sim/hubspot/crm_service.hpp"
#include "tests/provider_sim/oauth/token_store.hpp"
#include "tests/provider_sim/sim_options.hpp"
#include "tests/provider_sim/sim_state.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

class GoogleCatalog;
class HubSpotCatalog;

class ProviderSim {
public:
    // Loads the descriptions from options.specs_dir (a missing file is an error naming its
    // path), binds options.bind_address:options.port (0: a free port) and starts serving.
    static Result<std::unique_ptr<ProviderSim>> start(SimOptions options = {});

    ~ProviderSim();
    ProviderSim(const ProviderSim&) = delete;
    ProviderSim& operator=(const ProviderSim&) = delete;

    // Stops serving and joins the server threads. Idempotent; the destructor calls it.
    void stop();

    std::uint16_t port() const;
    // "http://127.0.0.1:<port>"
    std::string base_url() const;
    // base_url() + "/" + host_and_path, e.g. url("api.hubapi.com") for HubSpot's API base.
    std::string url(std::string_view host_and_path) const;

    // [thread-safe] What was asked of the simulator (admin calls excluded).
    std::vector<RecordedRequest> requests() const;
    // The requests that did not validate against their description.
    std::vector<RecordedRequest> validation_failures() const;
    // Calls of one method id ("calendar.events.insert", "contacts_create", "oauth2.token").
    std::uint64_t calls(std::string_view method_id) const;
    std::map<std::string, std::uint64_t> counters() const;
    void clear_requests();

    // [thread-safe] Faults (see FaultRule); returns the rule's id.
    std::uint64_t add_fault(FaultRule rule);
    bool remove_fault(std::uint64_t id);
    void clear_faults();
    std::vector<std::pair<std::uint64_t, FaultRule>> faults() const;
    std::uint64_t faults_hit() const;

    // [thread-safe] Tokens and time.
    std::size_t expire_access_tokens(std::optional<Provider> provider = std::nullopt);
    bool revoke_refresh_token(std::string_view refresh_token);
    std::size_t revoke_refresh_tokens_of(std::string_view user);
    // Every code and token issued and every PKCE verifier presented (see TokenStore).
    std::vector<std::string> issued_secrets() const;
    void advance_clock(std::chrono::seconds by);
    // Tokens for `user` without the OAuth dance, for tests of API calls alone. For HubSpot
    // the grant's hub is the user's (SimState::hub_id_for). `client_id` empty: the
    // configured client of that provider.
    IssuedTokens issue_tokens(Provider provider, const std::string& user, std::vector<std::string> scopes,
                              bool with_refresh_token = true, const std::string& client_id = {});

    // A HubSpot private app of `user`'s account with `scopes`: its access token, which never
    // expires (HubSpot's private apps: Settings > Integrations > Private Apps).
    std::string issue_private_app_token(const std::string& user, std::vector<std::string> scopes);
    // The access token stops working (a private app's token deleted or rotated).
    bool revoke_access_token(std::string_view token);

    SimSettings settings() const;
    void set_settings(const SimSettings& settings);

    // [thread-safe] Simulated data, for assertions.
    std::vector<StoredEmail> gmail_messages(std::string_view account) const;
    std::vector<CrmService::Record> hubspot_records(const std::string& user, const std::string& object) const;

    // Forgets all data, tokens, pending consents, faults and requests; settings and clock
    // return to their start values.
    void reset();

    const GoogleCatalog& google_catalog() const;
    const HubSpotCatalog& hubspot_catalog() const;

private:
    struct Impl;
    explicit ProviderSim(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace switchboard::sim
