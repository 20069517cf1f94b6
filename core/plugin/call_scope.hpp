// One action invocation as the host sees it: the sb_call a plugin passes back to
// sb_host.http, the CallContext behind it, and the responses the host keeps alive until the
// invoke returns. Also the thread-local scope that names the provider on plugin log lines.
#pragma once

#include "core/plugin/call_context.hpp"
#include "core/plugin/call_deadline.hpp"
#include "core/plugin/host_services.hpp"

#include <switchboard/plugin.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace switchboard::plugin {
class CallScope;
} // namespace switchboard::plugin

// The ABI's opaque call handle, defined by the host. The magic guards against a plugin
// handing back a stray pointer.
struct sb_call {
    std::uint64_t magic;
    switchboard::plugin::CallScope* scope;
};

namespace switchboard::plugin {

// While alive, log lines from plugin code on this thread name `provider_id` (and the
// connector). Nests; must be destroyed on the thread that created it.
class ProviderLogScope {
public:
    ProviderLogScope(const HostTable& host, std::string_view provider_id,
                     std::string_view connector_id) noexcept;
    ~ProviderLogScope();
    ProviderLogScope(const ProviderLogScope&) = delete;
    ProviderLogScope& operator=(const ProviderLogScope&) = delete;

    // The innermost scope of this thread, or nullptr.
    static const ProviderLogScope* current() noexcept;

    const HostTable* host;
    std::string_view provider_id;
    std::string_view connector_id;

private:
    const ProviderLogScope* previous_;
};

class CallScope {
public:
    // `deadline` (may be null: none) is what switchboard.deadline/1 reports; once it is
    // cancelled, sb_host.http on this call is refused with SB_STATUS_UNAVAILABLE.
    CallScope(const HostTable& host, CallContext& context, std::string_view provider_id,
              std::string_view connector_id,
              std::shared_ptr<const CallDeadline> deadline = nullptr);
    ~CallScope();
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

    sb_call* call() noexcept { return &call_; }
    const HostTable& host() const noexcept { return *host_; }

    // Ends the call: sb_host.http on it is refused from now on. The stored responses stay
    // valid until the scope is destroyed.
    void close() noexcept { open_ = false; }

    // Requests that reached the CallContext, and requests the host refused before that.
    std::size_t http_requests() const noexcept { return http_requests_; }
    std::size_t refused_http_requests() const noexcept { return refused_http_requests_; }

    // What sb_host.http does for a call of this host. [call-thread]
    static sb_status http(const sb_host* host, sb_call* call, const sb_http_request* request,
                          const sb_http_response** response) noexcept;

    // What switchboard.deadline/1 does: the time left (SB_DEADLINE_NONE without a deadline)
    // and whether the host has given up, for a live call of this host on its own thread;
    // 0 and 1 for anything else. [call-thread]
    static int64_t remaining_ms(const sb_host* host, const sb_call* call) noexcept;
    static int32_t is_cancelled(const sb_host* host, const sb_call* call) noexcept;

private:
    // A response in the shape the plugin reads, backed by owned strings. Never moved once
    // built (kept in a deque), so the pointers into it stay valid.
    struct StoredResponse {
        ProviderHttpResponse data;
        std::vector<sb_pair> pairs;
        std::vector<const sb_pair*> pair_pointers;
        sb_http_response view{};
    };

    sb_status perform(const sb_http_request* request, const sb_http_response** response) noexcept;
    sb_status refuse(sb_status status, std::string_view why) noexcept;
    // The live scope behind `call` when it belongs to `host` and runs on this thread.
    static const CallScope* current(const sb_host* host, const sb_call* call) noexcept;

    sb_call call_;
    const HostTable* host_;
    CallContext* context_;
    std::shared_ptr<const CallDeadline> deadline_;
    std::thread::id thread_;
    bool open_ = true;
    std::deque<StoredResponse> responses_;
    ProviderLogScope log_scope_;
    std::size_t http_requests_ = 0;
    std::size_t refused_http_requests_ = 0;
};

} // namespace switchboard::plugin
