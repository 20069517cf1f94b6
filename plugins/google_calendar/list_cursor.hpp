// The page token list_events hands its caller (next_page_token) and reads back.
//
// The contract pages by event count (max_results), the Calendar API by its own pages, whose
// size the plugin chooses (maxResults) and whose boundaries it does not control: Google may
// return fewer events than asked, or none, and still have more. So list_events can stop in
// the middle of a provider page, and Google's nextPageToken alone cannot say where. The
// token therefore names a position in the provider's sequence:
//
//   gc1.<page size>.<skip>.<query fingerprint>.<provider page token>
//
// "Fetch the provider page <provider page token> (empty: the first page) with
// maxResults=<page size>, and drop its first <skip> events." The page size is fixed for the
// whole walk through one listing (Google's pages are only reproducible with the same
// maxResults; AIP-158 asks callers to keep every other argument of the first call). The
// fingerprint (64-bit FNV-1a of calendar_id, time_min, time_max and query) makes a token
// presented with another query a clear invalid-input error instead of a silently wrong page.
// The version prefix lets a later format refuse this one cleanly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::google_calendar {

struct ListCursor {
    std::string provider_page_token; // "" for the first provider page
    std::size_t skip = 0;            // events of that page already returned to the caller
    int page_size = 0;               // the maxResults of every request of this listing (1..2500)
};

// The longest page token the contract accepts back (ListEventsParams.page_token).
inline constexpr std::size_t max_page_token_length = 4096;

// The fingerprint of one listing's arguments.
std::uint64_t list_query_fingerprint(std::string_view calendar_id, std::string_view time_min,
                                     std::string_view time_max, std::string_view query);

std::string encode_list_cursor(const ListCursor& cursor, std::uint64_t fingerprint);

// Why a presented token cannot be used.
enum class CursorProblem { malformed, other_query };

struct DecodedCursor {
    std::optional<ListCursor> cursor;
    CursorProblem problem = CursorProblem::malformed; // when !cursor
};

DecodedCursor decode_list_cursor(std::string_view token, std::uint64_t fingerprint);

} // namespace switchboard::plugins::google_calendar
