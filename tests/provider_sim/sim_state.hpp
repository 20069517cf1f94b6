// What every part of the simulator shares: the options and the settings tests may change
// while it runs, the clock, tokens, pending consents, the request log, the faults and the
// loaded descriptions. Each service (Calendar, Gmail, ...) keeps its own data.
#pragma once

#include "tests/provider_sim/admin/fault_controller.hpp"
#include "tests/provider_sim/admin/request_log.hpp"
#include "tests/provider_sim/common/clock.hpp"
#include "tests/provider_sim/oauth/consent.hpp"
#include "tests/provider_sim/oauth/token_store.hpp"
#include "tests/provider_sim/sim_options.hpp"

#include <chrono>
#include <memory>
#include <mutex>

namespace switchboard::sim {

class GoogleCatalog;
class HubSpotCatalog;

// The options that may change while the simulator runs (PUT /_admin/settings).
struct SimSettings {
    bool auto_approve = false;
    std::chrono::seconds google_access_token_lifetime{3599};
    std::chrono::seconds hubspot_access_token_lifetime{1800};
    bool rotate_refresh_tokens = false;
};

class SimState {
public:
    SimState(SimOptions options, std::shared_ptr<const GoogleCatalog> google,
             std::shared_ptr<const HubSpotCatalog> hubspot);

    const SimOptions& options() const { return options_; }
    // [thread-safe]
    SimSettings settings() const;
    void set_settings(const SimSettings& settings);

    // HubSpot's account id for the account of `email`: stable across runs.
    static std::int64_t hub_id_for(const std::string& email);

    const GoogleCatalog& google() const { return *google_; }
    const HubSpotCatalog& hubspot() const { return *hubspot_; }

    Clock clock;
    TokenStore tokens{clock};
    ConsentRequests consent{clock};
    RequestLog log;
    FaultController faults;

private:
    SimOptions options_;
    std::shared_ptr<const GoogleCatalog> google_;
    std::shared_ptr<const HubSpotCatalog> hubspot_;
    mutable std::mutex settings_mutex_;
    SimSettings settings_;
};

} // namespace switchboard::sim
