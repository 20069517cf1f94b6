#include "core/config/sections.hpp"

namespace switchboard::config::detail {

PluginsConfig parse_plugins_section(const ConfigSection& s, const ParseContext& context) {
    PluginsConfig c;
    c.directory = s.file_path("directory", context.base_dir);
    return c;
}

} // namespace switchboard::config::detail
