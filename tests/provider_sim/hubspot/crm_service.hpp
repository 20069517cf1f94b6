// HubSpot CRM v3 contacts (create, get, update, list, archive, search), deals (create with
// associations to contacts, get, update) and companies (create, list), per HubSpot account
// (hub), in memory.
// Contacts are unique by e-mail (409 CONFLICT, as HubSpot answers).
#pragma once

#include "tests/provider_sim/hubspot/crm_search.hpp"
#include "tests/provider_sim/hubspot/hubspot_api.hpp"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace switchboard::sim {

class CrmService {
public:
    explicit CrmService(SimState& state) : state_(state) {}
    void register_with(HubSpotApi& api);
    void clear();

    struct Record {
        std::string id;
        CrmValues properties;
        std::map<std::string, std::vector<std::pair<std::string, TimePoint>>> history;
        TimePoint created;
        TimePoint updated;
        bool archived = false;
        TimePoint archived_at;
        std::map<std::string, std::set<std::string>> associations; // object type -> ids
    };

    // [thread-safe] For tests: the records of one object type ("contacts", "deals") of `hub`.
    std::vector<Record> records(std::int64_t hub, const std::string& object) const;

private:
    struct Portal {
        std::map<std::string, std::map<std::uint64_t, Record>> objects; // type -> id -> record
        std::uint64_t next_id = 101;
    };

    Response create(const HubSpotCall& call, const std::string& object);
    Response get(const HubSpotCall& call, const std::string& object);
    Response update(const HubSpotCall& call, const std::string& object);
    Response list(const HubSpotCall& call, const std::string& object);
    Response archive(const HubSpotCall& call, const std::string& object);
    Response search(const HubSpotCall& call, const std::string& object);

    // The record `id` names (or, with ?idProperty=email, the e-mail); null if none.
    Record* find(Portal& portal, const HubSpotCall& call, const std::string& object, const std::string& id,
                 bool archived);
    // Checks and writes `properties` (a JSON object of strings); an error response if any is bad.
    std::optional<Response> write_properties(Portal& portal, Record& record, const std::string& object,
                                             const nlohmann::json& properties);

    SimState& state_;
    mutable std::mutex mutex_;
    std::map<std::int64_t, Portal> portals_;
};

} // namespace switchboard::sim
