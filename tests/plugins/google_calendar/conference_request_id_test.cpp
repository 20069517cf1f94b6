#include "plugins/google_calendar/conference_request_id.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::plugins::google_calendar {
namespace {

TEST(ConferenceRequestId, IsAVersion4Uuid) {
    const std::regex uuid_v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    for (int i = 0; i < 100; ++i) {
        const std::string id = new_conference_request_id();
        EXPECT_TRUE(std::regex_match(id, uuid_v4)) << id;
    }
}

TEST(ConferenceRequestId, NeverRepeatsAcrossThreads) {
    constexpr int threads = 4;
    constexpr int per_thread = 2500;
    std::vector<std::vector<std::string>> made(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&made, t] {
            for (int i = 0; i < per_thread; ++i) made[t].push_back(new_conference_request_id());
        });
    }
    for (auto& w : workers) w.join();
    std::set<std::string> all;
    for (const auto& ids : made) all.insert(ids.begin(), ids.end());
    EXPECT_EQ(all.size(), static_cast<std::size_t>(threads * per_thread));
}

} // namespace
} // namespace switchboard::plugins::google_calendar
