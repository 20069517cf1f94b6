/* A library whose init never returns: in isolated mode its plugin-host process is killed at
 * the start timeout and the library refused, while the other libraries load. */
#include "fixture_common.h"

#include <unistd.h>

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc calendar = {
    sizeof(sb_provider_desc), "test_init_hangs", SB_CATEGORY_CALENDAR, "Init Hangs",
    "A calendar provider whose init never returns.", &sbt_oauth,
    "https://api.example.test/init-hangs", actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&calendar};
const size_t sbt_provider_count = 1;

static sb_status hanging_init(const sb_plugin *plugin, const sb_host *host) {
    (void)plugin;
    (void)host;
    for (;;) {
        usleep(10000);
    }
    return SB_STATUS_INTERNAL; /* never reached */
}

static const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "init_hangs", "0.0.1",
    hanging_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    sbt_invoke, NULL,
};

SB_PLUGIN_ENTRY { return &plugin; }
