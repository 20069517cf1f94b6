// What the contract checks of one action cost: the params of calendar.create_event and
// calendar.list_events, and the results they answer (one event; a page of ten events).
// A diagnostic for the action overhead that scripts/bench measures end to end; not run by
// ctest.
#include "core/plugin/contract_catalog.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace {

using nlohmann::json;
using switchboard::plugin::ContractCatalog;

json create_event_params() {
    return {{"summary", "Quarterly planning"},
            {"description", "Agenda in the doc"},
            {"start", {{"date_time", "2030-01-01T09:00:00+01:00"}, {"time_zone", "Europe/Paris"}}},
            {"end", {{"date_time", "2030-01-01T10:00:00+01:00"}, {"time_zone", "Europe/Paris"}}},
            {"attendees", {{{"email", "ada@example.com"}}, {{"email", "bob@example.com"}}}},
            {"video_conference", true},
            {"send_updates", "all"}};
}

json list_events_params() {
    return {{"time_min", "2030-01-01T00:00:00Z"}, {"time_max", "2030-01-02T00:00:00Z"},
            {"max_results", 10}};
}

json event(int i) {
    return {{"id", "evt" + std::to_string(i)},
            {"calendar_id", "primary"},
            {"summary", "Quarterly planning"},
            {"start", {{"date_time", "2030-01-01T09:00:00+01:00"}, {"time_zone", "Europe/Paris"}}},
            {"end", {{"date_time", "2030-01-01T10:00:00+01:00"}, {"time_zone", "Europe/Paris"}}},
            {"attendees",
             {{{"email", "ada@example.com"}, {"response_status", "accepted"}},
              {{"email", "bob@example.com"}, {"response_status", "needs_action"}}}},
            {"organizer", {{"email", "ada@example.com"}}},
            {"status", "confirmed"},
            {"html_link", "https://calendar.google.com/event?eid=evt" + std::to_string(i)},
            {"created", "2029-12-01T08:00:00Z"},
            {"updated", "2029-12-01T08:00:00Z"}};
}

void check(const switchboard::Result<void>& r) {
    if (!r) {
        std::fprintf(stderr, "bench_contract_catalog: %s\n", r.error().message.c_str());
        std::abort();
    }
}

void BM_ValidateCreateEventParams(benchmark::State& state) {
    const auto& catalog = ContractCatalog::embedded();
    const json params = create_event_params();
    check(catalog.validate_params("calendar", "create_event", params));
    for (auto _ : state) {
        benchmark::DoNotOptimize(catalog.validate_params("calendar", "create_event", params));
    }
}
BENCHMARK(BM_ValidateCreateEventParams);

void BM_ValidateCreateEventResult(benchmark::State& state) {
    const auto& catalog = ContractCatalog::embedded();
    const json result = event(1);
    check(catalog.validate_result("calendar", "create_event", result));
    for (auto _ : state) {
        benchmark::DoNotOptimize(catalog.validate_result("calendar", "create_event", result));
    }
}
BENCHMARK(BM_ValidateCreateEventResult);

void BM_ValidateListEventsParams(benchmark::State& state) {
    const auto& catalog = ContractCatalog::embedded();
    const json params = list_events_params();
    check(catalog.validate_params("calendar", "list_events", params));
    for (auto _ : state) {
        benchmark::DoNotOptimize(catalog.validate_params("calendar", "list_events", params));
    }
}
BENCHMARK(BM_ValidateListEventsParams);

void BM_ValidateListEventsResultOfTen(benchmark::State& state) {
    const auto& catalog = ContractCatalog::embedded();
    json events = json::array();
    for (int i = 0; i < 10; ++i) {
        events.push_back(event(i));
    }
    const json result = {{"events", events}};
    check(catalog.validate_result("calendar", "list_events", result));
    for (auto _ : state) {
        benchmark::DoNotOptimize(catalog.validate_result("calendar", "list_events", result));
    }
}
BENCHMARK(BM_ValidateListEventsResultOfTen);

} // namespace
