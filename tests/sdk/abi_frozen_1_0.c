/*
 * The frozen ABI 1.0 table expanded against the frozen copy of the 1.0 header, which the
 * ABI 1.0 test plugins are built against (strict C99, like a plugin author's compiler): the
 * copy and the table must agree exactly.
 */
#include "abi_1_0/switchboard/plugin.h"

#include "abi_frozen_1_0.h"

#if SB_ABI_VERSION_MINOR != 0
#error "abi_1_0/switchboard/plugin.h must be the ABI 1.0 header"
#endif

const sb_frozen_entry sb_frozen_1_0_from_frozen_header[] = {SB_FROZEN_ENTRIES};
const size_t sb_frozen_1_0_from_frozen_header_count =
    sizeof(sb_frozen_1_0_from_frozen_header) / sizeof(sb_frozen_1_0_from_frozen_header[0]);
