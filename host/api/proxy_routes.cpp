#include "host/api/proxy_routes.hpp"

#include "host/api/caller.hpp"
#include "host/api/connector_routes.hpp"
#include "host/api/openapi_document.hpp"
#include "host/server/error_response.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/pchars.hpp>

#include <array>
#include <vector>

namespace switchboard::api {

namespace http = server::http;
using nlohmann::json;
using server::Request;
using server::Response;

namespace {

// The piece of the provider's body read and written at a time.
constexpr std::size_t piece_bytes = 64 * 1024;

constexpr std::string_view proxy_pattern = "/api/v1/connectors/{id}/proxy/{path...}";
// OpenAPI has no rest parameter: the document names it {path} and says it spans segments.
constexpr std::string_view proxy_doc_path = "/api/v1/connectors/{id}/proxy/{path}";

// The caller's body, as the server streams it to this route.
class CallerBody final : public switchboard::http::RequestBodySource {
public:
    explicit CallerBody(std::shared_ptr<server::RequestBodyStream> stream)
        : stream_(std::move(stream)) {}
    Result<std::size_t> read(char* into, std::size_t size) override {
        return stream_->read(into, size);
    }

private:
    std::shared_ptr<server::RequestBodyStream> stream_;
};

Response forward_to_provider(connectors::ProxyService& proxy, const Request& request,
                 const auth::Principal& caller) {
    connectors::ProxyRequest forwarded;
    forwarded.connector_id = std::string(request.path_param("id"));
    forwarded.method = request.method_string;
    forwarded.path = std::string(request.path_param("path"));
    forwarded.query = request.query_string;
    for (const auto& field : request.headers) {
        forwarded.headers.emplace_back(std::string(field.name()), std::string(field.value()));
    }
    forwarded.mount_path = std::string(connectors_base_path) + "/" +
                           boost::urls::encode(forwarded.connector_id, boost::urls::pchars) +
                           "/proxy";
    // A body is one announced by a length above zero or by chunked framing.
    std::optional<CallerBody> body;
    if (request.body_stream) {
        const auto length = request.body_stream->content_length();
        const bool chunked = !request.header("Transfer-Encoding").empty();
        if ((length && *length > 0) || chunked) {
            body.emplace(request.body_stream);
            forwarded.body = &*body;
            forwarded.content_length = length;
        }
    }
    auto answer = proxy.forward(caller, forwarded);
    if (!answer) {
        return server::error_response(answer.error(), request.request_id);
    }
    Response response;
    response.status = static_cast<http::status>(answer->status);
    response.content_type.clear(); // the provider's Content-Type, if any, is in its headers
    for (const auto& [name, value] : answer->headers) {
        response.headers.add(name, value);
    }
    response.stream_length = answer->content_length;
    response.stream = [provider_body = std::shared_ptr<connectors::ProxyBody>(
                           std::move(answer->body))](server::ResponseBodyWriter& out) -> Result<void> {
        std::vector<char> piece(piece_bytes);
        while (true) {
            auto got = provider_body->read(piece.data(), piece.size());
            if (!got) {
                return got.error();
            }
            if (*got == 0) {
                return {};
            }
            if (auto written = out.write(std::string_view(piece.data(), *got)); !written) {
                return written.error();
            }
        }
    };
    return response;
}

json proxy_operation(std::string_view method, std::uint64_t limit) {
    std::string id = "proxy";
    id += method.front();
    for (char c : method.substr(1)) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json op = {
        {"operationId", id},
        {"tags", {"proxy"}},
        {"summary", std::string(method) + " through the credentialed proxy"},
        {"description",
         "Forwards the request to the connector's provider at <API base URL>/{path}?<query> "
         "with the connector's credentials, which the caller never sees. The path must fall "
         "under one of the provider's allowed base URLs (403 proxy_target_not_allowed) and may "
         "not climb out of it ('..', '.', empty or encoded-slash segments, backslashes, an "
         "absolute URL: 400 invalid_proxy_path). Hop-by-hop and credential headers are "
         "dropped both ways (the caller's Authorization authenticates it to Switchboard only); "
         "a 401 refreshes the token and repeats the request once; the provider's status, "
         "headers and body come back as they are, streamed. Bodies up to " +
             std::to_string(limit) + " bytes (proxy.max_request_bytes)."},
        {"security", bearer_security()},
        {"parameters",
         {path_parameter("id", "The connector's id."),
          path_parameter("path",
                         "The provider API path, relative to its API base URL; spans several "
                         "segments (e.g. drive/v3/files). The query string is forwarded as is.")}},
        {"responses",
         {{"default",
           {{"description", "The provider's answer, as it gave it."},
            {"content", {{"*/*", {{"schema", json::object()}}}}}}}}}};
    if (method == "POST" || method == "PUT" || method == "PATCH") {
        op["requestBody"] = {{"required", false},
                             {"description", "Forwarded to the provider as it arrives."},
                             {"content", {{"*/*", {{"schema", json::object()}}}}}};
    }
    return op;
}

} // namespace

std::vector<ApiRoute> proxy_routes(const ApiContext& context) {
    std::vector<ApiRoute> routes;
    if (context.proxy == nullptr) {
        return routes;
    }
    connectors::ProxyService& proxy = *context.proxy;
    constexpr std::array<http::verb, 5> methods = {http::verb::get, http::verb::post,
                                                   http::verb::put, http::verb::patch,
                                                   http::verb::delete_};
    for (const http::verb method : methods) {
        ApiRoute route{
            method,
            std::string(proxy_pattern),
            server::Execution::worker_pool,
            with_caller(context.authenticator,
                        [&proxy](const Request& request, const auth::Principal& caller) {
                            return forward_to_provider(proxy, request, caller);
                        }),
            true,
            {400, 401, 403, 404, 409, 413, 429, 500, 502, 503, 504},
            {{std::string(proxy_doc_path),
              proxy_operation(http::to_string(method), context.proxy_max_request_bytes)}}};
        // Even a GET may carry a body; every method streams it, so none is held whole.
        route.streamed_body_limit = std::max<std::uint64_t>(1, context.proxy_max_request_bytes);
        routes.push_back(std::move(route));
    }
    return routes;
}

} // namespace switchboard::api
