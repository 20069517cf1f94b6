// JSON-RPC 2.0 as MCP uses it: telling a request from a notification from a response, and
// building answers. A request's id is a string or an integer (MCP forbids null); params, when
// present, an object.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace switchboard::mcp::jsonrpc {

// The error codes of JSON-RPC 2.0 (section 5.1).
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;

struct Message {
    enum class Kind { request, notification, response, invalid };
    Kind kind = Kind::invalid;
    nlohmann::json id;     // request (and invalid, when it had a usable id); else null
    std::string method;    // request and notification
    nlohmann::json params; // an object (empty when absent)
    std::string problem;   // invalid: why, for the error's message
};

Message classify(const nlohmann::json& value);

nlohmann::json result(const nlohmann::json& id, nlohmann::json result);
// `data` is left out when null.
nlohmann::json error(const nlohmann::json& id, int code, const std::string& message,
                     nlohmann::json data = nullptr);

} // namespace switchboard::mcp::jsonrpc
