// Where a URL of a provider goes when the config's overrides.api_base_url moves the
// provider's API base (the provider simulator is reached this way): the other URLs of the API
// (the proxy's allowed base URLs, an access token's identity URL) move with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugin {

// `url` moved as the API base moved from `original` to `replacement`:
//  - a URL at or under `original` (segment by segment) keeps its rest under `replacement`:
//    https://www.googleapis.com/drive/v3 -> <replacement>/drive/v3;
//  - when `replacement` ends with the original's host and path (a mount point: the
//    simulator's http://127.0.0.1:8977/www.googleapis.com for https://www.googleapis.com),
//    a URL on another host moves under the same mount point:
//    https://gmail.googleapis.com -> http://127.0.0.1:8977/gmail.googleapis.com;
//  - otherwise nullopt: the URL has no place once the API was moved elsewhere.
std::optional<std::string> moved_base_url(std::string_view url, std::string_view original,
                                          std::string_view replacement);

} // namespace switchboard::plugin
