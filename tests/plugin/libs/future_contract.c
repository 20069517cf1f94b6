/* Its provider implements calendar/9, a contract revision no host has: it must be refused. */
#include "fixture_common.h"

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc provider = {
    sizeof(sb_provider_desc), "test_future_contract", SB_CATEGORY_CALENDAR, "Future Contract",
    "A provider of a contract revision the host does not honour.", &sbt_oauth,
    "https://api.example.test/future", actions, sizeof actions / sizeof actions[0], NULL, 0, NULL,
    9,
};

const sb_provider_desc *const sbt_providers[] = {&provider};
const size_t sbt_provider_count = 1;

SBT_PLUGIN_TABLE(plugin, "future_contract", SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR,
                 sizeof(sb_plugin), sbt_init);

SB_PLUGIN_ENTRY { return &plugin; }
