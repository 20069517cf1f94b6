// `serve` holds decrypted tokens, client secrets and the encryption keys in memory; a core
// file would write them to disk for anyone who can read it.
#pragma once

#include "core/common/error.hpp"

namespace switchboard::app {

// Makes the process non-dumpable (prctl PR_SET_DUMPABLE 0: no core file, no ptrace attach by
// other processes of the same user, /proc/<pid>/mem and environ readable by root only) and
// sets RLIMIT_CORE to 0, soft and hard, so that no unprivileged code in the process (or a
// child) can raise it again. A failure is internal
// `core_dumps_not_disabled`, naming the call.
Result<void> disable_core_dumps();

} // namespace switchboard::app
