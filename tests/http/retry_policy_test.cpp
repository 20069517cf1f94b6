#include "core/http/retry_policy.hpp"

#include <gtest/gtest.h>

namespace switchboard::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// Sun, 06 Nov 1994 08:49:37 GMT, the RFC 9110 example date.
const system_clock::time_point kRfcExample = system_clock::from_time_t(784111777);

TEST(RetryPolicyTest, IdempotentMethodsAreThoseOfRfc9110) {
    for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"}) {
        EXPECT_TRUE(is_idempotent_method(method)) << method;
    }
    for (const char* method : {"POST", "PATCH", "CONNECT", "get"}) {
        EXPECT_FALSE(is_idempotent_method(method)) << method;
    }
}

TEST(RetryPolicyTest, RetryableStatuses) {
    for (int status : {429, 500, 502, 503, 504, 599}) {
        EXPECT_TRUE(is_retryable_status(status)) << status;
    }
    for (int status : {200, 204, 301, 400, 401, 403, 404, 409, 501, 505}) {
        EXPECT_FALSE(is_retryable_status(status)) << status;
    }
}

TEST(RetryPolicyTest, FullJitterBackoffDoublesUpToTheCap) {
    const milliseconds base{100};
    const milliseconds cap{1000};
    EXPECT_EQ(full_jitter_backoff(1, base, cap, 0.5), milliseconds{50});
    EXPECT_EQ(full_jitter_backoff(2, base, cap, 0.5), milliseconds{100});
    EXPECT_EQ(full_jitter_backoff(3, base, cap, 0.5), milliseconds{200});
    EXPECT_EQ(full_jitter_backoff(5, base, cap, 0.5), milliseconds{500}); // capped at 1000
    EXPECT_EQ(full_jitter_backoff(60, base, cap, 0.999), milliseconds{999});
    EXPECT_EQ(full_jitter_backoff(3, base, cap, 0.0), milliseconds{0});
    EXPECT_EQ(full_jitter_backoff(0, base, cap, 0.5), milliseconds{0});
}

TEST(RetryPolicyTest, RetryAfterDeltaSeconds) {
    EXPECT_EQ(parse_retry_after("120", kRfcExample), milliseconds{120000});
    EXPECT_EQ(parse_retry_after(" 0 ", kRfcExample), milliseconds{0});
    EXPECT_EQ(parse_retry_after("99999999", kRfcExample), milliseconds{86400000});
    EXPECT_FALSE(parse_retry_after("-1", kRfcExample));
    EXPECT_FALSE(parse_retry_after("1.5", kRfcExample));
    EXPECT_FALSE(parse_retry_after("soon", kRfcExample));
    EXPECT_FALSE(parse_retry_after("", kRfcExample));
}

TEST(RetryPolicyTest, RetryAfterHttpDateInAllThreeForms) {
    const auto now = kRfcExample - seconds{30};
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds{30000});
    EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), milliseconds{30000});
    EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), milliseconds{30000});
    // A date already past means "now".
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kRfcExample + seconds{5}),
              milliseconds{0});
    EXPECT_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT trailing", now));
    EXPECT_FALSE(parse_retry_after("06 Nov 1994", now));
}

HttpResponse response(int status, HttpHeaders headers) {
    HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    return r;
}

TEST(RetryPolicyTest, HintTakesRetryAfter) {
    auto hint = server_retry_hint(response(503, {{"retry-after", "3"}}), kRfcExample);
    ASSERT_TRUE(hint.wait);
    EXPECT_EQ(*hint.wait, milliseconds{3000});
    EXPECT_FALSE(hint.give_up);
    EXPECT_FALSE(server_retry_hint(response(503, {}), kRfcExample).wait);
}

// The rules HubSpot's plugin gives in its policy (plugins/hubspot/provider_policy.cpp), as the
// host reads them: names in lower case.
std::vector<RateLimitHeaderRule> hubspot_rules() {
    return {
        {"x-hubspot-ratelimit-daily-remaining", "", milliseconds{0}, std::nullopt, true},
        {"x-hubspot-ratelimit-secondly-remaining", "", milliseconds{0}, milliseconds{1000}, false},
        {"x-hubspot-ratelimit-remaining", "x-hubspot-ratelimit-interval-milliseconds",
         milliseconds{1}, std::nullopt, false},
    };
}

