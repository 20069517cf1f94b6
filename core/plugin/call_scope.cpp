#include "core/plugin/call_scope.hpp"

#include <switchboard/ext/deadline.h>

#include <cctype>

namespace switchboard::plugin {

namespace {

constexpr std::uint64_t kCallMagic = 0x5357424443414c4cULL; // "SWBDCALL"

thread_local const ProviderLogScope* t_current_scope = nullptr;

} // namespace

ProviderLogScope::ProviderLogScope(const HostTable& host_table, std::string_view provider,
                                   std::string_view connector) noexcept
    : host(&host_table), provider_id(provider), connector_id(connector),
      previous_(t_current_scope) {
    t_current_scope = this;
}

ProviderLogScope::~ProviderLogScope() {
    t_current_scope = previous_;
}

const ProviderLogScope* ProviderLogScope::current() noexcept {
    return t_current_scope;
}

CallScope::CallScope(const HostTable& host, CallContext& context, std::string_view provider_id,
                     std::string_view connector_id, std::shared_ptr<const CallDeadline> deadline)
    : call_{kCallMagic, this}, host_(&host), context_(&context), deadline_(std::move(deadline)),
      thread_(std::this_thread::get_id()), log_scope_(host, provider_id, connector_id) {}

CallScope::~CallScope() {
    call_.magic = 0;
    call_.scope = nullptr;
}

sb_status CallScope::refuse(sb_status status, std::string_view why) noexcept {
    ++refused_http_requests_;
    host_->log(SB_LOG_WARNING, std::string("host refused the plugin's HTTP request: ") +
                                   std::string(why));
    return status;
}

sb_status CallScope::http(const sb_host* host, sb_call* call, const sb_http_request* request,
                          const sb_http_response** response) noexcept {
    if (response == nullptr) {
        return SB_STATUS_INVALID_INPUT;
    }
    *response = nullptr;
    const HostTable* table = HostTable::from(host);
    if (table == nullptr) {
        return SB_STATUS_INTERNAL;
    }
    if (call == nullptr || call->magic != kCallMagic || call->scope == nullptr) {
        table->log(SB_LOG_WARNING, "sb_host.http called without a valid sb_call");
        return SB_STATUS_INVALID_INPUT;
    }
    CallScope& scope = *call->scope;
    if (scope.host_ != table) {
        return scope.refuse(SB_STATUS_INVALID_INPUT, "the sb_call belongs to another plugin");
    }
    if (!scope.open_) {
        return scope.refuse(SB_STATUS_INVALID_INPUT, "the invoke this sb_call belongs to has "
                                                     "returned");
    }
    if (std::this_thread::get_id() != scope.thread_) {
        return scope.refuse(SB_STATUS_INVALID_INPUT,
                            "sb_host.http called from a thread other than the invoking one");
    }
    if (scope.deadline_ && scope.deadline_->cancelled()) {
        // The host has answered its caller already; nothing the plugin fetches now is used.
        ++scope.refused_http_requests_;
        return SB_STATUS_UNAVAILABLE;
    }
    return scope.perform(request, response);
}

const CallScope* CallScope::current(const sb_host* host, const sb_call* call) noexcept {
    const HostTable* table = HostTable::from(host);
    if (table == nullptr || call == nullptr || call->magic != kCallMagic ||
        call->scope == nullptr) {
        return nullptr;
    }
    const CallScope& scope = *call->scope;
    if (scope.host_ != table || !scope.open_ || std::this_thread::get_id() != scope.thread_) {
        return nullptr;
    }
    return &scope;
}

int64_t CallScope::remaining_ms(const sb_host* host, const sb_call* call) noexcept {
    const CallScope* scope = current(host, call);
    if (scope == nullptr) {
        return 0;
    }
    if (!scope->deadline_) {
        return SB_DEADLINE_NONE;
    }
    if (scope->deadline_->cancelled()) {
        return 0;
    }
    const auto left = scope->deadline_->remaining();
    return left ? static_cast<int64_t>(left->count()) : SB_DEADLINE_NONE;
}

int32_t CallScope::is_cancelled(const sb_host* host, const sb_call* call) noexcept {
    const CallScope* scope = current(host, call);
    if (scope == nullptr) {
        return 1;
    }
    return scope->deadline_ && scope->deadline_->cancelled() ? 1 : 0;
}

sb_status CallScope::perform(const sb_http_request* request,
                             const sb_http_response** response) noexcept {
    try {
        auto checked = read_http_request(request);
        if (!checked) {
            return refuse(SB_STATUS_INVALID_INPUT, checked.error().message);
        }
        ++http_requests_;
        auto answer = context_->http(*checked);
        if (!answer) {
            return http_error_status(answer.error());
        }
        StoredResponse& stored = responses_.emplace_back();
        stored.data = std::move(*answer);
        for (auto& header : stored.data.headers) {
            for (char& c : header.name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
        stored.pairs.reserve(stored.data.headers.size());
        for (const auto& header : stored.data.headers) {
            stored.pairs.push_back(sb_pair{sizeof(sb_pair), header.name.c_str(),
                                           header.value.c_str()});
        }
        for (const auto& pair : stored.pairs) {
            stored.pair_pointers.push_back(&pair);
        }
        stored.view.struct_size = sizeof(sb_http_response);
        stored.view.status = stored.data.status;
        stored.view.headers = stored.pair_pointers.empty() ? nullptr : stored.pair_pointers.data();
        stored.view.header_count = stored.pair_pointers.size();
        stored.view.body = stored.data.body.empty() ? nullptr : stored.data.body.data();
        stored.view.body_size = stored.data.body.size();
        *response = &stored.view;
        return SB_STATUS_OK;
    } catch (const std::exception& e) {
        host_->log(SB_LOG_ERROR, std::string("host failure while performing a plugin's HTTP "
                                             "request: ") +
                                     e.what());
        return SB_STATUS_INTERNAL;
    } catch (...) {
        return SB_STATUS_INTERNAL;
    }
}

} // namespace switchboard::plugin
