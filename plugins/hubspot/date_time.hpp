// Timestamps between the contract and HubSpot. The contract speaks RFC 3339 with an offset;
// HubSpot stores datetime properties as UTC instants and documents ISO 8601 UTC strings with
// milliseconds ("2024-06-30T00:00:00.000Z") or epoch-millisecond strings for them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::hubspot {

// Milliseconds since the Unix epoch of an RFC 3339 date-time ("2024-06-30T09:00:00+02:00",
// "2024-06-30T07:00:00.5Z"), or nullopt when `text` is not one (wrong shape, a day that
// does not exist, an offset beyond ±23:59). Fractions beyond milliseconds are truncated.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

// "YYYY-MM-DDTHH:MM:SS.mmmZ" for a Unix time in milliseconds; nullopt outside years 0..9999.
std::optional<std::string> format_utc_ms(std::int64_t unix_ms);

// The contract's date-time as HubSpot's UTC form, or nullopt when it is not RFC 3339.
std::optional<std::string> to_hubspot_datetime(std::string_view rfc3339);

// A HubSpot datetime value as a contract date-time: an RFC 3339 value is kept as HubSpot
// wrote it (written anew in UTC, to the millisecond, when it is longer than the contract's 64
// characters), an epoch-milliseconds string becomes UTC; anything else is nullopt.
std::optional<std::string> to_contract_datetime(std::string_view hubspot_value);

} // namespace switchboard::plugins::hubspot
