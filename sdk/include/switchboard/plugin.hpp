// switchboard/plugin.hpp — the header-only C++ helper for writing a Switchboard plugin.
//
// A plugin author writes a connector class, a plugin class and one macro:
//
//   class MyConnector : public switchboard::sdk::Connector {
//   public:
//       sdk::Outcome invoke(sdk::Call& call, std::string_view action,
//                           std::string_view params_json) override {
//           if (action == SB_ACTION_CALENDAR_LIST_EVENTS) return list_events(call, params_json);
//           return sdk::Outcome::unsupported_action(action);
//       }
//   };
//
//   class MyPlugin : public switchboard::sdk::Plugin {
//   public:
//       static constexpr const char* plugin_name = "my_calendar";   // the library's name
//       static constexpr const char* plugin_version = "1.0.0";
//       std::vector<sdk::ProviderSpec> providers() const override { return {my_descriptor()}; }
//       std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
//           return std::make_unique<MyConnector>();
//       }
//   };
//
//   SWITCHBOARD_PLUGIN(MyPlugin)
//
// The macro defines the entry function and a static sb_plugin table whose functions
// ("trampolines") are noexcept: an exception from plugin code becomes SB_STATUS_INTERNAL
// with the error object {"code":"internal","message":...}, whose message names only the
// exception's type (exception texts may carry request data, so they are not passed on).
// The trampolines check what the host passes (NULL pointers, struct_size), keep the
// descriptors alive from init until deinit, refuse actions the provider does not list with
// SB_STATUS_UNSUPPORTED / "unsupported_action", and write the result or the error into the
// host's sinks exactly as the ABI says: one of them, non-empty, in a single write. A status
// the host's ABI minor does not know is mapped to the nearest one it does (Outcome::for_host:
// the lower version wins). Plugin::provider_policies() gives the provider-policy extension
// (switchboard/ext/provider_policy.hpp), Plugin::extension() any other; the host's
// extensions are Host::extension<T>(id), and Call::remaining()/cancelled() read the call's
// deadline (switchboard/ext/deadline.h).
#pragma once

#include "switchboard/categories.hpp"
#include "switchboard/descriptor.hpp"
#include "switchboard/ext/provider_policy.hpp"
#include "switchboard/host.hpp"
#include "switchboard/http_error.hpp"
#include "switchboard/outcome.hpp"
#include "switchboard/plugin.h"
#include "switchboard/url.hpp"

#include <algorithm>
#include <concepts>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#if __has_include(<cxxabi.h>)
#include <cxxabi.h>
#define SWITCHBOARD_SDK_HAS_CXXABI 1
#endif

namespace switchboard::sdk {

// One connector: a provider, a tenant and a connector id, bound at creation. Its invoke is
// [thread-safe]: the host may run several calls on one connector at once, so keep shared
// mutable state behind a mutex (or better, keep none).
class Connector {
public:
    virtual ~Connector() = default;

    // Runs `action` (one the provider's descriptor lists; the helper refuses the others)
    // with `params_json`, a JSON object already valid against the action's params schema.
    // Returns Outcome::success(result JSON) or an error Outcome. May throw: the helper turns
    // an exception into SB_STATUS_INTERNAL.
    virtual Outcome invoke(Call& call, std::string_view action, std::string_view params_json) = 0;
};

// The plugin: its providers and a connector factory. One instance lives from init to
// deinit. The class also defines two static members read before init:
//   static constexpr const char* plugin_name;     // the library's name, e.g. "google_calendar"
//   static constexpr const char* plugin_version;  // the plugin's version, e.g. "1.0.0"
// and is default-constructible or constructible from `const Host&` (the host's services,
// valid until deinit). Constructing it is the place for one-time set-up.
class Plugin {
public:
    virtual ~Plugin() = default;

    // [main-thread] The providers this library ships; called once, during init. The helper
    // keeps them alive, in C form, until deinit.
    virtual std::vector<ProviderSpec> providers() const = 0;

