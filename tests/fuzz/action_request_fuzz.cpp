// The JSON body reader (host/api's json_body and the route readers) and action params against
// the category schemas (core/plugin's ContractCatalog, checked as the plugin connector checks
// them before a plugin runs): an authenticated POST with a JSON body, through a real server
// session and the real API routes (support/session_driver.hpp).
//
// Input: the request target on the first line (e.g. /api/v1/actions/calendar.create_event,
// /api/v1/connectors/c-email/actions/send_email, /api/v1/connectors/authorize,
// /api/v1/connectors/complete), optionally a line "Idempotency-Key: <key>", then the body.
// The harness frames it as the front end or the assistant would send it (API key, JSON
// content type, Content-Length).
// Promises checked, beyond the server's (support/session_driver.hpp): one answer; a body the
// route accepts is answered 2xx, one it refuses gets a 4xx naming the field at fault as a
// JSON Pointer into the body; params errors point under /params.
// Seeds: the category schemas' examples, the bodies of the API's tests.
#include "tests/fuzz/support/api_under_test.hpp"
#include "tests/fuzz/support/session_driver.hpp"

namespace {

using switchboard::fuzz::check;

constexpr std::string_view idempotency_prefix = "Idempotency-Key: ";

switchboard::fuzz::SessionDriver& driver() {
    static switchboard::fuzz::SessionDriver instance(
        switchboard::fuzz::ApiUnderTest::instance().router(),
        *switchboard::fuzz::ApiUnderTest::instance().registry());
    return instance;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    driver();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto lines = switchboard::fuzz::split(switchboard::fuzz::as_text(data, size), "\n", 2);
    const std::string_view target = lines[0];
    std::string_view rest = lines.size() > 1 ? lines[1] : std::string_view();
    std::string_view idempotency_key;
    if (rest.starts_with(idempotency_prefix)) {
        const auto parts = switchboard::fuzz::split(rest, "\n", 2);
        idempotency_key = parts[0].substr(idempotency_prefix.size());
        rest = parts.size() > 1 ? parts[1] : std::string_view();
    }
    // A target or header value with a line break would be another request; the HTTP harness
    // covers framing, this one the bodies.
    if (target.find_first_of("\r\n ") != std::string_view::npos ||
        idempotency_key.find_first_of("\r\n") != std::string_view::npos) {
        return 0;
    }
    std::string request = "POST " + std::string(target) + " HTTP/1.1\r\n" +
                          "Host: switchboard.example.com\r\n" + "Authorization: Bearer " +
                          std::string(switchboard::fuzz::api_key) + "\r\n" +
                          "Content-Type: application/json\r\n" +
                          "Content-Length: " + std::to_string(rest.size()) + "\r\n";
    if (!idempotency_key.empty()) {
        request += "Idempotency-Key: " + std::string(idempotency_key) + "\r\n";
    }
    request += "Connection: close\r\n\r\n";
    request += rest;

    const std::string received = driver().exchange(request);
    const auto answers = switchboard::fuzz::check_answers(received, false);
    check(answers.size() == 1, "one request, one answer");
    const auto& answer = answers.front();
    if (answer.status >= 400 && answer.status < 500) {
        const auto body = nlohmann::json::parse(answer.body);
        const auto& error = body["error"];
        if (error.contains("field") && error["code"] != "invalid_idempotency_key") {
            const auto& field = error["field"].get_ref<const std::string&>();
            check(field.empty() || field.starts_with("/") || field == "format" || field == "force",
                  "a body field is named by a JSON Pointer");
            if (error["code"] == "invalid_params" &&
                target.starts_with("/api/v1/actions/")) {
                check(field.starts_with("/params"), "a params error points under /params");
            }
        }
    }
    return 0;
}
