/* A library whose invoke never returns: the host must answer at the call's deadline (and,
 * in isolated mode, kill the process). It sleeps in its loop, so that tests do not burn a
 * core on it. */
#include "fixture_common.h"

#include <unistd.h>

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc calendar = {
    sizeof(sb_provider_desc), "test_hangs", SB_CATEGORY_CALENDAR, "Hanging Calendar",
    "A calendar provider whose every call hangs.", &sbt_oauth,
    "https://api.example.test/hangs", actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&calendar};
const size_t sbt_provider_count = 1;

static sb_status hanging_invoke(const sb_plugin *plugin, sb_connector *connector, sb_call *call,
                                const char *action, const char *params_json, size_t params_size,
                                const sb_sink *result, const sb_sink *error) {
    (void)plugin;
    (void)connector;
    (void)call;
    (void)action;
    (void)params_json;
    (void)params_size;
    (void)result;
    (void)error;
    for (;;) {
        usleep(10000);
    }
    return SB_STATUS_INTERNAL; /* never reached */
}

static const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "hangs", "0.0.1",
    sbt_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    hanging_invoke, NULL,
};

SB_PLUGIN_ENTRY { return &plugin; }
