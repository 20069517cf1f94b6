#include "tests/provider_sim/provider_sim.hpp"

#include "tests/provider_sim/admin/admin_api.hpp"
#include "tests/provider_sim/google/calendar/calendar_service.hpp"
#include "tests/provider_sim/google/drive/drive_service.hpp"
#include "tests/provider_sim/google/google_api.hpp"
#include "tests/provider_sim/google/google_oauth.hpp"
#include "tests/provider_sim/hubspot/account_service.hpp"
#include "tests/provider_sim/hubspot/hubspot_api.hpp"
#include "tests/provider_sim/hubspot/hubspot_oauth.hpp"
#include "tests/provider_sim/server/http_server.hpp"
#include "tests/provider_sim/sim_router.hpp"
#include "tests/provider_sim/validation/google_catalog.hpp"
#include "tests/provider_sim/validation/hubspot_catalog.hpp"

#include <map>
#include <mutex>

namespace switchboard::sim {
namespace {

// The descriptions take a moment to compile; fixtures starting many simulators share them.
struct Catalogs {
    std::shared_ptr<const GoogleCatalog> google;
    std::shared_ptr<const HubSpotCatalog> hubspot;
};

Result<Catalogs> load_catalogs(const std::filesystem::path& specs_dir) {
    static std::mutex mutex;
    static std::map<std::string, Catalogs> cache;
    std::error_code ec;
    const std::string key = std::filesystem::weakly_canonical(specs_dir, ec).string();
    std::lock_guard lock(mutex);
    if (const auto it = cache.find(key); it != cache.end()) {
        return it->second;
    }
    auto google = GoogleCatalog::load(specs_dir);
    if (!google) {
        return google.error();
    }
    auto hubspot = HubSpotCatalog::load(specs_dir);
    if (!hubspot) {
        return hubspot.error();
    }
    Catalogs loaded{*google, *hubspot};
    cache.emplace(key, loaded);
    return loaded;
}

} // namespace

struct ProviderSim::Impl {
    SimState state;
    GoogleOAuth google_oauth{state};
    GoogleApi google_api{state};
    CalendarService calendar{state};
    GmailService gmail{state};
    DriveService drive{state};
    HubSpotOAuth hubspot_oauth{state};
    HubSpotApi hubspot_api{state};
    CrmService crm{state};
    AccountService accounts{state};
    std::unique_ptr<AdminApi> admin;
    std::unique_ptr<SimRouter> router;
    std::unique_ptr<HttpServer> server;
    std::uint16_t port = 0;

