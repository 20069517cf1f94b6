#include "core/connectors/connector_manager.hpp"

#include "core/crypto/digest.hpp"
#include "core/crypto/secure_random.hpp"
#include "core/http/form_encoding.hpp"
#include "core/oauth/authorization_url.hpp"
#include "core/plugin/status.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace switchboard::connectors {
namespace {

constexpr std::string_view integrations_path = "/settings/integrations";

// 32 bytes from the CSPRNG: 256 bits, 43 base64url characters.
constexpr std::size_t completion_entropy_bytes = 32;
constexpr std::size_t completion_length = 43;

Error not_active(const store::ConnectorSummary& connector) {
    if (connector.status == store::ConnectorStatus::pending) {
        return Error(ErrorKind::conflict, "connector_not_active",
                     "connector '" + connector.id +
                         "' is pending: confirm it (POST /api/v1/connectors/complete) first");
    }
    return Error(ErrorKind::conflict, "connector_not_active",
                 "connector '" + connector.id + "' is " +
                     std::string(store::to_string(connector.status)) +
                     ", not active; reconnect it first");
}

// Exactly what the repository answers for a missing id, so that another user's pending
// connector cannot be told apart from one that does not exist.
Error connector_not_found(std::string_view id) {
    return Error(ErrorKind::not_found, "connector_not_found",
                 "connector '" + std::string(id) + "' does not exist");
}

Error completion_not_found() {
    return Error(ErrorKind::not_found, "completion_not_found",
                 "the completion code is unknown, expired or already used");
}

bool plausible_completion(std::string_view code) {
    return code.size() == completion_length &&
           std::all_of(code.begin(), code.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
           });
}

// A pending connector is the business of the user who started its flow alone.
bool visible_to(const Principal& caller, const store::ConnectorSummary& connector) {
    return connector.status != store::ConnectorStatus::pending ||
           connector.user_id == caller.user_id;
}

// Until it is confirmed, a pending connector is not known to be its starter's account:
// its identity is not shown (the starter may have sent the link to someone else).
store::ConnectorSummary shown(store::ConnectorSummary connector) {
    if (connector.status == store::ConnectorStatus::pending) {
        connector.account_identity.clear();
        connector.account_id.clear();
    }
    return connector;
}

// Whether `connector` is the account (identity, provider-side account id). A row from
// before account ids were recorded has none and matches any.
bool same_account(const store::ConnectorSummary& connector, std::string_view identity,
                  std::string_view account_id) {
    return connector.account_identity == identity &&
           (connector.account_id == account_id || connector.account_id.empty() ||
            account_id.empty());
}

Result<void> check_connector_name(std::string_view name) {
    if (name.empty() || name.size() > 255) {
        return Error(ErrorKind::invalid_input, "invalid_connector_name",
                     "the connector name must be 1 to 255 characters", "name");
    }
    for (char c : name) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return Error(ErrorKind::invalid_input, "invalid_connector_name",
                         "the connector name must not contain control characters", "name");
        }
    }
    return {};
}

ErrorKind outcome_kind(sb_status status) {
    switch (status) {
    case SB_STATUS_INVALID_INPUT: return ErrorKind::invalid_input;
    case SB_STATUS_AUTH: return ErrorKind::conflict; // the connector must be reconnected
    case SB_STATUS_NOT_FOUND: return ErrorKind::not_found;
    case SB_STATUS_RATE_LIMITED: return ErrorKind::rate_limited;
    case SB_STATUS_UNAVAILABLE: return ErrorKind::unavailable;
    case SB_STATUS_UNSUPPORTED: return ErrorKind::unsupported;
    case SB_STATUS_CONFLICT: return ErrorKind::conflict; // e.g. the contact exists already
    default: return ErrorKind::upstream_failed;
    }
}

} // namespace

