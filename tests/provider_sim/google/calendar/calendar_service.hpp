// Google Calendar v3: events insert (with Meet conferences), get, update, patch, delete and
// list (timeMin/timeMax, q, paging), and freeBusy. One primary calendar per account, whose
// id is the account's e-mail ("primary" names it too), in UTC.
#pragma once

#include "tests/provider_sim/google/google_api.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace switchboard::sim {

class CalendarService {
public:
    explicit CalendarService(SimState& state) : state_(state) {}
    void register_with(GoogleApi& api);
    // [thread-safe]
    void clear();

private:
    struct Calendar {
        std::map<std::string, nlohmann::json> events; // by id, cancelled ones included
        std::vector<std::string> order;               // creation order
        std::set<std::string> conference_request_ids;
    };

    // The caller's calendar if `calendarId` names it ("primary" or the e-mail); else null.
    Calendar* own_calendar(const GoogleCall& call);
    // Applies conferenceData as conferenceDataVersion says; may answer an error.
    std::optional<Response> apply_conference(const GoogleCall& call, Calendar& calendar,
                                             nlohmann::json& event);
    // Checks start/end order; stamps updated/etag.
    std::optional<Response> finish(nlohmann::json& event);

    Response insert(const GoogleCall& call);
    Response get(const GoogleCall& call);
    Response update(const GoogleCall& call, bool patch);
    Response remove(const GoogleCall& call);
    Response list(const GoogleCall& call);
    Response freebusy(const GoogleCall& call);

    SimState& state_;
    std::mutex mutex_;
    std::map<std::string, Calendar> calendars_; // by account e-mail
};

} // namespace switchboard::sim
