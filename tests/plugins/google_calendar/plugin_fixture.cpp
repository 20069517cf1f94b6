#include "tests/plugins/google_calendar/plugin_fixture.hpp"

namespace switchboard::plugins::google_calendar::testing {

using nlohmann::json;

void GoogleCalendarTest::SetUp() { ASSERT_EQ(plugin.init(), SB_STATUS_OK) << problems(); }

Invocation GoogleCalendarTest::run(std::string_view action, std::string_view params) {
    auto connector = plugin.connect("google_calendar");
    EXPECT_EQ(connector.status(), SB_STATUS_OK);
    return connector.invoke(action, params);
}

std::string GoogleCalendarTest::problems() const {
    std::string out;
    for (const auto& p : plugin.problems()) out += p + "\n";
    return out;
}

std::string GoogleCalendarTest::discovery_problems(const std::vector<std::string>& method_ids) const {
    const auto requests = host.requests();
    std::string out;
    if (requests.size() != method_ids.size()) {
        out += std::to_string(requests.size()) + " requests recorded, " +
               std::to_string(method_ids.size()) + " expected\n";
    }
    for (std::size_t i = 0; i < requests.size() && i < method_ids.size(); ++i) {
        const RecordedRequest& r = requests[i];
        for (const auto& p : DiscoveryDocument::calendar_v3().check(method_ids[i], r.method, r.path, r.body)) {
            out += r.method + " " + r.path + ": " + p + "\n";
        }
        if (!r.body.empty()) {
            const std::string* type = r.header("content-type");
            if (type == nullptr || !type->starts_with("application/json")) {
                out += r.method + " " + r.path + ": a body without Content-Type application/json\n";
            }
        }
        if (r.header("authorization") != nullptr) out += r.path + ": the plugin set Authorization\n";
    }
    return out;
}

json GoogleCalendarTest::result_of(const Invocation& call, std::string_view definition) const {
    EXPECT_EQ(call.status, SB_STATUS_OK) << call.error;
    const json result = json::parse(call.result, nullptr, false);
    std::string problems_text;
    for (const auto& p : contract_problems(definition, result)) problems_text += p + "\n";
    EXPECT_EQ(problems_text, "") << call.result;
    return result;
}

json GoogleCalendarTest::body_of(std::size_t n) const {
    const auto requests = host.requests();
    if (n >= requests.size()) {
        ADD_FAILURE() << "no request #" << n;
        return json();
    }
    return json::parse(requests[n].body, nullptr, false);
}

std::string google_error(int code, std::string_view message, std::string_view reason,
                         std::string_view status) {
    json error = {{"code", code},
                  {"message", message},
                  {"errors", json::array({{{"domain", "global"}, {"reason", reason}, {"message", message}}})}};
    if (!status.empty()) error["status"] = status;
    return json({{"error", error}}).dump();
}

json google_event(std::string_view id, json members) {
    json event = {{"kind", "calendar#event"},
                  {"etag", "\"3400000000000000\""},
                  {"id", id},
                  {"status", "confirmed"},
                  {"htmlLink", "https://www.google.com/calendar/event?eid=" + std::string(id)},
                  {"created", "2024-06-01T12:00:00.000Z"},
                  {"updated", "2024-06-01T12:00:00.000Z"},
                  {"summary", "Event " + std::string(id)},
                  {"organizer", {{"email", "owner@example.com"}, {"self", true}}},
                  {"start", {{"dateTime", "2024-06-04T09:00:00+02:00"}, {"timeZone", "Europe/Paris"}}},
                  {"end", {{"dateTime", "2024-06-04T10:00:00+02:00"}, {"timeZone", "Europe/Paris"}}}};
    for (const auto& [key, value] : members.items()) event[key] = value;
    return event;
}

} // namespace switchboard::plugins::google_calendar::testing
