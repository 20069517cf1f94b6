#include "core/connectors/connector_runtime.hpp"

#include "core/connectors/action_runner.hpp"
#include "core/connectors/background_refresher.hpp"
#include "core/connectors/connector_manager.hpp"
#include "core/connectors/pending_discarder.hpp"
#include "core/connectors/periodic_task.hpp"
#include "core/connectors/runtime_config.hpp"
#include "core/crypto/encryption_keys.hpp"
#include "core/crypto/secure_random.hpp"
#include "core/http/beast_http_client.hpp"
#include "core/oauth/redis_oauth_state_store.hpp"
#include "core/oauth/sql_oauth_state_store.hpp"
#include "core/store/key_check.hpp"
#include "core/store/pending_connections.hpp"
#include "core/store/refresh_lease.hpp"
#include "core/store/refresh_lock.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace switchboard::connectors {
namespace {

class DefaultConnectorRuntime final : public ConnectorRuntime {
public:
    ConnectorService& connectors() override { return *manager; }
    ActionService& actions() override { return *runner; }

    Result<void> check_ready() override {
        auto pinged = database->with_session("checking readiness", [](soci::session& sql) {
            int one = 0;
            sql << "SELECT 1", soci::into(one);
            return Result<void>();
        });
        if (!pinged) return pinged.error();
        return probe_state_store();
    }

    // A well-formed state that exists nowhere: the store must look it up to say so, which
    // proves it answers (invalid_state) or not (state_store_unavailable).
    Result<void> probe_state_store() {
        auto probe = crypto::random_token(oauth::detail::state_entropy_bytes);
        if (!probe) return probe.error();
        auto consumed = states->consume(*probe);
        if (!consumed && consumed.error().code != "invalid_state") return consumed.error();
        return {};
    }

    void start_background_refresh() override {
        refresher->start();
        sweeper->start();
    }
    void stop() override {
        refresher->stop();
        sweeper->stop();
    }

    ~DefaultConnectorRuntime() override {
        if (refresher) refresher->stop();
        if (sweeper) sweeper->stop();
    }

    std::shared_ptr<store::Database> database;
    std::shared_ptr<oauth::OAuthStateStore> states;
    std::shared_ptr<http::HttpClient> http;
    std::shared_ptr<ConnectorManager> manager;
    std::shared_ptr<ActionRunner> runner;
    std::unique_ptr<BackgroundRefresher> refresher;
    std::unique_ptr<PeriodicTask> sweeper;
};

// A wrong key (valid, but not the database's) would serve, fail to read every connector and
// write new ones under itself: refuse to start instead.
Result<void> check_encryption_key(store::Database& database, const crypto::MultiFernet& keys) {
    auto checked = store::verify_key_check(database, keys);
    if (!checked) return checked.error();
    if (checked->state == store::KeyCheckState::old_key) {
        spdlog::warn("the database is encrypted under a key from {} (entry {}): run `switchboard "
                     "rotate-keys` to move it to {}",
                     crypto::old_keys_variable, checked->key_index, crypto::primary_key_variable);
    }
    return {};
}

} // namespace

