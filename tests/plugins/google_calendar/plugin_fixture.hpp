// The google_calendar.so under test: loaded with dlopen through the SDK's fake host, as the
// host loads it, with helpers to run an action and check what it sent and returned.
#pragma once

#include "tests/plugins/google_calendar/contract_schema.hpp"
#include "tests/plugins/google_calendar/discovery_check.hpp"

#include "switchboard/testing/fake_host.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::google_calendar::testing {

using sdk::testing::CannedResponse;
using sdk::testing::FakeHost;
using sdk::testing::Invocation;
using sdk::testing::PluginUnderTest;
using sdk::testing::RecordedRequest;
using sdk::testing::RequestMatcher;

class GoogleCalendarTest : public ::testing::Test {
protected:
    void SetUp() override;

    // Runs `action` with `params` on a fresh connector.
    Invocation run(std::string_view action, std::string_view params);

    // The problems of the plugin run so far (ABI breaches, unexpected or missing requests),
    // one per line; "" when there are none.
    std::string problems() const;

    // Every recorded request, checked against the discovery document's `method_ids` (one per
    // request, in order); the problems, one per line, "" when all conform.
    std::string discovery_problems(const std::vector<std::string>& method_ids) const;

    // The result of a successful call, parsed and checked against the action's result
    // definition of calendar.schema.json (a failure is reported to GoogleTest).
    nlohmann::json result_of(const Invocation& call, std::string_view definition) const;

    // The body of the n-th recorded request, parsed.
    nlohmann::json body_of(std::size_t n) const;

    FakeHost host; // declared first: it must outlive the plugin
    PluginUnderTest plugin{std::filesystem::path(SB_PLUGIN_GOOGLE_CALENDAR), host};
};

// A Google Calendar API error body, as Google sends it.
std::string google_error(int code, std::string_view message, std::string_view reason,
                         std::string_view status = "");

// An Event resource as Google returns it: the given members over a minimal timed event.
nlohmann::json google_event(std::string_view id, nlohmann::json members = nlohmann::json::object());

} // namespace switchboard::plugins::google_calendar::testing
