// The OAuth callback (GET /api/v1/connectors/callback): the one public route that takes
// input a stranger can shape (anyone can send a browser there with any query), and the
// provider's token and identity answers it reads. The whole path is real: a server session
// parses the query, the API route bounds it, the ConnectorRuntime (SQLite database and state
// store in a temporary directory, a Fernet key) consumes the state, exchanges the code with
// the PKCE verifier, reads the identity and parks the tokens for confirmation. Only the
// provider is played by the harness: an HttpClient that answers the token and identity
// requests with what the input says. The provider is the test plugin good_one
// (tests/plugin/libs), loaded by the real PluginLoader.
//
// Input (text):
//   the callback's query string; "{state}" in it becomes the state of a flow started just
//   before (start_authorization), so the fuzzer reaches past the state check
//   "#token <status>" line, then the token endpoint's answer (default: a bearer token)
//   "#identity <status>" line, then the identity endpoint's answer (default: an e-mail)
// Promises checked: one answer, a 302 to <frontend_url>/settings/integrations with
// success=false&error=<a documented code> or success=true with a completion code; the
// Location never carries the code, a token or the client secret; the provider receives exactly the code the
// callback carried; a completion code confirms the connection (which is then deleted, so
// every run starts from the same database).
#include "core/auth/api_key_authenticator.hpp"
#include "core/config/config.hpp"
#include "core/config/environment.hpp"
#include "core/connectors/connector_runtime.hpp"
#include "core/crypto/token_cipher.hpp"
#include "core/http/http_client.hpp"
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/provider_registry.hpp"
#include "host/api/api_routes.hpp"
#include "tests/fuzz/support/session_driver.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#ifndef SB_FUZZ_PROVIDER_PLUGIN
#error "SB_FUZZ_PROVIDER_PLUGIN must name the test provider plugin (good_one)"
#endif

namespace {

using namespace switchboard;
using switchboard::fuzz::check;

constexpr std::string_view provider_id = "test_calendar";
constexpr std::string_view token_url = "https://auth.example.test/token";
constexpr std::string_view identity_url = "https://auth.example.test/userinfo";
constexpr std::string_view client_secret = "fuzz-client-secret-value";
constexpr std::string_view frontend_url = "https://app.example.com";
const auth::Principal principal{"tenant-fuzz", "user-fuzz"};

struct CannedAnswer {
    int status = 200;
    std::string body;
};

// The provider: answers the token and identity requests as told, revokes anything.
class ScriptedProvider final : public http::HttpClient {
public:
    void script(CannedAnswer token, CannedAnswer identity) {
        const std::lock_guard lock(mutex_);
        token_ = std::move(token);
        identity_ = std::move(identity);
        token_request_body_.reset();
    }

    std::optional<std::string> token_request_body() const {
        const std::lock_guard lock(mutex_);
        return token_request_body_;
    }

    Result<http::HttpResponse> send(const http::HttpRequest& request,
                                    const http::RequestOptions&) override {
        const std::lock_guard lock(mutex_);
        http::HttpResponse response;
        response.attempts = 1;
        response.headers = {{"content-type", "application/json"}};
        if (request.url == token_url) {
            token_request_body_ = request.body;
            response.status = token_.status;
            response.body = token_.body;
        } else if (request.url.starts_with(identity_url)) {
            response.status = identity_.status;
            response.body = identity_.body;
        } else {
            response.status = 200; // revocation
        }
        return response;
    }

private:
    mutable std::mutex mutex_;
    CannedAnswer token_;
    CannedAnswer identity_;
    std::optional<std::string> token_request_body_;
};

std::filesystem::path make_temp_dir() {
    const std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::string pattern = (base / "sb-fuzz-callback-XXXXXX").string();
    check(::mkdtemp(pattern.data()) != nullptr, "a temporary directory is made");
    return pattern;
}

// Everything the route needs, built once.
class World {
public:
    World() : dir_(make_temp_dir()) {
        config::Config config;
        config.database.backend = config::DatabaseBackend::sqlite;
        config.database.sqlite_path = dir_ / "switchboard.db";
        config.public_urls.api_base_url = "https://connect.example.com";
        config.public_urls.frontend_url = std::string(frontend_url);
        config::ProviderConfig provider;
        provider.client_id_env = "FUZZ_CLIENT_ID";
        provider.client_secret_env = "FUZZ_CLIENT_SECRET";
        config.providers[std::string(provider_id)] = provider;

        config::MapEnvironment environment;
        auto key = crypto::FernetKey::generate();
        check(key.has_value(), "an encryption key is made");
        environment.set("CONNECTOR_ENCRYPTION_KEY", key->to_base64url());
        environment.set("FUZZ_CLIENT_ID", "fuzz-client-id");
        environment.set("FUZZ_CLIENT_SECRET", std::string(client_secret));

        const plugin::ContractCatalog& catalog = plugin::ContractCatalog::embedded();
        auto library = plugin::PluginLoader(catalog).load_library(SB_FUZZ_PROVIDER_PLUGIN);
        check(library.has_value(), "the test provider plugin loads");
        auto registry = std::make_shared<plugin::ProviderRegistry>();
        check(registry
                  ->add({std::make_shared<const plugin::ProviderDescriptor>(
                             (*library)->providers().front()),
                         provider, *library})
                  .has_value(),
              "the test provider registers");
        auto factory = std::make_shared<plugin::RegistryConnectorFactory>(registry, catalog);

        connectors::RuntimeOverrides overrides;
        overrides.http_client = provider_;
        auto runtime = connectors::ConnectorRuntime::create(config, environment, registry, factory,
                                                            metrics_, std::move(overrides));
        if (!runtime) {
            std::fprintf(stderr, "fuzz: %s\n", runtime.error().message.c_str());
        }
        check(runtime.has_value(), "the connector runtime starts");
        runtime_ = std::move(*runtime);

        auto keys = auth::ApiKeyAuthenticator::create({{"sbk_fuzz_tenant_0123456789", principal}});
        check(keys.has_value(), "the API key authenticator is made");
        api::ApiContext context{runtime_->connectors(), runtime_->actions(),
                                std::shared_ptr<const auth::Authenticator>(std::move(*keys)),
                                [this] { return runtime_->check_ready(); },
                                std::string(frontend_url), catalog};
        table_ = api::add_api_routes(router_, context, {"Switchboard API", "fuzz", ""});
        driver_.emplace(router_, *metrics_);
    }

