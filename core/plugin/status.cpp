#include "core/plugin/status.hpp"

namespace switchboard::plugin {

bool is_known_status(sb_status status) noexcept {
    return is_known_status(status, SB_ABI_VERSION_MINOR);
}

bool is_known_status(sb_status status, std::uint32_t minor) noexcept {
    // This host knows ABI 1.1; a newer plugin's newer codes are unknown here all the same.
    const sb_status last = minor >= 1 ? SB_STATUS_CONFLICT : SB_STATUS_INTERNAL;
    return status >= SB_STATUS_OK && status <= last;
}

std::string_view status_name(sb_status status) noexcept {
    switch (status) {
    case SB_STATUS_OK: return "ok";
    case SB_STATUS_INVALID_INPUT: return "invalid_input";
    case SB_STATUS_AUTH: return "auth";
    case SB_STATUS_NOT_FOUND: return "not_found";
    case SB_STATUS_RATE_LIMITED: return "rate_limited";
    case SB_STATUS_UNAVAILABLE: return "unavailable";
    case SB_STATUS_UNSUPPORTED: return "unsupported";
    case SB_STATUS_INTERNAL: return "internal";
    case SB_STATUS_CONFLICT: return "conflict";
    default: return "unknown";
    }
}

ErrorKind status_error_kind(sb_status status) noexcept {
    switch (status) {
    case SB_STATUS_INVALID_INPUT: return ErrorKind::invalid_input;
    case SB_STATUS_AUTH: return ErrorKind::unauthenticated;
    case SB_STATUS_NOT_FOUND: return ErrorKind::not_found;
    case SB_STATUS_RATE_LIMITED: return ErrorKind::rate_limited;
    case SB_STATUS_UNAVAILABLE: return ErrorKind::unavailable;
    case SB_STATUS_UNSUPPORTED: return ErrorKind::unsupported;
    case SB_STATUS_CONFLICT: return ErrorKind::conflict;
    default: return ErrorKind::internal;
    }
}

} // namespace switchboard::plugin
