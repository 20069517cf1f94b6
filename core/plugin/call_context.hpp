// The seam between a plugin's sb_host.http and the host's outbound HTTP: one CallContext per
// action invocation, reachable from the opaque sb_call the plugin passes back. The host's
// real implementation (resolving the path against the provider's API base URL, injecting the
// connector's credentials, retries, metrics) lives outside core/plugin; tests use fakes.
#pragma once

#include "core/common/error.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::plugin {

struct HttpHeader {
    std::string name;
    std::string value;
};

// A request as a plugin asked for it, already checked by the host (method allowed, path
// relative and starting with '/', header names and values without CR/LF, no Authorization).
struct ProviderHttpRequest {
    std::string method; // GET, POST, PATCH, PUT or DELETE
    std::string path;   // e.g. "/calendar/v3/calendars/primary/events?maxResults=50"
    std::vector<HttpHeader> headers;
    std::string body;
};

// The provider's answer, whatever its HTTP status.
struct ProviderHttpResponse {
    int status = 0;
    std::vector<HttpHeader> headers; // the host lower-cases names before the plugin sees them
    std::string body;
};

class CallContext {
public:
    using Deadline = std::optional<std::chrono::steady_clock::time_point>;

    virtual ~CallContext() = default;

    // Performs `request` for the connector this call belongs to, possibly several times per
    // call, always on the thread that called Connector::invoke (in every mode the plugin's
    // requests are relayed to that thread). It must end by deadline(): timeouts, retries
    // and waits are cut to the time left. Error kinds map to the plugin's status:
    // invalid_input -> SB_STATUS_INVALID_INPUT, unauthenticated/forbidden -> SB_STATUS_AUTH,
    // internal -> SB_STATUS_INTERNAL, anything else -> SB_STATUS_UNAVAILABLE.
    virtual Result<ProviderHttpResponse> http(const ProviderHttpRequest& request) = 0;

    // When the host stops waiting for the call (nullopt: never). The caller may set one
    // before invoking (a budget of its own); Connector::invoke tightens it to the provider's
    // call timeout before the plugin runs.
    Deadline deadline() const noexcept { return deadline_; }
    void set_deadline(Deadline at) noexcept { deadline_ = at; }

private:
    Deadline deadline_;
};

// A context for invocations that must not reach any provider: every request fails with
// `unavailable` (e.g. calls made while only the contract is being exercised).
class NoHttpCallContext final : public CallContext {
public:
    Result<ProviderHttpResponse> http(const ProviderHttpRequest&) override {
        return Error(ErrorKind::unavailable, "http_not_available",
                     "outbound HTTP is not available in this context");
    }
};

} // namespace switchboard::plugin
