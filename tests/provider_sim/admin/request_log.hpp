// What the simulator was asked, for tests: every provider request with the method it
// matched in the published description, whether it validated (and why not), and the
// status answered; plus counters of calls per method.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

struct RecordedRequest {
    std::uint64_t sequence = 0;
    std::string provider;    // "google" or "hubspot"
    std::string description; // "calendar_v3.json", ..., "hubspot_crm_v3.schema.json"; empty
                             // for endpoints no machine-readable description covers
                             // (Google's OAuth endpoints, checked by RFC 6749 rules)
    std::string method_id;   // "calendar.events.insert", "contacts_create"; empty if no
                             // method of the description matched
    std::string verb;        // "POST"
    std::string path;        // "/www.googleapis.com/calendar/v3/calendars/primary/events"
    std::string query;       // decoded "name=value&..." with secrets redacted
    std::string body;        // secrets redacted; media bytes and oversized bodies elided
    std::vector<std::string> errors; // validation failures; empty when valid
    unsigned status = 0;             // what the simulator answered

    bool valid() const { return errors.empty(); }
};

nlohmann::json to_json(const RecordedRequest& r);

class RequestLog {
public:
    // [thread-safe] Every member function.
    void add(RecordedRequest request);
    std::vector<RecordedRequest> all() const;
    // The requests that did not validate.
    std::vector<RecordedRequest> failures() const;
    // Calls per method id (or "VERB /path" when no method matched), since the last clear.
    std::map<std::string, std::uint64_t> counters() const;
    std::uint64_t count(std::string_view method_id) const;
    void clear();

private:
    mutable std::mutex mutex_;
    std::uint64_t next_sequence_ = 1;
    std::vector<RecordedRequest> requests_;
    std::map<std::string, std::uint64_t, std::less<>> counters_;
};

} // namespace switchboard::sim
