#include "host/server/response.hpp"

#include "host/server/deferred_response.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace switchboard::server {

Response Response::json(http::status status, const nlohmann::json& value) {
    Response response;
    response.status = status;
    response.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

Response Response::json(const nlohmann::json& value) {
    return json(http::status::ok, value);
}

Response Response::text(http::status status, std::string body, std::string content_type) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    response.content_type = std::move(content_type);
    return response;
}

Response Response::no_content() {
    Response response;
    response.status = http::status::no_content;
    response.content_type.clear();
    return response;
}

Response Response::deferred_by(std::shared_ptr<DeferredResponse> later) {
    Response response;
    response.deferred = std::move(later);
    return response;
}

} // namespace switchboard::server
