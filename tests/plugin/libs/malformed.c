/* A library whose invoke answers OK with a result that is not JSON. */
#include "fixture_common.h"

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc calendar = {
    sizeof(sb_provider_desc), "test_malformed", SB_CATEGORY_CALENDAR, "Malformed Calendar",
    "A calendar provider whose answers are broken JSON.", &sbt_oauth,
    "https://api.example.test/malformed", actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&calendar};
const size_t sbt_provider_count = 1;

static sb_status malformed_invoke(const sb_plugin *plugin, sb_connector *connector, sb_call *call,
                                  const char *action, const char *params_json, size_t params_size,
                                  const sb_sink *result, const sb_sink *error) {
    static const char broken[] = "{\"deleted\": tru";
    (void)plugin;
    (void)connector;
    (void)call;
    (void)action;
    (void)params_json;
    (void)params_size;
    (void)error;
    result->write(result, broken, sizeof broken - 1);
    return SB_STATUS_OK;
}

static const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "malformed", "0.0.1",
    sbt_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    malformed_invoke, NULL,
};

SB_PLUGIN_ENTRY { return &plugin; }
