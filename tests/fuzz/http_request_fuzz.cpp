// The HTTP request reader (host/server): the bytes a client sends, read by a real server
// session (HttpSession: Beast's parser under the server's header and body limits, the route
// match, CORS preflights, the gates that authenticate before the body is read, 100-continue,
// pipelining, chunked bodies) and answered by the real API routes (host/api) over services
// that answer at once (support/api_under_test.hpp).
//
// Each input is what one client writes on one connection before it closes its sending side
// (support/session_driver.hpp). Promises checked: the session always ends and releases the
// connection; what it sends back is a sequence of well-formed HTTP responses, each with an
// X-Request-Id; no answer is a 500 (malformed input gets a 4xx with a JSON error and a
// snake_case code).
// Seeds: the requests of the server's and the API's tests, as they travel on the wire.
#include "tests/fuzz/support/api_under_test.hpp"
#include "tests/fuzz/support/session_driver.hpp"

namespace {

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
    const auto request = switchboard::fuzz::as_text(data, size);
    const std::string received = driver().exchange(request);
    switchboard::fuzz::check_answers(received, request.find("HEAD") != std::string_view::npos);
    return 0;
}
