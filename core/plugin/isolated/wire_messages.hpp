// The messages between the host and a plugin-host child, one per frame (frame_channel.hpp),
// each a MessagePack map with a string "t" naming its type. MessagePack (through
// nlohmann::json's codec) because bodies and results are bytes that JSON text could not
// carry unescaped.
//
//   host -> child   invoke        one action call: ids, action, params, time budget, clock
//                   http_result   the answer to the child's `http`
//   child -> host   hello         after init: the plugin's name, version, ABI, descriptors,
//                                 provider policies
//                   failed        the library could not be loaded (code, reason); then exit
//                   log           a plugin log line (any time, any thread)
//                   http          an sb_host.http request of the running call
//                   result        what the call's invoke did (status, sinks, overflow, throw)
//
// The host treats the child as untrusted: decode_child_message checks every field's type
// and size and the message's nesting before anything reads it, and the host then runs the
// same checks on the contents as for an in-process plugin (descriptors, HTTP requests,
// results).
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/call_context.hpp"
#include "core/plugin/invocation_checks.hpp"

#include <switchboard/descriptor.hpp>
#include <switchboard/ext/provider_policy.hpp>
#include <switchboard/plugin.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace switchboard::plugin::isolated {

// ---- host -> child ------------------------------------------------------------------------

struct InvokeMessage {
    std::uint64_t id = 0;
    std::string provider_id;
    std::string tenant_id;
    std::string connector_id;
    std::string action;
    std::string params;            // the params JSON, as given
    std::int64_t timeout_ms = 0;   // the time left for the call when it was sent
    std::int64_t host_now_unix_ms = 0; // the host's clock, which the child's sb_host uses
};

struct HttpResultMessage {
    std::uint64_t id = 0;
    sb_status host_status = SB_STATUS_OK; // not OK: the host got no answer, and why
    int http_status = 0;
    std::vector<HttpHeader> headers;
    std::string body;
};

// ---- child -> host ------------------------------------------------------------------------

struct HelloMessage {
    std::string plugin_name;
    std::string plugin_version;
    sb_abi_version abi{};
    std::vector<sdk::ProviderSpec> providers; // as the plugin's descriptors say, unchecked
    // As the plugin's provider-policy extension says (switchboard.provider-policy/1), unchecked;
    // empty when it has none.
    std::vector<sdk::ProviderPolicySpec> policies;
};

struct FailedMessage {
    std::string code;   // the loader's code, e.g. "init_failed"
    std::string reason; // the loader's reason
};

struct LogMessage {
    sb_log_level level = SB_LOG_INFO;
    std::string message;
};

struct HttpMessage {
    std::uint64_t id = 0;
    ProviderHttpRequest request; // as the plugin asked for it; the host checks it again
};

struct ResultMessage {
    std::uint64_t id = 0;
    RawInvocation raw; // http_requests is not transmitted
};

using ChildMessage = std::variant<HelloMessage, FailedMessage, LogMessage, HttpMessage,
                                  ResultMessage>;
using HostMessage = std::variant<InvokeMessage, HttpResultMessage>;

// The MessagePack payload of each message.
std::string encode(const InvokeMessage& message);
std::string encode(const HttpResultMessage& message);
std::string encode(const HelloMessage& message);
std::string encode(const FailedMessage& message);
std::string encode(const LogMessage& message);
std::string encode(const HttpMessage& message);
std::string encode(const ResultMessage& message);

// A payload read back. Errors (invalid_input, code `plugin_host_protocol_violation`, the
// message naming the problem): not MessagePack, nesting deeper than a message ever does, not
// a map, an unknown "t", a missing field or one of the wrong type, a string or byte field
// over its size limit, more list items than allowed.
Result<ChildMessage> decode_child_message(std::string_view payload);
Result<HostMessage> decode_host_message(std::string_view payload);

} // namespace switchboard::plugin::isolated
