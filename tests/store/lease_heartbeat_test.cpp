// LeaseHeartbeat: every live lease is renewed at its period, by one shared thread, until its
// heartbeat is destroyed.
#include "core/store/lease_heartbeat.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <thread>

namespace switchboard::store {
namespace {

using namespace std::chrono_literals;

// Waits (up to a minute, for slow sanitizer runs) until `done` holds.
template <class Condition>
bool eventually(Condition done) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

TEST(LeaseHeartbeat, RenewsEachLeaseAgainAndAgainUntilDestroyed) {
    std::atomic<int> fast{0}, slow{0};
    auto first = std::make_unique<LeaseHeartbeat>(2ms, [&] { ++fast; });
    LeaseHeartbeat second(5ms, [&] { ++slow; });
    EXPECT_TRUE(eventually([&] { return fast.load() >= 5 && slow.load() >= 3; }));
    first.reset();
    const int after = fast.load();
    // Ten periods of the destroyed lease, while the other one goes on.
    const int slow_before = slow.load();
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(fast.load(), after);
    EXPECT_TRUE(eventually([&] { return slow.load() > slow_before; }));
}

TEST(LeaseHeartbeat, DestructionWaitsForARenewalInProgress) {
    std::promise<void> entered, release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> renewing{false}, entered_once{false};
    auto heartbeat = std::make_unique<LeaseHeartbeat>(1ms, [&] {
        renewing = true;
        if (!entered_once.exchange(true)) {
            entered.set_value();
            released.wait();
        }
        renewing = false;
    });
    entered.get_future().wait();
    std::atomic<bool> destroyed{false};
    std::thread destroyer([&] {
        heartbeat.reset();
        destroyed = true;
    });
    std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(destroyed.load()) << "the heartbeat was destroyed while its renewal ran";
    release.set_value();
    destroyer.join();
    EXPECT_TRUE(destroyed.load());
    EXPECT_FALSE(renewing.load());
}

TEST(LeaseHeartbeat, ManyLeasesComeAndGoFromSeveralThreads) {
    std::atomic<int> renewals{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                LeaseHeartbeat heartbeat(1ms, [&] { ++renewals; });
                if (i % 50 == 0) std::this_thread::sleep_for(3ms);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    // The leases that lived 3 ms were renewed; none is renewed after its end.
    EXPECT_GT(renewals.load(), 0);
    const int after = renewals.load();
    std::this_thread::sleep_for(10ms);
    EXPECT_EQ(renewals.load(), after);
}

} // namespace
} // namespace switchboard::store
