// Names of sb_status values and their mapping to the host's error kinds.
#pragma once

#include "core/common/error.hpp"

#include <switchboard/plugin.h>

#include <cstdint>
#include <string_view>

namespace switchboard::plugin {

// True for the statuses this host's ABI defines (SB_STATUS_OK .. SB_STATUS_CONFLICT).
bool is_known_status(sb_status status) noexcept;

// True for the statuses ABI 1.`minor` defines: a plugin may return only those of
// min(its minor, the host's minor) (plugin.h, "Compatibility": the lower version wins), so
// SB_STATUS_CONFLICT from a plugin built for 1.0 is a contract violation.
bool is_known_status(sb_status status, std::uint32_t minor) noexcept;

// "ok", "invalid_input", ..., "internal", "conflict"; "unknown" for any other value.
std::string_view status_name(sb_status status) noexcept;

// The error kind the API edge reports for a plugin's non-OK status.
ErrorKind status_error_kind(sb_status status) noexcept;

} // namespace switchboard::plugin
