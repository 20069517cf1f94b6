#include "host/mcp/mcp_transport.hpp"

#include "core/common/ascii.hpp"
#include "host/mcp/protocol_version.hpp"
#include "host/server/require_json.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::mcp {

using nlohmann::json;
using server::Request;
using server::Response;
namespace http = server::http;

namespace {

// A transport-level refusal: the HTTP status and a JSON-RPC error without id.
Response refusal(http::status status, int code, const std::string& message) {
    return Response::json(status, jsonrpc::error(nullptr, code, message));
}

Response accepted() {
    Response response;
    response.status = http::status::accepted;
    response.content_type.clear();
    return response;
}

// Whether an Accept header admits `type` ("application/json"); no header admits anything.
bool accepts(std::string_view accept, std::string_view type) {
    if (accept.empty()) return true;
    const std::string header = ascii_lowercase(accept);
    const std::string family = std::string(type.substr(0, type.find('/'))) + "/*";
    return header.find(type) != std::string::npos || header.find("*/*") != std::string::npos ||
           header.find(family) != std::string::npos;
}

bool is_initialize(const jsonrpc::Message& message) {
    return message.kind == jsonrpc::Message::Kind::request && message.method == "initialize";
}

} // namespace

std::optional<Response> McpTransport::refuse(const Request& request) const {
    if (!origins_.allows(request.header("Origin"))) {
        return refusal(http::status::forbidden, jsonrpc::invalid_request,
                       "origin not allowed: add it to mcp.allowed_origins if this page may use "
                       "the MCP endpoint");
    }
    const std::string_view version = request.header(protocol_version_header);
    if (!version.empty() && !is_supported_protocol_version(version)) {
        return refusal(http::status::bad_request, jsonrpc::invalid_request,
                       "unsupported MCP-Protocol-Version; supported: 2025-11-25, 2025-06-18, "
                       "2025-03-26");
    }
    return std::nullopt;
}

std::variant<SessionInfo, Response> McpTransport::session_of(const Request& request,
                                                             const auth::Principal& caller) const {
    const std::string_view id = request.header(session_header);
    if (id.empty()) {
        return refusal(http::status::bad_request, jsonrpc::invalid_request,
                       "Mcp-Session-Id header is required: initialize first");
    }
    auto session = sessions_.find(id, caller);
    if (!session) {
        return refusal(http::status::not_found, jsonrpc::invalid_request,
                       "session not found (expired, ended, or another instance's): initialize "
                       "again without Mcp-Session-Id");
    }
    return *session;
}

Response McpTransport::post(const Request& request, const auth::Principal& caller) const {
    if (auto refused = refuse(request)) return *refused;
    if (!accepts(request.header("Accept"), "application/json")) {
        return refusal(http::status::not_acceptable, jsonrpc::invalid_request,
                       "the client must accept application/json (and text/event-stream)");
    }
    auto body = server::require_json(request);
    if (!body) {
        if (body.error().kind == ErrorKind::unsupported_media_type) {
            return refusal(http::status::unsupported_media_type, jsonrpc::invalid_request,
                           "Content-Type must be application/json");
        }
        return refusal(http::status::bad_request, jsonrpc::parse_error,
                       "parse error: " + body.error().message);
    }
    if (body->is_array()) return post_batch(request, caller, *body);
    return post_one(request, caller, *body);
}

Response McpTransport::post_one(const Request& request, const auth::Principal& caller,
                                const json& body) const {
    const jsonrpc::Message message = jsonrpc::classify(body);
    if (message.kind == jsonrpc::Message::Kind::invalid) {
        return Response::json(http::status::bad_request,
                              jsonrpc::error(message.id, jsonrpc::invalid_request,
                                             "invalid request: " + message.problem));
    }
    if (is_initialize(message) && request.header(session_header).empty()) {
        if (auto invalid = protocol_.check_initialize(message)) return Response::json(*invalid);
        const std::string_view version = negotiate_protocol_version(
            message.params.at("protocolVersion").get_ref<const std::string&>());
        auto session = sessions_.create(caller, std::string(version));
        if (!session) return Response::json(internal_error(message.id, session.error()));
        auto response = Response::json(jsonrpc::result(message.id, protocol_.initialize_result(version)));
        response.headers.set(session_header, session->id);
        return response;
    }
    auto session = session_of(request, caller);
    if (auto* refused = std::get_if<Response>(&session)) return std::move(*refused);
    const SessionInfo& info = std::get<SessionInfo>(session);
    if (message.kind != jsonrpc::Message::Kind::request) {
        // notifications/initialized, notifications/cancelled, a client's response: nothing
        // this server waits for.
        return accepted();
    }
    return Response::json(protocol_.answer(info, caller, message));
}

Response McpTransport::post_batch(const Request& request, const auth::Principal& caller,
                                  const json& body) const {
    if (body.empty()) {
        return refusal(http::status::bad_request, jsonrpc::invalid_request,
                       "invalid request: an empty batch");
    }
    if (request.header(session_header).empty()) {
        return refusal(http::status::bad_request, jsonrpc::invalid_request,
                       "a batch needs a session: initialize (never part of a batch) first");
    }
    auto session = session_of(request, caller);
    if (auto* refused = std::get_if<Response>(&session)) return std::move(*refused);
    const SessionInfo& info = std::get<SessionInfo>(session);
    if (!allows_batches(info.protocol_version)) {
        return refusal(http::status::bad_request, jsonrpc::invalid_request,
                       "invalid request: protocol revision " + info.protocol_version +
                           " has no JSON-RPC batches; send one message per POST");
    }
    json answers = json::array();
    for (const auto& item : body) {
        const jsonrpc::Message message = jsonrpc::classify(item);
        if (message.kind == jsonrpc::Message::Kind::invalid) {
            answers.push_back(jsonrpc::error(message.id, jsonrpc::invalid_request,
                                             "invalid request: " + message.problem));
        } else if (message.kind == jsonrpc::Message::Kind::request) {
            answers.push_back(is_initialize(message)
                                  ? jsonrpc::error(message.id, jsonrpc::invalid_request,
                                                   "initialize must not be part of a batch")
                                  : protocol_.answer(info, caller, message));
        }
    }
    if (answers.empty()) return accepted();
    return Response::json(answers);
}

Response McpTransport::get(const Request& request, const auth::Principal& caller) const {
    if (auto refused = refuse(request)) return *refused;
    if (!accepts(request.header("Accept"), "text/event-stream")) {
        return refusal(http::status::not_acceptable, jsonrpc::invalid_request,
                       "the event stream is text/event-stream: the client must accept it");
    }
    auto session = session_of(request, caller);
    if (auto* refused = std::get_if<Response>(&session)) return std::move(*refused);
    std::optional<std::string> last_event_id;
    if (auto header = request.header("Last-Event-ID"); !header.empty()) {
        last_event_id = std::string(header);
    }
    auto answer = sessions_.poll(std::get<SessionInfo>(session).id, caller, last_event_id);
    if (!answer) {
        return refusal(http::status::not_found, jsonrpc::invalid_request, "session not found");
    }
    return std::move(*answer);
}

Response McpTransport::remove(const Request& request, const auth::Principal& caller) const {
    if (auto refused = refuse(request)) return *refused;
    auto session = session_of(request, caller);
    if (auto* refused = std::get_if<Response>(&session)) return std::move(*refused);
    sessions_.remove(std::get<SessionInfo>(session).id, caller);
    return Response::no_content();
}

} // namespace switchboard::mcp
