// The host runs the code it finds in its plugins directory, so that code must be as safe
// from other users as the host's own executable: the directory and each library it loads
// must be owned by root or by the user the host runs as, and writable by nobody else (no
// group or other write bit). For a library reached through a symbolic link, the file it
// names and that file's directory are checked.
#pragma once

#include "core/common/error.hpp"

#include <filesystem>
#include <string_view>

namespace switchboard::plugin {

// ok when `path` (a directory or a library; `what` names it in the message, e.g. "plugins
// directory") is safe; otherwise forbidden / `insecure_plugin_path` with a message naming
// the path, what is wrong and the command that fixes it, e.g. "plugins directory /srv/p is
// writable by its group or by other users (mode 0777); run chmod go-w /srv/p".
Result<void> check_trusted_path(const std::filesystem::path& path, std::string_view what);

} // namespace switchboard::plugin
