#include "calendar_connector.hpp"

#include <switchboard/params.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace sdk = switchboard::sdk;
using nlohmann::json;

namespace example_calendar {
namespace {

// --- mapping between the contract's shapes and the API's ----------------------------------

// The contract's EventTime at `at` ("/start") in the API's shape: {"day"} or {"at", "tz"?}.
json time_from_contract(sdk::Params& params, const std::string& at) {
    if (params.object(at, {.required = true}) == nullptr) return nullptr;
    const auto day = params.string(at + "/date", {.min_length = 10, .max_length = 10});
    const auto date_time = params.time(at + "/date_time");
    const auto zone = params.string(at + "/time_zone", {.min_length = 1});
    if (day.has_value() == date_time.has_value()) {
        params.fail(at, "'" + at + "' needs exactly one of date and date_time");
        return nullptr;
    }
    if (day) return {{"day", *day}};
    json out = {{"at", *date_time}};
    if (zone) out["tz"] = *zone;
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

std::string events_path(const std::string& calendar_id) {
    return "/v1/calendars/" + sdk::percent_encode(calendar_id) + "/events";
}

// A provider answer this plugin cannot read: the provider misbehaved, so retrying may help.
sdk::Outcome unreadable_response() {
    return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "invalid_provider_response",
                               "the calendar service's answer could not be read");
}

// --- actions -------------------------------------------------------------------------------

sdk::Outcome list_events(sdk::Call& call, sdk::Params& params) {
    const std::string calendar_id = params.string("calendar_id", {.min_length = 1}).value_or("primary");
    const auto time_min = params.time("time_min", {.required = true});
    const auto time_max = params.time("time_max", {.required = true});
    const auto text = params.string("query");
    // The API pages up to 2500 items, the contract's max_results limit: one request suffices,
    // and its cursor is the contract's page token.
    const auto max_results = params.integer("max_results", {.min = 1, .max = 2500});
    const auto page_token = params.string("page_token", {.min_length = 1});
    if (!params.ok()) return params.error(); // before any request

    sdk::Query query;
    query.add("from", *time_min);
    query.add("to", *time_max);
    if (text) query.add("q", *text);
    query.add("limit", std::to_string(max_results.value_or(250)));
    if (page_token) query.add("cursor", *page_token);

    const sdk::HttpResponse response = call.get(events_path(calendar_id) + query.str());
    if (!response.ok()) return sdk::error_from_response(response); // 401, 404, 429, 5xx, ...

    try {
        const json page = json::parse(response.body);
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

sdk::Outcome create_event(sdk::Call& call, sdk::Params& params) {
    const std::string calendar_id = params.string("calendar_id", {.min_length = 1}).value_or("primary");
    json body = {{"title", params.string("summary", {.required = true}).value_or("")},
                 {"start", time_from_contract(params, "/start")},
                 {"end", time_from_contract(params, "/end")}};
    if (auto notes = params.string("description")) body["notes"] = *notes;
    if (auto place = params.string("location")) body["place"] = *place;
    if (auto video = params.boolean("video_conference")) body["video_call"] = *video;
    if (const json* attendees = params.array("attendees")) {
        json& guests = body["guests"] = json::array();
        for (std::size_t i = 0; i < attendees->size(); ++i) {
            const std::string at = sdk::Params::child("/attendees", i);
            json g = {{"email", params.email(at + "/email", {.required = true}).value_or("")},
                      {"optional", params.boolean(at + "/optional").value_or(false)}};
            if (auto name = params.string(at + "/name")) g["name"] = *name;
            guests.push_back(std::move(g));
        }
    }
    if (auto who = params.string("send_updates")) {
        body["notify"] = *who == "external_only" ? "external" : *who;
    }
    if (!params.ok()) return params.error(); // before any request

    const sdk::HttpResponse response = call.send_json("POST", events_path(calendar_id), body.dump());
    if (!response.ok()) return sdk::error_from_response(response);

    try {
        const json event = json::parse(response.body);
        return sdk::Outcome::success(
            event_to_contract(event, calendar_id).dump());
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
    // refuses what it cannot use (`switchboard plugins validate` checks that it does):
    // sdk::Params names the field at fault, before any HTTP request is made.
    sdk::Params params(params_json);
    if (!params.ok()) return params.error();
    return action == SB_ACTION_CALENDAR_LIST_EVENTS ? list_events(call, params)
                                                    : create_event(call, params);
}

} // namespace example_calendar
