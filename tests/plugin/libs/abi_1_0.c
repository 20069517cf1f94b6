/* A library built against the frozen ABI 1.0 header (tests/sdk/abi_1_0/switchboard/plugin.h,
 * first on this target's include path), as a plugin shipped before 1.1 was: its structs are
 * 1.0-sized. The host must load and run it unchanged. */
#include "fixture_common.h"

#if SB_ABI_VERSION_MAJOR != 1 || SB_ABI_VERSION_MINOR != 0
#error "abi_1_0.c must be compiled against the frozen ABI 1.0 header"
#endif

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc calendar = {
    sizeof(sb_provider_desc), "test_abi_1_0", SB_CATEGORY_CALENDAR, "ABI 1.0 Calendar",
    "A calendar provider built against ABI 1.0.", &sbt_oauth, "https://api.example.test/abi10",
    actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&calendar};
const size_t sbt_provider_count = 1;

SBT_PLUGIN_TABLE(plugin, "abi_1_0", SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR, sizeof(sb_plugin),
                 sbt_init);

SB_PLUGIN_ENTRY { return &plugin; }
