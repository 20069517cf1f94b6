// The webhook signature as an independent implementation sees it: tests/events/verify_webhook.py
// on Debian's /usr/bin/python3 (hmac, hashlib), the same function README.md gives receivers.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace switchboard::events::test {

struct SignedRequest {
    std::string secret;
    std::string header; // Switchboard-Signature's value
    std::string body;
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// "ok", or why Python refused it ("mismatch", "too_old", "malformed"), one per request.
// Throws std::runtime_error when Python cannot run.
std::vector<std::string> python_verify(const std::vector<SignedRequest>& requests);

} // namespace switchboard::events::test