    ~World() {
        driver_.reset();
        runtime_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    ScriptedProvider& provider() { return *provider_; }
    connectors::ConnectorService& connectors() { return runtime_->connectors(); }
    fuzz::SessionDriver& driver() { return *driver_; }

private:
    std::filesystem::path dir_;
    std::shared_ptr<prometheus::Registry> metrics_ = std::make_shared<prometheus::Registry>();
    std::shared_ptr<ScriptedProvider> provider_ = std::make_shared<ScriptedProvider>();
    std::unique_ptr<connectors::ConnectorRuntime> runtime_;
    server::Router router_;
    api::ApiTable table_;
    std::optional<fuzz::SessionDriver> driver_;
};

World& world() {
    static World instance;
    return instance;
}

// "#token 400" -> 400; the default when the line has no number.
CannedAnswer canned(std::string_view part, CannedAnswer fallback) {
    const auto lines = fuzz::split(part, "\n", 2);
    int status = 0;
    for (const char c : lines[0]) {
        if (c < '0' || c > '9' || status > 999) {
            break;
        }
        status = status * 10 + (c - '0');
    }
    if (status >= 100) {
        fallback.status = status;
    }
    if (lines.size() > 1) {
        fallback.body = std::string(lines[1]);
    }
    return fallback;
}

// The first value of `name` in `query`, decoded as the server decodes a request's query.
std::optional<std::string> query_value(std::string_view query, std::string_view name) {
    const std::string target = "/?" + std::string(query);
    const auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) {
        return std::nullopt;
    }
    for (const auto param : parsed->params()) {
        if (param.key == name) {
            return param.has_value ? param.value : std::string();
        }
    }
    return std::nullopt;
}

std::string_view json_string_or_empty(const nlohmann::json& body, const char* name) {
    if (body.is_object() && body.contains(name) && body[name].is_string()) {
        return body[name].get_ref<const std::string&>();
    }
    return {};
}

// What a failed callback may name (ConnectorManager's interface, connector_manager.hpp).
constexpr std::array<std::string_view, 12> callback_errors = {
    "invalid_state",         "access_denied",           "invalid_scope",
    "provider_error",        "provider_unavailable",    "invalid_callback",
    "provider_not_configured", "token_exchange_failed", "identity_failed",
    "already_connected",     "state_store_unavailable", "storage_failed"};

// The redirect's parameters, decoded; nullopt when its query does not parse.
std::optional<std::vector<std::pair<std::string, std::string>>> query_params(
    std::string_view query) {
    const std::string target = "/?" + std::string(query);
    const auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) {
        return std::nullopt;
    }
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto param : parsed->params()) {
        params.emplace_back(param.key, param.value);
    }
    return params;
}

