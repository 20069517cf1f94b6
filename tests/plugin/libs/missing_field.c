/* Its descriptor has no display_name. */
#include "fixture_common.h"

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc provider = {
    sizeof(sb_provider_desc), "test_missing_field", SB_CATEGORY_CALENDAR, NULL,
    "A broken provider for the loader's tests.", &sbt_oauth, "https://api.example.test/broken",
    actions, sizeof actions / sizeof actions[0],
};

const sb_provider_desc *const sbt_providers[] = {&provider};
const size_t sbt_provider_count = 1;

SBT_PLUGIN_TABLE(plugin, "missing_field", SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR, sizeof(sb_plugin), sbt_init);

SB_PLUGIN_ENTRY { return &plugin; }
