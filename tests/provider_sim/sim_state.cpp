#include "tests/provider_sim/sim_state.hpp"

#include "tests/provider_sim/common/digest.hpp"

namespace switchboard::sim {

SimState::SimState(SimOptions options, std::shared_ptr<const GoogleCatalog> google,
                   std::shared_ptr<const HubSpotCatalog> hubspot)
    : faults(options.fault_seed), options_(std::move(options)), google_(std::move(google)),
      hubspot_(std::move(hubspot)) {
    settings_.auto_approve = options_.auto_approve;
    settings_.google_access_token_lifetime = options_.google_access_token_lifetime;
    settings_.hubspot_access_token_lifetime = options_.hubspot_access_token_lifetime;
    settings_.rotate_refresh_tokens = options_.rotate_refresh_tokens;
}

SimSettings SimState::settings() const {
    std::lock_guard lock(settings_mutex_);
    return settings_;
}

void SimState::set_settings(const SimSettings& settings) {
    std::lock_guard lock(settings_mutex_);
    settings_ = settings;
}

std::int64_t SimState::hub_id_for(const std::string& email) {
    return std::stoll(stable_digits("hubspot-hub:" + email, 8));
}

} // namespace switchboard::sim
