// Where a proxied request goes: the caller's path (the rest of
// /api/v1/connectors/{id}/proxy/{path...}) and query resolved against the provider's API base
// URL, refused unless the result lies under one of the provider's allowed base URLs. A path
// that could climb out of the base (".." or "." segments, also percent-encoded, empty
// segments such as "//evil.com", backslashes, encoded slashes, control characters) or name
// another origin (a scheme, an absolute URL) is refused before any URL is built, and the
// built URL is parsed and checked again, so neither a slip here nor a surprise in a URL
// library can send credentials elsewhere.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <string>
#include <string_view>

namespace switchboard::connectors {

// The provider URL for `path` (percent-encoded, without a leading '/') and `query` (the raw
// query, without '?'; may be empty). Errors: invalid_input / `invalid_proxy_path` (field
// "path") or `invalid_proxy_query` (field "query"); forbidden / `proxy_target_not_allowed`
// when the URL falls under none of the allowed base URLs.
Result<std::string> proxy_target(const plugin::ProviderDescriptor& provider, std::string_view path,
                                 std::string_view query);

// Whether `url` is at or under `base`, segment by segment, with the same scheme, host and
// port (the query of `url` is not part of the comparison).
bool url_is_under(std::string_view url, std::string_view base);

} // namespace switchboard::connectors
