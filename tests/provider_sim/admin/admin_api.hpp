// The admin endpoints under /_admin/ (JSON), the HTTP face of ProviderSim's C++ API for
// tests in other processes and for people with curl:
//   GET    /_admin/health                      {"status":"ok"}
//   GET    /_admin/requests[?invalid=true]     the request log (see RecordedRequest)
//   DELETE /_admin/requests                    clears the log and the counters
//   GET    /_admin/counters                    calls per method id, faults hit
//   GET    /_admin/faults                      armed fault rules
//   POST   /_admin/faults                      adds one (FaultRule JSON), answers its id
//   DELETE /_admin/faults[/{id}]               removes all, or one
//   POST   /_admin/tokens/expire               {"provider":"google"|"hubspot"} optional
//   POST   /_admin/tokens/revoke               {"refresh_token":"..."}, {"access_token":"..."}
//                                               or {"user":"a@b"}
//   POST   /_admin/hubspot/private-apps        {"user":"a@b","scopes":[...]}: a private app's
//                                               token for that account ({"token","hub_id"})
//   POST   /_admin/clock/advance               {"seconds":3600}
//   GET    /_admin/settings, PUT /_admin/settings   auto_approve, token lifetimes, rotation
//   GET    /_admin/gmail/messages?account=a@b  a mailbox, parsed
//   GET    /_admin/hubspot/{contacts|deals}?user=a@b   an account's CRM records
//   POST   /_admin/reset                       forgets all data, tokens, faults and requests
#pragma once

#include "tests/provider_sim/server/request.hpp"

#include <functional>

namespace switchboard::sim {

class ProviderSim;

class AdminApi {
public:
    explicit AdminApi(ProviderSim& sim) : sim_(sim) {}
    // [thread-safe]
    Response handle(const Request& request);

private:
    ProviderSim& sim_;
};

} // namespace switchboard::sim
