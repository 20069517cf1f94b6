// Reads "Bearer <credential>" (RFC 6750 section 2.1) out of an Authorization header value.
#pragma once

#include "core/common/error.hpp"

#include <string_view>

namespace switchboard::auth {

// The credential, a view into `authorization_header_value`. Errors (kind unauthenticated):
// missing_token (empty header, or "Bearer" with nothing after it), unsupported_auth_scheme
// (another scheme, e.g. Basic).
Result<std::string_view> bearer_credential(std::string_view authorization_header_value);

// Shorthand for the errors of this module: kind unauthenticated.
Error unauthenticated(std::string code, std::string message);

} // namespace switchboard::auth
