#include "calendar_connector.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace sdk = switchboard::sdk;
using nlohmann::json;

namespace example_calendar {
namespace {

// --- mapping between the contract's shapes and the API's ----------------------------------

json time_from_contract(const json& t) {
    if (t.contains("date")) return {{"day", t.at("date")}};
    json out = {{"at", t.at("date_time")}};
    if (t.contains("time_zone")) out["tz"] = t.at("time_zone");
    return out;
}

json time_to_contract(const json& t) {
    if (t.contains("day")) return {{"date", t.at("day")}};
    json out = {{"date_time", t.at("at")}};
    if (t.contains("tz")) out["time_zone"] = t.at("tz");
    return out;
}

std::string rsvp_to_contract(const std::string& rsvp) {
    if (rsvp == "yes") return "accepted";
    if (rsvp == "no") return "declined";
    if (rsvp == "maybe") return "tentative";
    return "needs_action";
}

// Copies `from[api_name]` to `to[contract_name]` when present.
void copy_if_present(const json& from, const char* api_name, json& to, const char* contract_name) {
    if (from.contains(api_name)) to[contract_name] = from.at(api_name);
}

json event_to_contract(const json& e, const std::string& calendar_id) {
    json out = {{"id", e.at("id")},
                {"calendar_id", calendar_id},
                {"start", time_to_contract(e.at("start"))},
                {"end", time_to_contract(e.at("end"))},
                {"status", e.value("status", "confirmed")}};
    copy_if_present(e, "title", out, "summary");
    copy_if_present(e, "notes", out, "description");
    copy_if_present(e, "place", out, "location");
    copy_if_present(e, "link", out, "html_link");
    copy_if_present(e, "video_link", out, "video_conference_link");
    copy_if_present(e, "created_at", out, "created");
    copy_if_present(e, "updated_at", out, "updated");
    if (e.contains("guests")) {
        json& attendees = out["attendees"] = json::array();
        for (const json& g : e.at("guests")) {
            json a = {{"email", g.at("email")},
                      {"optional", g.value("optional", false)},
                      {"response_status", rsvp_to_contract(g.value("rsvp", "pending"))}};
            copy_if_present(g, "name", a, "name");
            attendees.push_back(std::move(a));
        }
    }
    return out;
}

std::string events_path(const json& params) {
    return "/v1/calendars/" + sdk::percent_encode(params.value("calendar_id", "primary")) +
           "/events";
}

// A provider answer this plugin cannot read: the provider misbehaved, so retrying may help.
sdk::Outcome unreadable_response() {
    return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "invalid_provider_response",
                               "the calendar service's answer could not be read");
}

// --- actions -------------------------------------------------------------------------------

sdk::Outcome list_events(sdk::Call& call, const json& params) {
    sdk::Query query;
    query.add("from", params.at("time_min").get<std::string>());
    query.add("to", params.at("time_max").get<std::string>());
    if (params.contains("query")) query.add("q", params.at("query").get<std::string>());
    // The API pages up to 2500 items, the contract's max_results limit: one request suffices,
    // and its cursor is the contract's page token.
    query.add("limit", std::to_string(params.value("max_results", 250)));
    if (params.contains("page_token")) {
        query.add("cursor", params.at("page_token").get<std::string>());
    }

    const sdk::HttpResponse response = call.get(events_path(params) + query.str());
    if (!response.ok()) return sdk::error_from_response(response); // 401, 404, 429, 5xx, ...

    try {
        const json page = json::parse(response.body);
        const std::string calendar_id = params.value("calendar_id", "primary");
        json events = json::array();
        for (const json& item : page.at("items")) {
            events.push_back(event_to_contract(item, calendar_id));
        }
        json result = {{"events", std::move(events)}};
        if (page.contains("next_cursor") && page.at("next_cursor").is_string() &&
            !page.at("next_cursor").get<std::string>().empty()) {
            result["next_page_token"] = page.at("next_cursor");
        }
        return sdk::Outcome::success(result.dump());
    } catch (const json::exception&) {
        return unreadable_response();
    }
}

sdk::Outcome create_event(sdk::Call& call, const json& params) {
    json body = {{"title", params.at("summary").get<std::string>()},
                 {"start", time_from_contract(params.at("start"))},
                 {"end", time_from_contract(params.at("end"))}};
    copy_if_present(params, "description", body, "notes");
    copy_if_present(params, "location", body, "place");
    copy_if_present(params, "video_conference", body, "video_call");
    if (params.contains("attendees")) {
        json& guests = body["guests"] = json::array();
        for (const json& a : params.at("attendees")) {
            json g = {{"email", a.at("email")}, {"optional", a.value("optional", false)}};
            copy_if_present(a, "name", g, "name");
            guests.push_back(std::move(g));
        }
    }
    if (params.contains("send_updates")) {
        const std::string who = params.at("send_updates");
        body["notify"] = who == "external_only" ? "external" : who;
    }

    const sdk::HttpResponse response = call.send_json("POST", events_path(params), body.dump());
    if (!response.ok()) return sdk::error_from_response(response);

    try {
        const json event = json::parse(response.body);
        return sdk::Outcome::success(
            event_to_contract(event, params.value("calendar_id", "primary")).dump());
    } catch (const json::exception&) {
        return unreadable_response();
    }
}

} // namespace

sdk::Outcome CalendarConnector::invoke(sdk::Call& call, std::string_view action,
                                       std::string_view params_json) {
    if (action != SB_ACTION_CALENDAR_LIST_EVENTS && action != SB_ACTION_CALENDAR_CREATE_EVENT) {
        return sdk::Outcome::unsupported_action(action);
    }
    // The host validates params against the action's schema before it calls; a plugin still
    // refuses what it cannot use (`switchboard plugins validate` checks that it does), and
    // a missing or mistyped member read below throws before any HTTP request is made.
    const json params = json::parse(params_json, nullptr, /*allow_exceptions=*/false);
    if (!params.is_object()) {
        return sdk::Outcome::invalid_input("invalid_params", "the params are not a JSON object");
    }
    try {
        return action == SB_ACTION_CALENDAR_LIST_EVENTS ? list_events(call, params)
                                                        : create_event(call, params);
    } catch (const json::exception& e) {
        return sdk::Outcome::invalid_input(
            "invalid_params", std::string("the params do not fit the contract: ") + e.what());
    }
}

} // namespace example_calendar
