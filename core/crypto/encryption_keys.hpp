// The token encryption keys, from the environment: CONNECTOR_ENCRYPTION_KEY encrypts,
// CONNECTOR_ENCRYPTION_KEYS_OLD (comma-separated) still decrypt.
#pragma once

#include "core/common/error.hpp"
#include "core/crypto/multi_fernet.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::crypto {

inline constexpr std::string_view primary_key_variable = "CONNECTOR_ENCRYPTION_KEY";
inline constexpr std::string_view old_keys_variable = "CONNECTOR_ENCRYPTION_KEYS_OLD";

// Builds the MultiFernet from the two values: the primary key (required) and a
// comma-separated list of old keys (optional; blanks around entries are ignored; an unset
// or blank value means none). Errors (kind invalid_input, code `encryption_key_missing` or
// `encryption_key_invalid`, `field` = the variable) name the variable and, for the old
// keys, the 1-based position of the bad entry; never a value.
Result<MultiFernet> load_encryption_keys(std::optional<std::string_view> primary,
                                         std::optional<std::string_view> old_keys);

// Reads the variables through `lookup` (the host passes read_secret of core/config, so either
// variable may come from a file, <VARIABLE>_FILE; a lookup's error is returned as is).
// Start-up calls this and stops with the error's message when it fails.
using EnvironmentLookup =
    std::function<Result<std::optional<std::string>>(std::string_view name)>;
Result<MultiFernet> load_encryption_keys_from_environment(const EnvironmentLookup& lookup);

} // namespace switchboard::crypto
