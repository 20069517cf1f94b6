// Dates in mail: writing the Date header (RFC 5322 §3.3) and reading it back as RFC 3339.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::gmail::mime {

// "Sat, 01 Jun 2024 12:00:00 +0000" for `unix_ms` (UTC).
std::string rfc5322_date(std::int64_t unix_ms);

// "2024-06-01T12:00:00Z" for `unix_ms` (UTC, whole seconds).
std::string rfc3339_utc(std::int64_t unix_ms);

// A Date header value as RFC 3339 with its own offset ("2024-06-01T14:00:00+02:00"), or
// nullopt when it is not a date. Accepts RFC 5322 §3.3 and its obsolete forms (§4.3): an
// optional day name, 2- and 3-digit years, seconds left out, the zones UT, GMT, Z and the US
// ones (EST ... PDT), comments such as "(UTC)", and a missing zone or a military letter zone,
// read as -0000 ("no zone information", §3.3).
std::optional<std::string> rfc5322_to_rfc3339(std::string_view value);

} // namespace switchboard::plugins::gmail::mime