    // [thread-safe] A connector for `info.provider_id`, always one of providers()' ids.
    // Return nullptr or throw to refuse (the host sees SB_STATUS_INTERNAL).
    virtual std::unique_ptr<Connector> create_connector(const ConnectorInfo& info) = 0;

    // [main-thread] What the host must know of some providers beyond their descriptors (the
    // "switchboard.provider-policy/1" extension, switchboard/ext/provider_policy.hpp): their
    // rate-limit headers, their token endpoint's error codes, their credential variables'
    // prefix, their published rate limits. Called once, during init, after providers(); each
    // policy names one of them. The helper offers the result from sb_plugin.get_extension.
    // The default has none: the host's generic rules apply.
    virtual std::vector<ProviderPolicySpec> provider_policies() const { return {}; }

    // [thread-safe] The plugin's extension with revisioned id `id` (a switchboard/ext/ header
    // declares each one and its table), or nullptr: what sb_plugin.get_extension returns
    // between init and deinit. The table must be static (or live as long as the plugin) and
    // begin with its struct_size. The default offers none.
    virtual const void* extension(std::string_view id) const noexcept {
        (void)id;
        return nullptr;
    }
};

template <class P>
concept PluginType =
    std::derived_from<P, Plugin> &&
    requires {
        { P::plugin_name } -> std::convertible_to<const char*>;
        { P::plugin_version } -> std::convertible_to<const char*>;
    } &&
    (std::is_default_constructible_v<P> || std::is_constructible_v<P, const Host&>);

namespace detail {

// The type of the exception being handled, for messages (never its what(): that text may
// hold request data). Call only inside a catch block.
inline std::string current_exception_type() {
#if defined(__GXX_RTTI) || defined(__cpp_rtti)
    const std::type_info* type = nullptr;
    try {
        throw;
    } catch (const std::exception& e) {
        type = &typeid(e);
    } catch (...) {
        return "unknown (not derived from std::exception)";
    }
#if defined(SWITCHBOARD_SDK_HAS_CXXABI)
    int status = -1;
    char* demangled = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
    if (status == 0 && demangled != nullptr) {
        std::string name(demangled);
        std::free(demangled);
        return name;
    }
    std::free(demangled);
#endif
    return type->name();
#else
    return "unknown (built without RTTI)";
#endif
}

// Everything the plugin holds between init and deinit.
struct PluginState {
    Host host;
    std::unique_ptr<Plugin> plugin;
    std::vector<std::unique_ptr<ProviderDescriptor>> descriptors;
    std::vector<const sb_provider_desc*> desc_pointers;
    std::unique_ptr<ProviderPolicyTable> policies; // null when the plugin has none