    Impl(SimOptions options, Catalogs catalogs)
        : state(std::move(options), std::move(catalogs.google), std::move(catalogs.hubspot)) {
        calendar.register_with(google_api);
        gmail.register_with(google_api);
        drive.register_with(google_api);
        hubspot_oauth.register_with(hubspot_api);
        crm.register_with(hubspot_api);
        accounts.register_with(hubspot_api);
    }
};

ProviderSim::ProviderSim(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProviderSim::~ProviderSim() { stop(); }

Result<std::unique_ptr<ProviderSim>> ProviderSim::start(SimOptions options) {
    auto catalogs = load_catalogs(options.specs_dir);
    if (!catalogs) {
        return catalogs.error();
    }
    HttpServer::Config config;
    config.address = options.bind_address;
    config.port = options.port;
    config.threads = options.threads;
    config.body_limit = options.body_limit;
    config.read_timeout = options.read_timeout;
    std::unique_ptr<ProviderSim> sim(new ProviderSim(std::make_unique<Impl>(std::move(options), *catalogs)));
    Impl& impl = *sim->impl_;
    impl.admin = std::make_unique<AdminApi>(*sim);
    impl.router = std::make_unique<SimRouter>(
        impl.state, SimHandlers{*impl.admin, impl.google_oauth, impl.google_api, impl.hubspot_oauth, impl.hubspot_api});
    auto server = HttpServer::start(config, [router = impl.router.get()](const Request& r) { return router->route(r); });
    if (!server) {
        return server.error();
    }
    impl.server = std::move(*server);
    impl.port = impl.server->port();
    return sim;
}

void ProviderSim::stop() {
    if (impl_ && impl_->server) {
        impl_->server->stop();
    }
}

std::uint16_t ProviderSim::port() const { return impl_->port; }

std::string ProviderSim::base_url() const {
    const std::string& address = impl_->state.options().bind_address;
    const std::string host = address == "0.0.0.0" ? "127.0.0.1" : address;
    return "http://" + host + ":" + std::to_string(impl_->port);
}

std::string ProviderSim::url(std::string_view host_and_path) const {
    if (!host_and_path.empty() && host_and_path.front() == '/') {
        host_and_path.remove_prefix(1);
    }
    return base_url() + "/" + std::string(host_and_path);
}

std::vector<RecordedRequest> ProviderSim::requests() const { return impl_->state.log.all(); }
std::vector<RecordedRequest> ProviderSim::validation_failures() const { return impl_->state.log.failures(); }
std::uint64_t ProviderSim::calls(std::string_view method_id) const { return impl_->state.log.count(method_id); }
std::map<std::string, std::uint64_t> ProviderSim::counters() const { return impl_->state.log.counters(); }
void ProviderSim::clear_requests() { impl_->state.log.clear(); }

std::uint64_t ProviderSim::add_fault(FaultRule rule) { return impl_->state.faults.add(std::move(rule)); }
bool ProviderSim::remove_fault(std::uint64_t id) { return impl_->state.faults.remove(id); }
void ProviderSim::clear_faults() { impl_->state.faults.clear(); }
std::vector<std::pair<std::uint64_t, FaultRule>> ProviderSim::faults() const { return impl_->state.faults.rules(); }
std::uint64_t ProviderSim::faults_hit() const { return impl_->state.faults.hits(); }

std::size_t ProviderSim::expire_access_tokens(std::optional<Provider> provider) {
    return impl_->state.tokens.expire_access_tokens(provider);
}
bool ProviderSim::revoke_refresh_token(std::string_view refresh_token) {
    return impl_->state.tokens.revoke_refresh(refresh_token);
}
std::vector<std::string> ProviderSim::issued_secrets() const {
    return impl_->state.tokens.issued_secrets();
}

std::size_t ProviderSim::revoke_refresh_tokens_of(std::string_view user) {
    return impl_->state.tokens.revoke_refresh_of_user(user);
}
void ProviderSim::advance_clock(std::chrono::seconds by) { impl_->state.clock.advance(by); }

IssuedTokens ProviderSim::issue_tokens(Provider provider, const std::string& user, std::vector<std::string> scopes,
                                       bool with_refresh_token, const std::string& client_id) {
    Grant grant;
    grant.provider = provider;
    grant.user = user;
    grant.scopes = std::move(scopes);
    const SimSettings settings = impl_->state.settings();
    if (provider == Provider::google) {
        grant.client_id = client_id.empty() ? impl_->state.options().google_client.id : client_id;
        return impl_->state.tokens.issue(grant, settings.google_access_token_lifetime, with_refresh_token);
    }
    grant.client_id = client_id.empty() ? impl_->state.options().hubspot_client.id : client_id;
    grant.hub_id = SimState::hub_id_for(user);
    return impl_->state.tokens.issue(grant, settings.hubspot_access_token_lifetime, with_refresh_token);
}

std::string ProviderSim::issue_private_app_token(const std::string& user,
                                                 std::vector<std::string> scopes) {
    Grant grant;
    grant.provider = Provider::hubspot;
    grant.client_id = "private-app";
    grant.user = user;
    grant.hub_id = SimState::hub_id_for(user);
    grant.scopes = std::move(scopes);
    return impl_->state.tokens.issue_private_app_token(grant);
}

bool ProviderSim::revoke_access_token(std::string_view token) {
    return impl_->state.tokens.revoke_access(token);
}

SimSettings ProviderSim::settings() const { return impl_->state.settings(); }
void ProviderSim::set_settings(const SimSettings& settings) { impl_->state.set_settings(settings); }

std::vector<StoredEmail> ProviderSim::gmail_messages(std::string_view account) const {
    return impl_->gmail.messages(account);
}

std::vector<CrmService::Record> ProviderSim::hubspot_records(const std::string& user, const std::string& object) const {
    return impl_->crm.records(SimState::hub_id_for(user), object);
}

void ProviderSim::reset() {
    Impl& i = *impl_;
    i.calendar.clear();
    i.gmail.clear();
    i.drive.clear();
    i.crm.clear();
    i.google_api.clear();
    i.hubspot_api.clear();
    i.state.tokens.clear();
    i.state.consent.clear();
    i.state.faults.clear();
    i.state.log.clear();
    i.state.clock.reset();
    const SimOptions& o = i.state.options();
    i.state.set_settings({o.auto_approve, o.google_access_token_lifetime, o.hubspot_access_token_lifetime,
                          o.rotate_refresh_tokens});
}

const GoogleCatalog& ProviderSim::google_catalog() const { return impl_->state.google(); }
const HubSpotCatalog& ProviderSim::hubspot_catalog() const { return impl_->state.hubspot(); }

} // namespace switchboard::sim
