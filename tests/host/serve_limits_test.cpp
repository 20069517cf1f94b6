// The running `switchboard serve` under hostile traffic, measured from outside as an operator
// would: the resident memory of the host process (/proc/<pid>/status), and whether a
// legitimate client still gets its answers.
#include "tests/host/hostile_clients.hpp"
#include "tests/host/serve_process.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <thread>

namespace switchboard {
namespace {

using testing::HostileClients;
using testing::ServeProcess;
using namespace std::chrono_literals;

constexpr std::uint64_t MiB = 1024 * 1024;

std::string mib(std::uint64_t bytes) {
    return std::to_string(bytes / MiB) + " MiB";
}

// Issue 10's probe: 60 connections, none authenticated, each sending the head of a 16 MiB
// POST to the actions route (the one route that takes large bodies) and most of its body.
// Before bounded limits the host buffered every body: 22 MB grew to 880 MB.
TEST(ServeLimits, SixtyUnauthenticatedSixteenMegabytePostsDoNotGrowTheHost) {
    ServeProcess host;
    const std::uint64_t before = host.rss_bytes();
    const std::uint64_t peak_before = host.peak_rss_bytes();

    const std::string head = "POST /api/v1/connectors/c1/actions/create_event HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Content-Length: 16777216\r\n\r\n";
    const std::string request = head + std::string(14 * MiB, 'A');
    HostileClients hostile(host.port());
    ASSERT_EQ(hostile.open(60), 60u);
    hostile.write_all(request, 60s);
    std::this_thread::sleep_for(300ms); // let the host take in what is in flight

    const std::uint64_t after = host.rss_bytes();
    const std::uint64_t peak = host.peak_rss_bytes();
    std::cout << "host RSS before " << mib(before) << " (peak " << mib(peak_before)
              << "), after 60 hostile 16 MiB POSTs " << mib(after) << " (peak " << mib(peak)
              << ")" << std::endl;
    EXPECT_LT(peak - before, 64 * MiB) << "the host buffered unauthenticated bodies";
    ASSERT_TRUE(host.running());
}

} // namespace
} // namespace switchboard
