// Turns a failed exchange into the stable Error the caller sees, and says whether another
// attempt may help. Internal to the HTTP client.
#pragma once

#include "core/common/error.hpp"
#include "core/http/http_exchange.hpp"

#include <string_view>

namespace switchboard::http {

struct TransportFailure {
    Error error;
    bool request_may_have_been_sent = false; // false: resolve, connect or TLS failed
    bool retryable = false; // before the method's idempotency is taken into account
};

TransportFailure classify_transport_failure(const ExchangeResult& result, std::string_view host);

// A reused keep-alive connection that the server had closed: nothing was read back, so the
// request is repeated once on a fresh connection without counting an attempt.
bool is_stale_connection_failure(const ExchangeResult& result) noexcept;

} // namespace switchboard::http
