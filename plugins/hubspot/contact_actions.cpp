// create_contact, update_contact, get_contact, list_contacts, find_contact_by_email.
#include "plugins/hubspot/actions.hpp"

#include "plugins/hubspot/exchange.hpp"
#include "plugins/hubspot/hubspot_error.hpp"
#include "plugins/hubspot/paging.hpp"
#include "plugins/hubspot/property_map.hpp"
#include "plugins/hubspot/requests.hpp"
#include "plugins/hubspot/search_request.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>

namespace switchboard::plugins::hubspot {

using nlohmann::json;

namespace {

// The contract's default page size (ListContactsParams.max_results).
constexpr std::int64_t default_page_size = 20;
// The contract's largest page, which is also the largest page of HubSpot's list endpoint.
constexpr std::int64_t max_page_size = 100;

// A contact id HubSpot can have: decimal digits. Anything else (an e-mail address, a name)
// would only reach HubSpot as a path it cannot resolve.
sdk::Checked<std::string> contact_id_param(sdk::Params& params) {
    auto id = params.string("contact_id", {.required = true, .min_length = 1});
    if (!params.ok()) return params.error();
    if (!is_record_id(*id)) {
        return sdk::Outcome::invalid_input(
            "invalid_contact_id", "contact_id must be a HubSpot record id (decimal digits)",
            "/contact_id");
    }
    return std::move(*id);
}

// One record of an answer as a Contact, or the unreadable-answer outcome.
sdk::Checked<json> contact_or_error(const json& record, std::string_view operation) {
    auto contact = contact_from_record(record);
    if (!contact) return unreadable_answer(operation);
    return std::move(*contact);
}

// {"contacts": [...], "next_page_token"?} from a list or search answer's results.
sdk::Checked<json> contact_page(const json& answer, const std::optional<std::string>& next,
                           std::string_view operation) {
    const auto results = answer.find("results");
    if (results == answer.end() || !results->is_array()) return unreadable_answer(operation);
    if (next && next->size() > max_page_token_length) return unreadable_answer(operation);
    json contacts = json::array();
    for (const json& record : *results) {
        auto contact = contact_or_error(record, operation);
        if (!contact.ok()) return contact.error();
        contacts.push_back(std::move(contact.value()));
    }
    json page = {{"contacts", std::move(contacts)}};
    if (next) page["next_page_token"] = *next;
    return page;
}

sdk::Outcome success(const json& result) {
    return sdk::Outcome::success(result.dump(-1, ' ', false, json::error_handler_t::replace));
}

} // namespace

sdk::Outcome create_contact(const sdk::Call& call, sdk::Params& params) {
    // HubSpot needs one of email/firstname/lastname; the contract requires the e-mail.
    params.string("email", {.required = true, .min_length = 1});
    if (!params.ok()) return params.error();
    auto properties = contact_properties_from_params(params);
    if (!properties.ok()) return properties.error();

    auto answer = exchange(call, create_contact_request(properties.value()), "contacts_create");
    if (!answer.ok()) return answer.error();
    auto contact = contact_or_error(answer.value(), "contacts_create");
    return contact.ok() ? success(contact.value()) : contact.error();
}

sdk::Outcome update_contact(const sdk::Call& call, sdk::Params& params) {
    auto id = contact_id_param(params);
    if (!id.ok()) return id.error();
    auto properties = contact_properties_from_params(params);
    if (!properties.ok()) return properties.error();
    if (properties.value().empty()) {
        return sdk::Outcome::invalid_input("nothing_to_update",
                                           "update_contact needs at least one field to change");
    }

    auto answer = exchange(call, update_contact_request(id.value(), properties.value()),
                           "contacts_update");
    if (!answer.ok()) return answer.error();
    auto contact = contact_or_error(answer.value(), "contacts_update");
    return contact.ok() ? success(contact.value()) : contact.error();
}

sdk::Outcome get_contact(const sdk::Call& call, sdk::Params& params) {
    auto id = contact_id_param(params);
    if (!id.ok()) return id.error();

    auto answer = exchange(call, get_contact_request(id.value()), "contacts_get");
    if (!answer.ok()) return answer.error();
    auto contact = contact_or_error(answer.value(), "contacts_get");
    return contact.ok() ? success(contact.value()) : contact.error();
}

sdk::Outcome list_contacts(const sdk::Call& call, sdk::Params& params) {
    const auto query = params.string("query");
    const auto limit = params.integer("max_results", {.min = 1, .max = max_page_size});
    const auto page_token = params.string("page_token", {.min_length = 1});
    if (!params.ok()) return params.error();
    const std::int64_t page_size = limit.value_or(default_page_size);

    if (!query || query->empty()) {
        // No search: the list endpoint, paged by its opaque cursor.
        auto answer = exchange(call, list_contacts_request(page_size, page_token),
                               "contacts_list");
        if (!answer.ok()) return answer.error();
        auto page = contact_page(answer.value(), next_page_after(answer.value()), "contacts_list");
        return page.ok() ? success(page.value()) : page.error();
    }

    // A search, sorted by record id so that offset paging (after) is stable between pages
    // and matches the list endpoint's order.
    SearchRequest search;
    search.query = *query;
    search.sorts = json::array({{{"propertyName", "hs_object_id"}, {"direction", "ASCENDING"}}});
    search.properties = contact_property_names();
    search.limit = page_size;
    search.after = page_token;
    auto body = search_body(search);
    if (!body.ok()) return body.error();
    auto answer = exchange(call, search_contacts_request(std::move(body.value())),
                           "contacts_search");
    if (!answer.ok()) return answer.error();
    auto page = contact_page(answer.value(), next_search_page(answer.value()), "contacts_search");
    return page.ok() ? success(page.value()) : page.error();
}

sdk::Outcome find_contact_by_email(const sdk::Call& call, sdk::Params& params) {
    const auto email = params.string("email", {.required = true, .min_length = 1});
    if (!params.ok()) return params.error();

    // HubSpot keeps e-mail addresses unique per contact, so one result is all there can be.
    SearchRequest search;
    search.filter_groups = json::array({{{"filters", json::array({{{"propertyName", "email"},
                                                                   {"operator", "EQ"},
                                                                   {"value", *email}}})}}});
    search.properties = contact_property_names();
    search.limit = 1;
    auto body = search_body(search);
    if (!body.ok()) return body.error();
    auto answer = exchange(call, search_contacts_request(std::move(body.value())),
                           "contacts_search");
    if (!answer.ok()) return answer.error();
    auto page = contact_page(answer.value(), std::nullopt, "contacts_search");
    if (!page.ok()) return page.error();
    const json& contacts = page.value().at("contacts");
    return success({{"contact", contacts.empty() ? json(nullptr) : contacts.front()}});
}

} // namespace switchboard::plugins::hubspot
