#include "core/plugin/plugin_connector.hpp"

#include "core/plugin/call_scope.hpp"
#include "core/plugin/status.hpp"
#include "core/plugin/text_checks.hpp"

#include <nlohmann/json.hpp>

namespace switchboard {

namespace {

constexpr std::size_t kMaxJsonDepth = 128;

// A host-owned sb_sink buffer with a size cap.
struct SinkBuffer {
    std::string data;
    std::size_t limit = 0;
    bool overflowed = false;
};

sb_status sink_write(const sb_sink* sink, const char* data, size_t size) noexcept {
    if (sink == nullptr || sink->context == nullptr) {
        return SB_STATUS_INVALID_INPUT;
    }
    auto* buffer = static_cast<SinkBuffer*>(sink->context);
    if (size == 0) {
        return SB_STATUS_OK;
    }
    if (data == nullptr) {
        return SB_STATUS_INVALID_INPUT;
    }
    if (size > buffer->limit - buffer->data.size()) {
        buffer->overflowed = true;
        return SB_STATUS_INVALID_INPUT;
    }
    try {
        buffer->data.append(data, size);
    } catch (...) {
        buffer->overflowed = true;
        return SB_STATUS_INVALID_INPUT;
    }
    return SB_STATUS_OK;
}

std::string error_json(std::string_view code, std::string_view message,
                       std::string_view field = {}) {
    nlohmann::json j = {{"code", code}, {"message", message}};
    if (!field.empty()) {
        j["field"] = field;
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

InvokeOutcome from_host(sb_status status, std::string_view code, std::string_view message,
                        std::string_view field = {}) {
    return InvokeOutcome{status, error_json(code, message, field), true, nullptr};
}

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

} // namespace

PluginConnector::PluginConnector(const ProviderEntry& entry, const ContractCatalog& catalog,
                                 std::string tenant_id, std::string connector_id,
                                 OutputLimits limits)
    : library_(entry.library), descriptor_(entry.descriptor), catalog_(&catalog),
      tenant_id_(std::move(tenant_id)), connector_id_(std::move(connector_id)), limits_(limits) {}

Result<std::unique_ptr<PluginConnector>> PluginConnector::create(const ProviderEntry& entry,
                                                                 const ContractCatalog& catalog,
                                                                 std::string tenant_id,
                                                                 std::string connector_id,
                                                                 OutputLimits limits) {
    if (!entry.library || !entry.descriptor) {
        return Error(ErrorKind::internal, "invalid_provider_entry",
                     "a provider entry needs a descriptor and its library");
    }
    std::unique_ptr<PluginConnector> connector(new PluginConnector(
        entry, catalog, std::move(tenant_id), std::move(connector_id), limits));
    const PluginLibrary& library = *connector->library_;
    const std::string& provider_id = connector->descriptor_->id;
    sb_connector_info info{sizeof(sb_connector_info), provider_id.c_str(),
                           connector->tenant_id_.c_str(), connector->connector_id_.c_str()};
    sb_connector* handle = nullptr;
    sb_status status = SB_STATUS_INTERNAL;
    std::string failure;
    {
        ProviderLogScope scope(library.host(), provider_id, connector->connector_id_);
        try {
            status = library.table().create_connector(library.plugin(), &info, &handle);
        } catch (const std::exception& e) {
            failure = std::string("create_connector threw an exception: ") + e.what();
        } catch (...) {
            failure = "create_connector threw an exception";
        }
    }
    std::string who = "plugin " + library.file().filename().string() + ", provider '" +
                      provider_id + "'";
    if (!failure.empty()) {
        return Error(ErrorKind::internal, "connector_create_failed", who + ": " + failure);
    }
    if (status != SB_STATUS_OK) {
        return Error(is_known_status(status) ? status_error_kind(status) : ErrorKind::internal,
                     "connector_create_failed",
                     who + ": create_connector failed with status " + std::to_string(status) +
                         " (" + std::string(status_name(status)) + ")");
    }
    if (handle == nullptr) {
        return Error(ErrorKind::internal, "connector_create_failed",
                     who + ": create_connector returned OK without a connector");
    }
    connector->handle_ = handle;
    return connector;
}

PluginConnector::~PluginConnector() {
    if (handle_ == nullptr) {
        return;
    }
    ProviderLogScope scope(library_->host(), descriptor_->id, connector_id_);
    try {
        library_->table().destroy_connector(library_->plugin(), handle_);
    } catch (...) {
        library_->host().logger().error("plugin {}: destroy_connector threw an exception",
                                        library_->file().string());
    }
    // library_ is released after this body; if it was the last holder, deinit runs then.
}

InvokeOutcome PluginConnector::invoke_raw(std::string_view action, std::string_view params_bytes,
                                          CallContext& context, std::size_t* http_requests) {
    SinkBuffer result{{}, limits_.max_result_bytes, false};
    SinkBuffer error{{}, limits_.max_error_bytes, false};
    const sb_sink result_sink{sizeof(sb_sink), &result, &sink_write};
    const sb_sink error_sink{sizeof(sb_sink), &error, &sink_write};
    const std::string action_text(action);
    const char* params = params_bytes.empty() ? "" : params_bytes.data();

    sb_status status = SB_STATUS_INTERNAL;
    std::string thrown;
    {
        CallScope scope(library_->host(), context, descriptor_->id, connector_id_);
        try {
            status = library_->table().invoke(library_->plugin(), handle_, scope.call(),
                                              action_text.c_str(), params, params_bytes.size(),
                                              &result_sink, &error_sink);
        } catch (const std::exception& e) {
            thrown = std::string("threw an exception: ") + e.what();
        } catch (...) {
            thrown = "threw an exception";
        }
        scope.close();
        if (http_requests != nullptr) {
            *http_requests = scope.http_requests() + scope.refused_http_requests();
        }
    }

    auto violation = [&](std::string_view code, const std::string& what) {
        std::string message = "plugin " + library_->file().filename().string() +
                              " broke the ABI in action '" + action_text + "' of provider '" +
                              descriptor_->id + "': " + what;
        library_->host().logger().warn("{}", message);
        return from_host(SB_STATUS_INTERNAL, code, message);
    };

    if (!thrown.empty()) {
        return violation("plugin_contract_violation", thrown);
    }
    if (result.overflowed || error.overflowed) {
        return violation("plugin_output_too_large",
                         result.overflowed
                             ? "wrote more than " + std::to_string(result.limit) +
                                   " bytes of result"
                             : "wrote more than " + std::to_string(error.limit) +
                                   " bytes of error");
    }
    if (!is_known_status(status)) {
        return violation("plugin_contract_violation",
                         "returned unknown status " + std::to_string(status));
    }
    if (status == SB_STATUS_OK) {
        if (!error.data.empty()) {
            return violation("plugin_contract_violation", "wrote an error but returned OK");
        }
        if (result.data.empty()) {
            return violation("plugin_contract_violation", "returned OK without a result");
        }
        auto parsed = parse_json(result.data);
        if (!parsed) {
            return violation("plugin_contract_violation", "wrote a result that is not JSON");
        }
        InvokeOutcome outcome{SB_STATUS_OK, std::move(result.data), false, nullptr};
        outcome.parsed = std::make_shared<nlohmann::json>(std::move(*parsed));
        return outcome;
    }
    std::string status_text =
        std::to_string(status) + " (" + std::string(status_name(status)) + ")";
    if (!result.data.empty()) {
        return violation("plugin_contract_violation",
                         "wrote a result but returned status " + status_text);
    }
    if (error.data.empty()) {
        return violation("plugin_contract_violation",
                         "returned status " + status_text + " without an error object");
    }
    auto parsed = parse_json(error.data);
    if (!parsed) {
        return violation("plugin_contract_violation",
                         "returned status " + status_text + " with an error that is not JSON");
    }
    if (auto valid = catalog_->validate_error(*parsed); !valid) {
        return violation("plugin_contract_violation",
                         "returned status " + status_text +
                             " with an error object that breaks common.schema.json#Error: " +
                             valid.error().message);
    }
    return InvokeOutcome{status, std::move(error.data), false, nullptr};
}

InvokeOutcome PluginConnector::invoke(std::string_view action, std::string_view params_json,
                                      CallContext& context) {
    if (!descriptor_->has_action(action)) {
        return from_host(SB_STATUS_UNSUPPORTED, "unsupported_action",
                         "provider '" + descriptor_->id + "' does not implement action '" +
                             std::string(action) + "'");
    }
    auto params = parse_json(params_json);
    if (!params) {
        return from_host(SB_STATUS_INVALID_INPUT, "invalid_json",
                         "params are not valid JSON (or nest deeper than " +
                             std::to_string(kMaxJsonDepth) + " levels)");
    }
    if (auto valid = catalog_->validate_params(descriptor_->category, action, *params); !valid) {
        return from_host(SB_STATUS_INVALID_INPUT, "invalid_params", valid.error().message,
                         valid.error().field);
    }
    InvokeOutcome outcome = invoke_raw(action, params_json, context);
    if (!outcome.ok()) {
        return outcome;
    }
    // invoke_raw parsed the result to check it; the same value is validated and passed on.
    auto valid = outcome.parsed
                     ? catalog_->validate_result(descriptor_->category, action, *outcome.parsed)
                     : Result<void>(Error(ErrorKind::internal, "invalid_result", "not JSON"));
    if (!valid) {
        std::string message = "plugin " + library_->file().filename().string() +
                              " returned a result for '" + std::string(action) +
                              "' that breaks the '" + descriptor_->category +
                              "' contract: " + valid.error().message;
        library_->host().logger().warn("{}", message);
        return from_host(SB_STATUS_INTERNAL, "plugin_bad_result", message);
    }
    return outcome;
}

} // namespace switchboard