TEST(RetryPolicyTest, HubSpotDailyLimitExhaustedGivesUp) {
    const auto rules = hubspot_rules();
    auto hint = server_retry_hint(response(429, {{"x-hubspot-ratelimit-daily", "250000"},
                                                 {"x-hubspot-ratelimit-daily-remaining", "0"}}),
                                  kRfcExample, rules);
    EXPECT_TRUE(hint.give_up);
}

TEST(RetryPolicyTest, HubSpotSecondlyLimitWaitsASecond) {
    const auto rules = hubspot_rules();
    auto hint = server_retry_hint(response(429, {{"x-hubspot-ratelimit-secondly", "10"},
                                                 {"x-hubspot-ratelimit-secondly-remaining", "0"},
                                                 {"x-hubspot-ratelimit-daily-remaining", "12"}}),
                                  kRfcExample, rules);
    EXPECT_FALSE(hint.give_up);
    ASSERT_TRUE(hint.wait);
    EXPECT_EQ(*hint.wait, milliseconds{1000});
}

TEST(RetryPolicyTest, HubSpotRollingWindowWaitsTheIntervalUnlessRetryAfterIsLonger) {
    const auto rules = hubspot_rules();
    HttpHeaders headers = {{"x-hubspot-ratelimit-max", "100"},
                           {"x-hubspot-ratelimit-remaining", "0"},
                           {"x-hubspot-ratelimit-interval-milliseconds", "10000"}};
    auto hint = server_retry_hint(response(429, headers), kRfcExample, rules);
    ASSERT_TRUE(hint.wait);
    EXPECT_EQ(*hint.wait, milliseconds{10000});

    headers.emplace_back("retry-after", "30");
    hint = server_retry_hint(response(429, headers), kRfcExample, rules);
    ASSERT_TRUE(hint.wait);
    EXPECT_EQ(*hint.wait, milliseconds{30000});

    // Remaining budget left: the headers ask for nothing.
    hint = server_retry_hint(response(429, {{"x-hubspot-ratelimit-remaining", "7"},
                                            {"x-hubspot-ratelimit-interval-milliseconds",
                                             "10000"}}),
                             kRfcExample, rules);
    EXPECT_FALSE(hint.wait);
}

// The core knows no provider's headers: without the provider's rules, HubSpot's headers are
// just headers, and only Retry-After counts.
TEST(RetryPolicyTest, WithoutTheProvidersRulesOnlyRetryAfterCounts) {
    auto hint = server_retry_hint(response(429, {{"x-hubspot-ratelimit-daily-remaining", "0"},
                                                 {"x-hubspot-ratelimit-secondly-remaining", "0"}}),
                                  kRfcExample);
    EXPECT_FALSE(hint.give_up);
    EXPECT_FALSE(hint.wait);
}

TEST(RetryPolicyTest, RuleWaitsInSecondsAreCappedAndMalformedValuesFallBack) {
    const std::vector<RateLimitHeaderRule> rules = {
        {"x-left", "x-reset-seconds", milliseconds{1000}, milliseconds{250}, false}};
    auto hint = server_retry_hint(response(429, {{"x-left", "0"}, {"x-reset-seconds", "3"}}),
                                  kRfcExample, rules);
    ASSERT_TRUE(hint.wait);
    EXPECT_EQ(*hint.wait, milliseconds{3000});
    hint = server_retry_hint(
        response(429, {{"x-left", "0"}, {"x-reset-seconds", "99999999999999999"}}), kRfcExample,
        rules);
    ASSERT_TRUE(hint.wait);
    EXPECT_EQ(*hint.wait, kMaxRuleWait) << "a huge value is cut to an hour";
    hint = server_retry_hint(response(429, {{"x-left", "0"}, {"x-reset-seconds", "soon"}}),
                             kRfcExample, rules);
    ASSERT_TRUE(hint.wait);
    EXPECT_EQ(*hint.wait, milliseconds{250}) << "the default wait when the header is no number";
    hint = server_retry_hint(response(503, {{"x-left", "0"}, {"x-reset-seconds", "3"}}),
                             kRfcExample, rules);
    EXPECT_FALSE(hint.wait) << "the rules read 429s only";
}

} // namespace
} // namespace switchboard::http
