// Turning the JSON config file into a Config, with errors that name the key path and the
// rule (`server.port: must be an integer between 0 and 65535`). The format is documented in
// config/README.md.
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/config/environment.hpp"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string_view>

namespace switchboard::config {

// Reads and checks the file at `path`. Relative paths inside it are resolved against the
// file's directory; API_BASE_URL and FRONTEND_URL in `env` override `public_urls`.
// Errors: not_found/`config_not_found` (cannot read the file), invalid_input/`invalid_config`
// (bad JSON, unknown key, bad value; Error::field holds the key path).
Result<Config> load_config_file(const std::filesystem::path& path, const Environment& env);

// The same checks for a document already in memory; `base_dir` plays the file's directory.
Result<Config> parse_config(const nlohmann::json& document, const std::filesystem::path& base_dir,
                            const Environment& env);
Result<Config> parse_config_text(std::string_view text, const std::filesystem::path& base_dir,
                                 const Environment& env);

} // namespace switchboard::config
