#include "host/api/connector_routes.hpp"

#include "core/connectors/access_token_verifier.hpp"
#include "host/api/caller.hpp"
#include "host/api/connector_json.hpp"
#include "host/api/json_body.hpp"
#include "host/api/openapi_document.hpp"
#include "host/server/error_response.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>

namespace switchboard::api {

namespace http = server::http;
using nlohmann::json;
using server::Request;
using server::Response;

namespace {

constexpr std::size_t kMaxIdentifier = 64;   // provider ids and categories
constexpr std::size_t kMaxName = 200;        // a connector's name
constexpr std::size_t kMaxQueryValue = 4096; // code, state, error of the callback
constexpr std::size_t kMaxCompletion = 256;  // a completion code (43 characters when valid)
constexpr std::size_t kMaxAccessToken = connectors::max_access_token_length;

std::string path(std::string_view suffix) {
    return std::string(connectors_base_path) + std::string(suffix);
}

json id_parameter() {
    return path_parameter("id", "The connector's id. Another tenant's id is answered as a "
                                "missing one (404).");
}

std::optional<std::string> bounded_query(const Request& request, std::string_view name) {
    auto value = request.query.get(name);
    if (!value) {
        return std::nullopt;
    }
    // Anything longer is not what a provider sends; the service sees it as absent, which
    // fails the callback as it should.
    if (value->size() > kMaxQueryValue) {
        return std::nullopt;
    }
    return std::string(*value);
}

// The seed's documented answer is a bare array; `?format=object` wraps it in
// {"providers": [...]}, the shape that can grow top-level fields without breaking anyone.
// The providers are fixed when the host starts (plugins, config, credentials), so both
// answers are serialised once, at the first request, and sent as they are after that: the
// JSON building was most of this route's time (scripts/bench).
class ProviderListAnswers {
public:
    Response answer(connectors::ConnectorService& service, const Request& request) {
        const auto format = request.query.get("format");
        if (format && *format != "array" && *format != "object") {
            return server::error_response(
                Error(ErrorKind::invalid_input, "invalid_query_parameter",
                      "the query parameter 'format' must be 'array' (the default) or 'object'",
                      "format"),
                request.request_id);
        }
        std::call_once(built_, [&] {
            json providers = json::array();
            for (const auto& provider : service.providers()) {
                providers.push_back(provider_json(provider));
            }
            array_ = Response::json(providers).body;
            object_ = Response::json(json{{"providers", std::move(providers)}}).body;
        });
        return Response::text(http::status::ok, format == "object" ? object_ : array_,
                              server::json_content_type);
    }

private:
    std::once_flag built_;
    std::string array_;
    std::string object_;
};

Response list_connectors(connectors::ConnectorService& service, const Request& request,
                         const auth::Principal& caller) {
    auto connectors = service.list(caller);
    if (!connectors) {
        return server::error_response(connectors.error(), request.request_id);
    }
    json list = json::array();
    for (const auto& connector : *connectors) {
        list.push_back(connector_json(connector));
    }
    return Response::json({{"connectors", std::move(list)}});
}

Response get_connector(connectors::ConnectorService& service, const Request& request,
                       const auth::Principal& caller) {
    auto connector = service.get(caller, request.path_param("id"));
    if (!connector) {
        return server::error_response(connector.error(), request.request_id);
    }
    return Response::json(connector_json(*connector));
}

Result<connectors::AuthorizationRequest> read_authorization_request(const Request& request) {
    auto body = require_json_object(request);
    if (!body) {
        return body.error();
    }
    if (auto only = only_fields(*body, {"type", "provider", "name"}); !only) {
        return only.error();
    }
    connectors::AuthorizationRequest out;
    auto type = required_string(*body, "type", kMaxIdentifier);
    if (!type) {
        return type.error();
    }
    auto provider = required_string(*body, "provider", kMaxIdentifier);
    if (!provider) {
        return provider.error();
    }
    auto name = required_string(*body, "name", kMaxName);
    if (!name) {
        return name.error();
    }
    out.type = std::move(*type);
    out.provider = std::move(*provider);
    out.name = std::move(*name);
    return out;
}

Response start_authorization(connectors::ConnectorService& service, const Request& request,
                             const auth::Principal& caller) {
    auto body = read_authorization_request(request);
    if (!body) {
        return server::error_response(body.error(), request.request_id);
    }
    auto started = service.start_authorization(caller, *body);
    if (!started) {
        return server::error_response(with_body_pointer(started.error()), request.request_id);
    }
    return Response::json(
        {{"authorization_url", started->authorization_url}, {"state", started->state}});
}

Response complete_authorization(connectors::ConnectorService& service,
                                const std::string& frontend_url, const Request& request) {
    connectors::CallbackQuery query;
    query.code = bounded_query(request, "code");
    query.state = bounded_query(request, "state");
    query.error = bounded_query(request, "error");
    query.error_description = bounded_query(request, "error_description");
    const auto outcome = service.complete_authorization(query);
    Response response;
    response.status = http::status::found;
    response.content_type.clear();
    response.headers.set(http::field::location, callback_location(outcome, frontend_url));
    // The request's URL carried an authorization code: keep it out of the next page's
    // Referer.
    response.headers.set("Referrer-Policy", "no-referrer");
    if (!outcome.success) {
        spdlog::info("oauth callback failed: {} (request {})", outcome.error_code,
                     request.request_id);
    }
    return response;
}

Response confirm_connection(connectors::ConnectorService& service, const Request& request,
                            const auth::Principal& caller) {
    auto body = require_json_object(request);
    if (!body) {
        return server::error_response(body.error(), request.request_id);
    }
    if (auto only = only_fields(*body, {"completion"}); !only) {
        return server::error_response(only.error(), request.request_id);
    }
    auto completion = required_string(*body, "completion", kMaxCompletion);
    if (!completion) {
        return server::error_response(completion.error(), request.request_id);
    }
    auto connector = service.confirm_connection(caller, *completion);
    if (!connector) {
        return server::error_response(connector.error(), request.request_id);
    }
    return Response::json(http::status::created, connector_json(*connector));
}

Result<connectors::AccessTokenConnection> read_access_token_connection(const Request& request) {
    auto body = require_json_object(request);
    if (!body) {
        return body.error();
    }
    if (auto only = only_fields(*body, {"provider", "access_token", "name"}); !only) {
        return only.error();
    }
    connectors::AccessTokenConnection out;
    auto provider = required_string(*body, "provider", kMaxIdentifier);
    if (!provider) {
        return provider.error();
    }
    auto token = required_string(*body, "access_token", kMaxAccessToken);
    if (!token) {
        return token.error();
    }
    out.provider = std::move(*provider);
    out.access_token = std::move(*token);
    auto name = optional_string(*body, "name", kMaxName);
    if (!name) {
        return name.error();
    }
    out.name = name->value_or(std::string());
    return out;
}

Response connect_with_access_token(connectors::ConnectorService& service, const Request& request,
                                   const auth::Principal& caller) {
    auto body = read_access_token_connection(request);
    if (!body) {
        return server::error_response(body.error(), request.request_id);
    }
    auto connector = service.connect_with_access_token(caller, *body);
    if (!connector) {
        return server::error_response(with_body_pointer(connector.error()), request.request_id);
    }
    return Response::json(http::status::created, connector_json(*connector));
}

// ?force=true|false (absent: false).
Result<connectors::DisconnectOptions> disconnect_options(const Request& request) {
    connectors::DisconnectOptions options;
    auto force = request.query.get("force");
    if (!force || *force == "false") {
        return options;
    }
    if (*force != "true") {
        return Error(ErrorKind::invalid_input, "invalid_query", "force must be true or false",
                     "force");
    }
    options.force = true;
    return options;
}

Response disconnect_connector(connectors::ConnectorService& service, const Request& request,
                              const auth::Principal& caller) {
    auto options = disconnect_options(request);
    if (!options) {
        return server::error_response(options.error(), request.request_id);
    }
    auto done = service.disconnect(caller, request.path_param("id"), *options);
    if (!done) {
        return server::error_response(done.error(), request.request_id);
    }
    if (!options->force) {
        return Response::no_content();
    }
    return Response::json(disconnect_json(*done));
}

Response refresh_connector(connectors::ConnectorService& service, const Request& request,
                           const auth::Principal& caller) {
    auto connector = service.refresh(caller, request.path_param("id"));
    if (!connector) {
        return server::error_response(connector.error(), request.request_id);
    }
    return Response::json(connector_json(*connector));
}

// GET /providers: the bare array, or with format=object the array under "providers".
json providers_schema() {
    const json list = {{"type", "array"}, {"items", schema_ref("Provider")}};
    const json wrapped = {{"type", "object"},
                          {"required", {"providers"}},
                          {"properties", {{"providers", list}}},
                          {"additionalProperties", false}};
    return {{"oneOf", json::array({list, wrapped})}};
}

bool under(std::string_view url, std::string_view base) {
    if (base.empty() || url.substr(0, base.size()) != base) {
        return false;
    }
    if (url.size() == base.size()) {
        return true;
    }
    const char next = url[base.size()];
    return next == '/' || next == '?' || next == '#';
}

} // namespace

std::string callback_location(const connectors::CallbackOutcome& outcome,
                              std::string_view frontend_url) {
    std::string_view base = frontend_url;
    while (!base.empty() && base.back() == '/') {
        base.remove_suffix(1);
    }
    if (under(outcome.redirect_url, base)) {
        return outcome.redirect_url;
    }
    spdlog::error("oauth callback: the service's redirect is not under the front end's URL; "
                  "sending the browser to the integrations page instead");
    return std::string(base) + std::string(integrations_page) +
           "?success=false&error=internal_error";
}

std::vector<ApiRoute> connector_routes(const ApiContext& context) {
    auto& service = context.connectors;
    const auto& authenticator = context.authenticator;
    std::vector<ApiRoute> routes;

    routes.push_back(ApiRoute{
        http::verb::get, path("/providers"), server::Execution::worker_pool,
        [&service, answers = std::make_shared<ProviderListAnswers>()](const Request& request) {
            return answers->answer(service, request);
        },
        false,
        {400, 500},
        {{path("/providers"),
          {{"operationId", "listProviders"},
           {"tags", {"connectors"}},
           {"summary", "The enabled providers"},
           {"description",
            "Every provider the host serves, whether its OAuth client credentials are "
            "configured, and the actions it offers. The default answer is a JSON array, as the "
            "original connector API documents it (each item has provider, type, name, "
            "description and requires_oauth, plus configured and actions); with "
            "format=object the same array comes wrapped as {\"providers\": [...]}."},
           {"security", json::array()},
           {"parameters",
            {{{"name", "format"},
              {"in", "query"},
              {"required", false},
              {"description", "array (the default): a bare array; object: {\"providers\": [...]}."},
              {"schema",
               {{"type", "string"},
                {"enum", json::array({"array", "object"})},
                {"default", "array"}}}}}},
           {"responses",
            {{"200",
              {{"description", "The providers: an array, or with format=object an object."},
               {"content", json_content(providers_schema())}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::get, std::string(connectors_base_path), server::Execution::worker_pool,
        with_caller(authenticator,
                    [&service](const Request& request, const auth::Principal& caller) {
                        return list_connectors(service, request, caller);
                    }),
        true, {401, 500, 503},
        {{std::string(connectors_base_path),
          {{"operationId", "listConnectors"},
           {"tags", {"connectors"}},
           {"summary", "The caller's tenant's connectors"},
           {"security", bearer_security()},
           {"responses",
            {{"200",
              {{"description", "The connectors of the caller's tenant."},
               {"content",
                json_content({{"type", "object"},
                              {"required", {"connectors"}},
                              {"properties",
                               {{"connectors",
                                 {{"type", "array"}, {"items", schema_ref("Connector")}}}}},
                              {"additionalProperties", false}})}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::get, path("/{id}"), server::Execution::worker_pool,
        with_caller(authenticator,
                    [&service](const Request& request, const auth::Principal& caller) {
                        return get_connector(service, request, caller);
                    }),
        true, {401, 404, 500, 503},
        {{path("/{id}"),
          {{"operationId", "getConnector"},
           {"tags", {"connectors"}},
           {"summary", "One connector of the caller's tenant"},
           {"security", bearer_security()},
           {"parameters", {id_parameter()}},
           {"responses",
            {{"200",
              {{"description", "The connector."},
               {"content", json_content(schema_ref("Connector"))}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::post, path("/authorize"), server::Execution::worker_pool,
        with_caller(authenticator,
                    [&service](const Request& request, const auth::Principal& caller) {
                        return start_authorization(service, request, caller);
                    }),
        true, {400, 401, 404, 413, 415, 500, 503},
        {{path("/authorize"),
          {{"operationId", "startAuthorization"},
           {"tags", {"connectors"}},
           {"summary", "Start connecting an account"},
           {"description",
            "Stores a single-use state (5 minutes, bound to the caller's tenant and user, the "
            "provider and the redirect URI) holding a PKCE verifier, and answers the "
            "provider's authorization URL with the PKCE challenge. Send the browser there; "
            "the provider sends it back to GET /api/v1/connectors/callback."},
           {"security", bearer_security()},
           {"requestBody",
            {{"required", true}, {"content", json_content(schema_ref("AuthorizeRequest"))}}},
           {"responses",
            {{"200",
              {{"description", "Where to send the browser."},
               {"content", json_content(schema_ref("AuthorizationStart"))}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::post, path("/complete"), server::Execution::worker_pool,
        with_caller(authenticator,
                    [&service](const Request& request, const auth::Principal& caller) {
                        return confirm_connection(service, request, caller);
                    }),
        true, {400, 401, 403, 404, 409, 413, 415, 500, 503},
        {{path("/complete"),
          {{"operationId", "confirmConnection"},
           {"tags", {"connectors"}},
           {"summary", "Confirm a connection the callback parked"},
           {"description",
            "The callback cannot tell whose browser finished the provider's consent, so it "
            "parks the tokens as a pending connector of the tenant and user that started the "
            "flow and sends the browser to the front end with a one-time completion code "
            "(?success=true&provider=<id>&completion=<code>). The front end, signed in, "
            "sends that code here: for the user who started the flow the connector becomes "
            "active (or, for an account the tenant had connected before, that connector is "
            "active again) and is answered. A code is good once, for the state's TTL (5 "
            "minutes by default); unconfirmed, the tokens are discarded and revoked at the "
            "provider. 404 completion_not_found: unknown, expired or used. 403 "
            "completion_forbidden: the flow was started by another tenant or user; its tokens "
            "are discarded and revoked. 409 already_connected: the account is connected in "
            "the tenant already (the new tokens are dropped)."},
           {"security", bearer_security()},
           {"requestBody",
            {{"required", true}, {"content", json_content(schema_ref("CompletionRequest"))}}},
           {"responses",
            {{"201",
              {{"description", "The connector, now active."},
               {"content", json_content(schema_ref("Connector"))}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::post, path("/access-token"), server::Execution::worker_pool,
        with_caller(authenticator,
                    [&service](const Request& request, const auth::Principal& caller) {
                        return connect_with_access_token(service, request, caller);
                    }),
        true, {400, 401, 404, 409, 413, 415, 429, 500, 502, 503},
        {{path("/access-token"),
          {{"operationId", "connectWithAccessToken"},
           {"tags", {"connectors"}},
           {"summary", "Connect an account with an access token instead of OAuth"},
           {"description",
            "For a provider that issues access tokens outside OAuth (its access_token_label in "
            "GET /api/v1/connectors/providers is not null; HubSpot: a private app's access "
            "token). The host checks the token with a GET on the provider's account endpoint "
            "(HubSpot: /account-info/v3/details) through its outbound rate limits, reads the "
            "account there, and stores the token encrypted, with no refresh token and no "
            "expiry, as an active connector of the caller (auth_method access_token, "
            "announced as connector.connected). The same account again is 409 "
            "already_connected while its connector is active; a revoked one gets the new token "
            "and is active again. When the provider later refuses the token, the connector "
            "becomes revoked: connect a new token. 400 access_token_unsupported: the provider "
            "takes OAuth only; 400 access_token_rejected: the provider refused the token (401 "
            "or 403); 400 invalid_access_token: empty, too long or not printable ASCII; 502 "
            "provider_unavailable / provider_error: the provider could not check it. The "
            "token is never answered or logged."},
           {"security", bearer_security()},
           {"requestBody",
            {{"required", true}, {"content", json_content(schema_ref("AccessTokenRequest"))}}},
           {"responses",
            {{"201",
              {{"description", "The connector, active."},
               {"content", json_content(schema_ref("Connector"))}}}}}}}}});

    const std::string frontend = context.frontend_url;
    routes.push_back(ApiRoute{
        http::verb::get, path("/callback"), server::Execution::worker_pool,
        [&service, frontend](const Request& request) {
            return complete_authorization(service, frontend, request);
        },
        false, {},
        {{path("/callback"),
          {{"operationId", "completeAuthorization"},
           {"tags", {"connectors"}},
           {"summary", "The provider's OAuth redirect"},
           {"description",
            "Consumes the state once, exchanges the code with the PKCE verifier, reads the "
            "account's identity and stores the encrypted tokens as a pending connector, then "
            "redirects the browser to <FRONTEND_URL>/settings/integrations?success=true&"
            "provider=<id>&completion=<code>; the front end confirms the code with POST "
            "/api/v1/connectors/complete. (With connect.confirmation \"immediate\" the "
            "connector is active at once and the redirect has no completion code.) Every "
            "failure (access_denied at the provider, a bad, expired or replayed state, a "
            "failed exchange) redirects there with success=false&error=<code> and stores "
            "nothing."},
           {"security", json::array()},
           {"parameters",
            {{{"name", "code"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
             {{"name", "state"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
             {{"name", "error"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
             {{"name", "error_description"}, {"in", "query"}, {"schema", {{"type", "string"}}}}}},
           {"responses",
            {{"302",
              {{"description", "To the front end's integrations page, with the outcome."},
               {"headers",
                {{"Location",
                  {{"required", true},
                   {"schema", {{"type", "string"}, {"format", "uri"}}}}}}}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::delete_, path("/{id}"), server::Execution::worker_pool,
        with_caller(authenticator,
                    [&service](const Request& request, const auth::Principal& caller) {
                        return disconnect_connector(service, request, caller);
                    }),
        true, {400, 401, 404, 500, 502, 503},
        {{path("/{id}"),
          {{"operationId", "disconnectConnector"},
           {"tags", {"connectors"}},
           {"summary", "Disconnect an account"},
           {"description",
            "Revokes the grant at the provider where it has a revocation endpoint, then "
            "removes the stored credentials (a pending connector of the caller is discarded "
            "the same way). When the provider does not revoke (unreachable, refusing), "
            "nothing is removed and the provider's error is answered, unless force=true: "
            "then the local data is removed anyway and the 200 answer says the grant may "
            "still be live at the provider."},
           {"security", bearer_security()},
           {"parameters",
            {id_parameter(),
             {{"name", "force"},
              {"in", "query"},
              {"required", false},
              {"description", "Remove the local data even when the provider does not revoke."},
              {"schema", {{"type", "string"}, {"enum", {"true", "false"}}}}}}},
           {"responses",
            {{"204", {{"description", "Disconnected (without force)."}}},
             {"200",
              {{"description", "Disconnected (force=true): whether the provider revoked the grant."},
               {"content", json_content(schema_ref("DisconnectResult"))}}}}}}}}});

    routes.push_back(ApiRoute{
        http::verb::post, path("/{id}/refresh"), server::Execution::worker_pool,
        with_caller(authenticator,
                    [&service](const Request& request, const auth::Principal& caller) {
                        return refresh_connector(service, request, caller);
                    }),
        true, {401, 404, 409, 500, 502, 503},
        {{path("/{id}/refresh"),
          {{"operationId", "refreshConnector"},
           {"tags", {"connectors"}},
           {"summary", "Refresh the access token now"},
           {"description", "One refresh per connector runs at a time across all instances: "
                           "a call made while another refresh of the connector runs waits "
                           "for it and answers with its result (503 refresh_in_progress if "
                           "it outlasts 45 s). A provider answering invalid_grant to the "
                           "stored refresh token marks the connector revoked; the answer is "
                           "then 409 connector_revoked (reconnect needed). invalid_client "
                           "marks it error (502: the host's client credentials are refused)."},
           {"security", bearer_security()},
           {"parameters", {id_parameter()}},
           {"responses",
            {{"200",
              {{"description", "The refreshed connector."},
               {"content", json_content(schema_ref("Connector"))}}}}}}}}});

    return routes;
}

} // namespace switchboard::api
