// One host and one simulator for a whole test program (starting them per test would cost
// more than the tests), with isolation by tenant: each test signs JWTs for tenants of its
// own. The backend is SQLite with the SQL state store (e2e_sqlite_tests), or PostgreSQL and
// Redis from tests/support (e2e_postgres_tests), started by the suite. Both programs are
// built from the same objects; backend_*.cpp says which one a program is.
#pragma once

#include "core/store/database.hpp"
#include "tests/e2e/e2e_harness.hpp"
#include "tests/http/test_certificates.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>

namespace switchboard::e2e {

// Defined by backend_sqlite.cpp or backend_postgres.cpp.
bool use_postgres();

inline constexpr const char* kFrontend = "https://app.e2e.test";
inline constexpr const char* kIssuer = "https://id.e2e.test/";
inline constexpr const char* kAudience = "switchboard";
inline constexpr const char* kJwtSecret = "e2e-hs256-secret-that-is-long-enough-0123456789";
inline constexpr const char* kApiKey = "sbk_e2e_api_key_0123456789abcdef";
// printf %s sbk_e2e_api_key_0123456789abcdef | sha256sum
inline constexpr const char* kApiKeyDigest =
    "ed6414bcac52a2f60888e9dcb15ab0b16b7b7a5ca1ae673580d31926ac026dab";
// Large enough for a resumable Drive upload (over 5 MiB of file, base64 in JSON).
inline constexpr std::uint64_t kBodyLimit = 12 * 1024 * 1024;
inline constexpr const char* kSimUser = "sim.user@example.com";
inline constexpr const char* kCallbackPath = "/api/v1/connectors/callback";

// Substrings that only a secret would put in a response body or a metric: the simulator's
// token, code and client-secret shapes, a Fernet token's prefix, the suite's secrets.
std::vector<std::string> secret_markers();
// The first marker found in `text`, or "".
std::string find_secret(const std::string& text);

class E2E : public ::testing::Test {
public:
    static void SetUpTestSuite();
    static void TearDownTestSuite();

protected:
    void TearDown() override;

    // The host's config (everything but the port), for the suite's host and for the tests
    // that run their own (a fresh database each time).
    static json host_config(const std::filesystem::path& dir, const std::string& database_url);
    // A fresh database for a host whose files live in `dir`.
    static std::string new_database_url(const std::filesystem::path& dir);
    // The environment the suite's host runs with (API_BASE_URL excepted).
    static std::vector<std::string> host_environment();

    std::string api(const std::string& path) const { return host_->url(path); }
    static std::string api_base_url() { return api_base_url_; }

    // An HS256 JWT (PyJWT) for `tenant`, valid for ten minutes.
    static std::string token_for(const std::string& tenant, const std::string& user = "user-1");
    static std::map<std::string, std::string> bearer(const std::string& credential) {
        return {{"Authorization", "Bearer " + credential}};
    }

    HttpResult get(const std::string& path, const std::string& token) {
        return client_.get(api(path), bearer(token));
    }
    HttpResult post(const std::string& path, const std::string& token, const json& body,
                    std::map<std::string, std::string> headers = {});
    HttpResult del(const std::string& path, const std::string& token) {
        return client_.request("DELETE", api(path), bearer(token));
    }

    // The whole connect flow against a host: authorize, the simulator (auto-approve), the
    // host's callback, and the front end's confirmation of the completion code it got.
    struct Connection {
        std::string landing;  // where the callback sent the browser
        HttpResult confirmed; // POST /api/v1/connectors/complete (status 0: not sent)
        bool ok() const { return confirmed.status == 201; }
        // The confirmed connector's id ("" unless ok()).
        std::string id() const;
        // The callback's ?error=, else the confirmation's error code ("" when ok()).
        std::string error() const;
    };
    Connection connect(const std::string& token, const std::string& type,
                       const std::string& provider, const std::string& name);
    static Connection connect_on(Client& client, const std::string& base_url,
                                 const std::string& token, const std::string& type,
                                 const std::string& provider, const std::string& name);
    // Authorize, the simulator and the callback only: the front end URL the callback
    // redirected to (with ?completion= when it parked the connection).
    static std::string callback_on(Client& client, const std::string& base_url,
                                   const std::string& token, const std::string& type,
                                   const std::string& provider, const std::string& name);
    // POST /api/v1/connectors/complete with the completion code of `landing`.
    static HttpResult confirm_on(Client& client, const std::string& base_url,
                                 const std::string& token, const std::string& landing);
    HttpResult confirm(const std::string& token, const std::string& landing) {
        return confirm_on(client_, host_->url(""), token, landing);
    }
    // connect() and the new connector's id (fails the test if it did not succeed).
    std::string connect_id(const std::string& token, const std::string& type,
                           const std::string& provider, const std::string& name);
    // The tenant's connectors.
    json connectors(const std::string& token);

    // POST /api/v1/actions/<tool>.
    HttpResult tool(const std::string& token, const std::string& name, const json& params,
                    std::map<std::string, std::string> headers = {}, json envelope = json::object());

    // The suite's database, opened beside the host (no migrations: the host did them).
    static store::Database& database();

    static std::unique_ptr<testing::TempDir> dir_;
    static std::unique_ptr<ProviderSim> sim_;
    // PostgreSQL and Redis speak TLS (sslmode=verify-full, rediss://) with these.
    static std::unique_ptr<http::test_support::TestCertificates> certificates_;
    static std::unique_ptr<testing::PostgresServer> postgres_;
    static std::unique_ptr<testing::RedisServer> redis_;
    static std::unique_ptr<Host> host_;
    static std::string encryption_key_;
    static std::string database_url_;
    static std::string api_base_url_;
    static std::shared_ptr<store::Database> database_;
    Client client_;
};

} // namespace switchboard::e2e
