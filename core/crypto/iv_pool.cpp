#include "core/crypto/iv_pool.hpp"

#include "core/crypto/secure_random.hpp"

#include <openssl/crypto.h>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>

namespace switchboard::crypto {
namespace {

constexpr std::size_t kIvSize = 16;
constexpr std::size_t kBatch = 32;

// Counts forks: a batch drawn before the last fork belongs to the parent.
std::atomic<unsigned> fork_generation{0};

void after_fork_in_child() {
    fork_generation.fetch_add(1, std::memory_order_relaxed);
}

unsigned current_generation() {
    static const bool registered = [] {
        pthread_atfork(nullptr, nullptr, after_fork_in_child);
        return true;
    }();
    (void)registered;
    return fork_generation.load(std::memory_order_relaxed);
}

struct Batch {
    std::array<std::uint8_t, kIvSize * kBatch> bytes{};
    std::size_t next = kBatch; // all used: the first call draws
    unsigned generation = 0;

    Batch() = default;
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
    ~Batch() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

} // namespace

Result<void> next_iv(std::span<std::uint8_t, 16> iv) {
    thread_local Batch batch;
    const unsigned generation = current_generation();
    if (batch.next == kBatch || batch.generation != generation) {
        batch.next = kBatch;
        if (auto filled = fill_random(batch.bytes); !filled) {
            return filled.error();
        }
        batch.next = 0;
        batch.generation = generation;
    }
    const auto* start = batch.bytes.data() + batch.next * kIvSize;
    std::copy(start, start + kIvSize, iv.begin());
    // A handed-out IV is not kept: the batch holds only IVs still to come.
    OPENSSL_cleanse(batch.bytes.data() + batch.next * kIvSize, kIvSize);
    ++batch.next;
    return {};
}

} // namespace switchboard::crypto
