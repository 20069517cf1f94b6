/* A library whose invoke crashes the process: `plugins validate` must report it as a failed
 * check rather than die with it. */
#include "fixture_common.h"

#include <signal.h>

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc calendar = {
    sizeof(sb_provider_desc), "test_crashes", SB_CATEGORY_CALENDAR, "Crashing Calendar",
    "A calendar provider that crashes on every call.", &sbt_oauth,
    "https://api.example.test/crashes", actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&calendar};
const size_t sbt_provider_count = 1;

static sb_status crashing_invoke(const sb_plugin *plugin, sb_connector *connector, sb_call *call,
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
    raise(SIGSEGV);
    return SB_STATUS_INTERNAL;
}

static const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "crashes", "0.0.1",
    sbt_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    crashing_invoke, NULL,
};

SB_PLUGIN_ENTRY { return &plugin; }
