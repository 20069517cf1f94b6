// The one place I/O errors on a connection are reported, as in Beast's examples.
#pragma once

#include <boost/system/error_code.hpp>

#include <string_view>

namespace switchboard::server {

// Logs `ec` from the step `what` ("accept", "read", "write"...). Cancellations are the normal
// end of an operation and are not logged; a client hanging up is logged at debug level; the
// rest at warning level.
void fail(boost::system::error_code ec, std::string_view what);

} // namespace switchboard::server
