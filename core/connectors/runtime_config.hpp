// What ConnectorRuntime::create derives from the Config and the Environment, as small pure
// functions (tested on their own): the database URL with its password, the Redis options (of
// the state store and of the rate limits), the OAuth redirect URI, the front end, the
// background refresh's policy, the webhooks with their secrets and their delivery's policy,
// and whether plain http to loopback must be allowed.
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/connectors/background_refresh_options.hpp"
#include "core/connectors/proxy_options.hpp"
#include "core/config/environment.hpp"
#include "core/events/webhook_deliverer.hpp"
#include "core/plugin/provider_registry.hpp"
#include "core/redis/redis_client.hpp"

#include <string>
#include <vector>

namespace switchboard::connectors {

// sqlite: "sqlite://<path>" (or "sqlite::memory:"); postgresql: the configured URL with the
// password from `database.password_env` set in it (percent-encoded). Errors (invalid_input,
// `database_password_missing`, field "database.password_env") name the variable when it is
// configured but not set. The returned URL is a secret when it holds a password.
Result<std::string> database_url(const config::DatabaseConfig& config,
                                 const config::Environment& environment);

// redis://host[:port][/db] -> host, port (6379), database; rediss:// the same over TLS
// (trusting the system store and `state_store.redis_ca_file`); the password from
// `state_store.password_env`; connect and command timeouts = timeout_ms. Errors:
// invalid_input / `invalid_redis_url` (field "state_store.redis_url"), invalid_input /
// `redis_password_missing` naming the variable.
Result<redis::RedisOptions> redis_options(const config::StateStoreConfig& config,
                                          const config::Environment& environment);

// `<public_urls.api_base_url>/api/v1/connectors/callback`. The Config already carries the
// API_BASE_URL override (the config loader applies it).
std::string callback_redirect_uri(const config::PublicUrlsConfig& urls);

// rate_limits.redis_url, rate_limits.password_env and rate_limits.redis_ca_file, read as redis_options() reads the state
// store's (errors name the rate_limits keys); connect and command timeouts = timeout_ms; its
// failures are `rate_limit_store_unavailable`.
Result<redis::RedisOptions> rate_limit_redis_options(const config::RateLimitsConfig& config,
                                                     const config::Environment& environment);

// The webhooks of `events.webhooks`, each with its signing secret from the environment.
// Errors name the variable and never its value: invalid_input / `webhook_secret_missing`
// (field "events.webhooks[i].secret_env") when it is not set, `webhook_secret_too_short` when
// it holds fewer than 16 characters (a guessable secret signs nothing).
Result<std::vector<events::WebhookEndpoint>> webhook_endpoints(
    const config::EventsConfig& config, const config::Environment& environment);

// The webhook delivery's policy from the config's `events` section.
events::WebhookDeliveryOptions webhook_delivery_options(const config::EventsConfig& config);

// public_urls.frontend_url (FRONTEND_URL applied by the loader), else the API base URL (the
// host serves its own pages there).
std::string frontend_url(const config::PublicUrlsConfig& urls);

// The background refresh's policy from the config's `refresh` section (seconds to durations).
BackgroundRefreshOptions background_refresh_options(const config::RefreshConfig& config);

// The proxy's options from the config's `proxy` section (seconds to durations).
ProxyOptions proxy_options(const config::ProxyConfig& config);

// True when an enabled provider's API, authorize, token, revoke or identity URL points at a
// loopback host (the provider simulator): only then may the outbound client speak plain
// http, and only to loopback.
bool providers_use_loopback(const plugin::ProviderRegistry& registry);

} // namespace switchboard::connectors
