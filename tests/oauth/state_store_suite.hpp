// The OAuthStateStore contract, one typed suite for every backend: included by exactly one
// source file per test program, which instantiates it.
#pragma once

#include "core/crypto/pkce.hpp"
#include "core/crypto/secure_random.hpp"
#include "tests/oauth/state_store_backends.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace switchboard::oauth::test {

inline OAuthStateBinding binding(std::string tenant = "tenant-a") {
    return {std::move(tenant), "user-7",        "google_calendar",
            "calendar",        "Work calendar", "https://app.example.com/oauth/callback"};
}

template <class Backend> class OAuthStateStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        OAuthStateStoreOptions options;
        options.ttl = std::chrono::minutes(5);
        options.clock = [this] { return now_.load(); };
        store_ = backend_.make(options);
    }

    void expect_invalid_state(const Result<ConsumedOAuthState>& result, std::string_view state) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
        EXPECT_EQ(result.error().code, "invalid_state");
        // Unknown, expired and replayed look the same, and the state is never echoed.
        EXPECT_EQ(result.error().message, detail::invalid_state().message);
        if (!state.empty()) {
            EXPECT_EQ(result.error().message.find(state), std::string::npos);
        }
    }

    Backend backend_;
    std::atomic<std::chrono::system_clock::time_point> now_{std::chrono::system_clock::now()};
    std::unique_ptr<OAuthStateStore> store_;
};

TYPED_TEST_SUITE_P(OAuthStateStoreTest);

TYPED_TEST_P(OAuthStateStoreTest, CreateReturnsARandomStateAndAPkcePair) {
    std::set<std::string> states;
    for (int i = 0; i < 20; ++i) {
        auto ticket = this->store_->create(binding());
        ASSERT_TRUE(ticket) << ticket.error().message;
        EXPECT_EQ(ticket->state.size(), 43u); // 256 bits, base64url
        EXPECT_TRUE(detail::is_well_formed_state(ticket->state));
        EXPECT_TRUE(states.insert(ticket->state).second);
        EXPECT_TRUE(crypto::Pkce::is_valid_verifier(ticket->code_verifier));
        EXPECT_EQ(*crypto::Pkce::challenge(ticket->code_verifier), ticket->code_challenge);
        EXPECT_EQ(ticket->expires_at, this->now_.load() + std::chrono::minutes(5));
    }
}

TYPED_TEST_P(OAuthStateStoreTest, ConsumeReturnsTheBoundDataOnce) {
    auto ticket = this->store_->create(binding());
    ASSERT_TRUE(ticket);
    this->now_.store(this->now_.load() + std::chrono::minutes(4));
    auto consumed = this->store_->consume(ticket->state);
    ASSERT_TRUE(consumed) << consumed.error().message;
    EXPECT_EQ(consumed->binding, binding());
    EXPECT_EQ(consumed->code_verifier, ticket->code_verifier);
    EXPECT_LT(consumed->created_at, consumed->expires_at);

    // Replay.
    this->expect_invalid_state(this->store_->consume(ticket->state), ticket->state);
}

TYPED_TEST_P(OAuthStateStoreTest, UnknownOrMalformedStatesAreRefused) {
    ASSERT_TRUE(this->store_->create(binding()));
    auto unknown = crypto::random_token(32);
    ASSERT_TRUE(unknown);
    this->expect_invalid_state(this->store_->consume(*unknown), *unknown);
    for (std::string_view bad : {"", "short", "' OR 1=1 --", "a b c"}) {
        this->expect_invalid_state(this->store_->consume(bad), {});
    }
    this->expect_invalid_state(this->store_->consume(std::string(43, '!')), {});
}

TYPED_TEST_P(OAuthStateStoreTest, ExpiredStatesAreRefused) {
    auto ticket = this->store_->create(binding());
    ASSERT_TRUE(ticket);
    this->now_.store(this->now_.load() + std::chrono::minutes(5) + std::chrono::seconds(1));
    this->expect_invalid_state(this->store_->consume(ticket->state), ticket->state);
}

TYPED_TEST_P(OAuthStateStoreTest, TheTtlIsConfigurable) {
    OAuthStateStoreOptions options;
    options.ttl = std::chrono::seconds(30);
    options.clock = [this] { return this->now_.load(); };
    auto short_lived = this->backend_.make(options);
    auto first = short_lived->create(binding());
    auto second = short_lived->create(binding());
    ASSERT_TRUE(first && second);
    this->now_.store(this->now_.load() + std::chrono::seconds(20));
    EXPECT_TRUE(short_lived->consume(first->state));
    this->now_.store(this->now_.load() + std::chrono::seconds(11));
    this->expect_invalid_state(short_lived->consume(second->state), second->state);
}

TYPED_TEST_P(OAuthStateStoreTest, ConcurrentConsumersExactlyOneWins) {
    for (int round = 0; round < 5; ++round) {
        auto ticket = this->store_->create(binding());
        ASSERT_TRUE(ticket);
        std::atomic<int> wins{0}, refused{0}, other{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&] {
                while (!go.load()) std::this_thread::yield();
                auto result = this->store_->consume(ticket->state);
                if (result) {
                    if (result->code_verifier == ticket->code_verifier) ++wins;
                } else if (result.error().code == "invalid_state") {
                    ++refused;
                } else {
                    ++other;
                }
            });
        }
        go.store(true);
        for (auto& thread : threads) thread.join();
        EXPECT_EQ(wins.load(), 1);
        EXPECT_EQ(refused.load(), 7);
        EXPECT_EQ(other.load(), 0);
    }
}

TYPED_TEST_P(OAuthStateStoreTest, ABadBindingIsRefusedByField) {
    auto no_tenant = binding("");
    auto refused = this->store_->create(no_tenant);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(refused.error().field, "tenant_id");
    auto long_uri = binding();
    long_uri.redirect_uri = "https://x/" + std::string(3000, 'a');
    EXPECT_EQ(this->store_->create(long_uri).error().field, "redirect_uri");
}

TYPED_TEST_P(OAuthStateStoreTest, StatesOfDifferentTenantsAreIndependent) {
    auto a = this->store_->create(binding("tenant-a"));
    auto b = this->store_->create(binding("tenant-b"));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(this->store_->consume(b->state)->binding.tenant_id, "tenant-b");
    EXPECT_EQ(this->store_->consume(a->state)->binding.tenant_id, "tenant-a");
}

REGISTER_TYPED_TEST_SUITE_P(OAuthStateStoreTest, CreateReturnsARandomStateAndAPkcePair,
                            ConsumeReturnsTheBoundDataOnce, UnknownOrMalformedStatesAreRefused,
                            ExpiredStatesAreRefused, TheTtlIsConfigurable,
                            ConcurrentConsumersExactlyOneWins, ABadBindingIsRefusedByField,
                            StatesOfDifferentTenantsAreIndependent);

} // namespace switchboard::oauth::test
