/* A well-behaved library with one provider (calendar). */
#include "fixture_common.h"

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc calendar = {
    sizeof(sb_provider_desc), "test_calendar", SB_CATEGORY_CALENDAR, "Test Calendar",
    "A calendar provider for the loader's tests.", &sbt_oauth, "https://api.example.test/calendar",
    actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&calendar};
const size_t sbt_provider_count = 1;

SBT_PLUGIN_TABLE(plugin, "good_one", SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR, sizeof(sb_plugin),
                 sbt_init);

SB_PLUGIN_ENTRY { return &plugin; }
