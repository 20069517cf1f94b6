/* A library that mishandles bad params: it calls the provider whatever the params are and
 * answers OK to everything, unknown actions included. `plugins validate` must fail it. */
#include "fixture_common.h"

#include <string.h>

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc calendar = {
    sizeof(sb_provider_desc), "test_sloppy", SB_CATEGORY_CALENDAR, "Sloppy Calendar",
    "A calendar provider that trusts its input.", &sbt_oauth, "https://api.example.test/sloppy",
    actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&calendar};
const size_t sbt_provider_count = 1;

static sb_status sloppy_invoke(const sb_plugin *plugin, sb_connector *connector, sb_call *call,
                               const char *action, const char *params_json, size_t params_size,
                               const sb_sink *result, const sb_sink *error) {
    sb_http_request request;
    const sb_http_response *response = NULL;
    const sb_host *host = sbt_host();
    (void)plugin;
    (void)connector;
    (void)action;
    (void)params_json;
    (void)params_size;
    (void)error;
    memset(&request, 0, sizeof request);
    request.struct_size = sizeof request;
    request.method = "DELETE";
    request.path = "/events/whatever";
    host->http(host, call, &request, &response);
    result->write(result, "{\"deleted\":true,\"event_id\":\"whatever\"}", 38);
    return SB_STATUS_OK;
}

static const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "sloppy", "0.1.0",
    sbt_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    sloppy_invoke, NULL,
};

SB_PLUGIN_ENTRY { return &plugin; }
