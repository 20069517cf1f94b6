// The requestId of a conferenceData.createRequest. Google ignores a create request whose id
// it has seen before for the event, and several hosts may create conferences at the same
// moment, so the id is 122 random bits from the operating system's generator
// (std::random_device, which reads getrandom/urandom or the CPU's RDRAND on Linux), written
// as an RFC 9562 version-4 UUID. The host clock or a counter would repeat across instances.
#pragma once

#include <string>

namespace switchboard::plugins::google_calendar {

// A new random UUID, e.g. "3b241101-e2bb-4255-8caf-4136c566a962". [thread-safe]
std::string new_conference_request_id();

} // namespace switchboard::plugins::google_calendar
