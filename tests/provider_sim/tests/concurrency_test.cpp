// A few clients at once: every request is answered, nothing is lost or duplicated.
#include "tests/provider_sim/tests/sim_fixture.hpp"

#include <set>
#include <thread>

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

class ConcurrencyTest : public SimTest {};

TEST_F(ConcurrencyTest, ParallelClientsAllGetTheirAnswers) {
    const std::string hubspot = hubspot_token({"crm.objects.contacts.write"});
    const std::string google = google_token({kEventsScope});
    constexpr int kThreads = 6;
    constexpr int kEach = 8;
    std::vector<std::vector<std::string>> ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                const std::string email = "c" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
                const auto r = client().post_json("/api.hubapi.com/crm/v3/objects/contacts",
                                                  {{"properties", {{"email", email}}}}, hubspot);
                if (r.status == 201) {
                    ids[static_cast<std::size_t>(t)].push_back(r.json().at("id"));
                }
                client().post_json("/www.googleapis.com/calendar/v3/calendars/primary/events",
                                   {{"start", {{"date", "2024-05-01"}}}, {"end", {{"date", "2024-05-02"}}}}, google);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::set<std::string> unique;
    for (const auto& list : ids) {
        EXPECT_EQ(list.size(), static_cast<std::size_t>(kEach));
        unique.insert(list.begin(), list.end());
    }
    EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kEach));
    EXPECT_EQ(sim().calls("calendar.events.insert"), static_cast<std::uint64_t>(kThreads * kEach));
    EXPECT_EQ(sim().requests().size(), static_cast<std::size_t>(2 * kThreads * kEach));
}

} // namespace
} // namespace switchboard::sim::testing
