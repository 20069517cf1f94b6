#include "tests/connectors/support/connector_world.hpp"

#include "core/crypto/token_cipher.hpp"
#include "core/http/beast_http_client.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/connectors/runtime_config.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "tests/support/postgres_server.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#ifndef SB_PLUGINS_DIR
#error "SB_PLUGINS_DIR must name the build's plugins directory"
#endif
#ifndef SBT_LIBS_DIR
#error "SBT_LIBS_DIR must name the directory of the test plugin libraries"
#endif

namespace switchboard::testing {
namespace {

config::ProviderOverrides google_overrides(const sim::ProviderSim& sim,
                                           const std::string& api_host) {
    config::ProviderOverrides o;
    o.api_base_url = sim.url(api_host);
    o.authorize_url = sim.url("accounts.google.com/o/oauth2/v2/auth");
    o.token_url = sim.url("oauth2.googleapis.com/token");
    o.revoke_url = sim.url("oauth2.googleapis.com/revoke");
    o.identity_url = sim.url("openidconnect.googleapis.com/v1/userinfo");
    return o;
}

config::ProviderOverrides hubspot_overrides(const sim::ProviderSim& sim) {
    config::ProviderOverrides o;
    o.api_base_url = sim.url("api.hubapi.com");
    o.authorize_url = sim.url("app.hubspot.com/oauth/authorize");
    o.token_url = sim.url("api.hubapi.com/oauth/v1/token");
    o.revoke_url = sim.url("api.hubapi.com/oauth/v1/refresh-tokens/{token}");
    o.identity_url = sim.url("api.hubapi.com/oauth/v1/access-tokens/{access_token}");
    return o;
}

// The credential variables are left to the plugins' policies (GOOGLE_* for Google's three).
config::ProviderConfig provider_config(config::ProviderOverrides overrides) {
    config::ProviderConfig c;
    c.overrides = std::move(overrides);
    return c;
}

} // namespace

ConnectorWorld::~ConnectorWorld() {
    // Connectors and libraries before the simulator they talk to.
    factory_.reset();
    registry_.reset();
}

std::unique_ptr<ConnectorWorld> ConnectorWorld::start(ConnectorWorldOptions options) {
    std::unique_ptr<ConnectorWorld> world(new ConnectorWorld());
    world->options_ = options;
    options.sim.auto_approve = options.auto_approve;
    auto sim = sim::ProviderSim::start(options.sim);
    if (!sim) {
        ADD_FAILURE() << "provider simulator did not start: " << sim.error().message;
        return nullptr;
    }
    world->sim_ = std::move(*sim);
    const sim::ProviderSim& s = *world->sim_;

    config::Config& c = world->config_;
    if (options.postgres) {
        c.database.backend = config::DatabaseBackend::postgresql;
        c.database.postgresql_url = shared_postgres_server().create_database();
    } else {
        world->dir_.emplace("sb-connectors-");
        c.database.backend = config::DatabaseBackend::sqlite;
        c.database.sqlite_path = *world->dir_ / "switchboard.db";
    }
    if (options.redis_url) {
        c.state_store.backend = config::StateStoreBackend::redis;
        c.state_store.redis.url = *options.redis_url;
    }
    c.public_urls.api_base_url = options.api_base_url;
    c.public_urls.frontend_url = options.frontend_url;
    c.providers["google_calendar"] =
        provider_config(google_overrides(s, "www.googleapis.com"));
    c.providers["gmail"] = provider_config(google_overrides(s, "gmail.googleapis.com"));
    c.providers["google_drive"] =
        provider_config(google_overrides(s, "www.googleapis.com"));
    c.providers["hubspot"] = provider_config(hubspot_overrides(s));

    auto key = crypto::FernetKey::generate();
    if (!key) {
        ADD_FAILURE() << "cannot make an encryption key";
        return nullptr;
    }
    world->environment_.set("CONNECTOR_ENCRYPTION_KEY", key->to_base64url());
    std::vector<crypto::TokenCipher> ciphers;
    ciphers.emplace_back(*key);
    world->keys_ = std::make_shared<const crypto::MultiFernet>(
        crypto::MultiFernet::create(std::move(ciphers)).value());
    world->environment_.set("GOOGLE_CLIENT_ID", options.sim.google_client.id);
    world->environment_.set("GOOGLE_CLIENT_SECRET", options.sim.google_client.secret);
    world->environment_.set("HUBSPOT_CLIENT_ID", options.sim.hubspot_client.id);
    world->environment_.set("HUBSPOT_CLIENT_SECRET", options.sim.hubspot_client.secret);

    const auto& catalog = plugin::ContractCatalog::embedded();
    plugin::PluginLoader loader(catalog);
    world->registry_ = std::make_shared<plugin::ProviderRegistry>();
    auto report = loader.load_directory(SB_PLUGINS_DIR, c.providers, *world->registry_);
    if (!report) {
        ADD_FAILURE() << "cannot load the plugins: " << report.error().message;
        return nullptr;
    }
    if (world->registry_->size() != 4) {
        ADD_FAILURE() << "expected the 4 shipped providers in " << SB_PLUGINS_DIR << ", got "
                      << world->registry_->size();
        return nullptr;
    }
    if (options.test_plugin_api_base) {
        auto library = loader.load_library(std::filesystem::path(SBT_LIBS_DIR) / "sbt_good_one.so");
        if (!library) {
            ADD_FAILURE() << "cannot load the test plugin: " << library.error().message;
            return nullptr;
        }
        config::ProviderOverrides o = google_overrides(s, "unused");
        o.api_base_url = *options.test_plugin_api_base;
        const plugin::ProviderDescriptor& original = (*library)->providers().front();
        // Registered by hand, past the loader: the variables as the loader would set them.
        config::ProviderConfig config =
            plugin::with_credential_variables(provider_config(o), original.policy);
        config.call_timeout_ms =
            options.test_plugin_call_timeout_ms.value_or(config.call_timeout_ms);
        c.providers["test_calendar"] = config;
        world->environment_.set("TEST_CLIENT_ID", options.sim.google_client.id);
        world->environment_.set("TEST_CLIENT_SECRET", options.sim.google_client.secret);
        auto descriptor = std::make_shared<const plugin::ProviderDescriptor>(
            plugin::apply_overrides(original, o));
        if (auto added = world->registry_->add({descriptor, config, *library}); !added) {
            ADD_FAILURE() << added.error().message;
            return nullptr;
        }
    }
    if (options.hubspot_identity_account_field) {
        // The registry refuses a second entry for an id: rebuild it with HubSpot's changed.
        auto rebuilt = std::make_shared<plugin::ProviderRegistry>();
        for (const plugin::ProviderEntry* entry : world->registry_->list()) {
            plugin::ProviderEntry copy = *entry;
            if (copy.descriptor->id == "hubspot") {
                plugin::ProviderDescriptor changed = *copy.descriptor;
                changed.oauth.identity_account_field = *options.hubspot_identity_account_field;
                copy.descriptor =
                    std::make_shared<const plugin::ProviderDescriptor>(std::move(changed));
            }
            if (auto added = rebuilt->add(std::move(copy)); !added) {
                ADD_FAILURE() << added.error().message;
                return nullptr;
            }
        }
        world->registry_ = std::move(rebuilt);
    }
    world->factory_ = std::make_shared<plugin::RegistryConnectorFactory>(world->registry_, catalog);
    auto url = connectors::database_url(c.database, world->environment_);
    if (!url) {
        ADD_FAILURE() << url.error().message;
        return nullptr;
    }
    world->database_url_ = *url;
    return world;
}

Result<std::unique_ptr<connectors::ConnectorRuntime>>
ConnectorWorld::create_runtime(std::shared_ptr<prometheus::Registry> metrics,
                               connectors::RuntimeOverrides overrides) {
    return connectors::ConnectorRuntime::create(config_, environment_, registry_, factory_,
                                                std::move(metrics), std::move(overrides));
}

std::unique_ptr<connectors::ConnectorRuntime>
ConnectorWorld::make_runtime(std::shared_ptr<prometheus::Registry> metrics,
                             connectors::RuntimeOverrides overrides) {
    auto runtime = create_runtime(std::move(metrics), std::move(overrides));
    if (!runtime) {
        ADD_FAILURE() << "cannot create the runtime: " << runtime.error().code << ": "
                      << runtime.error().message;
        return nullptr;
    }
    return std::move(*runtime);
}

connectors::CallbackQuery ConnectorWorld::authorize(const std::string& authorization_url) {
    connectors::CallbackQuery query;
    boost::urls::url target(boost::urls::parse_uri(authorization_url).value());
    http::BeastHttpClientOptions options;
    options.allow_plain_http_loopback = true;
    options.max_attempts = 1;
    auto client = http::BeastHttpClient::create(options);
    if (!client) {
        ADD_FAILURE() << client.error().message;
        return query;
    }
    http::HttpRequest request;
    request.method = "GET";
    request.url = std::string(target.buffer());
    auto response = (*client)->send(request, {});
    if (!response) {
        ADD_FAILURE() << "authorization URL failed: " << response.error().message;
        return query;
    }
    auto location = response->header("location");
    if (response->status != 302 || !location) {
        ADD_FAILURE() << "the simulator did not redirect (" << response->status
                      << "): " << response->body.substr(0, 500);
        return query;
    }
    auto parsed = boost::urls::parse_uri(*location);
    if (!parsed) {
        ADD_FAILURE() << "unparsable redirect";
        return query;
    }
    const std::string expected = config_.public_urls.api_base_url + "/api/v1/connectors/callback";
    EXPECT_TRUE(location->starts_with(expected + "?")) << *location;
    for (auto param : parsed->params()) {
        if (param.key == "code") query.code = param.value;
        if (param.key == "state") query.state = param.value;
        if (param.key == "error") query.error = param.value;
        if (param.key == "error_description") query.error_description = param.value;
    }
    return query;
}

std::shared_ptr<store::Database> ConnectorWorld::database() {
    if (!database_) {
        auto opened = store::Database::open(database_url_);
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return nullptr;
        }
        database_ = *opened;
    }
    return database_;
}

std::shared_ptr<store::ConnectorRepository> ConnectorWorld::repository() {
    return std::make_shared<store::ConnectorRepository>(database(), keys_);
}

std::string ConnectorWorld::seed_connector(const std::string& tenant, const std::string& provider,
                                           const std::string& category, const std::string& user,
                                           std::chrono::seconds expires_in) {
    auto issued = sim_->issue_tokens(sim::Provider::google, user, {"openid", "email"});
    store::NewConnector connector;
    connector.user_id = "seeder";
    connector.category = category;
    connector.provider = provider;
    connector.name = "seeded " + user;
    connector.account_identity = user;
    connector.scopes = {"openid", "email"};
    connector.tokens.access_token = issued.access_token;
    connector.tokens.refresh_token = issued.refresh_token;
    connector.tokens.expires_at =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
        expires_in;
    auto created = repository()->create(tenant, connector);
    if (!created) {
        ADD_FAILURE() << created.error().message;
        return {};
    }
    return created->id;
}

LogCapture::LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

LogCapture::~LogCapture() { spdlog::set_default_logger(previous_); }

} // namespace switchboard::testing
