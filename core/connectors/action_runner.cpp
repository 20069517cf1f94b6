#include "core/connectors/action_runner.hpp"

#include "core/crypto/digest.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace switchboard::connectors {
namespace {

bool is_name(std::string_view text) {
    if (text.empty() || text.size() > 64) return false;
    for (char c : text) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

Error no_active_connector(const ActionRequest& request) {
    std::string message = "the tenant has no active " + request.category + " connector";
    if (request.connector_id) {
        message += " with id '" + *request.connector_id + "'";
    } else if (request.connector_name) {
        message += " named '" + *request.connector_name + "'";
    }
    return Error(ErrorKind::not_found, "no_active_connector", std::move(message));
}

Result<ActionResult> stored_result(const store::StoredActionResult& stored) {
    auto result = nlohmann::json::parse(stored.result_json, nullptr, false);
    if (result.is_discarded()) {
        return Error(ErrorKind::internal, "idempotency_result_unreadable",
                     "the stored result of this Idempotency-Key is not JSON");
    }
    return ActionResult{std::move(result), stored.connector_id, stored.provider, true};
}

} // namespace

std::string request_fingerprint(std::string_view category, std::string_view action,
                                std::string_view connector_id, std::string_view params_json) {
    std::string input(category);
    input += '.';
    input += action;
    input += '\n';
    input += connector_id;
    input += '\n';
    auto params = nlohmann::json::parse(params_json, nullptr, false);
    input += params.is_discarded() ? std::string(params_json) : params.dump();
    auto hash = crypto::sha256_hex(input);
    return hash ? *hash : std::string();
}

ActionRunner::ActionRunner(ActionRunnerParts parts) : parts_(std::move(parts)) {}

Result<store::ConnectorSummary> ActionRunner::resolve(const auth::Principal& caller,
                                                      const ActionRequest& request) {
    if (request.connector_id) {
        auto connector = parts_.repository->get(caller.tenant_id, *request.connector_id);
        if (!connector) {
            if (connector.error().kind == ErrorKind::not_found) return no_active_connector(request);
            return connector.error();
        }
        if (connector->category != request.category ||
            connector->status != store::ConnectorStatus::active ||
            (request.connector_name && connector->name != *request.connector_name)) {
            return no_active_connector(request);
        }
        return connector;
    }
    store::ConnectorFilter filter;
    filter.category = request.category;
    filter.status = store::ConnectorStatus::active;
    auto listed = parts_.repository->list(caller.tenant_id, filter);
    if (!listed) return listed.error();
    std::vector<store::ConnectorSummary> matches;
    for (auto& connector : *listed) {
        if (!request.connector_name || connector.name == *request.connector_name) {
            matches.push_back(std::move(connector));
        }
    }
    if (matches.empty()) return no_active_connector(request);
    if (matches.size() > 1) {
        return Error(ErrorKind::conflict, "ambiguous_connector",
                     "the tenant has " + std::to_string(matches.size()) + " active " +
                         request.category + " connectors" +
                         (request.connector_name ? " with that name" : "") +
                         "; name one (connector_id)");
    }
    return std::move(matches.front());
}

void ActionRunner::record(store::ActionAuditEntry entry) {
    if (auto stored = parts_.audit->record(std::move(entry)); !stored) {
        // The action has happened; losing its audit line is logged, not turned into a failure
        // that would make the client act again.
        spdlog::error("cannot write the action audit log: {} ({})", stored.error().code,
                      stored.error().message);
    }
}

Result<ActionResult> ActionRunner::run(const auth::Principal& caller, const ActionRequest& request) {
    if (!is_name(request.category) || !is_name(request.action)) {
        return Error(ErrorKind::invalid_input, "invalid_action",
                     "the action must be <category>.<action>, each 1 to 64 characters of a-z, "
                     "0-9 and _",
                     "action");
    }
    if (request.idempotency_key) {
        if (auto checked = store::IdempotencyStore::validate_key(*request.idempotency_key);
            !checked) {
            return checked.error();
        }
    }
    store::ActionAuditEntry audit;
    audit.tenant_id = caller.tenant_id;
    audit.user_id = caller.user_id;
    audit.category = request.category;
    audit.action = request.action;
    const auto started = std::chrono::steady_clock::now();
    auto result = execute(caller, request, audit);
    audit.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    if (!result) {
        audit.outcome = store::ActionOutcome::failed;
        audit.error_code = result.error().code.substr(0, 128);
    } else {
        audit.outcome =
            result->replayed ? store::ActionOutcome::replayed : store::ActionOutcome::succeeded;
        audit.connector_id = result->connector_id;
        audit.provider = result->provider;
    }
    record(std::move(audit));
    return result;
}

Result<ActionResult> ActionRunner::replay_without_connector(const auth::Principal& caller,
                                                            const ActionRequest& request,
                                                            Error no_connector) {
    auto found = parts_.idempotency->find_completed(caller.tenant_id, *request.idempotency_key);
    if (!found) return found.error();
    // Only the same request, made then on the connector it ran on, is answered.
    if (!*found || (*found)->request_hash !=
                       request_fingerprint(request.category, request.action,
                                           (*found)->result.connector_id, request.params_json)) {
        return no_connector;
    }
    return stored_result((*found)->result);
}

Result<ActionResult> ActionRunner::execute(const auth::Principal& caller,
                                           const ActionRequest& request,
                                           store::ActionAuditEntry& audit) {
    const std::optional<std::string>& key = request.idempotency_key;
    auto connector = resolve(caller, request);
    if (!connector) {
        if (key && connector.error().kind == ErrorKind::not_found) {
            return replay_without_connector(caller, request, connector.error());
        }
        return connector.error();
    }
    if (key) {
        // The key is bound to the connector the action runs on, too: the same key and params
        // on another connector is another request.
        auto claim = parts_.idempotency->claim(
            caller.tenant_id, *key,
            request_fingerprint(request.category, request.action, connector->id,
                                request.params_json));
        if (!claim) return claim.error();
        if (claim->completed) return stored_result(*claim->completed);
    }
    audit.connector_id = connector->id;
    audit.provider = connector->provider;
    auto result = parts_.connectors->invoke_connector(*connector, request.action,
                                                      request.params_json);
    if (!result) {
        if (key) {
            if (auto released = parts_.idempotency->abandon(caller.tenant_id, *key); !released) {
                spdlog::warn("cannot release an Idempotency-Key claim: {}",
                             released.error().code);
            }
        }
        return result.error();
    }
    if (key) {
        auto stored = parts_.idempotency->complete(
            caller.tenant_id, *key,
            store::StoredActionResult{result->dump(), connector->id, connector->provider});
        if (!stored) {
            spdlog::error("action {}.{} on connector {} succeeded but its Idempotency-Key result "
                          "could not be stored: {}",
                          request.category, request.action, connector->id, stored.error().code);
        }
    }
    return ActionResult{std::move(*result), connector->id, connector->provider, false};
}

} // namespace switchboard::connectors
