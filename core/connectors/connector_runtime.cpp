#include "core/connectors/connector_runtime.hpp"

#include "core/connectors/action_runner.hpp"
#include "core/connectors/background_refresher.hpp"
#include "core/connectors/connector_manager.hpp"
#include "core/connectors/pending_discarder.hpp"
#include "core/connectors/periodic_task.hpp"
#include "core/connectors/provider_proxy.hpp"
#include "core/connectors/runtime_config.hpp"
#include "core/crypto/encryption_keys.hpp"
#include "core/crypto/secure_random.hpp"
#include "core/events/event_metrics.hpp"
#include "core/events/webhook_deliverer.hpp"
#include "core/http/beast_http_client.hpp"
#include "core/oauth/redis_oauth_state_store.hpp"
#include "core/oauth/sql_oauth_state_store.hpp"
#include "core/ratelimit/local_token_buckets.hpp"
#include "core/ratelimit/redis_token_buckets.hpp"
#include "core/ratelimit/token_bucket_rate_limiter.hpp"
#include "core/store/event_log.hpp"
#include "core/store/event_outbox.hpp"
#include "core/store/key_check.hpp"
#include "core/store/pending_connections.hpp"
#include "core/store/refresh_lease.hpp"
#include "core/store/refresh_lock.hpp"
#include "core/store/webhook_queue.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace switchboard::connectors {
namespace {

// How often each instance purges the events past their retention.
constexpr std::chrono::hours event_purge_interval{1};

class DefaultConnectorRuntime final : public ConnectorRuntime {
public:
    ConnectorService& connectors() override { return *manager; }
    ActionService& actions() override { return *runner; }
    ProxyService* proxy() override { return proxied.get(); }
    events::EventFeed* events() override { return feed.get(); }

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
        if (deliverer) deliverer->start();
        purger->start();
    }
    void stop() override {
        refresher->stop();
        sweeper->stop();
        if (deliverer) deliverer->stop();
        purger->stop();
    }

    ~DefaultConnectorRuntime() override {
        if (refresher) refresher->stop();
        if (sweeper) sweeper->stop();
        if (deliverer) deliverer->stop();
        if (purger) purger->stop();
    }

    std::shared_ptr<store::Database> database;
    std::shared_ptr<oauth::OAuthStateStore> states;
    std::shared_ptr<http::HttpClient> http;
    std::shared_ptr<ConnectorManager> manager;
    std::shared_ptr<ActionRunner> runner;
    std::shared_ptr<ProviderProxy> proxied;
    std::unique_ptr<BackgroundRefresher> refresher;
    std::unique_ptr<PeriodicTask> sweeper;
    std::shared_ptr<events::EventFeed> feed;
    std::unique_ptr<events::WebhookDeliverer> deliverer;
    std::unique_ptr<PeriodicTask> purger;
};

// The outbound rate limiter the config asks for: off, in this process, or shared through
// Redis (which must answer now: a wrong URL or password is found at start-up) with the
// in-process buckets standing in while Redis is down.
Result<std::shared_ptr<ratelimit::RateLimiter>> rate_limiter(
    const config::RateLimitsConfig& config,
    const std::map<std::string, config::ProviderRateLimits>& defaults,
    const config::Environment& environment, std::shared_ptr<prometheus::Registry> registry) {
    if (!config.enabled) return std::shared_ptr<ratelimit::RateLimiter>(
        std::make_shared<ratelimit::UnlimitedRateLimiter>());
    ratelimit::TokenBucketRateLimiterParts parts;
    parts.metrics = std::make_shared<ratelimit::RateLimitMetrics>(std::move(registry));
    auto local = std::make_shared<ratelimit::LocalTokenBuckets>();
    if (config.backend == config::RateLimitBackend::redis) {
        auto options = rate_limit_redis_options(config, environment);
        if (!options) return options.error();
        auto client = std::make_shared<redis::RedisClient>(std::move(*options));
        auto ping = client->run({"PING"});
        if (!ping) return ping.error();
        if (ping->type == redis::RedisReply::Type::error) {
            return Error(ErrorKind::unavailable, "rate_limit_store_unavailable",
                         "the rate limits' Redis refused PING: " + ping->text);
        }
        parts.buckets = std::make_shared<ratelimit::RedisTokenBuckets>(std::move(client));
        parts.fallback = local;
    } else {
        parts.buckets = local;
    }
    return std::shared_ptr<ratelimit::RateLimiter>(std::make_shared<ratelimit::TokenBucketRateLimiter>(
        std::move(parts), ratelimit::rate_limit_policy(config, defaults)));
}

