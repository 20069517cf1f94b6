/* A library whose invoke writes result bytes for as long as the host takes them (a huge
 * output), then claims success: the host must refuse the result. */
#include "fixture_common.h"

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc calendar = {
    sizeof(sb_provider_desc), "test_floods", SB_CATEGORY_CALENDAR, "Flooding Calendar",
    "A calendar provider whose every answer is too large.", &sbt_oauth,
    "https://api.example.test/floods", actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&calendar};
const size_t sbt_provider_count = 1;

static sb_status flooding_invoke(const sb_plugin *plugin, sb_connector *connector, sb_call *call,
                                 const char *action, const char *params_json, size_t params_size,
                                 const sb_sink *result, const sb_sink *error) {
    static char chunk[64 * 1024];
    size_t i;
    (void)plugin;
    (void)connector;
    (void)call;
    (void)action;
    (void)params_json;
    (void)params_size;
    (void)error;
    for (i = 0; i < sizeof chunk; ++i) {
        chunk[i] = '7';
    }
    while (result->write(result, chunk, sizeof chunk) == SB_STATUS_OK) {
    }
    return SB_STATUS_OK;
}

static const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "floods", "0.0.1",
    sbt_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    flooding_invoke, NULL,
};

SB_PLUGIN_ENTRY { return &plugin; }