Result<std::unique_ptr<ConnectorRuntime>> ConnectorRuntime::create(
    const Config& config, const Environment& environment,
    std::shared_ptr<const ProviderRegistry> providers,
    std::shared_ptr<const ConnectorFactory> factory, std::shared_ptr<prometheus::Registry> metrics,
    RuntimeOverrides overrides) {
    if (!providers || !factory) {
        return Error(ErrorKind::internal, "invalid_runtime",
                     "the connector runtime needs the provider registry and the factory");
    }
    auto runtime = std::make_unique<DefaultConnectorRuntime>();
    const store::WallClock clock = overrides.clock;

    // The keys first: without them nothing can be stored, whatever else works.
    auto keys = crypto::load_encryption_keys(
        environment.get(std::string(crypto::primary_key_variable)),
        environment.get(std::string(crypto::old_keys_variable)));
    if (!keys) return keys.error();
    auto shared_keys = std::make_shared<const crypto::MultiFernet>(std::move(*keys));

    auto url = database_url(config.database, environment);
    if (!url) return url.error();
    store::DatabaseOptions database_options;
    database_options.pool_size = std::max<std::size_t>(4, config.server.worker_threads + 2);
    database_options.sqlite_synchronous_full = config.database.sqlite_synchronous_full;
    auto database = store::Database::open(*url, database_options);
    if (!database) return database.error();
    runtime->database = *database;
    if (auto checked = check_encryption_key(*runtime->database, *shared_keys); !checked) {
        return checked.error();
    }

    auto connector_metrics = std::make_shared<ConnectorMetrics>(metrics);
    if (overrides.http_client) {
        runtime->http = overrides.http_client;
    } else {
        http::BeastHttpClientOptions http_options;
        http_options.allow_plain_http_loopback = providers_use_loopback(*providers);
        http_options.metrics = connector_metrics->http_observer();
        auto client = http::BeastHttpClient::create(std::move(http_options));
        if (!client) return client.error();
        runtime->http = std::shared_ptr<http::HttpClient>(std::move(*client));
    }

    oauth::OAuthStateStoreOptions state_options;
    state_options.ttl = std::chrono::seconds(config.state_store.ttl_seconds);
    state_options.clock = clock;
    if (config.state_store.backend == StateStoreBackend::redis) {
        auto redis = redis_options(config.state_store, environment);
        if (!redis) return redis.error();
        runtime->states =
            std::make_shared<oauth::RedisOAuthStateStore>(std::move(*redis), state_options);
        // Fail at start-up rather than at the first user's callback.
        if (auto probe = runtime->probe_state_store(); !probe) return probe.error();
    } else {
        runtime->states =
            std::make_shared<oauth::SqlOAuthStateStore>(runtime->database, state_options);
    }

    auto directory = std::make_shared<const ProviderDirectory>(*providers, environment);
    for (const ProviderAccess* access : directory->list()) {
        if (!access->credentials) {
            spdlog::warn("provider {} is enabled but not configured: {}", access->id(),
                         access->missing);
        }
    }
    if (!config.public_urls.frontend_url) {
        spdlog::warn("public_urls.frontend_url (FRONTEND_URL) is not set: the OAuth callback "
                     "returns the browser to {}",
                     frontend_url(config.public_urls));
    }

    auto repository =
        std::make_shared<store::ConnectorRepository>(runtime->database, shared_keys, clock);
    auto oauth_client = std::make_shared<const oauth::OAuthClient>(runtime->http);
    auto tokens = std::make_shared<TokenManager>(
        repository, std::make_shared<store::RefreshLocks>(runtime->database, clock), directory,
        oauth_client, connector_metrics, clock);

    auto pending = std::make_shared<store::PendingConnections>(runtime->database, shared_keys,
                                                                clock);
    auto discarder = std::make_shared<PendingDiscarder>(pending, repository, directory,
                                                        oauth_client, connector_metrics, clock);

    ConnectorManagerParts parts;
    parts.providers = directory;
    parts.factory = factory;
    parts.repository = repository;
    parts.states = runtime->states;
    parts.oauth = oauth_client;
    parts.tokens = tokens;
    parts.http = runtime->http;
    parts.metrics = connector_metrics;
    parts.clock = clock;
    parts.pending = pending;
    parts.discarder = discarder;
    ConnectorManagerOptions options;
    options.redirect_uri = callback_redirect_uri(config.public_urls);
    options.frontend_url = frontend_url(config.public_urls);
    options.confirmation = config.connect.confirmation;
    options.completion_ttl = std::chrono::seconds(config.state_store.ttl_seconds);
    runtime->manager = std::make_shared<ConnectorManager>(std::move(parts), std::move(options));
    if (config.connect.confirmation == ConnectConfirmation::immediate) {
        spdlog::warn("connect.confirmation is \"immediate\": an OAuth callback stores the "
                     "account in the tenant of whoever started the flow, whoever's browser "
                     "finished it (see config/README.md)");
    }

    runtime->runner = std::make_shared<ActionRunner>(ActionRunnerParts{
        runtime->manager, repository,
        std::make_shared<store::IdempotencyStore>(runtime->database, shared_keys, clock),
        std::make_shared<store::ActionAuditLog>(runtime->database, clock)});

    runtime->refresher = std::make_unique<BackgroundRefresher>(
        std::make_shared<store::RefreshLeaser>(runtime->database, clock), tokens,
        overrides.background_refresh.value_or(background_refresh_options(config.refresh)),
        clock);
    runtime->sweeper = std::make_unique<PeriodicTask>(
        "pending connection sweep",
        overrides.pending_sweep_interval.value_or(
            std::chrono::seconds(config.connect.sweep_interval_seconds)),
        [discarder] { discarder->sweep(); });

    spdlog::info("connector runtime ready: database {}, OAuth state in {}, redirect URI {}, "
                 "connect confirmation {}",
                 runtime->database->redacted_url(), to_string(config.state_store.backend),
                 runtime->manager->options().redirect_uri, to_string(config.connect.confirmation));
    return std::unique_ptr<ConnectorRuntime>(std::move(runtime));
}

} // namespace switchboard::connectors
