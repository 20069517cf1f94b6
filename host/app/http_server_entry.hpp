// The seam where the HTTP server (host/server) plugs into `switchboard serve`.
#pragma once

#include "core/common/error.hpp"
#include "host/app/application.hpp"

namespace switchboard {

// Serves the REST API for `app` until SIGINT/SIGTERM, then returns. In this build the server
// is not integrated yet: returns unsupported/`server_not_integrated`.
Result<void> run_http_server(Application& app);

} // namespace switchboard
