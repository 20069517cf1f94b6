// Who is calling the REST API: the tenant whose data the call may touch, and the user.
#pragma once

#include <string>

namespace switchboard::auth {

struct Principal {
    std::string tenant_id;
    std::string user_id;

    friend bool operator==(const Principal&, const Principal&) = default;
};

} // namespace switchboard::auth
