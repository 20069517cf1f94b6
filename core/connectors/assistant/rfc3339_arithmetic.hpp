// Adding minutes to an RFC 3339 date-time while keeping its offset, so that a meeting booked
// as "15:00 +02:00" for 30 minutes ends at "15:30 +02:00" in the caller's own terms.
#pragma once

#include "core/common/error.hpp"

#include <string>
#include <string_view>

namespace switchboard::connectors::assistant {

// `date_time` is RFC 3339 (YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)). The answer has the same
// offset, no fraction, and seconds. Errors: invalid_input `invalid_params` (field `field`).
Result<std::string> add_minutes(std::string_view date_time, long minutes, std::string_view field);

} // namespace switchboard::connectors::assistant
