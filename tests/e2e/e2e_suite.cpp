#include "tests/e2e/e2e_suite.hpp"

#include "tests/support/free_port.hpp"

#include <chrono>
#include <iostream>

namespace switchboard::e2e {

std::unique_ptr<testing::TempDir> E2E::dir_;
std::unique_ptr<ProviderSim> E2E::sim_;
std::unique_ptr<http::test_support::TestCertificates> E2E::certificates_;
std::unique_ptr<testing::PostgresServer> E2E::postgres_;
std::unique_ptr<testing::RedisServer> E2E::redis_;
std::unique_ptr<Host> E2E::host_;
std::string E2E::encryption_key_;
std::string E2E::database_url_;
std::string E2E::api_base_url_;
std::shared_ptr<store::Database> E2E::database_;

namespace {
long long now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

std::vector<std::string> secret_markers() {
    return {"ya29.sim-",   // Google access token
            "1//sim-",     // Google refresh token
            "4/sim-",      // Google authorization code
            "CKsim",       // HubSpot access token
            "na1-",        // HubSpot refresh token and code
            "gAAAAA",      // a Fernet token (the stored ciphertext)
            "sim-google-client-secret",
            "sim-hubspot-client-secret",
            kJwtSecret,
            kApiKey};
}

std::string find_secret(const std::string& text) {
    for (const auto& marker : secret_markers()) {
        if (text.find(marker) != std::string::npos) return marker;
    }
    return {};
}

std::string E2E::new_database_url(const std::filesystem::path& dir) {
    if (use_postgres()) {
        // As production should: TLS with the server's certificate and name checked.
        const std::string url = postgres_->create_database();
        return url.substr(0, url.find('?')) +
               "?sslmode=verify-full&sslrootcert=" + certificates_->ca_certificate();
    }
    return "sqlite://" + (dir / "e2e.db").string();
}

json E2E::host_config(const std::filesystem::path& dir, const std::string& database_url) {
    (void)dir;
    json state_store;
    if (use_postgres()) {
        state_store = {{"backend", "redis"},
                       {"redis_url", "rediss://localhost:" + std::to_string(redis_->tls_port()) + "/0"},
                       {"redis_ca_file", certificates_->ca_certificate()},
                       {"timeout_ms", 1000}};
    } else {
        state_store = {{"backend", "sql"}};
    }
    return {
        {"server",
         {{"io_threads", 2},
          {"worker_threads", 4},
          {"body_limit_bytes", kBodyLimit},
          {"shutdown_grace_ms", 10000}}},
        {"log", {{"format", "json"}, {"level", "info"}}},
        {"database", {{"url", database_url}}},
        {"state_store", state_store},
        // Both overridden by API_BASE_URL and FRONTEND_URL in the environment.
        {"public_urls",
         {{"api_base_url", "http://config-file.invalid"},
          {"frontend_url", "http://config-file-frontend.invalid"}}},
        // The sweep of unconfirmed connections, often enough for a test to wait for it.
        {"connect", {{"confirmation", "required"}, {"sweep_interval_seconds", 1}}},
        {"auth",
         {{"jwt",
           {{"hs256_secret_env", "SB_E2E_JWT_SECRET"},
            {"jwks_file", (dir_->path() / "keys" / "jwks.json").string()},
            {"algorithms", {"HS256", "RS256"}},
            {"issuer", kIssuer},
            {"audience", kAudience},
            {"tenant_claim", "/app_metadata/tenant_id"},
            {"user_claim", "sub"},
            {"leeway_seconds", 0}}},
          {"api_keys",
           {{{"key_sha256", kApiKeyDigest}, {"tenant_id", "key-tenant"}, {"user_id", "key-user"}}}}}},
        {"providers", provider_overrides(*sim_)},
    };
}

std::vector<std::string> E2E::host_environment() {
    auto env = sim_client_credentials();
    env.push_back("CONNECTOR_ENCRYPTION_KEY=" + encryption_key_);
    env.push_back("CONNECTOR_ENCRYPTION_KEYS_OLD=");
    env.push_back(std::string("SB_E2E_JWT_SECRET=") + kJwtSecret);
    env.push_back(std::string("FRONTEND_URL=") + kFrontend);
    return env;
}

void E2E::SetUpTestSuite() {
    if (host_) return; // every fixture of the program shares one host
    dir_ = std::make_unique<testing::TempDir>("sb-e2e-");
    pyjwt_keygen(dir_->path() / "keys");
    sim_ = std::make_unique<ProviderSim>(dir_->path() / "provider-sim.log");
    if (use_postgres()) {
        certificates_ = std::make_unique<http::test_support::TestCertificates>();
        postgres_ = std::make_unique<testing::PostgresServer>(testing::PostgresTls{
            certificates_->localhost_certificate(), certificates_->localhost_key()});
        redis_ = std::make_unique<testing::RedisServer>(testing::RedisTls{
            certificates_->localhost_certificate(), certificates_->localhost_key(),
            certificates_->ca_certificate()});
    }
    encryption_key_ = new_encryption_key();
    const auto host_dir = dir_->path() / "host";
    std::filesystem::create_directories(host_dir);
    const std::uint16_t port = testing::free_loopback_port();
    api_base_url_ = "http://127.0.0.1:" + std::to_string(port);
    auto env = host_environment();
    env.push_back("API_BASE_URL=" + api_base_url_);
    database_url_ = new_database_url(host_dir);
    host_ = std::make_unique<Host>(host_dir, host_config(host_dir, database_url_), env, port);
    std::cout << "e2e backend: "
              << (use_postgres() ? "postgresql + redis, both over TLS" : "sqlite + sql state store")
              << "; host " << api_base_url_ << "; simulator " << sim_->base_url() << std::endl;
}

void E2E::TearDownTestSuite() {
    // The host lives until the program ends (see the environment in e2e_main.cpp): the next
    // fixture reuses it.
}

void E2E::TearDown() {
    // Fault rules and settings of one test must not reach the next.
    if (sim_) {
        sim_->admin("DELETE", "/_admin/faults");
        sim_->set_auto_approve(true);
    }
}

store::Database& E2E::database() {
    if (!database_) {
        store::DatabaseOptions options;
        options.pool_size = 1;
        options.migrate = false;
        auto opened = store::Database::open(database_url_, options);
        if (!opened) throw std::runtime_error("cannot open the e2e database: " + opened.error().message);
        database_ = std::move(*opened);
    }
    return *database_;
}

std::string E2E::token_for(const std::string& tenant, const std::string& user) {
    const json payload = {{"sub", user},
                          {"app_metadata", {{"tenant_id", tenant}}},
                          {"iss", kIssuer},
                          {"aud", kAudience},
                          {"iat", now_seconds()},
                          {"exp", now_seconds() + 600}};
    return pyjwt_sign({{{"alg", "HS256"}, {"secret", kJwtSecret}, {"payload", payload}}}).at(0);
}

HttpResult E2E::post(const std::string& path, const std::string& token, const json& body,
                     std::map<std::string, std::string> headers) {
    headers.emplace("Authorization", "Bearer " + token);
    std::string text;
    if (!body.is_null()) {
        headers.emplace("Content-Type", "application/json");
        text = body.dump();
    }
    return client_.request("POST", api(path), headers, text);
}

std::string E2E::callback_on(Client& client, const std::string& base_url,
                             const std::string& token, const std::string& type,
                             const std::string& provider, const std::string& name) {
    const json body = {{"type", type}, {"provider", provider}, {"name", name}};
    auto start = client.request("POST", base_url + "/api/v1/connectors/authorize",
                                {{"Authorization", "Bearer " + token},
                                 {"Content-Type", "application/json"}},
                                body.dump());
    if (start.status != 200) {
        throw std::runtime_error("authorize " + provider + ": " + std::to_string(start.status) +
                                 " " + start.body);
    }
    const std::string authorization_url = start.json_body().at("authorization_url");
    auto at_provider = client.get(authorization_url);
    if (at_provider.status != 302) {
        throw std::runtime_error("simulator authorize " + provider + ": " +
                                 std::to_string(at_provider.status) + " " + at_provider.body);
    }
    auto back = client.get(at_provider.header("Location"));
    if (back.status != 302) {
        throw std::runtime_error("callback " + provider + ": " + std::to_string(back.status) +
                                 " " + back.body);
    }
    return back.header("Location");
}

HttpResult E2E::confirm_on(Client& client, const std::string& base_url, const std::string& token,
                           const std::string& landing) {
    const json body = {{"completion", query_param(landing, "completion").value_or("")}};
    return client.request("POST", base_url + "/api/v1/connectors/complete",
                          {{"Authorization", "Bearer " + token},
                           {"Content-Type", "application/json"}},
                          body.dump());
}

E2E::Connection E2E::connect_on(Client& client, const std::string& base_url,
                                const std::string& token, const std::string& type,
                                const std::string& provider, const std::string& name) {
    Connection connection;
    connection.landing = callback_on(client, base_url, token, type, provider, name);
    if (query_param(connection.landing, "completion")) {
        connection.confirmed = confirm_on(client, base_url, token, connection.landing);
    }
    return connection;
}

std::string E2E::Connection::id() const {
    return ok() ? confirmed.json_body().at("id").get<std::string>() : std::string();
}

std::string E2E::Connection::error() const {
    if (auto code = query_param(landing, "error")) return *code;
    return ok() ? std::string() : confirmed.error_code();
}

E2E::Connection E2E::connect(const std::string& token, const std::string& type,
                             const std::string& provider, const std::string& name) {
    return connect_on(client_, host_->url(""), token, type, provider, name);
}

std::string E2E::connect_id(const std::string& token, const std::string& type,
                            const std::string& provider, const std::string& name) {
    const Connection connection = connect(token, type, provider, name);
    EXPECT_TRUE(connection.ok()) << connection.landing << " " << connection.confirmed.body;
    for (const auto& c : connectors(token)) {
        if (c.at("name") == name && c.at("provider") == provider) return c.at("id");
    }
    ADD_FAILURE() << "no connector named " << name << " after " << connection.landing;
    return {};
}

json E2E::connectors(const std::string& token) {
    auto r = get("/api/v1/connectors", token);
    if (r.status != 200) {
        throw std::runtime_error("list: " + std::to_string(r.status) + " " + r.body);
    }
    return r.json_body().at("connectors");
}

HttpResult E2E::tool(const std::string& token, const std::string& name, const json& params,
                     std::map<std::string, std::string> headers, json envelope) {
    envelope["params"] = params;
    return post("/api/v1/actions/" + name, token, envelope, std::move(headers));
}

} // namespace switchboard::e2e
