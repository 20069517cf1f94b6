// The optional Idempotency-Key header of the action routes (REST and the assistant's tools):
// 1 to 255 visible ASCII characters, else 400 invalid_idempotency_key.
#pragma once

#include "core/common/error.hpp"
#include "host/server/request.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::api {

inline constexpr std::string_view idempotency_key_header = "Idempotency-Key";

// The header's value, none when it is absent.
Result<std::optional<std::string>> idempotency_key(const server::Request& request);

} // namespace switchboard::api
