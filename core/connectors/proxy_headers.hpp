// Which header fields cross the credentialed proxy. Towards the provider: the caller's, less
// the hop-by-hop fields (RFC 9110 section 7.6.1: Connection and the fields it names,
// Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-*), the framing the HTTP client
// sets (Host, Content-Length, Expect), every credential (Authorization, Cookie, API keys: the
// host adds the connector's own) and what only concerns the caller's hop to the host (Origin,
// Referer, Forwarded, X-Forwarded-*, X-Request-Id). Towards the caller: the provider's, less
// the hop-by-hop and framing fields, every credential or cookie (Set-Cookie,
// WWW-Authenticate...), and the policies a provider sets for its own origin that must not
// land on the host's (Alt-Svc, Strict-Transport-Security, Clear-Site-Data,
// Access-Control-*); a Location into an allowed part of the provider's API is rewritten to
// go through the proxy (so a resumable upload's next request goes through it too).
#pragma once

#include "core/http/http_message.hpp"

#include <string_view>
#include <vector>

namespace switchboard::connectors {

// The caller's fields that go to the provider (names as given): never a credential, hop-by-hop
// or forwarding field, nor one of `credential_headers` (the provider's own, from its policy;
// lower case).
http::HttpHeaders headers_to_provider(const http::HttpHeaders& caller_headers,
                                      const std::vector<std::string>& credential_headers = {});

// The provider's fields that go back to the caller (names lower-case, as the client gives
// them). A `location` at or under `api_base_url` whose URL falls under one of
// `allowed_base_urls` becomes `mount_path` + its rest, e.g.
// "/api/v1/connectors/<id>/proxy/upload/drive/v3/files?upload_id=...".
http::HttpHeaders headers_to_caller(const http::HttpHeaders& provider_headers,
                                    std::string_view api_base_url,
                                    const std::vector<std::string>& allowed_base_urls,
                                    std::string_view mount_path);

} // namespace switchboard::connectors