    const ProviderDescriptor* find(std::string_view provider_id) const noexcept {
        for (const auto& d : descriptors) {
            if (d->spec().id == provider_id) return d.get();
        }
        return nullptr;
    }
};

// What the host knows as an sb_connector.
struct ConnectorSlot {
    ConnectorInfo info;
    const ProviderDescriptor* provider = nullptr;
    std::unique_ptr<Connector> connector;
};

// The first problem of a plugin's provider list that the helper can see alone (the host
// validates the rest), or "" when there is none.
inline std::string provider_list_problem(const std::vector<ProviderSpec>& providers) {
    if (providers.empty()) return "the plugin ships no provider";
    for (std::size_t i = 0; i < providers.size(); ++i) {
        const ProviderSpec& p = providers[i];
        if (p.id.empty()) return "a provider has an empty id";
        for (std::size_t j = 0; j < i; ++j) {
            if (providers[j].id == p.id) return "provider id '" + p.id + "' appears twice";
        }
        const auto known = category_actions(p.category);
        if (known.empty()) {
            return "provider '" + p.id + "' has unknown category '" + p.category + "'";
        }
        for (const auto& action : p.actions) {
            if (std::find(known.begin(), known.end(), action) == known.end()) {
                return "provider '" + p.id + "' lists action '" + action +
                       "' that category '" + p.category + "' does not define";
            }
        }
    }
    return {};
}

// The first problem of the plugin's policies that the helper can see alone, or "".
inline std::string policy_list_problem(const std::vector<ProviderSpec>& providers,
                                       const std::vector<ProviderPolicySpec>& policies) {
    for (std::size_t i = 0; i < policies.size(); ++i) {
        const std::string& id = policies[i].provider_id;
        const bool shipped = std::any_of(providers.begin(), providers.end(),
                                         [&](const ProviderSpec& p) { return p.id == id; });
        if (!shipped) return "a provider policy names '" + id + "', which the plugin does not ship";
        for (std::size_t j = 0; j < i; ++j) {
            if (policies[j].provider_id == id) return "provider '" + id + "' has two policies";
        }
    }
    return {};
}

using PluginFactory = std::unique_ptr<Plugin> (*)(const Host&);

inline sb_status init(PluginState*& state, const sb_host* c_host, PluginFactory make) noexcept {
    if (c_host == nullptr) return SB_STATUS_INVALID_INPUT;
    const Host host(c_host);
    if (!SB_HAS_FIELD(sb_host, c_host, abi) || c_host->abi.major != SB_ABI_VERSION_MAJOR) {
        host.error("plugin refuses the host: its ABI major version differs from the plugin's");
        return SB_STATUS_INVALID_INPUT;
    }
    if (state != nullptr) {
        host.error("plugin init called twice without deinit");
        return SB_STATUS_INTERNAL;
    }
    try {
        auto fresh = std::make_unique<PluginState>();
        fresh->host = host;
        fresh->plugin = make(fresh->host);
        std::vector<ProviderSpec> providers = fresh->plugin->providers();
        if (const std::string problem = provider_list_problem(providers); !problem.empty()) {
            host.error("plugin init failed: " + problem);
            return SB_STATUS_INTERNAL;
        }
        std::vector<ProviderPolicySpec> policies = fresh->plugin->provider_policies();
        if (const std::string problem = policy_list_problem(providers, policies);
            !problem.empty()) {
            host.error("plugin init failed: " + problem);
            return SB_STATUS_INTERNAL;
        }
        if (!policies.empty()) {
            fresh->policies = std::make_unique<ProviderPolicyTable>(std::move(policies));
        }
        for (auto& spec : providers) {
            fresh->descriptors.push_back(std::make_unique<ProviderDescriptor>(std::move(spec)));
            fresh->desc_pointers.push_back(fresh->descriptors.back()->c_desc());
        }
        state = fresh.release();
        return SB_STATUS_OK;
    } catch (...) {
        try {
            host.error("plugin init failed with an exception of type " + current_exception_type());
        } catch (...) {
        }
        return SB_STATUS_INTERNAL;
    }
}

inline void deinit(PluginState*& state) noexcept {
    // A throwing destructor terminates anyway; nothing to catch here.
    delete state;
    state = nullptr;
}

inline std::size_t get_providers(const PluginState* state,
                                 const sb_provider_desc* const** providers) noexcept {
    if (providers == nullptr) return 0;
    if (state == nullptr || state->desc_pointers.empty()) {
        *providers = nullptr;
        return 0;
    }
    *providers = state->desc_pointers.data();
    return state->desc_pointers.size();
}

inline sb_status create_connector(const PluginState* state, const sb_connector_info* info,
                                  sb_connector** connector) noexcept {
    if (connector == nullptr) return SB_STATUS_INVALID_INPUT;
    *connector = nullptr;
    if (state == nullptr) return SB_STATUS_INTERNAL; // called before init: the host's bug
    if (info == nullptr || !SB_HAS_FIELD(sb_connector_info, info, connector_id) ||
        info->provider_id == nullptr || info->tenant_id == nullptr ||
        info->connector_id == nullptr) {
        state->host.warning("create_connector: the connector info is incomplete");
        return SB_STATUS_INVALID_INPUT;
    }
    try {
        const ProviderDescriptor* provider = state->find(info->provider_id);
        if (provider == nullptr) {
            state->host.warning("create_connector: unknown provider id '" +
                                std::string(info->provider_id) + "'");
            return SB_STATUS_INVALID_INPUT;
        }
        auto slot = std::make_unique<ConnectorSlot>();
        slot->info = {info->provider_id, info->tenant_id, info->connector_id};
        slot->provider = provider;
        slot->connector = state->plugin->create_connector(slot->info);
        if (slot->connector == nullptr) {
            state->host.error("create_connector: the plugin created no connector for '" +
                              slot->info.provider_id + "'");
            return SB_STATUS_INTERNAL;
        }
        *connector = reinterpret_cast<sb_connector*>(slot.release());
        return SB_STATUS_OK;
    } catch (...) {
        try {
            state->host.error("create_connector failed with an exception of type " +
                              current_exception_type());
        } catch (...) {
        }
        return SB_STATUS_INTERNAL;
    }
}

inline void destroy_connector(sb_connector* connector) noexcept {
    delete reinterpret_cast<ConnectorSlot*>(connector);
}

inline bool usable(const sb_sink* sink) noexcept {
    return sink != nullptr && SB_HAS_FIELD(sb_sink, sink, write) && sink->write != nullptr;
}

// Written when even building an error object failed (out of memory).
inline constexpr std::string_view fallback_error =
    R"({"code":"internal","message":"the plugin failed and could not describe the failure"})";

// Writes `outcome` where the ABI says: the result sink on success, the error sink
// otherwise; each in one write, so a refusing sink keeps nothing. Returns the status the
// host must see.
inline sb_status deliver(const Outcome& outcome, const sb_sink* result, const sb_sink* error) noexcept {
    const auto write = [](const sb_sink* sink, std::string_view text) {
        return sink->write(sink, text.data(), text.size());
    };
    try {
        if (outcome.succeeded()) {
            if (outcome.json().empty()) {
                const Outcome empty = Outcome::internal("the plugin produced an empty result");
                write(error, empty.json());
                return empty.status();
            }
            if (write(result, outcome.json()) == SB_STATUS_OK) return SB_STATUS_OK;
            const Outcome refused = Outcome::error(
                SB_STATUS_INTERNAL, "result_too_large",
                "the action's result exceeds the host's size limit");
            write(error, refused.json());
            return refused.status();
        }
        if (write(error, outcome.json()) != SB_STATUS_OK) write(error, fallback_error);
        return outcome.status();
    } catch (...) {
        write(error, fallback_error);
        return SB_STATUS_INTERNAL;
    }
}

inline sb_status invoke(const PluginState* state, sb_connector* connector, sb_call* call,
                        const char* action, const char* params_json, std::size_t params_size,
                        const sb_sink* result, const sb_sink* error) noexcept {
    if (!usable(error)) {
        if (state != nullptr) state->host.error("invoke: the host passed no usable error sink");
        return SB_STATUS_INVALID_INPUT;
    }
    if (state == nullptr) {
        return deliver(Outcome::internal("the plugin is not initialised"), result, error);
    }
    if (!usable(result) || connector == nullptr || action == nullptr ||
        (params_json == nullptr && params_size != 0)) {
        return deliver(Outcome::error(SB_STATUS_INVALID_INPUT, "invalid_invocation",
                                      "the host passed an invalid invocation "
                                      "(NULL connector, action, params or result sink)"),
                       result, error);
    }
    std::optional<Outcome> outcome;
    try {
        const auto* slot = reinterpret_cast<const ConnectorSlot*>(connector);
        if (!slot->provider->has_action(action)) {
            outcome = Outcome::unsupported_action(action);
        } else {
            Call c(state->host, call, slot->info);
            const std::string_view params =
                params_size == 0 ? std::string_view() : std::string_view(params_json, params_size);
            outcome = slot->connector->invoke(c, action, params);
        }
    } catch (...) {
        try {
            const std::string type = current_exception_type();
            state->host.error("action '" + std::string(action) +
                              "' failed with an exception of type " + type);
            outcome = Outcome::internal("the plugin failed with an unexpected exception of type " +
                                        type);
        } catch (...) {
            const std::string_view text = fallback_error;
            error->write(error, text.data(), text.size());
            return SB_STATUS_INTERNAL;
        }
    }
    try {
        outcome = outcome->for_host(state->host.abi()); // the lower ABI version wins
    } catch (...) {
        // Out of memory copying the outcome: deliver it as it is.
    }
    return deliver(*outcome, result, error);
}

inline const void* get_extension(const PluginState* state, const char* id) noexcept {
    if (state == nullptr || state->plugin == nullptr || id == nullptr) return nullptr;
    if (state->policies != nullptr && std::string_view(id) == SB_EXT_PROVIDER_POLICY) {
        return state->policies->c_table();
    }
    return state->plugin->extension(id);
}

} // namespace detail

// Internal linkage on purpose: every plugin library gets its own table and state even when
// it is built without hidden visibility (vague-linkage statics of default visibility become
// STB_GNU_UNIQUE symbols, which the dynamic linker shares between libraries and which make a
// library impossible to unload).
namespace {

template <PluginType P>
std::unique_ptr<Plugin> make_plugin(const Host& host) {
    if constexpr (std::is_constructible_v<P, const Host&>) {
        return std::make_unique<P>(host);
    } else {
        return std::make_unique<P>();
    }
}

// The C table's functions for plugin class P; its state lives in a function-local static.
template <PluginType P>
struct Trampolines {
    static detail::PluginState*& state() noexcept {
        static detail::PluginState* instance = nullptr;
        return instance;
    }
    static sb_status init(const sb_plugin*, const sb_host* host) noexcept {
        return detail::init(state(), host, &make_plugin<P>);
    }
    static void deinit(const sb_plugin*) noexcept { detail::deinit(state()); }
    static std::size_t get_providers(const sb_plugin*,
                                     const sb_provider_desc* const** providers) noexcept {
        return detail::get_providers(state(), providers);
    }
    static sb_status create_connector(const sb_plugin*, const sb_connector_info* info,
                                      sb_connector** connector) noexcept {
        return detail::create_connector(state(), info, connector);
    }
    static void destroy_connector(const sb_plugin*, sb_connector* connector) noexcept {
        detail::destroy_connector(connector);
    }
    static sb_status invoke(const sb_plugin*, sb_connector* connector, sb_call* call,
                            const char* action, const char* params_json, std::size_t params_size,
                            const sb_sink* result, const sb_sink* error) noexcept {
        return detail::invoke(state(), connector, call, action, params_json, params_size, result,
                              error);
    }
    static const void* get_extension(const sb_plugin*, const char* id) noexcept {
        return detail::get_extension(state(), id);
    }
};

// The static sb_plugin table of plugin class P, whose functions are the helper's noexcept
// trampolines. SWITCHBOARD_PLUGIN returns it from the entry function; call it yourself only
// to write the entry function by hand (from one translation unit).
template <PluginType P>
const sb_plugin* plugin_table() noexcept {
    static const sb_plugin table = {
        static_cast<uint32_t>(sizeof(sb_plugin)),
        {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR},
        P::plugin_name,
        P::plugin_version,
        &Trampolines<P>::init,
        &Trampolines<P>::deinit,
        &Trampolines<P>::get_providers,
        &Trampolines<P>::create_connector,
        &Trampolines<P>::destroy_connector,
        &Trampolines<P>::invoke,
        &Trampolines<P>::get_extension,
    };
    return &table;
}

} // namespace

} // namespace switchboard::sdk

// Defines the library's entry function for plugin class `plugin_class` (see the top of this
// file). Use it exactly once per library, at namespace scope, outside any namespace.
#define SWITCHBOARD_PLUGIN(plugin_class)                                                     \
    static_assert(::switchboard::sdk::PluginType<plugin_class>,                            \
                  #plugin_class " must derive from switchboard::sdk::Plugin, define "       \
                  "plugin_name and plugin_version, and be constructible from nothing or "   \
                  "from const switchboard::sdk::Host&");                                    \
    SB_PLUGIN_ENTRY { return ::switchboard::sdk::plugin_table<plugin_class>(); }
