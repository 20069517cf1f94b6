// ConnectorRuntime: everything behind the REST API, built once from the config — the token
// store (database + encryption keys), the OAuth state store (SQL or Redis), the outbound HTTP
// client and its rate limits, the OAuth client, token refresh (on demand and in the
// background), the connector events (the outbox, its webhooks and the events feed), and the
// ConnectorService and ActionService the routes call. host/app builds one at start-up.
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/config/environment.hpp"
#include "core/connectors/action_service.hpp"
#include "core/connectors/background_refresh_options.hpp"
#include "core/connectors/connector_service.hpp"
#include "core/connectors/proxy_service.hpp"
#include "core/events/event_feed.hpp"
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/provider_registry.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace prometheus {
class Registry;
}

namespace switchboard::http {
class HttpClient;
}

namespace switchboard::connectors {

// Test seams; production leaves them empty.
struct RuntimeOverrides {
    // Replaces the outbound client built from the config (e.g. one that trusts a test CA).
    std::shared_ptr<http::HttpClient> http_client;
    // Replaces the system clock for token expiry, state TTLs and idempotency windows.
    std::function<std::chrono::system_clock::time_point()> clock;
    // Replaces the background refresh's policy the config's `refresh` section gives.
    std::optional<BackgroundRefreshOptions> background_refresh;
    // Replaces connect.sweep_interval_seconds (how often unconfirmed connections are swept).
    std::optional<std::chrono::milliseconds> pending_sweep_interval;
    // Replaces the client the webhooks are POSTed with.
    std::shared_ptr<http::HttpClient> webhook_http_client;
};

class ConnectorRuntime {
public:
    // Opens the database (running migrations), loads the encryption keys from the
    // environment (CONNECTOR_ENCRYPTION_KEY, CONNECTOR_ENCRYPTION_KEYS_OLD) and checks that
    // they open the database's key check (store/key_check.hpp: `encryption_key_mismatch`
    // otherwise; a new database gets its check now), connects the state store, and registers
    // its metrics in `metrics` (may be null: no metrics). Errors name what is wrong (the
    // variable, the config key, the unreachable server) and never a secret.
    // Reads from `config`: database, state_store, public_urls (api_base_url gives the OAuth
    // redirect URI <api_base_url>/api/v1/connectors/callback; frontend_url, else
    // api_base_url, is where the callback sends the browser — the config loader has already
    // applied API_BASE_URL and FRONTEND_URL), server.worker_threads (database pool size),
    // refresh (the background refresh's policy), connect (confirmation mode, sweep interval;
    // a completion code lives as long as state_store.ttl_seconds), proxy (the proxy's limits),
    // events (the webhooks and their delivery, the events' retention), rate_limits (the
    // outbound buckets; with the redis backend, Redis must answer at start-up).
    // Reads from `environment`: the encryption keys, the database and Redis passwords, each
    // provider's client credentials (a provider without them is listed with configured =
    // false), and each webhook's signing secret. [main-thread]
    static Result<std::unique_ptr<ConnectorRuntime>> create(
        const config::Config& config, const config::Environment& environment,
        std::shared_ptr<const plugin::ProviderRegistry> providers,
        std::shared_ptr<const plugin::ConnectorFactory> factory,
        std::shared_ptr<prometheus::Registry> metrics, RuntimeOverrides overrides = {});

    virtual ~ConnectorRuntime() = default;

    // [thread-safe]
    virtual ConnectorService& connectors() = 0;
    virtual ActionService& actions() = 0;
    // The credentialed proxy; null for a runtime that has none (test doubles).
    virtual ProxyService* proxy() { return nullptr; }
    // The events feed (GET /api/v1/events); null when this runtime has none.
    virtual events::EventFeed* events() { return nullptr; }

    // GET /readyz: the database and the state store answer within their timeouts. Errors:
    // unavailable / `database_unavailable`, `database_busy`, `state_store_unavailable`.
    virtual Result<void> check_ready() = 0;

    // Background refresh of tokens that expire soon, coordinated through the database (row
    // leases) so each token is refreshed once across instances; the sweep that revokes and
    // deletes connections left unconfirmed past their time (connect.sweep_interval_seconds;
    // rows claimed with SKIP LOCKED, so instances share the work); the webhook delivery
    // (leased deliveries, shared the same way); and the hourly purge of events past their
    // retention. stop() waits for them all.
    virtual void start_background_refresh() = 0;
    virtual void stop() = 0;
};

} // namespace switchboard::connectors
