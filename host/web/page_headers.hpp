// The security headers of every answer of the integrations page (its HTML and its files):
// the page runs only its own scripts and styles, talks only to its own origin, cannot be
// framed, and leaks no URL (the return from a provider carries a one-time completion code)
// through a Referer.
#pragma once

#include "host/server/headers.hpp"
#include "host/server/http_types.hpp"

#include <string_view>

namespace switchboard::web {

// No inline script or style, no eval, nothing from another origin; connect-src 'self' is the
// REST API on the same host; frame-ancestors 'none' forbids framing (clickjacking), as does
// X-Frame-Options for older browsers.
inline constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types 'none'";

void set_page_headers(server::Headers& headers);

} // namespace switchboard::web
