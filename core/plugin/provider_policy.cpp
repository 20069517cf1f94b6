#include "core/plugin/provider_policy.hpp"

namespace switchboard::plugin {

ProviderPolicy generic_provider_policy(std::string_view provider_id) {
    ProviderPolicy policy;
    policy.credential_prefix = config::default_credential_prefix(provider_id);
    return policy;
}

std::shared_ptr<const std::vector<http::RateLimitHeaderRule>>
rate_limit_rules(const ProviderPolicy& policy) {
    if (policy.rate_limit_headers.empty()) return nullptr;
    return std::make_shared<const std::vector<http::RateLimitHeaderRule>>(
        policy.rate_limit_headers);
}

config::ProviderConfig with_credential_variables(config::ProviderConfig config,
                                                 const ProviderPolicy& policy) {
    if (config.client_id_env.empty()) config.client_id_env = policy.credential_prefix + "_CLIENT_ID";
    if (config.client_secret_env.empty()) {
        config.client_secret_env = policy.credential_prefix + "_CLIENT_SECRET";
    }
    return config;
}

} // namespace switchboard::plugin
