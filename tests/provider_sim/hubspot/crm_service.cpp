#include "tests/provider_sim/hubspot/crm_service.hpp"

#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/common/text.hpp"
#include "tests/provider_sim/hubspot/crm_properties.hpp"
#include "tests/provider_sim/hubspot/hubspot_errors.hpp"

#include <algorithm>
#include <charconv>

namespace switchboard::sim {
namespace {

using nlohmann::json;

// "contacts" -> "contact", for association labels ("contact_to_deal").
std::string singular(const std::string& object) { return object.substr(0, object.size() - 1); }

Response crm_not_found() { return hubspot_error(404, "resource not found", "OBJECT_NOT_FOUND"); }

std::vector<std::string> csv(const HubSpotCall& call, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [key, value] : call.request.query) {
        if (key != name) {
            continue;
        }
        std::size_t start = 0;
        while (start <= value.size()) {
            const auto comma = value.find(',', start);
            const std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!item.empty()) {
                out.push_back(item);
            }
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
    }
    return out;
}

std::optional<std::uint64_t> parse_id(const std::string& text) {
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return id;
}

// A record as HubSpot returns it; `properties` empty: every property it has.
json record_json(const CrmService::Record& r, const std::string& object, const std::vector<std::string>& properties,
                 const std::vector<std::string>& with_history, const std::vector<std::string>& associations) {
    json props = json::object();
    if (properties.empty()) {
        for (const auto& [name, value] : r.properties) {
            props[name] = value ? json(*value) : json(nullptr);
        }
    } else {
        // Asked-for properties, plus the ones HubSpot always includes.
        std::vector<std::string> names = properties;
        for (const auto* always : {"createdate", "hs_object_id"}) {
            names.emplace_back(always);
        }
        names.emplace_back(crm_modified_property(object));
        for (const auto& name : names) {
            const auto it = r.properties.find(name);
            props[name] = it != r.properties.end() && it->second ? json(*it->second) : json(nullptr);
        }
    }
    json out{{"id", r.id},
             {"properties", props},
             {"createdAt", format_rfc3339(r.created)},
             {"updatedAt", format_rfc3339(r.updated)},
             {"archived", r.archived}};
    if (r.archived) {
        out["archivedAt"] = format_rfc3339(r.archived_at);
    }
    if (!with_history.empty()) {
        json history = json::object();
        for (const auto& name : with_history) {
            json entries = json::array();
            if (const auto it = r.history.find(name); it != r.history.end()) {
                for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
                    entries.push_back({{"value", e->first}, {"timestamp", format_rfc3339(e->second)},
                                       {"sourceType", "API"}});
                }
            }
            history[name] = entries;
        }
        out["propertiesWithHistory"] = history;
    }
    json assoc = json::object();
    for (const auto& type : associations) {
        const auto it = r.associations.find(type);
        if (it == r.associations.end() || it->second.empty()) {
            continue;
        }
        json results = json::array();
        for (const auto& id : it->second) {
            results.push_back({{"id", id}, {"type", singular(object) + "_to_" + singular(type)}});
        }
        assoc[type] = {{"results", results}};
    }
    if (!assoc.empty()) {
        out["associations"] = assoc;
    }
    return out;
}

} // namespace

void CrmService::register_with(HubSpotApi& api) {
    api.add("contacts_create", [this](const HubSpotCall& c) { return create(c, "contacts"); });
    api.add("contacts_get", [this](const HubSpotCall& c) { return get(c, "contacts"); });
    api.add("contacts_update", [this](const HubSpotCall& c) { return update(c, "contacts"); });
    api.add("contacts_list", [this](const HubSpotCall& c) { return list(c, "contacts"); });
    api.add("contacts_archive", [this](const HubSpotCall& c) { return archive(c, "contacts"); });
    api.add("contacts_search", [this](const HubSpotCall& c) { return search(c, "contacts"); });
    api.add("deals_create", [this](const HubSpotCall& c) { return create(c, "deals"); });
    api.add("deals_get", [this](const HubSpotCall& c) { return get(c, "deals"); });
    api.add("deals_update", [this](const HubSpotCall& c) { return update(c, "deals"); });
    api.add("companies_create", [this](const HubSpotCall& c) { return create(c, "companies"); });
    api.add("companies_list", [this](const HubSpotCall& c) { return list(c, "companies"); });
}

void CrmService::clear() {
    std::lock_guard lock(mutex_);
    portals_.clear();
}

std::vector<CrmService::Record> CrmService::records(std::int64_t hub, const std::string& object) const {
    std::lock_guard lock(mutex_);
    std::vector<Record> out;
    if (const auto p = portals_.find(hub); p != portals_.end()) {
        if (const auto o = p->second.objects.find(object); o != p->second.objects.end()) {
            for (const auto& [id, r] : o->second) {
                out.push_back(r);
            }
        }
    }
    return out;
}

