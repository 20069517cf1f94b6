// The integrations page's routes: the page itself at / and at /settings/integrations (where the
// OAuth callback sends the browser back, with the flow's outcome in the query), and its files
// at /assets/<name>. Every answer carries the page's security headers (page_headers.hpp).
#pragma once

#include "host/server/router.hpp"

#include <string_view>

namespace switchboard::web {

inline constexpr std::string_view page_paths[] = {"/", "/settings/integrations"};
inline constexpr std::string_view assets_path = "/assets";
inline constexpr std::string_view page_file = "index.html";

// Registers the page and its files, served from the files embedded at build time.
void add_web_routes(server::Router& router);

} // namespace switchboard::web
