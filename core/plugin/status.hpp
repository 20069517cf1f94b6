// Names of sb_status values and their mapping to the host's error kinds.
#pragma once

#include "core/common/error.hpp"

#include <switchboard/plugin.h>

#include <string_view>

namespace switchboard {

// True for the statuses ABI 1.0 defines (SB_STATUS_OK .. SB_STATUS_INTERNAL).
bool is_known_status(sb_status status) noexcept;

// "ok", "invalid_input", ..., "internal"; "unknown" for any other value.
std::string_view status_name(sb_status status) noexcept;

// The error kind the API edge reports for a plugin's non-OK status.
ErrorKind status_error_kind(sb_status status) noexcept;

} // namespace switchboard