CrmService::Record* CrmService::find(Portal& portal, const HubSpotCall& call, const std::string& object,
                                     const std::string& id, bool archived) {
    auto& records = portal.objects[object];
    const std::string id_property = call.param("idProperty").value_or("hs_object_id");
    for (auto& [key, r] : records) {
        const auto it = r.properties.find(id_property);
        const bool hit = id_property == "hs_object_id"
                             ? r.id == id
                             : it != r.properties.end() && it->second && lower(*it->second) == lower(id);
        if (hit && r.archived == archived) {
            return &r;
        }
    }
    return nullptr;
}

std::optional<Response> CrmService::write_properties(Portal& portal, Record& record, const std::string& object,
                                                     const json& properties) {
    json errors = json::array();
    for (const auto& [name, value] : properties.items()) {
        if (auto error = crm_property_error(object, name, value.get<std::string>())) {
            errors.push_back(*error);
        }
    }
    if (!errors.empty()) {
        std::string summary;
        for (const auto& e : errors) {
            summary += (summary.empty() ? "" : ", ") + e.at("message").get<std::string>();
        }
        return hubspot_error(400, "Property values were not valid: " + summary, "VALIDATION_ERROR",
                             {{"errors", errors}});
    }
    if (object == "contacts" && properties.contains("email") && !properties.at("email").get<std::string>().empty()) {
        const std::string email = lower(properties.at("email").get<std::string>());
        for (const auto& [id, other] : portal.objects[object]) {
            const auto it = other.properties.find("email");
            if (other.id != record.id && !other.archived && it != other.properties.end() && it->second &&
                *it->second == email) {
                return hubspot_error(409, "Contact already exists. Existing ID: " + other.id, "CONFLICT");
            }
        }
    }
    const TimePoint now = state_.clock.now();
    for (const auto& [name, value] : properties.items()) {
        std::string v = value.get<std::string>();
        if (name == "email") {
            v = lower(v);
        }
        record.properties[name] = v.empty() ? std::nullopt : std::optional<std::string>(v);
        record.history[name].emplace_back(v, now);
    }
    record.updated = now;
    record.properties[std::string(crm_modified_property(object))] = format_rfc3339(now);
    return std::nullopt;
}

Response CrmService::create(const HubSpotCall& call, const std::string& object) {
    std::lock_guard lock(mutex_);
    Portal& portal = portals_[call.caller.hub_id];
    Record record;
    record.id = std::to_string(portal.next_id);
    record.created = state_.clock.now();
    if (auto error = write_properties(portal, record, object, call.body.at("properties"))) {
        return *error;
    }
    // Associations: HubSpot-defined types between simulated objects (deal_to_contact, ...).
    const json& type_ids = state_.hubspot().association_type_ids();
    std::vector<std::pair<std::string, std::string>> links; // (object type, id)
    for (const auto& a : call.body.value("associations", json::array())) {
        const json& to = a.at("to").at("id");
        const std::string target_id = to.is_string() ? to.get<std::string>() : std::to_string(to.get<long long>());
        for (const auto& type : a.at("types")) {
            const long long type_id = type.at("associationTypeId").get<long long>();
            std::string target;
            for (const auto& [label, value] : type_ids.items()) {
                if (value.is_number_integer() && value.get<long long>() == type_id &&
                    label.rfind(singular(object) + "_to_", 0) == 0) {
                    target = label.substr(singular(object).size() + 4);
                }
            }
            if (type.at("associationCategory") != "HUBSPOT_DEFINED" || (target != "contact" && target != "deal")) {
                return hubspot_error(501,
                                     "provider-sim simulates only HUBSPOT_DEFINED associations between contacts "
                                     "and deals, not association type " + std::to_string(type_id) + " from " + object,
                                     "UNSUPPORTED");
            }
            const std::string target_type = target + "s";
            const auto id = parse_id(target_id);
            const auto& targets = portal.objects[target_type];
            const auto it = id ? targets.find(*id) : targets.end();
            if (it == targets.end() || it->second.archived) {
                return hubspot_error(400, "One or more associations are invalid: no " + target + " with id " +
                                              target_id,
                                     "VALIDATION_ERROR");
            }
            links.emplace_back(target_type, target_id);
        }
    }
    record.properties["createdate"] = format_rfc3339(record.created);
    record.properties["hs_object_id"] = record.id;
    if (object == "deals" && !record.properties.contains("pipeline")) {
        record.properties["pipeline"] = "default";
    }
    for (const auto& [type, id] : links) {
        record.associations[type].insert(id);
        portal.objects[type].at(*parse_id(id)).associations[object].insert(record.id);
    }
    portal.objects[object][portal.next_id++] = record;
    return Response::json(201, record_json(record, object, {}, {}, {}).dump());
}

