// Turns a failed exchange into the stable Error the caller sees, and says whether another
// attempt may help. Internal to the HTTP client.
#pragma once

#include "core/common/error.hpp"
#include "core/http/http_exchange.hpp"

#include <string_view>

namespace switchboard::http {

struct TransportFailure {
    Error error;
    // False when resolve, connect or TLS failed, or the write failed before a byte went out.
    bool request_may_have_been_sent = false;
    bool retryable = false; // before the method's idempotency is taken into account
};

TransportFailure classify_transport_failure(const ExchangeResult& result, std::string_view host);

// A reused keep-alive connection that the server had closed: nothing was read back. The
// client repeats the request once on a fresh connection, without counting an attempt, when
// repeating it is safe: an idempotent method, or a request that never left (see
// ExchangeResult::request_written). A POST the server may have read is not sent again: the
// server may have acted on it (a single-use refresh token spent, an e-mail sent) before the
// connection dropped.
bool is_stale_connection_failure(const ExchangeResult& result) noexcept;

} // namespace switchboard::http
