// The demo API key of the example configs (config/README.md) and its SHA-256 digest, the form
// a config holds it in.
#pragma once

#include <string>

namespace switchboard::host_testing {

inline const std::string kDemoKey = "sb-demo-key-for-local-use-only";
inline const std::string kDemoDigest =
    "a1b5d292ed522af54a15c0ec7c61f851efc3716262cd321bb1111942e9dfbc3b";

} // namespace switchboard::host_testing
