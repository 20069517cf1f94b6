#include "core/plugin/plugin_connector.hpp"

#include "core/plugin/call_scope.hpp"
#include "core/plugin/call_thread.hpp"
#include "core/plugin/fatal_signal_report.hpp"
#include "core/plugin/raw_invoke.hpp"
#include "core/plugin/status.hpp"

namespace switchboard::plugin {

// The plugin's connector and what it needs, shared by the PluginConnector and the threads of
// its calls: a call abandoned at its deadline keeps it (and so the library) alive until the
// plugin returns, and only then is the plugin's connector destroyed.
struct PluginConnector::Live {
    std::shared_ptr<PluginLibrary> library; // first: released last
    std::shared_ptr<const ProviderDescriptor> descriptor;
    std::string tenant_id;
    std::string connector_id;
    InvocationSource source;
    sb_connector* handle = nullptr;

    Live() = default;
    Live(const Live&) = delete;
    Live& operator=(const Live&) = delete;

    ~Live() {
        if (handle == nullptr) {
            return;
        }
        ProviderLogScope scope(library->host(), descriptor->id, connector_id);
        try {
            library->table().destroy_connector(library->plugin(), handle);
        } catch (...) {
            library->host().logger().error("plugin {}: destroy_connector threw an exception",
                                            library->file().string());
        }
        // library is released after this body; if it was the last holder, deinit runs then.
    }
};

PluginConnector::PluginConnector(std::shared_ptr<Live> live, const ContractCatalog& catalog,
                                 OutputLimits limits, std::chrono::milliseconds call_timeout)
    : live_(std::move(live)), catalog_(&catalog), limits_(limits), call_timeout_(call_timeout) {}

PluginConnector::~PluginConnector() = default;

const ProviderDescriptor& PluginConnector::provider() const noexcept { return *live_->descriptor; }
const std::string& PluginConnector::tenant_id() const noexcept { return live_->tenant_id; }
const std::string& PluginConnector::connector_id() const noexcept { return live_->connector_id; }

Result<std::unique_ptr<PluginConnector>> PluginConnector::create(const ProviderEntry& entry,
                                                                 const ContractCatalog& catalog,
                                                                 std::string tenant_id,
                                                                 std::string connector_id,
                                                                 OutputLimits limits) {
    if (!entry.library || !entry.descriptor) {
        return Error(ErrorKind::internal, "invalid_provider_entry",
                     "a provider entry needs a descriptor and its library");
    }
    auto live = std::make_shared<Live>();
    live->library = entry.library;
    live->descriptor = entry.descriptor;
    live->tenant_id = std::move(tenant_id);
    live->connector_id = std::move(connector_id);
    live->source = {entry.library->file().filename().string(), entry.descriptor->id,
                    entry.library->abi()};
    const PluginLibrary& library = *live->library;
    const std::string& provider_id = live->descriptor->id;
    sb_connector_info info{sizeof(sb_connector_info), provider_id.c_str(),
                           live->tenant_id.c_str(), live->connector_id.c_str()};
    sb_connector* handle = nullptr;
    sb_status status = SB_STATUS_INTERNAL;
    std::string failure;
    {
        ProviderLogScope scope(library.host(), provider_id, live->connector_id);
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
    live->handle = handle;
    return std::unique_ptr<PluginConnector>(new PluginConnector(
        std::move(live), catalog, limits,
        std::chrono::milliseconds(entry.config.call_timeout_ms)));
}

InvokeOutcome PluginConnector::invoke_raw(std::string_view action, std::string_view params_bytes,
                                          CallContext& context, std::size_t* http_requests) {
    install_fatal_signal_report();
    PluginLibrary& library = *live_->library;
    const std::string& provider_id = live_->descriptor->id;
    auto deadline =
        std::make_shared<CallDeadline>(CallDeadline::after(call_timeout_, context.deadline()));
    const auto budget = deadline->remaining().value_or(call_timeout_);

    if (const std::size_t stuck = library.stuck_calls().load();
        stuck >= kMaxStuckCallsPerLibrary) {
        library.host().logger().warn("plugin {}: refusing action '{}' of provider '{}': {} of "
                                     "its calls are stuck past their deadline",
                                     library.file().string(), action, provider_id, stuck);
        return unavailable_outcome(
            "plugin_unresponsive",
            "the plugin of provider '" + provider_id + "' has " + std::to_string(stuck) +
                " calls stuck past their deadline and takes no more until they return",
            static_cast<int>((call_timeout_.count() + 999) / 1000));
    }

    auto body = [live = live_, action = std::string(action), params = std::string(params_bytes),
                 limits = limits_, deadline](CallContext& relay) {
        FatalSignalContext report(live->library->file().filename().string(), live->descriptor->id,
                                  action, live->connector_id);
        CallScope scope(live->library->host(), relay, live->descriptor->id, live->connector_id,
                        deadline);
        return run_plugin_invoke(*live->library, live->handle, scope, action, params, limits);
    };
    CallThreadHooks hooks;
    hooks.on_abandon = [&library] { ++library.stuck_calls(); };
    hooks.on_late_return = [weak = std::weak_ptr<PluginLibrary>(live_->library), provider_id,
                            action = std::string(action)] {
        // When the abandoned call held the last reference, the library (and its count) is
        // gone already.
        if (const auto alive = weak.lock()) {
            const std::size_t left = --alive->stuck_calls();
            alive->host().logger().info("plugin {}: an abandoned call of action '{}' of "
                                        "provider '{}' returned at last ({} still stuck)",
                                        alive->file().string(), action, provider_id, left);
        }
    };
    CallThreadOutcome ran =
        run_on_call_thread(std::move(body), context, deadline, std::move(hooks));

    switch (ran.state) {
    case CallThreadOutcome::State::not_started:
        library.host().logger().error("plugin {}: no thread could be started for action '{}'",
                                      library.file().string(), action);
        return host_outcome(SB_STATUS_UNAVAILABLE, "plugin_thread_unavailable",
                            "the host could not start a thread for the plugin call");
    case CallThreadOutcome::State::finished_late:
        library.host().logger().warn(
            "plugin {}: action '{}' of provider '{}' (connector {}) returned after its deadline "
            "of {} ms; its answer is not used",
            library.file().string(), action, provider_id, live_->connector_id, budget.count());
        return timeout_outcome(provider_id, action, budget,
                               "it returned after the deadline and its answer was dropped");
    case CallThreadOutcome::State::abandoned:
        library.host().logger().warn(
            "plugin {}: action '{}' of provider '{}' (connector {}) did not return within {} "
            "ms; its thread is abandoned ({} stuck in this library)",
            library.file().string(), action, provider_id, live_->connector_id, budget.count(),
            library.stuck_calls().load());
        return timeout_outcome(provider_id, action, budget,
                               "the host stopped waiting (a plugin loaded into the host cannot "
                               "be stopped; isolated mode would have killed it)");
    case CallThreadOutcome::State::finished: break;
    }
    if (http_requests != nullptr) {
        *http_requests = ran.raw.http_requests;
    }
    return check_invocation(std::move(ran.raw), live_->source, action, limits_, *catalog_,
                            library.host().logger());
}

InvokeOutcome PluginConnector::invoke(std::string_view action, std::string_view params_json,
                                      CallContext& context) {
    const ProviderDescriptor& provider = *live_->descriptor;
    if (auto refused = check_call_input(provider, action, params_json, *catalog_)) {
        return std::move(*refused);
    }
    return check_call_result(invoke_raw(action, params_json, context), provider, action,
                             live_->source, *catalog_, live_->library->host().logger());
}

} // namespace switchboard::plugin
