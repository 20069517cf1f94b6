#include "host/web/page_headers.hpp"

namespace switchboard::web {

void set_page_headers(server::Headers& headers) {
    namespace http = server::http;
    headers.set("Content-Security-Policy", content_security_policy);
    headers.set(http::field::x_frame_options, "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
    // X-Content-Type-Options: nosniff is the server's, on every answer.
}

} // namespace switchboard::web
