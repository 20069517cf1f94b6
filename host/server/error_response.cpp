#include "host/server/error_response.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::server {

http::status http_status(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::invalid_input: return http::status::bad_request;
    case ErrorKind::unauthenticated: return http::status::unauthorized;
    case ErrorKind::forbidden: return http::status::forbidden;
    case ErrorKind::not_found: return http::status::not_found;
    case ErrorKind::conflict: return http::status::conflict;
    case ErrorKind::payload_too_large: return http::status::payload_too_large;
    case ErrorKind::unsupported_media_type: return http::status::unsupported_media_type;
    case ErrorKind::rate_limited: return http::status::too_many_requests;
    case ErrorKind::upstream_failed: return http::status::bad_gateway;
    case ErrorKind::unavailable: return http::status::service_unavailable;
    case ErrorKind::unsupported: return http::status::not_implemented;
    case ErrorKind::internal: return http::status::internal_server_error;
    case ErrorKind::timeout: return http::status::gateway_timeout;
    }
    return http::status::internal_server_error;
}

std::string error_body(std::string_view code, std::string_view message, std::string_view field,
                       std::string_view request_id) {
    nlohmann::ordered_json error;
    error["code"] = code;
    error["message"] = message;
    if (!field.empty()) {
        error["field"] = field;
    }
    nlohmann::ordered_json body;
    body["error"] = std::move(error);
    body["request_id"] = request_id;
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response error_response(const Error& error, std::string_view request_id) {
    Response response;
    response.status = http_status(error.kind);
    // An Error built without a code still gets a stable one: its kind's name.
    const std::string_view code = error.code.empty() ? to_string(error.kind)
                                                     : std::string_view(error.code);
    response.body = error_body(code, error.message, error.field, request_id);
    if (error.kind == ErrorKind::unauthenticated) {
        response.headers.set(http::field::www_authenticate, "Bearer");
    }
    if (error.retry_after_seconds && *error.retry_after_seconds >= 0) {
        response.headers.set(http::field::retry_after, std::to_string(*error.retry_after_seconds));
    }
    return response;
}

Response error_response(http::status status, std::string_view code, std::string_view message,
                        std::string_view request_id) {
    Response response;
    response.status = status;
    response.body = error_body(code, message, {}, request_id);
    return response;
}

} // namespace switchboard::server
