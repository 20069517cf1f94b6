// ConnectorWorld: what a connector-service test needs around a ConnectorRuntime — the
// provider simulator in-process on a free loopback port, the shipped plugins loaded from the
// build's plugins directory with their URLs overridden to the simulator (as an operator's
// config would: base URL = http://127.0.0.1:<port>/<real host>), optionally the test plugin
// `test_calendar` (tests/plugin/libs/good_one.c) whose API is a scripted loopback server, a
// Config (SQLite in a temporary directory or a fresh PostgreSQL database; SQL or Redis state
// store) and an Environment holding the encryption key and the simulator's client
// credentials.
//
//   auto world = ConnectorWorld::start({});
//   auto runtime = world->make_runtime();
//   auto start = runtime->connectors().start_authorization(alice, {"calendar", ...});
//   auto callback = world->authorize(start->authorization_url);   // sim auto-approves
//   auto outcome = runtime->connectors().complete_authorization(callback);
#pragma once

#include "core/auth/principal.hpp"
#include "core/config/config.hpp"
#include "core/config/environment.hpp"
#include "core/connectors/connector_runtime.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/provider_registry.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/database.hpp"
#include "tests/provider_sim/provider_sim.hpp"
#include "tests/support/temp_dir.hpp"

#include <memory>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace switchboard::testing {

// Two callers, each of their own tenant.
inline const auth::Principal alice{"tenant-a", "alice"};
inline const auth::Principal mallory{"tenant-b", "mallory"};

struct ConnectorWorldOptions {
    bool postgres = false;                 // else SQLite in a temporary directory
    std::optional<std::string> redis_url;  // state store on this Redis, else SQL
    sim::SimOptions sim;                   // auto_approve is turned on unless told otherwise
    bool auto_approve = true;
    // Registers test_calendar (tests/plugin/libs good_one) with this API base URL.
    std::optional<std::string> test_plugin_api_base;
    // ... and this call timeout (providers.<id>.call_timeout_ms), when given.
    std::optional<std::uint32_t> test_plugin_call_timeout_ms;
    std::string frontend_url = "https://app.example.test";
    std::string api_base_url = "http://127.0.0.1:8080";
    // Sets HubSpot's descriptor field identity_account_field (e.g. "/hub_id"), as a plugin
    // built for ABI 1.1 does.
    std::optional<std::string> hubspot_identity_account_field;
};

class ConnectorWorld {
public:
    // Fails the calling test (ADD_FAILURE) and returns nullptr when something cannot start.
    static std::unique_ptr<ConnectorWorld> start(ConnectorWorldOptions options);
    ~ConnectorWorld();

    sim::ProviderSim& sim() { return *sim_; }
    config::Config& config() { return config_; }
    config::MapEnvironment& environment() { return environment_; }
    std::shared_ptr<const plugin::ProviderRegistry> registry() const { return registry_; }

    // A runtime on this world's config, or why not.
    Result<std::unique_ptr<connectors::ConnectorRuntime>>
    create_runtime(std::shared_ptr<prometheus::Registry> metrics = nullptr,
                   connectors::RuntimeOverrides overrides = {});

    // A runtime on this world's config; ADD_FAILURE and nullptr on failure.
    std::unique_ptr<connectors::ConnectorRuntime>
    make_runtime(std::shared_ptr<prometheus::Registry> metrics = nullptr,
                 connectors::RuntimeOverrides overrides = {});

    // GETs the authorization URL at the simulator (which approves at once) and returns the
    // query of the redirect it answers with. ADD_FAILURE and an empty query on failure.
    connectors::CallbackQuery authorize(const std::string& authorization_url);

    // Another handle on the runtime's database, and a repository with the same keys: for
    // assertions (and for seeding connectors without an OAuth flow).
    std::shared_ptr<store::Database> database();
    std::shared_ptr<store::ConnectorRepository> repository();
    std::shared_ptr<const crypto::MultiFernet> keys() const { return keys_; }

    // Seeds an active connector of `provider` for `tenant` with tokens the simulator issued
    // (Google's client) for `user`; returns its id.
    std::string seed_connector(const std::string& tenant, const std::string& provider,
                               const std::string& category, const std::string& user,
                               std::chrono::seconds expires_in = std::chrono::seconds(3600));

private:
    ConnectorWorld() = default;

    ConnectorWorldOptions options_;
    std::optional<TempDir> dir_;
    std::unique_ptr<sim::ProviderSim> sim_;
    config::Config config_;
    config::MapEnvironment environment_;
    std::shared_ptr<plugin::ProviderRegistry> registry_;
    std::shared_ptr<plugin::RegistryConnectorFactory> factory_;
    std::shared_ptr<const crypto::MultiFernet> keys_;
    std::string database_url_;
    std::shared_ptr<store::Database> database_;
};

// Every line logged through spdlog's default logger while alive, at every level.
class LogCapture {
public:
    LogCapture();
    ~LogCapture();
    std::string text() const { return stream_.str(); }

private:
    std::ostringstream stream_;
    std::shared_ptr<spdlog::logger> previous_;
};

} // namespace switchboard::testing