Response CrmService::get(const HubSpotCall& call, const std::string& object) {
    std::lock_guard lock(mutex_);
    Portal& portal = portals_[call.caller.hub_id];
    const bool archived = call.param("archived") == std::optional<std::string>("true");
    const std::string id = call.path(object == "deals" ? "dealId" : "contactId");
    const Record* record = find(portal, call, object, id, archived);
    if (!record) {
        return crm_not_found();
    }
    std::vector<std::string> properties = csv(call, "properties");
    if (properties.empty()) {
        properties = crm_default_properties(object);
    }
    return Response::json(200, record_json(*record, object, properties, csv(call, "propertiesWithHistory"),
                                           csv(call, "associations"))
                                   .dump());
}

Response CrmService::update(const HubSpotCall& call, const std::string& object) {
    std::lock_guard lock(mutex_);
    Portal& portal = portals_[call.caller.hub_id];
    const std::string id = call.path(object == "deals" ? "dealId" : "contactId");
    Record* record = find(portal, call, object, id, false);
    if (!record) {
        return crm_not_found();
    }
    Record updated = *record;
    if (auto error = write_properties(portal, updated, object, call.body.at("properties"))) {
        return *error;
    }
    *record = updated;
    return Response::json(200, record_json(*record, object, {}, {}, {}).dump());
}

Response CrmService::list(const HubSpotCall& call, const std::string& object) {
    const std::size_t limit = std::stoul(call.param("limit").value_or("10"));
    std::uint64_t after = 0;
    if (const auto a = call.param("after")) {
        const auto parsed = parse_id(*a);
        if (!parsed) {
            return hubspot_error(400, "Invalid input: 'after' must be a cursor from paging.next.after",
                                 "VALIDATION_ERROR");
        }
        after = *parsed;
    }
    const bool archived = call.param("archived") == std::optional<std::string>("true");
    std::vector<std::string> properties = csv(call, "properties");
    if (properties.empty()) {
        properties = crm_default_properties(object);
    }
    std::lock_guard lock(mutex_);
    auto& records = portals_[call.caller.hub_id].objects[object];
    json results = json::array();
    std::optional<std::uint64_t> next;
    for (auto it = records.lower_bound(after); it != records.end(); ++it) {
        if (it->second.archived != archived) {
            continue;
        }
        if (results.size() == limit) {
            next = it->first;
            break;
        }
        results.push_back(record_json(it->second, object, properties, csv(call, "propertiesWithHistory"),
                                      csv(call, "associations")));
    }
    json body{{"results", results}};
    if (next) {
        body["paging"] = {{"next",
                           {{"after", std::to_string(*next)},
                            {"link", call.base_url + "/api.hubapi.com/crm/v3/objects/" + object +
                                         "?after=" + std::to_string(*next)}}}};
    }
    return Response::json(200, body.dump());
}

Response CrmService::archive(const HubSpotCall& call, const std::string& object) {
    std::lock_guard lock(mutex_);
    Portal& portal = portals_[call.caller.hub_id];
    if (Record* record = find(portal, call, object, call.path("contactId"), false)) {
        record->archived = true;
        record->archived_at = state_.clock.now();
    }
    return Response::empty(204); // also for an unknown id (the description's note)
}

Response CrmService::search(const HubSpotCall& call, const std::string& object) {
    const json& request = call.body;
    const std::size_t limit = request.value("limit", 10u);
    std::size_t offset = 0;
    if (request.contains("after")) {
        const json& a = request.at("after");
        offset = a.is_string() ? parse_id(a.get<std::string>()).value_or(0) : a.get<std::size_t>();
    }
    std::vector<std::string> properties = request.value("properties", std::vector<std::string>{});
    if (properties.empty()) {
        properties = crm_default_properties(object);
    }
    std::lock_guard lock(mutex_);
    std::vector<const Record*> hits;
    for (const auto& [id, r] : portals_[call.caller.hub_id].objects[object]) {
        if (!r.archived && crm_search_matches(request, object, r.properties)) {
            hits.push_back(&r);
        }
    }
    if (crm_search_has_sort(request)) {
        std::stable_sort(hits.begin(), hits.end(), [&](const Record* a, const Record* b) {
            return crm_search_before(request, a->properties, b->properties);
        });
    }
    json results = json::array();
    for (std::size_t i = offset; i < hits.size() && i < offset + limit; ++i) {
        results.push_back(record_json(*hits[i], object, properties, {}, {}));
    }
    json body{{"total", hits.size()}, {"results", results}};
    if (offset + limit < hits.size()) {
        body["paging"] = {{"next", {{"after", std::to_string(offset + limit)}}}};
    }
    return Response::json(200, body.dump());
}

} // namespace switchboard::sim
