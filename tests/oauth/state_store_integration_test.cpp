// The state store suite on Redis and on PostgreSQL, and Redis outages.
#include "tests/oauth/state_store_suite.hpp"

namespace switchboard::oauth::test {

INSTANTIATE_TYPED_TEST_SUITE_P(Redis, OAuthStateStoreTest, ::testing::Types<RedisStateBackend>);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, OAuthStateStoreTest,
                               ::testing::Types<PostgresStateBackend>);

using Clock = std::chrono::steady_clock;

class RedisOutageTest : public ::testing::Test {
protected:
    RedisStateBackend backend_;
};

void expect_unavailable(const Error& error) {
    EXPECT_EQ(error.kind, ErrorKind::unavailable);
    EXPECT_EQ(error.code, "state_store_unavailable");
    EXPECT_NE(error.message.find("Redis"), std::string::npos) << error.message;
}

TEST_F(RedisOutageTest, ServerStoppedIsAClearErrorAndServerBackWorksAgain) {
    RedisOAuthStateStore store(backend_.redis_options());
    auto before = store.create(binding());
    ASSERT_TRUE(before) << before.error().message;

    backend_.server().stop();
    const auto started = Clock::now();
    auto created = store.create(binding());
    ASSERT_FALSE(created);
    expect_unavailable(created.error());
    auto consumed = store.consume(before->state);
    ASSERT_FALSE(consumed);
    expect_unavailable(consumed.error());
    // Bounded by the timeouts (0.5 s each), with a wide margin: no hang.
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));

    backend_.server().start();
    auto after = store.create(binding());
    ASSERT_TRUE(after) << after.error().message;
    auto again = store.consume(after->state);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->code_verifier, after->code_verifier);
}

TEST_F(RedisOutageTest, AServerThatStopsAnsweringTimesOut) {
    RedisOAuthStateStore store(backend_.redis_options());
    ASSERT_TRUE(store.create(binding())); // a pooled connection exists

    backend_.server().pause(); // accepts connections, answers nothing
    const auto started = Clock::now();
    auto created = store.create(binding());
    const auto elapsed = Clock::now() - started;
    backend_.server().resume();
    ASSERT_FALSE(created);
    expect_unavailable(created.error());
    EXPECT_LT(elapsed, std::chrono::seconds(10));

    auto after = store.create(binding());
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_TRUE(store.consume(after->state));
}

TEST_F(RedisOutageTest, RedisExpiresTheKeyWithTheTtl) {
    OAuthStateStoreOptions options;
    options.ttl = std::chrono::seconds(90);
    RedisOAuthStateStore store(backend_.redis_options(), options);
    auto ticket = store.create(binding());
    ASSERT_TRUE(ticket);
    auto key = store.key_for(ticket->state);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->find(ticket->state), std::string::npos);
    const std::string ttl = backend_.server().command("TTL " + *key);
    ASSERT_EQ(ttl.front(), ':') << ttl;
    const int seconds = std::stoi(ttl.substr(1));
    EXPECT_GT(seconds, 80);
    EXPECT_LE(seconds, 90);
    // The value holds the verifier but never the state itself.
    const std::string type = backend_.server().command("TYPE " + *key);
    EXPECT_EQ(type, "+string");
}

TEST_F(RedisOutageTest, AWrongPasswordIsUnavailableWithoutThePassword) {
    auto options = backend_.redis_options();
    options.password = "not-the-password-123";
    RedisOAuthStateStore store(options);
    auto created = store.create(binding());
    ASSERT_FALSE(created);
    expect_unavailable(created.error());
    EXPECT_EQ(created.error().message.find("not-the-password-123"), std::string::npos);
}

} // namespace switchboard::oauth::test
