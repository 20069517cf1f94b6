/* Its sb_plugin struct_size stops before create_connector, which ABI 1.0 requires. */
#include "fixture_common.h"

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc provider = {
    sizeof(sb_provider_desc), "test_truncated", SB_CATEGORY_CALENDAR, "Truncated",
    "A broken provider for the loader's tests.", &sbt_oauth, "https://api.example.test/broken",
    actions, sizeof actions / sizeof actions[0],
};

const sb_provider_desc *const sbt_providers[] = {&provider};
const size_t sbt_provider_count = 1;

SBT_PLUGIN_TABLE(plugin, "truncated", SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR, offsetof(sb_plugin, create_connector), sbt_init);

SB_PLUGIN_ENTRY { return &plugin; }
