#include "host/mcp/json_rpc.hpp"

namespace switchboard::mcp::jsonrpc {

using nlohmann::json;

namespace {

bool usable_id(const json& id) {
    return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

Message invalid(json id, std::string problem) {
    Message message;
    message.kind = Message::Kind::invalid;
    message.id = usable_id(id) ? std::move(id) : json(nullptr);
    message.problem = std::move(problem);
    return message;
}

} // namespace

Message classify(const json& value) {
    if (!value.is_object()) return invalid(nullptr, "a JSON-RPC message must be an object");
    const json id = value.contains("id") ? value.at("id") : json(nullptr);
    auto version = value.find("jsonrpc");
    if (version == value.end() || *version != "2.0") {
        return invalid(id, "\"jsonrpc\" must be \"2.0\"");
    }
    auto method = value.find("method");
    if (method == value.end()) {
        // A response to a request of ours (the server sends none, but a client may answer).
        if (!value.contains("id") || (!value.contains("result") && !value.contains("error"))) {
            return invalid(id, "a message needs \"method\" (request, notification) or \"result\" "
                               "or \"error\" with \"id\" (response)");
        }
        Message message;
        message.kind = Message::Kind::response;
        message.id = id;
        return message;
    }
    if (!method->is_string() || method->get_ref<const std::string&>().empty()) {
        return invalid(id, "\"method\" must be a non-empty string");
    }
    Message message;
    message.method = method->get<std::string>();
    message.params = json::object();
    if (auto params = value.find("params"); params != value.end()) {
        if (!params->is_object()) return invalid(id, "\"params\" must be an object");
        message.params = *params;
    }
    if (!value.contains("id")) {
        message.kind = Message::Kind::notification;
        return message;
    }
    if (!usable_id(id)) return invalid(nullptr, "\"id\" must be a string or an integer");
    message.kind = Message::Kind::request;
    message.id = id;
    return message;
}

json result(const json& id, json result) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json error(const json& id, int code, const std::string& message, json data) {
    json error = {{"code", code}, {"message", message}};
    if (!data.is_null()) error["data"] = std::move(data);
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

} // namespace switchboard::mcp::jsonrpc