Error outcome_error(const plugin::InvokeOutcome& outcome) {
    Error error(
        outcome.error_kind.value_or(outcome_kind(outcome.status)),
        std::string(plugin::status_name(outcome.status)),
        "the provider plugin failed (" + std::string(plugin::status_name(outcome.status)) + ")");
    auto json = nlohmann::json::parse(outcome.json, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return error;
    if (auto code = json.find("code"); code != json.end() && code->is_string() &&
                                       !code->get_ref<const std::string&>().empty()) {
        error.code = code->get<std::string>();
    }
    if (auto message = json.find("message"); message != json.end() && message->is_string()) {
        error.message = message->get<std::string>();
    }
    if (auto field = json.find("field"); field != json.end() && field->is_string()) {
        error.field = field->get<std::string>();
    }
    if (auto details = json.find("details"); details != json.end() && details->is_object()) {
        if (auto retry = details->find("retry_after_seconds");
            retry != details->end() && retry->is_number() && retry->get<double>() >= 0) {
            error.retry_after_seconds =
                static_cast<int>(std::min(std::ceil(retry->get<double>()), 86400.0));
        }
    }
    return error;
}

ConnectorManager::ConnectorManager(ConnectorManagerParts parts, ConnectorManagerOptions options)
    : parts_(std::move(parts)), options_(std::move(options)),
      access_tokens_(parts_.http, options_.http) {
    while (!options_.frontend_url.empty() && options_.frontend_url.back() == '/') {
        options_.frontend_url.pop_back();
    }
}

std::chrono::system_clock::time_point ConnectorManager::now() const {
    return parts_.clock ? parts_.clock() : std::chrono::system_clock::now();
}

std::vector<ProviderInfo> ConnectorManager::providers() const {
    std::vector<ProviderInfo> out;
    for (const ProviderAccess* access : parts_.providers->list()) {
        const plugin::ProviderDescriptor& d = *access->descriptor;
        ProviderInfo info;
        info.provider = d.id;
        info.type = d.category;
        info.name = d.display_name;
        info.description = d.description;
        info.requires_oauth = !d.oauth.authorize_url.empty();
        info.configured = access->credentials.has_value();
        info.actions = d.actions;
        if (d.access_token) info.access_token_label = d.access_token->label;
        out.push_back(std::move(info));
    }
    return out;
}

Result<AuthorizationStart> ConnectorManager::start_authorization(const Principal& caller,
                                                                 const AuthorizationRequest& request) {
    const ProviderAccess* access = parts_.providers->find(request.provider);
    if (access == nullptr) {
        return Error(ErrorKind::not_found, "provider_not_found",
                     "provider '" + request.provider + "' is not enabled on this host", "provider");
    }
    const plugin::ProviderDescriptor& provider = *access->descriptor;
    if (request.type != provider.category) {
        return Error(ErrorKind::invalid_input, "provider_type_mismatch",
                     "provider '" + provider.id + "' is of type '" + provider.category + "'",
                     "type");
    }
    if (auto checked = check_connector_name(request.name); !checked) return checked.error();
    auto configured = parts_.providers->configured(provider.id);
    if (!configured) return configured.error();

    oauth::OAuthStateBinding binding{caller.tenant_id, caller.user_id, provider.id,
                                     provider.category, request.name, options_.redirect_uri};
    auto ticket = parts_.states->create(binding);
    if (!ticket) return ticket.error();
    oauth::AuthorizationUrlParams params{access->credentials->client_id, options_.redirect_uri,
                                         ticket->state, ticket->code_challenge};
    auto url = oauth::build_authorization_url(provider.oauth, params);
    if (!url) return url.error();
    parts_.metrics->oauth_flow(provider.id, "started");
    spdlog::info("OAuth flow started for provider {} (tenant {})", provider.id, caller.tenant_id);
    return AuthorizationStart{std::move(*url), std::move(ticket->state)};
}

std::string ConnectorManager::frontend_redirect(
    const std::vector<std::pair<std::string, std::string>>& query) const {
    return options_.frontend_url + std::string(integrations_path) + "?" + http::encode_query(query);
}

CallbackOutcome ConnectorManager::fail(std::string_view provider, std::string code) {
    parts_.metrics->oauth_flow(provider, "failed");
    spdlog::warn("OAuth callback failed for provider {}: {}",
                 provider.empty() ? std::string_view("unknown") : provider, code);
    CallbackOutcome outcome;
    outcome.success = false;
    outcome.redirect_url = frontend_redirect({{"success", "false"}, {"error", code}});
    outcome.error_code = std::move(code);
    return outcome;
}

CallbackOutcome ConnectorManager::complete_authorization(const CallbackQuery& query) {
    if (!query.state || query.state->empty()) return fail({}, "invalid_state");
    // Consumed first, whatever the rest says: a state is good for one callback only.
    auto consumed = parts_.states->consume(*query.state);
    if (!consumed) {
        return fail({}, consumed.error().code == "state_store_unavailable"
                            ? "state_store_unavailable"
                            : "invalid_state");
    }
    const oauth::ConsumedOAuthState& state = *consumed;
    if (state.binding.redirect_uri != options_.redirect_uri) {
        return fail(state.binding.provider, "invalid_state");
    }
    if (query.error) {
        return fail(state.binding.provider,
                    std::string(oauth::authorization_error_code(*query.error)));
    }
    if (!query.code || query.code->empty()) return fail(state.binding.provider, "invalid_callback");
    return complete(state, *query.code);
}

CallbackOutcome ConnectorManager::complete(const oauth::ConsumedOAuthState& state,
                                           const std::string& code) {
    const auto& binding = state.binding;
    auto access = parts_.providers->configured(binding.provider);
    if (!access) return fail(binding.provider, "provider_not_configured");
    const plugin::ProviderDescriptor& provider = *(*access)->descriptor;
    if (provider.category != binding.category) return fail(binding.provider, "invalid_state");

    auto tokens = parts_.oauth->exchange_code(
        provider, *(*access)->credentials,
        oauth::CodeExchange{code, binding.redirect_uri, state.code_verifier});
    if (!tokens) {
        spdlog::warn("token exchange with {} failed: {} ({})", provider.id, tokens.error().code,
                     tokens.error().message);
        return fail(provider.id, "token_exchange_failed");
    }

    oauth::AccountIdentity account;
    if (!provider.oauth.identity_url.empty()) {
        auto fetched = parts_.oauth->fetch_account(provider, tokens->access_token);
        if (!fetched) {
            spdlog::warn("identity request to {} failed: {} ({})", provider.id,
                         fetched.error().code, fetched.error().message);
            return fail(provider.id, "identity_failed");
        }
        account = std::move(*fetched);
        if (account.identity.size() > 320 || account.account_id.size() > 255) {
            return fail(provider.id, "identity_failed");
        }
    }

    store::NewConnector connector;
    connector.user_id = binding.user_id;
    connector.category = binding.category;
    connector.provider = provider.id;
    connector.name = binding.connector_name;
    connector.status = store::ConnectorStatus::active;
    connector.account_identity = std::move(account.identity);
    connector.account_id = std::move(account.account_id);
    connector.scopes = tokens->scopes ? *tokens->scopes : oauth::requested_scopes(provider.oauth);
    connector.tokens.access_token = tokens->access_token;
    connector.tokens.refresh_token = tokens->refresh_token;
    if (tokens->expires_in) {
        connector.tokens.expires_at =
            std::chrono::time_point_cast<std::chrono::seconds>(now()) + *tokens->expires_in;
    }
    if (options_.confirmation == config::ConnectConfirmation::immediate) {
        return store_active(binding, connector);
    }
    return park(binding, connector);
}

CallbackOutcome ConnectorManager::park(const oauth::OAuthStateBinding& binding,
                                       const store::NewConnector& connector) {
    auto completion = crypto::random_token(completion_entropy_bytes);
    if (!completion) return fail(connector.provider, "storage_failed");
    auto hash = crypto::sha256_hex(*completion);
    if (!hash) return fail(connector.provider, "storage_failed");
    const auto until =
        std::chrono::time_point_cast<std::chrono::seconds>(now()) + options_.completion_ttl;
    auto parked = parts_.pending->park(binding.tenant_id, connector, *hash, until);
    if (!parked) {
        spdlog::warn("cannot park the {} connection: {} ({})", connector.provider,
                     parked.error().code, parked.error().message);
        return fail(connector.provider, "storage_failed");
    }
    parts_.metrics->oauth_flow(connector.provider, "parked");
    spdlog::info("OAuth flow for {} parked as pending connector {} (tenant {}) until the user "
                 "who started it confirms it",
                 connector.provider, parked->connector_id, binding.tenant_id);
    CallbackOutcome outcome;
    outcome.success = true;
    outcome.redirect_url = frontend_redirect(
        {{"success", "true"}, {"provider", connector.provider}, {"completion", *completion}});
    outcome.completion = std::move(*completion);
    if (auto summary = parts_.repository->get(binding.tenant_id, parked->connector_id)) {
        outcome.connector = std::move(*summary);
    }
    return outcome;
}

Result<std::string> ConnectorManager::store_account(const std::string& tenant_id,
                                                    const store::NewConnector& connector) {
    const std::string& provider = connector.provider;
    const auto already_connected = [&] {
        return Error(ErrorKind::conflict, "already_connected",
                     "this " + provider + " account is already connected in your tenant");
    };
    // The same account again: refuse an active duplicate; bring back one that was revoked,
    // expired, failed or disconnected, instead of adding a second row for it.
    std::optional<store::ConnectorSummary> existing;
    if (!connector.account_identity.empty()) {
        store::ConnectorFilter filter;
        filter.provider = provider;
        auto listed = parts_.repository->list(tenant_id, filter);
        if (!listed) return listed.error();
        for (const auto& other : *listed) {
            if (other.status == store::ConnectorStatus::pending ||
                !same_account(other, connector.account_identity, connector.account_id)) {
                continue;
            }
            if (other.status == store::ConnectorStatus::active) return already_connected();
            // Tokens of another kind (an OAuth grant with its refresh token, or an access
            // token without one) do not take over each other's row.
            if (other.auth_method != connector.auth_method) continue;
            existing = other; // the latest one wins (list is oldest first)
        }
    }

    if (!existing) {
        auto created = parts_.repository->create(tenant_id, connector);
        if (!created) {
            if (created.error().code == "connector_exists") return already_connected();
            return created.error();
        }
        return created->id;
    }
    auto credentials = parts_.repository->get_credentials(tenant_id, existing->id);
    if (!credentials) return credentials.error();
    store::TokenUpdate update;
    update.cause = store::TokenUpdateCause::reconnect;
    update.access_token = connector.tokens.access_token;
    update.refresh_token = connector.tokens.refresh_token;
    update.expires_at = connector.tokens.expires_at;
    update.scopes = connector.scopes;
    auto updated = parts_.repository->update_tokens(tenant_id, existing->id,
                                                    credentials->credential_version, update);
    if (!updated) {
        if (updated.error().kind == ErrorKind::conflict &&
            updated.error().code != "credential_version_conflict") {
            return already_connected();
        }
        return updated.error();
    }
    if (existing->account_id.empty() && !connector.account_id.empty()) {
        if (auto adopted = parts_.repository->set_account_id(tenant_id, existing->id,
                                                             connector.account_id);
            !adopted) {
            spdlog::warn("cannot record the account id of connector {}: {}", existing->id,
                         adopted.error().code);
        }
    }
    spdlog::info("connector {} ({}) reconnected", existing->id, provider);
    return existing->id;
}

CallbackOutcome ConnectorManager::store_active(const oauth::OAuthStateBinding& binding,
                                               const store::NewConnector& connector) {
    const std::string& provider = connector.provider;
    auto stored = store_account(binding.tenant_id, connector);
    if (!stored) {
        return fail(provider, stored.error().code == "already_connected" ? "already_connected"
                                                                          : "storage_failed");
    }
    spdlog::info("OAuth flow stored connector {} ({})", *stored, provider);
    parts_.metrics->oauth_flow(provider, "completed");
    CallbackOutcome outcome;
    outcome.success = true;
    outcome.redirect_url = frontend_redirect({{"success", "true"}, {"provider", provider}});
    if (auto summary = parts_.repository->get(binding.tenant_id, *stored)) {
        outcome.connector = std::move(*summary);
    }
    return outcome;
}

Result<store::ConnectorSummary> ConnectorManager::connect_with_access_token(
    const Principal& caller, const AccessTokenConnection& request) {
    const ProviderAccess* access = parts_.providers->find(request.provider);
    if (access == nullptr) {
        return Error(ErrorKind::not_found, "provider_not_found",
                     "provider '" + request.provider + "' is not enabled on this host", "provider");
    }
    const plugin::ProviderDescriptor& provider = *access->descriptor;
    if (!request.name.empty()) {
        if (auto checked = check_connector_name(request.name); !checked) return checked.error();
    }
    auto account = access_tokens_.verify(provider, caller.tenant_id, request.access_token);
    if (!account) {
        spdlog::info("{} access token of tenant {} not accepted: {}", provider.id,
                     caller.tenant_id, account.error().code);
        return account.error();
    }

    store::NewConnector connector;
    connector.user_id = caller.user_id;
    connector.category = provider.category;
    connector.provider = provider.id;
    connector.name = request.name.empty()
                         ? provider.display_name + " " + account->identity
                         : request.name;
    connector.status = store::ConnectorStatus::active;
    connector.account_identity = std::move(account->identity);
    connector.account_id = std::move(account->account_id);
    connector.auth_method = store::AuthMethod::access_token;
    connector.tokens.access_token = request.access_token; // no refresh token, no expiry
    if (auto checked = check_connector_name(connector.name); !checked) return checked.error();

    auto stored = store_account(caller.tenant_id, connector);
    if (!stored) return stored.error();
    spdlog::info("connector {} ({}) connected with an access token (tenant {})", *stored,
                 provider.id, caller.tenant_id);
    return parts_.repository->get(caller.tenant_id, *stored);
}

Result<store::ConnectorSummary> ConnectorManager::confirm_connection(const Principal& caller,
                                                                     std::string_view completion) {
    if (!plausible_completion(completion)) return completion_not_found();
    auto hash = crypto::sha256_hex(completion);
    if (!hash) return hash.error();
    auto confirmed = parts_.pending->confirm(*hash, caller.tenant_id, caller.user_id);
    if (!confirmed) return confirmed.error();
    const std::string& provider = confirmed->provider;
    switch (confirmed->kind) {
    case store::ConfirmationKind::forbidden: {
        parts_.metrics->oauth_flow(provider, "refused");
        spdlog::warn("the completion code of pending connector {} ({}) was presented by another "
                     "user (tenant {}); discarding its tokens",
                     confirmed->connector.connector_id, provider, caller.tenant_id);
        if (auto discarded = parts_.discarder->discard(
                store::PendingClaim{confirmed->connector, provider,
                                    std::chrono::time_point_cast<std::chrono::seconds>(now())});
            !discarded) {
            spdlog::warn("pending connector {} is left to the background sweep: {}",
                         confirmed->connector.connector_id, discarded.error().code);
        }
        return Error(ErrorKind::forbidden, "completion_forbidden",
                     "this connection was started by another user; its tokens are discarded "
                     "and revoked at the provider");
    }
    case store::ConfirmationKind::already_connected:
        parts_.metrics->oauth_flow(provider, "failed");
        return Error(ErrorKind::conflict, "already_connected",
                     "this " + provider + " account is already connected in your tenant");
    case store::ConfirmationKind::activated:
    case store::ConfirmationKind::reconnected: break;
    }
    parts_.metrics->oauth_flow(provider, "completed");
    spdlog::info("pending {} connection confirmed: connector {} is active{}", provider,
                 confirmed->connector.connector_id,
                 confirmed->kind == store::ConfirmationKind::reconnected ? " again" : "");
    return parts_.repository->get(caller.tenant_id, confirmed->connector.connector_id);
}

Result<store::ConnectorSummary> ConnectorManager::visible(const Principal& caller,
                                                          std::string_view id) {
    auto summary = parts_.repository->get(caller.tenant_id, id);
    if (!summary) return summary.error();
    if (!visible_to(caller, *summary)) return connector_not_found(id);
    return shown(std::move(*summary));
}

Result<std::vector<store::ConnectorSummary>> ConnectorManager::list(const Principal& caller) {
    auto listed = parts_.repository->list(caller.tenant_id);
    if (!listed) return listed.error();
    std::vector<store::ConnectorSummary> out;
    for (auto& connector : *listed) {
        if (visible_to(caller, connector)) out.push_back(shown(std::move(connector)));
    }
    return out;
}

Result<store::ConnectorSummary> ConnectorManager::get(const Principal& caller,
                                                      std::string_view id) {
    return visible(caller, id);
}

Result<DisconnectOutcome> ConnectorManager::discard_pending(const store::ConnectorSummary& summary,
                                                            const DisconnectOptions& options) {
    auto claim = parts_.pending->claim(summary.tenant_id, summary.id);
    if (!claim) return claim.error();
    DisconnectOutcome outcome;
    auto discarded = parts_.discarder->discard(*claim);
    if (discarded) {
        outcome.revoked_at_provider = true;
        return outcome;
    }
    if (!options.force) {
        Error error = discarded.error();
        error.message = "the pending connector was not removed: " + error.message;
        return error;
    }
    if (auto removed = parts_.pending->remove(claim->connector); !removed) return removed.error();
    outcome.revocation_error = discarded.error().code;
    return outcome;
}

Result<DisconnectOutcome> ConnectorManager::disconnect(const Principal& caller,
                                                       std::string_view id,
                                                       const DisconnectOptions& options) {
    auto summary = visible(caller, id);
    if (!summary) return summary.error();
    if (summary->status == store::ConnectorStatus::pending) {
        return discard_pending(*summary, options);
    }
    DisconnectOutcome outcome;
    const ProviderAccess* access = parts_.providers->find(summary->provider);
    if (access == nullptr) {
        spdlog::warn("disconnect of connector {}: provider {} is not enabled, so its tokens "
                     "cannot be revoked there; removing them here",
                     summary->id, summary->provider);
        outcome.revocation_error = "provider_not_enabled";
    } else if (access->descriptor->oauth.revoke_style == plugin::RevokeStyle::none ||
               summary->auth_method == store::AuthMethod::access_token) {
        // An access token handed over is not an OAuth grant: the revocation endpoint does not
        // take it, and only the provider's own settings delete it.
        outcome.revocation_error = "revocation_unsupported";
    } else {
        auto credentials = parts_.repository->get_credentials(caller.tenant_id, id);
        if (!credentials && !options.force) return credentials.error();
        Result<void> revoked = credentials ? revoke_grant(*access, credentials->tokens)
                                           : Result<void>(credentials.error());
        if (revoked) {
            outcome.revoked_at_provider = true;
        } else if (!options.force) {
            spdlog::warn("disconnect of connector {} ({}): revocation failed: {}; nothing "
                         "removed",
                         summary->id, summary->provider, revoked.error().code);
            Error error = revoked.error();
            error.message = "the connector was not removed: " + error.message;
            return error;
        } else {
            spdlog::warn("disconnect of connector {} ({}): revocation failed: {}; removing it "
                         "anyway (force)",
                         summary->id, summary->provider, revoked.error().code);
            outcome.revocation_error = revoked.error().code;
        }
    }
    auto removed = parts_.repository->remove(caller.tenant_id, id);
    if (!removed) return removed.error();
    spdlog::info("disconnected connector {} ({}){}", summary->id, summary->provider,
                 outcome.revoked_at_provider ? "" : " without revoking its grant at the provider");
    return outcome;
}

Result<void> ConnectorManager::revoke_grant(const ProviderAccess& access,
                                            const store::ConnectorTokens& tokens) {
    const std::string& token = tokens.refresh_token && !tokens.refresh_token->empty()
                                   ? *tokens.refresh_token
                                   : tokens.access_token;
    if (token.empty()) return {}; // nothing outstanding
    return parts_.oauth->revoke(*access.descriptor, token);
}

Result<store::ConnectorSummary> ConnectorManager::refresh(const Principal& caller,
                                                          std::string_view id) {
    auto summary = visible(caller, id);
    if (!summary) return summary.error();
    if (summary->status == store::ConnectorStatus::pending) return not_active(*summary);
    if (summary->status == store::ConnectorStatus::revoked) {
        return Error(ErrorKind::conflict, "connector_revoked",
                     "connector '" + summary->id + "' is revoked; reconnect the account");
    }
    auto grant = parts_.tokens->refresh_now(caller.tenant_id, id);
    if (!grant) return grant.error();
    return parts_.repository->get(caller.tenant_id, id);
}

Result<nlohmann::json> ConnectorManager::invoke(const Principal& caller, std::string_view id,
                                                std::string_view action,
                                                std::string_view params_json) {
    auto summary = active_connector(caller, id);
    if (!summary) return summary.error();
    return invoke_connector(*summary, action, params_json);
}

Result<store::ConnectorSummary> ConnectorManager::active_connector(const Principal& caller,
                                                                   std::string_view id) {
    auto summary = visible(caller, id);
    if (!summary) return summary.error();
    if (summary->status != store::ConnectorStatus::active) return not_active(*summary);
    return summary;
}

Result<nlohmann::json> ConnectorManager::invoke_connector(const store::ConnectorSummary& summary,
                                                          std::string_view action,
                                                          std::string_view params_json) {
    if (summary.status != store::ConnectorStatus::active) return not_active(summary);
    auto connector = parts_.factory->create(summary.provider, summary.tenant_id, summary.id);
    if (!connector) return connector.error();
    const plugin::ProviderDescriptor& provider = (*connector)->provider();

    // The session serves the plugin's HTTP on this thread, whichever mode the plugin runs
    // in; the connector bounds the call (and so every request) by the provider's timeout.
    ProviderHttpSession session(*parts_.http, provider, *parts_.tokens, summary.tenant_id,
                                summary.id, options_.http);
    const auto started = std::chrono::steady_clock::now();
    plugin::InvokeOutcome outcome = (*connector)->invoke(action, params_json, session);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    const std::string_view action_label = provider.has_action(action) ? action : "unknown";
    parts_.metrics->plugin_call(provider.id, action_label, plugin::status_name(outcome.status),
                                took);
    if (outcome.fault != plugin::PluginFault::none) {
        parts_.metrics->plugin_fault(provider.id, to_string((*connector)->mode()),
                                     to_string(outcome.fault));
    }

    if (!outcome.ok()) {
        // The plugin only saw "no token" or "unavailable"; the session knows why.
        if (session.refusal() && !outcome.from_host &&
            (outcome.status == SB_STATUS_AUTH || outcome.status == SB_STATUS_UNAVAILABLE ||
             outcome.status == SB_STATUS_INTERNAL)) {
            return *session.refusal();
        }
        Error error = outcome_error(outcome);
        spdlog::info("action {}.{} on connector {} failed: {} ({})", provider.category,
                     action_label, summary.id, plugin::status_name(outcome.status), error.code);
        return error;
    }
    if (outcome.parsed) {
        return std::move(*outcome.parsed); // the connector parsed (and validated) it already
    }
    auto result = nlohmann::json::parse(outcome.json, nullptr, false);
    if (result.is_discarded()) {
        return Error(ErrorKind::upstream_failed, "plugin_contract_violation",
                     "the provider plugin returned a result that is not JSON");
    }
    return result;
}

} // namespace switchboard::connectors
