// The webhook signature: HMAC-SHA256 itself (RFC 4231), and the header the host sends checked
// by an independent implementation (Python's hmac through verify_webhook.py): accepted as
// sent, refused when the body, the secret or the timestamp differ.
#include "core/events/webhook_signer.hpp"
#include "tests/events/python_verifier.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace switchboard::events {
namespace {

using test::python_verify;
using test::SignedRequest;

TEST(WebhookSignature, HmacSha256MatchesRfc4231) {
    // RFC 4231, test case 2.
    EXPECT_EQ(*hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // Test case 1: a 20-byte key of 0x0b.
    EXPECT_EQ(*hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(WebhookSignature, TheHeaderCarriesTheTimestampAndTheMac) {
    const WebhookSigner signer("whsec-0123456789abcdef");
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    auto header = signer.sign(R"({"id":"e1"})", at);
    ASSERT_TRUE(header);
    EXPECT_TRUE(std::regex_match(*header, std::regex("t=1700000000,v1=[0-9a-f]{64}"))) << *header;
    EXPECT_EQ(header->substr(header->find("v1=") + 3),
              *hmac_sha256_hex("whsec-0123456789abcdef", R"(1700000000.{"id":"e1"})"));
    EXPECT_EQ(header->find("whsec"), std::string::npos) << "the secret is in the header";
}

TEST(WebhookSignature, PythonsHmacAcceptsWhatTheHostSignsAndRefusesAnyChange) {
    const std::string secret = "whsec-python-interop-0123456789";
    const std::string body =
        R"({"id":"4f1c","type":"connector.revoked","data":{"reason":"caf\u00e9 \u2713"}})"
        "\n\xe2\x9c\x93 bytes as sent";
    const WebhookSigner signer(secret);
    const auto now = std::chrono::system_clock::now();
    auto header = signer.sign(body, now);
    ASSERT_TRUE(header);
    auto stale = signer.sign(body, now - std::chrono::minutes(10));
    ASSERT_TRUE(stale);

    const auto results = python_verify({
        {secret, *header, body, now},
        {secret, *header, body + " ", now},                  // the body changed
        {"whsec-another-secret-0123456789", *header, body, now}, // another endpoint's secret
        {secret, *stale, body, now},                         // replayed ten minutes later
        {secret, "v1=" + header->substr(header->find("v1=") + 3), body, now},
    });
    EXPECT_EQ(results,
              (std::vector<std::string>{"ok", "mismatch", "mismatch", "too_old", "malformed"}));
}

} // namespace
} // namespace switchboard::events
