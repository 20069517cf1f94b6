// Fernet's IVs come from per-thread batches of the CSPRNG (core/crypto/iv_pool.hpp): no IV may
// be handed out twice, whether by two threads or by a parent and its forked child.
#include "core/crypto/iv_pool.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace switchboard::crypto {
namespace {

using Iv = std::array<std::uint8_t, 16>;

Iv draw() {
    Iv iv{};
    EXPECT_TRUE(next_iv(iv));
    return iv;
}

TEST(IvPool, NeverHandsOutAnIvTwiceAcrossThreads) {
    std::mutex lock;
    std::set<Iv> seen;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            std::vector<Iv> mine;
            for (int i = 0; i < 500; ++i) { // several batches per thread
                mine.push_back(draw());
            }
            std::lock_guard<std::mutex> guard(lock);
            seen.insert(mine.begin(), mine.end());
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(seen.size(), 2000u);
}

TEST(IvPool, AForkedChildDoesNotRepeatItsParentsNextIvs) {
    draw(); // the parent has a batch with IVs still to come
    int pipe_ends[2];
    ASSERT_EQ(pipe(pipe_ends), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(pipe_ends[0]);
        Iv iv{};
        const bool ok = bool(next_iv(iv));
        const auto written = write(pipe_ends[1], iv.data(), iv.size());
        _exit(ok && written == static_cast<ssize_t>(iv.size()) ? 0 : 1);
    }
    close(pipe_ends[1]);
    Iv from_child{};
    const auto got = read(pipe_ends[0], from_child.data(), from_child.size());
    close(pipe_ends[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_EQ(got, static_cast<ssize_t>(from_child.size()));
    std::set<Iv> parents_next;
    for (int i = 0; i < 40; ++i) { // more than what was left of the parent's batch
        parents_next.insert(draw());
    }
    EXPECT_EQ(parents_next.count(from_child), 0u) << "the child handed out one of the parent's IVs";
}

} // namespace
} // namespace switchboard::crypto