// No code, token or client secret in the redirect. Only what the product adds to the fixed
// page is searched, and only where input could end up: the page itself, the success flag, the
// provider's id and a documented error code are the product's own words, which an input may
// happen to repeat (a code "ample.com/se" is inside "https://app.example.com/settings").
void check_no_secret(std::string_view query, std::string_view code, const CannedAnswer& token) {
    const auto params = query_params(query);
    check(params.has_value(), "the redirect's query parses");
    const auto tokens = nlohmann::json::parse(token.body, nullptr, false);
    for (const auto& [key, value] : *params) {
        check(key == "success" || key == "error" || key == "provider" || key == "completion",
              "the redirect carries only success, error, provider and completion");
        if (key == "error") {
            check(std::find(callback_errors.begin(), callback_errors.end(), value) !=
                      callback_errors.end(),
                  "a failed callback names a documented error");
            continue;
        }
        if (key == "success") {
            check(value == "true" || value == "false", "the redirect says success=true|false");
            continue;
        }
        if (key == "provider") {
            check(value == provider_id, "the redirect names the flow's provider");
            continue;
        }
        for (const std::string_view secret :
             {code, json_string_or_empty(tokens, "access_token"),
              json_string_or_empty(tokens, "refresh_token"), client_secret}) {
            // Short values could be in the code by chance ("1", "a").
            check(secret.size() < 12 || value.find(secret) == std::string::npos,
                  "no code, token or client secret in the redirect");
        }
    }
}

void check_location(std::string_view location, std::string_view code,
                    const CannedAnswer& token) {
    const std::string page = std::string(frontend_url) + "/settings/integrations?";
    check(location.starts_with(page), "the callback sends the browser to the integrations page");
    const auto query = location.substr(page.size());
    check_no_secret(query, code, token);
    const auto success = query_value(query, "success");
    check(success == "true" || success == "false", "the redirect says success=true|false");
    if (success == "false") {
        const auto error = query_value(query, "error");
        check(error && fuzz::snake_case(*error), "a failed callback names a snake_case error");
        return;
    }
    check(query_value(query, "provider") == std::string(provider_id),
          "a successful callback names the provider");
    const auto completion = query_value(query, "completion");
    check(completion.has_value() && !completion->empty(), "a parked connection has a code");
    auto& service = world().connectors();
    const auto confirmed = service.confirm_connection(principal, *completion);
    check(confirmed.has_value(), "the starter confirms a parked connection with its code");
    check(confirmed->status == store::ConnectorStatus::active, "a confirmed connector is active");
    const auto again = service.confirm_connection(principal, *completion);
    check(!again && again.error().code == "completion_not_found", "a completion code works once");
    const auto removed = service.disconnect(principal, confirmed->id, {true});
    check(removed.has_value(), "the confirmed connector is removed again");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    world();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto identity_parts = fuzz::split(fuzz::as_text(data, size), "\n#identity ", 2);
    const auto token_parts = fuzz::split(identity_parts[0], "\n#token ", 2);
    std::string query(token_parts[0]);
    // Another request line or header would make this the HTTP harness's business.
    if (query.find_first_of(" \r\n") != std::string::npos) {
        return 0;
    }
    const CannedAnswer token =
        canned(token_parts.size() > 1 ? token_parts[1] : "",
               {200, R"({"access_token":"ya29.fuzz-access-token","token_type":"Bearer",)"
                     R"("expires_in":3599,"refresh_token":"1//fuzz-refresh-token"})"});
    const CannedAnswer identity = canned(identity_parts.size() > 1 ? identity_parts[1] : "",
                                         {200, R"({"email":"ada@example.com"})"});
    World& w = world();
    w.provider().script(token, identity);

    constexpr std::string_view placeholder = "{state}";
    if (query.find(placeholder) != std::string::npos) {
        const auto started = w.connectors().start_authorization(
            principal, {"calendar", std::string(provider_id), "Work calendar"});
        check(started.has_value(), "a flow starts");
        for (auto at = query.find(placeholder); at != std::string::npos;
             at = query.find(placeholder, at + started->state.size())) {
            query.replace(at, placeholder.size(), started->state);
        }
    }

    const std::string request = "GET /api/v1/connectors/callback?" + query +
                                " HTTP/1.1\r\nHost: connect.example.com\r\nConnection: close\r\n\r\n";
    const auto answers = fuzz::check_answers(w.driver().exchange(request), false);
    check(answers.size() == 1, "one request, one answer");
    const auto& answer = answers.front();
    if (answer.status != 302) {
        // A target that is not a path and query (400 malformed_target), or a header block over
        // the limit (431): refused before the route.
        check(answer.status == 400 || answer.status == 431,
              "a callback that is not a redirect is a malformed request");
        return 0;
    }
    const auto code = query_value(query, "code");
    check_location(answer.header("location"), code ? *code : "", token);
    check(answer.header("referrer-policy") == "no-referrer", "the code stays out of Referer");
    if (const auto sent = w.provider().token_request_body()) {
        check(code.has_value() && query_value(*sent, "code") == code,
              "the provider receives exactly the code the callback carried");
    }
    return 0;
}
