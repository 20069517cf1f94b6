#include "core/connectors/connector_manager.hpp"

#include "core/http/form_encoding.hpp"
#include "core/oauth/authorization_url.hpp"
#include "core/plugin/status.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace switchboard::connectors {
namespace {

constexpr std::string_view integrations_path = "/settings/integrations";

Error not_active(const store::ConnectorSummary& connector) {
    return Error(ErrorKind::conflict, "connector_not_active",
                 "connector '" + connector.id + "' is " +
                     std::string(store::to_string(connector.status)) +
                     ", not active; reconnect it first");
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

Error outcome_error(const InvokeOutcome& outcome) {
    Error error(outcome.error_kind.value_or(outcome_kind(outcome.status)),
                std::string(status_name(outcome.status)),
                "the provider plugin failed (" + std::string(status_name(outcome.status)) + ")");
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
    : parts_(std::move(parts)), options_(std::move(options)) {
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
        const ProviderDescriptor& d = *access->descriptor;
        ProviderInfo info;
        info.provider = d.id;
        info.type = d.category;
        info.name = d.display_name;
        info.description = d.description;
        info.requires_oauth = !d.oauth.authorize_url.empty();
        info.configured = access->credentials.has_value();
        info.actions = d.actions;
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
    const ProviderDescriptor& provider = *access->descriptor;
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
    const ProviderDescriptor& provider = *(*access)->descriptor;
    if (provider.category != binding.category) return fail(binding.provider, "invalid_state");

    auto tokens = parts_.oauth->exchange_code(
        provider, *(*access)->credentials,
        oauth::CodeExchange{code, binding.redirect_uri, state.code_verifier});
    if (!tokens) {
        spdlog::warn("token exchange with {} failed: {} ({})", provider.id, tokens.error().code,
                     tokens.error().message);
        return fail(provider.id, "token_exchange_failed");
    }

    std::string identity;
    if (!provider.oauth.identity_url.empty()) {
        auto fetched = parts_.oauth->fetch_identity(provider, tokens->access_token);
        if (!fetched) {
            spdlog::warn("identity request to {} failed: {} ({})", provider.id,
                         fetched.error().code, fetched.error().message);
            return fail(provider.id, "identity_failed");
        }
        identity = std::move(*fetched);
        if (identity.size() > 320) return fail(provider.id, "identity_failed");
    }

    std::optional<store::Timestamp> expires_at;
    if (tokens->expires_in) {
        expires_at = std::chrono::time_point_cast<std::chrono::seconds>(now()) + *tokens->expires_in;
    }
    std::vector<std::string> scopes =
        tokens->scopes ? *tokens->scopes : oauth::requested_scopes(provider.oauth);

    // The same account again: refuse an active duplicate; bring back one that was revoked,
    // expired, failed or disconnected, instead of adding a second row for it.
    std::optional<store::ConnectorSummary> existing;
    if (!identity.empty()) {
        store::ConnectorFilter filter;
        filter.provider = provider.id;
        auto listed = parts_.repository->list(binding.tenant_id, filter);
        if (!listed) return fail(provider.id, "storage_failed");
        for (const auto& connector : *listed) {
            if (connector.account_identity != identity) continue;
            if (connector.status == store::ConnectorStatus::active) {
                return fail(provider.id, "already_connected");
            }
            existing = connector; // the latest one wins (list is oldest first)
        }
    }

    std::string connector_id;
    if (existing) {
        auto credentials = parts_.repository->get_credentials(binding.tenant_id, existing->id);
        if (!credentials) return fail(provider.id, "storage_failed");
        store::TokenUpdate update;
        update.access_token = tokens->access_token;
        update.refresh_token = tokens->refresh_token;
        update.expires_at = expires_at;
        update.scopes = scopes;
        auto updated = parts_.repository->update_tokens(binding.tenant_id, existing->id,
                                                        credentials->credential_version, update);
        if (!updated) {
            return fail(provider.id, updated.error().kind == ErrorKind::conflict &&
                                             updated.error().code != "credential_version_conflict"
                                         ? "already_connected"
                                         : "storage_failed");
        }
        connector_id = existing->id;
        spdlog::info("OAuth flow reconnected connector {} ({})", connector_id, provider.id);
    } else {
        store::NewConnector connector;
        connector.user_id = binding.user_id;
        connector.category = binding.category;
        connector.provider = provider.id;
        connector.name = binding.connector_name;
        connector.status = store::ConnectorStatus::active;
        connector.account_identity = identity;
        connector.scopes = scopes;
        connector.tokens = store::ConnectorTokens{tokens->access_token, tokens->refresh_token,
                                                  expires_at};
        auto created = parts_.repository->create(binding.tenant_id, connector);
        if (!created) {
            return fail(provider.id, created.error().code == "connector_exists"
                                         ? "already_connected"
                                         : "storage_failed");
        }
        connector_id = created->id;
        spdlog::info("OAuth flow created connector {} ({})", connector_id, provider.id);
    }

    parts_.metrics->oauth_flow(provider.id, "completed");
    CallbackOutcome outcome;
    outcome.success = true;
    outcome.redirect_url = frontend_redirect({{"success", "true"}, {"provider", provider.id}});
    if (auto summary = parts_.repository->get(binding.tenant_id, connector_id)) {
        outcome.connector = std::move(*summary);
    }
    return outcome;
}

Result<std::vector<store::ConnectorSummary>> ConnectorManager::list(const Principal& caller) {
    return parts_.repository->list(caller.tenant_id);
}

Result<store::ConnectorSummary> ConnectorManager::get(const Principal& caller,
                                                      std::string_view id) {
    return parts_.repository->get(caller.tenant_id, id);
}

Result<void> ConnectorManager::disconnect(const Principal& caller, std::string_view id) {
    auto summary = parts_.repository->get(caller.tenant_id, id);
    if (!summary) return summary.error();
    const ProviderAccess* access = parts_.providers->find(summary->provider);
    if (access != nullptr && access->descriptor->oauth.revoke_style != RevokeStyle::none) {
        auto credentials = parts_.repository->get_credentials(caller.tenant_id, id);
        if (!credentials) return credentials.error();
        const auto& tokens = credentials->tokens;
        const std::string token = tokens.refresh_token && !tokens.refresh_token->empty()
                                      ? *tokens.refresh_token
                                      : tokens.access_token;
        if (!token.empty()) {
            auto revoked = parts_.oauth->revoke(*access->descriptor, token);
            if (!revoked) {
                spdlog::warn("disconnect of connector {} ({}): revocation failed: {}; nothing "
                             "removed",
                             summary->id, summary->provider, revoked.error().code);
                Error error = revoked.error();
                error.message = "the connector was not removed: " + error.message;
                return error;
            }
        }
    } else if (access == nullptr) {
        spdlog::warn("disconnect of connector {}: provider {} is not enabled, so its tokens "
                     "cannot be revoked there; removing them here",
                     summary->id, summary->provider);
    }
    auto removed = parts_.repository->remove(caller.tenant_id, id);
    if (!removed) return removed.error();
    spdlog::info("disconnected connector {} ({})", summary->id, summary->provider);
    return {};
}

Result<store::ConnectorSummary> ConnectorManager::refresh(const Principal& caller,
                                                          std::string_view id) {
    auto summary = parts_.repository->get(caller.tenant_id, id);
    if (!summary) return summary.error();
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
    auto summary = parts_.repository->get(caller.tenant_id, id);
    if (!summary) return summary.error();
    return invoke_connector(*summary, action, params_json);
}

Result<nlohmann::json> ConnectorManager::invoke_connector(const store::ConnectorSummary& summary,
                                                          std::string_view action,
                                                          std::string_view params_json) {
    if (summary.status != store::ConnectorStatus::active) return not_active(summary);
    auto connector = parts_.factory->create(summary.provider, summary.tenant_id, summary.id);
    if (!connector) return connector.error();
    const ProviderDescriptor& provider = (*connector)->provider();

    // The session serves the plugin's HTTP on this thread, whichever mode the plugin runs
    // in; the connector bounds the call (and so every request) by the provider's timeout.
    ProviderHttpSession session(*parts_.http, provider, *parts_.tokens, summary.tenant_id,
                                summary.id, options_.http);
    const auto started = std::chrono::steady_clock::now();
    InvokeOutcome outcome = (*connector)->invoke(action, params_json, session);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    const std::string_view action_label = provider.has_action(action) ? action : "unknown";
    parts_.metrics->plugin_call(provider.id, action_label, status_name(outcome.status), took);
    if (outcome.fault != PluginFault::none) {
        parts_.metrics->plugin_fault(provider.id, to_string((*connector)->mode()),
                                     to_string(outcome.fault));
    }

    if (!outcome.ok()) {
        // The plugin only saw "no token"; the token manager knows why.
        if (session.token_error() && !outcome.from_host &&
            (outcome.status == SB_STATUS_AUTH || outcome.status == SB_STATUS_UNAVAILABLE ||
             outcome.status == SB_STATUS_INTERNAL)) {
            return *session.token_error();
        }
        Error error = outcome_error(outcome);
        spdlog::info("action {}.{} on connector {} failed: {} ({})", provider.category,
                     action_label, summary.id, status_name(outcome.status), error.code);
        return error;
    }
    auto result = nlohmann::json::parse(outcome.json, nullptr, false);
    if (result.is_discarded()) {
        return Error(ErrorKind::upstream_failed, "plugin_contract_violation",
                     "the provider plugin returned a result that is not JSON");
    }
    return result;
}

} // namespace switchboard::connectors
