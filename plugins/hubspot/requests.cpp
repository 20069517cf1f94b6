#include "plugins/hubspot/requests.hpp"

#include "plugins/hubspot/property_map.hpp"

#include "switchboard/url.hpp"

#include <utility>

namespace switchboard::plugins::hubspot {

using nlohmann::json;

namespace {

std::string dump(const json& body) {
    // Params arrive as parsed JSON, so their strings are valid UTF-8; replace is the belt.
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

sdk::HttpRequest json_request(std::string method, std::string path, std::string body) {
    return {std::move(method), std::move(path), {{"Content-Type", "application/json"}},
            std::move(body)};
}

// "email,firstname,...": HubSpot's properties= takes a comma-separated list.
std::string mapped_contact_properties() {
    std::string out;
    for (const auto& name : contact_property_names()) {
        if (!out.empty()) out.push_back(',');
        out += name;
    }
    return out;
}

std::string contact_path(std::string_view contact_id) {
    return std::string(contacts_path) + "/" + sdk::percent_encode(contact_id);
}

} // namespace

bool is_record_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 20) return false;
    for (const char c : id) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

sdk::HttpRequest create_contact_request(const json& properties) {
    return json_request("POST", std::string(contacts_path), dump({{"properties", properties}}));
}

sdk::HttpRequest update_contact_request(std::string_view contact_id, const json& properties) {
    return json_request("PATCH", contact_path(contact_id), dump({{"properties", properties}}));
}

sdk::HttpRequest get_contact_request(std::string_view contact_id) {
    return {"GET",
            contact_path(contact_id) +
                sdk::Query().add("properties", mapped_contact_properties()).str(),
            {},
            {}};
}

sdk::HttpRequest list_deal_pipelines_request() {
    return {"GET", std::string(deal_pipelines_path), {}, {}};
}

sdk::HttpRequest list_contacts_request(std::int64_t limit, const std::optional<std::string>& after) {
    sdk::Query query;
    query.add("limit", std::to_string(limit));
    if (after) query.add("after", *after);
    query.add("properties", mapped_contact_properties());
    return {"GET", std::string(contacts_path) + query.str(), {}, {}};
}

sdk::HttpRequest search_contacts_request(std::string body) {
    return json_request("POST", std::string(contacts_search_path), std::move(body));
}

sdk::HttpRequest create_deal_request(const json& properties,
                                     const std::optional<std::string>& contact_id) {
    json body = {{"properties", properties}};
    if (contact_id) {
        body["associations"] = json::array(
            {{{"to", {{"id", *contact_id}}},
              {"types", json::array({{{"associationCategory", "HUBSPOT_DEFINED"},
                                      {"associationTypeId", deal_to_contact_type_id}}})}}});
    }
    return json_request("POST", std::string(deals_path), dump(body));
}

} // namespace switchboard::plugins::hubspot
