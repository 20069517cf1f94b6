// The event JSON (the webhooks' bodies and the feed's items) and the retry schedule of the
// webhook delivery.
#include "core/events/event_json.hpp"
#include "core/events/webhook_deliverer.hpp"

#include <gtest/gtest.h>

namespace switchboard::events {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

store::ConnectorEvent sample() {
    store::ConnectorEvent event;
    event.id = "0b7e4a8e-3f59-4c63-9d1e-2f1c7c1b5a10";
    event.tenant_id = "acme";
    event.sequence = 42;
    event.type = store::ConnectorEventType::revoked;
    event.connector_id = "c1";
    event.provider = "hubspot";
    event.category = "crm";
    event.user_id = "u1";
    event.status = store::ConnectorStatus::revoked;
    event.previous_status = store::ConnectorStatus::active;
    event.reason = "the provider refused the refresh token";
    event.error_code = "invalid_grant";
    event.occurred_at = std::chrono::sys_time<milliseconds>(milliseconds(1'700'000'000'123));
    return event;
}

TEST(EventJson, HasTheDocumentedShape) {
    const auto json = event_json(sample());
    EXPECT_EQ(json.dump(),
              R"({"id":"0b7e4a8e-3f59-4c63-9d1e-2f1c7c1b5a10","type":"connector.revoked",)"
              R"("sequence":42,"occurred_at":"2023-11-14T22:13:20.123Z","tenant_id":"acme",)"
              R"("data":{"connector_id":"c1","provider":"hubspot","type":"crm","user_id":"u1",)"
              R"("status":"revoked","previous_status":"active",)"
              R"("reason":"the provider refused the refresh token","error_code":"invalid_grant"}})");
}

TEST(EventJson, ANewConnectorHasNoPreviousStatusAndNoReason) {
    auto event = sample();
    event.type = store::ConnectorEventType::connected;
    event.status = store::ConnectorStatus::active;
    event.previous_status.reset();
    event.reason.clear();
    event.error_code.clear();
    const auto json = event_json(event);
    EXPECT_TRUE(json["data"]["previous_status"].is_null());
    EXPECT_TRUE(json["data"]["reason"].is_null());
    EXPECT_TRUE(json["data"]["error_code"].is_null());
    EXPECT_EQ(json["type"], "connector.connected");
}

TEST(EventJson, TimesKeepTheirMilliseconds) {
    using T = std::chrono::sys_time<milliseconds>;
    EXPECT_EQ(rfc3339_ms(T(milliseconds(0))), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(rfc3339_ms(T(milliseconds(1'700'000'000'007))), "2023-11-14T22:13:20.007Z");
}

TEST(WebhookRetry, DoublesPerFailureUpToTheMaximumWithJitterInItsSecondHalf) {
    const seconds base(5), max(60);
    // No jitter drawn (share 0): the full delay; the largest share: half of it.
    EXPECT_EQ(retry_delay(1, base, max, 0.0), milliseconds(5000));
    EXPECT_EQ(retry_delay(1, base, max, 0.999999), milliseconds(2500));
    EXPECT_EQ(retry_delay(2, base, max, 0.0), milliseconds(10000));
    EXPECT_EQ(retry_delay(3, base, max, 0.0), milliseconds(20000));
    EXPECT_EQ(retry_delay(5, base, max, 0.0), milliseconds(60000)) << "capped";
    EXPECT_EQ(retry_delay(500, base, max, 0.0), milliseconds(60000)) << "no overflow";
    for (double share : {0.1, 0.5, 0.9}) {
        const auto delay = retry_delay(4, base, max, share);
        EXPECT_GE(delay, milliseconds(20000));
        EXPECT_LE(delay, milliseconds(40000));
    }
}

} // namespace
} // namespace switchboard::events
