// ProxyService: the credentialed proxy behind /api/v1/connectors/{id}/proxy/{path...}, for
// what no action covers. It forwards the caller's request to the connector's provider — the
// path resolved against the provider's API base URL and held to its allowed base URLs — with
// the connector's credentials added by the host (the caller never sees them), refreshes and
// repeats once on a 401, honours Retry-After within its deadline, strips hop-by-hop and
// credential headers both ways, streams both bodies (bounded memory, whatever their size),
// bounds size and time by the config's `proxy` section, and records each exchange in the
// action audit log (metadata only: never a path, a query, a header value or a body).
#pragma once

#include "core/auth/principal.hpp"
#include "core/common/error.hpp"
#include "core/http/http_stream.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace switchboard::connectors {

struct ProxyRequest {
    std::string connector_id;
    std::string method; // as the caller sent it: GET, HEAD, POST, PUT, PATCH, DELETE
    // The rest of the proxy URL after ".../proxy/", as received (percent-encoded), and the
    // query as received, without '?'.
    std::string path;
    std::string query;
    http::HttpHeaders headers; // the caller's, as received
    // The caller's body, read while it is forwarded (null without one), and its announced
    // length (nullopt: chunked).
    http::RequestBodySource* body = nullptr;
    std::optional<std::uint64_t> content_length;
    // Where this connector's proxy answers, e.g. "/api/v1/connectors/<id>/proxy": a Location
    // into the provider's API is rewritten under it.
    std::string mount_path;
};

// The provider's body on its way back. Destroying it ends the exchange and writes its audit
// line (whether the body was read to its end says how it ended). Used by one thread at a time.
class ProxyBody {
public:
    virtual ~ProxyBody() = default;
    // Up to `size` bytes into `into`; 0 at the end. Errors: the HTTP client's
    // (`upstream_timeout`, `upstream_io_failed`, `upstream_response_too_large`...).
    virtual Result<std::size_t> read(char* into, std::size_t size) = 0;
};

struct ProxyResponse {
    int status = 0;
    http::HttpHeaders headers; // filtered (proxy_headers.hpp), names lower-case
    std::optional<std::uint64_t> content_length;
    std::unique_ptr<ProxyBody> body;
};

class ProxyService {
public:
    virtual ~ProxyService() = default;

    // Forwards `request` for `caller` and returns once the provider's response header is in.
    // Errors: not_found / `connector_not_found` (missing, another tenant's, another user's
    // pending one); conflict / `connector_not_active` (a pending, revoked or expired
    // connector, exactly as the actions refuse it), `connector_revoked`, `connector_expired`;
    // not_found / `provider_not_found` (the provider is not enabled here); invalid_input /
    // `invalid_proxy_path`, `invalid_proxy_query`, `invalid_proxy_method`; forbidden /
    // `proxy_target_not_allowed`; upstream_failed / `upstream_response_too_large` (announced
    // over proxy.max_response_bytes); the request body's errors (`body_too_large`, ...); and
    // the HTTP client's (`upstream_timeout`, `upstream_connect_failed`, ...).
    virtual Result<ProxyResponse> forward(const auth::Principal& caller,
                                          const ProxyRequest& request) = 0;
};

} // namespace switchboard::connectors
