// Reading the account out of a provider's identity answer (the OAuth identity endpoint, or an
// access token's identity URL): the value a descriptor's JSON Pointer names.
#pragma once

#include "core/common/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace switchboard::oauth {

// The value at `pointer` in `answer`: a string, or an integer written out. Never the access
// token itself (a provider echoing it must not make it an identity). Missing, empty or of
// another type: upstream_failed / `provider_error` naming `provider` and the pointer; a
// pointer that does not parse: internal / `invalid_provider_config`.
Result<std::string> identity_value(std::string_view provider, const nlohmann::json& answer,
                                   const std::string& pointer, std::string_view access_token);

} // namespace switchboard::oauth
