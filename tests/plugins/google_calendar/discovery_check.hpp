// Checks a request a plugin sent against Google's discovery document of the API
// (tests/specs/google/calendar_v3.json, read in place): the HTTP method and path template of the
// named method, every query parameter (known to the method or global, right type, enum,
// minimum/maximum, format date-time, not repeated unless "repeated"), the required ones, and
// the JSON body against the method's request schema (known properties, right types,
// recursively through $ref, items and additionalProperties).
//
// JSON null is accepted for a body member only for "*.patch" methods: Google's patch
// semantics delete a member set to null, which the discovery format cannot express.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::google_calendar::testing {

class DiscoveryDocument {
public:
    // Reads tests/specs/google/calendar_v3.json; throws naming the path when missing.
    static const DiscoveryDocument& calendar_v3();

    explicit DiscoveryDocument(nlohmann::json document);

    // Every way the request fails `method_id` (e.g. "calendar.events.insert"); empty when it
    // conforms. `path` is relative to the API's root URL, query included.
    std::vector<std::string> check(std::string_view method_id, std::string_view http_method,
                                   std::string_view path, std::string_view body) const;

private:
    void check_value(const nlohmann::json& schema, const nlohmann::json& value,
                     const std::string& where, bool patch, std::vector<std::string>& out) const;

    nlohmann::json doc_;
};

} // namespace switchboard::plugins::google_calendar::testing
