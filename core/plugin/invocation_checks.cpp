#include "core/plugin/invocation_checks.hpp"

#include "core/plugin/status.hpp"
#include "core/plugin/text_checks.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

namespace switchboard::plugin {

namespace {

constexpr std::size_t kMaxJsonDepth = 128;

std::optional<nlohmann::json> parse_json(std::string_view text) {
    if (!json_depth_within(text, kMaxJsonDepth)) {
        return std::nullopt;
    }
    auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
        return std::nullopt;
    }
    return value;
}

std::string error_json(std::string_view code, std::string_view message, std::string_view field,
                       const nlohmann::json* details = nullptr) {
    nlohmann::json j = {{"code", code}, {"message", message}};
    if (!field.empty()) {
        j["field"] = field;
    }
    if (details != nullptr) {
        j["details"] = *details;
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::string_view to_string(PluginFault fault) noexcept {
    switch (fault) {
    case PluginFault::none: return "none";
    case PluginFault::contract_violation: return "contract_violation";
    case PluginFault::timeout: return "timeout";
    case PluginFault::crashed: return "crashed";
    case PluginFault::unavailable: return "unavailable";
    }
    return "none";
}

InvokeOutcome host_outcome(sb_status status, std::string_view code, std::string_view message,
                           std::string_view field) {
    InvokeOutcome outcome;
    outcome.status = status;
    outcome.json = error_json(code, message, field);
    outcome.from_host = true;
    return outcome;
}

std::optional<InvokeOutcome> check_call_input(const ProviderDescriptor& provider,
                                              std::string_view action,
                                              std::string_view params_json,
                                              const ContractCatalog& catalog) {
    if (!provider.has_action(action)) {
        return host_outcome(SB_STATUS_UNSUPPORTED, "unsupported_action",
                            "provider '" + provider.id + "' does not implement action '" +
                                std::string(action) + "'");
    }
    auto params = parse_json(params_json);
    if (!params) {
        return host_outcome(SB_STATUS_INVALID_INPUT, "invalid_json",
                            "params are not valid JSON (or nest deeper than " +
                                std::to_string(kMaxJsonDepth) + " levels)");
    }
    if (auto valid = catalog.validate_params(provider.category, action, *params,
                                             provider.contract_revision);
        !valid) {
        return host_outcome(SB_STATUS_INVALID_INPUT, "invalid_params", valid.error().message,
                            valid.error().field);
    }
    return std::nullopt;
}

InvokeOutcome check_invocation(RawInvocation raw, const InvocationSource& source,
                               std::string_view action, const OutputLimits& limits,
                               const ContractCatalog& catalog, spdlog::logger& logger) {
    auto violation = [&](std::string_view code, const std::string& what) {
        std::string message = "plugin " + source.plugin + " broke the ABI in action '" +
                              std::string(action) + "' of provider '" + source.provider_id +
                              "': " + what;
        logger.warn("{}", message);
        InvokeOutcome outcome = host_outcome(SB_STATUS_INTERNAL, code, message);
        outcome.fault = PluginFault::contract_violation;
        return outcome;
    };

    if (!raw.thrown.empty()) {
        return violation("plugin_contract_violation", raw.thrown);
    }
    // The limits are checked here too: in isolated mode the sinks were the child's.
    if (raw.result_overflowed || raw.result.size() > limits.max_result_bytes) {
        return violation("plugin_output_too_large",
                         "wrote more than " + std::to_string(limits.max_result_bytes) +
                             " bytes of result");
    }
    if (raw.error_overflowed || raw.error.size() > limits.max_error_bytes) {
        return violation("plugin_output_too_large",
                         "wrote more than " + std::to_string(limits.max_error_bytes) +
                             " bytes of error");
    }
    // The lower ABI version wins: a plugin may use the statuses both sides know.
    const std::uint32_t minor = std::min<std::uint32_t>(source.abi.minor, SB_ABI_VERSION_MINOR);
    if (!is_known_status(raw.status, minor)) {
        return violation("plugin_contract_violation",
                         "returned unknown status " + std::to_string(raw.status) + " (ABI 1." +
                             std::to_string(minor) + " defines 0 to " +
                             (minor >= 1 ? "8" : "7") + ")");
    }
    if (raw.status == SB_STATUS_OK) {
        if (!raw.error.empty()) {
            return violation("plugin_contract_violation", "wrote an error but returned OK");
        }
        if (raw.result.empty()) {
            return violation("plugin_contract_violation", "returned OK without a result");
        }
        auto parsed = parse_json(raw.result);
        if (!parsed) {
            return violation("plugin_contract_violation", "wrote a result that is not JSON");
        }
        InvokeOutcome outcome;
        outcome.status = SB_STATUS_OK;
        outcome.json = std::move(raw.result);
        // Kept so that check_call_result and the caller do not parse the result again.
        outcome.parsed = std::make_shared<nlohmann::json>(std::move(*parsed));
        return outcome;
    }
    const std::string status_text =
        std::to_string(raw.status) + " (" + std::string(status_name(raw.status)) + ")";
    if (!raw.result.empty()) {
        return violation("plugin_contract_violation",
                         "wrote a result but returned status " + status_text);
    }
    if (raw.error.empty()) {
        return violation("plugin_contract_violation",
                         "returned status " + status_text + " without an error object");
    }
    auto parsed = parse_json(raw.error);
    if (!parsed) {
        return violation("plugin_contract_violation",
                         "returned status " + status_text + " with an error that is not JSON");
    }
    if (auto valid = catalog.validate_error(*parsed); !valid) {
        return violation("plugin_contract_violation",
                         "returned status " + status_text +
                             " with an error object that breaks common.schema.json#Error: " +
                             valid.error().message);
    }
    InvokeOutcome outcome;
    outcome.status = raw.status;
    outcome.json = std::move(raw.error);
    return outcome;
}

InvokeOutcome check_call_result(InvokeOutcome outcome, const ProviderDescriptor& provider,
                                std::string_view action, const InvocationSource& source,
                                const ContractCatalog& catalog, spdlog::logger& logger) {
    if (!outcome.ok()) {
        return outcome;
    }
    // check_invocation parsed the result to check it; the same value is validated and passed
    // on. An outcome from elsewhere (a connector that did not parse it) is parsed here.
    if (!outcome.parsed) {
        if (auto result = parse_json(outcome.json)) {
            outcome.parsed = std::make_shared<nlohmann::json>(std::move(*result));
        }
    }
    auto valid = outcome.parsed
                     ? catalog.validate_result(provider.category, action, *outcome.parsed,
                                               provider.contract_revision)
                     : Result<void>(Error(ErrorKind::internal, "invalid_result", "not JSON"));
    if (valid) {
        return outcome;
    }
    std::string message = "plugin " + source.plugin + " returned a result for '" +
                          std::string(action) + "' that breaks the '" + provider.category +
                          "/" + std::to_string(provider.contract_revision) +
                          "' contract: " + valid.error().message;
    logger.warn("{}", message);
    InvokeOutcome bad = host_outcome(SB_STATUS_INTERNAL, "plugin_bad_result", message);
    bad.fault = PluginFault::contract_violation;
    return bad;
}

InvokeOutcome timeout_outcome(std::string_view provider_id, std::string_view action,
                              std::chrono::milliseconds budget, std::string_view what) {
    InvokeOutcome outcome =
        host_outcome(SB_STATUS_UNAVAILABLE, "plugin_timeout",
                     "the plugin of provider '" + std::string(provider_id) +
                         "' did not answer action '" + std::string(action) + "' within " +
                         std::to_string(budget.count()) + " ms; " + std::string(what));
    outcome.error_kind = ErrorKind::timeout;
    outcome.fault = PluginFault::timeout;
    return outcome;
}

InvokeOutcome unavailable_outcome(std::string_view code, std::string_view message,
                                  std::optional<int> retry_after_seconds) {
    InvokeOutcome outcome;
    outcome.status = SB_STATUS_UNAVAILABLE;
    outcome.from_host = true;
    outcome.fault = PluginFault::unavailable;
    if (retry_after_seconds) {
        const nlohmann::json details = {{"retry_after_seconds", std::max(1, *retry_after_seconds)}};
        outcome.json = error_json(code, message, {}, &details);
    } else {
        outcome.json = error_json(code, message, {});
    }
    return outcome;
}

} // namespace switchboard::plugin
