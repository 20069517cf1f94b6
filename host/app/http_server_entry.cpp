#include "host/app/http_server_entry.hpp"

namespace switchboard {

Result<void> run_http_server(Application&) {
    // The server framework (host/server) lands separately; this is the one function to
    // replace when it does.
    return Error(ErrorKind::unsupported, "server_not_integrated",
                 "unsupported: the HTTP server is not integrated in this build");
}

} // namespace switchboard