// The client the webhooks are POSTed with: no retries of its own (the outbox retries, with
// its backoff), plain http only to a loopback host (the config allows no other).
Result<std::shared_ptr<http::HttpClient>> webhook_client(const config::EventsConfig& config) {
    http::BeastHttpClientOptions options;
    options.max_attempts = 1;
    options.connect_timeout = std::chrono::milliseconds(config.timeout_ms);
    options.read_timeout = std::chrono::milliseconds(config.timeout_ms);
    options.total_deadline = std::chrono::milliseconds(config.timeout_ms);
    options.max_response_body_bytes = 64 * 1024;
    for (const auto& webhook : config.webhooks) {
        if (webhook.url.rfind("http://", 0) == 0) options.allow_plain_http_loopback = true;
    }
    auto client = http::BeastHttpClient::create(std::move(options));
    if (!client) return client.error();
    return std::shared_ptr<http::HttpClient>(std::move(*client));
}

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
    const config::Config& config, const config::Environment& environment,
    std::shared_ptr<const plugin::ProviderRegistry> providers,
    std::shared_ptr<const plugin::ConnectorFactory> factory,
    std::shared_ptr<prometheus::Registry> metrics, RuntimeOverrides overrides) {
    if (!providers || !factory) {
        return Error(ErrorKind::internal, "invalid_runtime",
                     "the connector runtime needs the provider registry and the factory");
    }
    auto runtime = std::make_unique<DefaultConnectorRuntime>();
    const store::WallClock clock = overrides.clock;

    // The keys first: without them nothing can be stored, whatever else works.
    auto keys = crypto::load_encryption_keys_from_environment(
        [&environment](std::string_view name) {
            return config::read_secret(environment, std::string(name));
        });
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
    if (config.state_store.backend == config::StateStoreBackend::redis) {
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

    // Events: every change writes its event (and a delivery per webhook) in its transaction.
    auto webhooks = webhook_endpoints(config.events, environment);
    if (!webhooks) return webhooks.error();
    std::vector<std::string> endpoint_names;
    for (const auto& webhook : *webhooks) endpoint_names.push_back(webhook.name);
    auto outbox = std::make_shared<const store::EventOutbox>(endpoint_names, clock);
    auto event_log = std::make_shared<store::EventLog>(runtime->database);
    runtime->feed = std::make_shared<events::OutboxEventFeed>(event_log);
    if (!webhooks->empty()) {
        std::shared_ptr<http::HttpClient> client = overrides.webhook_http_client;
        if (!client) {
            auto built = webhook_client(config.events);
            if (!built) return built.error();
            client = std::move(*built);
        }
        events::WebhookDelivererParts delivery;
        delivery.queue = std::make_shared<store::WebhookQueue>(runtime->database, clock);
        delivery.log = event_log;
        delivery.http = std::move(client);
        delivery.endpoints = std::move(*webhooks);
        delivery.metrics = std::make_shared<events::EventMetrics>(metrics);
        delivery.clock = clock;
        runtime->deliverer = std::make_unique<events::WebhookDeliverer>(
            std::move(delivery), webhook_delivery_options(config.events));
    }
    const auto retention = std::chrono::hours(24) * config.events.retention_days;
    runtime->purger = std::make_unique<PeriodicTask>(
        "event purge", event_purge_interval, [event_log, retention, endpoint_names, clock] {
            const auto now = clock ? clock() : std::chrono::system_clock::now();
            auto purged = event_log->purge(now - retention, endpoint_names);
            if (!purged) {
                spdlog::warn("cannot purge old events: {}", purged.error().message);
            } else if (*purged > 0) {
                spdlog::info("purged {} events older than the retention", *purged);
            }
        });

    auto limiter = rate_limiter(config.rate_limits, plugin::policy_rate_limits(*providers),
                                environment, metrics);
    if (!limiter) return limiter.error();

    auto repository = std::make_shared<store::ConnectorRepository>(runtime->database, shared_keys,
                                                                   clock, outbox);
    auto oauth_client = std::make_shared<const oauth::OAuthClient>(runtime->http);
    auto tokens = std::make_shared<TokenManager>(
        repository, std::make_shared<store::RefreshLocks>(runtime->database, clock), directory,
        oauth_client, connector_metrics, clock, TokenManagerOptions{}, *limiter);

    auto pending = std::make_shared<store::PendingConnections>(runtime->database, shared_keys,
                                                                clock, store::PendingOptions{},
                                                                outbox);
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
    options.http.rate_limiter = *limiter;
    runtime->manager = std::make_shared<ConnectorManager>(std::move(parts), std::move(options));
    if (config.connect.confirmation == config::ConnectConfirmation::immediate) {
        spdlog::warn("connect.confirmation is \"immediate\": an OAuth callback stores the "
                     "account in the tenant of whoever started the flow, whoever's browser "
                     "finished it (see config/README.md)");
    }

    auto audit = std::make_shared<store::ActionAuditLog>(runtime->database, clock);
    runtime->runner = std::make_shared<ActionRunner>(ActionRunnerParts{
        runtime->manager, repository,
        std::make_shared<store::IdempotencyStore>(runtime->database, shared_keys, clock), audit});
    runtime->proxied = std::make_shared<ProviderProxy>(
        ProviderProxyParts{runtime->manager, directory, tokens, runtime->http, audit},
        proxy_options(config.proxy));

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
                 "connect confirmation {}, {} webhook(s), rate limits {}",
                 runtime->database->redacted_url(), to_string(config.state_store.backend),
                 runtime->manager->options().redirect_uri, to_string(config.connect.confirmation),
                 endpoint_names.size(),
                 config.rate_limits.enabled ? to_string(config.rate_limits.backend) : "off");
    return std::unique_ptr<ConnectorRuntime>(std::move(runtime));
}

} // namespace switchboard::connectors
