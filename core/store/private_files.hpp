// Files the host creates for its database are its owner's alone, whatever the umask: the
// SQLite file holds encrypted tokens, but also who connected which account.
#pragma once

#include "core/common/error.hpp"

#include <filesystem>

namespace switchboard::store {

// Creates the missing directories of `directory` (and their parents) with mode 0700. Existing
// directories are left as they are. Errors: unavailable / `database_unavailable`, naming the
// directory.
Result<void> create_private_directories(const std::filesystem::path& directory);

// Creates `file` empty with mode 0600 when it does not exist; an existing file is left as it
// is. SQLite then gives its -wal, -shm and -journal files the same mode as the database file.
Result<void> create_private_file(const std::filesystem::path& file);

} // namespace switchboard::store
